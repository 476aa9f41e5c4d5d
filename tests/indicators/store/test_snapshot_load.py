"""Loading the snapshot fast without changing what it holds (the committed demo snapshot)."""

from __future__ import annotations

import pytest

from indicators.config import Settings
from indicators.series.compute import compute_indicator
from indicators.sources.ssb import TableResponse, ssb_series
from indicators.ssb import jsonstat
from indicators.store.cache import Cache
from indicators.store.snapshot import REPO_DEMO, load_snapshot


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory) -> Settings:
    # An empty cache folder: no real data, so the committed demo snapshot is loaded.
    return Settings.resolve({"cache_dir": tmp_path_factory.mktemp("cache")})


def test_every_series_is_what_computing_its_indicator_alone_gives(demo_settings: Settings) -> None:
    snapshot = load_snapshot(demo_settings)
    manifest = Cache(REPO_DEMO).read_manifest()
    cache = Cache(REPO_DEMO)
    responses = {
        table: [TableResponse(s.selection, s.serves, cache.read_response(s)) for s in entry.current.responses]
        for table, entry in manifest.tables.items()
    }

    assert (
        snapshot.demo and not snapshot.problems and len(snapshot.series) == len(snapshot.catalog.indicators)
    )
    for indicator_id, definition in snapshot.catalog.indicators.items():
        alone = compute_indicator(definition, snapshot.catalog, responses)
        assert snapshot.series[indicator_id].equals(alone), indicator_id
        assert snapshot.series[indicator_id].index.equals(alone.index)


def test_changing_one_series_frame_leaves_the_others_and_the_next_load_alone(demo_settings: Settings) -> None:
    snapshot = load_snapshot(demo_settings)
    first, second = list(snapshot.series)[:2]
    before = snapshot.series[second].copy()

    snapshot.series[first].loc[:, "value"] = -1.0

    assert snapshot.series[second].equals(before)
    assert (load_snapshot(demo_settings).series[first]["value"] != -1.0).any()


def test_each_response_is_parsed_once_per_load_however_many_series_it_serves(
    demo_settings: Settings, monkeypatch
) -> None:
    parsed: list[dict] = []
    read_cube = jsonstat.read_cube

    def counting(doc):
        parsed.append(doc)
        return read_cube(doc)

    monkeypatch.setattr(jsonstat, "read_cube", counting)
    snapshot = load_snapshot(demo_settings)

    manifest = Cache(REPO_DEMO).read_manifest()
    files = {r.file for entry in manifest.tables.values() for r in entry.current.responses}
    series = sum(len(ssb_series(d)) for d in snapshot.catalog.indicators.values())
    assert len(parsed) == len(files) < series
