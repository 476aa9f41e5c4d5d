"""``/delmal/<subgoal_id>``: a sub-goal and all its indicators."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard import components as c
from dashboard import data as data_module
from dashboard import urls
from dashboard.data import DashboardData
from dashboard.i18n import Lang, t
from dashboard.pages import not_found
from dashboard.pages.common import kwargs_lang, titled


def build(data: DashboardData, subgoal_id: str, lang: Lang) -> html.Div:
    """The page of sub-goal ``subgoal_id`` (a not-found page for an unknown id)."""
    catalog = data.catalog
    subgoal = catalog.subgoal(subgoal_id)
    goal = catalog.goal_of(subgoal_id) if subgoal else None
    if subgoal is None or goal is None:
        return not_found.build(data, lang, reason="nf_subgoal")
    summary = data.rollups[subgoal.id]
    content: list[Any] = [
        html.H1(
            [
                html.Span(t("subgoal_heading", lang, id=subgoal.id), className="goal__number"),
                *c.title_with_mark(c.title_node(subgoal, lang), subgoal.wording, lang),
            ]
        ),
        html.P(
            html.A(
                [t("part_of_goal", lang, id=goal.id, title=""), c.title_node(goal, lang)],
                href=urls.goal(goal.id, lang),
            )
        ),
        html.P(
            [
                c.status_badge(summary.status, lang),
                html.Span(c.score_text(summary.score, lang), className="score"),
                html.Span(c.coverage_text(summary.assessed, summary.indicators, lang), className="coverage"),
            ],
            className="goal__summary",
        ),
    ]
    if subgoal.wording == "working":
        content.append(html.P(t("working_title_note", lang), className="note"))
    content.append(html.P(t("wording_source", lang, source=subgoal.source), className="wording-source"))
    definitions = catalog.indicators_for(subgoal.id)
    content.append(html.H2(t("indicators_heading", lang)))
    if definitions:
        content.append(
            html.Div(
                [c.indicator_card(data, d.id, lang) for d in definitions],
                className="cards",
            )
        )
    else:
        content.append(html.P(t("no_indicators", lang)))
    crumbs = [
        (t("nav_overview", lang), urls.overview(lang)),
        (t("goal_heading", lang, id=goal.id), urls.goal(goal.id, lang)),
        (t("subgoal_heading", lang, id=subgoal.id), None),
    ]
    return c.page(
        data, lang, switch=lambda other: urls.subgoal(subgoal.id, other), content=content, crumbs=crumbs
    )


def page_title(data: DashboardData, lang: Lang, subgoal_id: str | None = None, **_: Any) -> str:
    subgoal = data.catalog.subgoal(subgoal_id or "")
    if subgoal is None:
        return t("nf_title", lang)
    return f"{t('subgoal_heading', lang, id=subgoal.id)}: {c.subgoal_title(subgoal, lang)}"


def layout(subgoal_id: str | None = None, **kwargs: Any) -> html.Div:
    data, lang, wanted = data_module.current(), kwargs_lang(kwargs), str(subgoal_id or "")
    if data.catalog.subgoal(wanted) is None:
        return build(data, wanted, lang)  # not found: not worth remembering
    return data.memo(("subgoal", wanted, lang), lambda: build(data, wanted, lang))


def register() -> None:
    dash.register_page(__name__, path_template=urls.SUBGOAL, layout=layout, title=titled(page_title), order=2)
