"""Chart builders: plain functions from data to Plotly figures (plain dicts).

Every chart is one of these figures: the indicator chart (drawn by plotly.js, and on the
server by :mod:`dashboard.static_chart` for first paint, embeds and exported pictures), and
the sparklines and small charts (drawn only by :mod:`dashboard.static_chart`, as pictures).

Colours are Okabe–Ito (safe for colour-blind readers); no line is told apart by colour
alone — each has its own dash pattern or marker and a legend entry saying what it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeGuard

import pandas as pd

from dashboard.chart_model import honest_scale, step_decimals, text_width
from dashboard.i18n import Lang, t
from indicators.assessment.progress import Assessment, MilestoneResult, projection, target_path
from indicators.formatting import format_number, format_value, format_with_unit, is_percent_unit, unit_text

if TYPE_CHECKING:
    from indicators.plan.catalog import Catalog
    from indicators.plan.model import Definition

# Okabe & Ito (2008), "Color Universal Design".
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
PURPLE = "#CC79A7"
BLACK = "#1a1a1a"
GREY = "#6b6b6b"  # 5.3:1 on white: the vertical line at the target year
# Peers: Okabe–Ito's green, reddish purple and orange darkened to at least 4.5:1 on white
# (the thin lines must read against the paper, WCAG 1.4.11), plus a violet; none near the home
# region's blue or the target's vermillion, and each with its own dash pattern and end label.
PEER_GREEN = "#007A5E"  # 5.3:1
PEER_PURPLE = "#A6527F"  # 5.1:1
PEER_OCHRE = "#8C6D00"  # 4.9:1
PEER_VIOLET = "#6E4B9E"  # 6.6:1
PEER_COLOURS = (PEER_GREEN, PEER_PURPLE, PEER_OCHRE, PEER_VIOLET)
PEER_DASHES = ("solid", "dashdot", "longdash", "longdashdot")

SEPARATORS: dict[Lang, str] = {"no": ", ", "en": ".,", "nn": ", "}  # Plotly: decimal mark, then thousands
FULL_HEIGHT = 380

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
    unit = " ".join(definition.texts("unit").values()).lower()  # the unit in every language given
    return not any(word in unit.split() for word in _NO_ZERO_UNITS)


def _name(definition: Definition, lang: Lang) -> str:
    return definition.text("name", lang)


def _region_rows(frame: pd.DataFrame, region: str) -> pd.DataFrame:
    return frame[frame["region"] == region].sort_values("year")


def _region_name(frame: pd.DataFrame, region: str, fallback: str) -> str:
    names = frame.loc[frame["region"] == region, "region_name"].dropna()
    return str(names.iloc[0]) if len(names) else fallback


def hover_texts(definition: Definition, values: Sequence[float], lang: Lang) -> list[str]:
    """Each value as the hover and the keys show it (the definition's unit and decimals; a gap
    says 'missing'). Public: the breakdown chart (:mod:`dashboard.breakdowns`) uses it too."""
    return [format_value(v, definition, lang) if _finite(v) else t("missing_value", lang) for v in values]


def _finite(value: float | None) -> TypeGuard[float]:
    return value is not None and math.isfinite(value)


def _json_values(values: Sequence[float]) -> list[float | None]:
    """Values for the browser: a missing value is a gap (null), never a zero."""
    return [float(v) if _finite(v) else None for v in values]


def line_trace(
    x: Sequence[int],
    y: Sequence[float],
    *,
    name: str,
    colour: str,
    width: float,
    dash: str,
    hover: list[str],
    rank: int,
    markers: bool = False,
) -> dict[str, Any]:
    """One region's or category's line as a Plotly scatter trace the drawer
    (:mod:`dashboard.static_chart`) draws; public for the breakdown chart."""
    return {
        "type": "scatter",
        "x": [int(v) for v in x],
        "y": _json_values(y),
        "name": name,
        "mode": "lines+markers" if markers else "lines",
        "line": {"color": colour, "width": width, "dash": dash},
        "marker": {"size": 6, "color": colour},
        "customdata": hover,
        "hovertemplate": "%{x}: %{customdata}<extra>" + name.replace("<", "&lt;") + "</extra>",
        "connectgaps": False,
        "legendrank": rank,
    }


def _marker(
    year: int,
    value: float,
    *,
    name: str,
    symbol: str,
    size: int,
    colour: str,
    edge: str,
    hover: str,
    rank: int,
    line: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One marked point. With ``line``, the legend's sample shows that line behind the marker
    (one point draws no line): the target's entry then stands for its dotted level line too."""
    trace: dict[str, Any] = {
        "type": "scatter",
        "x": [int(year)],
        "y": [float(value)],
        "name": name,
        "mode": "lines+markers" if line else "markers",
        "marker": {"symbol": symbol, "size": size, "color": colour, "line": {"color": edge, "width": 1}},
        "hovertemplate": f"%{{x}}: {hover}<extra></extra>",
        "legendrank": rank,
        "cliponaxis": False,  # a star at the plot's edge (the target year) is drawn whole
    }
    if line:
        trace["line"] = line
    return trace


# How the target is drawn: a star at the target year, a thin dotted line at its level across the
# plot, a dotted vertical line at the target year; milestones are squares (each shape its own).
TARGET_SYMBOL = "star"
MILESTONE_SYMBOL = "square"
TARGET_LINE = {"color": VERMILLION, "width": 1.25, "dash": "dot"}
TARGET_YEAR_LINE = {"color": GREY, "width": 1.25, "dash": "dot"}
TARGET_LINE_NAME = "target-level"  # layout.shapes names, for tests and readers of the JSON
TARGET_YEAR_NAME = "target-year"
PROJECTION_LABEL_NAME = "projection-end"
LABEL_ROOM = 26  # px of top margin when the projection's label sits above the highest point


def milestone_status(m: MilestoneResult, definition: Definition, lang: Lang) -> str:
    """A milestone's state in a few words: met, missed, or not known yet (and the projection)."""
    if m.met is True:
        return t("milestone_met", lang)
    if m.met is False:
        return t("milestone_missed", lang)
    if _finite(m.projected):
        return t("milestone_projected", lang, value=format_value(m.projected, definition, lang))
    return t("milestone_pending", lang)


def drawn_milestones(assessment: Assessment) -> list[MilestoneResult]:
    """The milestones a chart marks: those with a level (a change without a base has none)."""
    return [m for m in assessment.milestones if _finite(m.value)]


def short_value(value: float, definition: Definition, lang: Lang) -> str:
    """A value for a label inside the chart: the number, with the unit only when it is ``%``
    (the axis title gives any other unit)."""
    decimals = 0 if float(value).is_integer() else definition.decimals  # 60 %, not 60,0 %
    if is_percent_unit(definition.unit):
        return format_with_unit(value, unit_text(definition, lang), decimals, lang)
    return format_number(value, decimals, lang)


def indicator_figure(
    frame: pd.DataFrame,
    definition: Definition,
    assessment: Assessment,
    catalog: Catalog,
    lang: Lang,
) -> dict[str, Any]:
    """The indicator chart (a Plotly figure as a plain dict): history, baseline, target, path
    to target, projection and peers.

    A plain dict, not ``plotly.graph_objects``: validation costs far more than drawing.
    """
    plan = catalog.plan
    traces: list[dict[str, Any]] = []
    all_values: list[float] = []
    years: list[int] = []

    for i, peer in enumerate(catalog.peers_for(definition)):
        rows = _region_rows(frame, peer)
        if rows.empty:
            continue
        values = rows["value"].astype(float).tolist()
        trace = line_trace(
            rows["year"].tolist(),
            values,
            name=t("trace_peer", lang, region=_region_name(frame, peer, peer)),
            colour=PEER_COLOURS[i % len(PEER_COLOURS)],
            width=1.25,
            dash=PEER_DASHES[i % len(PEER_DASHES)],
            hover=hover_texts(definition, values, lang),
            rank=10 + i,  # the legend lists the home region's lines first
        )
        # The region's name at the line's end, where the drawer finds room: no trip to the legend.
        trace["meta"] = {"end_label": _region_name(frame, peer, peer)}
        if sum(1 for v in values if _finite(v)) == 1:
            # One value draws no line (plotly.js shows nothing): a marker, so the peer is seen.
            trace["mode"] = "lines+markers"
            trace["marker"] = {"size": 7, "color": trace["line"]["color"]}
        traces.append(trace)
        all_values += values
        years += rows["year"].tolist()

    home = _region_rows(frame, plan.region)
    values = home["value"].astype(float).tolist()
    traces.append(
        line_trace(
            home["year"].tolist(),
            values,
            name=t("trace_history", lang, region=_region_name(frame, plan.region, plan.region_name)),
            colour=BLUE,
            width=3,
            dash="solid",
            hover=hover_texts(definition, values, lang),
            rank=1,
            markers=True,
        )
    )
    all_values += values
    years += home["year"].tolist()

    a = assessment
    if a.base_year is not None and _finite(a.base_value):
        traces.append(
            _marker(
                a.base_year,
                a.base_value,
                name=t("trace_baseline", lang, year=a.base_year),
                symbol="diamond",
                size=12,
                colour=BLACK,
                edge="white",
                hover=format_value(a.base_value, definition, lang),
                rank=2,
            )
        )
    for points, key, colour, dash, rank in (
        (target_path(a), "trace_path", VERMILLION, "dot", 5),
        (projection(a), "trace_projection", BLUE, "dash", 6),
    ):
        if not points:
            continue
        xs = [year for year, _ in points]
        ys = [value for _, value in points]
        traces.append(
            line_trace(
                xs,
                ys,
                name=t(key, lang),
                colour=colour,
                width=2,
                dash=dash,
                hover=hover_texts(definition, ys, lang),
                rank=rank,
            )
        )
        all_values += ys
        years += xs
    shapes: list[dict[str, Any]] = []
    if _finite(a.target_value):
        traces.append(
            _marker(
                a.target_year,
                a.target_value,
                name=t("trace_target", lang, year=a.target_year),
                symbol=TARGET_SYMBOL,
                size=16,
                colour=VERMILLION,
                edge=BLACK,
                hover=format_value(a.target_value, definition, lang),
                rank=3,
                line=TARGET_LINE,
            )
        )
        all_values.append(a.target_value)
        years.append(a.target_year)
        shapes += target_shapes(a.target_value, a.target_year)
    milestones = drawn_milestones(a)
    if milestones:
        name = t("trace_milestones", lang)
        traces.append(
            {
                "type": "scatter",
                "x": [m.year for m in milestones],
                "y": [float(m.value) for m in milestones if m.value is not None],
                "name": name,
                "mode": "markers",
                "marker": {
                    "symbol": MILESTONE_SYMBOL,
                    "size": 10,
                    "color": VERMILLION,
                    "line": {"color": BLACK, "width": 1},
                },
                "customdata": [
                    f"{format_value(m.value, definition, lang)} – {milestone_status(m, definition, lang)}"
                    for m in milestones
                ],
                "hovertemplate": "%{x}: %{customdata}<extra>" + name.replace("<", "&lt;") + "</extra>",
                "legendrank": 4,
                "cliponaxis": False,
            }
        )
        all_values += [float(m.value) for m in milestones if m.value is not None]
        years += [m.year for m in milestones]

    layout = chart_layout(definition, lang, all_values, years)
    if shapes:
        layout["shapes"] = shapes
    label = _projection_label(
        a, definition, lang, all_values, tozero=layout["yaxis"].get("range", [None])[0] == 0
    )
    if label is not None:
        layout["annotations"] = [label]
        if label["yanchor"] == "bottom":
            layout["margin"] = {**layout["margin"], "t": max(layout["margin"]["t"], LABEL_ROOM)}
    return {"data": traces, "layout": layout}


def target_shapes(level: float, year: int) -> list[dict[str, Any]]:
    """The target's level as a dotted line across the plot, and its year as a dotted vertical
    line, both under the traces."""
    return [
        {
            "type": "line",
            "name": TARGET_LINE_NAME,
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": float(level),
            "y1": float(level),
            "line": dict(TARGET_LINE),
            "layer": "below",
        },
        {
            "type": "line",
            "name": TARGET_YEAR_NAME,
            "xref": "x",
            "x0": int(year),
            "x1": int(year),
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "line": dict(TARGET_YEAR_LINE),
            "layer": "below",
        },
    ]


def _projection_label(
    a: Assessment, definition: Definition, lang: Lang, values: list[float], *, tozero: bool
) -> dict[str, Any] | None:
    """``422 393 i 2030`` at the end of the dashed projection, on the side the line does not
    come from (above a rising line, below a falling one), unless the target star sits there."""
    points = projection(a)
    if len(points) < 2 or not _finite(points[-1][1]):
        return None
    year, value = points[-1]
    rising = value >= points[0][1]
    finite = [v for v in values if _finite(v)] + ([0.0] if tozero else [])
    span = (max(finite) - min(finite)) or 1.0
    if _finite(a.target_value) and abs(a.target_value - value) < 0.15 * span:
        target_above = a.target_value > value
        if target_above == rising:
            rising = not rising  # keep clear of the star
    return {
        "name": PROJECTION_LABEL_NAME,
        "text": t("value_in_year", lang, value=short_value(value, definition, lang), year=year),
        "xref": "x",
        "yref": "y",
        "x": int(year),
        "y": float(value),
        "xanchor": "right",
        "yanchor": "bottom" if rising else "top",
        "yshift": 5 if rising else -5,
        "showarrow": False,
        "font": {"size": 12, "color": BLUE},  # 5.1:1 on white
        "bgcolor": "rgba(255,255,255,0.85)",
        "borderpad": 2,
        "borderwidth": 0,
    }


def chart_sentence(
    frame: pd.DataFrame, definition: Definition, assessment: Assessment, catalog: Catalog, lang: Lang
) -> str:
    """What the full chart shows, in words: the home region's years and latest figure, the
    peers' latest figures, the target and where today's pace leads. The page's caption (the
    legend already names the lines; this says what they tell), like the embed's text alternative."""
    plan = catalog.plan

    def latest(region: str) -> tuple[str, int] | None:
        rows = _region_rows(frame, region)
        rows = rows[rows["value"].notna()]
        if rows.empty:
            return None
        last = rows.iloc[-1]
        return format_value(float(last["value"]), definition, lang), int(last["year"])

    home = _region_rows(frame, plan.region)
    home = home[home["value"].notna()]
    now = latest(plan.region)
    if now is None:
        return t("chart_about_empty", lang)
    sentence = t(
        "chart_about_home",
        lang,
        region=_region_name(frame, plan.region, plan.region_name),
        first=int(home["year"].min()),
        last=int(home["year"].max()),
        value=now[0],
    )
    peers = []
    for peer in catalog.peers_for(definition):
        found = latest(peer) if peer != plan.region else None
        if found is not None:
            name = _region_name(frame, peer, peer)
            peers.append(t("chart_about_peer", lang, region=name, value=found[0], year=found[1]))
    if peers:
        listed = peers[0] if len(peers) == 1 else f"{', '.join(peers[:-1])} {t('and', lang)} {peers[-1]}"
        sentence += t("chart_about_peers", lang, regions=listed)
    parts = [sentence + "."]
    a = assessment
    if _finite(a.target_value) and a.target_year is not None:
        parts.append(
            t(
                "chart_about_target",
                lang,
                value=format_value(a.target_value, definition, lang),
                year=a.target_year,
            )
        )
    ahead = projection(a)
    if ahead and a.current_year is not None and ahead[-1][0] > a.current_year:
        end_year, end_value = ahead[-1]
        parts.append(
            t("chart_about_projection", lang, value=format_value(end_value, definition, lang), year=end_year)
        )
    return " ".join(parts)


def legend_text(figure: dict[str, Any]) -> list[str]:
    """What the chart draws, in legend order (for its text description)."""
    traces = sorted(figure["data"], key=lambda trace: trace.get("legendrank", 1000))
    return [str(trace["name"]) for trace in traces if trace.get("name")]


DEMO_MARK_STRIP = 34  # px above the plot for the DEMODATA label


def data_mark(snapshot: Any) -> str | None:
    """Which mark a chart of ``snapshot``'s figures carries: the i18n key of "DEMODATA" for the
    demo snapshot, of "TESTDATA" for data from a local test server (DESIGN §6), else None."""
    if snapshot.demo:
        return "demo_mark"
    return "test_mark" if getattr(snapshot, "test_data", False) else None


def with_demo_mark(layout: dict[str, Any], lang: Lang, mark: str = "demo_mark") -> dict[str, Any]:
    """``layout`` with a boxed "DEMODATA" (or the text of i18n key ``mark``, e.g. "TESTDATA")
    above the plot's top left corner, in a strip of its own so that it never hides a line: a
    screenshot of a demo chart says what it is."""
    margin = dict(layout.get("margin") or {})
    box = {
        "text": t(mark, lang),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1,
        "xanchor": "left",
        "yanchor": "bottom",
        "yshift": 4,
        "showarrow": False,
        "font": {"size": 14, "color": "#5c3a00", "weight": 700},  # dark on light: AA contrast
        "bgcolor": "#fff3cd",
        "bordercolor": "#7a4d00",
        "borderwidth": 1,
        "borderpad": 4,
    }
    return {
        **layout,
        "margin": {**margin, "t": max(int(margin.get("t", 0)), DEMO_MARK_STRIP)},
        "annotations": [*layout.get("annotations", []), box],
    }


def chart_layout(
    definition: Definition,
    lang: Lang,
    values: list[float],
    years: list[int],
) -> dict[str, Any]:
    """The full chart's layout (axes by the honest-axis rule, the unit as axis title) for
    ``values`` over ``years``; public for the breakdown chart."""
    # The one rule for value axes (chart_model.honest_scale, stated on /metode): round ticks
    # from end to end, zero only where it does not flatten the change.
    scale = honest_scale(values, zero_floor=starts_at_zero(definition, values), count=5, room=0.03)
    decimals = step_decimals(scale.step)
    yaxis: dict[str, Any] = {
        "gridcolor": "#d9d9d9",
        "zeroline": True,
        "zerolinecolor": "#8c8c8c",
        "tickformat": f",.{decimals}f" if decimals else ",d",
        "title": {"text": unit_text(definition, lang)},
        "automargin": True,
    }
    if any(_finite(v) for v in values):
        yaxis |= {"range": [scale.lo, scale.hi], "tickmode": "array", "tickvals": scale.ticks}
    xaxis: dict[str, Any] = {
        "tickformat": "d",
        "gridcolor": "#eeeeee",
        "automargin": True,
        # No axis title: years speak for themselves, and on a phone the wrapped legend below
        # would run into it.
    }
    if years:
        xaxis["range"] = [min(years) - 0.5, max(years) + 0.5]
    return {
        "separators": SEPARATORS[lang],
        "height": FULL_HEIGHT,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {
            "family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
            "color": BLACK,
            "size": 13,
        },
        "showlegend": True,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0},
        "hovermode": "closest",
        "xaxis": xaxis,
        "yaxis": yaxis,
    }


# --- pictures: sparklines and small charts ----------------------------------------------------

PICTURE_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
PICTURE_LABEL = "#4d4d4d"  # 8.5:1 on white
CLEAR = "rgba(0,0,0,0)"  # a picture takes the page's background
SPARKLINE_SIZE = (120, 32)
SPARKLINE_INSET = 2  # px above the highest and below the lowest value
SMALL_CHART_SIZE = (320, 150)
SMALL_CHART_MARGIN = {"l": 52, "r": 14, "t": 10, "b": 22}


def _picture_axis(**extra: Any) -> dict[str, Any]:
    """An axis of a picture: no grid, no labels, the plot area exactly the margins."""
    return {
        "showgrid": False,
        "zeroline": False,
        "showticklabels": False,
        "automargin": False,
        "fixedrange": True,
        **extra,
    }


def _picture_layout(size: tuple[int, int], margin: dict[str, int], **extra: Any) -> dict[str, Any]:
    width, height = size
    return {
        "width": width,
        "height": height,
        "margin": margin,
        "paper_bgcolor": CLEAR,
        "plot_bgcolor": CLEAR,
        "font": {"family": PICTURE_FONT, "size": 11, "color": PICTURE_LABEL},
        "showlegend": False,
        "hovermode": False,
        **extra,
    }


def sparkline_figure(series: Sequence[tuple[pd.Series, str]]) -> dict[str, Any] | None:
    """One line per (values, direction), each stretched over the whole picture (years across,
    its own lowest to highest value up) and flipped for ``decrease`` so that up is better.
    A missing year is bridged (a sparkline shows the trend); ``None`` without two values.
    """
    height = SPARKLINE_SIZE[1]
    lines = []
    for values, direction in series:
        clean = values.dropna().sort_index()
        if len(clean) < 2:
            continue
        lo, hi = float(clean.min()), float(clean.max())
        span = hi - lo or 1.0
        first, last = int(clean.index.min()), int(clean.index.max())
        xs = [(int(year) - first) / max(last - first, 1) for year in clean.index]
        shares = [(float(v) - lo) / span for v in clean]
        ys = [1 - share if direction == "decrease" else share for share in shares]
        lines.append((xs, ys))
    if not lines:
        return None
    inset = SPARKLINE_INSET / (height - 2 * SPARKLINE_INSET)  # the inset in data units
    traces = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": BLUE, "width": 1.6},
            "hoverinfo": "skip",
            "showlegend": False,
            **({"opacity": 0.75} if len(lines) > 1 else {}),
        }
        for xs, ys in lines
    ]
    layout = _picture_layout(
        SPARKLINE_SIZE,
        {"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis=_picture_axis(visible=False, range=[0, 1]),
        yaxis=_picture_axis(visible=False, range=[-inset, 1 + inset]),
    )
    return {"data": traces, "layout": layout}


YEAR_LABEL_WIDTH = 30  # px a four-digit year takes at the small charts' 11 px


def _label_width(labels: Sequence[str]) -> float:
    return max((text_width(label, 11) for label in labels), default=0.0)


def _spaced_years(years: list[int], first: int, last: int, margin: dict[str, int]) -> list[int]:
    """The years to label (first, latest, target), without the latest when it would run into
    the target year's label (2030 next to 2032): the ends are always labelled."""
    width = SMALL_CHART_SIZE[0] - margin["l"] - margin["r"]
    per_year = width / max(last - first, 1)
    kept = [first, last] if last != first else [first]
    for year in years:
        if year in kept:
            continue
        near_first = (year - first) * per_year < YEAR_LABEL_WIDTH * 1.5 + 4
        near_last = (last - year) * per_year < YEAR_LABEL_WIDTH + 4
        if not (near_first or near_last):
            kept.append(year)
    return sorted(kept)


def small_chart_figure(
    values: pd.Series, definition: Definition, assessment: Assessment, lang: Lang
) -> dict[str, Any] | None:
    """A card's small chart: the home region's history (a line with dots; a missing year breaks
    it) and, if set, the target (a star at the target year over a dotted line at its level) and
    the milestones (squares), on a round-numbered value axis (:func:`chart_model.honest_scale`:
    every gridline labelled, numbers in full) with the first, latest and target years labelled.
    ``None`` without any value."""
    ordered = values.sort_index()
    history = [(int(year), float(value)) for year, value in zip(ordered.index, ordered, strict=True)]
    finite = [v for _, v in history if math.isfinite(v)]
    if not finite:
        return None
    a = assessment
    target = a.target_value if _finite(a.target_value) else None
    milestones = drawn_milestones(a)
    scale_values = finite + ([target] if target is not None else [])
    scale_values += [float(m.value) for m in milestones if m.value is not None]
    # The one rule for value axes (chart_model.honest_scale): round ticks, zero only where it
    # does not flatten the change, never a small change stretched to the full height.
    scale = honest_scale(scale_values, zero_floor=starts_at_zero(definition, scale_values))
    lo, hi, ticks = scale.lo, scale.hi, scale.ticks
    first_year = min([year for year, _ in history] + [m.year for m in milestones])
    latest_year = max(year for year, _ in history)
    last_year = max(latest_year, a.target_year) if target is not None else latest_year
    last_year = max([last_year] + [m.year for m in milestones])
    decimals = step_decimals(scale.step)
    tick_text = [format_number(tick, decimals, lang) for tick in ticks]
    # The labels sit in the left margin: as wide as the widest, so 1 380 734 is never cut.
    margin = {
        **SMALL_CHART_MARGIN,
        "l": max(SMALL_CHART_MARGIN["l"], math.ceil(_label_width(tick_text)) + 10),
    }

    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": [year for year, _ in history],
            "y": _json_values([v for _, v in history]),
            "mode": "lines+markers",
            "line": {"color": BLUE, "width": 2.5},
            "marker": {"size": 5, "color": BLUE},
            "connectgaps": False,
            "hoverinfo": "skip",
        }
    ]
    if target is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [a.target_year],
                "y": [float(target)],
                "mode": "markers",
                "marker": {
                    "symbol": "star",
                    "size": 11.5,
                    "color": VERMILLION,
                    "line": {"color": BLACK, "width": 0.8},
                },
                "hoverinfo": "skip",
            }
        )
    if milestones:
        traces.append(
            {
                "type": "scatter",
                "x": [m.year for m in milestones],
                "y": [float(m.value) for m in milestones if m.value is not None],
                "mode": "markers",
                "marker": {
                    "symbol": MILESTONE_SYMBOL,
                    "size": 7,
                    "color": VERMILLION,
                    "line": {"color": BLACK, "width": 0.8},
                },
                "hoverinfo": "skip",
            }
        )
    years = _spaced_years(sorted({first_year, latest_year, last_year}), first_year, last_year, margin)
    year_labels = [
        {
            "text": str(year),
            "xref": "x",
            "yref": "paper",
            "x": year,
            "y": 0,
            "xanchor": "left" if year == first_year else "right" if year == last_year else "center",
            "yanchor": "top",
            "yshift": -5,
            "showarrow": False,
            "borderpad": 0,
            "borderwidth": 0,
            "font": {"size": 11, "color": PICTURE_LABEL},
        }
        for year in years
    ]
    layout = _picture_layout(
        SMALL_CHART_SIZE,
        margin,
        separators=SEPARATORS[lang],
        xaxis=_picture_axis(range=[first_year, max(last_year, first_year + 1)]),
        yaxis=_picture_axis(
            range=[lo, hi],
            showgrid=True,
            gridcolor="#d9d9d9",
            showticklabels=True,
            tickmode="array",
            tickvals=ticks,
            ticktext=tick_text,
        ),
        annotations=year_labels,
    )
    if target is not None:
        level = target_shapes(target, a.target_year)[0]
        layout["shapes"] = [{**level, "line": {**TARGET_LINE, "width": 1}}]
    return {"data": traces, "layout": layout}
