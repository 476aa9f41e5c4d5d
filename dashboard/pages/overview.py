"""``/``: where the municipality stands on each main goal, at a glance."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard import components as c
from dashboard import data as data_module
from dashboard import figures, static_chart, urls
from dashboard.aria import aria
from dashboard.data import DashboardData
from dashboard.i18n import Lang, indicator_count, other_lang, t
from dashboard.pages.common import kwargs_lang, titled

# How many years before the plan's start the sparklines reach back: enough to see a trend.
SPARKLINE_YEARS_BEFORE_START = 5


def build(data: DashboardData, lang: Lang) -> html.Div:
    """The overview page for ``data`` in ``lang``."""
    catalog = data.catalog
    plan = catalog.plan
    content: list[Any] = [
        html.H1([c.plan_name(data, lang), html.Span(c.plan_subtitle(data, lang), className="subtitle")]),
        html.P(
            t(
                "overview_intro",
                lang,
                region=plan.region_name,
                plan=c.plan_name(data, lang),
                start=plan.start_year,
                end=plan.target_year,
            ),
            className="lead",
        ),
        html.P(
            t("data_date", lang, date=c.local_date(data.snapshot.data_as_of, lang)), className="data-date"
        ),
        html.Div([goal_section(data, goal.id, lang) for goal in catalog.goals], className="goals"),
    ]
    return c.page(data, lang, switch_href=urls.overview(other_lang(lang)), content=content)


def goal_section(data: DashboardData, goal_id: str, lang: Lang) -> html.Section:
    """One main goal: status, score, coverage, and its sub-goals as compact rows."""
    goal = data.catalog.goal(goal_id)
    assert goal is not None  # callers pass ids from the catalogue
    summary = data.rollups[goal.id]
    heading_id = f"goal-{goal.id}"
    return html.Section(
        [
            html.H2(
                [
                    html.Span(t("goal_heading", lang, id=goal.id), className="goal__number"),
                    html.A(
                        c.title_with_mark(c.title_node(goal, lang), goal.wording, lang),
                        href=urls.goal(goal.id, lang),
                    ),
                ],
                id=heading_id,
            ),
            html.P(
                [
                    c.status_badge(summary.status, lang),
                    html.Span(c.score_text(summary.score, lang), className="score"),
                    html.Span(
                        c.coverage_text(summary.assessed, summary.indicators, lang), className="coverage"
                    ),
                ],
                className="goal__summary",
            ),
            html.H3(t("subgoals_of_goal", lang), className="visually-hidden"),
            html.Ul([subgoal_row(data, s.id, lang) for s in goal.subgoals], className="subgoal-rows"),
            html.P(
                html.A(t("see_goal", lang, id=goal.id), href=urls.goal(goal.id, lang)), className="goal__more"
            ),
        ],
        className="goal-card",
        **aria(labelledby=heading_id),
    )


def subgoal_row(data: DashboardData, subgoal_id: str, lang: Lang) -> html.Li:
    """A sub-goal in one line: number and title, status, and a sparkline of its indicators."""
    catalog = data.catalog
    subgoal = catalog.subgoal(subgoal_id)
    assert subgoal is not None
    summary = data.rollups[subgoal.id]
    return html.Li(
        [
            html.A(
                [html.Span(subgoal.id, className="subgoal__number"), " ", c.title_node(subgoal, lang)],
                href=urls.subgoal(subgoal.id, lang),
                className="subgoal__title",
            ),
            *c.working_title_suffix(subgoal.wording, lang),
            html.Span(c.status_badge(summary.status, lang), className="subgoal__status"),
            sparkline(data, subgoal.id, lang),
        ],
        className="subgoal-row",
    )


def sparkline(data: DashboardData, subgoal_id: str, lang: Lang) -> html.Span:
    """The sub-goal's indicators as one small picture, each scaled so that up is better."""
    catalog = data.catalog
    first_year = catalog.plan.start_year - SPARKLINE_YEARS_BEFORE_START
    series = []
    for definition in catalog.indicators_for(subgoal_id):
        values = data.home_values(definition.id)
        series.append((values[values.index >= first_year], definition.direction))
    drawn = [(v, d) for v, d in series if v.notna().sum() >= 2]
    figure = figures.sparkline_figure(drawn)
    if figure is None:
        return html.Span(t("sparkline_none", lang), className="sparkline sparkline--empty")
    src = static_chart.picture_uri(figure)
    start = min(int(v.dropna().index.min()) for v, _ in drawn)
    alt = t("sparkline_alt", lang, indicators=indicator_count(len(drawn), lang), year=start)
    width, height = figures.SPARKLINE_SIZE
    picture = html.Img(src=src, alt=alt, width=width, height=height)
    if data.snapshot.demo:
        return html.Span([c.demo_tag(lang), picture], className="sparkline sparkline--demo")
    return html.Span(picture, className="sparkline")


def page_title(data: DashboardData, lang: Lang, **_: Any) -> str:
    return t("overview_title", lang)


def layout(**kwargs: Any) -> html.Div:
    data, lang = data_module.current(), kwargs_lang(kwargs)
    return data.memo(("overview", lang), lambda: build(data, lang))


def register() -> None:
    dash.register_page(__name__, path=urls.OVERVIEW, layout=layout, title=titled(page_title), order=0)
