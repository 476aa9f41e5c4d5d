"""The cache on disk: releases kept, atomic manifest, checksums, garbage collection, the lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from indicators.errors import CacheError, CacheLocked
from indicators.store.cache import Cache, Manifest, Release, TableEntry, read_lock_note, with_release

T0 = datetime(2025, 2, 21, 7, 0, tzinfo=UTC)


def store(
    cache: Cache, manifest: Manifest, table: str, updated: datetime, value: float, keep: int = 3
) -> Manifest:
    """Write one response for ``table`` as the release ``updated`` and put it in the manifest."""
    doc = {"class": "dataset", "updated": updated.isoformat(), "value": [value]}
    stored = cache.write_response(table, updated, doc, {"Tid": {"valueCodes": ["*"], "codelist": None}})
    release = Release(updated=updated, fetched=updated + timedelta(hours=1), responses=(stored,))
    entry = TableEntry(table, f"{table}: test", "Annual", updated, ())
    manifest = with_release(manifest, entry, release, keep)
    cache.write_manifest(manifest)
    return manifest


def values_of(cache: Cache, table: str) -> list[float]:
    """The value of each release of ``table``, newest first, as a reader would load them."""
    manifest = cache.read_manifest()
    assert manifest is not None
    return [cache.read_response(r.responses[0])["value"][0] for r in manifest.tables[table].releases]


def test_a_new_release_keeps_the_previous_ones_up_to_the_configured_count(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "real")
    manifest = Manifest.empty("real", "test", T0)
    for day in range(4):
        manifest = store(cache, manifest, "07459", T0 + timedelta(days=day), float(day), keep=3)
        cache.collect_garbage(manifest)

    assert values_of(cache, "07459") == [3.0, 2.0, 1.0]
    files = sorted(p.name for p in (tmp_path / "real" / "responses" / "07459").iterdir())
    assert len(files) == 3, "the file of the release that fell out is removed"


def test_refetching_the_same_release_replaces_it(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "real")
    manifest = store(cache, Manifest.empty("real", "test", T0), "07459", T0, 1.0)
    manifest = store(cache, manifest, "07459", T0 + timedelta(days=1), 2.0)
    manifest = store(cache, manifest, "07459", T0 + timedelta(days=1), 2.5)

    assert values_of(cache, "07459") == [2.5, 1.0]


def test_the_manifest_round_trips_and_names_only_existing_files(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "real")
    manifest = store(cache, Manifest.empty("demo", "stub", T0), "07459", T0, 1.0)

    again = cache.read_manifest()
    assert again == manifest
    assert json.loads(cache.manifest_path.read_text())["demo"] is True

    bogus = Release(
        T0,
        T0,
        responses=(manifest.tables["07459"].current.responses[0].__class__("responses/x.json", "0", 1, {}),),
    )
    with pytest.raises(CacheError, match=r"missing files: responses/x\.json"):
        cache.write_manifest(with_release(manifest, manifest.tables["07459"], bogus))
    assert cache.read_manifest() == manifest, "a refused manifest leaves the old one in place"


def test_a_damaged_response_is_reported_not_read(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "real")
    manifest = store(cache, Manifest.empty("real", "test", T0), "07459", T0, 1.0)
    stored = manifest.tables["07459"].current.responses[0]
    (cache.root / stored.file).write_text('{"value": [999]}')

    with pytest.raises(CacheError, match=r"damaged.*refresh --force"):
        cache.read_response(stored)


def test_a_damaged_manifest_says_how_to_recover(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "real")
    cache.root.mkdir()
    cache.manifest_path.write_text("{not json")
    with pytest.raises(CacheError, match=r"damaged.*refresh --force"):
        cache.read_manifest()


def test_garbage_collection_removes_only_unnamed_files_and_temporary_leftovers(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "real")
    manifest = store(cache, Manifest.empty("real", "test", T0), "07459", T0, 1.0)
    orphan = cache.root / "responses" / "07459" / "orphan.json"
    orphan.write_text("{}")
    leftover = cache.root / ".tmp-abc"
    leftover.write_text("half a manifest")
    half_response = cache.root / "responses" / "07459" / ".tmp-def"
    half_response.write_text("half a response")

    removed = cache.collect_garbage(manifest)

    assert sorted(p.name for p in removed) == [".tmp-abc", ".tmp-def", "orphan.json"]
    assert values_of(cache, "07459") == [1.0]


def test_the_lock_refuses_a_second_writer_and_names_the_holder(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "real")
    with (
        cache.lock(),
        pytest.raises(CacheLocked, match=r"already running \(pid \d+"),
        Cache(tmp_path / "real").lock(),
    ):
        pass
    with cache.lock():  # released after use
        pass


def test_the_lock_and_its_note_work_without_pread_and_pwrite(tmp_path: Path, monkeypatch) -> None:
    # Windows has neither: the lock (filelock's LockFileEx there) and its note must not need them.
    monkeypatch.delattr(os, "pread", raising=False)
    monkeypatch.delattr(os, "pwrite", raising=False)
    cache = Cache(tmp_path / "real")
    with cache.lock():
        cache.note({"pid": 42, "started": "2026-03-05T07:00:00Z", "running": True})
        assert read_lock_note(cache.lock_path)["pid"] == 42
        with pytest.raises(CacheLocked, match=r"pid 42, started 2026-03-05"), Cache(tmp_path / "real").lock():
            pass
        assert read_lock_note(cache.lock_path)["pid"] == 42  # a refused attempt leaves the note
    with cache.lock():
        pass


def test_files_are_written_where_folders_cannot_be_synced(tmp_path: Path, monkeypatch) -> None:
    import indicators.store.cache as cache_module

    monkeypatch.setattr(cache_module, "DIR_FSYNC", False)  # as on Windows
    cache_module.atomic_write(tmp_path / "a" / "manifest.json", b"{}")
    assert (tmp_path / "a" / "manifest.json").read_bytes() == b"{}"


def test_the_cache_module_uses_no_unix_only_lock() -> None:
    """`status`, `check` and the app import the cache; on Windows there is no fcntl."""
    import indicators.store.cache as cache_module

    assert not hasattr(cache_module, "fcntl")


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import os, signal
        from indicators.store.cache import Cache
        with Cache({str(tmp_path / "real")!r}).lock():
            print("locked", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert "locked" in done.stdout and done.returncode == -9
    with Cache(tmp_path / "real").lock():
        pass
