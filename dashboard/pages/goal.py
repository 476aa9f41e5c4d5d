"""``/mal/<goal_id>``: a main goal, its sub-goals and their indicators with small charts."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard import components as c
from dashboard import data as data_module
from dashboard import urls
from dashboard.aria import aria
from dashboard.data import DashboardData
from dashboard.i18n import Lang, t
from dashboard.pages import not_found
from dashboard.pages.common import kwargs_lang, titled


def build(data: DashboardData, goal_id: str, lang: Lang) -> html.Div:
    """The page of goal ``goal_id`` (a not-found page for an unknown id)."""
    goal = data.catalog.goal(goal_id)
    if goal is None:
        return not_found.build(data, lang, reason="nf_goal")
    summary = data.rollups[goal.id]
    content: list[Any] = [
        html.H1(
            [
                html.Span(t("goal_heading", lang, id=goal.id), className="goal__number"),
                *c.title_with_mark(c.title_node(goal, lang), goal.wording, lang),
            ]
        ),
        html.P(
            [
                c.status_badge(summary.status, lang),
                html.Span(c.score_text(summary.score, lang), className="score"),
                html.Span(c.coverage_text(summary.assessed, summary.indicators, lang), className="coverage"),
            ],
            className="goal__summary",
        ),
        html.P(t("wording_source", lang, source=goal.source), className="wording-source"),
    ]
    for subgoal in goal.subgoals:
        content.append(subgoal_section(data, subgoal.id, lang))
    crumbs = [(t("nav_overview", lang), urls.overview(lang)), (t("goal_heading", lang, id=goal.id), None)]
    return c.page(data, lang, switch=lambda other: urls.goal(goal.id, other), content=content, crumbs=crumbs)


def subgoal_section(data: DashboardData, subgoal_id: str, lang: Lang) -> html.Section:
    """A sub-goal on its goal's page: heading, status, and a card per indicator."""
    subgoal = data.catalog.subgoal(subgoal_id)
    assert subgoal is not None
    summary = data.rollups[subgoal.id]
    heading_id = f"subgoal-{subgoal.id.replace('.', '-')}"
    definitions = data.catalog.indicators_for(subgoal.id)
    cards: list[Any] = [c.indicator_card(data, d.id, lang) for d in definitions]
    return html.Section(
        [
            html.H2(
                [
                    html.A(
                        [t("subgoal_heading", lang, id=subgoal.id), ": ", c.title_node(subgoal, lang)],
                        href=urls.subgoal(subgoal.id, lang),
                    ),
                    *c.working_title_suffix(subgoal.wording, lang),
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
            html.Div(cards, className="cards") if cards else html.P(t("no_indicators", lang)),
        ],
        className="subgoal-section",
        **aria(labelledby=heading_id),
    )


def page_title(data: DashboardData, lang: Lang, goal_id: str | None = None, **_: Any) -> str:
    goal = data.catalog.goal(goal_id or "")
    if goal is None:
        return t("nf_title", lang)
    return f"{t('goal_heading', lang, id=goal.id)}: {c.goal_title(goal, lang)}"


def layout(goal_id: str | None = None, **kwargs: Any) -> html.Div:
    data, lang, wanted = data_module.current(), kwargs_lang(kwargs), str(goal_id or "")
    if data.catalog.goal(wanted) is None:
        return build(data, wanted, lang)  # not found: not worth remembering
    return data.memo(("goal", wanted, lang), lambda: build(data, wanted, lang))


def register() -> None:
    dash.register_page(__name__, path_template=urls.GOAL, layout=layout, title=titled(page_title), order=1)
