"""The array path of assess_indicator/assess_all gives exactly the assessments of the pandas path.

``reference_assess`` below is the engine's code from before the array path (pandas Series all
the way, commit fa1aba6~1), kept verbatim apart from names: both must agree on every field for
any frame — peers' rows mixed in, years out of order or repeated, missing and infinite values.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.assessment import progress
from indicators.assessment.formulas import (
    MIN_YEARS,
    NO_BASE,
    NO_DATA,
    OPPOSITE_SIGNS,
    TOO_FEW_YEARS,
    cagr,
    capped,
    direction_sign,
    power,
    replace_zero,
)
from indicators.assessment.progress import Assessment, assess, assess_all, assess_indicator
from indicators.plan.catalog import Catalog
from indicators.plan.model import Definition
from tests.indicators.assessment.test_progress_rollup import definition, make_catalog

HOME = "K-5001"
PROPERTIES = settings(max_examples=200, deadline=None)


def reference_home_series(region: str, frame: pd.DataFrame | None) -> pd.Series:
    """The home region's values by year, as the engine read them before the array path."""
    if frame is None or frame.empty:
        return pd.Series(dtype="float64")
    rows = frame[frame["region"] == region]
    return pd.Series(rows["value"].to_numpy(dtype="float64"), index=rows["year"].astype(int).to_list())


def reference_clean(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(pd.Series(values, dtype="float64"), errors="coerce")
    numbers = numbers[numbers.notna() & ~numbers.isin([math.inf, -math.inf])]
    numbers.index = [int(year) for year in numbers.index]
    return numbers.sort_index()


def reference_assess(
    values: pd.Series,
    *,
    direction: str,
    limit: float | None = None,
    target_kind: str | None = None,
    target_value: float | None = None,
    target_year: int = 2032,
    baseline_year: int = 2020,
    tolerance: float = 0.01,
    indicator_id: str = "",
) -> Assessment:
    """``assess`` before the array path: pandas masks and positions on a cleaned Series."""
    d = direction_sign(direction)
    method = progress._method(target_kind, target_value, indicator_id)
    series = reference_clean(values)
    common: dict[str, Any] = {
        "indicator_id": indicator_id,
        "method": method,
        "target_year": target_year,
        "direction": direction,
        "limit": None if limit is None else float(limit),
        "baseline_year": baseline_year,
        "tolerance": float(tolerance) if method == "maintain" else None,
        "target_value": None if method != "target" or target_value is None else float(target_value),
        "un_ratio": None,
    }
    if series.empty:
        return progress._not_available(common, NO_DATA)
    t, current = int(series.index[-1]), float(series.iloc[-1])
    common |= {"current_year": t, "current_value": current}
    later = series[series.index >= baseline_year]
    if later.empty:
        return progress._not_available(common, NO_BASE)
    t0, base = int(later.index[0]), float(later.iloc[0])
    common |= {"base_year": t0, "base_value": base}
    if method == "maintain":
        common["target_value"] = base
    if t - t0 < MIN_YEARS:
        return progress._not_available(common, TOO_FEW_YEARS)
    b = replace_zero(base, current)
    if b * current < 0:
        return progress._not_available(common, OPPOSITE_SIGNS)
    sign = -1 if b < 0 else 1
    growth = 0.0 if current == base else cagr(current, b, t, t0)
    common |= {
        "growth_rate": growth,
        "projected_value": capped(current * power(1 + growth, max(target_year - t, 0)), current, limit),
    }
    if method == "target":
        return progress._assess_target(common, d, sign, b)
    return progress._assess_direction(common, d, sign, b)


def reference_assess_indicator(defn: Definition, catalog: Catalog, frame: pd.DataFrame | None) -> Assessment:
    target = defn.target
    return reference_assess(
        reference_home_series(catalog.plan.region, frame),
        direction=defn.direction,
        limit=defn.limit,
        target_kind=target.kind if target else None,
        target_value=target.value if target else None,
        target_year=catalog.target_year(defn),
        baseline_year=catalog.baseline_year(defn),
        tolerance=target.tolerance if target else 0.01,
        indicator_id=defn.id,
    )


# Fields added after the reference was written (kind "change" and milestones have their own
# worked examples in test_progress.py); the cases here have no change target and no milestones.
NEWER_FIELDS = {"target_kind": None, "target_change": None, "milestones": ()}


def same(a: Assessment, b: Assessment) -> bool:
    """Field by field, exactly (repr: NaN equals NaN, 0.1 + 0.2 does not equal 0.3)."""
    assert a.milestones == () and a.target_kind in (None, "value", "maintain")
    return repr(dataclasses.replace(a, **NEWER_FIELDS)) == repr(dataclasses.replace(b, **NEWER_FIELDS))


MAGNITUDE = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)
VALUE = st.one_of(MAGNITUDE, MAGNITUDE.map(lambda v: -v), st.just(0.0))
CELL = st.one_of(
    MAGNITUDE, VALUE, st.sampled_from([math.nan, math.inf, -math.inf]), st.integers(-5, 5).map(float)
)
ROW = st.tuples(st.sampled_from([HOME, HOME, "K-0301", "K-4601"]), st.integers(2014, 2034), CELL)


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame | None:
    """A snapshot frame: home and peer rows in any order, years possibly repeated; or nothing."""
    if draw(st.integers(0, 19)) == 0:
        return None
    rows = draw(st.lists(ROW, max_size=30))
    if draw(st.booleans()):  # most frames come sorted by region and year, as the snapshot makes them
        rows.sort(key=lambda row: (row[0], row[1]))
    return pd.DataFrame(
        {
            "region": pd.Series([r for r, _, _ in rows], dtype="str"),
            "region_name": pd.Series(["x"] * len(rows), dtype="str"),
            "year": pd.Series([y for _, y, _ in rows], dtype="int64"),
            "value": pd.Series([v for _, _, v in rows], dtype="float64"),
            "status": pd.Series([None] * len(rows), dtype=object),
        }
    )


@st.composite
def definitions(draw: st.DrawFn) -> Definition:
    fields: dict[str, Any] = {"direction": draw(st.sampled_from(["increase", "decrease"]))}
    limit = draw(st.one_of(st.none(), VALUE))
    if limit is not None:
        fields["limit"] = limit
    kind = draw(st.sampled_from([None, "value", "maintain"]))
    if kind is not None:
        target: dict[str, Any] = {"kind": kind, "source": "test"}
        if kind == "value":
            target["value"] = draw(VALUE)
        else:
            target["tolerance"] = draw(st.floats(min_value=0, max_value=0.2))
        if draw(st.booleans()):
            target["year"] = draw(st.integers(2018, 2040))
        if draw(st.booleans()):
            target["baseline_year"] = draw(st.integers(2015, 2030))
        fields["target"] = target
    return definition("x", ["1.1"], **fields)


@PROPERTIES
@given(definitions(), frames())
def test_assess_indicator_gives_the_pandas_paths_assessment(
    defn: Definition, frame: pd.DataFrame | None
) -> None:
    catalog = make_catalog([defn])
    fast = assess_indicator(defn, catalog, frame)
    assert same(fast, reference_assess_indicator(defn, catalog, frame)), (fast, frame)


@PROPERTIES
@given(definitions(), frames())
def test_public_assess_on_a_series_gives_the_pandas_paths_assessment(
    defn: Definition, frame: pd.DataFrame | None
) -> None:
    """The dashboard calls ``assess`` with a Series; it shares the array core."""
    catalog = make_catalog([defn])
    values = reference_home_series(HOME, frame)
    target = defn.target
    options: dict[str, Any] = {
        "direction": defn.direction,
        "limit": defn.limit,
        "target_kind": target.kind if target else None,
        "target_value": target.value if target else None,
        "target_year": catalog.target_year(defn),
        "baseline_year": catalog.baseline_year(defn),
        "tolerance": target.tolerance if target else 0.01,
        "indicator_id": "x",
    }
    assert same(assess(values, **options), reference_assess(values, **options))


def test_only_the_home_regions_rows_are_assessed() -> None:
    catalog = make_catalog([definition("x", ["1.1"])])
    frame = pd.DataFrame(
        {
            "region": ["K-5001", "K-0301", "K-5001", "K-5001"],
            "region_name": ["Trondheim", "Oslo", "Trondheim", "Trondheim"],
            "year": [2022, 2020, 2020, 2021],
            "value": [3.0, 9.0, 1.0, math.nan],
            "status": [None, None, None, ".."],
        }
    )
    a = assess_indicator(catalog.indicators["x"], catalog, frame)
    # Oslo's 9.0 in 2020 is not Trondheim's; Trondheim's years are sorted, its NaN in 2021 dropped.
    assert (a.base_year, a.base_value, a.current_year, a.current_value) == (2020, 1.0, 2022, 3.0)
    assert assess_indicator(catalog.indicators["x"], catalog, None).status == "not_available"
    assert assess_indicator(catalog.indicators["x"], catalog, frame.iloc[0:0]).status == "not_available"


def test_assess_all_on_a_catalogue_matches_the_pandas_path_indicator_by_indicator() -> None:
    """Several indicators over the frames of one snapshot-like DataFrame, sliced per indicator."""
    defs = [
        definition("up", ["1.1"], target={"value": 60.0, "source": "t"}),
        definition("down", ["1.1"], direction="decrease"),
        definition("keep", ["1.2"], target={"kind": "maintain", "tolerance": 0.05, "source": "t"}),
        definition("share", ["2.1"], limit=100),
        definition("none", ["2.1"]),
    ]
    catalog = make_catalog(defs)
    whole = pd.DataFrame(
        {
            "region": (["K-5001"] * 6 + ["K-0301"] * 6) * 4,
            "region_name": (["Trondheim"] * 6 + ["Oslo"] * 6) * 4,
            "year": list(range(2019, 2025)) * 8,
            "value": [float(v) for v in range(10, 58)],
            "status": [None] * 48,
        }
    )
    whole.loc[[3, 41], "value"] = math.nan  # a gap in "up", a missing last year in "share"
    # Each indicator's frame is a slice of the one DataFrame, as in Snapshot.series.
    series = {i: whole.iloc[12 * k : 12 * (k + 1)] for k, i in enumerate(["up", "down", "keep", "share"])}
    result = assess_all(catalog, series)
    assert list(result) == ["down", "keep", "none", "share", "up"]
    for defn in defs:
        assert same(result[defn.id], reference_assess_indicator(defn, catalog, series.get(defn.id)))
    assert result["none"].reason == NO_DATA
    assert (result["up"].base_value, result["up"].current_value) == (11.0, 15.0)  # Oslo's rows ignored
    assert (result["share"].current_year, result["share"].current_value) == (2023, 50.0)
