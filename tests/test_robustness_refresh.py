"""Refresh under every stub fault, and two refreshes started together, seen from the web app.

Also DESIGN §11's promises about refresh, each attacked: a refresh never makes the cache worse
(answers that parse but cannot be computed, a lost cache file), a refresh ends (deadline, a full
disk), and first contact without SSB (one line, the display as it was, test data marked).

The cache tests check what a failing table leaves in the cache; these check the whole path an
operator sees: the failure is named, the dashboard keeps serving the previous figures, /healthz
reports the failed refresh, and the next good refresh recovers. Two refresh processes started at
the same moment: one works, the other says the cache is busy, and the cache stays whole.
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.app import create_app
from indicators.config import REPO_ROOT, Settings
from indicators.demo import generate
from indicators.errors import ConfigError
from indicators.ssb.client import SsbClient
from indicators.store import cache as cache_module
from indicators.store.refresh import real_cache, refresh
from indicators.store.snapshot import is_loopback_url, load_snapshot
from tests.indicators.store.cache_support import STANDARD, make_catalog, run_refresh, settings_for
from tests.ssb_stub.server import FAULT_KINDS

FAILING_TABLE = "90002"  # the KOSTRA-style table of the "barnehage" indicator


def fast_client(url: str) -> SsbClient:
    """Short back-off and read timeout, so each fault costs well under a second."""
    return SsbClient(url, timeout=(2.0, 1.0), backoff=0.01, max_retries=1)


def kindergarten_json(client) -> dict:
    response = client.get("/data/barnehage.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize("fault", FAULT_KINDS)
def test_a_fault_on_every_endpoint_of_a_table_is_reported_and_the_app_keeps_serving(
    ssb_stub, tmp_path: Path, fault: str
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    catalog = make_catalog(tmp_path)
    assert refresh(catalog, real_cache(settings), fast_client(ssb_stub.url)).ok
    client = create_app(settings).server.test_client()
    before = kindergarten_json(client)
    assert client.get("/healthz").get_json()["status"] == "ok"

    # SSB publishes new figures for both tables, but one table's every endpoint misbehaves.
    for table in ("90001", FAILING_TABLE):
        ssb_stub.tables[table].base *= 1.5
        ssb_stub.touch(table)
    ssb_stub.add_fault(FAILING_TABLE, fault, retry_after=0, delay=2.0)
    result = refresh(catalog, real_cache(settings), fast_client(ssb_stub.url))

    assert not result.ok
    assert {(f["indicator"], f["table"]) for f in result.failed} == {("barnehage", FAILING_TABLE)}
    for path in ("/", "/indikator/barnehage", "/indikator/befolkning", "/data/befolkning.csv"):
        assert client.get(path).status_code == 200, path
    # The failed table's previous figures are still served; the other table moved on.
    assert kindergarten_json(client)["series"] == before["series"]
    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded"
    assert health["last_refresh"]["failed"] == [{"indicator": "barnehage", "table": FAILING_TABLE}]

    ssb_stub.clear_faults()
    assert refresh(catalog, real_cache(settings), fast_client(ssb_stub.url)).ok
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert kindergarten_json(client)["series"] != before["series"]


def test_ssb_down_entirely_exits_1_and_the_cache_stays_loadable(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    env = {
        **os.environ,
        "INDICATOR_DIR": str(settings.definitions),
        "GOALS_FILE": str(settings.goals),
        "DATA_CACHE_DIR": str(settings.cache_dir),
        "SSB_API_URL": ssb_stub.url,
    }
    command = [sys.executable, "-m", "indicators", "refresh", "--quiet"]
    first = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    before = load_snapshot(settings)

    ssb_stub.add_fault("*", "503", retry_after=0)
    for table in ("90001", FAILING_TABLE):
        ssb_stub.touch(table)
    down = subprocess.run(
        [*command, "--force"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert down.returncode == 1
    assert "failed" in down.stdout + down.stderr
    after = load_snapshot(settings)
    assert set(after.series) == set(before.series)
    for indicator, frame in before.series.items():
        assert after.series[indicator].equals(frame), indicator


def test_two_refreshes_started_together_one_runs_the_other_is_refused(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    # A slow table keeps the first refresh busy long enough for the second to find the lock.
    ssb_stub.add_fault(FAILING_TABLE, "slow", endpoint="data", delay=4.0)
    env = {
        **os.environ,
        "INDICATOR_DIR": str(settings.definitions),
        "GOALS_FILE": str(settings.goals),
        "DATA_CACHE_DIR": str(settings.cache_dir),
        "SSB_API_URL": ssb_stub.url,
    }
    command = [sys.executable, "-m", "indicators", "refresh", "--quiet"]
    processes = [
        subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outcomes = sorted((p.wait(timeout=120), p.stderr.read()) for p in processes)
    for p in processes:
        p.stdout.close()
        p.stderr.close()
    (ok_code, _), (refused_code, refused_err) = outcomes
    assert ok_code == 0
    assert refused_code == 1
    assert "another refresh is already running" in refused_err
    snapshot = load_snapshot(settings)
    assert snapshot.demo is False
    assert set(snapshot.series) == {"befolkning", "fodte", "barnehage"}
    assert snapshot.last_refresh["ok"] is True


# --- A refresh never makes the cache worse (DESIGN §11) -------------------------------------------

HOSTILE_DATA = ("wrong_dims", "no_year", "overflow", "huge_number", "duplicate_codes")


def response_files(settings, table: str) -> dict[str, bytes]:
    root = real_cache(settings).root
    return {p.name: p.read_bytes() for p in sorted((root / "responses" / table).glob("*.json"))}


@pytest.mark.parametrize("hostile", HOSTILE_DATA)
def test_an_answer_that_parses_but_cannot_be_computed_never_replaces_the_good_one(
    ssb_stub, tmp_path: Path, hostile: str
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    catalog = make_catalog(tmp_path)
    assert refresh(catalog, real_cache(settings), fast_client(ssb_stub.url)).ok
    before_files = response_files(settings, FAILING_TABLE)
    before_manifest = real_cache(settings).read_manifest().tables[FAILING_TABLE]
    before = load_snapshot(settings).series["barnehage"]

    for table in ("90001", FAILING_TABLE):
        ssb_stub.tables[table].base *= 1.5
        ssb_stub.touch(table)
    ssb_stub.add_fault(FAILING_TABLE, hostile, endpoint="data")
    result = refresh(catalog, real_cache(settings), fast_client(ssb_stub.url))

    assert result.exit_code == 1
    states = {o.table: o.state for o in result.outcomes}
    assert states == {"90001": "fetched", FAILING_TABLE: "failed"}, "the other table is still fetched"
    assert {(f["indicator"], f["table"]) for f in result.failed} == {("barnehage", FAILING_TABLE)}
    assert response_files(settings, FAILING_TABLE) == before_files, "nothing of the bad answer is stored"
    assert real_cache(settings).read_manifest().tables[FAILING_TABLE].releases == before_manifest.releases
    after = load_snapshot(settings)
    assert after.series["barnehage"].equals(before)
    assert "befolkning" in after.series and "barnehage" not in after.problems.get("befolkning", "")


@pytest.mark.parametrize("hostile", HOSTILE_DATA)
def test_a_malformed_table_in_a_first_refresh_never_stops_the_others(
    ssb_stub, tmp_path: Path, hostile: str
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    ssb_stub.add_fault("90001", hostile, endpoint="data")

    code, output = run_refresh(settings)

    assert code == 1
    assert "90001 FAILED" in output and "90002 fetched" in output
    assert not response_files(settings, "90001")
    assert set(load_snapshot(settings).series) == {"barnehage"}


@pytest.mark.parametrize("damage", ["missing", "damaged"])
def test_a_lost_cache_file_costs_only_its_indicators_and_the_next_ordinary_refresh_heals_it(
    ssb_stub, tmp_path: Path, damage: str
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    assert run_refresh(settings)[0] == 0
    manifest = real_cache(settings).read_manifest()
    path = real_cache(settings).root / manifest.tables[FAILING_TABLE].current.responses[0].file
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes()[:-10])
    (real_cache(settings).root / "derived" / "series.json").unlink()  # the computing path too

    client = create_app(settings).server.test_client()
    for page in ("/", "/indikator/befolkning", "/indikator/barnehage", "/data/befolkning.csv"):
        assert client.get(page).status_code == 200, page
    snapshot = load_snapshot(settings)
    assert set(snapshot.series) == {"befolkning", "fodte"}
    assert "refresh" in snapshot.problems["barnehage"]

    code, output = run_refresh(settings)  # no --force

    assert code == 0, output
    assert f"{FAILING_TABLE} fetched" in output
    assert set(load_snapshot(settings).series) == {"befolkning", "fodte", "barnehage"}


# --- A refresh ends ---------------------------------------------------------------------------------


def test_a_refresh_ends_at_its_deadline_and_the_tables_not_reached_keep_their_data(
    ssb_stub, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    catalog = make_catalog(tmp_path)
    assert refresh(catalog, real_cache(settings), fast_client(ssb_stub.url)).ok
    before = load_snapshot(settings).series
    # A forced refresh asks each table's metadata first (its /tables/{id} only for non-annual tables).
    ssb_stub.add_fault("*", "slow", endpoint="metadata", delay=1.5)
    client = SsbClient(ssb_stub.url, timeout=(2.0, 10.0), backoff=0.01)

    began = time.monotonic()
    result = refresh(catalog, real_cache(settings), client, force=True, deadline=1.0)

    assert time.monotonic() - began < 5
    assert result.exit_code == 1
    assert all(o.state == "failed" for o in result.outcomes)
    assert any("deadline" in o.reason for o in result.outcomes)
    after = load_snapshot(settings).series
    for indicator, frame in before.items():
        assert after[indicator].equals(frame), indicator


@pytest.mark.parametrize("value", ["0", "-5", "soon", "nan"])
def test_the_deadline_setting_is_checked(tmp_path: Path, monkeypatch, value: str) -> None:
    monkeypatch.setenv("REFRESH_DEADLINE", value)
    with pytest.raises(ConfigError, match="REFRESH_DEADLINE"):
        Settings.resolve({"cache_dir": tmp_path})


def test_the_deadline_has_a_default(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("REFRESH_DEADLINE", raising=False)
    assert Settings.resolve({"cache_dir": tmp_path}).refresh_deadline == 3600


def test_a_full_disk_is_one_line_and_healthz_does_not_call_the_refresh_ok(
    ssb_stub, tmp_path: Path, monkeypatch, capsys
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    assert run_refresh(settings)[0] == 0
    web = create_app(settings).server.test_client()
    assert web.get("/healthz").get_json()["last_refresh"]["ok"] is True
    capsys.readouterr()
    ssb_stub.touch("90001")

    def full(path, data) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    real_pwrite = os.pwrite

    def pwrite(fd: int, data: bytes, offset: int) -> int:
        if data.strip():  # the lock's note needs no new space: it overwrites its own bytes
            return real_pwrite(fd, data, offset)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache_module, "atomic_write", full)
    monkeypatch.setattr(os, "pwrite", pwrite)
    code, output = run_refresh(settings, quiet=True)
    monkeypatch.undo()

    assert code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err + output
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "No space left on device" in lines[0], err
    health = web.get("/healthz").get_json()
    assert health["status"] == "degraded"
    assert health["last_refresh"]["ok"] is False
    assert any("saved nothing" in p and "No space left" in p for p in health["problems"])

    assert run_refresh(settings)[0] == 0, "space again: the next refresh is ok"
    assert web.get("/healthz").get_json()["last_refresh"]["ok"] is True


# --- First contact without SSB ------------------------------------------------------------------------


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/pxwebapi/v2"


def cli(settings, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "INDICATOR_DIR": str(settings.definitions),
        "GOALS_FILE": str(settings.goals),
        "DATA_CACHE_DIR": str(settings.cache_dir),
        "SSB_API_URL": settings.ssb_api_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unreachable_ssb_on_first_contact_is_one_line_within_seconds_and_the_demo_stays(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path, closed_port_url())
    generate(settings.cache_dir / "demo", make_catalog(tmp_path))
    before = load_snapshot(settings)

    began = time.monotonic()
    done = cli(settings, "refresh")

    assert time.monotonic() - began < 15  # most of it is Python starting
    assert done.returncode == 1
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "SSB could not be reached" in lines[0], lines
    assert not (settings.cache_dir / "real" / "manifest.json").exists(), "no failed real cache"
    after = load_snapshot(settings)
    assert after.demo is True and after.last_refresh is None
    assert set(after.series) == set(before.series) and not after.problems


def test_unreachable_ssb_is_asked_once_not_per_table(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    ssb_stub.add_fault("*", "drop")

    code, _ = run_refresh(settings)

    assert code == 1
    counts = ssb_stub.counts()
    assert counts["config"] <= 2 and counts["table_info"] == 0 and counts["tables"] == 0


def test_unreachable_ssb_leaves_the_previous_real_cache_shown_as_it_was(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    assert run_refresh(settings)[0] == 0
    manifest = (settings.cache_dir / "real" / "manifest.json").read_bytes()
    web = create_app(settings).server.test_client()

    def notices() -> list[str]:
        return re.findall(r"banner banner--[a-z-]+", web.get("/indikator/barnehage").get_data(as_text=True))

    before = notices()
    ssb_stub.add_fault("*", "503", retry_after=0)
    code, _ = run_refresh(settings)

    assert code == 1
    assert (settings.cache_dir / "real" / "manifest.json").read_bytes() == manifest
    assert notices() == before and "banner banner--failed" not in before, "no 'older figures' notice"
    health = web.get("/healthz").get_json()
    assert health["status"] == "degraded" and health["last_refresh"]["ok"] is False
    assert any("SSB could not be reached" in p for p in health["problems"])


def test_refresh_only_into_an_empty_cache_keeps_the_demo_values_of_the_others(
    ssb_stub, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    generate(settings.cache_dir / "demo", make_catalog(tmp_path))
    demo = load_snapshot(settings)

    assert run_refresh(settings, only=["barnehage"])[0] == 0

    mixed = load_snapshot(settings)
    assert set(mixed.series) == {"befolkning", "fodte", "barnehage"} and not mixed.problems
    for indicator in ("befolkning", "fodte"):
        assert mixed.series[indicator].equals(demo.series[indicator]), indicator
    assert mixed.demo is True, "demo figures on the page: marked as demo"
    web = create_app(settings).server.test_client()
    assert web.get("/indikator/befolkning").status_code == 200

    ssb_stub.tables["90001"].base *= 2
    ssb_stub.touch("90001")
    assert run_refresh(settings)[0] == 0
    full = load_snapshot(settings)
    assert full.demo is False and not full.series["befolkning"].equals(demo.series["befolkning"])


def test_data_from_a_loopback_api_is_test_data_in_status_healthz_and_on_every_page(
    ssb_stub, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    demo = json.loads(cli(settings, "status", "--json").stdout)
    assert demo["test_data"] is False and demo["api_url"] is None

    assert run_refresh(settings)[0] == 0
    status = json.loads(cli(settings, "status", "--json").stdout)

    assert status["demo"] is False
    assert status["test_data"] is True and status["api_url"] == ssb_stub.url
    web = create_app(settings).server.test_client()
    health = web.get("/healthz").get_json()
    assert health["test_data"] is True and health["api_url"] == ssb_stub.url
    for page in ("/", "/indikator/barnehage", "/en/", "/en/indikator/barnehage"):
        html = web.get(page).get_data(as_text=True)
        assert "banner--test-data" in html and ssb_stub.url in html, page
    # The charts and embeds say so too: marked TESTDATA, never passed off as SSB's figures.
    assert "TESTDATA" in web.get("/indikator/barnehage").get_data(as_text=True)
    embed = web.get("/embed/indikator/barnehage").get_data(as_text=True)
    assert "Testdata: tallene kommer fra en lokal testtjener" in embed and "TESTDATA" in embed
    assert "DEMODATA" not in embed


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8765/api/pxwebapi/v2", True),
        ("http://127.8.9.10/api", True),
        ("http://localhost:8765/api", True),
        ("http://[::1]:8765/api", True),
        ("https://data.ssb.no/api/pxwebapi/v2", False),
        ("http://10.0.0.1/api", False),
    ],
)
def test_loopback_addresses_are_recognised(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


EMPLOYMENT = """
name = "Sysselsatte"
subgoals = ["1.1"]
unit = "personer"
direction = "increase"
[series.s]
table = "90003"
select = { ContentsCode = "Sysselsatte", Region = "5001" }
"""


def test_ssb_going_away_during_a_refresh_is_not_waited_out_table_by_table(ssb_stub, tmp_path: Path) -> None:
    definitions = {**STANDARD, "sysselsatte": EMPLOYMENT}
    settings = settings_for(tmp_path, ssb_stub.url, definitions)
    catalog = make_catalog(tmp_path, definitions)
    assert refresh(catalog, real_cache(settings), fast_client(ssb_stub.url)).ok
    ssb_stub.add_fault("*", "drop", endpoint="metadata")  # a forced refresh's first call per table
    ssb_stub.reset_counts()

    result = refresh(catalog, real_cache(settings), fast_client(ssb_stub.url), force=True)

    assert result.exit_code == 1 and len(result.outcomes) == 3
    assert all(o.state == "failed" for o in result.outcomes)
    assert "stopped answering" in result.outcomes[2].reason
    assert ssb_stub.counts()["metadata"] == 4, "two tables, each tried twice; the third not asked"


@pytest.mark.parametrize(
    "fields", [{"maxCallsPerTimeWindow": 0}, {"timeWindow": float("nan")}, {"timeWindow": -1}]
)
def test_a_config_that_cannot_be_trusted_ends_the_refresh_in_one_line(
    ssb_stub, tmp_path: Path, capsys, fields
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    ssb_stub.set_config(**fields)

    code, output = run_refresh(settings)

    assert code == 1
    err = capsys.readouterr().err
    lines = [line for line in (err + output).splitlines() if line.strip()]
    assert len(lines) == 1 and "/config" in lines[0] and next(iter(fields)) in lines[0], lines
    assert "Traceback" not in err
    assert ssb_stub.counts()["table_info"] == 0
    assert not (settings.cache_dir / "real" / "manifest.json").exists()
