"""A Plotly figure dict read for drawing: traces, shapes, number styles, ticks, ranges, the plot box.

Plotly's own rules where they show (tick density and steps from ``axes.autoTicks``, autorange
with a 5 % margin, ``rangemode: tozero``, the default colours, ``lines+markers`` below 20
points); the drawing itself is :mod:`dashboard.static_chart`'s.

:func:`figure_problems` lists whatever in a figure the drawer cannot draw (a trace type, a
mode, a marker symbol, a shape, an annotation it cannot place, an unknown layout key), so that
nothing vanishes from the server's copy unnoticed. What it accepts is spelled out in the
``_DRAWN``/``_IGNORED`` sets below: a new figure element is added there and drawn, or it fails.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from indicators.formatting import MINUS, format_number

DEFAULT_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")  # Plotly's
_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(rgb|rgba|hsl|hsla)\([0-9., %]+\))$")
_TAG = re.compile(r"</?(b|i|em|strong|span|sup|sub|a)\b[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TICKFORMAT = re.compile(r"^(?P<group>,)?(?:\.(?P<decimals>\d+))?(?P<kind>[fd])?$")


class UnsupportedFigure(ValueError):
    """A figure holds something the SVG drawer cannot draw (raised in strict mode)."""


def safe_colour(value: object, fallback: str) -> str:
    """A colour from the figure, or ``fallback`` when it is missing or not a plain colour."""
    return value.strip() if isinstance(value, str) and _COLOUR.match(value.strip()) else fallback


def is_finite(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_transparent(colour: str) -> bool:
    """Whether a colour paints nothing (``transparent``, ``none``, ``rgba(…, 0)``)."""
    text = colour.replace(" ", "").lower()
    return text in ("transparent", "none") or bool(re.fullmatch(r"(rgba|hsla)\(.*,0(\.0*)?\)", text))


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
            text = f"{abs(value):.{decimals}f}".replace(".", self.separators[:1] or ".")
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
    if not step > 0:  # 10 ** -324 is 0.0: a span of denormal values has no round step
        return [lo]
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    i = first
    while i * step <= hi + step * 1e-9:
        ticks.append(round(i * step, 12))
        i += 1
    return ticks


# --- honest value axes ---------------------------------------------------------------------------

ZERO_SHARE = 1 / 3  # start at zero only if the values still fill a third of the height
MIN_SPAN_SHARE = 0.1  # the axis spans at least 10 % of the largest value: small changes look small
_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class Scale:
    """A value axis: its range, and round ticks from end to end (every gridline labelled)."""

    lo: float
    hi: float
    ticks: list[float]
    step: float


def _round_step(raw: float) -> float:
    if not (raw > 0 and math.isfinite(raw)):
        return 0.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in _NICE_STEPS if m * magnitude >= raw * (1 - 1e-9))


def honest_scale(values: Sequence[float], *, zero_floor: bool, count: int = 3, room: float = 0.0) -> Scale:
    """The value axis of a chart, by one rule for every chart (DESIGN §9, method docs):

    * ``zero_floor`` (a share, count or amount that is never negative): the axis starts at zero,
      unless that would squeeze the values into less than a third of the height and so hide
      their change; then it starts at a round number below the lowest value, labelled;
    * it spans at least 10 % of the largest absolute value, so that a change of 1 % does not
      fill the chart as if it were large (the values sit in the middle of that span);
    * it ends on round ticks (1, 2, 2.5 or 5 × 10ⁿ apart) at or just outside the values, about
      ``count`` steps in all; ``room`` (a share of the values' span) is kept free below the
      lowest value, so that a marker there (the target's star) does not run into the year
      labels (at the top a marker may reach into the margin; a share still ends at 100).
    """
    finite = [float(v) for v in values if is_finite(v)]
    if not finite:
        return Scale(0.0, 1.0, [0.0, 0.5, 1.0], 0.5)
    lo, hi = min(finite), max(finite)
    if zero_floor and lo >= 0 and (hi == 0 or (hi - lo) >= ZERO_SHARE * hi):
        lo = 0.0
    if not (lo == 0 and zero_floor):  # room below: a marker at the top may reach into the margin
        lo -= room * (hi - lo)
    least = MIN_SPAN_SHARE * max(abs(lo), abs(hi)) or 1.0
    if hi - lo < least:
        middle = (hi + lo) / 2
        lo, hi = middle - least / 2, middle + least / 2
        if zero_floor and finite and min(finite) >= 0 and lo < 0:
            lo, hi = 0.0, max(hi - lo, max(finite))
    step = _round_step((hi - lo) / max(count, 1))
    if not (step > 0 and math.isfinite(step)):  # denormal values: no round step to take
        return Scale(lo, hi, [lo, hi], hi - lo)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    if last == first:
        last += 1
    ticks = [round(i * step, 12) for i in range(first, last + 1)]
    return Scale(ticks[0], ticks[-1], ticks, step)


def step_decimals(step: float) -> int:
    """The decimals a tick step needs: 2 for 0.25, 1 for 0.5, 0 for 5 or 1 000."""
    for decimals in range(0, 7):
        if abs(round(step, decimals) - step) < 1e-9 * max(step, 1):
            return decimals
    return 6


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
    hover: bool = True  # False with ``hoverinfo: "skip"``/``"none"``: no tooltips drawn
    end_label: str = ""  # ``meta: {"end_label": …}``: written after the line's last point, room allowing

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
                hover=spec.get("hoverinfo") not in ("skip", "none"),
                end_label=_end_label(spec.get("meta")),
            )
        )
    return traces


def _end_label(meta: object) -> str:
    """The label a figure asks for at a line's end (Plotly keeps ``meta`` for the app's use)."""
    label = meta.get("end_label") if isinstance(meta, dict) else None
    return plain_lines(label)[0].strip() if isinstance(label, str) else ""


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


def _data_range(
    traces: Sequence[Trace], axis: int, extra: Sequence[float] = ()
) -> tuple[float, float] | None:
    values = [p[axis] for t in traces for p in t.points if p[1] is not None and p[axis] is not None]
    finite = [float(v) for v in [*values, *extra] if is_finite(v)]
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


def y_range(
    traces: Sequence[Trace], axis: dict[str, Any], extra: Sequence[float] = ()
) -> tuple[float, float]:
    """Plotly's autorange, near enough: the data (and ``extra``: shapes drawn in data
    coordinates) plus 5 % each side; ``rangemode: tozero`` keeps 0."""
    given = _given_range(axis)
    if given:
        return given
    found = _data_range(traces, 1, extra)
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


def x_range(
    traces: Sequence[Trace], axis: dict[str, Any], extra: Sequence[float] = ()
) -> tuple[float, float]:
    """The x-axis's ``range`` if given, else the data (and ``extra``) with half a step each side."""
    given = _given_range(axis)
    if given:
        return given
    found = _data_range(traces, 0, extra)
    if found is None:
        return (0.0, 1.0)
    lo, hi = found
    return (lo - 0.5, hi + 0.5) if hi - lo < 1 else (lo, hi)


# --- axes --------------------------------------------------------------------------------------


def axis_shown(axis: dict[str, Any]) -> bool:
    """Whether the axis's tick labels are drawn (``visible`` and ``showticklabels``)."""
    return axis.get("visible", True) is not False and axis.get("showticklabels", True) is not False


def grid_shown(axis: dict[str, Any], key: str) -> bool:
    """Whether the axis's grid (``showgrid``) or zero line (``zeroline``) is drawn."""
    return axis.get("visible", True) is not False and axis.get(key, True) is not False


def fixed_margins(axis: dict[str, Any]) -> bool:
    """``automargin: false``: the plot area is the layout's margins exactly (the tick labels
    sit in them). Otherwise the drawer makes room for the labels, as ``automargin: true``."""
    return axis.get("automargin", True) is False


def given_ticks(axis: dict[str, Any]) -> tuple[list[float], list[str] | None] | None:
    """``tickmode: "array"`` ticks (``tickvals``, and ``ticktext`` if as many), else ``None``."""
    values = axis.get("tickvals")
    if axis.get("tickmode", "array" if values is not None else "auto") != "array" or values is None:
        return None
    ticks = [float(v) for v in values if is_finite(v)]
    texts = axis.get("ticktext")
    labels = [str(v) for v in texts] if isinstance(texts, list | tuple) and len(texts) == len(ticks) else None
    return ticks, labels


# --- shapes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """One ``layout.shapes`` entry, as drawn: a line or a rectangle in data or paper coordinates."""

    kind: str  # "line" | "rect"
    x_ref: str  # "x" (data) | "paper" (0 … 1 across the plot area)
    y_ref: str  # "y" | "paper"
    x0: float
    x1: float
    y0: float
    y1: float
    colour: str
    width: float
    dash: str
    fill: str
    opacity: float
    below: bool  # ``layer: "below"``: under the traces, else over them


def axis_ref(value: object, letter: str) -> str:
    """An annotation's or shape's ``xref``/``yref``: the axis (Plotly's default) or ``paper``."""
    text = str(value if value is not None else letter)  # Plotly's default: the first axis
    return "paper" if text in ("paper", f"{letter} domain") else text


def read_shapes(layout: dict[str, Any]) -> list[Shape]:
    """The layout's lines and rectangles (others, and ones without finite corners, are left
    out; :func:`figure_problems` names them)."""
    shapes = []
    for spec in layout.get("shapes") or []:
        if not isinstance(spec, dict) or spec.get("visible", True) is False:
            continue
        kind = str(spec.get("type") or "rect")
        corners = [float(v) for v in (spec.get(k) for k in ("x0", "x1", "y0", "y1")) if is_finite(v)]
        x_ref, y_ref = axis_ref(spec.get("xref"), "x"), axis_ref(spec.get("yref"), "y")
        if kind not in _SHAPE_TYPES or len(corners) < 4:
            continue
        if x_ref not in ("x", "paper") or y_ref not in ("y", "paper"):
            continue
        line = spec.get("line") or {}
        width = line.get("width", 2)
        opacity = spec.get("opacity", 1)
        shapes.append(
            Shape(
                kind=kind,
                x_ref=x_ref,
                y_ref=y_ref,
                x0=corners[0],
                x1=corners[1],
                y0=corners[2],
                y1=corners[3],
                colour=safe_colour(line.get("color"), "#444444"),  # Plotly's default
                width=float(width) if is_finite(width) else 2.0,
                dash=str(line.get("dash") or "solid"),
                fill=safe_colour(spec.get("fillcolor"), "none"),
                opacity=float(opacity) if is_finite(opacity) else 1.0,
                below=spec.get("layer") == "below",
            )
        )
    return shapes


def shape_extent(shapes: Sequence[Shape], letter: str) -> list[float]:
    """The data coordinates of the shapes on one axis (autorange keeps them in view, as Plotly's)."""
    if letter == "x":
        return [v for s in shapes if s.x_ref == "x" for v in (s.x0, s.x1)]
    return [v for s in shapes if s.y_ref == "y" for v in (s.y0, s.y1)]


# --- what the drawer can draw ------------------------------------------------------------------

_TRACE_TYPES = ("scatter", "scattergl")
_MODES = ("lines", "markers")
_SYMBOLS = ("circle", "square", "diamond", "star", "triangle-up", "triangle-down")
_DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "longdashdot")
_DASH_LENGTHS = re.compile(r"^\s*\d+(\.\d+)?(px)?(\s*,\s*\d+(\.\d+)?(px)?)*\s*$")
_SHAPE_TYPES = ("line", "rect")

# Keys read for the drawing, and keys that only matter to an interactive plot (hover, zoom,
# transitions) or say nothing the drawing shows. Anything else is a problem.
_INTERACTIVE = {"hovertemplate", "hoverinfo", "hoverlabel", "hoveron", "hovertext", "uid", "meta"}
_TRACE_KEYS = {
    "type", "x", "y", "name", "mode", "line", "marker", "customdata", "opacity", "legendrank",
    "showlegend", "visible", "connectgaps", "legendgroup", "xaxis", "yaxis", "cliponaxis", *_INTERACTIVE,
}  # fmt: skip
_LINE_KEYS = {"color", "width", "dash", "shape", "simplify"}
_MARKER_KEYS = {"size", "color", "symbol", "line"}
_LAYOUT_KEYS = {
    "separators", "height", "width", "margin", "paper_bgcolor", "plot_bgcolor", "font",
    "showlegend", "legend", "xaxis", "yaxis", "annotations", "shapes",
    "hovermode", "hoverlabel", "dragmode", "autosize", "uirevision", "clickmode", "modebar",
    "transition", "meta", "datarevision", "editrevision",
}  # fmt: skip
_AXIS_KEYS = {
    "range", "rangemode", "autorange", "tickformat", "tickprefix", "ticksuffix", "title", "gridcolor",
    "showgrid", "zeroline", "zerolinecolor", "automargin", "tickmode", "tickvals", "ticktext",
    "showticklabels", "visible", "type", "fixedrange", "hoverformat", "showspikes",
}  # fmt: skip
_ANNOTATION_KEYS = {
    "text", "x", "y", "xref", "yref", "xanchor", "yanchor", "xshift", "yshift", "showarrow",
    "font", "bgcolor", "bordercolor", "borderwidth", "borderpad", "visible", "name",
    "captureevents", "hovertext", "hoverlabel",
}  # fmt: skip
_SHAPE_KEYS = {
    "type", "xref", "yref", "x0", "x1", "y0", "y1", "line", "fillcolor", "opacity", "layer",
    "visible", "name", "editable",
}  # fmt: skip


def _unknown(spec: dict[str, Any], known: set[str], where: str) -> list[str]:
    return [f"{where}: {key!r} is not drawn" for key in sorted(set(spec) - known)]


def _dash_problem(dash: object, where: str) -> list[str]:
    if dash is None or dash in _DASHES or (isinstance(dash, str) and _DASH_LENGTHS.match(dash)):
        return []
    return [f"{where}: dash {dash!r} is not drawn"]


def _trace_problems(index: int, spec: object) -> list[str]:
    where = f"data[{index}]"
    if not isinstance(spec, dict):
        return [f"{where}: not a trace"]
    kind = spec.get("type", "scatter")
    if kind not in _TRACE_TYPES:
        return [f"{where}: trace type {kind!r} is not drawn"]
    problems = _unknown(spec, _TRACE_KEYS, where)
    mode = spec.get("mode")
    if mode is not None and mode != "none" and not set(str(mode).split("+")) <= set(_MODES):
        problems.append(f"{where}: mode {mode!r} is not drawn (lines, markers)")
    if spec.get("connectgaps") is True:
        problems.append(f"{where}: connectgaps is not drawn (a gap is never bridged)")
    if spec.get("xaxis", "x") != "x" or spec.get("yaxis", "y") != "y":
        problems.append(f"{where}: a second axis is not drawn")
    if spec.get("cliponaxis") is True:
        # The drawer clips lines to the plot area, never markers: a marker at the edge is whole,
        # as plotly.js draws it with ``cliponaxis: false``.
        problems.append(f"{where}: cliponaxis true is not drawn (markers are never clipped)")
    line = spec.get("line") or {}
    problems += _unknown(line, _LINE_KEYS, f"{where}.line")
    if line.get("shape", "linear") != "linear":
        problems.append(f"{where}.line: shape {line.get('shape')!r} is not drawn (linear)")
    problems += _dash_problem(line.get("dash"), f"{where}.line")
    marker = spec.get("marker") or {}
    problems += _unknown(marker, _MARKER_KEYS, f"{where}.marker")
    symbol = marker.get("symbol")
    if symbol is not None and str(symbol).removesuffix("-open") not in _SYMBOLS:
        problems.append(f"{where}.marker: symbol {symbol!r} is not drawn")
    if isinstance(marker.get("color"), list | tuple) or isinstance(marker.get("size"), list | tuple):
        problems.append(f"{where}.marker: colours or sizes per point are not drawn")
    return problems


def _axis_problems(axis: object, where: str) -> list[str]:
    if not isinstance(axis, dict):
        return [f"{where}: not an axis"]
    problems = _unknown(axis, _AXIS_KEYS, where)
    if axis.get("type", "linear") not in ("linear", "-"):
        problems.append(f"{where}: axis type {axis.get('type')!r} is not drawn (linear)")
    if axis.get("tickmode", "auto") not in ("auto", "linear", "array"):
        problems.append(f"{where}: tickmode {axis.get('tickmode')!r} is not drawn")
    if axis.get("autorange", True) not in (True, False):
        problems.append(f"{where}: autorange {axis.get('autorange')!r} is not drawn")
    return problems


def _annotation_problems(index: int, note: object) -> list[str]:
    where = f"layout.annotations[{index}]"
    if not isinstance(note, dict):
        return [f"{where}: not an annotation"]
    problems = _unknown(note, _ANNOTATION_KEYS, where)
    if note.get("showarrow", True) is not False:
        problems.append(f"{where}: arrows are not drawn (set showarrow: false)")
    for letter in ("x", "y"):
        ref = axis_ref(note.get(f"{letter}ref"), letter)
        if ref not in ("paper", letter):
            problems.append(f"{where}: {letter}ref {note.get(f'{letter}ref')!r} cannot be placed")
        if not is_finite(note.get(letter, 0.5)):
            problems.append(f"{where}: {letter} {note.get(letter)!r} cannot be placed")
    return problems


def _shape_problems(index: int, spec: object) -> list[str]:
    where = f"layout.shapes[{index}]"
    if not isinstance(spec, dict):
        return [f"{where}: not a shape"]
    kind = spec.get("type", "rect")
    if kind not in _SHAPE_TYPES:
        return [f"{where}: shape type {kind!r} is not drawn (line, rect)"]
    problems = _unknown(spec, _SHAPE_KEYS, where)
    problems += _unknown(spec.get("line") or {}, {"color", "width", "dash"}, f"{where}.line")
    problems += _dash_problem((spec.get("line") or {}).get("dash"), f"{where}.line")
    for letter in ("x", "y"):
        ref = axis_ref(spec.get(f"{letter}ref"), letter)
        if ref not in ("paper", letter):
            problems.append(f"{where}: {letter}ref {spec.get(f'{letter}ref')!r} cannot be placed")
        for key in (f"{letter}0", f"{letter}1"):
            if not is_finite(spec.get(key)):
                problems.append(f"{where}: {key} {spec.get(key)!r} cannot be placed")
    return problems


def figure_problems(figure: dict[str, Any]) -> list[str]:
    """Everything in ``figure`` that the drawer would leave out, one sentence each.

    Keys next to ``data`` and ``layout`` (Dash's ``config``, an app's own extras) are not part
    of the drawing; ``frames`` (animation) is, and is not drawn.
    """
    problems = ["frames: animation is not drawn"] if figure.get("frames") else []
    data = figure.get("data") or []
    if not isinstance(data, list | tuple):
        return [*problems, "data: not a list of traces"]
    for index, spec in enumerate(data):
        problems += _trace_problems(index, spec)
    layout = figure.get("layout") or {}
    if not isinstance(layout, dict):
        return [*problems, "layout: not a dict"]
    problems += _unknown(layout, _LAYOUT_KEYS, "layout")
    for letter in ("x", "y"):
        problems += _axis_problems(layout.get(f"{letter}axis") or {}, f"layout.{letter}axis")
    legend = layout.get("legend") or {}
    if isinstance(legend, dict) and legend.get("orientation", "h") != "h":
        problems.append("layout.legend: a vertical legend is not drawn (always below the plot)")
    for index, note in enumerate(layout.get("annotations") or []):
        problems += _annotation_problems(index, note)
    for index, spec in enumerate(layout.get("shapes") or []):
        problems += _shape_problems(index, spec)
    return problems
