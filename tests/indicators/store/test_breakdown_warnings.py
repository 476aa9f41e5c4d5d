"""A refresh warns when a definition's breakdown cannot be served by its table (issue 20).

The total still refreshes; the summary and the JSON log name the indicator, table, variable and
what is missing, instead of the breakdown silently going missing from the page. Against the
PxWebApi stub over real HTTP.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from indicators.store.snapshot import load_snapshot
from tests.indicators.series.test_breakdown import BIRTHS_BY_SEX
from tests.indicators.store.cache_support import run_refresh, settings_for

NO_SUCH_VARIABLE = BIRTHS_BY_SEX.replace('breakdowns = ["Kjonn"]', 'breakdowns = ["Kjonnn"]')
NO_SUCH_CODE = BIRTHS_BY_SEX.replace(
    'breakdowns = ["Kjonn"]', 'breakdowns = [{ variable = "Kjonn", codes = ["1", "2", "9"] }]'
)
NO_SUCH_GROUP_CODE = BIRTHS_BY_SEX.replace(
    'breakdowns = ["Kjonn"]', 'breakdowns = [{ variable = "Kjonn", groups = { "Alle" = ["1", "x"] } }]'
)


def test_a_breakdown_variable_the_table_lacks_is_a_warning_in_the_summary(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"fodte": NO_SUCH_VARIABLE})

    code, output = run_refresh(settings)

    assert code == 0, output  # a warning, not a failure: the total is there
    assert "Breakdowns left out" in output
    assert "fodte (table 90001): breakdown Kjonnn: table 90001 has no variable Kjonnn" in output
    assert "fodte" in load_snapshot(settings).arrays


def test_a_breakdown_code_the_table_lacks_is_left_out_and_named(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"fodte": NO_SUCH_CODE})

    code, output = run_refresh(settings)

    assert code == 0, output
    assert "breakdown Kjonn: table 90001 has no code 9 for Kjonn" in output
    assert ssb_stub.counts()["data"] == 1, "the total is not refused for the unknown code"
    assert "fodte" in load_snapshot(settings).arrays


def test_a_groups_unknown_code_is_named_too(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"fodte": NO_SUCH_GROUP_CODE})

    code, output = run_refresh(settings)

    assert code == 0, output
    assert "table 90001 has no code x for Kjonn" in output


def test_the_json_log_carries_the_warnings(ssb_stub, tmp_path: Path) -> None:
    settings = dataclasses.replace(
        settings_for(tmp_path, ssb_stub.url, {"fodte": NO_SUCH_VARIABLE}), refresh_log_format="json"
    )

    code, output = run_refresh(settings)

    assert code == 0, output
    finished = [json.loads(line) for line in output.splitlines() if '"refresh_finished"' in line]
    assert finished[-1]["breakdown_warnings"] == [
        {
            "indicator": "fodte",
            "table": "90001",
            "variable": "Kjonnn",
            "reason": finished[-1]["breakdown_warnings"][0]["reason"],
        }
    ]
    assert "has no variable Kjonnn" in finished[-1]["breakdown_warnings"][0]["reason"]


def test_a_good_breakdown_warns_of_nothing(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"fodte": BIRTHS_BY_SEX})

    code, output = run_refresh(settings)

    assert code == 0, output
    assert "Breakdowns left out" not in output
    assert "fodte" in load_snapshot(settings).breakdowns
