"""``/rapport``: the whole plan's status as one printable document (DESIGN §9).

A Flask route writing the whole document on the server, like ``/indikatorer``: the page frame
of :func:`dashboard.components.page` in the document of :mod:`dashboard.document`, written by
:mod:`dashboard.prerender`. It is made to be printed (or saved as PDF from the browser's print
dialogue): the style sheet's ``@media print`` rules (``assets/dashboard.css``) drop the menu,
start each goal on a new page and keep each chart whole.

Content: the plan's name and data date, the data's notices (demo, test data, stale), a summary
table of every goal and sub-goal (status, score, coverage), then one section per goal with
each sub-goal's indicators: status in words with its icon, the status sentence and the chart,
drawn once as inline SVG by :mod:`dashboard.static_chart` (the one drawer) at the width of an
A4 page's text. An indicator under several sub-goals is drawn the first time and referred back
to after that. Every printed page carries a running head (:func:`print_css`, served as
``/rapport/utskrift.css``): plan, data date, the demo/test mark and the page number; each goal
section also repeats the data date and mark in a line of its own, for browsers that print no
page-margin boxes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import dash
import flask
from dash import html
from markupsafe import Markup
from werkzeug.wrappers import Response

from dashboard import components as c
from dashboard import data as data_module
from dashboard import document, figures, static_chart, urls
from dashboard.aria import aria
from dashboard.data import DashboardData
from dashboard.i18n import Lang, parse_lang, t
from dashboard.prerender import Element
from indicators import sources
from indicators.assessment.explain import explain
from indicators.formatting import format_number
from indicators.plan.model import Goal, Subgoal

ENDPOINT = "dashboard_report"
PRINT_CSS_ENDPOINT = "dashboard_report_print_css"
PAGE_CACHE = "public, max-age=300"
# 180 mm (A4 less 15 mm margins each side) at 96 px per inch: drawn at the width it prints at,
# the chart's text keeps its size on paper; the style sheet scales it down on narrower screens.
CHART_WIDTH = 680
CHART_HEIGHT = 320
NARROW_CHART = (340, 360)  # a phone's width (and room for the legend's extra rows)


def _anchor(kind: str, item_id: str) -> str:
    return f"report-{kind}-{item_id.replace('.', '-')}"


def _score(score: float | None, lang: Lang) -> str:
    return format_number(score, 1, lang) if score is not None else t("score_none", lang)


def summary_table(data: DashboardData, lang: Lang) -> html.Table:
    """Every goal and sub-goal in one table: status, score (−5 to 5) and coverage."""
    body: list[Any] = []
    for goal in data.catalog.goals:
        items: list[tuple[Goal | Subgoal, str]] = [(goal, "goal"), *((s, "subgoal") for s in goal.subgoals)]
        for item, kind in items:
            r = data.rollups[item.id]
            label = t("goal_heading" if kind == "goal" else "subgoal_heading", lang, id=item.id)
            body.append(
                html.Tr(
                    [
                        html.Th(
                            html.A(
                                [label, ": ", c.title_node(item, lang)], href=f"#{_anchor(kind, item.id)}"
                            ),
                            scope="row",
                            className=f"report-summary__{kind}",
                        ),
                        html.Td(c.status_badge(r.status, lang)),
                        html.Td(_score(r.score, lang), className="num"),
                        html.Td(c.coverage_text(r.assessed, r.indicators, lang)),
                    ],
                    className=f"report-summary__row--{kind}",
                )
            )
    head = html.Tr(
        [
            html.Th(t("report_col_item", lang), scope="col"),
            html.Th(t("ix_col_status", lang), scope="col"),
            html.Th(t("fig_score", lang), scope="col"),
            html.Th(t("report_col_coverage", lang), scope="col"),
        ]
    )
    return html.Table(
        [html.Caption(t("report_summary_caption", lang)), html.Thead(head), html.Tbody(body)],
        className="data-table report-summary",
    )


def chart_svg(data: DashboardData, indicator_id: str, lang: Lang, label: str) -> Markup | None:
    """The indicator's full chart as one inline SVG named ``label``; ``None`` without data."""
    definition = data.catalog.indicators[indicator_id]
    frame = data.frame(indicator_id)
    if frame.empty or not frame["value"].notna().any():
        return None
    figure = figures.indicator_figure(frame, definition, data.assessments[indicator_id], data.catalog, lang)
    mark = figures.data_mark(data.snapshot)
    if mark:
        figure = {**figure, "layout": figures.with_demo_mark(figure["layout"], lang, mark)}
    # The same sentence as the indicator page's caption: what the lines tell, not their names.
    shows = figures.chart_sentence(frame, definition, data.assessments[indicator_id], data.catalog, lang)
    # The A4 width for print and wide screens, and a phone's width, so that the chart's text
    # keeps its size on a phone too; the style sheet shows one (the other is display: none,
    # so assistive technology meets the chart once).
    variants = [
        (variant, static_chart.figure_svg(figure, width=width, height=height, title=label, desc=shows))
        for variant, width, height in (("wide", CHART_WIDTH, CHART_HEIGHT), ("narrow", *NARROW_CHART))
    ]
    return Markup(
        "".join(
            f'<div class="report-chart__variant report-chart__variant--{variant}">{svg}</div>'
            for variant, svg in variants
        )
    )


def indicator_block(data: DashboardData, indicator_id: str, lang: Lang, seen: dict[str, str]) -> html.Article:
    """One indicator: name, status with icon, latest value, status sentence and chart; one
    already shown under an earlier sub-goal is named and referred back to."""
    definition = data.catalog.indicators[indicator_id]
    a = data.assessments[indicator_id]
    name = c.indicator_name(definition, lang)
    block_id = _anchor("indicator", indicator_id)
    heading = html.H4(html.A(name, href=urls.indicator(indicator_id, lang), **c.name_attrs(definition, lang)))
    status = html.P(
        [c.status_badge(a.status, lang), " ", c.latest_value_text(a, definition, lang)],
        className="card__status",
    )
    if indicator_id in seen:
        back = html.A(t("report_shown_under", lang, subgoal=seen[indicator_id]), href=f"#{block_id}")
        return html.Article(
            [heading, status, html.P(back)], className="report-indicator report-indicator--repeat"
        )
    explanation = explain(a, definition, lang)
    children: list[Any] = [
        heading,
        status,
        html.P(explanation, className="report-indicator__sentence"),
    ]
    svg = chart_svg(data, indicator_id, lang, f"{name}. {explanation}")
    if svg is not None:  # without data the status line and the sentence already say so
        children.append(html.Div(svg, className="report-chart"))
    source = ", ".join(credit for credit in _source_names(definition, lang))
    if source:
        children.append(html.P(t("report_source", lang, source=source), className="report-indicator__source"))
    return html.Article(children, id=block_id, className="report-indicator")


def _source_names(definition: Any, lang: Lang) -> list[str]:
    names = []
    for credit in sources.attributions(definition):
        name = credit.publisher_in(lang) or t("source_publisher_unknown", lang)
        if name not in names:
            names.append(name)
    return names


def stamp(data: DashboardData, lang: Lang) -> html.P:
    """The line each goal section starts with on paper: plan, data date, and the demo mark."""
    parts = [c.plan_name(data, lang), t("data_date", lang, date=c.local_date(data.snapshot.data_as_of, lang))]
    mark = figures.data_mark(data.snapshot)
    if mark:
        parts.append(t(mark, lang))
    return html.P(" · ".join(parts), className="report-stamp")


def goal_section(data: DashboardData, goal: Goal, lang: Lang, seen: dict[str, str]) -> html.Section:
    r = data.rollups[goal.id]
    heading_id = _anchor("goal", goal.id)
    children: list[Any] = [
        stamp(data, lang),
        html.H2(
            [
                html.Span(t("goal_heading", lang, id=goal.id), className="goal__number"),
                *c.title_with_mark(c.title_node(goal, lang), goal.wording, lang),
            ],
            id=heading_id,
        ),
        _summary_line(r, lang),
    ]
    for subgoal in goal.subgoals:
        sub_id = _anchor("subgoal", subgoal.id)
        sr = data.rollups[subgoal.id]
        label = t("subgoal_heading", lang, id=subgoal.id)
        blocks: list[Any] = []
        for definition in data.catalog.indicators_for(subgoal.id):
            blocks.append(indicator_block(data, definition.id, lang, seen))
            seen.setdefault(definition.id, subgoal.id)
        children.append(
            html.Section(
                [
                    html.H3(
                        [label, ": ", *c.title_with_mark(c.title_node(subgoal, lang), subgoal.wording, lang)],
                        id=sub_id,
                    ),
                    _summary_line(sr, lang),
                    *(blocks or [html.P(t("no_indicators", lang))]),
                ],
                className="report-subgoal",
                **aria(labelledby=sub_id),
            )
        )
    return html.Section(children, className="report-goal", **aria(labelledby=heading_id))


def _summary_line(r: Any, lang: Lang) -> html.P:
    return html.P(
        [
            c.status_badge(r.status, lang),
            html.Span(f"{t('fig_score', lang)}: {_score(r.score, lang)}", className="score"),
            html.Span(c.coverage_text(r.assessed, r.indicators, lang), className="coverage"),
        ],
        className="goal__summary",
    )


def build(data: DashboardData, lang: Lang) -> html.Div:
    """The report: title, data date, summary table, then a section per goal."""
    date = c.local_date(data.snapshot.data_as_of, lang)
    seen: dict[str, str] = {}
    content: list[Any] = [
        html.H1([t("report_title", lang), html.Span(c.plan_name(data, lang), className="subtitle")]),
        html.P(t("data_date", lang, date=date), className="data-date"),
        html.P(t("report_intro", lang), className="lead report-intro"),
        html.Section(
            [
                html.H2(t("report_summary", lang), id="report-summary"),
                c.scrolling_table(summary_table(data, lang), t("report_summary_caption", lang)),
            ],
            className="report-summary-section",
            **aria(labelledby="report-summary"),
        ),
        *(goal_section(data, goal, lang, seen) for goal in data.catalog.goals),
    ]
    crumbs = [(t("nav_overview", lang), urls.overview(lang)), (t("report_title", lang), None)]
    return c.page(data, lang, switch=lambda other: urls.report(other), content=content, crumbs=crumbs)


def css_string(text: str) -> str:
    """``text`` as a CSS string: every character but ASCII letters, digits, space and ``.,:-()%``
    written as a hex escape, so that no quote, backslash, line break or ``</style>`` in a plan's
    name can end the string or the rule."""
    safe = " .,:-()%"
    return (
        '"'
        + "".join(ch if (ch.isascii() and ch.isalnum()) or ch in safe else f"\\{ord(ch):06x}" for ch in text)
        + '"'
    )


def print_css(data: DashboardData, lang: Lang) -> str:
    """The report's running head on every printed page (CSS page-margin boxes, which Chromium
    prints): plan and data date at the left, the demo/test mark in the middle, the page number
    at the right. Served as its own style sheet because the text comes from the data, and the
    pages' security policy allows no inline style."""
    head = css_string(
        f"{c.plan_name(data, lang)} · {t('data_date', lang, date=c.local_date(data.snapshot.data_as_of, lang))}"
    )
    mark = figures.data_mark(data.snapshot)
    before, _, rest = t("report_page_of", lang).partition("{page}")
    middle, _, after = rest.partition("{pages}")
    numbers = f"{css_string(before)} counter(page) {css_string(middle)} counter(pages) {css_string(after)}"
    box = "font-family: system-ui, sans-serif; font-size: 9pt; color: #000000;"
    rules = [f"  @top-left {{ content: {head}; {box} }}", f"  @top-right {{ content: {numbers}; {box} }}"]
    if mark:
        rules.append(f"  @top-center {{ content: {css_string(t(mark, lang))}; {box} font-weight: 700; }}")
    return (
        "/* /rapport's running head (dashboard/report.py print_css) */\n@page {\n"
        + "\n".join(rules)
        + "\n}\n"
    )


def page_html(data: DashboardData, lang: Lang, stylesheet: str) -> str:
    head = document.Head(
        lang,
        t("report_title", lang),
        site=t("site_name", lang, plan=c.plan_name(data, lang)),
        stylesheet=stylesheet,
        extra=[Element("link", {"rel": "stylesheet", "href": urls.report_print_css(lang), "media": "print"})],
    )
    return document.html_document(head, html.Div(build(data, lang), className="report"))


def register(app: dash.Dash, stylesheet: Callable[[], str]) -> None:
    """Serve ``/rapport`` from ``app``'s Flask server."""

    def report_page() -> Response:
        data = data_module.current()
        lang = parse_lang(flask.request.args.getlist("lang") or None)
        # Depends on the cache version and the language only: remembered like every page.
        body = data.memo(("report", lang), lambda: page_html(data, lang, stylesheet()))
        response = flask.Response(body, mimetype="text/html")
        response.headers["Cache-Control"] = PAGE_CACHE
        response.set_etag(hashlib.sha256(body.encode("utf-8")).hexdigest()[:32])
        return response.make_conditional(flask.request)

    app.server.add_url_rule(urls.REPORT, ENDPOINT, report_page, strict_slashes=False)

    def report_print_css() -> Response:
        data = data_module.current()
        lang = parse_lang(flask.request.args.getlist("lang") or None)
        body = data.memo(("report-print-css", lang), lambda: print_css(data, lang))
        response = flask.Response(body, mimetype="text/css")
        response.headers["Cache-Control"] = PAGE_CACHE
        response.set_etag(hashlib.sha256(body.encode("utf-8")).hexdigest()[:32])
        return response.make_conditional(flask.request)

    app.server.add_url_rule(urls.REPORT_PRINT_CSS, PRINT_CSS_ENDPOINT, report_print_css)
