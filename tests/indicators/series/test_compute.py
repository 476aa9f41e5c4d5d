"""Series computation (DESIGN §4): cut, sum, formula per region and year, csv series, status symbols."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from indicators.errors import ComputeError
from indicators.plan.model import SsbSeries
from indicators.series.compute import compute_indicator
from indicators.sources.csv_file import csv_series_frame
from indicators.sources.ssb import TableResponse, ssb_series_frame
from indicators.ssb.shape import clean_region_label
from tests.indicators.store.cache_support import dataset, frame_from_csv, make_catalog

REGIONS = ["K-5001", "K-0301", "K-4601", "K-1103"]


def vehicles(values: list[float | None] | None = None, status: dict[int, str] | None = None) -> dict:
    """A union response: two regions x fuel types 1, 2, 6 x two years (Tid varies fastest)."""
    dims = {
        "Region": {"K-5001": "Trondheim - Tråante", "K-0301": "Oslo - Oslove"},
        "DrivstoffType": {"1": "Bensin", "2": "Diesel", "6": "Elektrisk"},
        "ContentsCode": {"Personbil1": "Personbiler"},
        "Tid": {"2020": "2020", "2021": "2021"},
    }
    # Trondheim: bensin 100/90, diesel 50/40, el 10/30; Oslo: bensin 200/150, diesel 80/60, el 40/90
    default = [100, 90, 50, 40, 10, 30, 200, 150, 80, 60, 40, 90]
    return dataset(dims, values or default, status=status, table="07849")


@pytest.mark.parametrize(
    ("label", "clean"),
    [
        ("Trondheim - Tråante", "Trondheim"),
        ("Oslo - Oslove", "Oslo"),
        ("Bergen (-2019)", "Bergen"),
        ("Trondheim (-2017)", "Trondheim"),
        ("Aurskog-Høland", "Aurskog-Høland"),
        ("Stavanger", "Stavanger"),
    ],
)
def test_region_labels_are_cleaned_of_sami_names_and_year_spans(label: str, clean: str) -> None:
    assert clean_region_label(label) == clean


def test_a_series_is_cut_by_its_own_codes_from_a_shared_response_and_summed() -> None:
    doc = vehicles()
    el = SsbSeries(table="07849", select={"DrivstoffType": "6", "ContentsCode": "Personbil1"})
    fossil = SsbSeries(table="07849", select={"DrivstoffType": ["1", "2"], "ContentsCode": "Personbil1"})

    assert_frame_equal(
        ssb_series_frame(doc, el, REGIONS),
        frame_from_csv("""
            region,region_name,year,value,status
            K-0301,Oslo,2020,40.0,
            K-0301,Oslo,2021,90.0,
            K-5001,Trondheim,2020,10.0,
            K-5001,Trondheim,2021,30.0,
        """),
    )
    assert_frame_equal(
        ssb_series_frame(doc, fossil, REGIONS),
        frame_from_csv("""
            region,region_name,year,value,status
            K-0301,Oslo,2020,280.0,
            K-0301,Oslo,2021,210.0,
            K-5001,Trondheim,2020,150.0,
            K-5001,Trondheim,2021,130.0,
        """),
    )


def test_a_missing_cell_makes_the_sum_missing_with_its_status_never_zero() -> None:
    # Trondheim diesel 2021 is ".." (index 3); Oslo bensin 2020 is ":" and Oslo diesel 2020 ".."
    values = [100, 90, 50, None, 10, 30, None, 150, None, 60, 40, 90]
    doc = vehicles(values, status={3: "..", 6: ":", 8: ".."})
    series = SsbSeries(table="07849", select={"DrivstoffType": ["1", "2", "6"], "ContentsCode": "Personbil1"})

    assert_frame_equal(
        ssb_series_frame(doc, series, REGIONS),
        frame_from_csv("""
            region,region_name,year,value,status
            K-0301,Oslo,2020,,:
            K-0301,Oslo,2021,300.0,
            K-5001,Trondheim,2020,160.0,
            K-5001,Trondheim,2021,,..
        """),
    )


def test_expressions_are_resolved_against_the_response() -> None:
    series = SsbSeries(
        table="07849", select={"DrivstoffType": "6", "ContentsCode": "*", "Tid": "top(1)", "Region": "K-5001"}
    )
    assert_frame_equal(
        ssb_series_frame(vehicles(), series, REGIONS),
        frame_from_csv("""
            region,region_name,year,value,status
            K-5001,Trondheim,2021,30.0,
        """),
    )


def test_a_code_the_cache_lacks_is_an_error_naming_it() -> None:
    series = SsbSeries(table="07849", select={"DrivstoffType": "7", "ContentsCode": "Personbil1"})
    with pytest.raises(ComputeError, match=r"07849.*DrivstoffType = 7.*refresh"):
        ssb_series_frame(vehicles(), series, REGIONS)


def test_kostra_plain_codes_are_reported_as_k_codes_and_groups_left_out() -> None:
    doc = dataset(
        {
            "KOKkommuneregion0000": {
                "EKG12": "Kostragruppe 12",
                "0301": "Oslo kommune",
                "5001": "Trondheim - Tråante",
            },
            "ContentsCode": {"KOSandel120000": "Andel"},
            "Tid": {"2017-2018": "2017-2018", "2019-2020": "2019-2020"},
        },
        [91.0, 92.0, 95.5, None, 93.1, 94.2],
        status={3: "."},
        table="12345",
    )
    series = SsbSeries(table="12345", select={"ContentsCode": "KOSandel120000"})

    # Two-year periods count as their last year; "." (not applicable) is kept as the reason.
    assert_frame_equal(
        ssb_series_frame(doc, series, REGIONS),
        frame_from_csv("""
            region,region_name,year,value,status
            K-0301,Oslo kommune,2018,95.5,
            K-0301,Oslo kommune,2020,,.
            K-5001,Trondheim,2018,93.1,
            K-5001,Trondheim,2020,94.2,
        """),
    )


FORMULA_DEFINITION = """
name = "Elbilandel"
subgoals = ["1.4"]
unit = "prosent"
direction = "increase"
formula = "100 * el / alle"
[series.el]
table = "07849"
select = { DrivstoffType = "6", ContentsCode = "Personbil1" }
[series.alle]
table = "07849"
select = { DrivstoffType = ["1", "2", "6"], ContentsCode = "Personbil1" }
"""


def test_formula_is_evaluated_per_region_and_year(tmp_path: Path) -> None:
    catalog = make_catalog(tmp_path, {"elbil": FORMULA_DEFINITION})
    responses = {"07849": [TableResponse({}, ("elbil.el", "elbil.alle"), vehicles())]}

    frame = compute_indicator(catalog.indicators["elbil"], catalog, responses)

    expected = frame_from_csv("""
        region,region_name,year,value,status
        K-0301,Oslo,2020,12.5,
        K-0301,Oslo,2021,30.0,
        K-5001,Trondheim,2020,6.25,
        K-5001,Trondheim,2021,18.75,
    """)
    assert_frame_equal(frame, expected)


def test_formula_with_a_missing_operand_or_division_by_zero_gives_missing_values(tmp_path: Path) -> None:
    # Trondheim 2021: el is ".." -> the share is missing with "..";
    # Oslo 2020: every fuel is 0 -> 0/0 is missing without a status (no crash, no infinity).
    values = [100, 90, 50, 40, 10, None, 0, 150, 0, 60, 0, 90]
    catalog = make_catalog(tmp_path, {"elbil": FORMULA_DEFINITION})
    responses = {"07849": [TableResponse({}, ("elbil.el", "elbil.alle"), vehicles(values, status={5: ".."}))]}

    frame = compute_indicator(catalog.indicators["elbil"], catalog, responses)

    expected = frame_from_csv("""
        region,region_name,year,value,status
        K-0301,Oslo,2020,,
        K-0301,Oslo,2021,30.0,
        K-5001,Trondheim,2020,6.25,
        K-5001,Trondheim,2021,,..
    """)
    assert_frame_equal(frame, expected)
    assert not frame["value"].isin([math.inf, -math.inf]).any()


def test_years_outside_an_operands_span_are_left_out_and_its_gaps_keep_their_status(tmp_path: Path) -> None:
    definition = """
    name = "Per innbygger"
    subgoals = ["1.1"]
    unit = "per innbygger"
    direction = "decrease"
    formula = "utslipp / bef"
    [series.utslipp]
    csv = "data/utslipp.csv"
    [series.bef]
    table = "07849"
    select = { DrivstoffType = "6", ContentsCode = "Personbil1", Region = "K-5001" }
    """
    # The csv runs 2019-2022, the table 2020-2021: 2019 and 2022 are outside the common span.
    (tmp_path / "definitions" / "data").mkdir(parents=True)
    (tmp_path / "definitions" / "data" / "utslipp.csv").write_text(
        "year,value\n2019,1\n2020,20\n2021,..\n2022,25\n"
    )
    catalog = make_catalog(tmp_path, {"per-innbygger": definition})
    responses = {"07849": [TableResponse({}, ("per-innbygger.bef",), vehicles())]}

    frame = compute_indicator(catalog.indicators["per-innbygger"], catalog, responses)

    expected = frame_from_csv("""
        region,region_name,year,value,status
        K-5001,Trondheim,2020,2.0,
        K-5001,Trondheim,2021,,..
    """)
    assert_frame_equal(frame, expected)


def test_the_common_span_is_found_per_region(tmp_path: Path) -> None:
    definition = (
        FORMULA_DEFINITION.replace("100 * el / alle", "100 * el / alle + 0 * ekstra")
        + """
    [series.ekstra]
    csv = "data/ekstra.csv"
    """
    )
    (tmp_path / "definitions" / "data").mkdir(parents=True)
    (tmp_path / "definitions" / "data" / "ekstra.csv").write_text(
        "year,value,region\n2020,1,K-5001\n2021,1,K-0301\n2020,1,K-0301\n"
    )
    catalog = make_catalog(tmp_path, {"elbil": definition})
    responses = {"07849": [TableResponse({}, ("elbil.el", "elbil.alle"), vehicles())]}

    frame = compute_indicator(catalog.indicators["elbil"], catalog, responses)

    expected = frame_from_csv("""
        region,region_name,year,value,status
        K-0301,Oslo,2020,12.5,
        K-0301,Oslo,2021,30.0,
        K-5001,Trondheim,2020,6.25,
    """)
    assert_frame_equal(frame, expected)


def test_csv_series_without_region_belong_to_the_home_region_and_keep_symbols(tmp_path: Path) -> None:
    path = tmp_path / "series.csv"
    path.write_text("year,value\n2019,10.5\n2020,..\n2019-2021,12\n", encoding="utf-8")

    frame = csv_series_frame(path, home_region="K-5001", region_name="Trondheim")

    assert_frame_equal(
        frame,
        frame_from_csv("""
            region,region_name,year,value,status
            K-5001,Trondheim,2019,10.5,
            K-5001,Trondheim,2020,,..
            K-5001,Trondheim,2021,12.0,
        """),
    )


def test_csv_series_with_regions(tmp_path: Path) -> None:
    path = tmp_path / "series.csv"
    path.write_text("year,value,region\n2020,1,K-5001\n2020,2,K-0301\n", encoding="utf-8")
    frame = csv_series_frame(path, home_region="K-5001", region_name="Trondheim")
    assert list(frame["region"]) == ["K-0301", "K-5001"]
    assert list(frame["value"]) == [2.0, 1.0]


def test_a_csv_value_that_is_not_a_number_is_an_error_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "series.csv"
    path.write_text("year,value\n2019,10\n2020,ti\n", encoding="utf-8")
    with pytest.raises(ComputeError, match=r"line 3: 'ti' is not a number"):
        csv_series_frame(path, home_region="K-5001", region_name="Trondheim")


def test_output_has_the_interface_columns_and_dtypes(tmp_path: Path) -> None:
    catalog = make_catalog(tmp_path, {"elbil": FORMULA_DEFINITION})
    frame = compute_indicator(
        catalog.indicators["elbil"],
        catalog,
        {"07849": [TableResponse({}, ("elbil.el", "elbil.alle"), vehicles())]},
    )
    assert list(frame.columns) == ["region", "region_name", "year", "value", "status"]
    assert frame["year"].dtype == "int64" and frame["value"].dtype == "float64"
    assert frame["status"].dtype == object
    assert frame.equals(frame.sort_values(["region", "year"]).reset_index(drop=True))
    assert isinstance(pd.Series(frame["status"]).iloc[0], type(None))


def test_an_operand_without_a_year_inside_the_span_gives_a_missing_value(tmp_path: Path) -> None:
    definition = """
    name = "Per innbygger"
    subgoals = ["1.1"]
    unit = "per innbygger"
    direction = "decrease"
    formula = "utslipp / bef"
    [series.utslipp]
    csv = "data/utslipp.csv"
    [series.bef]
    table = "05000"
    select = { ContentsCode = "Folk" }
    """
    (tmp_path / "definitions" / "data").mkdir(parents=True)
    (tmp_path / "definitions" / "data" / "utslipp.csv").write_text("year,value\n2019,30\n2021,10\n")
    catalog = make_catalog(tmp_path, {"per-innbygger": definition})
    doc = dataset(
        {
            "Region": {"K-5001": "Trondheim - Tråante"},
            "ContentsCode": {"Folk": "Folkemengde"},
            "Tid": {"2019": "2019", "2020": "2020", "2021": "2021"},
        },
        [10, 20, 5],
        table="05000",
    )

    frame = compute_indicator(
        catalog.indicators["per-innbygger"],
        catalog,
        {"05000": [TableResponse({}, ("per-innbygger.bef",), doc)]},
    )

    expected = frame_from_csv("""
        region,region_name,year,value,status
        K-5001,Trondheim,2019,3.0,
        K-5001,Trondheim,2020,,
        K-5001,Trondheim,2021,2.0,
    """)
    assert_frame_equal(frame, expected)
