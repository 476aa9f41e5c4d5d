"""`python -m indicators status`: the JSON of DESIGN §6 and the table for a terminal."""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from indicators.assessment.progress import assess
from indicators.config import Settings
from indicators.formatting import NBSP
from indicators.report import build_report, command, render_table
from indicators.store.snapshot import Snapshot
from tests.indicators.assessment.test_progress_rollup import definition, make_catalog

REPO = Path(__file__).resolve().parents[2]
AS_OF = datetime(2026, 3, 5, 7, 0, tzinfo=UTC)

# DESIGN §6, key for key; extra keys are allowed, missing or renamed ones never.
TOP_KEYS = {"plan", "data_as_of", "demo", "goals"}
GROUP_KEYS = {"id", "title", "status", "score", "coverage"}
INDICATOR_KEYS = {
    "id",
    "name",
    "unit",
    "status",
    "score",
    "method",
    "base_year",
    "base_value",
    "current_year",
    "current_value",
    "target_value",
    "target_year",
    "progress_value",
    "projected_value",
    "table",
    "updated",
}


def frame(points: dict[int, float], region: str = "K-5001") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": [region] * len(points),
            "region_name": ["Trondheim" if region == "K-5001" else "Oslo"] * len(points),
            "year": list(points),
            "value": [float(v) for v in points.values()],
            "status": [None] * len(points),
        }
    )


def snapshot(
    demo: bool = False, data_as_of: datetime | None = AS_OF, checked: datetime | None = None
) -> Snapshot:
    catalog = make_catalog(
        [
            definition(
                "elbil-andel",
                ["1.1", "1.2"],  # under two sub-goals
                limit=100,
                target={"value": 60.0, "source": "Klimaløftene"},
                series={"el": {"table": "07849"}, "alle": {"table": "07849"}},
                formula="100 * el / alle",
            ),
            definition(
                "utslipp",
                ["1.1"],
                unit="tonn",
                unit_en="tonnes",
                decimals=0,
                direction="decrease",
                series={"u": {"csv": "data/utslipp.csv"}},
            ),
            definition("folketall", ["2.1"], unit="personer", decimals=0, series={"a": {"table": "07459"}}),
            definition(
                "ny",
                ["1.2"],
                name="Et svært langt indikatornavn som ikke får plass i en smal terminal uten å kortes ned",
                series={"a": {"table": "12345"}},
            ),
        ]
    )
    series = {
        "elbil-andel": pd.concat(
            [
                frame({2019: 15.0, 2020: 20.1, 2023: 33.0, 2025: 41.7}),
                frame({2020: 30.0, 2025: 50.0}, "K-0301"),
            ]
        ),
        "utslipp": frame({2020: 500000.0, 2024: 460000.0}),
        "folketall": frame({2025: 214565.0}),
    }
    return Snapshot(
        catalog=catalog,
        series=series,
        problems={"ny": "table 12345 is not in the cache yet"},
        data_as_of=data_as_of,
        table_updated={"07849": datetime(2026, 1, 15, 7, 0, tzinfo=UTC)},
        demo=demo,
        version="test",
        last_refresh=None,
        # Staleness is judged against today: a table SSB confirmed just now is fresh.
        table_checked=dict.fromkeys(("07849", "07459"), checked or datetime.now(UTC)),
    )


@pytest.fixture(scope="module")
def report() -> dict:
    return build_report(snapshot())


def _indicators(report: dict) -> list[dict]:
    return [i for g in report["goals"] for s in g["subgoals"] for i in s["indicators"]]


def test_json_has_the_designs_keys_and_nesting(report: dict) -> None:
    assert set(report) >= TOP_KEYS
    assert (report["plan"], report["data_as_of"], report["demo"]) == (
        "Testløftet",
        "2026-03-05T07:00:00Z",
        False,
    )
    assert [g["id"] for g in report["goals"]] == ["1", "2"]
    for goal in report["goals"]:
        assert GROUP_KEYS | {"subgoals"} <= set(goal)
        assert set(goal["coverage"]) == {"assessed", "indicators"}
        for subgoal in goal["subgoals"]:
            assert GROUP_KEYS | {"indicators"} <= set(subgoal)
            for indicator in subgoal["indicators"]:
                assert set(indicator) >= INDICATOR_KEYS


def test_values_are_numbers_or_null_never_strings(report: dict) -> None:
    numeric = INDICATOR_KEYS - {"id", "name", "unit", "status", "method", "table", "updated"}
    for indicator in _indicators(report):
        for key in numeric:
            value = indicator[key]
            assert value is None or (isinstance(value, int | float) and not isinstance(value, bool)), (
                key,
                value,
            )
    json.dumps(report, allow_nan=False)  # no NaN or Infinity anywhere


def test_an_indicator_appears_under_each_of_its_subgoals(report: dict) -> None:
    where = [
        s["id"]
        for g in report["goals"]
        for s in g["subgoals"]
        for i in s["indicators"]
        if i["id"] == "elbil-andel"
    ]
    assert where == ["1.1", "1.2"]


def test_an_indicator_under_two_subgoals_is_described_alike_in_both_and_independently() -> None:
    """Described once and copied: the same fields, yet editing one place leaves the other alone."""
    report = build_report(snapshot())  # its own: the module's report must stay unedited
    first, second = (
        i for g in report["goals"] for s in g["subgoals"] for i in s["indicators"] if i["id"] == "elbil-andel"
    )
    assert first == second and first["explanation"]
    first["status"] = "edited"
    assert second["status"] != "edited"


def test_indicator_fields_agree_with_the_assessment(report: dict) -> None:
    item = next(i for i in _indicators(report) if i["id"] == "elbil-andel")
    expected = assess(
        pd.Series({2019: 15.0, 2020: 20.1, 2023: 33.0, 2025: 41.7}),
        direction="increase",
        limit=100,
        target_value=60.0,
    )
    assert item["status"] == expected.status
    assert item["score"] == expected.score
    assert item["method"] == "target"
    assert (item["base_year"], item["base_value"], item["current_year"], item["current_value"]) == (
        2020,
        20.1,
        2025,
        41.7,
    )
    assert (item["target_value"], item["target_year"]) == (60.0, 2032)
    assert item["progress_value"] == pytest.approx(expected.progress_value)
    assert item["projected_value"] == pytest.approx(expected.projected_value)
    assert (item["table"], item["updated"]) == ("07849", "2026-01-15T07:00:00Z")
    assert item["borderline"] is expected.borderline
    assert item["explanation"].startswith(f"Andelen økte fra 20,1{NBSP}% i 2020 til 41,7{NBSP}% i 2025.")
    assert item["explanation_en"].startswith("The share rose from 20.1% in 2020 to 41.7% in 2025.")
    assert item["target_source"] == "Klimaløftene"


def test_csv_series_have_no_table_and_one_point_is_still_shown(report: dict) -> None:
    items = {i["id"]: i for i in _indicators(report)}
    assert (items["utslipp"]["table"], items["utslipp"]["updated"], items["utslipp"]["method"]) == (
        None,
        None,
        "direction",
    )
    one = items["folketall"]
    assert (one["status"], one["score"], one["current_year"], one["current_value"]) == (
        "not_available",
        None,
        2025,
        214565.0,
    )
    assert one["updated"] is None  # the snapshot has no release date for 07459
    missing = items["ny"]
    assert (missing["status"], missing["current_value"], missing["problem"]) == (
        "not_available",
        None,
        "table 12345 is not in the cache yet",
    )


def test_roll_up_and_coverage_in_the_json(report: dict) -> None:
    goal = report["goals"][0]
    subs = {s["id"]: s for s in goal["subgoals"]}
    assert subs["1.1"]["coverage"] == {"assessed": 2, "indicators": 2}
    assert subs["1.2"]["coverage"] == {"assessed": 1, "indicators": 2}
    # The goal counts distinct indicators: elbil-andel is under both sub-goals.
    assert goal["coverage"] == {"assessed": 2, "indicators": 3}
    scores = {i["id"]: i["score"] for i in subs["1.1"]["indicators"]}
    assert subs["1.1"]["score"] == pytest.approx(round((scores["elbil-andel"] + scores["utslipp"]) / 2, 4))
    assert goal["score"] == pytest.approx(round((subs["1.1"]["score"] + subs["1.2"]["score"]) / 2, 4))
    assert report["goals"][1]["status"] == "not_available"
    assert report["goals"][1]["score"] is None


def test_demo_flag_and_missing_data_date() -> None:
    report = build_report(snapshot(demo=True, data_as_of=None))
    assert (report["demo"], report["data_as_of"]) == (True, None)


def test_table_starts_with_the_data_date_and_shows_each_level() -> None:
    text = render_table(snapshot(), "no", width=160)
    lines = text.splitlines()
    assert lines[0] == "Testløftet – data per 5. mars 2026 07:00 UTC"
    assert "DEMO DATA" not in text
    row = next(line for line in lines if "elbil-andel" in line)
    assert "I rute" in row or "Målet er nådd" in row or "Framgang" in row
    assert f"41,7{NBSP}% (2025)" in row
    assert f"60{NBSP}% i 2032" in row
    assert any(line.startswith("  1.1") and "2 av 2 vurdert" in line for line in lines)
    assert any(line.startswith("2 ") and "Ikke nok data" in line for line in lines)
    assert any("Helse (arbeidstittel)" in line for line in lines)
    assert sum("elbil-andel" in line for line in lines) == 2


def test_table_in_english_and_with_demo_data() -> None:
    text = render_table(snapshot(demo=True), "en", width=160)
    first = text.splitlines()[0]
    assert first.startswith("The Test Pledge – data as of 5 March 2026 07:00 UTC")
    assert "DEMO DATA" in first
    assert "Health (working title)" in text
    assert "60% by 2032" in text
    assert "Indicator folketall" in text


def test_table_shortens_long_names_to_fit_the_terminal() -> None:
    name = "Et svært langt indikatornavn som ikke får plass i en smal terminal uten å kortes ned"
    wide = next(line for line in render_table(snapshot(), "no", width=300).splitlines() if "    ny " in line)
    narrow = next(
        line for line in render_table(snapshot(), "no", width=100).splitlines() if "    ny " in line
    )
    assert name in wide
    assert name not in narrow
    assert "Et svært langt" in narrow and "…" in narrow
    assert len(narrow) < len(wide)


def test_table_says_when_the_data_is_stale_or_missing() -> None:
    old = render_table(snapshot(checked=datetime(2020, 1, 1, tzinfo=UTC)), "no", width=160).splitlines()[0]
    assert old.endswith("dataene er utdaterte; kjør `python -m indicators refresh`")
    none = render_table(snapshot(data_as_of=None), "en", width=160).splitlines()[0]
    assert none == "The Test Pledge – no data yet; run `python -m indicators refresh`"


def test_status_command_prints_json_and_exits_0(tmp_path: Path) -> None:
    settings = Settings.resolve(
        {
            "definitions": REPO / "tests" / "fixtures" / "definitions-good",
            "goals": REPO / "indicators" / "goals.toml",
            "cache_dir": tmp_path,
        }
    )
    out = io.StringIO()
    assert command(argparse.Namespace(json=True, lang="no"), settings, out=out) == 0
    report = json.loads(out.getvalue())
    assert set(report) >= TOP_KEYS
    assert len(report["goals"]) == 3
    out = io.StringIO()
    assert command(argparse.Namespace(json=False, lang="en"), settings, out=out) == 0
    # The plan has no adopted English name, so English output keeps "Trondheimsløftet".
    assert out.getvalue().startswith("Trondheimsløftet – ")


def test_status_through_the_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "indicators",
            "status",
            "--json",
            "--definitions",
            str(REPO / "tests" / "fixtures" / "definitions-good"),
            "--cache-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["plan"] == "Trondheimsløftet"
    assert {i["id"] for i in _indicators(report)} == {
        p.stem for p in (REPO / "tests/fixtures/definitions-good").glob("*.toml")
    }


def test_json_carries_a_change_target_its_milestones_and_the_publisher() -> None:
    base = snapshot()
    emissions = definition(
        "utslipp",
        ["1.1"],
        unit="tonn",
        decimals=0,
        direction="decrease",
        target={
            "kind": "change",
            "value": -50,
            "baseline_year": 2009,
            "year": 2030,
            "source": "Klimaløftene (2024)",
            "milestones": [{"year": 2020, "value": -10}, {"year": 2025, "value": -40}],
        },
        series={"u": {"csv": "data/utslipp.csv", "publisher": "Miljødirektoratet", "licence": "NLOD 2.0"}},
    )
    catalog = make_catalog([emissions])
    shot = dataclasses.replace(
        base,
        catalog=catalog,
        series={"utslipp": frame({2009: 1000.0, 2020: 880.0, 2021: 800.0})},
        problems={},
    )
    (entry,) = _indicators(build_report(shot))
    assert (entry["method"], entry["target_kind"], entry["target_change"]) == ("target", "change", -50.0)
    assert (entry["base_year"], entry["base_value"], entry["target_value"]) == (2009, 1000.0, 500.0)
    assert entry["target_source"] == "Klimaløftene (2024)" and entry["publisher"] == "Miljødirektoratet"
    assert entry["table"] is None  # no SSB table behind it
    met, ahead = entry["milestones"]
    assert met == {"year": 2020, "value": 900.0, "met": True, "projected": None, "change": -10.0}
    assert (ahead["year"], ahead["value"], ahead["met"], round(ahead["projected"], 2)) == (
        2025,
        600.0,
        None,
        742.65,
    )
    json.dumps(entry, allow_nan=False)  # numbers or null, never NaN


def test_the_table_in_nynorsk() -> None:
    text = render_table(snapshot(), "nn", width=200)
    lines = text.splitlines()
    assert lines[0] == "Testløftet – data per 5. mars 2026 07:00 UTC"
    assert lines[1].split()[:2] == ["ID", "Namn"]
    assert "◌ Ikkje nok data" in text and "auke" in text and "sjå docs/method.nb.md" in text
    assert "Ikke nok data" not in text and "økning" not in text
    demo = render_table(snapshot(demo=True), "nn", width=200).splitlines()[0]
    assert demo.endswith("DEMO DATA: syntetiske tal, ikkje ekte statistikk")


@pytest.mark.parametrize("lang", ["se", "NN", "", "nn;rm -rf"])
def test_status_refuses_an_unknown_language_with_the_ones_it_knows(lang: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "indicators", "status", "--lang", lang, "--cache-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr and "'no', 'en', 'nn'" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_status_in_nynorsk_through_the_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "indicators",
            "status",
            "--lang",
            "nn",
            "--definitions",
            str(REPO / "tests" / "fixtures" / "definitions-good"),
            "--cache-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Namn" in result.stdout and "Ikkje nok data" in result.stdout


def test_status_speaks_the_plans_default_language_without_lang() -> None:
    base = snapshot()
    plan = base.catalog.plan.model_copy(update={"languages": ["nn", "no"], "default_language": "nn"})
    shot = dataclasses.replace(base, catalog=dataclasses.replace(base.catalog, plan=plan))
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("indicators.store.snapshot.load_snapshot", lambda settings: shot)
        assert command(argparse.Namespace(json=False, lang=None), Settings.resolve(), out=out) == 0
    assert out.getvalue().splitlines()[1].split()[:2] == ["ID", "Namn"]
    assert build_report(shot)["languages"] == ["nn", "no"]
