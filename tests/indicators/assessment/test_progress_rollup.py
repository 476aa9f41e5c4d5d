"""Roll-up to sub-goals and goals (DESIGN §7): means, statuses and coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from indicators.assessment.progress import Assessment, assess, assess_all, assess_indicator, rollup
from indicators.plan.catalog import Catalog
from indicators.plan.model import Definition, Goal, Plan

PLAN = {
    "name": "Testløftet",
    "name_en": "The Test Pledge",
    "subtitle": "Kommuneplan 2020–2032",
    "start_year": 2020,
    "target_year": 2032,
    "region": "K-5001",
    "region_name": "Trondheim",
    "peers": ["K-0301"],
}


def definition(indicator_id: str, subgoals: list[str], **fields: Any) -> Definition:
    body = {
        "id": indicator_id,
        "name": f"Indikator {indicator_id}",
        "name_en": f"Indicator {indicator_id}",
        "subgoals": subgoals,
        "unit": "prosent",
        "decimals": 1,
        "direction": "increase",
        "series": {"a": {"table": "07459"}},
        **fields,
    }
    return Definition.model_validate(body)


def make_catalog(indicators: list[Definition], plan: dict | None = None) -> Catalog:
    """Two goals: 1 with sub-goals 1.1 and 1.2 (plan wording), 2 with 2.1 (a working title)."""
    goals = [
        Goal.model_validate(
            {
                "id": "1",
                "title": "Grønnere by",
                "title_en": "Greener city",
                "wording": "plan",
                "source": "test",
                "subgoals": [
                    {
                        "id": "1.1",
                        "title": "Klimanøytral",
                        "title_en": "Climate neutral",
                        "wording": "plan",
                        "source": "t",
                    },
                    {
                        "id": "1.2",
                        "title": "Smartere",
                        "title_en": "Smarter",
                        "wording": "plan",
                        "source": "t",
                    },
                ],
            }
        ),
        Goal.model_validate(
            {
                "id": "2",
                "title": "Sterkt fellesskap",
                "title_en": "Strong community",
                "wording": "plan",
                "source": "test",
                "subgoals": [
                    {
                        "id": "2.1",
                        "title": "Helse",
                        "title_en": "Health",
                        "wording": "working",
                        "source": "t",
                    },
                ],
            }
        ),
    ]
    return Catalog(
        plan=Plan.model_validate({**PLAN, **(plan or {})}),
        goals=goals,
        indicators={d.id: d for d in sorted(indicators, key=lambda d: d.id)},
        definitions_dir=Path("."),
    )


def made(indicator_id: str, status: str, score: float | None) -> Assessment:
    """An assessment with a given status and score (roll-up only reads these)."""
    return Assessment(
        indicator_id=indicator_id,
        method="direction",
        status=status,
        score=score,
        base_year=None,
        base_value=None,
        current_year=None,
        current_value=None,
        target_value=None,
        target_year=2032,
        progress_value=None,
        projected_value=None,
        un_ratio=None,
        borderline=False,
        direction="increase",
        limit=None,
    )


@pytest.fixture
def catalog() -> Catalog:
    return make_catalog(
        [
            definition("a", ["1.1"]),
            definition("b", ["1.1"]),
            definition("c", ["1.1", "1.2"]),  # under two sub-goals of the same goal
            definition("d", ["1.2"]),
            definition("e", ["2.1"]),
        ]
    )


def test_subgoal_score_is_the_mean_of_its_assessed_indicators(catalog: Catalog) -> None:
    result = rollup(
        catalog,
        {
            "a": made("a", "substantial_progress", 4.0),
            "b": made("b", "limited_progress", -1.0),
            "c": made("c", "not_available", None),
            "d": made("d", "deterioration", -4.0),
            "e": made("e", "not_available", None),
        },
    )
    s11 = result["1.1"]
    assert s11.score == pytest.approx((4.0 - 1.0) / 2)
    assert s11.status == "moderate_progress"  # 1.5 ≥ 0
    assert (s11.assessed, s11.indicators) == (2, 3)
    s12 = result["1.2"]
    assert (s12.score, s12.status, s12.assessed, s12.indicators) == (-4.0, "deterioration", 1, 2)


def test_goal_score_weighs_each_subgoal_the_same(catalog: Catalog) -> None:
    result = rollup(
        catalog,
        {
            "a": made("a", "substantial_progress", 5.0),
            "b": made("b", "substantial_progress", 3.0),
            "c": made("c", "substantial_progress", 4.0),
            "d": made("d", "deterioration", -5.0),
            "e": made("e", "moderate_progress", 1.0),
        },
    )
    s11 = (5.0 + 3.0 + 4.0) / 3
    s12 = (4.0 - 5.0) / 2
    assert result["1.1"].score == pytest.approx(s11)
    assert result["1.2"].score == pytest.approx(s12)
    # The mean of the sub-goals' means, not of the five indicator scores.
    assert result["1"].score == pytest.approx(round((s11 + s12) / 2, 4))
    assert result["1"].score != pytest.approx((5 + 3 + 4 + 4 - 5) / 5)
    assert result["1"].status == "moderate_progress"  # 1.75
    # Coverage of a goal counts distinct indicators: c is under 1.1 and 1.2 but counted once.
    assert (result["1"].assessed, result["1"].indicators) == (4, 4)
    assert result["1.1"].indicators + result["1.2"].indicators == 5


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (2.5, "substantial_progress"),
        (2.4999, "moderate_progress"),
        (0.0, "moderate_progress"),
        (-0.0001, "limited_progress"),
        (-2.5, "limited_progress"),
        (-2.5001, "deterioration"),
    ],
)
def test_status_from_the_mean_score(catalog: Catalog, score: float, status: str) -> None:
    result = rollup(catalog, {"e": made("e", "moderate_progress", score)})
    assert (result["2.1"].status, result["2"].status) == (status, status)


def test_target_achieved_only_when_every_assessed_member_achieved(catalog: Catalog) -> None:
    all_achieved = rollup(
        catalog,
        {
            "a": made("a", "target_achieved", 5.0),
            "b": made("b", "not_available", None),  # not assessed: does not block
            "c": made("c", "target_achieved", 5.0),
            "d": made("d", "target_achieved", 5.0),
        },
    )
    assert all_achieved["1.1"].status == "target_achieved"
    assert all_achieved["1"].status == "target_achieved"
    assert all_achieved["1"].achieved_all
    one_on_track = rollup(
        catalog,
        {
            "a": made("a", "target_achieved", 5.0),
            "c": made("c", "substantial_progress", 5.0),  # same score, not achieved
            "d": made("d", "target_achieved", 5.0),
        },
    )
    assert one_on_track["1.1"].status == "substantial_progress"
    assert one_on_track["1.2"].status == "substantial_progress"
    assert one_on_track["1"].status == "substantial_progress"


def test_nothing_assessed_is_not_available(catalog: Catalog) -> None:
    result = rollup(catalog, {"e": made("e", "not_available", None)})
    assert (result["2.1"].status, result["2.1"].score, result["2.1"].assessed, result["2.1"].indicators) == (
        "not_available",
        None,
        0,
        1,
    )
    assert result["2"].status == "not_available"
    # Indicators with no assessment at all count as not assessed, not as missing members.
    assert (result["1"].assessed, result["1"].indicators) == (0, 4)


def test_goal_mean_skips_subgoals_without_data(catalog: Catalog) -> None:
    result = rollup(catalog, {"a": made("a", "limited_progress", -2.0)})
    assert result["1.2"].status == "not_available"
    assert result["1"].score == -2.0


def test_assess_indicator_uses_the_home_region_and_the_plans_years() -> None:
    defn = definition("x", ["1.1"], target={"value": 60.0, "source": "test"})
    catalog = make_catalog([defn])
    frame = pd.DataFrame(
        {
            "region": ["K-0301", "K-0301", "K-5001", "K-5001", "K-5001"],
            "region_name": ["Oslo", "Oslo", "Trondheim", "Trondheim", "Trondheim"],
            "year": [2020, 2025, 2019, 2020, 2025],
            "value": [90.0, 95.0, 15.0, 20.0, 41.7],
            "status": [None] * 5,
        }
    )
    a = assess_indicator(defn, catalog, frame)
    expected = assess(
        pd.Series({2019: 15.0, 2020: 20.0, 2025: 41.7}), direction="increase", target_value=60.0
    )
    assert (a.base_value, a.current_value, a.target_year) == (20.0, 41.7, 2032)
    assert (a.status, a.progress_value) == (expected.status, expected.progress_value)
    assert a.indicator_id == "x"


def test_assess_indicator_honours_the_definitions_own_years() -> None:
    defn = definition(
        "y",
        ["1.1"],
        direction="decrease",
        target={"value": 20.0, "year": 2030, "baseline_year": 2021, "source": "t"},
    )
    catalog = make_catalog([defn], plan={"start_year": 2018, "target_year": 2035})
    frame = pd.DataFrame(
        {
            "region": ["K-5001"] * 3,
            "region_name": ["Trondheim"] * 3,
            "year": [2020, 2021, 2025],
            "value": [60.0, 50.0, 40.0],
            "status": [None] * 3,
        }
    )
    a = assess_indicator(defn, catalog, frame)
    assert (a.base_year, a.base_value, a.target_year, a.baseline_year) == (2021, 50.0, 2030, 2021)


def test_assess_all_marks_indicators_without_a_series_not_available(catalog: Catalog) -> None:
    result = assess_all(catalog, {})
    assert set(result) == {"a", "b", "c", "d", "e"}
    assert {a.status for a in result.values()} == {"not_available"}
