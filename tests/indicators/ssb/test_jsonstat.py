"""The JSON-stat2 reader: codes, labels, values and SSB's status symbols in a tidy frame."""

from __future__ import annotations

import copy
import io
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.errors import BadResponse
from indicators.ssb.jsonstat import dimension_roles, merge_datasets
from tests.indicators.ssb import jsonstat_reference
from tests.indicators.ssb.jsonstat_reference import read_dataset

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "ssb-samples"


def small_doc() -> dict:
    """Two regions × three years; 0301/2021 is missing (..), 5001/2022 not applicable (.)."""
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "Test",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [2, 1, 3],
        "dimension": {
            "Region": {
                "label": "region",
                "category": {"index": {"0301": 0, "5001": 1}, "label": {"0301": "Oslo", "5001": "Trondheim"}},
            },
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {"index": {"Personer": 0}, "label": {"Personer": "Personer"}},
            },
            "Tid": {
                "label": "år",
                "category": {
                    "index": {"2020": 0, "2021": 1, "2022": 2},
                    "label": {"2020": "2020", "2021": "2021", "2022": "2022"},
                },
            },
        },
        "value": [10, None, 12, 20, 21, None],
        "status": {"1": "..", "5": "."},
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "extension": {"px": {"tableid": "99999"}},
    }


EXPECTED = """Region,Region_label,ContentsCode,ContentsCode_label,Tid,Tid_label,value,status
0301,Oslo,Personer,Personer,2020,2020,10.0,
0301,Oslo,Personer,Personer,2021,2021,,..
0301,Oslo,Personer,Personer,2022,2022,12.0,
5001,Trondheim,Personer,Personer,2020,2020,20.0,
5001,Trondheim,Personer,Personer,2021,2021,21.0,
5001,Trondheim,Personer,Personer,2022,2022,,.
"""


def expected_frame() -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(EXPECTED), dtype="str", keep_default_na=False)
    frame["value"] = pd.to_numeric(frame["value"].replace("", None)).astype("float64")
    frame["status"] = pd.Series([s or None for s in frame["status"]], dtype="object")
    return frame


def test_a_dataset_becomes_a_tidy_frame_with_codes_labels_values_and_status():
    pd.testing.assert_frame_equal(read_dataset(small_doc()), expected_frame())


def test_missing_cells_are_nan_with_their_symbol_never_zero():
    frame = read_dataset(small_doc())
    missing = frame[frame["status"].notna()]
    assert missing["value"].isna().all()
    assert list(missing["status"]) == ["..", "."]
    assert 0 not in frame["value"].tolist()


def test_category_index_as_a_list_reads_like_the_object_form():
    doc = small_doc()
    doc["dimension"]["Tid"]["category"]["index"] = ["2020", "2021", "2022"]
    pd.testing.assert_frame_equal(read_dataset(doc), expected_frame())


def test_categories_follow_the_index_not_the_order_of_keys():
    doc = small_doc()
    doc["dimension"]["Region"]["category"]["index"] = {"5001": 1, "0301": 0}
    doc["dimension"]["Region"]["category"]["label"] = {"5001": "Trondheim", "0301": "Oslo"}
    pd.testing.assert_frame_equal(read_dataset(doc), expected_frame())


def test_a_single_category_without_index_is_read():
    doc = small_doc()
    del doc["dimension"]["ContentsCode"]["category"]["index"]
    pd.testing.assert_frame_equal(read_dataset(doc), expected_frame())


def test_status_may_be_a_list_or_one_symbol_for_all():
    doc = small_doc()
    doc["status"] = [None, "..", None, None, None, "."]
    pd.testing.assert_frame_equal(read_dataset(doc), expected_frame())
    doc["status"] = "p"
    assert read_dataset(doc)["status"].tolist() == ["p"] * 6


@pytest.mark.parametrize("value", [[], None])
def test_a_metadata_response_gives_an_empty_frame_with_the_columns(value):
    doc = small_doc()
    doc["value"] = value
    del doc["status"]
    frame = read_dataset(doc)
    assert frame.empty
    assert list(frame.columns) == list(expected_frame().columns)
    assert frame["value"].dtype == "float64"


def test_sizes_that_do_not_multiply_to_the_values_are_a_bad_response():
    doc = small_doc()
    doc["value"] = doc["value"][:-1]
    with pytest.raises(
        BadResponse, match=r"table 99999: the sizes \[2, 1, 3\] multiply to 6 cells but there are 5 values"
    ):
        read_dataset(doc)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(size=[2, 1]), "`size` must list one integer per dimension"),
        (lambda d: d["dimension"].pop("Tid"), "dimension Tid has no `category`"),
        (lambda d: d.update(value=[1, 2, "x", 4, 5, 6]), "values must be numbers or null"),
        (lambda d: d.update({"class": "collection"}), "expected class 'dataset'"),
        (
            lambda d: d["dimension"]["Tid"]["category"].update(index={"2020": 0, "2021": 2, "2022": 3}),
            "not 0..n-1",
        ),
    ],
)
def test_a_malformed_dataset_is_a_bad_response(mutate, message):
    doc = small_doc()
    mutate(doc)
    with pytest.raises(BadResponse, match=message):
        read_dataset(doc)


def test_reading_emits_no_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_dataset(small_doc())
    assert [str(w.message) for w in caught] == []


def test_dimension_roles():
    assert dimension_roles(small_doc()) == {"Region": "geo", "ContentsCode": "metric", "Tid": "time"}
    doc = small_doc()
    del doc["role"]
    assert dimension_roles(doc) == {"Region": None, "ContentsCode": None, "Tid": None}


def test_split_parts_merge_back_into_the_whole():
    whole = small_doc()
    parts = []
    for years, values, status in [
        (["2020"], [10, 20], {}),
        (["2021", "2022"], [None, 12, 21, None], {"0": "..", "3": "."}),
    ]:
        part = copy.deepcopy(whole)
        part["dimension"]["Tid"]["category"] = {
            "index": {y: i for i, y in enumerate(years)},
            "label": {y: y for y in years},
        }
        part["size"] = [2, 1, len(years)]
        part["value"] = values
        part["status"] = status
        parts.append(part)
    merged = merge_datasets(parts, "Tid")
    pd.testing.assert_frame_equal(read_dataset(merged), expected_frame())
    assert merged["status"] == {"1": "..", "5": "."}


def test_parts_that_differ_elsewhere_cannot_be_merged():
    first, second = small_doc(), small_doc()
    second["dimension"]["Region"]["category"]["index"] = {"0301": 0, "4601": 1}
    with pytest.raises(BadResponse, match="their dimensions differ"):
        merge_datasets([first, second], "Tid")


# --- real SSB responses -----------------------------------------------------------------------------


def _sample(name: str) -> dict:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"real SSB samples not found at {SAMPLES} (they live in ../shared beside the repository)")
    return json.loads(path.read_text(encoding="utf-8"))


def test_real_sample_with_status_symbols_05300():
    doc = _sample("ssb_v0_05300_dataset_json-stat2_with_status.json")
    frame = read_dataset(doc)
    assert len(frame) == 6 * 8 * 1 * 9
    assert frame["status"].notna().sum() == len(doc["status"])
    assert frame.loc[frame["status"].notna(), "value"].isna().all()
    assert set(frame["status"].dropna()) == {".", ".."}
    first = frame.iloc[0]
    assert (first["Avstand1"], first["Avstand1_label"], first["Tid"], first["value"]) == (
        "01",
        "Under 1 km",
        "1991",
        16.0,
    )
    assert frame.loc[360, "status"] == ".." and pd.isna(frame.loc[360, "value"])
    assert dimension_roles(doc)["Tid"] == "time"


def test_real_sample_with_k_codes_07459():
    frame = read_dataset(_sample("ssb_v0_07459_all_kommuner_Ksum_2022.json"))
    trondheim = frame[frame["Region"] == "K-5001"].iloc[0]
    assert (trondheim["Region_label"], trondheim["Tid"], trondheim["value"]) == (
        "Trondheim",
        "2022",
        210496.0,
    )
    assert len(frame) == 359 and frame["status"].isna().all()


# --- large datasets ----------------------------------------------------------------------------------

_codes = st.lists(
    st.text(alphabet="0123456789ABK-", min_size=1, max_size=6), min_size=1, max_size=4, unique=True
)


@settings(max_examples=40, deadline=None)
@given(dims=st.lists(_codes, min_size=1, max_size=4), data=st.data())
def test_large_datasets_read_exactly_like_pyjstat_reads_small_ones(dims, data):
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": [f"D{i}" for i in range(len(dims))],
        "size": [len(codes) for codes in dims],
        "dimension": {
            f"D{i}": {"category": {"index": codes, "label": {c: f"label {c}" for c in codes}}}
            for i, codes in enumerate(dims)
        },
    }
    cells = 1
    for codes in dims:
        cells *= len(codes)
    doc["value"] = data.draw(
        st.lists(st.one_of(st.none(), st.floats(-1e9, 1e9)), min_size=cells, max_size=cells)
    )
    doc["status"] = {str(i): ".." for i, v in enumerate(doc["value"]) if v is None}
    by_pyjstat = read_dataset(doc)
    original = jsonstat_reference.PYJSTAT_MAX_CELLS
    jsonstat_reference.PYJSTAT_MAX_CELLS = -1
    try:
        by_product = read_dataset(doc)
    finally:
        jsonstat_reference.PYJSTAT_MAX_CELLS = original
    pd.testing.assert_frame_equal(by_product, by_pyjstat)
