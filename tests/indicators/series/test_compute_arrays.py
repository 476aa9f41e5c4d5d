"""The fast series path agrees with the plain reading of DESIGN §4, on any response and formula.

The reference here is deliberately simple and slow: read the whole response into a frame with
:func:`read_dataset`, filter it, group it by (region, year) with pandas, and let
the reference evaluator (formula_reference.evaluate) do the arithmetic on pandas series.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from indicators.errors import ComputeError
from indicators.plan.formula import parse_formula
from indicators.plan.model import SsbSeries, year_of_period
from indicators.series.arrays import SeriesArrays, apply_formula, evaluate_arrays, tidy, to_frame
from indicators.series.compute import compute_indicator
from indicators.sources.ssb import TableResponse, ssb_series_frame
from indicators.ssb.jsonstat import dimension_codes
from indicators.ssb.query import resolve
from indicators.ssb.shape import clean_region_label, output_region, response_shape, table_region_code
from tests.indicators.plan.formula_reference import evaluate as evaluate_reference
from tests.indicators.ssb.jsonstat_reference import read_dataset
from tests.indicators.store.cache_support import dataset, frame_from_csv, make_catalog

REGION_LABELS = {
    "K-5001": "Trondheim - Tråante",
    "5001": "Trondheim",
    "K-0301": "Oslo - Oslove",
    "0301": "Oslo kommune",
    "EKG12": "Kostragruppe 12",
}
PERIODS = ["2019", "2019-2020", "2020", "2021"]
SYMBOLS = [None, "", "..", ".", ":", "p", "x"]


def pick_status(statuses) -> str | None:
    """DESIGN's rule for a missing sum: ``:`` > ``..`` > ``.``, else the first symbol SSB sent."""
    present = [s for s in statuses if isinstance(s, str) and s]
    return next((s for s in (":", "..", ".") if s in present), present[0] if present else None)


def reference_series(doc: dict, series: SsbSeries, regions: list[str]) -> pd.DataFrame:
    """Cut, then sum per (region, year) with pandas; a missing cell makes the sum missing."""
    shape = response_shape(doc)
    codes = dimension_codes(doc)
    frame = read_dataset(doc)
    wanted = series.value_codes()
    if shape.geo not in wanted:
        wanted[shape.geo] = [table_region_code(r, shape.k_codes) for r in regions]
    for variable, items in wanted.items():
        chosen, _ = resolve(items, codes[variable], is_time=variable == shape.time)
        frame = frame[frame[variable].isin(chosen)]
    frame = frame.assign(
        region=frame[shape.geo].map(output_region),
        region_name=frame[f"{shape.geo}_label"].map(clean_region_label),
        year=frame[shape.time].map(year_of_period),
    )
    rows = []
    for (region, year), group in frame.groupby(["region", "year"], sort=True):
        missing = group["value"].isna()
        value = math.nan if missing.any() else group["value"].sum()
        status = pick_status(group.loc[missing, "status"]) if missing.any() else None
        rows.append((region, group["region_name"].iloc[0], year, value, status))
    return tidy(pd.DataFrame(rows, columns=["region", "region_name", "year", "value", "status"]))


@st.composite
def responses(draw):
    """A response with region codes that may count as one (K-5001, 5001) and periods that may too."""
    region_codes = draw(st.lists(st.sampled_from(list(REGION_LABELS)), min_size=1, max_size=4, unique=True))
    periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=4, unique=True))
    others = {
        f"V{i}": {c: f"kode {c}" for c in draw(st.lists(st.sampled_from("abcd"), min_size=1, unique=True))}
        for i in range(draw(st.integers(0, 2)))
    }
    dims = {"Region": {c: REGION_LABELS[c] for c in region_codes}, "Tid": {p: p for p in periods}, **others}
    order = draw(st.permutations(list(dims)))
    dims = {d: dims[d] for d in order}
    cells = math.prod(len(c) for c in dims.values())
    values = draw(st.lists(st.none() | st.integers(-50, 1000), min_size=cells, max_size=cells))
    # Symbols on missing cells, and now and then on a cell that has a value (to be ignored).
    status = {
        i: draw(st.sampled_from(SYMBOLS)) for i in range(cells) if values[i] is None or draw(st.booleans())
    }
    doc = dataset(dims, [None if v is None else float(v) for v in values], table="12345")
    if any(s is not None for s in status.values()):
        doc["status"] = {str(i): s for i, s in status.items() if s is not None}
    select = {v: draw(st.lists(st.sampled_from(list(c)), min_size=1, unique=True)) for v, c in others.items()}
    if draw(st.booleans()):
        select["Region"] = draw(st.lists(st.sampled_from(region_codes), min_size=1, unique=True))
    if draw(st.booleans()):
        select["Tid"] = draw(st.lists(st.sampled_from(periods), min_size=1, unique=True))
    return doc, select


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=responses(), regions=st.lists(st.sampled_from(["K-5001", "K-0301", "K-4601"]), min_size=1))
def test_cut_and_sum_agree_with_a_plain_pandas_reading(case, regions) -> None:
    doc, select = case
    series = SsbSeries(table="12345", select=select)
    if "Region" not in select and not any(
        table_region_code(r, response_shape(doc).k_codes) in doc["dimension"]["Region"]["category"]["label"]
        for r in regions
    ):
        with pytest.raises(ComputeError, match="matches nothing"):
            ssb_series_frame(doc, series, regions)
        return
    assert_frame_equal(ssb_series_frame(doc, series, regions), reference_series(doc, series, regions))


def test_codes_that_count_as_the_same_region_and_year_are_summed_together() -> None:
    doc = dataset(
        {
            "Region": {"K-5001": "Trondheim - Tråante", "5001": "Trondheim (-2019)"},
            "Tid": {"2019-2020": "2019-2020", "2020": "2020"},
        },
        [1.0, 2.0, 4.0, None],
        status={3: "p"},
    )
    series = SsbSeries(table="99999", select={"Region": ["K-5001", "5001"], "Tid": ["2019-2020"]})
    assert_frame_equal(
        ssb_series_frame(doc, series, []),
        frame_from_csv("""
            region,region_name,year,value,status
            K-5001,Trondheim,2020,5.0,
        """),
    )
    # With the other period too, the sum has a missing cell: missing, with SSB's own symbol.
    series = SsbSeries(table="99999", select={"Region": ["K-5001", "5001"]})
    assert_frame_equal(
        ssb_series_frame(doc, series, []),
        frame_from_csv("""
            region,region_name,year,value,status
            K-5001,Trondheim,2020,,p
        """),
    )


def test_a_metadata_response_gives_no_rows() -> None:
    doc = dataset({"Region": {"K-5001": "Trondheim"}, "Tid": {"2020": "2020"}}, [])
    frame = ssb_series_frame(doc, SsbSeries(table="99999"), ["K-5001"])
    assert frame.empty and list(frame.columns) == ["region", "region_name", "year", "value", "status"]


# --- formulas ----------------------------------------------------------------------------------


@st.composite
def formulas(draw, depth: int = 0) -> str:
    if depth > 2 or draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(["a", "b", "c", "0", "2", "0.5"]))
    op = draw(st.sampled_from(["+", "-", "*", "/"]))
    left, right = draw(formulas(depth + 1)), draw(formulas(depth + 1))
    return f"-({left})" if draw(st.integers(0, 5)) == 0 else f"({left} {op} {right})"


@settings(max_examples=80, deadline=None)
@given(text=formulas(), data=st.data())
def test_formulas_on_arrays_agree_with_the_formula_language(text, data) -> None:
    rows = data.draw(st.integers(0, 6))
    column = st.lists(st.none() | st.sampled_from([0.0, 1.0, -2.5, 3.0, 1e308]), min_size=rows, max_size=rows)
    arrays = {n: np.array([np.nan if v is None else v for v in data.draw(column)]) for n in "abc"}
    formula = parse_formula(text)
    index = pd.RangeIndex(rows)
    expected = evaluate_reference(
        formula, {n: pd.Series(a, index=index) for n, a in arrays.items()}
    ).to_numpy()
    np.testing.assert_array_equal(apply_formula(formula, arrays, rows), expected)


OPERANDS = """
name = "Andel"
subgoals = ["1.1"]
unit = "prosent"
direction = "increase"
formula = "100 * a / b"
[series.a]
table = "99999"
select = { ContentsCode = "A" }
[series.b]
table = "99999"
select = { ContentsCode = "B" }
"""


def test_a_missing_result_takes_the_most_telling_operand_symbol_else_the_first_one_ssb_sent(
    tmp_path: Path,
) -> None:
    # Years: 2019 a=":" b=".." -> ":"; 2020 a="p" b="x" -> "p" (a comes first); 2021 a="p" b=".." -> "..".
    doc = dataset(
        {
            "Region": {"K-5001": "Trondheim - Tråante"},
            "ContentsCode": {"A": "A", "B": "B"},
            "Tid": {"2019": "2019", "2020": "2020", "2021": "2021", "2022": "2022"},
        },
        [None, None, None, 1.0, None, None, None, 4.0],
        status={0: ":", 1: "p", 2: "p", 4: "..", 5: "x", 6: ".."},
    )
    catalog = make_catalog(tmp_path, {"andel": OPERANDS})
    frame = compute_indicator(
        catalog.indicators["andel"], catalog, {"99999": [TableResponse({}, ("andel.a", "andel.b"), doc)]}
    )
    assert_frame_equal(
        frame,
        frame_from_csv("""
            region,region_name,year,value,status
            K-5001,Trondheim,2019,,:
            K-5001,Trondheim,2020,,p
            K-5001,Trondheim,2021,,..
            K-5001,Trondheim,2022,25.0,
        """),
    )
    # The frame-level API (used by `check`) gives the same.
    parts = {
        name: ssb_series_frame(doc, catalog.indicators["andel"].series[name], ["K-5001"]) for name in "ab"
    }
    arrays = {name: SeriesArrays.from_frame(part) for name, part in parts.items()}
    evaluated = evaluate_arrays(catalog.indicators["andel"].parsed_formula, arrays, ("K-5001", "Trondheim"))
    assert_frame_equal(to_frame(evaluated), frame)
