"""A Plotly figure dict read for drawing: traces, number styles, ticks, ranges, the plot box.

Plotly's own rules where they show (tick density and steps from ``axes.autoTicks``, autorange
with a 5 % margin, ``rangemode: tozero``, the default colours, ``lines+markers`` below 20
points); the drawing itself is :mod:`dashboard.static_chart`'s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from indicators.formatting import MINUS, format_number

DEFAULT_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")  # Plotly's
_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(rgb|rgba|hsl|hsla)\([0-9., %]+\))$")
_TAG = re.compile(r"</?(b|i|em|strong|span|sup|sub|a)\b[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TICKFORMAT = re.compile(r"^(?P<group>,)?(?:\.(?P<decimals>\d+))?(?P<kind>[fd])?$")


def safe_colour(value: object, fallback: str) -> str:
    """A colour from the figure, or ``fallback`` when it is missing or not a plain colour."""
    return value.strip() if isinstance(value, str) and _COLOUR.match(value.strip()) else fallback


def is_finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def plain_lines(text: object) -> list[str]:
    """Plotly's rich text (``<br>``, ``<b>`` …) as plain lines."""
    return [_TAG.sub("", line) for line in _BREAK.split(str(text))]


def text_width(text: str, size: float) -> float:
    """An estimate of ``text``'s width in pixels in a sans-serif font (no font metrics here).

    Sized for DejaVu Sans, among the widest common fallbacks, so that labels never collide.
    """
    width = 0.0
    for char in text:
        if char in "iljtf.,:;!|'()[] \u00a0":
            width += 0.3
        elif char.isdigit() or char in "−-–%":
            width += 0.56
        elif char.isupper() or char in "mwMW":
            width += 0.68
        else:
            width += 0.53
    return width * size * 1.13


@dataclass(frozen=True)
class NumberStyle:
    """How tick labels are written: decimals, thousands grouping, the figure's separators."""

    decimals: int | None = None  # None: as many as the tick step needs
    group: bool | None = None  # None: group from five digits on (2024, but 12 000)
    separators: str = ".,"
    prefix: str = ""
    suffix: str = ""

    def format(self, value: float, step: float) -> str:
        decimals = self.decimals if self.decimals is not None else _step_decimals(step)
        lang = "no" if self.separators[:1] == "," else "en"
        if self.group or (self.group is None and abs(value) >= 10_000):
            text = format_number(value, decimals, lang)
        else:
            text = f"{abs(value):.{decimals}f}"
            if lang == "no":
                text = text.replace(".", ",")
            if value < 0 and any(ch not in "0.," for ch in text):
                text = MINUS + text
        return f"{self.prefix}{text}{self.suffix}"

    def value(self, value: float) -> str:
        """One value (a tooltip): the axis's decimals, else up to four significant digits."""
        if self.decimals is not None:
            return self.format(value, 1.0)
        digits = math.floor(math.log10(abs(value))) + 1 if value else 1
        decimals = max(0, 4 - digits)
        text = NumberStyle(decimals, self.group, self.separators, self.prefix, self.suffix).format(value, 1.0)
        mark = "," if self.separators[:1] == "," else "."
        if decimals and not self.suffix:  # 41,70 -> 41,7 (never 4 000 -> 4: only after the mark)
            head, _, tail = text.rpartition(mark)
            tail = tail.rstrip("0")
            text = f"{head}{mark}{tail}" if tail else head
        return text


def _step_decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0


def number_style(axis: dict[str, Any], separators: str) -> NumberStyle:
    """An axis's ``tickformat`` (d3 style: ``,d``, ``,.1f``, ``d``) as a :class:`NumberStyle`."""
    fmt = str(axis.get("tickformat") or "")
    match = _TICKFORMAT.match(fmt)
    prefix, suffix = str(axis.get("tickprefix") or ""), str(axis.get("ticksuffix") or "")
    if not fmt or not match:
        return NumberStyle(None, None, separators, prefix, suffix)
    decimals = 0 if match["kind"] == "d" else int(match["decimals"]) if match["decimals"] else None
    return NumberStyle(decimals, bool(match["group"]), separators, prefix, suffix)


def tick_count(length: float, letter: str) -> float:
    """How many ticks Plotly aims for on an axis ``length`` px long (``axes.autoTicks``)."""
    per_tick = 40 if letter == "y" else 80
    return min(max(length / per_tick, 4), 9) + 1


def nice_ticks(lo: float, hi: float, count: float, *, min_step: float = 0.0) -> list[float]:
    """Round tick values inside [lo, hi], about ``count`` of them (steps 1, 2, 5 × 10^n, as Plotly)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max(count, 1)
    if not math.isfinite(raw) or raw <= 0:  # a span below float precision (denormal values)
        return [lo]
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next((m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9)), 10 * magnitude)
    step = max(step, min_step)
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    i = first
    while i * step <= hi + step * 1e-9:
        ticks.append(round(i * step, 12))
        i += 1
    return ticks


@dataclass
class Trace:
    """One scatter trace, as drawn."""

    index: int
    name: str
    points: list[tuple[float, float | None]]
    tips: list[str]
    colour: str
    width: float
    dash: str
    lines: bool
    markers: bool
    symbol: str
    size: float
    marker_colour: str
    edge: str
    edge_width: float
    opacity: float
    rank: float
    legend: bool

    def segments(self) -> list[list[tuple[float, float]]]:
        """Runs of consecutive points with a value: a missing value breaks the line."""
        runs: list[list[tuple[float, float]]] = [[]]
        for x, y in self.points:
            if y is None:
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append((x, y))
        return [run for run in runs if run]


def read_traces(figure: dict[str, Any]) -> list[Trace]:
    """The figure's scatter traces (others are left out: this renderer draws only lines and markers)."""
    traces = []
    for index, spec in enumerate(figure.get("data") or []):
        if not isinstance(spec, dict) or spec.get("type", "scatter") not in ("scatter", "scattergl"):
            continue
        if spec.get("visible", True) is False or spec.get("visible") == "legendonly":
            continue
        xs = list(spec.get("x") or [])
        ys = list(spec.get("y") or [])
        custom = spec.get("customdata")
        points: list[tuple[float, float | None]] = []
        tips: list[str] = []
        for i, (x, y) in enumerate(zip(xs, ys, strict=False)):
            if not is_finite(x):
                continue
            value = float(y) if is_finite(y) else None
            points.append((float(x), value))
            hover = custom[i] if isinstance(custom, list) and i < len(custom) else None
            tips.append(str(hover) if hover is not None and not isinstance(hover, list | dict) else "")
        line = spec.get("line") or {}
        marker = spec.get("marker") or {}
        edge = marker.get("line") or {}
        mode = str(spec.get("mode") or ("lines+markers" if len(points) < 20 else "lines"))
        colour = safe_colour(
            line.get("color") or marker.get("color"), DEFAULT_COLOURS[index % len(DEFAULT_COLOURS)]
        )
        traces.append(
            Trace(
                index=index,
                name=str(spec.get("name") or ""),
                points=points,
                tips=tips,
                colour=colour,
                width=float(line.get("width", 2)) if is_finite(line.get("width", 2)) else 2.0,
                dash=str(line.get("dash") or "solid"),
                lines="lines" in mode,
                markers="markers" in mode,
                symbol=str(marker.get("symbol") or "circle"),
                size=float(marker.get("size", 6)) if is_finite(marker.get("size", 6)) else 6.0,
                marker_colour=safe_colour(marker.get("color"), colour),
                edge=safe_colour(edge.get("color"), "none"),
                edge_width=float(edge.get("width", 0)) if is_finite(edge.get("width", 0)) else 0.0,
                opacity=float(spec.get("opacity", 1)) if is_finite(spec.get("opacity", 1)) else 1.0,
                rank=float(spec.get("legendrank", 1000)) if is_finite(spec.get("legendrank", 1000)) else 1000,
                legend=spec.get("showlegend", True) is not False and bool(spec.get("name")),
            )
        )
    return traces


@dataclass
class Box:
    """The plot area in pixels and the data ranges it shows."""

    left: float
    top: float
    right: float
    bottom: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def x(self, value: float) -> float:
        lo, hi = self.x_range
        return self.left + (value - lo) / ((hi - lo) or 1) * (self.right - self.left)

    def y(self, value: float) -> float:
        lo, hi = self.y_range
        return self.bottom - (value - lo) / ((hi - lo) or 1) * (self.bottom - self.top)


def _data_range(traces: Sequence[Trace], axis: int) -> tuple[float, float] | None:
    values = [p[axis] for t in traces for p in t.points if p[1] is not None and p[axis] is not None]
    finite = [float(v) for v in values if is_finite(v)]
    return (min(finite), max(finite)) if finite else None


def _given_range(axis: dict[str, Any]) -> tuple[float, float] | None:
    given = axis.get("range")
    if (
        isinstance(given, list | tuple)
        and len(given) == 2
        and all(is_finite(v) for v in given)
        and given[0] != given[1]
    ):
        return float(min(given)), float(max(given))
    return None


def y_range(traces: Sequence[Trace], axis: dict[str, Any]) -> tuple[float, float]:
    """Plotly's autorange, near enough: the data plus 5 % each side; ``rangemode: tozero`` keeps 0."""
    given = _given_range(axis)
    if given:
        return given
    found = _data_range(traces, 1)
    if found is None:
        return (0.0, 1.0)
    lo, hi = found
    tozero = axis.get("rangemode") in ("tozero", "nonnegative")
    if tozero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
        if tozero and found[0] >= 0:
            lo = max(lo, 0.0)
        return lo, hi
    pad = (hi - lo) * 0.05
    return (lo if tozero and lo == 0 else lo - pad), (hi if tozero and hi == 0 else hi + pad)


def x_range(traces: Sequence[Trace], axis: dict[str, Any]) -> tuple[float, float]:
    """The x-axis's ``range`` if given, else the data with half a step each side."""
    given = _given_range(axis)
    if given:
        return given
    found = _data_range(traces, 0)
    if found is None:
        return (0.0, 1.0)
    lo, hi = found
    return (lo - 0.5, hi + 0.5) if hi - lo < 1 else (lo, hi)
