"""Small charts drawn on the server as SVG images: sparklines and the cards' small charts.

A goal page shows a dozen or more small charts; as Plotly graphs they cost the browser
seconds (each is a live plot), as SVG images almost nothing. They are pictures with an
``alt`` text, and the card's table carries the figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote
from xml.sax.saxutils import escape

import pandas as pd

from dashboard.figures import BLACK, BLUE, VERMILLION, starts_at_zero
from dashboard.i18n import Lang
from indicators.formatting import format_number

if TYPE_CHECKING:
    from indicators.assessment.progress import Assessment
    from indicators.plan.model import Definition

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
LABEL = "#4d4d4d"  # 8.5:1 on white


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;utf8," + quote(svg, safe="")


# --- sparklines -------------------------------------------------------------------------------


def sparkline_points(values: pd.Series, direction: str, width: float, height: float) -> str:
    """SVG polyline points for one series scaled into the box, flipped so that up is better."""
    clean = values.dropna().sort_index()
    if len(clean) < 2:
        return ""
    lo, hi = float(clean.min()), float(clean.max())
    span = hi - lo or 1.0
    first, last = int(clean.index.min()), int(clean.index.max())
    step = width / max(last - first, 1)
    points = []
    for year, value in clean.items():
        share = (float(value) - lo) / span
        if direction == "decrease":
            share = 1 - share  # a falling value is progress: draw it rising
        y = height - 2 - share * (height - 4)
        points.append(f"{(int(year) - first) * step:.1f},{y:.1f}")
    return " ".join(points)


def sparkline_svg(series: list[tuple[pd.Series, str]], *, width: int = 120, height: int = 32) -> str | None:
    """A tiny SVG (as a data: URI) with one line per (values, direction); ``None`` without data."""
    lines = [sparkline_points(values, direction, width, height) for values, direction in series]
    lines = [p for p in lines if p]
    if not lines:
        return None
    polylines = "".join(
        f'<polyline points="{p}" fill="none" stroke="{BLUE}" stroke-width="1.6" '
        f'stroke-linejoin="round" stroke-opacity="{1 if len(lines) == 1 else 0.75}"/>'
        for p in lines
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{polylines}</svg>'
    )
    return data_uri(svg)


# --- small charts -----------------------------------------------------------------------------

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 10, 22


def _segments(points: Sequence[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive finite values: a missing year breaks the line (never a zero)."""
    runs: list[list[tuple[int, float]]] = [[]]
    for year, value in points:
        if value is None or not math.isfinite(value):
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((year, value))
    return [run for run in runs if run]


def _star(cx: float, cy: float, r: float) -> str:
    corners = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        corners.append(f"{cx + radius * math.cos(angle):.1f},{cy - radius * math.sin(angle):.1f}")
    return " ".join(corners)


def small_chart_svg(
    values: pd.Series, definition: Definition, assessment: Assessment, lang: Lang
) -> str | None:
    """The home region's history (solid line with dots) and, if set, the target (a star at
    the target year), with the value range and years labelled. ``None`` without any value."""
    history = [(int(year), float(value)) for year, value in values.sort_index().items()]
    finite = [v for _, v in history if math.isfinite(v)]
    if not finite:
        return None
    a = assessment
    target = a.target_value if a.target_value is not None and math.isfinite(a.target_value) else None
    scale_values = finite + ([target] if target is not None else [])
    lo, hi = min(scale_values), max(scale_values)
    if starts_at_zero(definition, scale_values):
        lo = 0.0
    if hi == lo:
        hi, lo = hi + 1.0, lo - (1.0 if lo != 0 else 0.0)
    first_year = min(year for year, _ in history)
    last_year = max([year for year, _ in history] + ([a.target_year] if target is not None else []))

    def x(year: float) -> float:
        return LEFT + (year - first_year) / max(last_year - first_year, 1) * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (hi - value) / (hi - lo) * (HEIGHT - TOP - BOTTOM)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="{FONT}" font-size="11">'
    ]
    decimals = min(definition.decimals, 1)
    for tick in (lo, (lo + hi) / 2, hi):
        ty = y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#d9d9d9"/>')
        label = escape(format_number(tick, decimals, lang))
        parts.append(f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="{LABEL}">{label}</text>')
    for year in sorted({first_year, max(year for year, _ in history), last_year}):
        anchor = "start" if year == first_year else "end" if year == last_year else "middle"
        parts.append(
            f'<text x="{x(year):.1f}" y="{HEIGHT - 6}" text-anchor="{anchor}" fill="{LABEL}">{year}</text>'
        )
    for run in _segments(history):
        points = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in run)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{BLUE}" stroke-width="2.5" stroke-linejoin="round"/>'
        )
        parts += [f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="2.5" fill="{BLUE}"/>' for yr, v in run]
    if target is not None:
        parts.append(
            f'<polygon points="{_star(x(a.target_year), y(target), 8)}" fill="{VERMILLION}" '
            f'stroke="{BLACK}" stroke-width="0.8"/>'
        )
    parts.append("</svg>")
    return data_uri("".join(parts))
