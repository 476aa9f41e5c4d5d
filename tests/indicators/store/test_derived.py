"""The derived layer: series a refresh computed, served only while everything they came from is unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.config import REPO_ROOT, Settings
from indicators.errors import CatalogError
from indicators.plan.catalog import load_catalog
from indicators.report import build_report
from indicators.ssb.client import SsbClient
from indicators.store import derived
from indicators.store.refresh import real_cache, refresh
from indicators.store.snapshot import load_snapshot
from tests.indicators.store.cache_support import BIRTHS, POPULATION, STANDARD, run_refresh, settings_for

SERIES = Path("derived") / derived.SERIES_FILE
CSV_INDICATOR = """
name = "Klimagass"
subgoals = ["1.1"]
unit = "tonn"
direction = "decrease"
[series.utslipp]
csv = "data/utslipp.csv"
"""


def _series_file(settings: Settings) -> Path:
    return real_cache(settings).root / SERIES


def _computed(settings: Settings) -> dict:
    """The frames a load computes itself (the derived layer moved aside, then put back)."""
    path = _series_file(settings)
    kept = path.read_bytes()
    path.unlink()
    try:
        snapshot = load_snapshot(settings)
        assert snapshot.derived == 0
        return {k: snapshot.series[k] for k in snapshot.series}
    finally:
        path.write_bytes(kept)


def _assert_same(snapshot, computed: dict) -> None:
    assert set(snapshot.series) == set(computed)
    for indicator_id, frame in computed.items():
        assert snapshot.series[indicator_id].equals(frame), indicator_id


@pytest.fixture
def refreshed(ssb_stub, tmp_path: Path) -> Settings:
    definitions = {**STANDARD, "klimagass": CSV_INDICATOR}
    settings = settings_for(tmp_path, ssb_stub.url, definitions)
    (settings.definitions / "data").mkdir()
    (settings.definitions / "data" / "utslipp.csv").write_text(
        "year,value\n2018,100\n2020,90\n2022,85\n", encoding="utf-8"
    )
    code, printed = run_refresh(settings)
    assert code == 0, printed
    return settings


def test_after_a_refresh_every_series_comes_from_the_layer_and_equals_computing_it(
    refreshed: Settings,
) -> None:
    snapshot = load_snapshot(refreshed)

    assert snapshot.derived == len(snapshot.catalog.indicators) == 4 and not snapshot.problems
    _assert_same(snapshot, _computed(refreshed))
    with_layer = build_report(snapshot)
    _series_file(refreshed).unlink()
    computed = load_snapshot(refreshed)
    assert computed.derived == 0 and build_report(computed) == with_layer


def test_a_changed_definition_is_computed_again_never_served_stale(refreshed: Settings) -> None:
    changed = BIRTHS.replace('formula = "1000 * fodte / bef"', 'formula = "100 * fodte / bef"')
    (refreshed.definitions / "fodte.toml").write_text(changed, encoding="utf-8")

    snapshot = load_snapshot(refreshed)

    assert snapshot.derived == 3, "only the changed definition is computed"
    _assert_same(snapshot, _computed(refreshed))
    ratio = snapshot.series["fodte"]["value"].dropna()
    assert (ratio < 100).all(), "the new formula's values, not the stored ones"


def test_a_changed_csv_file_or_list_of_peers_is_computed_again(refreshed: Settings) -> None:
    (refreshed.definitions / "data" / "utslipp.csv").write_text(
        "year,value\n2018,100\n2020,70\n2023,60\n", encoding="utf-8"
    )
    snapshot = load_snapshot(refreshed)
    assert snapshot.derived == 3
    assert snapshot.series["klimagass"]["year"].tolist() == [2018, 2020, 2023]

    goals = refreshed.goals.read_text(encoding="utf-8")
    refreshed.goals.write_text(goals.replace('"K-4601", "K-1103"]', '"K-4601"]', 1), encoding="utf-8")
    assert '"K-4601"]' in refreshed.goals.read_text(encoding="utf-8")
    snapshot = load_snapshot(refreshed)
    assert snapshot.derived < 4
    _assert_same(snapshot, _computed(refreshed))


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut off
        lambda raw: b"not json",
        lambda raw: raw.replace(b'"code":"', b'"code":"older-code-', 1),  # another version of the code
        lambda raw: raw.replace(b'"year":"', b'"year":"AAAA', 1),  # a column of another length
        lambda raw: raw.replace(b'"format":1', b'"format":0', 1),  # another layout
    ],
    ids=["cut-off", "not-json", "other-code", "ragged", "other-format"],
)
def test_a_damaged_or_foreign_layer_is_ignored_and_left_alone_by_readers(refreshed: Settings, damage) -> None:
    expected = _computed(refreshed)
    path = _series_file(refreshed)
    path.write_bytes(damage(path.read_bytes()))
    written = path.read_bytes()

    snapshot = load_snapshot(refreshed)

    assert snapshot.derived < 4
    _assert_same(snapshot, expected)
    assert path.read_bytes() == written, "readers never write the derived layer"


def test_readers_never_create_the_layer(refreshed: Settings) -> None:
    folder = real_cache(refreshed).root / "derived"
    for file in folder.iterdir():
        file.unlink()
    load_snapshot(refreshed)
    assert list(folder.iterdir()) == []


def test_a_response_cut_short_after_the_refresh_is_reported_not_hidden_by_the_layer(
    refreshed: Settings,
) -> None:
    manifest = real_cache(refreshed).read_manifest()
    damaged = real_cache(refreshed).root / manifest.tables["90002"].current.responses[0].file
    damaged.write_text("{}")

    snapshot = load_snapshot(refreshed)

    assert "damaged" in snapshot.problems["barnehage"]
    assert snapshot.derived == 3


def test_a_layer_newer_than_the_manifest_read_gives_the_newer_data_never_a_mix(
    ssb_stub, tmp_path: Path, monkeypatch
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    catalog = load_catalog(settings.definitions, settings.goals)
    refresh(catalog, real_cache(settings), SsbClient(ssb_stub.url), keep_releases=1)
    ssb_stub.tables["90001"].base *= 3
    ssb_stub.touch("90001")
    read_series = derived.read_series
    raced = []

    def refresh_in_between(root: Path):
        # The reader has read the old manifest; a refresh now writes a new layer and manifest
        # and removes the files the old manifest named.
        if not raced:
            raced.append(True)
            refresh(catalog, real_cache(settings), SsbClient(ssb_stub.url), keep_releases=1)
        return read_series(root)

    monkeypatch.setattr(derived, "read_series", refresh_in_between)
    snapshot = load_snapshot(settings)
    monkeypatch.undo()

    fresh = load_snapshot(settings)
    assert raced and not snapshot.problems and fresh.derived == 3
    _assert_same(snapshot, {k: fresh.series[k] for k in fresh.series})


def test_the_parse_memo_never_hides_a_problem_in_a_definition(refreshed: Settings) -> None:
    assert derived.read_toml_memo(real_cache(refreshed).root), "the refresh remembered the parsed files"
    path = refreshed.definitions / "befolkning.toml"

    path.write_text(POPULATION.replace('direction = "increase"', 'direction = "opp"'), encoding="utf-8")
    with pytest.raises(CatalogError) as invalid:
        load_snapshot(refreshed)
    assert [(i.field, "must be one of" in i.message) for i in invalid.value.issues] == [("direction", True)]
    assert invalid.value.issues[0].path.endswith("befolkning.toml")

    path.write_text(POPULATION + "\n[broken\n", encoding="utf-8")
    with pytest.raises(CatalogError) as broken:
        load_snapshot(refreshed)
    assert "TOML syntax error" in broken.value.issues[0].message


def test_a_derived_layer_that_cannot_be_written_is_reported_and_the_refresh_still_succeeds(
    ssb_stub, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    blocked = real_cache(settings).root / "derived"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the folder should be")

    code, printed = run_refresh(settings)

    assert code == 0
    assert "precomputed series could not be saved" in printed
    snapshot = load_snapshot(settings)
    assert not snapshot.problems and snapshot.derived == 0 and len(snapshot.series) == 3


def test_status_served_from_the_layer_does_not_load_pandas(refreshed: Settings) -> None:
    # pandas is a third of `status`'s start-up (issue 9: status < 2 s with 1 000 indicators).
    flags = ["--definitions", str(refreshed.definitions), "--goals", str(refreshed.goals)]
    flags += ["--cache-dir", str(refreshed.cache_dir)]
    script = (
        "import io, sys, contextlib\n"
        "from indicators.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main(['status', '--json', *{flags!r}])\n"
        "print(code, len(out.getvalue()) > 0, 'pandas' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split() == ["0", "True", "False"], result.stderr
    report = json.loads(
        subprocess.run(
            [sys.executable, "-m", "indicators", "status", "--json", *flags],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    )
    assert report["goals"] and not report["demo"]
