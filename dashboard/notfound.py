"""HTTP 404 for unknown pages, goals, sub-goals and indicators — decided before Dash renders.

Dash serves the same HTML shell for every path and would answer 200 for ``/indikator/tull``;
a Flask ``before_request`` hook checks the path against the catalogue first. The 404 page is
plain server-rendered HTML: it works without JavaScript, and it never repeats what was typed
in the URL (only names from the catalogue, HTML-escaped).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import flask

from dashboard import routing, urls
from dashboard.i18n import HTML_LANG, Lang, other_lang, parse_lang, t
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


def page_html(missing: Missing, catalog: Catalog, lang: Lang, stylesheet: str) -> str:
    """The full HTML of the 404 page."""
    plan = catalog.plan
    plan_name = plan.name_en if lang == "en" and plan.name_en else plan.name
    site = t("site_name", lang, plan=plan_name)
    reason = REASONS.get(missing.kind)
    parts = [f"<p>{escape(t(reason, lang))}</p>"] if reason else []
    parts.append(f"<p>{escape(t('nf_text', lang))}</p>")
    if missing.suggestions:
        links = "".join(
            f'<li><a href="{escape(urls.with_lang(href, lang))}">{escape(text)}</a></li>'
            for text, href in missing.suggestions
        )
        parts.append(f"<h2>{escape(t('nf_suggest', lang))}</h2><ul>{links}</ul>")
    goals = "".join(
        f'<li><a href="{escape(urls.goal(g.id, lang))}">'
        f"{escape(t('goal_heading', lang, id=g.id))}: {escape(g.title_en if lang == 'en' else g.title)}</a></li>"
        for g in catalog.goals
    )
    parts.append(f"<h2>{escape(t('nf_goals', lang))}</h2><ul>{goals}</ul>")
    parts.append(f'<p><a href="{escape(urls.overview(lang))}">{escape(t("nf_home", lang))}</a></p>')
    return _document(lang, t("nf_title", lang), site, "".join(parts), stylesheet)


def error_html(request_id: str, lang: Lang, stylesheet: str) -> str:
    """A page for a cache or catalogue error (HTTP 503): what to do, and the request id that
    finds the detail in the server's log (the detail itself may name server paths)."""
    body = (
        f"<p>{escape(t('error_text', lang))}</p>"
        f"<p>{escape(t('error_request_id', lang))} <code>{escape(request_id)}</code></p>"
    )
    return _document(lang, t("error_title", lang), "", body, stylesheet)


def _document(lang: Lang, title: str, site: str, body: str, stylesheet: str) -> str:
    target = other_lang(lang)
    full_title = f"{title} – {site}" if site else title
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{HTML_LANG[lang]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(full_title)}</title>"
        f'<link rel="stylesheet" href="{escape(stylesheet)}"></head><body><div class="page">'
        f'<a class="skip-link" href="#main-content">{escape(t("skip_link", lang))}</a>'
        '<header class="site-header">'
        f'<a class="site-header__name" href="{escape(urls.overview(lang))}">{escape(site or title)}</a>'
        f'<a class="lang-switch" lang="{HTML_LANG[target]}" hreflang="{HTML_LANG[target]}" '
        f'href="{escape(urls.overview(target))}">{escape(t("lang_switch", lang))}</a>'
        "</header>"
        f'<main id="main-content" class="site-main" tabindex="-1"><h1>{escape(title)}</h1>{body}</main>'
        "</div></body></html>"
    )


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
        body = page_html(missing, catalog, lang, stylesheet_of())
        return flask.Response(body, status=404, mimetype="text/html")

    return check
