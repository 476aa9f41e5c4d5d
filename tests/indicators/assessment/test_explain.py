"""Explanation sentences: every status and method, in bokmål, English and nynorsk."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from indicators.assessment.explain import (
    STATUS_ICON,
    STATUS_ICON_NAME,
    STATUS_TEXT,
    borderline_note,
    explain,
    status_label,
    target_text,
)
from indicators.assessment.progress import STATUSES, assess
from indicators.formatting import MINUS, NBSP
from tests.indicators.assessment.test_progress_rollup import definition

SHARE = definition("andel", ["1.1"], unit="prosent", decimals=1)
PEOPLE = definition("folk", ["1.1"], unit="personer", unit_en="people", decimals=0)


def series(points: dict[int, float]) -> pd.Series:
    return pd.Series(points, dtype="float64")


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", text) if s]


def test_status_words_are_the_designs() -> None:
    assert [STATUS_TEXT[s]["no"] for s in STATUSES] == [
        "Målet er nådd",
        "I rute",
        "Framgang, men for sakte",
        "Lite framgang",
        "Går feil vei",
        "Ikke nok data",
    ]
    assert [STATUS_TEXT[s]["en"] for s in STATUSES] == [
        "Target achieved",
        "On track",
        "Progress, but too slow",
        "Limited progress",
        "Moving away",
        "Not enough data",
    ]
    assert [STATUS_TEXT[s]["nn"] for s in STATUSES] == [
        "Målet er nådd",
        "I rute",
        "Framgang, men for sakte",
        "Lite framgang",
        "Går feil veg",
        "Ikkje nok data",
    ]


def test_every_status_has_its_own_icon_shape() -> None:
    assert set(STATUS_ICON) == set(STATUSES) == set(STATUS_ICON_NAME)
    assert len(set(STATUS_ICON.values())) == len(STATUSES)
    assert len(set(STATUS_ICON_NAME.values())) == len(STATUSES)
    assert status_label("substantial_progress", "no") == f"{STATUS_ICON['substantial_progress']} I rute"


def test_on_track_with_a_target_says_when_it_is_reached() -> None:
    a = assess(series({2020: 20.1, 2025: 41.7}), direction="increase", target_value=60.0)
    g = (41.7 / 20.1) ** (1 / 5) - 1
    year = 2025 + math.ceil(math.log(60 / 41.7) / math.log(1 + g))
    assert a.status == "substantial_progress"
    assert explain(a, SHARE, "no") == (
        f"Andelen økte fra 20,1{NBSP}% i 2020 til 41,7{NBSP}% i 2025. "
        f"Fortsetter utviklingen i samme takt, nås målet på 60{NBSP}% i {year}."
    )
    assert explain(a, SHARE, "en") == (
        "The share rose from 20.1% in 2020 to 41.7% in 2025. "
        f"If the trend continues at the same pace, the target of 60% will be reached in {year}."
    )


def test_target_achieved() -> None:
    a = assess(series({2020: 20.1, 2025: 61.0}), direction="increase", target_value=60.0)
    assert explain(a, SHARE, "no").endswith(f"Målet for 2032 på 60{NBSP}% er nådd.")
    assert explain(a, SHARE, "en").endswith("The 2032 target of 60% has been reached.")


@pytest.mark.parametrize("current", [29.0, 25.0])  # moderate, limited
def test_too_slow_towards_a_target_gives_the_projected_value(current: float) -> None:
    a = assess(series({2020: 20.0, 2025: current}), direction="increase", target_value=60.0)
    projected = current * (current / 20.0) ** (7 / 5)
    shown_no = f"{projected:.1f}".replace(".", ",")
    assert a.status in {"moderate_progress", "limited_progress"}
    assert explain(a, SHARE, "no").endswith(
        f"Fortsetter utviklingen i samme takt, blir andelen {shown_no}{NBSP}% i 2032, mens målet er 60{NBSP}%."
    )
    assert explain(a, SHARE, "en").endswith(
        f"If the trend continues at the same pace, it will be {projected:.1f}% in 2032, short of the target of 60%."
    )


def test_moving_away_from_a_target() -> None:
    a = assess(series({2020: 20.1, 2025: 18.0}), direction="increase", target_value=60.0)
    assert explain(a, SHARE, "no") == (
        f"Andelen gikk ned fra 20,1{NBSP}% i 2020 til 18,0{NBSP}% i 2025. "
        f"Utviklingen går bort fra målet på 60{NBSP}% i 2032."
    )
    assert explain(a, SHARE, "en") == (
        "The share fell from 20.1% in 2020 to 18.0% in 2025. It is moving away from the 2032 target of 60%."
    )


@pytest.mark.parametrize(
    ("rate", "status", "no_phrase", "en_phrase"),
    [
        (0.03, "substantial_progress", "Det er god framgang i ønsket retning (økning)", "good progress"),
        (0.01, "moderate_progress", "Det går i ønsket retning (økning), men sakte", "but slowly"),
        (0.002, "limited_progress", "Det går så vidt i ønsket retning (økning)", "barely moving"),
        (-0.01, "deterioration", "Det går feil vei – ønsket utvikling er økning", "moving the wrong way"),
    ],
)
def test_direction_sentences_name_the_yearly_change(
    rate: float, status: str, no_phrase: str, en_phrase: str
) -> None:
    current = 200000 * (1 + rate) ** 5
    a = assess(series({2020: 200000.0, 2025: current}), direction="increase")
    assert a.status == status
    no, en = explain(a, PEOPLE, "no"), explain(a, PEOPLE, "en")
    sign = "+" if rate > 0 else MINUS
    pct = f"{abs(rate) * 100:.1f}"
    assert no_phrase in no
    assert f"i snitt {sign}{pct.replace('.', ',')}{NBSP}% per år." in no
    assert en_phrase in en
    assert f"on average {sign}{pct}% a year." in en
    assert no.startswith(f"Tallet {'økte' if rate > 0 else 'gikk ned'} fra 200{NBSP}000{NBSP}personer i 2020")
    assert en.startswith(f"The figure {'rose' if rate > 0 else 'fell'} from 200,000{NBSP}people in 2020")


def test_a_shares_yearly_change_is_marked_relative() -> None:
    a = assess(series({2020: 40.0, 2025: 44.0}), direction="increase")
    assert "(relativ endring)" in explain(a, SHARE, "no")
    assert "(relative change)" in explain(a, SHARE, "en")


def test_maintain_sentences() -> None:
    kept = assess(series({2020: 200000.0, 2025: 199500.0}), direction="increase", target_kind="maintain")
    assert explain(kept, PEOPLE, "no").endswith(
        "Målet er å holde nivået fra 2020, og det er holdt (innenfor 1 %).".replace(" %", f"{NBSP}%")
    )
    assert explain(kept, PEOPLE, "en").endswith(
        "The target is to keep the 2020 level, and it has been kept (within 1%)."
    )
    lost = assess(
        series({2020: 200000.0, 2025: 190000.0}),
        direction="increase",
        target_kind="maintain",
        tolerance=0.025,
    )
    assert explain(lost, PEOPLE, "no").endswith(f"men tallet har gått ned med mer enn 2,5{NBSP}%.")
    assert explain(lost, PEOPLE, "en").endswith("but it has fallen by more than 2.5%.")


@pytest.mark.parametrize(
    ("points", "no", "en"),
    [
        (
            {},
            "Det finnes ingen tall for denne indikatoren ennå.",
            "There are no figures for this indicator yet.",
        ),
        (
            {2025: 5.0},
            f"Siste tall er 5{NBSP}personer (2025). Utviklingen kan vurderes når det finnes tall for 2027.",
            f"The latest figure is 5{NBSP}people (2025). Progress can be assessed once there are figures for 2027.",
        ),
        (
            {2020: 5.0, 2021: 6.0},
            f"Tallet økte fra 5{NBSP}personer i 2020 til 6{NBSP}personer i 2021. "
            "Utviklingen kan vurderes når det finnes tall for 2022.",
            f"The figure rose from 5{NBSP}people in 2020 to 6{NBSP}people in 2021. "
            "Progress can be assessed once there are figures for 2022.",
        ),
        (
            {2020: -5.0, 2024: 6.0},
            "kan ikke brukes når tallet skifter fortegn.",
            "cannot be used when the value changes sign.",
        ),
        (
            {2016: 4.0, 2018: 6.0},
            f"Siste tall er 6{NBSP}personer (2018). Det finnes ingen tall fra 2020 eller senere, så utviklingen kan ikke vurderes.",
            f"The latest figure is 6{NBSP}people (2018). There are no figures from 2020 or later, so progress cannot be assessed.",
        ),
    ],
)
def test_not_enough_data_says_why(points: dict[int, float], no: str, en: str) -> None:
    a = assess(series(points), direction="increase")
    assert a.status == "not_available"
    assert explain(a, PEOPLE, "no").endswith(no)
    assert explain(a, PEOPLE, "en").endswith(en)


def test_at_the_natural_limit() -> None:
    a = assess(series({2020: 100.0, 2025: 100.0}), direction="increase", limit=100)
    assert explain(a, SHARE, "no").endswith(
        f"Det er ved den naturlige grensen på 100{NBSP}%, det best mulige."
    )
    assert explain(a, SHARE, "en").startswith("The share was about unchanged: 100.0% in both 2020 and 2025.")


@pytest.mark.parametrize(
    "case",
    [
        {"points": {2020: 20.0, 2025: 61.0}, "target_value": 60.0},
        {"points": {2020: 20.0, 2025: 41.7}, "target_value": 60.0},
        {"points": {2020: 20.0, 2025: 30.0}, "target_value": 60.0},
        {"points": {2020: 20.0, 2025: 24.0}, "target_value": 60.0},
        {"points": {2020: 20.0, 2025: 18.0}, "target_value": 60.0},
        {"points": {2020: 20.0, 2025: 18.0}},
        {"points": {2020: 20.0, 2025: 20.1}, "target_kind": "maintain"},
        {"points": {2025: 18.0}},
    ],
)
def test_one_or_two_sentences_in_either_language(case: dict) -> None:
    a = assess(
        series(case["points"]),
        direction="increase",
        target_value=case.get("target_value"),
        target_kind=case.get("target_kind"),
    )
    for lang in ("no", "en", "nn"):
        text = explain(a, SHARE, lang)
        assert 1 <= len(sentences(text)) <= 2, text
        assert not re.search(r"\b(None|nan)\b", text), text


def test_borderline_note_only_when_the_methods_disagree() -> None:
    target = 100 * 1.10**12
    a = assess(series({2020: 100.0, 2025: 100 * 1.096**5}), direction="increase", target_value=target)
    assert a.borderline
    assert borderline_note(a, "no").startswith("Usikker vurdering: FNs metode")
    assert "ikke i rute" in borderline_note(a, "no")
    assert "not on track" in borderline_note(a, "en")
    calm = assess(series({2020: 100.0, 2025: 150.0}), direction="increase", target_value=target)
    assert borderline_note(calm, "no") is None


def test_target_text_for_each_method() -> None:
    values = series({2020: 20.0, 2025: 30.0})
    assert (
        target_text(assess(values, direction="increase", target_value=60.0), SHARE, "no")
        == f"60{NBSP}% i 2032"
    )
    assert (
        target_text(assess(values, direction="increase", target_value=60.5), SHARE, "en") == "60.5% by 2032"
    )
    assert target_text(assess(values, direction="decrease", target_kind="maintain"), SHARE, "no") == (
        "holde nivået fra 2020"
    )
    assert target_text(assess(values, direction="decrease"), SHARE, "en") == "decrease"


@pytest.mark.parametrize(
    ("path", "lang", "decimal"),
    [("docs/method.nb.md", "no", ","), ("docs/method.en.md", "en", "."), ("docs/method.nn.md", "nn", ",")],
)
def test_method_page_names_every_status_and_the_engines_thresholds(
    path: str, lang: str, decimal: str
) -> None:
    """The /metode text must describe the method the engine runs, in the page's language."""
    from pathlib import Path

    from markdown_it import MarkdownIt

    from indicators.assessment import progress

    text = (Path(__file__).resolve().parents[3] / path).read_text(encoding="utf-8")
    for status in STATUSES:
        assert STATUS_TEXT[status][lang] in text
        assert STATUS_ICON[status] in text
    numbers = [
        *progress.TARGET_THRESHOLDS[:2],
        progress.LIMIT_EXPONENT,
        progress.ZERO_REPLACEMENT,
        progress.UN_ON_TRACK,
        *(t * 100 for t in progress.DIRECTION_THRESHOLDS[:2]),
    ]
    for number in numbers:
        assert f"{number:g}".replace(".", decimal) in text, number
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    assert html.count("<table>") == 3


def test_on_track_but_arriving_just_after_the_target_year_says_close() -> None:
    required = (60.0 / 20.0) ** (1 / 12) - 1
    current = 20.0 * (1 + 0.97 * required) ** 5  # ratio 0.97: on track, reaches 60 % after 2032
    a = assess(series({2020: 20.0, 2025: current}), direction="increase", target_value=60.0)
    assert a.status == "substantial_progress"
    assert explain(a, SHARE, "no").endswith(f"nær målet på 60{NBSP}%.")
    assert explain(a, SHARE, "en").endswith("close to the target of 60%.")


def plain(text: str) -> str:
    """Non-breaking spaces (between number and unit) as plain ones, to compare readable strings."""
    return text.replace(NBSP, " ")


def test_a_change_target_and_its_milestones_in_words_in_both_languages() -> None:
    from indicators.assessment.explain import milestone_text

    tonnes = SimpleNamespace(unit="tonn", unit_en="tonnes", decimals=0, name="Utslipp", name_en="Emissions")
    a = assess(
        series({2009: 1000.0, 2020: 880.0, 2021: 800.0}),
        direction="decrease",
        target_kind="change",
        target_value=-50,
        baseline_year=2009,
        target_year=2030,
        milestones=[(2020, -10), (2025, -40), (2015, -5)],
    )
    assert plain(target_text(a, tonnes, "no")) == "500 tonn i 2030 (−50 % fra 2009)"
    assert plain(target_text(a, tonnes, "en")) == "500 tonnes by 2030 (−50% on 2009)"
    met, ahead, gap = a.milestones
    assert plain(milestone_text(met, a, tonnes, "no")) == "2020: 900 tonn (−10 %) – nådd"
    assert plain(milestone_text(ahead, a, tonnes, "en")) == (
        "2025: 600 tonnes (−40%) – not known yet; at the current pace it will be 743 tonnes (not met)"
    )
    assert plain(milestone_text(gap, a, tonnes, "no")) == "2015: 950 tonn (−5 %) – ingen tall for det året"


def test_a_change_target_without_its_base_year_says_why_it_cannot_be_assessed() -> None:
    tonnes = SimpleNamespace(unit="tonn", unit_en="tonnes", decimals=0, name="Utslipp", name_en="Emissions")
    a = assess(
        series({2010: 600.0, 2022: 485.0}),
        direction="decrease",
        target_kind="change",
        target_value=-80,
        baseline_year=2009,
        target_year=2030,
    )
    assert "det finnes ikke tall for 2009" in explain(a, tonnes, "no")
    assert "there is no figure for 2009" in explain(a, tonnes, "en")
    assert plain(target_text(a, tonnes, "no")) == "−80 % fra 2009 i 2030"  # the aim, though no level yet
    assert plain(target_text(a, tonnes, "en")) == "−80% on 2009 by 2030"


# Bokmål words that nynorsk spells otherwise: none may turn up in a nynorsk sentence.
BOKMAL_ONLY = re.compile(
    r"\b(ikke|fra|ennå|finnes|tallet|tall|utviklingen|økte|gikk|holde|mer|mens|vei|ønsket)\b"
)


@pytest.mark.parametrize(
    "case",
    [
        {"points": {2020: 20.0, 2025: 61.0}, "target_value": 60.0},
        {"points": {2020: 20.0, 2025: 41.7}, "target_value": 60.0},
        {"points": {2020: 20.0, 2025: 24.0}, "target_value": 60.0},
        {"points": {2020: 20.0, 2025: 18.0}, "target_value": 60.0},
        {"points": {2020: 20.0, 2025: 18.0}},
        {"points": {2020: 20.0, 2025: 30.0}},
        {"points": {2020: 20.0, 2025: 20.1}, "target_kind": "maintain"},
        {"points": {2020: 20.0, 2025: 25.0}, "target_kind": "maintain"},
        {"points": {2025: 18.0}},
        {"points": {2010: 18.0}},
        {"points": {2020: 5.0, 2025: -3.0}},
    ],
)
@pytest.mark.parametrize("unit", [SHARE, PEOPLE])
def test_nynorsk_sentences_are_nynorsk(case: dict, unit: SimpleNamespace) -> None:
    a = assess(
        series(case["points"]),
        direction="increase",
        target_value=case.get("target_value"),
        target_kind=case.get("target_kind"),
    )
    text = explain(a, unit, "nn")
    assert text != explain(a, unit, "no") or a.status == "target_achieved", text
    assert not BOKMAL_ONLY.search(text), text
    assert 1 <= len(sentences(text)) <= 2, text
    assert not BOKMAL_ONLY.search(target_text(a, unit, "nn"))


def test_nynorsk_sentences_read_as_written() -> None:
    a = assess(series({2020: 20.0, 2025: 41.7}), direction="increase", target_value=60.0)
    assert plain(explain(a, SHARE, "nn")) == (
        "Delen auka frå 20,0 % i 2020 til 41,7 % i 2025. Held utviklinga fram i same takt, "
        "blir målet på 60 % nådd i 2028."
    )
    down = assess(series({2020: 20.0, 2025: 18.0}), direction="increase")
    assert plain(explain(down, PEOPLE, "nn")).startswith("Talet gjekk ned frå 20 personer i 2020")
    assert "Det går feil veg – ønskt utvikling er auke: i snitt −2,1 % per år." in plain(
        explain(down, PEOPLE, "nn")
    )
    assert target_text(
        assess(series({2020: 20.0, 2025: 30.0}), direction="decrease", target_kind="maintain"), SHARE, "nn"
    ) == ("halde nivået frå 2020")
    assert STATUS_TEXT["deterioration"]["nn"] == "Går feil veg"
    assert STATUS_TEXT["not_available"]["nn"] == "Ikkje nok data"


def test_a_nynorsk_milestone_and_borderline_note() -> None:
    from indicators.assessment.explain import milestone_text

    tonnes = SimpleNamespace(unit="tonn", unit_en="tonnes", decimals=0, name="Utslipp", name_en="Emissions")
    a = assess(
        series({2009: 1000.0, 2020: 880.0, 2021: 800.0}),
        direction="decrease",
        target_kind="change",
        target_value=-50,
        baseline_year=2009,
        target_year=2030,
        milestones=[(2020, -10), (2025, -40), (2015, -5)],
    )
    assert plain(target_text(a, tonnes, "nn")) == "500 tonn i 2030 (−50 % frå 2009)"
    met, ahead, gap = a.milestones
    assert plain(milestone_text(met, a, tonnes, "nn")) == "2020: 900 tonn (−10 %) – nådd"
    assert plain(milestone_text(ahead, a, tonnes, "nn")) == (
        "2025: 600 tonn (−40 %) – ikkje kjent enno; med dagens utvikling blir det 743 tonn (blir ikkje nådd)"
    )
    assert plain(milestone_text(gap, a, tonnes, "nn")) == "2015: 950 tonn (−5 %) – ingen tal for det året"
    target = 100 * 1.10**12
    b = assess(series({2020: 100.0, 2025: 100 * 1.096**5}), direction="increase", target_value=target)
    assert borderline_note(b, "nn").startswith("Usikker vurdering: metoden til FN")
    assert "ikkje i rute" in borderline_note(b, "nn")


def test_an_unknown_language_is_a_clear_error() -> None:
    a = assess(series({2020: 20.0, 2025: 30.0}), direction="increase")
    with pytest.raises(ValueError, match="unknown language 'se'; use one of no, en, nn"):
        explain(a, SHARE, "se")
