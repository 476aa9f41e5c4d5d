"""goals.toml for any plan: its own years, optional English titles, region levels, clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.plan.catalog import validate

PLAN = """
[plan]
name = "Bergensløftet"
subtitle = "Kommuneplanens samfunnsdel 2021–2030"
start_year = 2021
target_year = 2030
region = "K-4601"
region_name = "Bergen"
peers = ["K-0301"]
"""

GOALS = """
[[goals]]
id = "1"
title = "Et grønnere Bergen"
wording = "plan"
source = "https://example.org/plan"

[[goals.subgoals]]
id = "1.1"
title = "Mindre utslipp"
wording = "plan"
source = "https://example.org/plan"

[[goals.subgoals]]
id = "1.2"
title = "Mer natur"
wording = "working"
source = "https://example.org/plan"
"""


def _issues(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    goals = tmp_path / "goals.toml"
    goals.write_text(text, encoding="utf-8")
    definitions = tmp_path / "definitions"
    definitions.mkdir(exist_ok=True)  # no definitions: every problem reported is the plan's
    _, issues = validate(definitions, goals)
    return [(i.field, i.message) for i in issues]


def test_a_plan_without_english_titles_validates(tmp_path: Path) -> None:
    assert _issues(tmp_path, PLAN + GOALS) == []


@pytest.mark.parametrize(
    ("line", "field", "hint"),
    [
        ("start_year = 2021\n", "plan.start_year", "default base year"),
        ("target_year = 2030\n", "plan.target_year", "default year"),
    ],
)
def test_a_plan_must_state_its_years(tmp_path: Path, line: str, field: str, hint: str) -> None:
    # No silent 2020/2032: another plan's period would judge every indicator wrongly.
    issues = _issues(tmp_path, PLAN.replace(line, "") + GOALS)
    assert [f for f, _ in issues] == [field]
    assert "required" in issues[0][1] and hint in issues[0][1]


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [
        ('id = "1"\n', 'id = "A"\n', "goals[0].id", 'a goal\'s id is a whole number, as text: id = "1"'),
        ('id = "1.2"', 'id = "1-2"', "goals[0].subgoals[1].id", 'its own number, as text: id = "1.2"'),
    ],
)
def test_goal_ids_that_are_not_numbers_get_a_message_about_ids(tmp_path, old, new, field, fragment) -> None:
    issues = _issues(tmp_path, PLAN + GOALS.replace(old, new, 1))
    assert [f for f, _ in issues] == [field]
    assert fragment in issues[0][1] and "file name" not in issues[0][1]


def test_a_county_plan_with_the_county_codelist_validates(tmp_path: Path) -> None:
    county = PLAN.replace('region = "K-4601"', 'region = "F-50"\nregion_codelist = "agg_KommFylker"')
    assert _issues(tmp_path, county.replace('["K-0301"]', '["F-03", "0"]') + GOALS) == []


@pytest.mark.parametrize(
    ("plan", "field", "fragment"),
    [
        # K-50 would be asked for in agg_KommSummer and come back as nothing: refuse it, say what to write.
        (
            PLAN.replace('"K-4601"', '"K-50"'),
            "plan.region",
            'write F-50 with region_codelist = "agg_KommFylker"',
        ),
        (PLAN.replace('["K-0301"]', '["K-03"]'), "plan.peers", "K-03 is not a municipality code"),
        (PLAN.replace('"K-4601"', '"4601"'), "plan.region", "K- and four digits"),
        (PLAN.replace('"K-4601"', '"F-50"'), "plan", 'set region_codelist = "agg_KommFylker"'),
    ],
)
def test_region_codes_of_the_wrong_shape_are_refused_with_what_to_write(
    tmp_path, plan, field, fragment
) -> None:
    issues = _issues(tmp_path, plan + GOALS)
    assert [f for f, _ in issues] == [field]
    assert fragment in issues[0][1]


def test_an_own_method_folder_must_hold_the_norwegian_text(tmp_path: Path) -> None:
    plan = PLAN + 'method_dir = "metode"\n'
    assert [f for f, _ in _issues(tmp_path, plan + GOALS)] == ["plan.method_dir"]
    (tmp_path / "metode").mkdir()
    (tmp_path / "metode" / "method.nb.md").write_text("# Metode\n", encoding="utf-8")
    assert _issues(tmp_path, plan + GOALS) == []
