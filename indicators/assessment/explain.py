"""Assessments in words: status names, status icons and one or two plain sentences.

Bokmål first, English alongside. The dashboard, the embeds, chart alt texts and ``status`` use
these, so every status and method has a sentence in both languages. Statuses are never shown by
colour alone: use the word and the icon (a distinct shape per status) together.
"""

from __future__ import annotations

from typing import Protocol

from indicators.assessment.progress import (
    NO_BASE,
    NO_CHANGE_BASE,
    NO_DATA,
    OPPOSITE_SIGNS,
    TARGET_BEFORE_BASE,
    TARGET_SIGN,
    TOO_FEW_YEARS,
    UN_ON_TRACK,
    Assessment,
    MilestoneResult,
    year_target_reached,
)
from indicators.formatting import format_percent, format_value, format_with_unit, is_percent_unit, unit_text

# Keyed by UI language code; "nn" (nynorsk) is ready for ?lang=nn (issue 18 item 6).
STATUS_TEXT: dict[str, dict[str, str]] = {
    "target_achieved": {"no": "Målet er nådd", "en": "Target achieved", "nn": "Målet er nådd"},
    "substantial_progress": {"no": "I rute", "en": "On track", "nn": "I rute"},
    "moderate_progress": {
        "no": "Framgang, men for sakte",
        "en": "Progress, but too slow",
        "nn": "Framgang, men for sakte",
    },
    "limited_progress": {"no": "Lite framgang", "en": "Limited progress", "nn": "Lite framgang"},
    "deterioration": {"no": "Går feil vei", "en": "Moving away", "nn": "Går feil veg"},
    "not_available": {"no": "Ikke nok data", "en": "Not enough data", "nn": "Ikkje nok data"},
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
    "target": {"no": "mot et tallfestet mål", "en": "against a numeric target", "nn": "mot eit talfesta mål"},
    "direction": {
        "no": "etter ønsket retning",
        "en": "by the desired direction",
        "nn": "etter ønskt retning",
    },
    "maintain": {
        "no": "mot målet om å holde nivået",
        "en": "against the target to keep the level",
        "nn": "mot målet om å halde nivået",
    },
}
DIRECTION_TEXT: dict[str, dict[str, str]] = {
    "increase": {"no": "økning", "en": "increase", "nn": "auke"},
    "decrease": {"no": "nedgang", "en": "decrease", "nn": "nedgang"},
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
        text = f"{value} i {a.target_year}" if lang == "no" else f"{value} by {a.target_year}"
        if a.target_change is not None:
            change = format_percent(a.target_change / 100, 0, lang, signed=True)
            text += (
                f" ({change} fra {a.baseline_year})" if lang == "no" else f" ({change} on {a.baseline_year})"
            )
        return text
    if a.method == "target" and a.target_change is not None:  # a change whose base year has no figure
        change = format_percent(a.target_change / 100, 0, lang, signed=True)
        if lang == "no":
            return f"{change} fra {a.baseline_year} i {a.target_year}"
        return f"{change} on {a.baseline_year} by {a.target_year}"
    if a.method == "maintain":
        year = a.base_year or a.baseline_year
        return f"holde nivået fra {year}" if lang == "no" else f"keep the {year} level"
    return DIRECTION_TEXT[a.direction][lang]


def milestone_text(m: MilestoneResult, a: Assessment, definition: Described, lang: str = "no") -> str:
    """One interim target in words: its level, and met, missed, or what the projection says."""
    no = lang == "no"
    change = format_percent(m.change / 100, 0, lang, signed=True) if m.change is not None else None
    if m.value is None:  # a change target whose base year has no figure
        aim = f"{change} fra {a.baseline_year}" if no else f"{change} on {a.baseline_year}"
        return f"{m.year}: {aim} – " + (
            "kan ikke regnes ut uten tall for startåret"
            if no
            else "cannot be worked out without a figure for the base year"
        )
    level = _target_number(m.value, definition, lang)
    aim = f"{level} ({change})" if change else level
    if m.met is True:
        return f"{m.year}: {aim} – " + ("nådd" if no else "met")
    if m.met is False:
        return f"{m.year}: {aim} – " + ("ikke nådd" if no else "missed")
    if m.projected is not None:
        projected = format_value(m.projected, definition, lang)
        reaches = (m.projected - m.value) * (1 if a.direction == "increase" else -1) >= 0
        if no:
            verdict = "nås" if reaches else "nås ikke"
            return f"{m.year}: {aim} – ikke kjent ennå; med dagens utvikling blir det {projected} ({verdict})"
        verdict = "met" if reaches else "not met"
        return f"{m.year}: {aim} – not known yet; at the current pace it will be {projected} ({verdict})"
    past = a.current_year is not None and m.year <= a.current_year
    if no:
        return f"{m.year}: {aim} – " + ("ingen tall for det året" if past else "ingen tall for året ennå")
    return f"{m.year}: {aim} – " + ("no figure for that year" if past else "no figure for that year yet")


def explain(a: Assessment, definition: Described, lang: str = "no") -> str:
    """One or two plain sentences on where the indicator stands and where it is heading."""
    if lang not in ("no", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'no' or 'en'")
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
    share = format_percent(a.un_ratio, 0, lang)
    if lang == "no":
        verdict = "i rute" if a.un_ratio >= UN_ON_TRACK else "ikke i rute"
        return (
            f"Usikker vurdering: FNs metode, som framskriver trenden til {a.target_year}, "
            f"kommer {share} av veien til målet og regner indikatoren som {verdict}."
        )
    verdict = "on track" if a.un_ratio >= UN_ON_TRACK else "not on track"
    return (
        f"Borderline: the UN method, which projects the trend to {a.target_year}, gets {share} "
        f"of the way to the target and counts the indicator as {verdict}."
    )


# --- sentences --------------------------------------------------------------------------------


def _subject(definition: Described, lang: str, *, capital: bool = True) -> str:
    if is_percent_unit(definition.unit):
        word = "andelen" if lang == "no" else "the share"
    else:
        word = "tallet" if lang == "no" else "the figure"
    return word[0].upper() + word[1:] if capital else word


def _change(a: Assessment, definition: Described, lang: str) -> str:
    """``Andelen økte fra 20,1 % i 2020 til 41,7 % i 2025.``"""
    subject = _subject(definition, lang)
    t0, t = a.base_year, a.current_year
    before, after = a.base_value or 0.0, a.current_value or 0.0
    base, current, extra = _distinct(a.base_value, a.current_value, definition, lang)
    if before == after:
        if lang == "no":
            return f"{subject} var om lag uendret: {current} både i {t0} og i {t}."
        return f"{subject} was about unchanged: {current} in both {t0} and {t}."
    rose = after > before
    if base == current:
        # A change too small to show even with more digits: the words still say which way.
        if lang == "no":
            verb = "økte svakt" if rose else "gikk svakt ned"
            return f"{subject} {verb} fra {t0} til {t}, og er {current} avrundet."
        verb = "rose slightly" if rose else "fell slightly"
        return f"{subject} {verb} from {t0} to {t}, and is {current} rounded."
    slight = extra > 0  # equal at the usual precision: more digits were needed to tell them apart
    if lang == "no":
        verb = ("økte svakt" if rose else "gikk svakt ned") if slight else ("økte" if rose else "gikk ned")
        return f"{subject} {verb} fra {base} i {t0} til {current} i {t}."
    verb = ("rose slightly" if rose else "fell slightly") if slight else ("rose" if rose else "fell")
    return f"{subject} {verb} from {base} in {t0} to {current} in {t}."


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
        if lang == "no":
            return f"Målet for {year} på {target} er nådd."
        return f"The {year} target of {target} has been reached."
    if a.status == "deterioration":
        if lang == "no":
            return f"Utviklingen går bort fra målet på {target} i {year}."
        return f"It is moving away from the {year} target of {target}."
    reached = year_target_reached(a)
    if reached is not None and reached <= year:
        if lang == "no":
            return f"Fortsetter utviklingen i samme takt, nås målet på {target} i {reached}."
        return (
            f"If the trend continues at the same pace, the target of {target} will be reached in {reached}."
        )
    projected = format_value(a.projected_value, definition, lang)
    near = a.status == "substantial_progress"  # ratio ≥ 0.95: close enough to count as on track
    if lang == "no":
        tail = f"nær målet på {target}" if near else f"mens målet er {target}"
        return (
            f"Fortsetter utviklingen i samme takt, blir {_subject(definition, lang, capital=False)} "
            f"{projected} i {year}, {tail}."
        )
    tail = f"close to the target of {target}" if near else f"short of the target of {target}"
    return f"If the trend continues at the same pace, it will be {projected} in {year}, {tail}."


def _yearly(a: Assessment, definition: Described, lang: str) -> str:
    """The observed change per year as a signed percentage of the value's size."""
    rate = a.growth_rate or 0.0
    if (a.base_value or 0) < 0:
        rate = -rate  # for a negative series, shrinking magnitude means the value rises
    decimals = next((d for d in range(1, 4) if round(abs(rate) * 100, d) != 0), None)
    if rate != 0 and decimals is None:
        # Rounds to zero at any sensible precision: say which way, and how small.
        if lang == "no":
            text = (
                "svakt opp" if rate > 0 else "svakt ned"
            ) + f", under {format_percent(0.00001, 3, lang)} per år"
        else:
            text = (
                "slightly up" if rate > 0 else "slightly down"
            ) + f", under {format_percent(0.00001, 3, lang)} a year"
        return text
    text = format_percent(rate, decimals or 1, lang, signed=True)
    text += " per år" if lang == "no" else " a year"
    if is_percent_unit(definition.unit):
        # A share's yearly change in per cent is easily read as percentage points.
        text += " (relativ endring)" if lang == "no" else " (relative change)"
    return text


def _direction_outlook(a: Assessment, definition: Described, lang: str) -> str:
    wanted = DIRECTION_TEXT[a.direction][lang]
    rate = _yearly(a, definition, lang)
    if a.limit_coefficient == 0 and a.status == "substantial_progress":
        limit = _target_number(a.limit, definition, lang)
        if lang == "no":
            return f"Det er ved den naturlige grensen på {limit}, det best mulige."
        return f"It is at its natural limit of {limit}, the best possible."
    if lang == "no":
        sentences = {
            "substantial_progress": f"Det er god framgang i ønsket retning ({wanted}): i snitt {rate}.",
            "moderate_progress": f"Det går i ønsket retning ({wanted}), men sakte: i snitt {rate}.",
            "limited_progress": f"Det går så vidt i ønsket retning ({wanted}): i snitt {rate}.",
            "deterioration": f"Det går feil vei – ønsket utvikling er {wanted}: i snitt {rate}.",
        }
    else:
        sentences = {
            "substantial_progress": f"That is good progress in the desired direction ({wanted}): on average {rate}.",
            "moderate_progress": f"It is moving in the desired direction ({wanted}), but slowly: on average {rate}.",
            "limited_progress": f"It is barely moving in the desired direction ({wanted}): on average {rate}.",
            "deterioration": f"It is moving the wrong way – the desired direction is {wanted}: on average {rate}.",
        }
    return sentences[a.status]


def _maintain_outlook(a: Assessment, definition: Described, lang: str) -> str:
    slack = a.tolerance or 0.0
    whole = abs(slack * 100 - round(slack * 100)) < 1e-9
    tolerance = format_percent(slack, 0 if whole else 1, lang)
    year = a.base_year
    if a.status == "target_achieved":
        if lang == "no":
            return f"Målet er å holde nivået fra {year}, og det er holdt (innenfor {tolerance})."
        return f"The target is to keep the {year} level, and it has been kept (within {tolerance})."
    subject = _subject(definition, lang, capital=False)
    fell = (a.current_value or 0) < (a.base_value or 0)
    if lang == "no":
        moved = "gått ned" if fell else "økt"
        return f"Målet er å holde nivået fra {year}, men {subject} har {moved} med mer enn {tolerance}."
    moved = "fallen" if fell else "risen"
    return f"The target is to keep the {year} level, but it has {moved} by more than {tolerance}."


def _not_available(a: Assessment, definition: Described, lang: str) -> str:
    no = lang == "no"
    latest = format_value(a.current_value, definition, lang)
    if a.reason == NO_DATA or a.current_year is None:
        return (
            "Det finnes ingen tall for denne indikatoren ennå."
            if no
            else "There are no figures for this indicator yet."
        )
    if a.reason == NO_BASE:
        if no:
            return (
                f"Siste tall er {latest} ({a.current_year}). Det finnes ingen tall fra {a.baseline_year} "
                "eller senere, så utviklingen kan ikke vurderes."
            )
        return (
            f"The latest figure is {latest} ({a.current_year}). There are no figures from "
            f"{a.baseline_year} or later, so progress cannot be assessed."
        )
    if a.reason == NO_CHANGE_BASE:
        change = format_percent((a.target_change or 0) / 100, 0, lang, signed=True)
        if no:
            return (
                f"Siste tall er {latest} ({a.current_year}). Målet er en endring på {change} fra "
                f"{a.baseline_year}, men det finnes ikke tall for {a.baseline_year}, så utviklingen kan "
                "ikke vurderes."
            )
        return (
            f"The latest figure is {latest} ({a.current_year}). The target is a change of {change} on "
            f"{a.baseline_year}, but there is no figure for {a.baseline_year}, so progress cannot be assessed."
        )
    if a.reason == TOO_FEW_YEARS:
        first = (
            _change(a, definition, lang)
            if a.current_year != a.base_year
            else (
                f"Siste tall er {latest} ({a.current_year})."
                if no
                else f"The latest figure is {latest} ({a.current_year})."
            )
        )
        ready = (a.base_year or a.current_year) + 2
        if no:
            return f"{first} Utviklingen kan vurderes når det finnes tall for {ready}."
        return f"{first} Progress can be assessed once there are figures for {ready}."
    first = _change(a, definition, lang)
    if a.reason == OPPOSITE_SIGNS:
        if no:
            return f"{first} Metoden måler vekst i prosent og kan ikke brukes når tallet skifter fortegn."
        return (
            f"{first} The method measures growth in per cent and cannot be used when the value changes sign."
        )
    if a.reason == TARGET_SIGN:
        target = _target_number(a.target_value, definition, lang)
        if no:
            return f"{first} Målet på {target} ligger på den andre siden av null, så metoden kan ikke brukes."
        return f"{first} The target of {target} lies on the other side of zero, so the method cannot be used."
    if a.reason == TARGET_BEFORE_BASE:
        if no:
            return f"{first} Målåret {a.target_year} kommer ikke etter startåret {a.base_year}, så det kan ikke vurderes."
        return f"{first} The target year {a.target_year} is not after the base year {a.base_year}, so it cannot be assessed."
    return f"{first} {STATUS_TEXT['not_available'][lang]}."
