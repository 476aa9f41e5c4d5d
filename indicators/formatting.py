"""Numbers, units and dates as people read them: Norwegian (bokmål) and English style.

Norwegian style (Språkrådet): a non-breaking space groups thousands (``210 496``), a comma
marks decimals (``41,7``) and a space separates a number from the percent sign (``41,7 %``).
English: ``210,496``, ``41.7`` and ``41.7%``. Negative numbers use the true minus sign (U+2212),
which screen readers read as "minus" and which does not break a line. Missing values show as
an en dash. The dashboard, the embeds, the explanations and ``status`` all format through here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from indicators.messages import message

NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "–"


@dataclass(frozen=True)
class NumberStyle:
    """How one language writes numbers, percentages and dates."""

    decimal: str
    group: str
    percent: str  # between the number and the % sign
    months: tuple[str, ...]
    day_suffix: str  # "5. mars" (Norwegian) or "5 March"


# Unit spellings that mean "percent": shown as the % sign rather than the word.
_PERCENT_UNITS = {"prosent", "%", "percent", "per cent", "pst", "pst."}

_MONTHS_NO = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_NORWEGIAN = NumberStyle(decimal=",", group=NBSP, percent=NBSP, months=_MONTHS_NO, day_suffix=".")
# Per UI language: nynorsk writes numbers, percentages and month names as bokmål does.
STYLES: dict[str, NumberStyle] = {
    "no": _NORWEGIAN,
    "nn": _NORWEGIAN,
    "en": NumberStyle(decimal=".", group=",", percent="", months=_MONTHS_EN, day_suffix=""),
}
LANGS = tuple(STYLES)


class HasUnit(Protocol):
    """What formatting needs from an indicator definition (``indicators.plan.model.Definition``)."""

    unit: str
    unit_en: str | None
    decimals: int


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def is_missing(value: float | None) -> bool:
    """True for None and NaN (a value we do not have)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | None, decimals: int = 0, lang: str = "no") -> str:
    """A number with thousands grouping: ``210 496`` / ``41,7`` (no), ``210,496`` / ``41.7`` (en)."""
    _check_lang(lang)
    if value is None or is_missing(value):
        return MISSING
    if math.isinf(value):
        return ("" if value > 0 else MINUS) + "∞"
    digits = f"{abs(value):,.{max(decimals, 0)}f}"
    # Rounding can turn -0.04 into "0.0": no minus sign in front of a zero.
    negative = value < 0 and any(ch not in "0,." for ch in digits)
    style = STYLES[lang]
    # Swap separators via a placeholder: "," (thousands) -> group, "." (decimal) -> decimal.
    text = digits.replace(",", "\0").replace(".", style.decimal).replace("\0", style.group)
    return (MINUS if negative else "") + text


def is_percent_unit(unit: str | None) -> bool:
    """Whether a unit means percent (``prosent``, ``%``, ``per cent`` ...)."""
    return (unit or "").strip().lower() in _PERCENT_UNITS


# The language a definition's plain fields (``unit``, ``name``) are written in, unless it says
# otherwise (a model Definition's ``plain_lang``: the plan's text_language).
MODEL_LANG = "no"


def unit_text(definition: HasUnit, lang: str = "no") -> str:
    """The unit in words, for headings and table columns: ``prosent`` / ``per cent``: the
    definition's own word in ``lang`` (``translations.<lang>.unit``, ``unit_en``), else the
    language's word for per cent, else the bokmål unit."""
    _check_lang(lang)
    written_in = getattr(definition, "text_lang", None)  # a model Definition (translations)
    if callable(written_in) and written_in("unit", lang) == lang:
        return str(definition.text("unit", lang))  # type: ignore[attr-defined]
    own = getattr(definition, f"unit_{lang}", None)  # a plain object with unit_en (previews, tests)
    if own:
        return str(own)
    if lang != getattr(definition, "plain_lang", MODEL_LANG) and is_percent_unit(definition.unit):
        return message("unit_percent", lang)  # "per cent": the word, where the definition has none
    return definition.unit


def format_with_unit(value: float | None, unit: str, decimals: int, lang: str = "no") -> str:
    """A number followed by its unit: ``41,7 %``, ``41.7%``, ``210 496 personer``."""
    number = format_number(value, decimals, lang)
    if number == MISSING:
        return MISSING
    if is_percent_unit(unit):
        return f"{number}{STYLES[lang].percent}%"
    return f"{number}{NBSP}{unit}" if unit else number


def format_value(value: float | None, definition: HasUnit, lang: str = "no") -> str:
    """An indicator's value with its unit and decimals: ``41,7 %`` (no), ``41.7%`` (en)."""
    return format_with_unit(value, unit_text(definition, lang), definition.decimals, lang)


def format_percent(
    fraction: float | None, decimals: int = 1, lang: str = "no", *, signed: bool = False
) -> str:
    """A fraction as a percentage: 0.023 -> ``2,3 %`` (``+2,3 %`` when signed)."""
    if fraction is None or is_missing(fraction):
        return MISSING
    text = format_with_unit(fraction * 100, "%", decimals, lang)
    if signed and not text.startswith(MINUS) and any(ch not in "0,.%\u00a0" for ch in text):
        text = "+" + text
    return text


def format_date(moment: datetime | None, lang: str = "no", *, with_time: bool = False) -> str:
    """A date as words: ``5. mars 2026`` / ``5 March 2026`` (optionally with ``07:00 UTC``)."""
    _check_lang(lang)
    if moment is None:
        return MISSING
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    style = STYLES[lang]
    text = f"{moment.day}{style.day_suffix} {style.months[moment.month - 1]} {moment.year}"
    if with_time:
        text += f" {moment:%H:%M} UTC"
    return text


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``: ``2026-03-05T07:00:00Z`` (naive times are taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
