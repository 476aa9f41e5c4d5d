"""Assessments in words: status names, status icons and one or two plain sentences.

The words are in the catalogues ``indicators/locale/<lang>/LC_MESSAGES/indicators.po`` (bokmål,
English, nynorsk; :mod:`indicators.messages`), so every status and method has a sentence in every
language. The dashboard, the embeds, chart alt texts and ``status`` use these. Statuses are never shown by
colour alone: use the word and the icon (a distinct shape per status) together.
"""

from __future__ import annotations

from typing import Protocol

from indicators.assessment.progress import (
    NO_BASE,
    NO_CHANGE_BASE,
    NO_DATA,
    OPPOSITE_SIGNS,
    STATUSES,
    TARGET_BEFORE_BASE,
    TARGET_SIGN,
    TOO_FEW_YEARS,
    UN_ON_TRACK,
    Assessment,
    MilestoneResult,
    year_target_reached,
)
from indicators.formatting import format_percent, format_value, format_with_unit, is_percent_unit, unit_text
from indicators.messages import LANGS, check_lang, message

# status -> {lang: words}, from the catalogues (indicators/locale/), for the tables that list them.
STATUS_TEXT: dict[str, dict[str, str]] = {
    status: {lang: message(f"status_{status}", lang) for lang in LANGS} for status in STATUSES
}

# One shape per status (a filling circle for progress, a star, a falling triangle, a dotted
# ring for no data), so statuses differ without colour and in monochrome print.
STATUS_ICON: dict[str, str] = {
    "target_achieved": "★",
    "substantial_progress": "●",
    "moderate_progress": "◑",
    "limited_progress": "◔",
    "deterioration": "▼",
    "not_available": "◌",
}
# The same shapes by name, for an SVG icon set.
STATUS_ICON_NAME: dict[str, str] = {
    "target_achieved": "star",
    "substantial_progress": "circle-full",
    "moderate_progress": "circle-half",
    "limited_progress": "circle-quarter",
    "deterioration": "triangle-down",
    "not_available": "circle-dotted",
}

METHOD_TEXT: dict[str, dict[str, str]] = {
    method: {lang: message(f"method_{method}", lang) for lang in LANGS}
    for method in ("target", "direction", "maintain")
}
DIRECTION_TEXT: dict[str, dict[str, str]] = {
    direction: {lang: message(f"direction_{direction}", lang) for lang in LANGS}
    for direction in ("increase", "decrease")
}


class Described(Protocol):
    """What explanations need from a definition (``indicators.plan.model.Definition``)."""

    unit: str
    unit_en: str | None
    decimals: int


def status_text(status: str, lang: str = "no") -> str:
    """The status in words: ``I rute`` / ``On track``."""
    return STATUS_TEXT[status][lang]


def status_label(status: str, lang: str = "no") -> str:
    """Icon and words together, for plain text: ``● I rute``."""
    return f"{STATUS_ICON[status]} {STATUS_TEXT[status][lang]}"


def target_text(a: Assessment, definition: Described, lang: str = "no") -> str:
    """What the indicator aims at: ``60 % i 2032``, ``holde nivået fra 2020``, ``økning``."""
    if a.method == "target" and a.target_value is not None:
        value = _target_number(a.target_value, definition, lang)
        text = message("target_level", lang, value=value, year=a.target_year)
        if a.target_change is not None:
            change = format_percent(a.target_change / 100, 0, lang, signed=True)
            text += f" ({message('target_change_from', lang, change=change, baseline_year=a.baseline_year)})"
        return text
    if a.method == "target" and a.target_change is not None:  # a change whose base year has no figure
        change = format_percent(a.target_change / 100, 0, lang, signed=True)
        return message(
            "target_change_by", lang, change=change, baseline_year=a.baseline_year, year=a.target_year
        )
    if a.method == "maintain":
        return message("target_maintain", lang, year=a.base_year or a.baseline_year)
    return DIRECTION_TEXT[a.direction][lang]


def milestone_text(m: MilestoneResult, a: Assessment, definition: Described, lang: str = "no") -> str:
    """One interim target in words: its level, and met, missed, or what the projection says."""
    change = format_percent(m.change / 100, 0, lang, signed=True) if m.change is not None else None
    if m.value is None:  # a change target whose base year has no figure
        aim = message("target_change_from", lang, change=change, baseline_year=a.baseline_year)
        return f"{m.year}: {aim} – {message('milestone_no_base', lang)}"
    level = _target_number(m.value, definition, lang)
    aim = f"{level} ({change})" if change else level
    if m.met is True:
        verdict = message("milestone_met", lang)
    elif m.met is False:
        verdict = message("milestone_missed", lang)
    elif m.projected is not None:
        projected = format_value(m.projected, definition, lang)
        reaches = (m.projected - m.value) * (1 if a.direction == "increase" else -1) >= 0
        key = "milestone_projected_reaches" if reaches else "milestone_projected_misses"
        verdict = message(key, lang, projected=projected)
    else:
        past = a.current_year is not None and m.year <= a.current_year
        verdict = message("milestone_no_figure_past" if past else "milestone_no_figure_yet", lang)
    return f"{m.year}: {aim} – {verdict}"


def explain(a: Assessment, definition: Described, lang: str = "no") -> str:
    """One or two plain sentences on where the indicator stands and where it is heading."""
    check_lang(lang)
    if a.status == "not_available":
        return _not_available(a, definition, lang)
    first = _change(a, definition, lang)
    if a.method == "target":
        second = _target_outlook(a, definition, lang)
    elif a.method == "maintain":
        second = _maintain_outlook(a, definition, lang)
    else:
        second = _direction_outlook(a, definition, lang)
    return f"{first} {second}"


def borderline_note(a: Assessment, lang: str = "no") -> str | None:
    """A caveat when the UN's projection method disagrees with the status (else None)."""
    if not a.borderline or a.un_ratio is None:
        return None
    key = "borderline_on_track" if a.un_ratio >= UN_ON_TRACK else "borderline_off_track"
    return message(key, lang, year=a.target_year, share=format_percent(a.un_ratio, 0, lang))


# --- sentences --------------------------------------------------------------------------------


def _subject(definition: Described, lang: str, *, capital: bool = True) -> str:
    word = message("subject_share" if is_percent_unit(definition.unit) else "subject_figure", lang)
    return word[0].upper() + word[1:] if capital else word


def _change(a: Assessment, definition: Described, lang: str) -> str:
    """``Andelen økte fra 20,1 % i 2020 til 41,7 % i 2025.``"""
    subject = _subject(definition, lang)
    t0, t = a.base_year, a.current_year
    before, after = a.base_value or 0.0, a.current_value or 0.0
    base, current, extra = _distinct(a.base_value, a.current_value, definition, lang)
    if before == after:
        return message("change_unchanged", lang, subject=subject, current=current, t0=t0, t=t)
    way = "rose" if after > before else "fell"
    if base == current:
        # A change too small to show even with more digits: the words still say which way.
        return message(f"change_{way}_slightly_rounded", lang, subject=subject, current=current, t0=t0, t=t)
    slight = extra > 0  # equal at the usual precision: more digits were needed to tell them apart
    key = f"change_{way}_slightly" if slight else f"change_{way}"
    return message(key, lang, subject=subject, base=base, current=current, t0=t0, t=t)


MAX_EXTRA_DIGITS = 3  # digits added to tell two close values apart; beyond that they read as equal


def _distinct(
    base: float | None, current: float | None, definition: Described, lang: str
) -> tuple[str, str, int]:
    """Base and current as text, with up to :data:`MAX_EXTRA_DIGITS` more decimals than the
    definition's when that is what it takes for different values to look different."""
    unit = unit_text(definition, lang)
    for extra in range(MAX_EXTRA_DIGITS + 1):
        decimals = definition.decimals + extra
        a, b = format_with_unit(base, unit, decimals, lang), format_with_unit(current, unit, decimals, lang)
        if a != b or base == current:
            return a, b, extra
    plain = format_value(current, definition, lang)
    return plain, plain, MAX_EXTRA_DIGITS


def _target_number(value: float | None, definition: Described, lang: str) -> str:
    """A target or limit as written in a plan: ``60 %``, not ``60,0 %``, unless it has decimals."""
    if value is not None and float(value).is_integer():
        return format_with_unit(value, unit_text(definition, lang), 0, lang)
    return format_value(value, definition, lang)


def _target_outlook(a: Assessment, definition: Described, lang: str) -> str:
    target = _target_number(a.target_value, definition, lang)
    year = a.target_year
    if a.status == "target_achieved":
        return message("target_reached", lang, year=year, target=target)
    if a.status == "deterioration":
        return message("target_moving_away", lang, year=year, target=target)
    reached = year_target_reached(a)
    if reached is not None and reached <= year:
        return message("target_reached_in", lang, target=target, reached=reached)
    near = a.status == "substantial_progress"  # ratio ≥ 0.95: close enough to count as on track
    return message(
        "target_projected_near" if near else "target_projected_short",
        lang,
        subject=_subject(definition, lang, capital=False),
        projected=format_value(a.projected_value, definition, lang),
        year=year,
        target=target,
    )


def _yearly(a: Assessment, definition: Described, lang: str) -> str:
    """The observed change per year as a signed percentage of the value's size."""
    rate = a.growth_rate or 0.0
    if (a.base_value or 0) < 0:
        rate = -rate  # for a negative series, shrinking magnitude means the value rises
    decimals = next((d for d in range(1, 4) if round(abs(rate) * 100, d) != 0), None)
    if rate != 0 and decimals is None:
        # Rounds to zero at any sensible precision: say which way, and how small.
        key = "rate_slightly_up" if rate > 0 else "rate_slightly_down"
        return message(key, lang, rate=format_percent(0.00001, 3, lang))
    text = message("rate_per_year", lang, rate=format_percent(rate, decimals or 1, lang, signed=True))
    if is_percent_unit(definition.unit):
        # A share's yearly change in per cent is easily read as percentage points.
        text = message("rate_relative", lang, rate=text)
    return text


def _direction_outlook(a: Assessment, definition: Described, lang: str) -> str:
    if a.limit_coefficient == 0 and a.status == "substantial_progress":
        return message("direction_at_limit", lang, limit=_target_number(a.limit, definition, lang))
    wanted = DIRECTION_TEXT[a.direction][lang]
    return message(f"direction_{a.status}", lang, wanted=wanted, rate=_yearly(a, definition, lang))


def _maintain_outlook(a: Assessment, definition: Described, lang: str) -> str:
    slack = a.tolerance or 0.0
    whole = abs(slack * 100 - round(slack * 100)) < 1e-9
    tolerance = format_percent(slack, 0 if whole else 1, lang)
    year = a.base_year
    if a.status == "target_achieved":
        return message("maintain_kept", lang, year=year, tolerance=tolerance)
    fell = (a.current_value or 0) < (a.base_value or 0)
    return message(
        "maintain_fallen" if fell else "maintain_risen",
        lang,
        year=year,
        subject=_subject(definition, lang, capital=False),
        tolerance=tolerance,
    )


def _not_available(a: Assessment, definition: Described, lang: str) -> str:
    latest = format_value(a.current_value, definition, lang)
    if a.reason == NO_DATA or a.current_year is None:
        return message("na_no_data", lang)
    if a.reason == NO_BASE:
        return message("na_no_base", lang, latest=latest, year=a.current_year, baseline_year=a.baseline_year)
    if a.reason == NO_CHANGE_BASE:
        change = format_percent((a.target_change or 0) / 100, 0, lang, signed=True)
        return message(
            "na_no_change_base",
            lang,
            latest=latest,
            year=a.current_year,
            change=change,
            baseline_year=a.baseline_year,
        )
    if a.reason == TOO_FEW_YEARS:
        first = (
            _change(a, definition, lang)
            if a.current_year != a.base_year
            else message("na_latest", lang, latest=latest, year=a.current_year)
        )
        return message("na_too_few_years", lang, first=first, ready=(a.base_year or a.current_year) + 2)
    first = _change(a, definition, lang)
    if a.reason == OPPOSITE_SIGNS:
        return message("na_opposite_signs", lang, first=first)
    if a.reason == TARGET_SIGN:
        return message(
            "na_target_sign", lang, first=first, target=_target_number(a.target_value, definition, lang)
        )
    if a.reason == TARGET_BEFORE_BASE:
        return message(
            "na_target_before_base", lang, first=first, target_year=a.target_year, base_year=a.base_year
        )
    return message("na_other", lang, first=first)
