"""The "not found" page: one layout for the HTTP 404 page and for Dash's in-app "not found".

The HTTP 404 status comes from :mod:`dashboard.notfound`, which answers before Dash with this
page's :func:`build` written as HTML; Dash shows the same page for paths its router cannot
match during navigation inside an already loaded app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import html

from dashboard import components as c
from dashboard import data as data_module
from dashboard import urls
from dashboard.data import DashboardData
from dashboard.i18n import Lang, t
from dashboard.pages.common import kwargs_lang, titled


def build(
    data: DashboardData,
    lang: Lang,
    *,
    reason: str | None = None,
    suggestions: Sequence[tuple[str, str]] = (),
) -> html.Div:
    """A helpful not-found page: what is missing, close matches that exist (``suggestions``:
    (text, path) pairs), and where to go instead. It never repeats what was asked for."""
    content: list[Any] = [html.H1(t("nf_title", lang))]
    if reason:
        content.append(html.P(t(reason, lang)))
    content.append(html.P(t("nf_text", lang)))
    if suggestions:
        content += [
            html.H2(t("nf_suggest", lang)),
            html.Ul([html.Li(html.A(text, href=urls.with_lang(path, lang))) for text, path in suggestions]),
        ]
    content += [
        html.H2(t("nf_goals", lang)),
        html.Ul(
            [
                html.Li(
                    html.A(
                        [f"{t('goal_heading', lang, id=g.id)}: ", c.title_node(g, lang)],
                        href=urls.goal(g.id, lang),
                    )
                )
                for g in data.catalog.goals
            ]
        ),
        html.P(html.A(t("nf_home", lang), href=urls.overview(lang))),
    ]
    return c.page(data, lang, switch=lambda other: urls.overview(other), content=content)


def page_title(data: DashboardData, lang: Lang, **_: Any) -> str:
    return t("nf_title", lang)


def layout(**kwargs: Any) -> html.Div:
    return build(data_module.current(), kwargs_lang(kwargs))


def register() -> None:
    # Dash's router shows the page whose module name ends in "not_found_404" for unknown paths.
    dash.register_page(f"{__name__}_404", layout=layout, title=titled(page_title), order=99)
