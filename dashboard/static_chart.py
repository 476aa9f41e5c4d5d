"""Plotly figures (the plain dicts :mod:`dashboard.figures` builds) drawn on the server as SVG.

The SVG is on screen at first paint and for readers without JavaScript; plotly.js may take
over later for hover and zoom. It follows Plotly's drawing of the same figure: scatter traces
(lines, markers, both) with their colours, widths, dash patterns and marker symbols, gaps where
a value is missing (``connectgaps`` is not honoured: a gap is never bridged), a white plot
area with gridlines and a zero line, "nice" ticks in the figure's number style
(``layout.separators`` → :mod:`indicators.formatting`), the y-axis title, a horizontal legend
below the plot, and text annotations (the DEMODATA mark). Every point has a ``<title>``: a
native tooltip with the trace's hover text.

``layout.shapes`` are drawn too: lines and rectangles in data or paper coordinates (a target
line, a vertical line at the target year), under or over the traces (``layer``); milestone
marks are marker traces. Lines are clipped to the plot area, markers never (a star at the
target year, on the plot's edge, is whole; the figures ask plotly.js for the same with
``cliponaxis: false``).

Not drawn: other trace types (bar, …), arrows on annotations, a vertical legend (the legend is
always below the plot, as the dashboard's figures ask), log axes, SI-prefixed ticks.
:func:`dashboard.chart_model.figure_problems` names such an element when a figure has one. In
**strict mode** the drawer then raises :class:`~dashboard.chart_model.UnsupportedFigure`; the
tests run strict (``CHART_STRICT=1``, set by ``tests/conftest.py``), so a figure element that
would vanish from the server copy, the embed and the exported picture fails a test. Otherwise
(production) it logs a warning and draws the rest: the server copy stands in for plotly.js,
which draws the whole figure once loaded, and a page without its chart, or an error page, would
be worse than a chart without one decoration.

The sparklines and small charts (figures from :mod:`dashboard.figures`) are drawn here too, as
``<img>`` pictures (:func:`picture_uri`): one drawer for every chart.

The SVG is drawn for exactly ``width`` × ``height`` pixels (with a matching ``viewBox``, so
it scales): text keeps its size only at that width. Callers that show it in boxes of unknown
width render a few widths and pick one by CSS media query (see :mod:`dashboard.embed_html`).
Reading the figure (traces, ranges, ticks, number style) is :mod:`dashboard.chart_model`'s.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

from dashboard.chart_model import (
    Box,
    NumberStyle,
    Shape,
    Trace,
    UnsupportedFigure,
    axis_ref,
    axis_shown,
    figure_problems,
    fixed_margins,
    given_ticks,
    grid_shown,
    is_finite,
    is_transparent,
    nice_ticks,
    number_style,
    plain_lines,
    read_shapes,
    read_traces,
    safe_colour,
    shape_extent,
    text_width,
    tick_count,
    x_range,
    y_range,
)

log = logging.getLogger(__name__)

DEFAULT_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TICK_COLOUR = "#4d4d4d"  # 8.5:1 on white
LEGEND_SAMPLE = 40  # px of line in front of each legend entry
LEGEND_GAP = 18  # px between legend entries
STRICT_ENV = "CHART_STRICT"  # "1": a figure element that cannot be drawn raises


@functools.cache
def strict_default() -> bool:
    """Strict mode for the process, read once from ``CHART_STRICT`` (on in the tests)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def check_figure(figure: dict[str, Any], *, strict: bool | None = None) -> None:
    """Raise :class:`UnsupportedFigure` (strict) or log a warning for what cannot be drawn."""
    problems = figure_problems(figure)
    if not problems:
        return
    if strict if strict is not None else strict_default():
        raise UnsupportedFigure("the SVG drawer cannot draw: " + "; ".join(problems))
    log.warning("static chart: left out of the drawing: %s", "; ".join(problems))


# --- helpers -----------------------------------------------------------------------------------


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _text(value: object) -> str:
    return escape(str(value), quote=False)


def _num(value: float) -> str:
    """A coordinate: one decimal, no ``-0.0``."""
    text = f"{value:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


def _size(value: float) -> str:
    """A stroke width or dash length: up to two decimals (Plotly's 1.25 px lines)."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def dash_array(dash: str, width: float) -> str | None:
    """Plotly's dash patterns (``drawing.dashStyle``) as an SVG ``stroke-dasharray``."""
    w = max(width, 3.0)
    patterns = {
        "solid": None,
        "dot": (w, w),
        "dash": (3 * w, 3 * w),
        "longdash": (5 * w, 5 * w),
        "dashdot": (3 * w, w, w, w),
        "longdashdot": (5 * w, 2 * w, w, 2 * w),
    }
    if dash in patterns:
        pattern = patterns[dash]
        return ",".join(_size(v) for v in pattern) if pattern else None
    lengths = re.findall(r"\d+(?:\.\d+)?", dash)  # Plotly also takes "5px,10px"
    return ",".join(lengths) if lengths else None


def marker_svg(
    symbol: str, cx: float, cy: float, size: float, fill: str, edge: str, edge_width: float
) -> str:
    """One marker (Plotly's ``size`` is its diameter in px): circle, square, diamond, star, triangle."""
    r = size / 2
    stroke = (
        f' stroke="{_attr(edge)}" stroke-width="{_size(edge_width)}"' if edge != "none" and edge_width else ""
    )
    base = symbol.removesuffix("-open")
    fill_attr = "none" if symbol.endswith("-open") else fill
    if symbol.endswith("-open"):
        stroke = f' stroke="{_attr(fill)}" stroke-width="{_num(max(edge_width, 1.5))}"'
    paint = f' fill="{_attr(fill_attr)}"{stroke}'
    if base == "square":
        return (
            f'<rect x="{_num(cx - r)}" y="{_num(cy - r)}" width="{_num(size)}" height="{_num(size)}"{paint}/>'
        )
    if base == "diamond":
        d = r * 1.3
        points = [(cx, cy - d), (cx + d, cy), (cx, cy + d), (cx - d, cy)]
    elif base == "star":
        points = []
        for i in range(10):
            radius = r * 1.4 if i % 2 == 0 else r * 0.55
            angle = math.pi / 2 + i * math.pi / 5
            points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    elif base in ("triangle-up", "triangle-down"):
        sign = -1 if base == "triangle-up" else 1
        points = [
            (cx, cy + sign * r * 1.2),
            (cx + r * 1.1, cy - sign * r * 0.8),
            (cx - r * 1.1, cy - sign * r * 0.8),
        ]
    else:
        return f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r)}"{paint}/>'
    corners = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
    return f'<polygon points="{corners}"{paint}/>'


@dataclass
class Legend:
    """Legend entries laid out in rows below the plot."""

    items: list[tuple[Trace, float, float]] = field(default_factory=list)  # trace, x, row
    rows: int = 0
    row_height: float = 0.0


def layout_legend(traces: Sequence[Trace], left: float, right: float, size: float) -> Legend:
    """Entries in legend-rank order, wrapped into rows as wide as the chart."""
    shown = sorted((t for t in traces if t.legend), key=lambda t: (t.rank, t.index))
    legend = Legend(row_height=size * 1.55)
    x, row = left, 0
    for trace in shown:
        width = LEGEND_SAMPLE + 5 + text_width(trace.name, size)
        if x > left and x + width > right:
            x, row = left, row + 1
        legend.items.append((trace, x, row))
        x += width + LEGEND_GAP
    legend.rows = row + 1 if shown else 0
    return legend


# --- the drawing -------------------------------------------------------------------------------


def data_uri(svg: str) -> str:
    """An SVG document as a ``data:`` URI, for an ``<img src>``."""
    return "data:image/svg+xml;utf8," + quote(svg, safe="")


def picture_uri(figure: dict[str, Any], *, strict: bool | None = None) -> str:
    """``figure`` drawn at its layout's ``width`` × ``height`` as a ``data:`` URI: a picture
    (sparkline, small chart) whose ``alt`` text and table the page gives."""
    layout = figure.get("layout") or {}
    width, height = layout.get("width"), layout.get("height")
    if not is_finite(width) or not is_finite(height):
        raise ValueError("a picture's figure gives its layout.width and layout.height")
    return data_uri(figure_svg(figure, width=int(width), height=int(height), strict=strict))


def svg_variants(
    figure: dict[str, Any],
    widths: Sequence[int],
    *,
    height: int,
    css_class: str,
    empty_text: str | None = None,
) -> str:
    """The chart drawn once per width, each in ``<div class="CSS_CLASS CSS_CLASS--WIDTH">``;
    the caller's style sheet shows the one for the screen, so text keeps about its size.

    Hidden from assistive technology: the box around them carries the chart's name and the
    page its table; each point still has a native tooltip (``<title>``) for mouse readers.
    """
    return "".join(
        f'<div class="{css_class} {css_class}--{width}" aria-hidden="true">'
        + figure_svg(figure, width=width, height=height, empty_text=empty_text)
        + "</div>"
        for width in widths
    )


def figure_svg(
    figure: dict[str, Any],
    *,
    width: int,
    height: int,
    title_id: str | None = None,
    desc_id: str | None = None,
    title: str | None = None,
    desc: str | None = None,
    empty_text: str | None = None,
    strict: bool | None = None,
) -> str:
    """``figure`` as an ``<svg>`` element of ``width`` × ``height`` pixels (no XML prolog).

    The SVG is ``role="img"``. ``title_id``/``desc_id`` name elements that label and describe
    it (``aria-labelledby``/``aria-describedby``); ``title``/``desc`` put a ``<title>`` and
    ``<desc>`` inside it (with those ids, when given). ``empty_text`` is written in the middle
    of a chart without any value. Every text is escaped. ``strict`` (default: the process's
    :func:`strict_default`) raises :class:`UnsupportedFigure` for what cannot be drawn.
    """
    check_figure(figure, strict=strict)
    layout = figure.get("layout") or {}
    font = layout.get("font") or {}
    family = str(font.get("family") or DEFAULT_FONT)
    size = float(font.get("size", 12)) if is_finite(font.get("size", 12)) else 12.0
    ink = safe_colour(font.get("color"), "#1a1a1a")
    separators = str(layout.get("separators") or ".,")
    xaxis, yaxis = layout.get("xaxis") or {}, layout.get("yaxis") or {}
    margin = {"l": 8, "r": 8, "t": 8, "b": 8, **(layout.get("margin") or {})}
    traces = read_traces(figure)
    shapes = read_shapes(layout)
    has_data = any(y is not None for t in traces for _, y in t.points)
    tick_size = size  # Plotly writes ticks in the layout's font size
    show_x, show_y = axis_shown(xaxis), axis_shown(yaxis)

    # Legend first: its rows decide how much height the plot keeps.
    show_legend = layout.get("showlegend", len(traces) > 1) is not False
    legend = layout_legend(traces if show_legend else [], margin["l"], width - margin["r"], size)
    legend_height = legend.rows * legend.row_height + (6 if legend.rows else 0)

    # y-axis: ticks for the height, labels decide the left margin (unless the margins are fixed).
    ylo, yhi = y_range(traces, yaxis, shape_extent(shapes, "y"))
    fixed_x, fixed_y = fixed_margins(xaxis), fixed_margins(yaxis)
    top = float(margin["t"]) + (0 if fixed_y else tick_size * 0.5)
    bottom = height - float(margin["b"]) - legend_height - (0 if fixed_x else tick_size * 1.8)
    y_style = number_style(yaxis, separators)
    y_given = given_ticks(yaxis)
    if y_given:
        y_ticks = [v for v in y_given[0] if ylo <= v <= yhi] if has_data else []
    else:
        min_step = 10.0**-y_style.decimals if y_style.decimals is not None else 0.0
        y_ticks = nice_ticks(ylo, yhi, tick_count(bottom - top, "y"), min_step=min_step) if has_data else []
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    if y_given and y_given[1] is not None:
        y_labels = [y_given[1][y_given[0].index(v)] for v in y_ticks]
    else:
        y_labels = [y_style.format(v, y_step) for v in y_ticks]
    y_labels = y_labels if show_y else []
    y_title = plain_lines(
        (yaxis.get("title") or {}).get("text", "")
        if isinstance(yaxis.get("title"), dict)
        else yaxis.get("title") or ""
    )[0]
    label_width = max((text_width(label, tick_size) for label in y_labels), default=0.0)
    left = float(margin["l"])
    if not fixed_y:
        left += (size * 1.5 if y_title else 0) + label_width + 6
    right = width - float(margin["r"]) - (0 if fixed_x else tick_size * 1.2)  # room for the last year
    x_extent = x_range(traces, xaxis, shape_extent(shapes, "x"))
    box = Box(left, top, max(right, left + 10), max(bottom, top + 10), x_extent, (ylo, yhi))

    x_style = number_style(xaxis, separators)
    x_given = given_ticks(xaxis)
    if x_given:
        x_ticks = [v for v in x_given[0] if box.x_range[0] <= v <= box.x_range[1]] if traces else []
    else:
        x_count = tick_count(box.right - box.left, "x")
        x_min_step = 1.0 if x_style.decimals == 0 else 0.0
        x_ticks = nice_ticks(*box.x_range, x_count, min_step=x_min_step) if traces else []
    x_step = x_ticks[1] - x_ticks[0] if len(x_ticks) > 1 else 1.0
    if x_given and x_given[1] is not None:
        x_labels = [x_given[1][x_given[0].index(v)] for v in x_ticks]
    else:
        x_labels = [x_style.format(v, x_step) for v in x_ticks]
    x_labels = x_labels if show_x else []
    # A year marked by a vertical line (the target year) is labelled on the axis too, in bold;
    # ticks whose labels would touch its label give way, so none collide at 320 px.
    x_ticks, x_labels, x_marked = _marked_ticks(
        box, shapes, x_ticks, x_labels, lambda v: x_style.format(v, x_step), tick_size
    )

    key = hashlib.sha1(json.dumps(figure, sort_keys=True, default=str).encode()).hexdigest()[:8]
    clip = f"clip-{key}-{width}x{height}"
    aria = ' role="img"'
    if title_id:
        aria += f' aria-labelledby="{_attr(title_id)}"'
    if desc_id:
        aria += f' aria-describedby="{_attr(desc_id)}"'
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"{aria} font-family="{_attr(family)}" font-size="{_num(size)}" '
        f'fill="{_attr(ink)}">'
    ]
    if title:
        out.append(f"<title{_id(title_id)}>{_text(title)}</title>")
    if desc:
        out.append(f"<desc{_id(desc_id)}>{_text(desc)}</desc>")
    out.append(
        f'<defs><clipPath id="{clip}"><rect x="{_num(box.left)}" y="{_num(box.top)}" '
        f'width="{_num(box.right - box.left)}" height="{_num(box.bottom - box.top)}"/></clipPath></defs>'
    )
    paper = safe_colour(layout.get("paper_bgcolor"), "#ffffff")
    plot_bg = safe_colour(layout.get("plot_bgcolor"), "#ffffff")
    if not is_transparent(paper):
        out.append(f'<rect width="{width}" height="{height}" fill="{_attr(paper)}"/>')
    if not is_transparent(plot_bg):
        out.append(
            f'<rect x="{_num(box.left)}" y="{_num(box.top)}" width="{_num(box.right - box.left)}" '
            f'height="{_num(box.bottom - box.top)}" fill="{_attr(plot_bg)}"/>'
        )
    out += _unless_empty(_grid(box, x_ticks, y_ticks, xaxis, yaxis))
    out += _unless_empty(
        _axes(box, x_ticks, x_labels, y_ticks, y_labels, y_title, tick_size, margin, size, x_marked)
    )
    out += _shapes([s for s in shapes if s.below], box, clip)
    out += _traces(traces, box, clip, y_style)
    out += _shapes([s for s in shapes if not s.below], box, clip)
    if not has_data and empty_text:
        out.append(
            f'<text x="{_num((box.left + box.right) / 2)}" y="{_num((box.top + box.bottom) / 2)}" '
            f'text-anchor="middle" dominant-baseline="middle" fill="{TICK_COLOUR}">{_text(empty_text)}</text>'
        )
    legend_top = height - float(margin["b"]) - legend_height + 6
    out += _legend(legend, legend_top, size)
    notes: list[tuple[float, float, float, float]] = []
    out += _annotations(layout.get("annotations") or [], box, size, ink, notes)
    out += _end_labels(traces, box, size, notes)
    out.append("</svg>")
    return "".join(out)


def _unless_empty(parts: Iterator[str]) -> list[str]:
    """A group's elements, or nothing for a group without any (a picture without axes)."""
    drawn = list(parts)
    return [] if len(drawn) == 2 and drawn[0].startswith("<g ") and drawn[1] == "</g>" else drawn


def _id(value: str | None) -> str:
    return f' id="{_attr(value)}"' if value else ""


def _marked_ticks(
    box: Box,
    shapes: Sequence[Shape],
    ticks: list[float],
    labels: list[str],
    label_for: Callable[[float], str],
    tick_size: float,
) -> tuple[list[float], list[str], set[float]]:
    """The x ticks and labels with each year that a vertical line marks (a line in data x across
    the plot's height, e.g. the target year) added, and the ticks too close to it dropped."""
    if not labels:  # the axis is hidden
        return ticks, labels, set()
    lo, hi = box.x_range
    marks = sorted(
        {
            s.x0
            for s in shapes
            if s.kind == "line"
            and s.x_ref == "x"
            and s.y_ref == "paper"
            and s.x0 == s.x1
            and lo <= s.x0 <= hi
        }
    )
    if not marks:
        return ticks, labels, set()
    gap = tick_size * 0.6  # room between two labels
    pairs = [(m, label_for(m)) for m in marks]
    kept = [
        (tick, label)
        for tick, label in zip(ticks, labels, strict=False)
        if tick not in marks
        and all(
            abs(box.x(tick) - box.x(m))
            >= (text_width(label, tick_size) + text_width(text, tick_size)) / 2 + gap
            for m, text in pairs
        )
    ]
    merged = sorted(kept + pairs)
    return [tick for tick, _ in merged], [label for _, label in merged], set(marks)


def _grid(box: Box, x_ticks: list[float], y_ticks: list[float], xaxis: dict, yaxis: dict) -> Iterator[str]:
    x_grid = safe_colour(xaxis.get("gridcolor"), "#eeeeee")
    y_grid = safe_colour(yaxis.get("gridcolor"), "#e5e5e5")
    yield '<g class="grid" stroke-width="1" shape-rendering="crispEdges">'
    if grid_shown(xaxis, "showgrid"):
        for tick in x_ticks:
            x = _num(box.x(tick))
            yield f'<line x1="{x}" x2="{x}" y1="{_num(box.top)}" y2="{_num(box.bottom)}" stroke="{_attr(x_grid)}"/>'
    if grid_shown(yaxis, "showgrid"):
        for tick in y_ticks:
            y = _num(box.y(tick))
            yield f'<line x1="{_num(box.left)}" x2="{_num(box.right)}" y1="{y}" y2="{y}" stroke="{_attr(y_grid)}"/>'
    lo, hi = box.y_range
    if grid_shown(yaxis, "zeroline") and lo <= 0 <= hi:
        zero = safe_colour(yaxis.get("zerolinecolor"), "#444444")
        y = _num(box.y(0))
        yield f'<line x1="{_num(box.left)}" x2="{_num(box.right)}" y1="{y}" y2="{y}" stroke="{_attr(zero)}"/>'
    yield "</g>"


def _axes(
    box: Box,
    x_ticks: list[float],
    x_labels: list[str],
    y_ticks: list[float],
    y_labels: list[str],
    y_title: str,
    tick_size: float,
    margin: dict[str, Any],
    size: float,
    x_marked: set[float] | None = None,
) -> Iterator[str]:
    yield f'<g class="ticks" font-size="{_num(tick_size)}" fill="{TICK_COLOUR}">'
    for tick, label in zip(x_ticks, x_labels, strict=False):  # none when the axis is hidden
        mark = ' class="tick--marked" font-weight="bold"' if x_marked and tick in x_marked else ""
        yield (
            f'<text x="{_num(box.x(tick))}" y="{_num(box.bottom + tick_size * 1.35)}" '
            f'text-anchor="middle"{mark}>{_text(label)}</text>'
        )
    for tick, label in zip(y_ticks, y_labels, strict=False):
        yield (
            f'<text x="{_num(box.left - 6)}" y="{_num(box.y(tick) + tick_size * 0.35)}" '
            f'text-anchor="end">{_text(label)}</text>'
        )
    yield "</g>"
    if y_title:
        x = float(margin["l"]) + size * 0.9
        y = (box.top + box.bottom) / 2
        yield (
            f'<text class="axis-title" x="{_num(x)}" y="{_num(y)}" text-anchor="middle" '
            f'transform="rotate(-90 {_num(x)} {_num(y)})">{_text(y_title)}</text>'
        )


def _line_attrs(trace: Trace) -> str:
    dashes = dash_array(trace.dash, trace.width)
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    return (
        f'fill="none" stroke="{_attr(trace.colour)}" stroke-width="{_size(trace.width)}"{dash} '
        'stroke-linejoin="round" stroke-linecap="butt"'
    )


def _tip(trace: Trace, x: float, tip: str, style: NumberStyle, y: float) -> str:
    year = _num(x)
    value = tip or style.value(y)
    return f"<title>{_text(f'{trace.name} – {year}: {value}' if trace.name else f'{year}: {value}')}</title>"


def _traces(traces: Sequence[Trace], box: Box, clip: str, style: NumberStyle) -> Iterator[str]:
    for trace in traces:
        opacity = f' opacity="{_size(trace.opacity)}"' if trace.opacity < 1 else ""
        yield f'<g class="trace" data-trace="{trace.index}"{opacity}>'
        segments = trace.segments()
        if trace.lines:
            yield f'<g clip-path="url(#{clip})">'
            for run in segments:
                if len(run) == 1 and trace.markers:
                    continue  # the marker shows it
                if len(run) == 1:
                    # A lone value between gaps would be invisible as a line: draw it as a dot.
                    x, y = run[0]
                    yield f'<circle cx="{_num(box.x(x))}" cy="{_num(box.y(y))}" r="{_num(max(trace.width, 2))}" fill="{_attr(trace.colour)}"/>'
                    continue
                points = " ".join(f"{_num(box.x(x))},{_num(box.y(y))}" for x, y in run)
                yield f'<polyline points="{points}" {_line_attrs(trace)}/>'
            yield "</g>"
        tips = {x: tip for (x, _), tip in zip(trace.points, trace.tips, strict=True)}
        for run in segments:
            for x, y in run:
                cx, cy = box.x(x), box.y(y)
                if trace.markers:
                    shape = marker_svg(
                        trace.symbol, cx, cy, trace.size, trace.marker_colour, trace.edge, trace.edge_width
                    )
                    yield (
                        f"<g>{_tip(trace, x, tips.get(x, ''), style, y)}{shape}</g>" if trace.hover else shape
                    )
                elif trace.hover:
                    title = _tip(trace, x, tips.get(x, ""), style, y)
                    # An invisible target for the tooltip on a line without markers.
                    yield f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="6" fill="#ffffff" fill-opacity="0">{title}</circle>'
        yield "</g>"


END_LABEL_GAP = 4  # px between a line's last point and its label


def _end_labels(
    traces: Sequence[Trace], box: Box, size: float, notes: Sequence[tuple[float, float, float, float]]
) -> Iterator[str]:
    """Each asked-for label just right of its line's last point, in the line's colour, where it
    fits inside the plot, clear of the annotations (``notes``: left, top, right, bottom) and of
    the labels placed before it; else the legend alone names the line (a narrow chart, a line
    that ends at the right edge)."""
    font = size * 0.92
    placed: list[tuple[float, float, float]] = []  # left, right, baseline
    for trace in traces:
        ends = [(x, y) for x, y in trace.points if y is not None]
        if not trace.end_label or not ends:
            continue
        x, y = ends[-1]
        left = box.x(x) + END_LABEL_GAP + (trace.size / 2 if trace.markers else 0)
        right = left + text_width(trace.end_label, font)
        baseline = box.y(y) + font * 0.35
        if right > box.right or not box.top + font <= baseline <= box.bottom:
            continue
        if any(a < right and left < b and abs(baseline - base) < font * 1.1 for a, b, base in placed):
            continue
        top = baseline - font
        if any(a < right and left < b and t < baseline + 2 and top < u for a, t, b, u in notes):
            continue
        placed.append((left, right, baseline))
        yield (
            f'<text class="end-label" data-trace="{trace.index}" x="{_num(left)}" y="{_num(baseline)}" '
            f'font-size="{_num(font)}" fill="{_attr(trace.colour)}" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke" stroke-linejoin="round">{_text(trace.end_label)}</text>'
        )


def _shapes(shapes: Sequence[Shape], box: Box, clip: str) -> Iterator[str]:
    """Lines and rectangles; those placed in data coordinates are clipped to the plot area."""
    for shape in shapes:
        x0, x1 = (
            (box.left + v * (box.right - box.left) if shape.x_ref == "paper" else box.x(v))
            for v in (shape.x0, shape.x1)
        )
        y0, y1 = (
            (box.bottom - v * (box.bottom - box.top) if shape.y_ref == "paper" else box.y(v))
            for v in (shape.y0, shape.y1)
        )
        in_data = shape.x_ref == "x" or shape.y_ref == "y"
        clipped = f' clip-path="url(#{clip})"' if in_data else ""
        opacity = f' opacity="{_size(shape.opacity)}"' if shape.opacity < 1 else ""
        dashes = dash_array(shape.dash, shape.width)
        stroke = (
            f' stroke="{_attr(shape.colour)}" stroke-width="{_size(shape.width)}"'
            + (f' stroke-dasharray="{dashes}"' if dashes else "")
            if shape.width > 0
            else ' stroke="none"'
        )
        yield f'<g class="shape" data-shape="{shape.kind}"{clipped}{opacity}>'
        if shape.kind == "line":
            yield f'<line x1="{_num(x0)}" y1="{_num(y0)}" x2="{_num(x1)}" y2="{_num(y1)}"{stroke}/>'
        else:
            yield (
                f'<rect x="{_num(min(x0, x1))}" y="{_num(min(y0, y1))}" width="{_num(abs(x1 - x0))}" '
                f'height="{_num(abs(y1 - y0))}" fill="{_attr(shape.fill)}"{stroke}/>'
            )
        yield "</g>"


def _legend(legend: Legend, top: float, size: float) -> Iterator[str]:
    if not legend.items:
        return
    yield '<g class="legend">'
    for trace, x, row in legend.items:
        y = top + row * legend.row_height + legend.row_height / 2
        yield f'<g class="legend-item" data-trace="{trace.index}">'
        if trace.lines:
            yield (
                f'<line x1="{_num(x)}" x2="{_num(x + LEGEND_SAMPLE)}" y1="{_num(y)}" y2="{_num(y)}" '
                f"{_line_attrs(trace)}/>"
            )
        if trace.markers:
            marker_size = min(trace.size, size)
            yield marker_svg(
                trace.symbol,
                x + LEGEND_SAMPLE / 2,
                y,
                marker_size,
                trace.marker_colour,
                trace.edge,
                trace.edge_width,
            )
        yield f'<text x="{_num(x + LEGEND_SAMPLE + 5)}" y="{_num(y + size * 0.35)}">{_text(trace.name)}</text>'
        yield "</g>"
    yield "</g>"


_X_ANCHOR = {"left": ("start", 0.0), "center": ("middle", 0.5), "right": ("end", 1.0)}
_Y_ANCHOR = {"top": 0.0, "middle": 0.5, "bottom": 1.0}


def _annotations(
    annotations: Sequence[Any],
    box: Box,
    size: float,
    ink: str,
    drawn: list[tuple[float, float, float, float]] | None = None,
) -> Iterator[str]:
    """The text annotations; each one's box (left, top, right, bottom) is added to ``drawn``."""
    for note in annotations:
        if not isinstance(note, dict) or not note.get("text") or note.get("visible", True) is False:
            continue
        font = note.get("font") or {}
        font_size = float(font.get("size", size)) if is_finite(font.get("size", size)) else size
        lines = plain_lines(note["text"])
        x_value, y_value = note.get("x", 0.5), note.get("y", 0.5)
        if not (is_finite(x_value) and is_finite(y_value)):
            continue
        x = (
            box.left + float(x_value) * (box.right - box.left)
            if axis_ref(note.get("xref"), "x") == "paper"
            else box.x(x_value)
        )
        y = (
            box.bottom - float(y_value) * (box.bottom - box.top)
            if axis_ref(note.get("yref"), "y") == "paper"
            else box.y(y_value)
        )
        x += float(note.get("xshift", 0) or 0)
        y -= float(note.get("yshift", 0) or 0)
        pad = float(note.get("borderpad", 1) or 0)
        border = float(note.get("borderwidth", 1) or 0)
        text_w = max(text_width(line, font_size) for line in lines)
        line_h = font_size * 1.3
        box_w, box_h = text_w + 2 * (pad + border), len(lines) * line_h + 2 * (pad + border)
        anchor, share = _X_ANCHOR.get(str(note.get("xanchor", "center")), ("middle", 0.5))
        left = x - share * box_w
        top = y - _Y_ANCHOR.get(str(note.get("yanchor", "middle")), 0.5) * box_h
        bg = safe_colour(note.get("bgcolor"), "none")
        edge = safe_colour(note.get("bordercolor"), "none")
        if drawn is not None:
            drawn.append((left, top, left + box_w, top + box_h))
        yield '<g class="annotation">'
        if bg != "none" or (edge != "none" and border):
            stroke = (
                f' stroke="{_attr(edge)}" stroke-width="{_num(border)}"' if edge != "none" and border else ""
            )
            yield (
                f'<rect x="{_num(left)}" y="{_num(top)}" width="{_num(box_w)}" height="{_num(box_h)}" '
                f'fill="{_attr(bg)}"{stroke}/>'
            )
        weight = font.get("weight")
        weight_attr = (
            f' font-weight="{_attr(weight)}"'
            if isinstance(weight, int | str) and str(weight).isalnum()
            else ""
        )
        colour = safe_colour(font.get("color"), ink)
        text_x = left + box_w * share if anchor != "start" else left + pad + border
        if anchor == "end":
            text_x = left + box_w - pad - border
        for i, line in enumerate(lines):
            baseline = top + pad + border + i * line_h + font_size * 1.0
            yield (
                f'<text x="{_num(text_x)}" y="{_num(baseline)}" text-anchor="{anchor}" '
                f'font-size="{_num(font_size)}" fill="{_attr(colour)}"{weight_attr}>{_text(line)}</text>'
            )
        yield "</g>"
