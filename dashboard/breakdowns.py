"""An indicator's breakdowns (disaggregation) on its page: the choice, the chart and the table.

The choice is plain links (``?breakdown=Kjonn``), so it works without JavaScript; the chart is
drawn by the one drawer (:mod:`dashboard.static_chart`) from a figure like the indicator's own:
the home region's total and one more line per category. Any ``?breakdown=`` value that is not
one of the indicator's breakdowns means the total (:func:`chosen`), never an error.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote

from dash import html
from markupsafe import Markup

from dashboard import figures, static_chart, urls
from dashboard.aria import aria
from dashboard.data import DashboardData
from dashboard.i18n import Lang, t, text_attrs
from indicators.formatting import format_value
from indicators.plan.model import Definition
from indicators.series.arrays import SeriesArrays
from indicators.series.breakdown import BreakdownSeries, Category

CHART_WIDTHS = (340, 490, 720, 1120)  # as the indicator's own chart (components.CHART_WIDTHS)
PARAMETER = "breakdown"
# Category lines: Okabe–Ito colours and a dash pattern each, so no line depends on colour alone.
COLOURS = (figures.VERMILLION, figures.GREEN, figures.PURPLE, figures.ORANGE, figures.SKY, figures.BLACK)
DASHES = ("dash", "dashdot", "longdash", "dot", "longdashdot", "solid")


def chosen(data: DashboardData, indicator_id: str, requested: object) -> BreakdownSeries | None:
    """The breakdown ``?breakdown=`` names, when the indicator has it; else None (the total)."""
    if not isinstance(requested, str):
        return None
    return next((b for b in data.snapshot.breakdowns.get(indicator_id, ()) if b.variable == requested), None)


def href(indicator_id: str, variable: str | None, lang: Lang) -> str:
    """The indicator page showing ``variable``'s breakdown (None: the total), at its section."""
    page = urls.indicator(indicator_id, lang)
    if variable is None:
        return f"{page}#breakdown"
    joiner = "&" if "?" in page else "?"
    return f"{page}{joiner}{PARAMETER}={quote(variable, safe='')}#breakdown"


def label(breakdown: BreakdownSeries, lang: Lang) -> str:
    """The breakdown's name: the definition's in ``lang`` (``translations``, ``label_en``), else
    its plain label or SSB's."""
    return breakdown.label_in(lang) or breakdown.label


def category_label(category: Category, lang: Lang) -> str:
    """The category's label: the definition's in ``lang`` (``translations.<lang>.labels``,
    ``labels_en``), else SSB's (bokmål) or the group's name."""
    return category.label_in(lang) or category.label


def category_attrs(category: Category, lang: Lang) -> dict[str, Any]:
    """``lang="nb"`` where a page in another language shows SSB's bokmål label (``lang="nn"`` for
    a nynorsk-first plan's group name on a bokmål page)."""
    return text_attrs(lang if category.label_in(lang) else category.label_lang, lang)


def _home(series: SeriesArrays, region: str) -> dict[int, float]:
    at = series.region == region
    return {int(y): float(v) for y, v in zip(series.year[at], series.value[at], strict=True)}


def _home_status(series: SeriesArrays, region: str) -> dict[int, str]:
    """SSB's symbol per year where the home region's value is missing (``..``, ``:`` …)."""
    at = series.region == region
    return {
        int(y): s for y, s in zip(series.year[at], series.status[at], strict=True) if isinstance(s, str) and s
    }


def breakdown_figure(
    data: DashboardData, definition: Definition, breakdown: BreakdownSeries, lang: Lang
) -> dict[str, Any]:
    """The home region's total and one line per category, as a figure for the one drawer."""
    region = data.catalog.plan.region
    total = data.home_values(definition.id)
    years = [int(y) for y in total.index]
    values = [float(v) for v in total.tolist()]
    traces = [
        figures.line_trace(
            years,
            values,
            name=t("breakdown_total", lang),
            colour=figures.BLUE,
            width=3,
            dash="solid",
            hover=figures.hover_texts(definition, values, lang),
            rank=1,
            markers=True,
        )
    ]
    all_values, all_years = list(values), list(years)
    for i, category in enumerate(breakdown.categories):
        by_year = _home(category.series, region)
        xs = sorted(by_year)
        ys = [by_year[x] for x in xs]
        traces.append(
            figures.line_trace(
                xs,
                ys,
                name=category_label(category, lang),
                colour=COLOURS[i % len(COLOURS)],
                width=2,
                dash=DASHES[i % len(DASHES)],
                hover=figures.hover_texts(definition, ys, lang),
                rank=2 + i,
            )
        )
        all_values += ys
        all_years += xs
    return {"data": traces, "layout": figures.chart_layout(definition, lang, all_values, all_years)}


def breakdown_table(
    data: DashboardData, definition: Definition, breakdown: BreakdownSeries, lang: Lang
) -> html.Table:
    """The breakdown chart's figures: one row per year, the total and one column per category."""
    region = data.catalog.plan.region
    home = data.home_values(definition.id)
    total = {int(y): float(v) for y, v in zip(home.index, home.tolist(), strict=True)}
    columns = [total] + [_home(c.series, region) for c in breakdown.categories]
    frame = data.frame(definition.id)
    at = frame["region"] == region
    total_status = {
        int(y): s
        for y, s in zip(frame["year"][at], frame["status"][at], strict=True)
        if isinstance(s, str) and s
    }
    statuses = [total_status] + [_home_status(c.series, region) for c in breakdown.categories]
    years = sorted({y for column in columns for y in column})
    head = [html.Th(t("col_year", lang), scope="col"), html.Th(t("breakdown_total", lang), scope="col")]
    head += [
        html.Th(category_label(c, lang), scope="col", **category_attrs(c, lang)) for c in breakdown.categories
    ]
    rows = []
    for year in years:
        cells: list[Any] = [html.Th(str(year), scope="row")]
        for column, status in zip(columns, statuses, strict=True):
            value = column.get(year, math.nan)
            # As the chart's own table: a missing figure says so, with SSB's symbol for why.
            symbol = f" ({status[year]})" if year in status else ""
            text = (
                format_value(value, definition, lang)
                if math.isfinite(value)
                else t("missing_value", lang) + symbol
            )
            cells.append(html.Td(text, className="num"))
        rows.append(html.Tr(cells))
    caption = t("breakdown_caption", lang, region=data.catalog.plan.region_name, label=label(breakdown, lang))
    return html.Table(
        [html.Caption(caption), html.Thead(html.Tr(head)), html.Tbody(rows)], className="data-table"
    )


def breakdown_sentence(
    data: DashboardData, definition: Definition, breakdown: BreakdownSeries, lang: Lang
) -> str:
    """What the breakdown chart shows, in words (its caption; the legend names the lines): the
    years drawn and each line's figure in the total's latest year."""
    region = data.catalog.plan.region
    home = data.home_values(definition.id)
    total = {int(y): float(v) for y, v in zip(home.index, home.tolist(), strict=True)}
    columns = [(t("breakdown_total", lang), total)]
    columns += [(category_label(c, lang), _home(c.series, region)) for c in breakdown.categories]
    years = sorted({y for _, column in columns for y, v in column.items() if math.isfinite(v)})
    shown = [y for y, v in total.items() if math.isfinite(v)]
    if not years or not shown:
        return t("chart_about_empty", lang)
    latest = max(shown)
    values = ", ".join(
        f"{name} {format_value(column[latest], definition, lang)}"
        for name, column in columns
        if math.isfinite(column.get(latest, math.nan))
    )
    return t(
        "chart_about_breakdown",
        lang,
        region=data.catalog.plan.region_name,
        label=label(breakdown, lang),
        first=years[0],
        last=years[-1],
        year=latest,
        values=values,
    )


def section(
    data: DashboardData, definition: Definition, lang: Lang, requested: object
) -> html.Section | None:
    """The page's breakdown section: links to the total and each breakdown (the current one
    marked), and for a chosen breakdown its chart, table and CSV; None without breakdowns."""
    available = data.snapshot.breakdowns.get(definition.id, ())
    if not available:
        return None
    current = chosen(data, definition.id, requested)
    choices = [(None, t("breakdown_total", lang))] + [
        (b.variable, t("breakdown_by", lang, label=label(b, lang))) for b in available
    ]
    links = [
        html.Li(
            html.A(
                text,
                href=href(definition.id, variable, lang),
                **(aria(current="true") if (current.variable if current else None) == variable else {}),
            )
        )
        for variable, text in choices
    ]
    children: list[Any] = [
        html.H2(t("breakdown_heading", lang), id="breakdown"),
        html.Ul(links, className="breakdown-choice", **aria(label=t("breakdown_choice", lang))),
    ]
    if current is not None:
        figure = breakdown_figure(data, definition, current, lang)
        drawing = static_chart.svg_variants(
            figure, CHART_WIDTHS, height=figures.FULL_HEIGHT, css_class="static-graph__variant"
        )
        shows = breakdown_sentence(data, definition, current, lang)
        csv = urls.data_csv(definition.id, lang)
        csv += ("&" if "?" in csv else "?") + f"{PARAMETER}={quote(current.variable, safe='')}"
        children.append(
            html.Figure(
                [
                    html.Div(
                        html.Div(Markup(drawing), className="chart__graph static-graph"),
                        role="img",
                        className="chart__canvas",
                        **aria(label=shows),
                    ),
                    html.Figcaption(shows, className="chart__caption"),
                    # As under the indicator's own chart: on demand, in a box that scrolls sideways
                    # on a narrow screen (the page itself never does).
                    html.Details(
                        [
                            html.Summary(t("table_summary", lang)),
                            breakdown_table(data, definition, current, lang),
                        ],
                        className="chart__table",
                    ),
                ],
                className="chart",
            )
        )
        children.append(html.P(html.A(t("breakdown_download", lang, label=label(current, lang)), href=csv)))
    return html.Section(children, **aria(labelledby="breakdown"))
