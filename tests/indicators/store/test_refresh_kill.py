"""A refresh killed with SIGKILL at any moment leaves a cache that loads, with the previous data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from indicators.config import REPO_ROOT
from indicators.store.refresh import real_cache
from indicators.store.snapshot import load_snapshot
from tests.indicators.store.cache_support import run_refresh, settings_for


def _served(stub, kind: str) -> int:
    return sum(1 for r in list(stub.requests) if r.kind == kind and r.status == 200)


# When to kill the refresh: (name, condition on the stub, extra delay after it holds).
MOMENTS: list[tuple[str, Callable[[object], bool], float]] = [
    ("while asking what changed", lambda stub: _served(stub, "tables") >= 1, 0.0),
    ("right after the first table's data", lambda stub: _served(stub, "data") >= 1, 0.0),
    ("while the first table is written", lambda stub: _served(stub, "data") >= 1, 0.02),
    ("while the second table's data is on its way", lambda stub: _served(stub, "data") >= 1, 0.4),
]


def _home(frame) -> list[float]:
    return frame.loc[frame["region"] == "K-5001", "value"].dropna().round(6).tolist()


@pytest.mark.parametrize(("moment", "ready", "delay"), MOMENTS, ids=[m[0] for m in MOMENTS])
def test_a_killed_refresh_leaves_a_loadable_cache(ssb_stub, tmp_path: Path, moment, ready, delay) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    assert run_refresh(settings)[0] == 0
    old = {k: _home(v) for k, v in load_snapshot(settings).series.items()}
    for table in ("90001", "90002"):
        ssb_stub.tables[table].base *= 2
        ssb_stub.touch(table)
    # The second table answers slowly, so the kill can land while it is on its way.
    ssb_stub.add_fault("90002", "slow", endpoint="data", delay=1.5)
    ssb_stub.reset_counts()

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "indicators",
            "refresh",
            "--definitions",
            str(settings.definitions),
            "--goals",
            str(settings.goals),
            "--cache-dir",
            str(settings.cache_dir),
            "--api-url",
            ssb_stub.url,
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready(ssb_stub) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(delay)
        assert process.poll() is None, f"the refresh ended before the moment '{moment}'"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=10)

    snapshot = load_snapshot(settings)
    assert not snapshot.demo and set(snapshot.series) == set(old)
    for indicator, frame in snapshot.series.items():
        assert _home(frame), f"{indicator} lost its data"
    # Each table holds either its previous or its new release, never a mix.
    assert _home(snapshot.series["barnehage"]) == old["barnehage"], "the slow table was not finished"

    ssb_stub.clear_faults()
    code, output = run_refresh(settings)
    assert code == 0, output
    fresh = load_snapshot(settings)
    assert all(_home(fresh.series[k]) != old[k] for k in old), "the next refresh completes the update"
    cache = real_cache(settings)
    named = {cache.root / f for f in cache.read_manifest().files()}
    on_disk = {p for p in (cache.root / "responses").rglob("*") if p.is_file()}
    assert on_disk == named, "leftovers of the killed run are cleaned up"
