"""Refresh against the PxWebApi stub over real HTTP: one request per table, change detection,
partial failure, the lock, progress output, start-up refresh."""

from __future__ import annotations

import io
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from indicators.ssb.client import SsbClient
from indicators.store.refresh import real_cache, refresh, startup_refresh
from indicators.store.refresh_log import make_reporter
from indicators.store.snapshot import load_snapshot
from tests.indicators.store.cache_support import (
    BIRTHS,
    KINDERGARTEN,
    POPULATION,
    make_catalog,
    run_refresh,
    settings_for,
)


def fast_client(url: str) -> SsbClient:
    """A client with short back-off and read timeout, so fault tests stay fast."""
    return SsbClient(url, timeout=(2.0, 1.0), backoff=0.01, max_retries=2)


def home_values(settings, indicator: str, release: str = "current") -> list[float]:
    frame = load_snapshot(settings, release).series[indicator]
    return frame.loc[frame["region"] == "K-5001", "value"].dropna().tolist()


def test_a_full_refresh_asks_each_table_once_with_the_union_of_selections(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)

    code, output = run_refresh(settings)

    assert code == 0, output
    assert ssb_stub.counts()["data"] == 2, "two tables, three indicators: one data request per table"
    manifest = real_cache(settings).read_manifest()
    k_table = manifest.tables["90001"].current.responses[0].selection
    assert k_table["ContentsCode"]["valueCodes"] == ["Personer1", "Fodte"]
    assert k_table["Region"] == {
        "valueCodes": ["K-5001", "K-0301", "K-4601", "K-1103"],
        "codelist": "agg_KommSummer",
        "outputValues": "aggregated",
    }
    kostra = manifest.tables["90002"].current.responses[0].selection
    assert kostra["KOKkommuneregion0000"]["valueCodes"] == ["5001", "0301", "4601", "1103"]
    assert kostra["KOKkommuneregion0000"]["codelist"] is None
    assert kostra["Tid"]["valueCodes"] == ["*"]
    snapshot = load_snapshot(settings)
    assert snapshot.demo is False and set(snapshot.series) == {"befolkning", "fodte", "barnehage"}
    assert "90001 fetched" in output and "2 fetched, 0 unchanged, 0 failed" in output


def test_an_unchanged_refresh_makes_no_data_requests(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    ssb_stub.reset_counts()

    code, output = run_refresh(settings)

    counts = ssb_stub.counts()
    assert code == 0, output
    assert counts["data"] == 0 and counts["metadata"] == 0
    assert counts["tables"] == 1, "one /tables?pastDays=N question tells what changed"
    assert "0 fetched, 2 unchanged" in output


def test_only_the_changed_table_is_fetched_and_its_old_release_is_kept(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    before = home_values(settings, "barnehage")
    ssb_stub.reset_counts()
    ssb_stub.tables["90002"].base += 5.0  # SSB publishes new figures
    ssb_stub.touch("90002")

    code, output = run_refresh(settings)

    assert code == 0, output
    assert ssb_stub.counts()["data"] == 1
    after = home_values(settings, "barnehage")
    assert after != before
    assert home_values(settings, "barnehage", "previous") == before
    manifest = real_cache(settings).read_manifest()
    assert len(manifest.tables["90002"].releases) == 2 and len(manifest.tables["90001"].releases) == 1


def test_force_refetches_every_table(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    ssb_stub.reset_counts()

    code, _ = run_refresh(settings, force=True)

    assert code == 0 and ssb_stub.counts()["data"] == 2


def test_only_limits_the_refresh_to_the_named_indicators_tables(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)

    code, _ = run_refresh(settings, only=["barnehage"])

    assert code == 0 and ssb_stub.counts()["data"] == 1
    snapshot = load_snapshot(settings)
    assert set(snapshot.series) == {"barnehage"}
    assert "refresh" in snapshot.problems["befolkning"]


def test_only_with_an_unknown_indicator_is_a_usage_error(ssb_stub, tmp_path: Path, capsys) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    code, _ = run_refresh(settings, only=["finnes-ikke"])
    assert code == 2
    assert "unknown indicator(s) finnes-ikke" in capsys.readouterr().err
    assert ssb_stub.counts()["data"] == 0


def test_a_changed_definition_refetches_its_table_without_a_new_release(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    ssb_stub.reset_counts()
    settings = settings_for(
        tmp_path, ssb_stub.url, {"befolkning": POPULATION.replace('"Personer1"', '"Personer1", Kjonn = "2"')}
    )

    code, output = run_refresh(settings)

    assert code == 0, output
    # One series now selects Kjonn, the other eliminates it: still one request (Kjonn's codes,
    # summed locally for the eliminating series).
    assert ssb_stub.counts()["data"] == 1, "90001 is still asked once"
    assert len(real_cache(settings).read_manifest().tables["90001"].releases) == 1
    assert set(load_snapshot(settings).series) == {"befolkning", "fodte", "barnehage"}


FAULTS = ["500", "502", "503", "504", "429", "slow", "truncate", "invalid_json", "bad_sizes", "drop"]


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failing_table_keeps_its_old_values_while_the_others_update(
    ssb_stub, tmp_path: Path, fault: str
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    catalog = make_catalog(tmp_path)
    refresh(catalog, real_cache(settings), fast_client(ssb_stub.url))
    old = load_snapshot(settings)
    for table in ("90001", "90002"):
        ssb_stub.tables[table].base *= 1.5
        ssb_stub.touch(table)
    ssb_stub.add_fault("90002", fault, endpoint="data", retry_after=0, delay=2.0)

    result = refresh(catalog, real_cache(settings), fast_client(ssb_stub.url))

    assert not result.ok
    assert [(f["indicator"], f["table"]) for f in result.failed] == [("barnehage", "90002")]
    assert result.failed[0]["reason"]
    new = load_snapshot(settings)
    assert new.series["barnehage"].equals(old.series["barnehage"])
    assert not new.series["befolkning"].equals(old.series["befolkning"])
    assert new.table_updated["90001"] > old.table_updated["90001"]
    assert "the last refresh failed" in new.problems["barnehage"]
    assert "befolkning" not in new.problems


def test_the_command_exits_1_and_names_each_failed_indicator_table_and_reason(
    ssb_stub, tmp_path: Path
) -> None:
    definitions = {"befolkning": POPULATION, "ukjent": POPULATION.replace('"90001"', '"99999"')}
    settings = settings_for(tmp_path, ssb_stub.url, definitions)

    code, output = run_refresh(settings, quiet=True)

    assert code == 1
    assert "ukjent (table 99999): " in output and "SSB has no table 99999" in output
    assert "90001 fetched" not in output, "--quiet prints only failures and the summary"
    assert "1 fetched, 0 unchanged, 1 failed" in output
    assert set(load_snapshot(settings).series) == {"befolkning"}


def test_a_table_that_is_not_annual_is_reported_per_indicator(ssb_stub, tmp_path: Path) -> None:
    quarterly = """
    name = "Ledige stillinger"
    subgoals = ["3.3"]
    unit = "stillinger"
    direction = "increase"
    [series.ledige]
    table = "90004"
    select = { ContentsCode = "Ledige" }
    """
    settings = settings_for(tmp_path, ssb_stub.url, {"ledige": quarterly, "befolkning": POPULATION})

    code, output = run_refresh(settings)

    assert code == 1
    assert "ledige (table 90004): table 90004 has time unit 'Quarterly'" in output
    assert ssb_stub.counts()["data"] == 1


def test_a_second_refresh_is_refused_while_one_runs(ssb_stub, tmp_path: Path, capsys) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    with real_cache(settings).lock():
        code, _ = run_refresh(settings)
    assert code == 1
    assert "another refresh is already running" in capsys.readouterr().err
    assert ssb_stub.counts()["data"] == 0


def test_after_a_week_without_refresh_each_table_is_asked_directly(ssb_stub, tmp_path: Path) -> None:
    catalog = make_catalog(tmp_path)
    cache = real_cache(settings_for(tmp_path, ssb_stub.url))
    refresh(catalog, cache, fast_client(ssb_stub.url), clock=lambda: datetime.now(UTC) - timedelta(days=30))
    ssb_stub.reset_counts()

    result = refresh(catalog, cache, fast_client(ssb_stub.url))

    counts = ssb_stub.counts()
    assert result.ok and result.count("unchanged") == 2
    assert counts["tables"] == 0 and counts["table_info"] == 2 and counts["data"] == 0


def test_progress_is_one_plain_line_per_table_when_not_on_a_terminal(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, ssb_stub.url, {"befolkning": POPULATION, "fodte": BIRTHS, "barnehage": KINDERGARTEN}
    )
    _, output = run_refresh(settings)
    lines = output.splitlines()
    assert lines[0] == "Refreshing 2 SSB table(s) ..."
    assert lines[1].startswith("[1/2] 90001 fetched: release of 2025-02-21 07:00 UTC")
    assert lines[2].startswith("[2/2] 90002 fetched")
    assert lines[3].startswith("Refresh finished in")
    assert "\r" not in output, "no progress bar when the output is not a terminal"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_bar_counts_tables_requests_and_rate_limit_waits(ssb_stub, tmp_path: Path) -> None:
    ssb_stub.set_rate_limit(3, 0.5)  # /config tells the client: 3 calls per half second
    catalog = make_catalog(tmp_path)
    screen = Terminal()

    result = refresh(
        catalog,
        real_cache(settings_for(tmp_path, ssb_stub.url)),
        SsbClient(ssb_stub.url),
        reporter=make_reporter(screen, quiet=False),
    )

    shown = screen.getvalue()
    assert result.ok and result.rate_limit_waits >= 1
    assert "\r" in shown and "2/2" in shown, "a tqdm bar over the tables"
    assert f"requests={result.requests}" in shown
    assert "90001 fetched" in shown
    assert f"{result.rate_limit_waits} wait(s) for the rate limit" in shown
    assert ssb_stub.counts()["rate_limited"] == 0, "the client paced itself instead of hitting 429"


# --- start-up --------------------------------------------------------------------------------


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/pxwebapi/v2"


def test_startup_falls_back_to_the_demo_snapshot_when_ssb_is_unreachable(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, _closed_port_url())
    began = time.monotonic()
    message = startup_refresh(settings, timeout=2.0)
    assert time.monotonic() - began < 5
    assert "could not be reached" in message and "demo snapshot" in message


def test_startup_does_not_hang_on_a_server_that_never_answers(tmp_path: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)  # accepts connections (backlog) but never answers
        port = silent.getsockname()[1]
        settings = settings_for(tmp_path, f"http://127.0.0.1:{port}/api/pxwebapi/v2")
        began = time.monotonic()
        message = startup_refresh(settings, timeout=1.0)
        assert time.monotonic() - began < 4
    assert "could not be reached" in message


def test_startup_refreshes_an_empty_cache_and_then_not_again_the_same_day(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    message = startup_refresh(settings, out=open(tmp_path / "progress.txt", "w"))  # noqa: SIM115
    assert message.startswith("Refreshed from SSB: 2 table(s) updated"), message
    assert ssb_stub.counts()["data"] == 2
    ssb_stub.reset_counts()

    again = startup_refresh(settings)

    assert again.startswith("Data cache is current")
    assert sum(ssb_stub.counts().values()) == 0


def test_startup_with_cached_data_falls_back_to_it(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    refresh(
        make_catalog(tmp_path),
        real_cache(settings),
        fast_client(ssb_stub.url),
        clock=lambda: datetime.now(UTC) - timedelta(days=2),
    )
    stale = settings_for(tmp_path, _closed_port_url())
    message = startup_refresh(stale, timeout=2.0)
    assert "starting on the cached data" in message


def test_startup_with_invalid_definitions_says_so_instead_of_refreshing(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, ssb_stub.url, {"befolkning": POPULATION.replace("direction", "retning")}
    )
    message = startup_refresh(settings)
    assert "definitions have" in message and "validate" in message
    assert ssb_stub.counts()["data"] == 0


def test_a_refresh_limited_with_only_keeps_reporting_earlier_failures_of_other_tables(
    ssb_stub, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    catalog = make_catalog(tmp_path)
    ssb_stub.add_fault("90002", "500", endpoint="data")
    assert not refresh(catalog, real_cache(settings), fast_client(ssb_stub.url)).ok

    assert refresh(catalog, real_cache(settings), fast_client(ssb_stub.url), only=["befolkning"]).ok

    failed = real_cache(settings).read_manifest().last_refresh["failed"]
    assert [(f["indicator"], f["table"]) for f in failed] == [("barnehage", "90002")]
    assert "the last refresh failed" in load_snapshot(settings).problems["barnehage"]
