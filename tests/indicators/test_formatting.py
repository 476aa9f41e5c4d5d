"""Numbers as Norwegian and English readers expect them."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest

from indicators.formatting import (
    MINUS,
    MISSING,
    NBSP,
    format_date,
    format_number,
    format_percent,
    format_value,
    iso_utc,
    unit_text,
)
from tests.indicators.assessment.test_progress_rollup import definition


@pytest.mark.parametrize(
    ("value", "decimals", "no", "en"),
    [
        (210496, 0, f"210{NBSP}496", "210,496"),
        (41.666, 1, "41,7", "41.7"),
        (1234567.891, 2, f"1{NBSP}234{NBSP}567,89", "1,234,567.89"),
        (999.95, 1, f"1{NBSP}000,0", "1,000.0"),
        (0.5, 0, "0", "0"),  # round half to even, like Python
        (-1234.5, 1, f"{MINUS}1{NBSP}234,5", f"{MINUS}1,234.5"),
        (-0.04, 1, "0,0", "0.0"),  # no "minus zero"
        (7, 3, "7,000", "7.000"),
    ],
)
def test_format_number(value: float, decimals: int, no: str, en: str) -> None:
    assert format_number(value, decimals, "no") == no
    assert format_number(value, decimals, "en") == en


def test_missing_numbers_show_a_dash() -> None:
    assert format_number(None, 1, "no") == MISSING
    assert format_number(math.nan, 1, "en") == MISSING
    assert format_value(None, definition("a", ["1.1"]), "no") == MISSING


def test_the_thousands_separator_does_not_break_a_line() -> None:
    assert " " not in format_number(210496, 0, "no")


def test_percent_units_use_the_sign_with_a_space_in_norwegian_only() -> None:
    share = definition("a", ["1.1"], unit="prosent", decimals=1)
    assert format_value(41.666, share, "no") == f"41,7{NBSP}%"
    assert format_value(41.666, share, "en") == "41.7%"
    assert unit_text(share, "no") == "prosent"
    assert unit_text(share, "en") == "per cent"


def test_other_units_follow_the_number() -> None:
    people = definition("p", ["1.1"], unit="personer", unit_en="people", decimals=0)
    assert format_value(210496, people, "no") == f"210{NBSP}496{NBSP}personer"
    assert format_value(210496, people, "en") == f"210,496{NBSP}people"
    no_english = definition("k", ["1.1"], unit="kroner", decimals=0)
    assert format_value(1500, no_english, "en") == f"1,500{NBSP}kroner"


def test_format_percent_of_a_fraction() -> None:
    assert format_percent(0.023, 1, "no") == f"2,3{NBSP}%"
    assert format_percent(0.023, 1, "en", signed=True) == "+2.3%"
    assert format_percent(-0.005, 1, "no", signed=True) == f"{MINUS}0,5{NBSP}%"
    assert format_percent(0.0, 1, "en", signed=True) == "0.0%"


def test_dates_in_words() -> None:
    moment = datetime(2026, 3, 5, 7, 0, tzinfo=UTC)
    assert format_date(moment, "no") == "5. mars 2026"
    assert format_date(moment, "en") == "5 March 2026"
    assert format_date(moment, "no", with_time=True) == "5. mars 2026 07:00 UTC"
    oslo = moment.astimezone(timezone(timedelta(hours=1)))
    assert format_date(oslo, "en", with_time=True) == "5 March 2026 07:00 UTC"


def test_iso_utc_ends_in_z() -> None:
    assert (
        iso_utc(datetime(2026, 3, 5, 8, 0, 0, 123, tzinfo=timezone(timedelta(hours=1))))
        == "2026-03-05T07:00:00Z"
    )
    assert iso_utc(datetime(2026, 3, 5, 7, 0)) == "2026-03-05T07:00:00Z"
    assert iso_utc(None) is None


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'de'"):
        format_number(1.0, 0, "de")


def test_nynorsk_writes_numbers_and_dates_as_bokmal_does() -> None:
    # Per-locale styles: nn groups with a no-break space, a decimal comma, "41,7 %", true minus.
    from indicators.formatting import format_percent

    assert format_number(-210496.26, 1, "nn") == f"{MINUS}210{NBSP}496,3"
    assert format_number(-0.04, 1, "nn") == "0,0"  # never −0,0
    assert format_percent(0.417, 1, "nn") == f"41,7{NBSP}%"
    assert format_date(datetime(2026, 3, 5, 7, tzinfo=UTC), "nn") == "5. mars 2026"
    for value in (-1234.5, -0.04, 0.0, 1e6):
        assert format_number(value, 1, "nn") == format_number(value, 1, "no")
