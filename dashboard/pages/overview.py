"""``/``: where the municipality stands on each main goal, at a glance.

It answers a reader's first questions from the server's copy alone (no script needed): per goal,
how many indicators have each status (in words, with the status icons, and a compact bar), which
ones are going the wrong way and which have reached their target (named and linked), and which
indicators changed status since the previous data release (from the assessment history the
refresh keeps, :mod:`indicators.assessment.history`). An indicator under several sub-goals is
named once per list, with its sub-goals (and other goals) beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import dash
from dash import html

from dashboard import components as c
from dashboard import data as data_module
from dashboard import figures, static_chart, urls
from dashboard.aria import aria
from dashboard.data import DashboardData
from dashboard.i18n import Lang, indicator_count, t
from dashboard.pages.common import kwargs_lang, titled
from indicators.assessment.explain import STATUS_ICON, STATUS_TEXT
from indicators.assessment.formulas import STATUSES
from indicators.assessment.history import compare

if TYPE_CHECKING:
    import pandas as pd

    from indicators.plan.model import Goal

# How many years before the plan's start the sparklines reach back: enough to see a trend.
SPARKLINE_YEARS_BEFORE_START = 5
CHANGES_ID = "changes"  # the anchor of the "since the previous data release" section
# The statuses whose indicators each goal names: the ones a reader asks about first.
NAMED_STATUSES = (("deterioration", "goal_none_deterioration"), ("target_achieved", "goal_none_achieved"))


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
        jump_links(data, lang),
        html.Div([goal_section(data, goal.id, lang) for goal in catalog.goals], className="goals"),
        changes_section(data, lang),
    ]
    return c.page(data, lang, switch=lambda other: urls.overview(other), content=content)


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
            status_summary(data, goal, lang),
            *[named_indicators(data, goal, status, empty, lang) for status, empty in NAMED_STATUSES],
            html.H3(t("subgoals_of_goal", lang), className="goal__subheading"),
            html.Ul([subgoal_row(data, s.id, lang) for s in goal.subgoals], className="subgoal-rows"),
            html.P(
                html.A(t("see_goal", lang, id=goal.id), href=urls.goal(goal.id, lang)), className="goal__more"
            ),
        ],
        className="goal-card",
        **aria(labelledby=heading_id),
    )


def jump_links(data: DashboardData, lang: Lang) -> html.Nav:
    """Links to each goal's section and to the changes since the previous release."""
    items = [
        html.Li(html.A([t("goal_heading", lang, id=g.id), ": ", c.title_node(g, lang)], href=f"#goal-{g.id}"))
        for g in data.catalog.goals
    ]
    items.append(html.Li(html.A(t("changes_heading", lang), href=f"#{CHANGES_ID}")))
    items.append(html.Li(html.A(t("index_link", lang), href=urls.indicators(lang))))
    return html.Nav(html.Ul(items), className="jump-links", **aria(label=t("jump_label", lang)))


def goal_indicator_ids(data: DashboardData, goal: Goal) -> list[str]:
    """The goal's indicators, each once, in the order of its sub-goals."""
    ids: dict[str, None] = {}
    for subgoal in goal.subgoals:
        ids.update(dict.fromkeys(d.id for d in data.catalog.indicators_for(subgoal.id)))
    return list(ids)


def status_counts(data: DashboardData, indicator_ids: list[str]) -> dict[str, int]:
    """How many of ``indicator_ids`` have each status, in the statuses' order (zeros included)."""
    counts = dict.fromkeys(STATUSES, 0)
    for indicator_id in indicator_ids:
        counts[data.assessments[indicator_id].status] += 1
    return counts


def status_summary(data: DashboardData, goal: Goal, lang: Lang) -> html.Div:
    """The goal's indicators per status: a list in words with the icons, and a bar of one
    block per indicator (decoration: the list says the same)."""
    ids = goal_indicator_ids(data, goal)
    counts = status_counts(data, ids)
    items = [
        html.Li(
            [
                html.Span(STATUS_ICON[status], className="status-count__icon", **aria(hidden="true")),
                html.Span(str(count), className="status-count__number"),
                " ",
                STATUS_TEXT[status][lang],
            ],
            className=f"status-count status-count--{status}" + (" status-count--zero" if not count else ""),
        )
        for status, count in counts.items()
    ]
    blocks = [
        html.Span(className=f"status-bar__block status-bar__block--{status}")
        for status, count in counts.items()
        for _ in range(count)
    ]
    heading = t("goal_status_counts", lang, indicators=indicator_count(len(ids), lang))
    return html.Div(
        [
            html.H3(heading, className="goal__subheading"),
            html.Div(blocks, className="status-bar", **aria(hidden="true")),
            html.Ul(items, className="status-counts"),
        ],
        className="goal__statuses",
    )


def where_text(data: DashboardData, indicator_id: str, goal_id: str | None, lang: Lang) -> str:
    """Where an indicator belongs, said once: its sub-goals (under ``goal_id``) and other goals."""
    catalog = data.catalog
    definition = catalog.indicators[indicator_id]
    own = [s for s in definition.subgoals if (g := catalog.goal_of(s)) is not None and g.id == goal_id]
    shown = own if goal_id is not None else list(definition.subgoals)
    parts = [t("in_subgoals" if len(shown) > 1 else "in_subgoal", lang, ids=joined(shown, lang))]
    if goal_id is not None:
        others = list(
            dict.fromkeys(
                g.id for s in definition.subgoals if (g := catalog.goal_of(s)) is not None and g.id != goal_id
            )
        )
        if others:
            parts.append(
                t("also_in_goals" if len(others) > 1 else "also_in_goal", lang, ids=joined(others, lang))
            )
    return ", ".join(parts)


def joined(items: list[str], lang: Lang) -> str:
    """``1.1, 1.2 og 1.4`` (``… and 1.4``)."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('and', lang)} {items[-1]}"


def indicator_item(data: DashboardData, indicator_id: str, goal_id: str | None, lang: Lang) -> list[Any]:
    """An indicator named and linked, with where it belongs."""
    definition = data.catalog.indicators[indicator_id]
    return [
        html.A(
            c.indicator_name(definition, lang),
            href=urls.indicator(indicator_id, lang),
            **c.name_attrs(definition, lang),
        ),
        html.Span(f" ({where_text(data, indicator_id, goal_id, lang)})", className="where"),
    ]


def named_indicators(data: DashboardData, goal: Goal, status: str, empty: str, lang: Lang) -> html.Div:
    """The goal's indicators with ``status``, each named once and linked."""
    ids = [i for i in goal_indicator_ids(data, goal) if data.assessments[i].status == status]
    heading = html.H3(
        [
            html.Span(STATUS_ICON[status], className="status__icon", **aria(hidden="true")),
            " ",
            f"{STATUS_TEXT[status][lang]} ({len(ids)})",
        ],
        className=f"goal__subheading named__heading named__heading--{status}",
    )
    body: Any = (
        html.Ul([html.Li(indicator_item(data, i, goal.id, lang)) for i in ids], className="named__list")
        if ids
        else html.P(t(empty, lang), className="named__none")
    )
    return html.Div([heading, body], className=f"named named--{status}")


def changes_section(data: DashboardData, lang: Lang) -> html.Section:
    """Which indicators changed status since the previous data release, each named once."""
    heading = html.H2(t("changes_heading", lang), id=CHANGES_ID)
    comparison = compare(data.history, data.snapshot, data.assessments)
    body: list[Any]
    if comparison is None:
        body = [html.P(t("changes_none_earlier", lang))]
    else:
        when = c.local_date(comparison.previous.data_as_of or comparison.previous.recorded, lang)
        if not comparison.changes:
            body = [html.P(t("changes_none", lang, date=when))]
        else:
            items = []
            for change in comparison.changes:
                before: Any = (
                    t("change_new", lang) if change.before == "new" else c.status_badge(change.before, lang)
                )
                items.append(
                    html.Li(
                        [
                            *indicator_item(data, change.indicator_id, None, lang),
                            ": ",
                            t("change_from", lang),
                            " ",
                            before,
                            " ",
                            t("change_to", lang),
                            " ",
                            c.status_badge(change.after, lang),
                        ]
                    )
                )
            count = indicator_count(len(comparison.changes), lang)
            body = [
                html.P(t("changes_since", lang, date=when, indicators=count)),
                html.Ul(items, className="changes"),
            ]
    return html.Section([heading, *body], className="changes-section", **aria(labelledby=CHANGES_ID))


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
    better = sum(1 for values, direction in drawn if _moved_the_wanted_way(values, direction))
    counts = {"better": better, "count": len(drawn), "year": start}
    alt = t("sparkline_alt", lang, indicators=indicator_count(len(drawn), lang), **counts)
    width, height = figures.SPARKLINE_SIZE
    picture = html.Img(src=src, alt=alt, width=width, height=height)
    # What the lines show, in words beside them (the picture's alt says it to screen readers).
    words = html.Span(
        t("sparkline_words", lang, **counts), className="sparkline__words", **aria(hidden="true")
    )
    if data.snapshot.demo:
        return html.Span([c.demo_tag(lang), picture, words], className="sparkline sparkline--demo")
    return html.Span([picture, words], className="sparkline")


def _moved_the_wanted_way(values: pd.Series, direction: str) -> bool:
    """Whether a series' latest value is better than its first (as its sparkline line shows)."""
    clean = values.dropna().sort_index()
    change = float(clean.iloc[-1]) - float(clean.iloc[0])
    return change < 0 if direction == "decrease" else change > 0


def page_title(data: DashboardData, lang: Lang, **_: Any) -> str:
    return t("overview_title", lang)


def layout(**kwargs: Any) -> html.Div:
    data, lang = data_module.current(), kwargs_lang(kwargs)
    return data.memo(("overview", lang), lambda: build(data, lang))


def register() -> None:
    dash.register_page(__name__, path=urls.OVERVIEW, layout=layout, title=titled(page_title), order=0)
