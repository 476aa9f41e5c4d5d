"""Sparklines and small charts drawn as SVG on the server."""

from __future__ import annotations

import math
import re
from urllib.parse import unquote

import pandas as pd

from dashboard import svg
from indicators.assessment.progress import assess


def _svg(uri: str) -> str:
    assert uri.startswith("data:image/svg+xml;utf8,")
    return unquote(uri.split(",", 1)[1])


def test_sparkline_draws_a_fall_as_a_rise_for_decrease_indicators() -> None:
    falling = pd.Series([10.0, 8.0, 6.0], index=[2020, 2021, 2022])
    up = svg.sparkline_points(falling, "decrease", 100, 30)
    down = svg.sparkline_points(falling, "increase", 100, 30)

    def y(points: str, i: int) -> float:
        return float(points.split()[i].split(",")[1])

    assert y(up, -1) < y(up, 0)  # SVG y grows downwards: the line climbs
    assert y(down, -1) > y(down, 0)


def test_sparkline_needs_two_values() -> None:
    assert svg.sparkline_svg([(pd.Series([1.0], index=[2020]), "increase")]) is None
    assert svg.sparkline_svg([(pd.Series([1.0, 2.0], index=[2020, 2021]), "increase")]) is not None


def test_small_chart_labels_range_and_years_in_norwegian_and_marks_the_target(data) -> None:
    definition = data.catalog.indicators["elbil"]
    picture = _svg(
        svg.small_chart_svg(data.home_values("elbil"), definition, data.assessments["elbil"], "no")
    )
    labels = re.findall(r">([^<>]+)</text>", picture)
    assert labels[0] == "0,0"  # a share starts at zero
    assert "60,0" in labels  # the top of the scale reaches the target
    assert {"2015", "2024", "2032"} <= set(labels)
    assert "<polygon" in picture  # the target star
    assert picture.count("<circle") == len(data.home_values("elbil"))


def test_small_chart_breaks_the_line_at_a_missing_year(data) -> None:
    definition = data.catalog.indicators["befolkning"]
    values = pd.Series([1.0, 2.0, math.nan, 4.0, 5.0], index=range(2018, 2023))
    a = assess(values, direction="increase")
    picture = _svg(svg.small_chart_svg(values, definition, a, "en"))
    assert picture.count("<polyline") == 2 and picture.count("<circle") == 4
    assert "<polygon" not in picture  # no target, no star


def test_small_chart_without_values_is_none(data) -> None:
    definition = data.catalog.indicators["deltakelse"]
    empty = pd.Series([], dtype=float)
    assert svg.small_chart_svg(empty, definition, data.assessments["deltakelse"], "no") is None
