"""Loading the cache: demo fallback, versions, staleness, damaged files, reading during a refresh."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from indicators.demo import generate
from indicators.errors import IndicatorError
from indicators.ssb.client import SsbClient
from indicators.store.cache import Cache
from indicators.store.refresh import real_cache, refresh
from indicators.store.snapshot import cache_version, load_snapshot
from tests.indicators.store.cache_support import make_catalog, run_refresh, settings_for


def test_without_real_data_the_demo_snapshot_is_loaded_and_marked(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    generate(settings.cache_dir / "demo", make_catalog(tmp_path))

    snapshot = load_snapshot(settings)

    assert snapshot.demo is True
    assert set(snapshot.series) == {"befolkning", "fodte", "barnehage"} and not snapshot.problems
    # Fixed time stamps: the newest `updated` of the stub tables used.
    assert snapshot.data_as_of == datetime(2025, 6, 15, 6, 0, tzinfo=UTC)
    assert snapshot.table_updated == {
        "90001": datetime(2025, 2, 21, 7, 0, tzinfo=UTC),
        "90002": datetime(2025, 6, 15, 6, 0, tzinfo=UTC),
    }
    assert snapshot.last_refresh is None, "no real refresh has run"

    assert run_refresh(settings)[0] == 0
    real = load_snapshot(settings)
    assert real.demo is False and real.last_refresh["ok"] is True
    assert real.version != snapshot.version


def test_the_version_changes_with_the_manifest_only(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    first = load_snapshot(settings)
    assert cache_version(settings) == first.version
    assert load_snapshot(settings).version == first.version, "reading does not change it"

    run_refresh(settings)  # nothing new, but the manifest records the check

    assert cache_version(settings) != first.version
    assert load_snapshot(settings).version == cache_version(settings)


def test_staleness_follows_the_last_confirmation_by_ssb(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    snapshot = load_snapshot(settings)
    now = datetime.now(UTC)
    assert not snapshot.is_stale(now)
    assert snapshot.is_stale(now + timedelta(days=46))
    assert not snapshot.is_stale(now + timedelta(days=10), max_age_days=11)
    assert replace(snapshot, table_checked={}).is_stale(now), "no data at all is stale"


def test_a_damaged_response_affects_only_the_indicators_of_its_table(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    manifest = real_cache(settings).read_manifest()
    damaged = real_cache(settings).root / manifest.tables["90002"].current.responses[0].file
    damaged.write_text("{}")

    snapshot = load_snapshot(settings)

    assert set(snapshot.series) == {"befolkning", "fodte"}
    assert "damaged" in snapshot.problems["barnehage"] and "refresh --force" in snapshot.problems["barnehage"]


def test_a_reader_that_loses_the_race_with_a_refresh_reads_the_new_manifest(
    ssb_stub, tmp_path: Path, monkeypatch
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    catalog = make_catalog(tmp_path)
    refresh(catalog, real_cache(settings), SsbClient(ssb_stub.url), keep_releases=1)
    before = load_snapshot(settings).series["befolkning"]
    ssb_stub.tables["90001"].base *= 3
    ssb_stub.touch("90001")
    # The computing path: without the derived layer the reader reads every response.
    (real_cache(settings).root / "derived" / "series.json").unlink()
    read_response = Cache.read_response
    raced = []

    def refresh_in_between(self: Cache, stored):
        # The interleaving a reader can meet: it has read the manifest, and before it reads the
        # files a refresh writes a new manifest and deletes the files the old one named.
        if not raced and stored.file.startswith("responses/90001/"):  # the table that changes
            raced.append(stored.file)
            refresh(catalog, real_cache(settings), SsbClient(ssb_stub.url), keep_releases=1)
        return read_response(self, stored)

    monkeypatch.setattr(Cache, "read_response", refresh_in_between)
    snapshot = load_snapshot(settings)
    monkeypatch.undo()

    assert raced and not (real_cache(settings).root / raced[0]).exists(), "the file was gone"
    assert not snapshot.problems
    assert snapshot.series["befolkning"].equals(load_snapshot(settings).series["befolkning"])
    assert not snapshot.series["befolkning"].equals(before)


def test_readers_see_a_consistent_snapshot_while_refreshes_replace_files(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    catalog = make_catalog(tmp_path)
    cache = real_cache(settings)
    levels = [ssb_stub.tables["90001"].base, ssb_stub.tables["90001"].base * 3]
    expected = []
    for level in levels:
        ssb_stub.tables["90001"].base = level
        refresh(catalog, cache, SsbClient(ssb_stub.url), force=True, keep_releases=1)
        expected.append(load_snapshot(settings).series["befolkning"])
    stop = threading.Event()
    errors: list[Exception] = []

    def keep_refreshing() -> None:
        try:
            flip = 0
            while not stop.is_set():
                flip += 1
                ssb_stub.tables["90001"].base = levels[flip % 2]
                # keep_releases=1: every run deletes the files the previous manifest named.
                refresh(catalog, cache, SsbClient(ssb_stub.url), force=True, keep_releases=1)
        except (IndicatorError, OSError) as exc:  # reported by the test thread
            errors.append(exc)

    writer = threading.Thread(target=keep_refreshing)
    writer.start()
    try:
        for _ in range(4):
            snapshot = load_snapshot(settings)
            assert not snapshot.problems
            population = snapshot.series["befolkning"]
            assert any(population.equals(frame) for frame in expected), "a half-written cache was read"
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not errors, errors
