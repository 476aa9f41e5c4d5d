"""The definition format's rules: every bad file is reported with its path and field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from indicators.errors import CatalogError
from indicators.plan.catalog import Issue, load_catalog, validate

REPO = Path(__file__).resolve().parents[3]
GOALS = REPO / "indicators" / "goals.toml"
PROBLEMS = REPO / "tests" / "fixtures" / "definitions-with-problems"
GOOD = REPO / "tests" / "fixtures" / "definitions-good"

# (file relative to PROBLEMS, field, a fragment of the message): one row per rule of DESIGN §4.
EXPECTED = [
    ("unknown-key.toml", "subgoal", "unknown key `subgoal`; did you mean `subgoals`?"),
    ("unknown-key.toml", "subgoals", "required"),
    ("wrong-type.toml", "decimals", "must be a whole number"),
    ("unknown-subgoal.toml", "subgoals[1]", "unknown sub-goal '9.9'"),
    ("no-direction.toml", "direction", "required"),
    ("bad-direction.toml", "direction", "'increase' or 'decrease'"),
    ("target-without-source.toml", "target.source", "required"),
    ("target-without-value.toml", "target.value", "needs a value"),
    ("maintain-with-value.toml", "target.value", "remove `value`"),
    ("table-four-digits.toml", "series.a.table", "five digits"),
    ("table-as-number.toml", "series.a.table", 'table = "07849"'),
    ("code-as-number.toml", "series.a.select", 'Region = "301"'),
    ("csv-missing.toml", "series.utslipp.csv", "file not found"),
    ("csv-wrong-columns.toml", "series.utslipp.csv", "missing year, value"),
    ("formula-unknown-name.toml", "formula", "'b' is not a series"),
    ("two-series-no-formula.toml", "formula", "formula is required"),
    ("unused-series.toml", "series.b", "not used in the formula"),
    ("formula-import.toml", "formula", "function call"),
    ("formula-power.toml", "formula", "'**' is not allowed"),
    ("formula-attribute.toml", "formula", "attribute access"),
    ("formula-lambda.toml", "formula", "not allowed"),
    ("both-table-and-csv.toml", "series.a", "exactly one of `table`"),
    ("has-id-key.toml", "id", "its file name"),
    ("Bad_Name.toml", "id", "lowercase ASCII"),
    ("toml-syntax.toml", "line 3, column 1", "TOML syntax error"),
    ("empty-name.toml", "name", "must not be empty"),
    ("sub/duplicate.toml", "id", "already used by"),
    ("change-without-value.toml", "target.value", "needs the per cent change against baseline_year"),
    ("change-below-zero.toml", "target.value", "would go below zero"),
    ("milestone-outside.toml", "target.milestones[0].year", "must lie after the baseline year 2009"),
    ("milestone-outside.toml", "target.milestones[2].year", "two milestones for 2025"),
    ("milestone-maintain.toml", "target.milestones", "remove `milestones`"),
    ("milestone-not-a-number.toml", "target.milestones[0].value", "must be a number (e.g. 45 or 45.5)"),
    ("milestone-infinite.toml", "target.milestones[0].value", "finite number"),
]


@pytest.fixture(scope="module")
def problems() -> list[Issue]:
    catalog, issues = validate(PROBLEMS, GOALS)
    assert catalog is None
    return issues


def _rel(issue: Issue) -> str:
    return Path(issue.path).resolve().relative_to(PROBLEMS).as_posix()


@pytest.mark.parametrize(("file", "field", "fragment"), EXPECTED, ids=[f"{r[0]}:{r[1]}" for r in EXPECTED])
def test_each_bad_definition_is_reported_with_path_and_field(problems, file, field, fragment):
    matching = [i for i in problems if _rel(i) == file and i.field == field]
    assert matching, f"no issue for {file} {field}; got {[str(i) for i in problems if _rel(i) == file]}"
    assert any(fragment in i.message for i in matching), [i.message for i in matching]


def test_every_problem_file_is_reported_and_nothing_else(problems):
    reported = {_rel(i) for i in problems}
    expected_files = {row[0] for row in EXPECTED}
    assert reported == expected_files
    assert len(problems) == len(EXPECTED)


def test_hostile_formulas_are_never_executed(tmp_path):
    marker = Path("/tmp/trondheimsloftet-pwned")
    marker.unlink(missing_ok=True)
    validate(PROBLEMS, GOALS)
    assert not marker.exists()


def test_codes_with_leading_zeros_and_country_code_no_stay_strings():
    catalog = load_catalog(GOOD, GOALS)
    series = catalog.indicators["koder-som-tekst"].series["a"]
    assert series.select == {"Region": ["0301", "5001"], "Land": "NO", "ContentsCode": "Personer1"}
    assert catalog.indicators["koder-som-tekst"].peers == ["K-0301"]


def test_load_catalog_raises_with_every_issue():
    with pytest.raises(CatalogError) as info:
        load_catalog(PROBLEMS, GOALS)
    assert len(info.value.issues) == len(EXPECTED)


def test_catalog_defaults_come_from_the_plan():
    catalog = load_catalog(GOOD, GOALS)
    plain = catalog.indicators["koder-som-tekst"]
    assert catalog.baseline_year(plain) == 2020
    assert catalog.target_year(plain) == 2032
    assert catalog.peers_for(plain) == ["K-0301"]
    with_target = catalog.indicators["med-maal"]
    assert catalog.target_year(with_target) == 2030
    assert catalog.baseline_year(with_target) == 2019
    assert catalog.peers_for(with_target) == ["K-0301", "K-4601", "K-1103"]
    assert [d.id for d in catalog.indicators_for("1.4")] == ["koder-som-tekst", "med-maal"]
    assert catalog.goal_of("1.4").id == "1"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args], capture_output=True, text=True, cwd=REPO, timeout=60
    )


def test_validate_cli_prints_one_line_per_problem_and_exits_1():
    result = _cli("validate", "--definitions", str(PROBLEMS), "--goals", str(GOALS))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(EXPECTED)
    assert all(line.count(": ") >= 2 for line in lines)
    assert (
        "tests/fixtures/definitions-with-problems/wrong-type.toml: decimals: must be a whole number"
        in result.stdout
    )


def test_validate_cli_reads_the_environment(monkeypatch):
    env = {"INDICATOR_DIR": str(PROBLEMS), "GOALS_FILE": str(GOALS), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "indicators", "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1


def test_the_repository_definitions_are_valid():
    result = _cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: 3 goals, 15 sub-goals")


def test_bad_goals_file_is_reported(tmp_path):
    goals = tmp_path / "goals.toml"
    text = GOALS.read_text(encoding="utf-8")
    goals.write_text(text.replace('\nwording = "plan"', '\nwording = "maybe"', 1), encoding="utf-8")
    _, issues = validate(GOOD, goals)
    assert [(i.field, "'plan' or 'working'" in i.message) for i in issues] == [("goals[0].wording", True)]


def test_a_contact_that_is_no_mail_address_is_reported(tmp_path):
    goals = tmp_path / "goals.toml"
    text = GOALS.read_text(encoding="utf-8")
    goals.write_text(text.replace('contact = "postmottak@', 'contact = "ring oss ', 1), encoding="utf-8")
    _, issues = validate(GOOD, goals)
    assert [i.field for i in issues] == ["plan.contact"]


def test_schema_command_prints_a_json_schema_without_id():
    import json

    result = _cli("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert "id" not in schema["properties"]
    assert {"name", "subgoals", "unit", "direction", "series"} <= set(schema["required"])
    assert schema["additionalProperties"] is False
