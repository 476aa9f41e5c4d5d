"""Chart builders: plain functions from data to Plotly figures (and SVG sparklines).

Colours are Okabe–Ito (safe for colour-blind readers); no line is told apart by colour
alone — each has its own dash pattern or marker and a legend entry saying what it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import Lang, t
from indicators.formatting import format_value, unit_text
from indicators.progress import Assessment, projection, target_path

if TYPE_CHECKING:
    from indicators.catalog import Catalog
    from indicators.model import Definition

# Okabe & Ito (2008), "Color Universal Design".
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
PURPLE = "#CC79A7"
BLACK = "#1a1a1a"
PEER_COLOURS = (SKY, GREEN, PURPLE, ORANGE)
PEER_DASHES = ("solid", "dashdot", "longdash", "longdashdot")

SEPARATORS: dict[Lang, str] = {"no": ", ", "en": ".,"}  # Plotly: decimal mark, then thousands
FULL_HEIGHT = 380
COMPACT_HEIGHT = 200

# Dash graph config: no mode bar (its icons are unlabelled to screen readers and its
# tooltips hover-only); the table under each chart carries the same figures.
GRAPH_CONFIG = {"displayModeBar": False, "responsive": True}
COMPACT_GRAPH_CONFIG = {"displayModeBar": False, "responsive": True, "staticPlot": True}

# Units on an interval scale, where zero is not a natural floor (a year, an index).
_NO_ZERO_UNITS = ("år", "year", "indeks", "index", "grader", "degrees", "alder", "age")


def starts_at_zero(definition: Definition, values: Sequence[float]) -> bool:
    """Whether the y-axis should include zero.

    Shares, counts and amounts start at zero, so a small change does not look like a large
    one; interval scales (years of age, an index) and series with negative values do not.
    """
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite or min(finite) < 0:
        return False
    unit = f"{definition.unit} {definition.unit_en or ''}".lower()
    return not any(word in unit.split() for word in _NO_ZERO_UNITS)


def _name(definition: Definition, lang: Lang) -> str:
    return definition.name_en if lang == "en" and definition.name_en else definition.name


def _region_rows(frame: pd.DataFrame, region: str) -> pd.DataFrame:
    return frame[frame["region"] == region].sort_values("year")


def _region_name(frame: pd.DataFrame, region: str, fallback: str) -> str:
    names = frame.loc[frame["region"] == region, "region_name"].dropna()
    return str(names.iloc[0]) if len(names) else fallback


def _hover(definition: Definition, values: Sequence[float], lang: Lang) -> list[str]:
    return [
        format_value(v, definition, lang) if v is not None and math.isfinite(v) else t("missing_value", lang)
        for v in values
    ]


def _line(
    x: Sequence[int],
    y: Sequence[float],
    *,
    name: str,
    colour: str,
    width: float,
    dash: str,
    hover: list[str],
    markers: bool = False,
) -> go.Scatter:
    return go.Scatter(
        x=list(x),
        y=list(y),
        name=name,
        mode="lines+markers" if markers else "lines",
        line={"color": colour, "width": width, "dash": dash},
        marker={"size": 6, "color": colour},
        customdata=hover,
        hovertemplate="%{x}: %{customdata}<extra>" + name.replace("<", "&lt;") + "</extra>",
        connectgaps=False,
    )


def indicator_figure(
    frame: pd.DataFrame,
    definition: Definition,
    assessment: Assessment,
    catalog: Catalog,
    lang: Lang,
    *,
    compact: bool = False,
) -> go.Figure:
    """The indicator chart: history, baseline, target, path to target, projection and peers.

    ``compact`` draws the home region's history and the target only, for the small charts
    on goal and sub-goal pages.
    """
    plan = catalog.plan
    fig = go.Figure()
    all_values: list[float] = []
    years: list[int] = []

    if not compact:
        for i, peer in enumerate(catalog.peers_for(definition)):
            rows = _region_rows(frame, peer)
            if rows.empty:
                continue
            label = t("trace_peer", lang, region=_region_name(frame, peer, peer))
            values = rows["value"].astype(float).tolist()
            trace = _line(
                rows["year"],
                values,
                name=label,
                colour=PEER_COLOURS[i % len(PEER_COLOURS)],
                width=1.25,
                dash=PEER_DASHES[i % len(PEER_DASHES)],
                hover=_hover(definition, values, lang),
            )
            trace.opacity = 0.85
            trace.legendrank = 10 + i  # the legend lists the home region's lines first
            fig.add_trace(trace)
            all_values += values
            years += rows["year"].tolist()

    home = _region_rows(frame, plan.region)
    home_name = _region_name(frame, plan.region, plan.region_name)
    values = home["value"].astype(float).tolist()
    fig.add_trace(
        _line(
            home["year"],
            values,
            name=t("trace_history", lang, region=home_name),
            colour=BLUE,
            width=3,
            dash="solid",
            hover=_hover(definition, values, lang),
            markers=True,
        ).update(legendrank=1)
    )
    all_values += values
    years += home["year"].tolist()

    a = assessment
    if not compact and a.base_year is not None and a.base_value is not None:
        fig.add_trace(
            go.Scatter(
                x=[a.base_year],
                y=[a.base_value],
                name=t("trace_baseline", lang, year=a.base_year),
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 12,
                    "color": BLACK,
                    "line": {"color": "white", "width": 1},
                },
                hovertemplate="%{x}: " + format_value(a.base_value, definition, lang) + "<extra></extra>",
                legendrank=2,
            )
        )
    path = target_path(a) if not compact else []
    if path:
        xs, ys = zip(*path, strict=True)
        fig.add_trace(
            _line(
                xs,
                ys,
                name=t("trace_path", lang),
                colour=VERMILLION,
                width=2,
                dash="dot",
                hover=_hover(definition, ys, lang),
            ).update(legendrank=4)
        )
        all_values += list(ys)
        years += list(xs)
    proj = projection(a) if not compact else []
    if proj:
        xs, ys = zip(*proj, strict=True)
        fig.add_trace(
            _line(
                xs,
                ys,
                name=t("trace_projection", lang),
                colour=BLUE,
                width=2,
                dash="dash",
                hover=_hover(definition, ys, lang),
            ).update(legendrank=5)
        )
        all_values += list(ys)
        years += list(xs)
    if a.target_value is not None:
        fig.add_trace(
            go.Scatter(
                x=[a.target_year],
                y=[a.target_value],
                name=t("trace_target", lang, year=a.target_year),
                mode="markers",
                marker={
                    "symbol": "star",
                    "size": 16,
                    "color": VERMILLION,
                    "line": {"color": BLACK, "width": 1},
                },
                hovertemplate="%{x}: " + format_value(a.target_value, definition, lang) + "<extra></extra>",
                legendrank=3,
            )
        )
        all_values.append(a.target_value)
        years.append(a.target_year)

    _style(fig, definition, lang, all_values, years, compact=compact)
    return fig


def legend_text(fig: go.Figure) -> list[str]:
    """What the chart draws, in legend order (for its text description)."""
    traces = sorted(fig.data, key=lambda trace: trace.legendrank if trace.legendrank is not None else 1000)
    return [str(trace.name) for trace in traces if trace.name]


def _style(
    fig: go.Figure,
    definition: Definition,
    lang: Lang,
    values: list[float],
    years: list[int],
    *,
    compact: bool,
) -> None:
    yaxis: dict = {
        "gridcolor": "#d9d9d9",
        "zeroline": True,
        "zerolinecolor": "#8c8c8c",
        "tickformat": f",.{min(definition.decimals, 2)}f" if definition.decimals else ",d",
        "title": {"text": "" if compact else unit_text(definition, lang)},
        "automargin": True,
    }
    if starts_at_zero(definition, values):
        yaxis["rangemode"] = "tozero"
    xaxis: dict = {"tickformat": "d", "gridcolor": "#eeeeee", "automargin": True}
    if years:
        xaxis["range"] = [min(years) - 0.5, max(years) + 0.5]
    if not compact:
        xaxis["title"] = {"text": t("axis_year", lang)}
    fig.update_layout(
        separators=SEPARATORS[lang],
        height=COMPACT_HEIGHT if compact else FULL_HEIGHT,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={
            "family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
            "color": BLACK,
            "size": 13,
        },
        showlegend=not compact,
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "xanchor": "left", "x": 0},
        hovermode="closest",
        xaxis=xaxis,
        yaxis=yaxis,
    )


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
    return "data:image/svg+xml;utf8," + quote(svg, safe="")
