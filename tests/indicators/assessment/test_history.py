"""The assessment history per data release: recorded by refresh (over the stub), kept across
refreshes, bounded, and never a reason for a page to fail when its file is missing or damaged."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from indicators.assessment import history
from indicators.assessment.history import (
    MAX_ENTRIES,
    Entry,
    History,
    Recorded,
    compare,
    read_history,
    with_entry,
)
from indicators.assessment.progress import assess_all
from indicators.store.snapshot import load_snapshot, real_dir
from tests.indicators.store.cache_support import settings_for


def run(settings) -> int:
    """``python -m indicators refresh`` as the CLI runs it (with the history hook)."""
    return history.refresh_command(argparse.Namespace(only=None, force=False, quiet=True), settings)


def entry(release: str, statuses: dict[str, str]) -> Entry:
    return Entry(
        release=(("ssb:90001", release),),
        data_as_of=datetime(2025, 1, 1, tzinfo=UTC),
        recorded=datetime(2025, 1, 2, tzinfo=UTC),
        indicators={i: Recorded(s) for i, s in statuses.items()},
    )


def test_each_new_data_release_adds_an_entry_and_an_unchanged_refresh_does_not(
    ssb_stub, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    root = real_dir(settings)

    assert run(settings) == 0
    first = read_history(root)
    assert len(first.entries) == 1 and first.problem is None
    assert set(first.entries[0].indicators) == {"befolkning", "fodte", "barnehage"}

    assert run(settings) == 0  # nothing new at SSB: the same release, not a second entry
    assert read_history(root).entries[0].release == first.entries[0].release
    assert len(read_history(root).entries) == 1

    ssb_stub.tables["90002"].base += 5.0  # SSB publishes new figures for one table
    ssb_stub.touch("90002")
    assert run(settings) == 0
    after = read_history(root)
    assert len(after.entries) == 2, "the earlier release survives the refresh"
    assert after.entries[1] == first.entries[0]
    snapshot = load_snapshot(settings)
    # The page compares what it shows now with the release before it, exactly as recorded then.
    assert history.release_of(snapshot) == after.entries[0].release
    assert after.previous(history.release_of(snapshot)) == first.entries[0]


def test_status_changes_are_named_against_the_previous_release(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    assert run(settings) == 0
    snapshot = load_snapshot(settings)
    assessments = assess_all(snapshot.catalog, snapshot.assessable())
    now = {i: a.status for i, a in assessments.items()}
    other = "deterioration" if now["barnehage"] != "deterioration" else "target_achieved"
    then = {**now, "barnehage": other}
    del then["befolkning"]  # not in the catalogue back then
    earlier = entry("2020-01-01T00:00:00Z", then)

    found = compare(History((earlier,)), snapshot, assessments)

    assert found is not None and found.previous == earlier
    assert {(c.indicator_id, c.before, c.after) for c in found.changes} == {
        ("barnehage", other, now["barnehage"]),
        ("befolkning", "new", now["befolkning"]),
    }
    same_release = entry("x", now)
    same_release = Entry(history.release_of(snapshot), None, same_release.recorded, same_release.indicators)
    assert compare(History((same_release,)), snapshot, assessments) is None, "nothing earlier to compare"


def test_the_history_keeps_at_most_max_entries_newest_first() -> None:
    kept = History()
    for n in range(MAX_ENTRIES + 5):
        kept = with_entry(kept, entry(f"2020-01-{n + 1:02d}T00:00:00Z", {"a": "deterioration"}))
    assert len(kept.entries) == MAX_ENTRIES
    assert kept.entries[0].release == (("ssb:90001", f"2020-01-{MAX_ENTRIES + 5:02d}T00:00:00Z"),)


def test_written_atomically_and_read_back_exactly(tmp_path: Path) -> None:
    kept = History(
        (entry("2020-01-02T00:00:00Z", {"a": "target_achieved"}), entry("2020-01-01T00:00:00Z", {}))
    )
    history.write_history(tmp_path, kept)
    assert read_history(tmp_path) == kept
    assert [p.name for p in tmp_path.iterdir()] == ["history.json"], "no temporary file left behind"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff not json",
        b"[]",
        b'{"format": 99, "entries": []}',
        b'{"format": 1, "entries": [{"release": {}, "recorded": "x", "indicators": {}}]}',
        b'{"format": 1, "entries": [{"release": {"a": "b"}, "recorded": "2020-01-01T00:00:00Z",'
        b' "indicators": {"x": {"status": "<script>"}}}]}',
        b'{"format": 1, "entries": 7}',
        b"[" * 100_000,
        b'{"format": 1, "entries": []' + b" " * (history.MAX_BYTES + 10) + b"}",
    ],
    ids=["empty", "binary", "list", "format", "bad-time", "bad-status", "not-a-list", "deep", "huge"],
)
def test_a_damaged_history_reads_as_empty_and_says_why(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "history.json").write_bytes(content)
    found = read_history(tmp_path)
    assert found.entries == () and found.problem


def test_a_missing_history_is_simply_empty(tmp_path: Path) -> None:
    assert read_history(tmp_path) == History()


def test_a_history_that_cannot_be_written_does_not_fail_the_refresh(ssb_stub, tmp_path: Path, capsys) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    root = real_dir(settings)
    root.mkdir(parents=True)
    (root / "history.json").mkdir()  # a folder where the file should go: the rename fails

    assert run(settings) == 0, "the data was saved; only the history is missing"
    assert "assessment history was not updated" in capsys.readouterr().err
    assert load_snapshot(settings).demo is False
    json.dumps(read_history(root).problem)  # reading it back does not raise either
