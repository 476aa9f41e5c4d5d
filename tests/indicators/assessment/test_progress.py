"""The progress method of DESIGN §7, one worked example per branch.

Expected figures are computed here from the published formulas (not copied from the engine's
output), so a change to the engine's arithmetic shows up as a failure.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.assessment.progress import (
    NO_BASE,
    NO_DATA,
    OPPOSITE_SIGNS,
    TOO_FEW_YEARS,
    assess,
    direction_score,
    direction_status,
    limit_coefficient,
    projection,
    status_from_score,
    target_path,
    target_score,
    target_status,
    year_target_reached,
)
from indicators.errors import AssessmentError


def series(points: dict[int, float]) -> pd.Series:
    return pd.Series(points, dtype="float64")


def growth(a: float, b: float, ta: int, tb: int) -> float:
    """CAGR as DESIGN §7 writes it."""
    return (a / b) ** (1 / (ta - tb)) - 1


def score_for_ratio(p: float) -> float:
    return min(7.1429 * p - 4.2857, 5) if p >= 0.6 else max(4.1667 * p - 2.5, -5)


def score_for_rate(p: float, c: float = 1.0) -> float:
    if p < 0:
        return max(125 * p - 2.5, -5)
    if c == 0:
        return 5.0
    if p >= 0.015 * c:
        return min(500 * p / c - 5, 5)
    if p >= 0.005 * c:
        return 250 * p / c - 1.25
    return 500 * p / c - 2.5


def current_for_ratio(
    p: float, base: float, target: float, t: int = 2025, t0: int = 2020, T: int = 2032
) -> float:
    """The latest value that gives the ratio ``p`` (observed / required growth)."""
    required = growth(target, base, T, t0)
    return base * (1 + p * abs(required) * (1 if target > base else -1)) ** (t - t0)


# --- with a target value ------------------------------------------------------------------------


def test_target_achieved_when_an_increase_indicator_reaches_its_target() -> None:
    a = assess(series({2020: 20.1, 2023: 48.0, 2025: 61.0}), direction="increase", target_value=60.0)
    assert (a.method, a.status, a.score) == ("target", "target_achieved", 5.0)
    assert (a.base_year, a.base_value, a.current_year, a.current_value) == (2020, 20.1, 2025, 61.0)


def test_target_achieved_when_a_decrease_indicator_gets_down_to_its_target() -> None:
    a = assess(series({2020: 100.0, 2025: 19.5}), direction="decrease", target_value=20.0, target_year=2030)
    assert (a.status, a.score) == ("target_achieved", 5.0)


def test_target_reached_exactly_counts_as_achieved() -> None:
    assert assess(series({2020: 30.0, 2024: 60.0}), direction="increase", target_value=60.0).status == (
        "target_achieved"
    )
    assert assess(series({2020: 30.0, 2024: 20.0}), direction="decrease", target_value=20.0).status == (
        "target_achieved"
    )


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (1.2, "substantial_progress"),
        (0.8, "moderate_progress"),
        (0.3, "limited_progress"),
        (-0.4, "deterioration"),
    ],
)
@pytest.mark.parametrize(
    ("base", "target", "direction"), [(20.0, 60.0, "increase"), (100.0, 20.0, "decrease")]
)
def test_target_ratio_bands(ratio: float, status: str, base: float, target: float, direction: str) -> None:
    current = current_for_ratio(ratio, base, target)
    a = assess(
        series({2020: base, 2022: (base + current) / 2, 2025: current}),
        direction=direction,
        target_value=target,
    )
    d = 1 if direction == "increase" else -1
    expected = d * growth(current, base, 2025, 2020) / abs(growth(target, base, 2032, 2020))
    assert a.progress_value == pytest.approx(expected, rel=1e-12)
    assert a.progress_value == pytest.approx(ratio, rel=1e-9)
    assert a.status == status
    assert a.score == pytest.approx(score_for_ratio(expected), abs=1e-4)
    assert a.projected_value == pytest.approx(current * (1 + growth(current, base, 2025, 2020)) ** 7)


def test_the_design_example_shape() -> None:
    """20,1 % in 2020 → 41,7 % in 2025, target 60 % in 2032: the ratio and projection as DESIGN §7."""
    a = assess(series({2020: 20.1, 2025: 41.7}), direction="increase", limit=100, target_value=60.0)
    g = growth(41.7, 20.1, 2025, 2020)
    p = g / abs(growth(60.0, 20.1, 2032, 2020))
    assert a.progress_value == pytest.approx(p)
    assert a.status == "substantial_progress"
    assert a.score == 5.0  # p > 1.3: the score is capped
    # The projection would pass 100 %; a share stops at its natural limit.
    assert 41.7 * (1 + g) ** 7 > 100
    assert a.projected_value == 100.0


@pytest.mark.parametrize(
    ("p", "status"),
    [
        (0.95, "substantial_progress"),
        (math.nextafter(0.95, 0), "moderate_progress"),
        (0.6, "moderate_progress"),
        (math.nextafter(0.6, 0), "limited_progress"),
        (0.0, "limited_progress"),
        (-1e-12, "deterioration"),
    ],
)
def test_target_thresholds_and_their_boundaries(p: float, status: str) -> None:
    assert target_status(p) == status


@pytest.mark.parametrize(
    ("p", "score"), [(1.3, 5.0), (2.0, 5.0), (0.95, 2.5), (0.6, 0.0), (0.0, -2.5), (-0.6, -5.0), (-3.0, -5.0)]
)
def test_target_score_anchor_points(p: float, score: float) -> None:
    assert target_score(p) == pytest.approx(score, abs=1e-3)


def test_score_stays_in_its_band_right_below_a_threshold() -> None:
    """Ratio 0.949995 is 'moderate'; the rounded constants would score it 2.50002 ('on track')."""
    base, target = 20.0, 60.0
    current = current_for_ratio(0.949995, base, target)
    a = assess(series({2020: base, 2025: current}), direction="increase", target_value=target)
    assert a.status == "moderate_progress"
    assert score_for_ratio(a.progress_value) >= 2.5
    assert a.score < 2.5
    assert status_from_score(a.score) == a.status


def test_target_equal_to_base_and_moving_away_is_deterioration() -> None:
    a = assess(series({2020: 50.0, 2025: 45.0}), direction="increase", target_value=50.0)
    assert (a.status, a.score) == ("deterioration", -5.0)


def test_target_year_other_than_2032() -> None:
    values = series({2020: 50.0, 2025: 40.0})
    a = assess(values, direction="decrease", target_value=20.0, target_year=2030)
    g = growth(40.0, 50.0, 2025, 2020)
    p = -g / abs(growth(20.0, 50.0, 2030, 2020))
    assert a.target_year == 2030
    assert a.progress_value == pytest.approx(p)
    assert a.status == target_status(p)
    assert a.projected_value == pytest.approx(40.0 * (1 + g) ** 5)
    later = assess(values, direction="decrease", target_value=20.0, target_year=2032)
    assert later.progress_value == pytest.approx(-g / abs(growth(20.0, 50.0, 2032, 2020)))
    assert later.progress_value > a.progress_value  # more time, less growth needed


def test_a_later_baseline_year_is_used_when_given() -> None:
    a = assess(
        series({2019: 10.0, 2020: 11.0, 2022: 12.0, 2025: 14.0}), direction="increase", baseline_year=2022
    )
    assert (a.base_year, a.base_value, a.baseline_year) == (2022, 12.0, 2022)
    assert a.progress_value == pytest.approx(growth(14.0, 12.0, 2025, 2022))


# --- zero, signs, missing years ------------------------------------------------------------------


def test_zero_base_is_replaced_by_0_001() -> None:
    a = assess(series({2020: 0.0, 2025: 5.0}), direction="increase")
    assert a.base_value == 0.0  # reported as it is
    assert a.progress_value == pytest.approx(growth(5.0, 0.001, 2025, 2020))
    assert a.status == "substantial_progress"


def test_zero_target_is_replaced_by_0_001() -> None:
    a = assess(series({2020: 100.0, 2025: 50.0}), direction="decrease", target_value=0.0, target_year=2030)
    p = -growth(50.0, 100.0, 2025, 2020) / abs(growth(0.001, 100.0, 2030, 2020))
    assert a.progress_value == pytest.approx(p)
    assert a.status == target_status(p) == "limited_progress"
    assert a.target_value == 0.0


def test_a_series_that_stays_at_zero_has_not_moved() -> None:
    a = assess(series({2020: 0.0, 2025: 0.0}), direction="decrease")
    assert a.growth_rate == 0.0
    assert a.status == "limited_progress"  # 0 ≥ 0: no deterioration, no progress


def test_opposite_signs_are_not_available_but_show_the_latest_value() -> None:
    a = assess(series({2020: -5.0, 2022: -1.0, 2024: 3.0}), direction="increase")
    assert (a.status, a.score, a.reason) == ("not_available", None, OPPOSITE_SIGNS)
    assert (a.current_year, a.current_value) == (2024, 3.0)
    assert a.projected_value is None


def test_negative_series_flips_the_sign() -> None:
    """−10 → −5 is an increase; the growth of the magnitude is negative, the sign factor fixes it."""
    a = assess(series({2020: -10.0, 2025: -5.0}), direction="increase")
    assert a.progress_value == pytest.approx(-growth(-5.0, -10.0, 2025, 2020))
    assert a.progress_value > 0.015
    assert a.status == "substantial_progress"


def test_missing_base_year_uses_the_first_later_year() -> None:
    a = assess(series({2018: 9.0, 2019: 10.0, 2020: math.nan, 2021: 12.0, 2024: 15.0}), direction="increase")
    assert (a.base_year, a.base_value) == (2021, 12.0)
    assert a.progress_value == pytest.approx(growth(15.0, 12.0, 2024, 2021))


def test_fewer_than_two_years_between_base_and_current_is_not_available() -> None:
    a = assess(series({2020: 10.0, 2021: 11.0}), direction="increase")
    assert (a.status, a.reason) == ("not_available", TOO_FEW_YEARS)
    assert (a.current_year, a.current_value) == (2021, 11.0)
    two_apart = assess(series({2020: 10.0, 2022: 11.0}), direction="increase")
    assert two_apart.assessed
    assert two_apart.progress_value == pytest.approx(growth(11.0, 10.0, 2022, 2020))


def test_one_data_point_is_shown_but_not_assessed() -> None:
    a = assess(series({2025: 41.7}), direction="increase", target_value=60.0)
    assert (a.status, a.current_year, a.current_value, a.base_year) == ("not_available", 2025, 41.7, 2025)


def test_no_data_at_all() -> None:
    for values in (series({}), series({2020: math.nan, 2021: math.nan})):
        a = assess(values, direction="increase")
        assert (a.status, a.reason, a.current_year, a.current_value) == ("not_available", NO_DATA, None, None)


def test_data_only_before_the_base_year() -> None:
    a = assess(series({2015: 3.0, 2018: 4.0}), direction="increase")
    assert (a.status, a.reason, a.current_year, a.base_year) == ("not_available", NO_BASE, 2018, None)


# --- direction only and the limit coefficient ---------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "status"),
    [
        (0.03, "substantial_progress"),
        (0.01, "moderate_progress"),
        (0.002, "limited_progress"),
        (-0.01, "deterioration"),
    ],
)
def test_direction_bands(rate: float, status: str) -> None:
    current = 100 * (1 + rate) ** 5
    a = assess(series({2020: 100.0, 2025: current}), direction="increase")
    assert a.method == "direction"
    assert a.progress_value == pytest.approx(rate)
    assert a.status == status
    assert a.score == pytest.approx(score_for_rate(rate), abs=1e-4)


def test_direction_decrease_rewards_a_fall() -> None:
    a = assess(series({2020: 100.0, 2025: 100 * 0.98**5}), direction="decrease")
    assert a.progress_value == pytest.approx(0.02)
    assert (a.status, a.score) == ("substantial_progress", 5.0)


@pytest.mark.parametrize(
    ("p", "c", "status"),
    [
        (0.015, 1.0, "substantial_progress"),
        (math.nextafter(0.015, 0), 1.0, "moderate_progress"),
        (0.005, 1.0, "moderate_progress"),
        (math.nextafter(0.005, 0), 1.0, "limited_progress"),
        (0.0, 1.0, "limited_progress"),
        (-1e-12, 1.0, "deterioration"),
        (0.0075, 0.5, "substantial_progress"),
        (0.0074, 0.5, "moderate_progress"),
        (0.0025, 0.5, "moderate_progress"),
        (0.0024, 0.5, "limited_progress"),
        (0.0, 0.0, "substantial_progress"),
    ],
)
def test_direction_thresholds_scale_with_the_limit_coefficient(p: float, c: float, status: str) -> None:
    assert direction_status(p, c) == status


@pytest.mark.parametrize(
    ("p", "c", "score"),
    [
        (0.02, 1, 5.0),
        (0.015, 1, 2.5),
        (0.005, 1, 0.0),
        (0.0, 1, -2.5),
        (-0.02, 1, -5.0),
        (0.01, 0.5, 5.0),
        (0.0, 0, 5.0),
    ],
)
def test_direction_score_anchor_points(p: float, c: float, score: float) -> None:
    assert direction_score(p, c) == pytest.approx(score)


def test_limit_coefficient_branches() -> None:
    # |base| ≤ |limit| (a maximum, e.g. 100 %): 1 − (base/limit)^4.44
    assert limit_coefficient(80.0, 100.0, "increase") == pytest.approx(1 - 0.8**4.44)
    # limit < |base| < 2·limit (a minimum): 1 − ((2·limit − base)/limit)^4.44
    assert limit_coefficient(70.0, 50.0, "decrease") == pytest.approx(1 - (30 / 50) ** 4.44)
    # |base| ≥ 2·limit: no scaling
    assert limit_coefficient(150.0, 50.0, "decrease") == 1.0
    # at the limit: C = 0
    assert limit_coefficient(100.0, 100.0, "increase") == 0.0
    # no limit, or a limit that is not in the desired direction (Open SDG ignores it)
    assert limit_coefficient(80.0, None, "increase") == 1.0
    assert limit_coefficient(80.0, 100.0, "decrease") == 1.0
    assert limit_coefficient(70.0, 50.0, "increase") == 1.0


def test_limit_near_100_percent_lowers_the_bar() -> None:
    values = series({2020: 90.0, 2025: 92.0})
    rate = growth(92.0, 90.0, 2025, 2020)
    c = 1 - 0.9**4.44
    with_limit = assess(values, direction="increase", limit=100)
    without = assess(values, direction="increase")
    assert with_limit.limit_coefficient == pytest.approx(c)
    assert without.status == direction_status(rate) == "limited_progress"
    assert with_limit.status == "moderate_progress"
    assert with_limit.score == pytest.approx(250 * rate / c - 1.25, abs=1e-4)


def test_holding_at_the_limit_is_on_track() -> None:
    a = assess(series({2020: 100.0, 2025: 100.0}), direction="increase", limit=100)
    assert (a.limit_coefficient, a.status, a.score) == (0.0, "substantial_progress", 5.0)
    fell = assess(series({2020: 100.0, 2025: 99.0}), direction="increase", limit=100)
    rate = growth(99.0, 100.0, 2025, 2020)
    assert fell.status == "deterioration"
    assert fell.score == pytest.approx(max(125 * rate - 2.5, -5), abs=1e-4)


# --- maintain ----------------------------------------------------------------------------------


def test_maintain_inside_the_tolerance_is_achieved() -> None:
    a = assess(series({2020: 100.0, 2025: 99.5}), direction="increase", target_kind="maintain")
    assert (a.method, a.status, a.score, a.target_value) == ("maintain", "target_achieved", 5.0, 100.0)
    edge = assess(
        series({2020: 100.0, 2025: 99.0}), direction="increase", target_kind="maintain", tolerance=0.01
    )
    assert edge.status == "target_achieved"
    up = assess(series({2020: 100.0, 2025: 100.9}), direction="decrease", target_kind="maintain")
    assert up.status == "target_achieved"


def test_maintain_outside_the_tolerance_is_assessed_by_direction() -> None:
    a = assess(series({2020: 100.0, 2025: 98.0}), direction="increase", target_kind="maintain")
    rate = growth(98.0, 100.0, 2025, 2020)
    assert a.method == "maintain"
    assert a.progress_value == pytest.approx(rate)
    assert a.status == direction_status(rate) == "deterioration"
    assert a.score == pytest.approx(max(125 * rate - 2.5, -5), abs=1e-4)
    wider = assess(
        series({2020: 100.0, 2025: 98.0}), direction="increase", target_kind="maintain", tolerance=0.05
    )
    assert wider.status == "target_achieved"
    worse = assess(series({2020: 100.0, 2025: 102.0}), direction="decrease", target_kind="maintain")
    assert (worse.method, worse.status) == ("maintain", "deterioration")


def test_maintain_and_better_than_base_is_achieved() -> None:
    a = assess(series({2020: 100.0, 2025: 130.0}), direction="increase", target_kind="maintain")
    assert a.status == "target_achieved"


# --- the UN ratio and borderline ---------------------------------------------------------------


def _with_rates(required: float, observed: float) -> tuple[pd.Series, float]:
    base = 100.0
    target = base * (1 + required) ** 12  # 2020 → 2032
    return series({2020: base, 2025: base * (1 + observed) ** 5}), target


def test_borderline_when_statcan_says_on_track_and_the_un_ratio_does_not() -> None:
    values, target = _with_rates(0.10, 0.096)  # ratio 0.96: just on track
    a = assess(values, direction="increase", target_value=target)
    projected = values[2025] * 1.096**7
    un = (projected - 100.0) / (target - 100.0)
    assert a.status == "substantial_progress"
    assert a.un_ratio == pytest.approx(un)
    assert un < 0.95
    assert a.borderline is True


def test_borderline_when_the_un_ratio_says_on_track_and_statcan_does_not() -> None:
    values, target = _with_rates(-0.20, -0.18)  # ratio 0.9: too slow; the projection nearly arrives
    a = assess(values, direction="decrease", target_value=target)
    projected = values[2025] * 0.82**7
    un = (projected - 100.0) / (target - 100.0)
    assert a.status == "moderate_progress"
    assert a.un_ratio == pytest.approx(un)
    assert un >= 0.95
    assert a.borderline is True


def test_not_borderline_when_the_methods_agree() -> None:
    values, target = _with_rates(0.05, 0.01)
    a = assess(values, direction="increase", target_value=target)
    assert a.status == "limited_progress"
    assert a.un_ratio is not None and a.un_ratio < 0.95
    assert a.borderline is False
    direction_only = assess(values, direction="increase")
    assert (direction_only.un_ratio, direction_only.borderline) == (None, False)


def test_no_un_ratio_when_the_base_already_met_the_target() -> None:
    a = assess(series({2020: 70.0, 2025: 55.0}), direction="increase", target_value=60.0)
    assert a.status == "deterioration"
    assert a.un_ratio is None


# --- chart series ------------------------------------------------------------------------------


def test_projection_runs_from_the_latest_year_to_the_target_year() -> None:
    a = assess(series({2020: 50.0, 2025: 40.0}), direction="decrease", target_value=20.0, target_year=2030)
    points = projection(a)
    g = growth(40.0, 50.0, 2025, 2020)
    assert [year for year, _ in points] == list(range(2025, 2031))
    assert points[0] == (2025, 40.0)
    assert points[3][1] == pytest.approx(40.0 * (1 + g) ** 3)
    assert points[-1][1] == pytest.approx(a.projected_value)


def test_projection_stops_at_the_natural_limit() -> None:
    a = assess(series({2020: 50.0, 2025: 90.0}), direction="increase", limit=100)
    assert max(value for _, value in projection(a)) == 100.0


def test_target_path_is_a_straight_line_from_base_to_target() -> None:
    a = assess(series({2020: 20.0, 2025: 30.0}), direction="increase", target_value=56.0)
    path = target_path(a)
    assert path[0] == (2020, 20.0)
    assert path[-1] == (2032, pytest.approx(56.0))
    assert path[6] == (2026, pytest.approx(20.0 + 6 * 3.0))
    assert target_path(assess(series({2020: 20.0, 2025: 30.0}), direction="increase")) == []
    assert projection(assess(series({2025: 30.0}), direction="increase")) == []


def test_year_the_target_is_reached() -> None:
    a = assess(series({2020: 20.0, 2025: 40.0}), direction="increase", target_value=60.0)
    g = growth(40.0, 20.0, 2025, 2020)
    assert year_target_reached(a) == 2025 + math.ceil(math.log(60 / 40) / math.log(1 + g))
    away = assess(series({2020: 20.0, 2025: 18.0}), direction="increase", target_value=60.0)
    assert year_target_reached(away) is None


# --- misuse ------------------------------------------------------------------------------------


def test_unknown_direction_and_kind_are_clear_errors() -> None:
    with pytest.raises(AssessmentError, match="unknown direction 'up'"):
        assess(series({2020: 1.0}), direction="up")
    with pytest.raises(AssessmentError, match="needs a value"):
        assess(series({2020: 1.0}), direction="increase", target_kind="value", indicator_id="x")


# --- kind = "change" and milestones (worked examples, figures computed by hand) -------------------


def test_a_change_target_is_the_base_years_value_changed_by_the_per_cent() -> None:
    # 1 000 in 2009, 800 in 2021; −50 % by 2030 → 500. Observed growth (0.8)^(1/12) − 1 = −1.84235 %,
    # required (0.5)^(1/21) − 1 = −3.24682 %: ratio 0.56743, below 0.6 → limited progress.
    values = series({2009: 1000.0, 2020: 880.0, 2021: 800.0})
    a = assess(
        values,
        direction="decrease",
        target_kind="change",
        target_value=-50,
        baseline_year=2009,
        target_year=2030,
        milestones=[(2020, -10), (2025, -40)],
    )
    assert a.method == "target" and a.target_kind == "change" and a.target_change == -50
    assert (a.base_year, a.base_value, a.target_value) == (2009, 1000.0, 500.0)
    assert a.progress_value == pytest.approx(0.56743, abs=1e-5)
    assert a.status == "limited_progress"
    reached, ahead = a.milestones
    # 2020: −10 % → 900; 880 is below it (lower is better): met. Nothing to project for a past year.
    assert (reached.year, reached.value, reached.met, reached.projected, reached.change) == (
        2020,
        900.0,
        True,
        None,
        -10,
    )
    # 2025: −40 % → 600; no data yet; the projection from 2021 at −1.84235 % a year gives 742.65.
    assert (ahead.year, ahead.value, ahead.met) == (2025, 600.0, None)
    assert ahead.projected == pytest.approx(742.65, abs=0.01)


def test_a_milestone_with_data_that_misses_its_level_is_missed() -> None:
    a = assess(
        series({2020: 20.0, 2025: 47.0, 2026: 50.0}),
        direction="increase",
        target_value=90.0,
        target_year=2030,
        milestones=[(2025, 48.0), (2027, 75.0)],
    )
    missed, ahead = a.milestones
    assert (missed.value, missed.met, missed.change) == (48.0, False, None)
    # (50/20)^(1/6) − 1 = 16.4993 % a year, one year on from 2026: 58.25.
    assert ahead.met is None and ahead.projected == pytest.approx(58.2497, abs=1e-3)


def test_a_change_target_without_a_value_in_its_baseline_year_is_not_available() -> None:
    # "−80 % against 2009" means nothing without 2009: a later year would move the goal.
    a = assess(
        series({2010: 600_000.0, 2022: 485_000.0}),
        direction="decrease",
        target_kind="change",
        target_value=-80,
        baseline_year=2009,
        target_year=2030,
        milestones=[(2025, -40)],
    )
    assert a.status == "not_available" and a.reason == "no_change_base"
    assert a.current_value == 485_000.0 and a.target_value is None
    assert a.milestones[0].value is None and a.milestones[0].met is None


def test_a_change_target_needs_its_per_cent() -> None:
    with pytest.raises(AssessmentError, match="kind 'change' needs a value"):
        assess(series({2009: 1.0}), direction="decrease", target_kind="change")
