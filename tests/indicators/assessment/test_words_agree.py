"""The sentence never contradicts the status: a change that rounds to zero at the shown precision
is still said to go the way it goes ("gikk svakt ned", more digits), and the yearly rate is never
shown as 0,0 % when it is not zero — for every status, edge values and the whole catalogue."""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from indicators.assessment.explain import explain
from indicators.assessment.progress import assess
from indicators.config import Settings

ZERO_RATE = re.compile(r"(?<![\d,.])[+−-]?0(?:[,.]0+)?\s?% (?:per år|a year)")


def check(a, definition, lang: str) -> None:
    text = explain(a, definition, lang)
    if a.status == "not_available":
        return
    change = (a.current_value or 0.0) - (a.base_value or 0.0)
    first = text.split(". ")[0]
    if change != 0:
        assert not any(w in first for w in ("uendret", "uendra", "unchanged")), text
        rose = change > 0
        words = ("økte", "auka", "rose") if rose else ("gikk", "gjekk", "fell")
        assert any(w in first for w in words), text
    if a.growth_rate:
        assert not ZERO_RATE.search(text), text
    if a.status == "deterioration" and a.method == "direction" and (a.base_value or 0) > 0:
        # Going the wrong way: the yearly rate says the way it goes, against the wanted one.
        rate = text.split("average" if lang == "en" else "snitt")[-1]
        sign, word = (
            ("−", "down" if lang == "en" else "ned")
            if a.direction == "increase"
            else ("+", "up" if lang == "en" else "opp")
        )
        assert sign in rate or word in rate, text


BASES = [77.48881598568447, 100.0, 0.5, 1_000_000.0, 3.0]
STEPS = [0.0, 1e-9, -1e-9, 1e-7, -1e-7, 1e-5, -1e-5, 1e-3, -1e-3, 0.05, -0.05, 0.5, -0.5]


@pytest.mark.parametrize("lang", ["no", "en", "nn"])
@pytest.mark.parametrize("unit", ["prosent", "personer"])
@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_words_agree_with_the_status_for_edge_changes(lang: str, unit: str, decimals: int) -> None:
    definition = SimpleNamespace(unit=unit, unit_en=None, decimals=decimals)
    seen = set()
    for base, step, direction, target in itertools.product(
        BASES, STEPS, ["increase", "decrease"], [None, 2.0]
    ):
        current = base * (1 + step)
        values = pd.Series([base, base, current], index=[2020, 2022, 2024], dtype=float)
        kind = None if target is None else "value"
        a = assess(
            values,
            direction=direction,
            target_kind=kind,
            target_value=None if target is None else base * target,
        )
        seen.add(a.status)
        check(a, definition, lang)
    assert {"deterioration", "limited_progress", "substantial_progress"} <= seen


@pytest.mark.parametrize("lang", ["no", "en", "nn"])
def test_words_agree_with_the_status_for_every_indicator_of_the_catalogue(lang: str) -> None:
    from dashboard.data import build_data
    from indicators.store.snapshot import load_snapshot

    data = build_data(load_snapshot(Settings.resolve()))
    for indicator_id, a in data.assessments.items():
        check(a, data.catalog.indicators[indicator_id], lang)


def test_a_tiny_fall_is_said_with_enough_digits() -> None:
    definition = SimpleNamespace(unit="prosent", unit_en=None, decimals=1)
    a = assess(pd.Series([77.48881598568447, 77.48706152961472], index=[2020, 2024]), direction="increase")
    assert a.status == "deterioration"
    text = explain(a, definition, "no")
    assert "gikk svakt ned fra 77,489\u00a0% i 2020 til 77,487\u00a0% i 2024" in text
    assert "uendret" not in text and "0,0\u00a0%" not in text
