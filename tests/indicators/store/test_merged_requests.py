"""One data request per table, however its series are written (issue 20 item 4).

A series that selects ``Kjonn = "2"`` and one that leaves ``Kjonn`` out (SSB eliminates it) share
one request; the eliminating series is summed locally. Each series must come out exactly as SSB's
own elimination gives it: the reference is the stub answering that series' query on its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from indicators.sources.ssb import ssb_series_frame
from indicators.ssb.client import SsbClient
from indicators.ssb.shape import default_regions, table_shape
from indicators.store.planning import plan_table, series_by_table
from indicators.store.refresh import real_cache
from indicators.store.snapshot import load_snapshot
from tests.indicators.store.cache_support import make_catalog, run_refresh, settings_for
from tests.ssb_stub.server import TABLES_DIR

WOMEN = """
name = "Kvinner"
subgoals = ["1.1"]
unit = "personer"
direction = "increase"
[series.kvinner]
table = "90001"
select = { ContentsCode = "Personer1", Kjonn = "2" }
"""
EVERYONE = """
name = "Befolkning"
subgoals = ["1.1"]
unit = "personer"
direction = "increase"
[series.alle]
table = "90001"
select = { ContentsCode = "Personer1" }
"""
DEFINITIONS = {"kvinner": WOMEN, "alle": EVERYONE}


def eliminated_by_ssb(tmp_path: Path, api_url: str) -> dict[str, pd.DataFrame]:
    """Each series asked on its own, as SSB answers it (Kjonn left out: SSB's elimination)."""
    catalog = make_catalog(tmp_path / "reference", DEFINITIONS)
    client = SsbClient(api_url)
    out = {}
    for table, refs in series_by_table(catalog).items():
        shape = table_shape(client.metadata(table), catalog.plan)
        for ref in refs:
            (request,) = plan_table(table, [ref], shape, catalog)
            regions = default_regions(catalog, catalog.indicators[ref.indicator])
            frame = ssb_series_frame(client.data(table, request.selection), ref.series, regions)
            out[ref.indicator] = frame
    return out


def assert_same_series(merged: pd.DataFrame, reference: pd.DataFrame) -> None:
    columns = ["region", "year", "value"]
    left = merged[columns].sort_values(columns[:2]).reset_index(drop=True)
    right = reference[columns].sort_values(columns[:2]).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)


def test_a_selected_and_an_eliminated_variable_share_one_request_and_sum_as_ssb_does(
    ssb_stub, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, DEFINITIONS)

    code, output = run_refresh(settings)

    assert code == 0, output
    assert ssb_stub.counts()["data"] == 1, "both series of 90001 in one request"
    assert len(real_cache(settings).read_manifest().tables["90001"].current.responses) == 1
    snapshot = load_snapshot(settings)
    reference = eliminated_by_ssb(tmp_path, ssb_stub.url)
    for indicator in DEFINITIONS:
        assert_same_series(snapshot.series[indicator], reference[indicator])
    women, everyone = (snapshot.series[i].set_index(["region", "year"])["value"] for i in DEFINITIONS)
    assert women.loc[("K-5001", 2020)] == 104321
    assert (everyone > women).all(), "the total sums both sexes"


def stub_with_a_total_code(ssb_stub_factory, tmp_path: Path):
    """The stub with 90001's Kjonn given an elimination value code "0" (both sexes)."""
    tables = tmp_path / "tables"
    shutil.copytree(TABLES_DIR, tables)
    fixture = tables / "90001.toml"
    text = fixture.read_text(encoding="utf-8")
    sex = 'elimination = true\nvalues = { "1" = "Menn", "2" = "Kvinner" }'
    assert sex in text
    fixture.write_text(
        text.replace(
            sex,
            'elimination = true\nelimination_code = "0"\nvalues = { "0" = "Begge kjønn", "1" = "Menn", "2" = "Kvinner" }',
        ),
        encoding="utf-8",
    )
    return ssb_stub_factory(tables_dir=tables)


def test_an_elimination_value_code_is_asked_for_and_used_instead_of_a_sum(
    ssb_stub_factory, tmp_path: Path
) -> None:
    stub = stub_with_a_total_code(ssb_stub_factory, tmp_path)
    settings = settings_for(tmp_path, stub.url, DEFINITIONS)

    code, output = run_refresh(settings)

    assert code == 0, output
    assert stub.counts()["data"] == 1
    (response,) = real_cache(settings).read_manifest().tables["90001"].current.responses
    assert sorted(response.selection["Kjonn"]["valueCodes"]) == ["0", "2"], "the total code, not every code"
    snapshot = load_snapshot(settings)
    reference = eliminated_by_ssb(tmp_path, stub.url)
    for indicator in DEFINITIONS:
        assert_same_series(snapshot.series[indicator], reference[indicator])


def test_a_data_answer_without_the_elimination_code_still_gives_the_total_not_total_plus_parts(
    ssb_stub_factory, tmp_path: Path
) -> None:
    # The code is known from the metadata; JSON-stat's dimension extensions are optional in data.
    stub = stub_with_a_total_code(ssb_stub_factory, tmp_path)
    stub.add_fault("90001", "no_extensions", endpoint="data")
    settings = settings_for(tmp_path, stub.url, DEFINITIONS)

    code, output = run_refresh(settings)

    assert code == 0, output
    snapshot = load_snapshot(settings)
    stub.clear_faults()
    reference = eliminated_by_ssb(tmp_path, stub.url)
    for indicator in DEFINITIONS:
        assert_same_series(snapshot.series[indicator], reference[indicator])


@pytest.mark.parametrize("max_cells", [40, 15])
def test_an_oversized_merged_request_is_split_and_still_sums_as_ssb_does(
    ssb_stub_factory, tmp_path: Path, max_cells: int
) -> None:
    stub = ssb_stub_factory(max_cells=max_cells)
    settings = settings_for(tmp_path, stub.url, DEFINITIONS)

    code, output = run_refresh(settings)

    assert code == 0, output
    assert stub.counts()["data"] > 1, "the merged query is over the cell limit: split"
    snapshot = load_snapshot(settings)
    reference = eliminated_by_ssb(tmp_path, stub.url)
    for indicator in DEFINITIONS:
        assert_same_series(snapshot.series[indicator], reference[indicator])


def test_an_empty_cache_costs_at_most_two_requests_per_table_and_reports_its_waits(
    ssb_stub_factory, tmp_path: Path
) -> None:
    # A limit the refresh must wait on: 3 calls per 1.5 s. (With 0.3 s a loaded machine took longer
    # than 0.1 s per call, so the refresh never needed to wait and "0.0 s waited" failed the test.)
    stub = ssb_stub_factory(max_calls=3, time_window=1.5)
    settings = settings_for(tmp_path, stub.url)

    code, output = run_refresh(settings)

    assert code == 0, output
    counts = stub.counts()
    tables = len(real_cache(settings).read_manifest().tables)
    assert counts["table_info"] == 0, "the metadata already says when a table was updated"
    assert counts["codelist"] == 0, "plain codes are counted without the codelist"
    assert sum(counts[k] for k in ("config", "tables", "metadata", "data")) <= 2 * tables + 3
    assert counts["rate_limited"] == 0
    assert " s waited." in output and "0.0 s waited" not in output, output


@pytest.mark.parametrize("bogus", ["9", {"code": "0"}, ["0"], None, ""])
def test_an_elimination_value_code_that_is_not_one_of_the_codes_is_ignored(bogus: object) -> None:
    from indicators.ssb.query import parse_table_metadata

    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "t",
        "id": ["Kjonn", "Tid"],
        "size": [2, 1],
        "role": {"time": ["Tid"]},
        "dimension": {
            "Kjonn": {
                "label": "kjønn",
                "category": {"index": {"1": 0, "2": 1}, "label": {"1": "Menn", "2": "Kvinner"}},
                "extension": {"elimination": True, "eliminationValueCode": bogus},
            },
            "Tid": {"label": "år", "category": {"index": {"2020": 0}, "label": {"2020": "2020"}}},
        },
        "value": [],
    }

    kjonn = parse_table_metadata("99999", doc, "test").variable("Kjonn")

    assert kjonn.elimination and kjonn.elimination_code is None, "summed over every code instead"


@pytest.mark.parametrize("scale", ["0", "-1", "2", "nan", "x"])
def test_the_benchmark_refuses_a_window_scale_outside_0_to_1(scale: str, capsys) -> None:
    from benchmarks.refresh_economy import main

    with pytest.raises(SystemExit) as stopped:
        main(["--scale", scale])

    assert stopped.value.code == 2
    assert "--scale" in capsys.readouterr().err
