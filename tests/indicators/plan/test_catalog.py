"""The definition format's rules: every bad file is reported with its path and field."""

from __future__ import annotations

import os
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
    ("limit-infinite.toml", "limit", "finite number"),
    ("notes.yaml", "-", "a YAML file among the definitions"),
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


# --- hostile definitions folders (DESIGN §11) ---------------------------------------------------

VALID = """
name = "Gyldig"
subgoals = ["1.1"]
unit = "prosent"
direction = "increase"
[series.a]
table = "07849"
"""

CSV_SERIES = """
name = "Fra fil"
subgoals = ["1.1"]
unit = "tonn"
direction = "decrease"
[series.a]
csv = "{csv}"
"""


def _folder(root: Path, files: dict[str, str | bytes]) -> Path:
    folder = root / "definitions"
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    return folder


def _by_file(issues: list[Issue], folder: Path) -> dict[str, list[Issue]]:
    out: dict[str, list[Issue]] = {}
    for issue in issues:
        rel = os.path.relpath(os.path.abspath(issue.path), folder)
        out.setdefault(rel, []).append(issue)
    return out


@pytest.mark.parametrize(
    ("csv", "fragment"),
    [
        ("/proc/self/environ", "not an absolute path"),
        ("../../../../../../../../proc/self/environ", "'..' leads outside"),
        ("data/../../secret.csv", "'..' leads outside"),
        ("data/link.csv", "a link leads outside"),
        ("linked/secret.csv", "a link leads outside"),
        ("data/nul\\u0000.csv", "control characters"),
    ],
)
def test_csv_paths_and_links_cannot_leave_the_definitions_folder(tmp_path, csv, fragment):
    secret = tmp_path / "secret.csv"
    secret.write_text("SECRET_TOKEN=hunter2\nyear,value\n", encoding="utf-8")
    folder = _folder(tmp_path, {"fra-fil.toml": CSV_SERIES.format(csv=csv)})
    (folder / "data").mkdir()
    (folder / "data" / "link.csv").symlink_to(secret)
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)
    catalog, issues = validate(folder, GOALS)
    assert catalog is None
    series_issues = [i for i in issues if i.field == "series.a.csv"]
    assert len(series_issues) == 1 and fragment in series_issues[0].message, [str(i) for i in issues]
    assert "SECRET_TOKEN" not in "\n".join(str(i) for i in issues)


def test_a_csv_path_with_dotdot_that_stays_inside_is_fine(tmp_path):
    folder = _folder(
        tmp_path, {"fra-fil.toml": CSV_SERIES.format(csv="data/../data/x.csv"), "data/x.csv": "year,value\n"}
    )
    assert validate(folder, GOALS)[1] == []


def test_validate_never_prints_the_environment_through_a_csv_path(tmp_path):
    folder = _folder(tmp_path, {"fra-fil.toml": CSV_SERIES.format(csv="/proc/self/environ")})
    env = {**os.environ, "VERY_SECRET_MARKER": "s3cr3t-value-42"}
    result = subprocess.run(
        [sys.executable, "-m", "indicators", "validate", "--definitions", str(folder), "--goals", str(GOALS)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "s3cr3t-value-42" not in result.stdout + result.stderr
    assert result.stdout.count("\n") == 1 and ": series.a.csv: " in result.stdout


def test_a_definition_file_that_links_outside_is_reported_and_not_read(tmp_path):
    outside = tmp_path / "outside.toml"
    outside.write_text(VALID, encoding="utf-8")
    folder = _folder(tmp_path, {"gyldig.toml": VALID})
    (folder / "lenke.toml").symlink_to(outside)
    _, issues = validate(folder, GOALS)
    assert [(i.field, "leads outside" in i.message) for i in issues] == [("-", True)]
    assert issues[0].path.endswith("lenke.toml")


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("limit = inf", "limit"),
        ("limit = nan", "limit"),
        ("limit = -inf", "limit"),
        ("limit = " + "9" * 400, "limit"),
        ("limit = 1e400", "limit"),
        ('[target]\nvalue = inf\nsource = "x"', "target.value"),
        ('[target]\nvalue = nan\nsource = "x"', "target.value"),
        ("[target]\nvalue = -" + "1" * 400 + '\nsource = "x"', "target.value"),
        ('[target]\nkind = "maintain"\ntolerance = nan\nsource = "x"', "target.tolerance"),
        ('[target]\nkind = "maintain"\ntolerance = inf\nsource = "x"', "target.tolerance"),
        (
            '[target]\nvalue = 1\nsource = "x"\nmilestones = [{ year = 2025, value = nan }]',
            "target.milestones[0].value",
        ),
        (
            '[target]\nvalue = 1\nsource = "x"\nmilestones = [{ year = 2025, value = -inf }]',
            "target.milestones[0].value",
        ),
    ],
)
def test_numbers_must_be_finite(tmp_path, line, field):
    body = VALID.replace('direction = "increase"\n', f'direction = "increase"\n{line}\n', 1)
    # [target] opens a table: keep the series after it.
    folder = _folder(tmp_path, {"tall.toml": body})
    _, issues = validate(folder, GOALS)
    assert [i.field for i in issues] == [field], [str(i) for i in issues]
    assert "finite number" in issues[0].message or "less than or equal" in issues[0].message
    assert len(str(issues[0])) < 300  # the 400 digits are not echoed


@pytest.mark.parametrize("name", ["all", "datapackage"])
def test_ids_that_name_other_downloads_are_reserved(tmp_path, name):
    # /data/all.csv and /data/datapackage.json are the bulk download and the data package.
    _, issues = validate(_folder(tmp_path, {f"{name}.toml": VALID}), GOALS)
    assert [(i.field, "reserved" in i.message) for i in issues] == [("id", True)], [str(i) for i in issues]


def test_negative_and_fractional_numbers_stay_allowed(tmp_path):
    body = VALID.replace(
        'direction = "increase"\n',
        'direction = "increase"\nlimit = -3.5\n[target]\nvalue = -2\nsource = "x"\n',
    )
    assert validate(_folder(tmp_path, {"tall.toml": body}), GOALS)[1] == []


def test_malformed_files_each_give_one_line_and_every_other_problem_is_still_reported(tmp_path):
    files: dict[str, str | bytes] = {
        "dyp-liste.toml": VALID + "x = " + "[" * 5000 + "]" * 5000 + "\n",
        "dyp-tabell.toml": VALID + "x = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n",
        "dyp-nokkel.toml": VALID + "a." * 5000 + "b = 1\n",
        "mange-sifre.toml": VALID.replace('unit = "prosent"', "limit = " + "9" * 400 + '\nunit = "prosent"'),
        "for-mange-sifre.toml": VALID + "x = " + "9" * 5000 + "\n",
        "lang-linje.toml": VALID.replace('name = "Gyldig"', 'name = "' + "x" * 2_000_000 + '"'),
        "lang-header.toml": CSV_SERIES.format(csv="data/lang.csv"),
        "data/lang.csv": "year,value," + "y" * 131_072 + "\n2020,1\n",
        "bred-header.toml": CSV_SERIES.format(csv="data/bred.csv"),
        "data/bred.csv": "a," * 20_000 + "\n",
        "ikke-utf8.toml": b'name = "\xff"\n',
        "crlf.toml": VALID.replace("\n", "\r\n"),  # accepted
        "bom.toml": ("\ufeff" + VALID).encode("utf-8"),  # accepted: Notepad writes one
        "ny\nlinje.toml": VALID,
        "retur\r.toml": VALID,
        "unknown-key.toml": '"ukjent\\nnøkkel" = 1\n"ny\\u2028linje" = "\\r\\n"\n' + VALID,
        "gyldig.toml": VALID,
    }
    folder = _folder(tmp_path, files)
    catalog, issues = validate(folder, GOALS)
    assert catalog is None
    by_file = _by_file(issues, folder)
    expected_files = {
        "dyp-liste.toml": "nested",
        "dyp-tabell.toml": "nested",
        "dyp-nokkel.toml": "nested",
        "mange-sifre.toml": "finite number",
        "for-mange-sifre.toml": "thousands of digits",
        "lang-linje.toml": "larger than",
        "lang-header.toml": "longer than 65536 bytes",
        "bred-header.toml": "missing year, value",
        "ikke-utf8.toml": "not UTF-8",
        "ny\\nlinje.toml": "lowercase ASCII",
        "retur\\r.toml": "lowercase ASCII",
    }
    got = {name: [i.message for i in found] for name, found in by_file.items()}
    assert set(got) - {"unknown-key.toml"} == set(expected_files), got
    for name, fragment in expected_files.items():
        assert len(got[name]) == 1 and fragment in got[name][0], (name, got[name])
    assert len(got["unknown-key.toml"]) == 2
    # Printed one per line: nothing forges a line, nothing is a flood.
    lines = [str(i) for i in issues]
    assert all("\n" not in line and "\r" not in line and len(line) < 1_500 for line in lines)
    assert any(line.startswith(f"{folder}/ny\\nlinje.toml: id: ") for line in lines), lines


def test_validate_cli_keeps_one_line_per_problem_for_a_newline_in_a_file_name(tmp_path):
    folder = _folder(tmp_path, {"ny\nlinje: -: forged.toml": VALID, "gyldig.toml": VALID})
    result = _cli("validate", "--definitions", str(folder), "--goals", str(GOALS))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and "ny\\nlinje: -: forged.toml: id: " in lines[0]


def test_files_that_are_not_toml_are_errors_but_data_files_are_allowed(tmp_path):
    folder = _folder(
        tmp_path,
        {
            "gyldig.toml": VALID,
            "elbil.yaml": "name: Elbil\n",
            "elbil2.yml": "name: Elbil\n",
            "sub/elbil3.json": "{}",
            "Stor.TOML": VALID,
            "blandet.Toml": VALID,
            "data/x.csv": "year,value\n",
            "data/PROVENANCE.md": "# Kilder\n",
            "indicator.schema.json": "{}",  # the editor schema of indicators/README.md
        },
    )
    _, issues = validate(folder, GOALS)
    got = {os.path.relpath(i.path, folder): i.message for i in issues}
    assert set(got) == {"elbil.yaml", "elbil2.yml", "sub/elbil3.json", "Stor.TOML", "blandet.Toml"}, got
    assert "YAML" in got["elbil.yaml"] and "JSON" in got["sub/elbil3.json"]
    assert "rename it to Stor.toml" in got["Stor.TOML"]
