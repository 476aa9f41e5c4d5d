"""Refresh under every stub fault, and two refreshes started together, seen from the web app.

The cache tests check what a failing table leaves in the cache; these check the whole path an
operator sees: the failure is named, the dashboard keeps serving the previous figures, /healthz
reports the failed refresh, and the next good refresh recovers. Two refresh processes started at
the same moment: one works, the other says the cache is busy, and the cache stays whole.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.app import create_app
from indicators.config import REPO_ROOT
from indicators.ssb.client import SsbClient
from indicators.store.refresh import real_cache, refresh
from indicators.store.snapshot import load_snapshot
from tests.indicators.store.cache_support import make_catalog, settings_for
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
