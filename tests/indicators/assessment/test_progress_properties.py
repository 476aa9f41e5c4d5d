"""Properties of the progress method that must hold for any series (hypothesis)."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.assessment.progress import STATUSES, assess, status_from_score

YEARS = st.lists(st.integers(min_value=2014, max_value=2031), min_size=0, max_size=8, unique=True)
MAGNITUDE = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)
VALUE = st.one_of(MAGNITUDE, MAGNITUDE.map(lambda v: -v), st.just(0.0))
PROPERTIES = settings(max_examples=150, deadline=None)


@st.composite
def cases(draw: st.DrawFn) -> dict:
    """A series and the options of one indicator."""
    years = draw(YEARS)
    positive = draw(st.booleans())  # most real series keep one sign; some cross zero
    values = {}
    for year in years:
        value = draw(VALUE if draw(st.integers(0, 9)) == 0 else MAGNITUDE)
        values[year] = value if positive else -value
    kind = draw(st.sampled_from([None, "value", "maintain"]))
    return {
        "values": pd.Series(values, dtype="float64"),
        "direction": draw(st.sampled_from(["increase", "decrease"])),
        "limit": draw(st.one_of(st.none(), VALUE)),
        "target_kind": kind,
        "target_value": draw(VALUE) if kind == "value" else None,
        "target_year": draw(st.integers(min_value=2025, max_value=2040)),
        "baseline_year": draw(st.integers(min_value=2015, max_value=2024)),
        "tolerance": draw(st.floats(min_value=0, max_value=0.2)),
    }


@PROPERTIES
@given(cases())
def test_score_is_within_minus_5_and_5_and_missing_only_when_not_assessed(case: dict) -> None:
    a = assess(**case)
    assert a.status in STATUSES
    if a.status == "not_available":
        assert a.score is None
    else:
        assert a.score is not None and -5.0 <= a.score <= 5.0


@PROPERTIES
@given(cases())
def test_status_and_score_agree(case: dict) -> None:
    a = assess(**case)
    if a.status == "target_achieved":
        assert a.score == 5.0
    elif a.status != "not_available":
        assert status_from_score(a.score) == a.status


@PROPERTIES
@given(cases())
def test_mirroring_the_series_and_flipping_the_direction_gives_the_same_assessment(case: dict) -> None:
    mirrored = {
        **case,
        "values": -case["values"],
        "direction": "decrease" if case["direction"] == "increase" else "increase",
        "limit": None if case["limit"] is None else -case["limit"],
        "target_value": None if case["target_value"] is None else -case["target_value"],
    }
    a, b = assess(**case), assess(**mirrored)
    assert b.status == a.status
    assert b.score == a.score
    assert b.reason == a.reason


@PROPERTIES
@given(cases())
def test_latest_data_point_is_always_reported(case: dict) -> None:
    a = assess(**case)
    known = case["values"].dropna()
    if known.empty:
        assert a.current_year is None
    else:
        latest = int(max(known.index))
        assert (a.current_year, a.current_value) == (latest, known[latest])


@PROPERTIES
@given(cases())
def test_numbers_are_finite_or_missing(case: dict) -> None:
    """Everything the JSON carries must be a finite number or null."""
    a = assess(**case)
    for value in (a.score, a.progress_value, a.projected_value, a.un_ratio, a.growth_rate):
        assert value is None or math.isfinite(value)
