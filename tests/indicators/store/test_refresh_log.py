"""``refresh --log-format json``: one JSON object per table and one summary, for log collectors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.cli import main
from indicators.config import Settings
from indicators.store.refresh import real_cache
from tests.indicators.store.cache_support import POPULATION, STANDARD, settings_for


def _flags(settings: Settings) -> list[str]:
    return [
        "--definitions",
        str(settings.definitions),
        "--goals",
        str(settings.goals),
        "--cache-dir",
        str(settings.cache_dir),
        "--api-url",
        settings.ssb_api_url,
    ]


def _refresh(settings: Settings, capsys, *extra: str) -> tuple[int, list[dict], str]:
    code = main(["refresh", *extra, *_flags(settings)])
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]  # every line is JSON
    return code, lines, captured.err


def test_a_json_refresh_logs_each_table_and_a_summary_with_the_exit_code(
    ssb_stub, tmp_path: Path, capsys
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, STANDARD)

    code, lines, _ = _refresh(settings, capsys, "--log-format", "json")

    assert code == 0
    assert [line["event"] for line in lines] == [
        "refresh_started",
        "refresh_table",
        "refresh_table",
        "refresh_finished",
    ]
    assert all(line["ts"].endswith("Z") and isinstance(line["pid"], int) for line in lines)
    tables = {line["table"]: line for line in lines if line["event"] == "refresh_table"}
    assert set(tables) == {"90001", "90002"}
    assert tables["90001"]["state"] == "fetched" and sorted(tables["90001"]["indicators"]) == [
        "befolkning",
        "fodte",
    ]
    assert tables["90001"]["requests"] >= 1 and tables["90001"]["cells"] > 0
    assert tables["90001"]["updated"] == "2025-02-21T07:00:00Z"
    summary = lines[-1]
    assert summary["ok"] is True and summary["exit_code"] == 0
    assert (summary["tables"], summary["fetched"], summary["unchanged"], summary["failed"]) == (2, 2, 0, 0)
    assert (
        summary["data_requests"] == ssb_stub.counts()["data"]
        and summary["requests"] >= summary["data_requests"]
    )
    assert summary["duration_s"] >= 0 and summary["failures"] == [] and summary["derived_series"] == 3

    code, lines, _ = _refresh(settings, capsys, "--log-format", "json")
    summary = lines[-1]
    assert code == 0 and (summary["fetched"], summary["unchanged"], summary["data_requests"]) == (0, 2, 0)


def test_a_failed_table_is_logged_with_its_reason_and_the_summary_says_exit_1(
    ssb_stub, tmp_path: Path, capsys
) -> None:
    definitions = {"befolkning": POPULATION, "ukjent": POPULATION.replace('"90001"', '"99999"')}
    settings = settings_for(tmp_path, ssb_stub.url, definitions)

    code, lines, _ = _refresh(settings, capsys, "--log-format", "json", "--quiet")

    assert code == 1
    # --quiet: the failed table and the summary only.
    assert [line["event"] for line in lines] == ["refresh_table", "refresh_finished"]
    assert lines[0]["table"] == "99999" and lines[0]["state"] == "failed"
    assert "SSB has no table 99999" in lines[0]["reason"]
    summary = lines[1]
    assert summary["ok"] is False and summary["exit_code"] == 1
    assert (summary["fetched"], summary["failed"]) == (1, 1)
    assert summary["failures"] == [{"indicator": "ukjent", "table": "99999", "reason": lines[0]["reason"]}]


def test_the_environment_variable_sets_the_format_and_the_flag_wins(
    ssb_stub, tmp_path: Path, capsys, monkeypatch
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"befolkning": POPULATION})
    monkeypatch.setenv("REFRESH_LOG_FORMAT", "json")

    code, lines, _ = _refresh(settings, capsys)
    assert code == 0 and lines[-1]["event"] == "refresh_finished"

    assert main(["refresh", "--log-format", "text", *_flags(settings)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Refresh finished in")


def test_an_unknown_format_in_the_environment_is_a_clear_error(
    ssb_stub, tmp_path: Path, capsys, monkeypatch
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"befolkning": POPULATION})
    monkeypatch.setenv("REFRESH_LOG_FORMAT", "yaml")

    assert main(["refresh", *_flags(settings)]) == 1
    err = capsys.readouterr().err
    assert "REFRESH_LOG_FORMAT='yaml'" in err and "text, json" in err
    assert ssb_stub.counts()["data"] == 0


def test_a_refresh_refused_by_the_lock_is_one_json_line_with_exit_code_1(
    ssb_stub, tmp_path: Path, capsys
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"befolkning": POPULATION})
    with real_cache(settings).lock():
        code, lines, err = _refresh(settings, capsys, "--log-format", "json")

    assert code == 1
    assert [(line["event"], line["exit_code"]) for line in lines] == [("refresh_not_started", 1)]
    assert "another refresh is already running" in lines[0]["reason"] and "another refresh" in err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_format_flag_is_only_text_or_json(fmt: str, ssb_stub, tmp_path: Path, capsys) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"befolkning": POPULATION})
    assert main(["refresh", "--log-format", fmt, *_flags(settings)]) == 0
    with pytest.raises(SystemExit) as usage:
        main(["refresh", "--log-format", "xml", *_flags(settings)])
    assert usage.value.code == 2
