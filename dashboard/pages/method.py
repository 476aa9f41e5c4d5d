"""``/metode``: the progress method in plain language, from docs/method.nb.md / method.en.md."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import dash
from dash import html

from dashboard import components as c
from dashboard import data as data_module
from dashboard import urls
from dashboard.data import DashboardData
from dashboard.i18n import Lang, other_lang, t
from dashboard.markdown import first_heading, render_markdown, without_first_heading
from dashboard.pages.common import kwargs_lang, titled
from indicators.config import REPO_ROOT

log = logging.getLogger(__name__)
DOCS = REPO_ROOT / "docs"
METHOD_FILES: dict[Lang, str] = {"no": "method.nb.md", "en": "method.en.md"}


def method_text(lang: Lang, docs: Path = DOCS) -> str | None:
    """The method text in ``lang``; ``None`` when the file is missing."""
    path = docs / METHOD_FILES[lang]
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        log.error("the method page's text is missing: %s", path)
        return None


def build(data: DashboardData, lang: Lang, *, docs: Path = DOCS) -> html.Div:
    text = method_text(lang, docs)
    if text is None:
        body: list[Any] = [
            html.H1(t("method_title", lang)),
            html.P(t("method_missing", lang, file=f"docs/{METHOD_FILES[lang]}"), className="problem"),
        ]
    else:
        heading = first_heading(text)
        body = [html.H1(heading or t("method_title", lang))]
        body += render_markdown(without_first_heading(text), top_level=2)
    crumbs = [(t("nav_overview", lang), urls.overview(lang)), (t("method_title", lang), None)]
    return c.page(
        data,
        lang,
        switch_href=urls.method(other_lang(lang)),
        content=[html.Div(body, className="prose")],
        crumbs=crumbs,
    )


def page_title(data: DashboardData, lang: Lang, **_: Any) -> str:
    return t("method_title", lang)


def layout(**kwargs: Any) -> html.Div:
    # Remembered like the other pages, so the Markdown file is not read and parsed per request.
    data, lang = data_module.current(), kwargs_lang(kwargs)
    return data.memo(("method", lang), lambda: build(data, lang))


def register() -> None:
    dash.register_page(__name__, path=urls.METHOD, layout=layout, title=titled(page_title), order=4)
