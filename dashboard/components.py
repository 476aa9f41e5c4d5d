"""Reusable pieces of the pages: the frame, status badges, banners, charts with tables, cards.

Plain functions returning Dash components; the page modules put them together.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pandas as pd
from dash import html
from markupsafe import Markup

from dashboard import figures, ids, static_chart, urls
from dashboard.aria import aria
from dashboard.i18n import Lang, indicator_count, model_text, other_langs, t
from indicators.assessment.explain import STATUS_ICON, STATUS_TEXT, explain
from indicators.assessment.progress import MilestoneResult
from indicators.formatting import format_date, format_number, format_percent, format_value, unit_text

if TYPE_CHECKING:
    from dashboard.data import DashboardData
    from indicators.assessment.progress import Assessment
    from indicators.plan.model import Definition, Goal, Subgoal

OSLO = ZoneInfo("Europe/Oslo")
# The server cannot know the chart's box, so it draws the full chart for a few widths and the
# style sheet shows the one for the screen (``.static-graph__variant--<width>``): text keeps
# about its size whatever the width.
CHART_WIDTHS = (340, 490, 720, 1120)
# Marks a chart for assets/embed/points.js: hover values and keyboard access on its points.
CHART_POINTS: dict[str, Any] = {"data-chart-points": ""}


# --- names in the page's language ---------------------------------------------------------


def goal_title(goal: Goal | Subgoal, lang: Lang) -> str:
    """The title in ``lang``: English when the plan gives it, else the plan's Norwegian words
    (as plain text, for page titles; on the page use :func:`title_node`, which marks them)."""
    return goal.text("title", lang)


subgoal_title = goal_title


def title_node(goal: Goal | Subgoal, lang: Lang) -> Any:
    """The title as page content: a title the plan does not give in ``lang`` (a plan need not
    translate its goals) is its bokmål one, marked ``lang="nb"``, so screen readers say it in Norwegian."""
    title, attrs = model_text(goal, "title", lang)
    return html.Span(title, **attrs) if attrs else title


def region_noun(data: DashboardData, lang: Lang) -> str:
    """What the home region is: ``kommunen``/``fylket`` (``the municipality``/``the county``)."""
    return t(f"region_noun_{data.catalog.plan.region_level}", lang)


def region_runner(data: DashboardData, lang: Lang) -> str:
    """Who runs a plan of this level: ``kommunen``/``fylkeskommunen``."""
    return t(f"region_runner_{data.catalog.plan.region_level}", lang)


def indicator_name(definition: Definition, lang: Lang) -> str:
    return definition.text("name", lang)


def name_attrs(definition: Definition, lang: Lang) -> dict[str, Any]:
    """``lang="nb"`` for an indicator's name on a page whose language the definition lacks."""
    return model_text(definition, "name", lang)[1]


def plan_name(data: DashboardData, lang: Lang) -> str:
    return data.catalog.plan.text("name", lang)


def plan_subtitle(data: DashboardData, lang: Lang) -> str:
    return data.catalog.plan.text("subtitle", lang)


def local_date(moment: datetime | None, lang: Lang) -> str:
    """A UTC time as the date people in Trondheim would give it."""
    if moment is None:
        return format_date(None, lang)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    # format_date shows aware times in UTC; hand it the Oslo wall-clock time instead.
    return format_date(aware.astimezone(OSLO).replace(tzinfo=None), lang)


# --- statuses -------------------------------------------------------------------------------


def status_badge(status: str, lang: Lang) -> html.Span:
    """The status as icon + words, coloured — but readable without the colour."""
    return html.Span(
        [
            html.Span(STATUS_ICON[status], className="status__icon", **aria(hidden="true")),
            html.Span(STATUS_TEXT[status][lang], className="status__text"),
        ],
        className=f"status status--{status}",
    )


def score_text(score: float | None, lang: Lang) -> str:
    if score is None or not math.isfinite(score):
        return t("score_none", lang)
    return t("score", lang, score=format_number(score, 1, lang))


def coverage_text(assessed: int, total: int, lang: Lang) -> str:
    # "1 av 1 indikator vurdert", "2 av 3 indikatorer vurdert": the noun follows the total.
    return t("coverage", lang, assessed=assessed, total=indicator_count(total, lang))


def working_title_mark(lang: Lang) -> html.Span:
    return html.Span(t("working_title", lang), className="working-title")


def working_title_suffix(wording: str, lang: Lang) -> list[Any]:
    """What follows a goal or sub-goal title: the "arbeidstittel" mark for working titles."""
    return [" ", working_title_mark(lang)] if wording == "working" else []


def title_with_mark(text: Any, wording: str, lang: Lang) -> list[Any]:
    """A goal or sub-goal title, with the visible "arbeidstittel" mark for working titles."""
    return [text, *working_title_suffix(wording, lang)]


# --- frame ----------------------------------------------------------------------------------


def banners(data: DashboardData, lang: Lang) -> list[Any]:
    """The notices every page shows when the data is the demo snapshot, stale or partly failed."""
    snapshot = data.snapshot
    out: list[Any] = []
    if snapshot.demo:
        out.append(html.P(t("banner_demo", lang), className="banner banner--demo"))
    if snapshot.test_data:  # fetched from a local stub (DESIGN §6): never to pass for SSB's figures
        notice = t("banner_test_data", lang, url=snapshot.api_url)
        out.append(html.P(notice, className="banner banner--demo banner--test-data"))
    if snapshot.no_data:  # another plan's first start: nothing fetched yet and no demo of its own
        out.append(html.P(t("banner_no_data", lang), className="banner banner--stale"))
    # Demo figures are synthetic whatever their date: the demo banner says all there is to say.
    elif not snapshot.demo and snapshot.is_stale():
        out.append(
            html.P(
                t("banner_stale", lang, date=local_date(snapshot.data_as_of, lang)),
                className="banner banner--stale",
            )
        )
    refresh = snapshot.last_refresh or {}
    failed = refresh.get("failed") or []
    if refresh and not refresh.get("ok", True) and failed:
        names = sorted({str(f.get("indicator", "?")) for f in failed})
        out.append(
            html.P(
                t(
                    "banner_refresh_failed",
                    lang,
                    indicators=indicator_count(len(names), lang),
                    names=", ".join(names),
                ),
                className="banner banner--failed",
            )
        )
    return out


def page(
    data: DashboardData,
    lang: Lang,
    *,
    switch: Callable[[Lang], str],
    content: list[Any],
    crumbs: list[tuple[str, str | None]] | None = None,
) -> html.Div:
    """The frame around every page of the dashboard (:func:`frame`) with the data's notices
    and date.

    ``switch`` gives this page's address in another language; ``crumbs`` is the breadcrumb trail as
    (text, href) pairs, the last one (the current page) without a link.
    """
    main_children: list[Any] = []
    if crumbs:
        main_children.append(breadcrumbs(crumbs, lang))
    main_children.extend(content)
    footer = [
        html.P(t("footer_source", lang)),
        html.P(t("footer_data_date", lang, date=local_date(data.snapshot.data_as_of, lang))),
    ]
    return frame(
        lang,
        site=t("site_name", lang, plan=plan_name(data, lang)),
        switch=switch,
        content=[*banners(data, lang), *main_children],
        footer=footer,
    )


def frame(
    lang: Lang,
    *,
    site: str,
    switch: Callable[[Lang], str],
    content: list[Any],
    footer: list[Any] | None = None,
    nav: bool = True,
) -> html.Div:
    """Skip link, header (site name, menu, language switch), main and footer.

    Pages without data (the 503 page) leave out the menu (``nav``) and the footer.
    """
    header_children: list[Any] = [html.A(site, href=urls.overview(lang), className="site-header__name")]
    if nav:
        nav_items = [
            (t("nav_overview", lang), urls.overview(lang)),
            (t("nav_indicators", lang), urls.indicators(lang)),
            (t("nav_report", lang), urls.report(lang)),
            (t("nav_method", lang), urls.method(lang)),
            (t("nav_about", lang), urls.about(lang)),
        ]
        header_children.append(
            html.Nav(
                html.Ul([html.Li(html.A(text, href=href)) for text, href in nav_items]),
                className="site-nav",
                **aria(label=t("nav_label", lang)),
            )
        )
    header_children.append(language_switch(lang, switch))
    children: list[Any] = [
        html.A(t("skip_link", lang), href=f"#{ids.MAIN}", className="skip-link"),
        html.Header(header_children, className="site-header"),
        html.Main(content, id=ids.MAIN, tabIndex="-1", className="site-main"),
    ]
    if footer:
        children.append(html.Footer(footer, className="site-footer"))
    return html.Div(children, className="page")


def language_switch(lang: Lang, switch: Callable[[Lang], str]) -> html.Nav:
    """Links to this page in every other language, each named in its own language and marked
    with its ``lang`` and ``hreflang``. The first link has the id ``lang-switch``, the others
    ``lang-switch-<code>``."""
    links = [
        html.Li(
            html.A(
                language.name,
                id=ids.LANG_SWITCH if index == 0 else f"{ids.LANG_SWITCH}-{language.code}",
                href=switch(language.code),
                lang=language.html_lang,
                hrefLang=language.html_lang,
                className="lang-switch__link",
            )
        )
        for index, language in enumerate(other_langs(lang))
    ]
    return html.Nav(html.Ul(links), className="lang-switch", **aria(label=t("lang_switch_label", lang)))


def breadcrumbs(crumbs: list[tuple[str, str | None]], lang: Lang) -> html.Nav:
    items = []
    for text, href in crumbs:
        if href is None:
            items.append(html.Li(html.Span(text, **aria(current="page"))))
        else:
            items.append(html.Li(html.A(text, href=href)))
    return html.Nav(html.Ol(items), className="breadcrumbs", **aria(label=t("breadcrumb_label", lang)))


# --- charts, tables and cards -----------------------------------------------------------------


def data_table(
    data: DashboardData,
    definition: Definition,
    lang: Lang,
    *,
    home_only: bool = False,
    rows: pd.DataFrame | None = None,
) -> html.Table:
    """The chart's figures as a table: one row per year, one column per region.

    ``home_only`` keeps the home region's column: what a small chart draws. ``rows`` is the
    series to show, when not the indicator's whole frame (an embed's without its peers).
    """
    catalog = data.catalog
    cells: dict[tuple[str, int], tuple[Any, Any]] = {}
    names: dict[str, str] = {}
    frame = data.frame(definition.id) if rows is None else rows
    # One pass over the columns' plain values: pandas lookups per cell cost seconds on a goal page.
    for region, year, name, value, status in zip(
        frame["region"].astype(str),
        frame["year"].astype(int),
        frame["region_name"].astype(str),
        frame["value"],
        frame["status"],
        strict=True,
    ):
        cells[(region, year)] = (value, status)
        names.setdefault(region, name)
    peers = [] if home_only else [p for p in catalog.peers_for(definition) if p != catalog.plan.region]
    order = [catalog.plan.region, *peers]
    regions = [r for r in order if r in names]
    years = sorted({year for region, year in cells if region in regions})
    head = html.Tr(
        [html.Th(t("col_year", lang), scope="col")] + [html.Th(names[r], scope="col") for r in regions]
    )
    body = []
    for year in years:
        row_cells: list[html.Th | html.Td] = [html.Th(str(year), scope="row")]
        for region in regions:
            value, status = cells.get((region, year), (math.nan, None))
            row_cells.append(html.Td(_cell_text(value, status, definition, lang), className="num"))
        body.append(html.Tr(row_cells))
    caption = table_caption(definition, lang)
    return html.Table([html.Caption(caption), html.Thead(head), html.Tbody(body)], className="data-table")


def targets_table(definition: Definition, a: Assessment, lang: Lang) -> html.Table | None:
    """What the chart marks for the target, as a table: each milestone and the final target
    with its level (and the per cent change, for a change target) and whether it is met.
    ``None`` when the chart marks no target."""
    milestones = figures.drawn_milestones(a)
    has_target = a.target_value is not None and math.isfinite(a.target_value)
    if not has_target and not milestones:
        return None
    change = a.target_change is not None
    head: list[Any] = [html.Th(t("col_year", lang), scope="col"), html.Th(t("fig_target", lang), scope="col")]
    if change:
        head.append(html.Th(t("col_target_change", lang, year=a.baseline_year), scope="col"))
    head.append(html.Th(t("col_target_status", lang), scope="col"))
    rows: list[tuple[str, MilestoneResult]] = [(str(m.year), m) for m in milestones]
    if has_target and a.target_value is not None:
        reached = a.status == "target_achieved"
        past = a.current_year is not None and a.current_year >= a.target_year
        final = MilestoneResult(
            year=a.target_year,
            value=a.target_value,
            met=True if reached else (False if past else None),
            projected=None if past else a.projected_value,
            change=a.target_change,
        )
        rows.append((t("target_final", lang, year=a.target_year), final))
    body = []
    for label, m in rows:
        cells: list[html.Th | html.Td] = [
            html.Th(label, scope="row"),
            html.Td(format_value(m.value, definition, lang), className="num"),
        ]
        if change:
            percent = format_percent(m.change / 100, 0, lang, signed=True) if m.change is not None else ""
            cells.append(html.Td(percent, className="num"))
        cells.append(html.Td(figures.milestone_status(m, definition, lang)))
        body.append(html.Tr(cells))
    caption = t("targets_caption", lang, name=indicator_name(definition, lang))
    return html.Table(
        [html.Caption(caption), html.Thead(html.Tr(head)), html.Tbody(body)],
        className="data-table data-table--targets",
    )


def table_caption(definition: Definition, lang: Lang) -> str:
    return t("table_caption", lang, name=indicator_name(definition, lang), unit=unit_text(definition, lang))


def scrolling_table(table: html.Table, label: str) -> html.Div:
    """A wide table scrolling inside its own box (focusable, so keyboard users can scroll it
    too) instead of making the whole page scroll sideways."""
    return html.Div(table, className="table-scroll", tabIndex="0", role="region", **aria(label=label))


def _cell_text(value: Any, status: Any, definition: Definition, lang: Lang) -> str:
    if value is not None and not pd.isna(value):
        return format_value(float(value), definition, lang)
    symbol = f" ({status})" if isinstance(status, str) and status else ""
    return t("missing_value", lang) + symbol


def chart_block(
    data: DashboardData,
    definition: Definition,
    assessment: Assessment,
    lang: Lang,
    *,
    graph_id: str,
) -> html.Figure:
    """The indicator's full chart, its description, and the same figures as a table.

    The chart is the server's SVG drawing (the one drawer, :mod:`dashboard.static_chart`), for
    a few widths (the style sheet shows the one for the screen); ``data-chart-points`` has
    ``points.js`` give it hover values and keyboard access, as in the embed, without plotly.js.
    The page states the status sentence above the chart, so the caption says what the chart
    draws; screen readers get both as the image's name.
    """
    explanation = explain(assessment, definition, lang)
    figure = figures.indicator_figure(data.frame(definition.id), definition, assessment, data.catalog, lang)
    mark = figures.data_mark(data.snapshot)
    if mark:
        figure = {**figure, "layout": figures.with_demo_mark(figure["layout"], lang, mark)}
    height = int((figure.get("layout") or {}).get("height") or figures.FULL_HEIGHT)
    drawing = static_chart.svg_variants(
        figure, CHART_WIDTHS, height=height, css_class="static-graph__variant"
    )
    # The legend beside the chart names the lines; the caption says what they show.
    shows = figures.chart_sentence(data.frame(definition.id), definition, assessment, data.catalog, lang)
    return html.Figure(
        [
            html.Div(
                # The drawings are hidden from assistive technology; the box is the one
                # picture, named by the status sentence and the caption's.
                html.Div(Markup(drawing), className="chart__graph static-graph"),
                id=graph_id,
                role="img",
                className="chart__canvas",
                **CHART_POINTS,
                **aria(label=f"{explanation} {shows}"),
            ),
            html.Figcaption(shows, className="chart__caption"),
            _table_disclosure(data, definition, assessment, lang),
        ],
        className="chart",
    )


def demo_tag(lang: Lang) -> html.Span:
    """ "DEMODATA" on a small chart of the demo snapshot, so that no picture of synthetic figures
    passes for real ones. Hidden from screen readers: the page's banner already says it."""
    return html.Span(t("demo_mark", lang), className="demo-tag", **aria(hidden="true"))


def small_chart(
    data: DashboardData, definition: Definition, assessment: Assessment, lang: Lang
) -> html.Figure:
    """A card's small chart: an SVG picture described by the status sentence, plus the table."""
    explanation = explain(assessment, definition, lang)
    figure = figures.small_chart_figure(data.home_values(definition.id), definition, assessment, lang)
    src = static_chart.picture_uri(figure) if figure else None
    picture: Any = (
        html.Img(src=src, alt=explanation, className="chart__img")
        if src
        else html.P(t("no_data", lang), className="chart__empty")
    )
    return html.Figure(
        [
            *([demo_tag(lang)] if src and (data.snapshot.demo or data.snapshot.test_data) else []),
            picture,
            html.Figcaption(explanation, className="chart__caption"),
            _table_disclosure(data, definition, assessment, lang, home_only=True),
        ],
        className="chart chart--compact",
    )


def _table_disclosure(
    data: DashboardData,
    definition: Definition,
    assessment: Assessment,
    lang: Lang,
    *,
    home_only: bool = False,
) -> html.Details:
    """The chart's figures as tables on demand: the series, then the target and milestones."""
    tables: list[Any] = [data_table(data, definition, lang, home_only=home_only)]
    targets = targets_table(definition, assessment, lang)
    if targets is not None:
        tables.append(targets)
    return html.Details([html.Summary(t("table_summary", lang)), *tables], className="chart__table")


def latest_value_text(assessment: Assessment, definition: Definition, lang: Lang) -> str:
    if assessment.current_value is None or assessment.current_year is None:
        return t("no_data", lang)
    return t(
        "latest_value",
        lang,
        value=format_value(assessment.current_value, definition, lang),
        year=assessment.current_year,
    )


def indicator_card(
    data: DashboardData, indicator_id: str, lang: Lang, *, heading: Any = html.H3
) -> html.Article:
    """An indicator in brief: name, small chart, latest value and year, status, explanation."""
    definition = data.catalog.indicators[indicator_id]
    assessment = data.assessments[indicator_id]
    name = indicator_name(definition, lang)
    children: list[Any] = [
        heading(html.A(name, href=urls.indicator(indicator_id, lang), **name_attrs(definition, lang))),
        html.P(
            [status_badge(assessment.status, lang), " ", latest_value_text(assessment, definition, lang)],
            className="card__status",
        ),
        small_chart(data, definition, assessment, lang),
    ]
    problem = data.problem(indicator_id)
    if problem:
        children.append(html.P(t("problem", lang, problem=problem), className="problem"))
    return html.Article(children, className="card")
