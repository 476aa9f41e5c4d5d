"""HTTP 404 for unknown pages, goals, sub-goals and indicators — decided before Dash renders.

Dash serves the same HTML shell for every path and would answer 200 for ``/indikator/tull``;
a Flask ``before_request`` hook checks the path against the catalogue first. The 404 page is
the not-found page's layout (:mod:`dashboard.pages.not_found`, the same Dash shows in the app)
written as HTML by :mod:`dashboard.prerender` in the document of :mod:`dashboard.document`: it
works without JavaScript, and it never repeats what was typed in the URL (only names from the
catalogue). The 503 page for a broken cache is made the same way.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

import flask
from dash import html

from dashboard import data as data_module
from dashboard import document, routing, urls
from dashboard.components import frame, plan_name
from dashboard.data import DashboardData
from dashboard.i18n import Lang, parse_lang, t
from dashboard.pages import not_found
from indicators.plan.catalog import Catalog

REASONS = {"goal": "nf_goal", "subgoal": "nf_subgoal", "indicator": "nf_indicator", "embed": "nf_indicator"}


@dataclass(frozen=True)
class Missing:
    """What a path asked for that does not exist: its kind and close matches that do."""

    kind: str  # "page" | "goal" | "subgoal" | "indicator" | "embed"
    suggestions: tuple[tuple[str, str], ...] = ()  # (text, path) pairs


def find_missing(path: str, catalog: Catalog) -> Missing | None:
    """``None`` when ``path`` is a page or route that exists with ids the catalogue knows,
    else what is missing (which paths exist: :func:`dashboard.routing.resolve`)."""
    route = routing.resolve(path)
    if route is None:
        return Missing("page")
    unknown = route.unknown_id(catalog)
    if unknown is None:
        return None
    kind, wanted = unknown
    known = {name: kind.page(name) for name in kind.ids(catalog)}
    close = difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.5)
    return Missing(kind.name, tuple((name, known[name]) for name in close))


def page_html(missing: Missing, data: DashboardData, lang: Lang, stylesheet: str) -> str:
    """The full HTML of the 404 page: the not-found page's layout, in the dashboard's frame."""
    layout = not_found.build(data, lang, reason=REASONS.get(missing.kind), suggestions=missing.suggestions)
    head = document.Head(
        lang,
        t("nf_title", lang),
        site=t("site_name", lang, plan=plan_name(data, lang)),
        stylesheet=stylesheet,
    )
    return document.html_document(head, layout)


def error_layout(request_id: str, lang: Lang) -> html.Div:
    """A page for a cache or catalogue error (HTTP 503): what to do, and the request id that
    finds the detail in the server's log (the detail itself may name server paths). Without
    data there is no site name, menu or data date: the frame shows the title instead."""
    title = t("error_title", lang)
    content = [
        html.H1(title),
        html.P(t("error_text", lang)),
        html.P([t("error_request_id", lang), " ", html.Code(request_id)]),
    ]
    return frame(lang, site=title, switch=lambda other: urls.overview(other), content=content, nav=False)


def error_html(request_id: str, lang: Lang, stylesheet: str) -> str:
    """The full HTML of the 503 page (:func:`error_layout`)."""
    head = document.Head(lang, t("error_title", lang), stylesheet=stylesheet)
    return document.html_document(head, error_layout(request_id, lang))


def bad_format_html(data: DashboardData, lang: Lang, stylesheet: str, choices: list[tuple[str, str]]) -> str:
    """The full HTML of the 400 page for a download in a format that does not exist: the
    formats that do, as links (``choices``: format name and its address). Like the 404 page it
    never repeats what was typed."""
    title = t("bad_format_title", lang)
    content = [
        html.H1(title),
        html.P(t("bad_format_text", lang)),
        html.Ul(
            [html.Li([html.A(name, href=href), " – ", t(f"format_{name}", lang)]) for name, href in choices]
        ),
    ]
    site = t("site_name", lang, plan=plan_name(data, lang))
    layout = frame(lang, site=site, switch=lambda other: urls.overview(other), content=content)
    head = document.Head(lang, title, site=site, stylesheet=stylesheet)
    return document.html_document(head, layout)


def before_request_hook(
    catalog_of: Callable[[], Catalog], stylesheet_of: Callable[[], str], index_rules: set[str]
) -> Callable[[], flask.Response | None]:
    """A Flask ``before_request`` function answering 404 for unknown page paths.

    Only requests that would reach Dash's HTML shell (``index_rules``) are checked; assets,
    Dash's own endpoints and other Flask routes pass untouched.
    """

    def check() -> flask.Response | None:
        rule = flask.request.url_rule
        if flask.request.method not in {"GET", "HEAD"} or rule is None or rule.rule not in index_rules:
            return None
        catalog = catalog_of()
        missing = find_missing(flask.request.path, catalog)
        if missing is None:
            return None
        lang = parse_lang(flask.request.args.get("lang"))
        body = page_html(missing, data_module.current(), lang, stylesheet_of())
        return flask.Response(body, status=404, mimetype="text/html")

    return check
