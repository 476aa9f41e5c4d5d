"""``/om``: the data and its sources, the licence, contact, and the accessibility statement."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import dash
from dash import html

from dashboard import components as c
from dashboard import data as data_module
from dashboard import urls
from dashboard.aria import aria
from dashboard.data import DashboardData
from dashboard.i18n import TEXT, Lang, t
from dashboard.pages.common import kwargs_lang, titled
from indicators import sources
from indicators.formatting import format_date
from indicators.sources.ssb import statbank


def _section(heading: str, anchor: str, children: list[Any]) -> html.Section:
    shown = [child for child in children if child is not None]
    return html.Section([html.H2(heading, id=anchor), *shown], **aria(labelledby=anchor))


def build(data: DashboardData, lang: Lang) -> html.Div:
    catalog = data.catalog
    plan = catalog.plan
    tables = sorted({table for d in catalog.indicators.values() for table in sources.tables(d)})
    # Each table with SSB's own title (from its metadata, kept in the cache) and its statbank page.
    labels = data.snapshot.table_labels
    table_items = [
        html.Li(
            html.A(labels.get(table) or t("about_table_untitled", lang, table=table), href=statbank(table))
        )
        for table in tables
    ]
    others = list(
        dict.fromkeys(
            a for d in catalog.indicators.values() for a in sources.attributions(d) if a.table is None
        )
    )
    other_items = [
        html.Li(
            [
                (a.publisher_in(lang) or t("source_publisher_unknown", lang)) + ": ",
                html.A(a.title, href=a.url) if a.url else a.title,
                ", " + t("source_licence", lang, licence=a.licence) if a.licence else "",
            ]
        )
        for a in others
    ]
    plan_children: list[Any] = [
        html.P(t("about_plan", lang, plan=c.plan_name(data, lang), subtitle=c.plan_subtitle(data, lang)))
    ]
    if plan.url:
        plan_children.append(
            html.P(html.A(t("about_plan_link", lang, runner=c.region_runner(data, lang)), href=plan.url))
        )
    content: list[Any] = [
        html.H1(t("about_title", lang)),
        _section(
            t("about_sources_heading", lang),
            "sources",
            [
                html.P(t("about_sources", lang)),
                html.P(t("about_tables", lang)) if tables else None,
                html.Ul(table_items, className="about__tables") if tables else None,
                html.P(t("about_other_sources", lang)) if others else None,
                html.Ul(other_items) if others else None,
                html.P(t("data_date", lang, date=c.local_date(data.snapshot.data_as_of, lang))),
            ],
        ),
        _section(
            t("about_licence_heading", lang),
            "licence",
            [
                html.P(t("about_licence", lang)),
                html.P(
                    [
                        html.A("CC BY 4.0", href=urls.CC_BY_4),
                        " · ",
                        html.A(t("about_licence_link", lang), href=urls.SSB_LICENCE),
                    ]
                ),
            ],
        ),
        _section(t("about_plan_heading", lang), "plan", plan_children),
        _section(t("about_contact_heading", lang), "contact", [contact_text(data, lang)]),
        accessibility_statement(data, lang),
    ]
    crumbs = [(t("nav_overview", lang), urls.overview(lang)), (t("about_title", lang), None)]
    return c.page(
        data,
        lang,
        switch=lambda other: urls.about(other),
        content=[html.Div(content, className="prose")],
        crumbs=crumbs,
    )


# The statement's own dates: when it was last revised and when the site was last tested as it
# describes. Update both whenever the checks are repeated (README: "Accessibility statement").
STATEMENT_UPDATED = date(2026, 12, 3)
STATEMENT_TESTED = date(2026, 12, 3)


def accessibility_statement(data: DashboardData, lang: Lang) -> html.Section:
    """The statement in the order of Digdir's template (uustatus.no): date, conformance, content
    that is not accessible and why, how it was tested, feedback, complaints and supervision."""
    plan = data.catalog.plan
    site = t("site_name", lang, plan=c.plan_name(data, lang))
    owner = plan.owner or plan.region_name

    def dated(moment: date) -> str:
        return format_date(datetime(moment.year, moment.month, moment.day), lang)

    def part(key: str, anchor: str, children: list[Any]) -> list[Any]:
        return [html.H3(t(key, lang), id=anchor), *children]

    gaps = ("a11y_gap_charts", "a11y_gap_js", "a11y_gap_embed", "a11y_gap_language")
    return _section(
        t("a11y_heading", lang),
        "accessibility",
        [
            html.P(t("a11y_updated", lang, date=dated(STATEMENT_UPDATED), site=site, owner=owner)),
            *part(
                "a11y_conformance_heading",
                "a11y-conformance",
                [
                    html.P(t("a11y_conformance", lang)),
                    html.P(t("a11y_features", lang)),
                    html.P(html.A("WCAG 2.1", href=urls.WCAG_21)),
                ],
            ),
            *part(
                "a11y_gaps_heading",
                "a11y-gaps",
                [html.P(t("a11y_gaps_intro", lang)), html.Ul([html.Li(t(key, lang)) for key in gaps])],
            ),
            *part(
                "a11y_method_heading",
                "a11y-method",
                [
                    html.P(t("a11y_method", lang, date=dated(STATEMENT_TESTED))),
                    html.P(t("a11y_method_manual", lang)),
                ],
            ),
            *part("a11y_feedback_heading", "a11y-feedback", [feedback_text(data, lang)]),
            *part(
                "a11y_complaint_heading",
                "a11y-complaint",
                [
                    html.P(t("a11y_complaint", lang)),
                    html.Ul(
                        [
                            html.Li(html.A(t("a11y_authority_link", lang), href=urls.UUTILSYNET)),
                            html.Li(html.A(t("a11y_tribunal_link", lang), href=urls.DISKRIMINERINGSNEMNDA)),
                        ]
                    ),
                ],
            ),
        ],
    )


def _mail_link(address: str) -> html.A:
    return html.A(address, href=f"mailto:{address}")


def _with_link(template: str, address: str, **values: str) -> list[Any]:
    """``template`` filled in, with ``{contact}`` as a mail link (Dash text cannot hold markup)."""
    before, after = template.split("{contact}", 1)
    return [before.format(**values), _mail_link(address), after.format(**values)]


def contact_text(data: DashboardData, lang: Lang) -> html.P:
    """Where readers write: the plan's ``owner`` and ``contact`` in goals.toml."""
    plan = data.catalog.plan
    if not plan.contact:
        return html.P(t("about_contact_missing", lang, runner=c.region_runner(data, lang)))
    site = t("site_name", lang, plan=c.plan_name(data, lang))
    owner = plan.owner or plan.region_name
    return html.P(_with_link(TEXT["about_contact"][lang], plan.contact, owner=owner, site=site))


def feedback_text(data: DashboardData, lang: Lang) -> html.P:
    contact = data.catalog.plan.contact
    if not contact:
        return html.P(t("a11y_feedback_missing", lang, runner=c.region_runner(data, lang)))
    return html.P(_with_link(TEXT["a11y_feedback"][lang], contact))


def page_title(data: DashboardData, lang: Lang, **_: Any) -> str:
    return t("about_title", lang)


def layout(**kwargs: Any) -> html.Div:
    data, lang = data_module.current(), kwargs_lang(kwargs)
    return data.memo(("about", lang), lambda: build(data, lang))


def register() -> None:
    dash.register_page(__name__, path=urls.ABOUT, layout=layout, title=titled(page_title), order=5)
