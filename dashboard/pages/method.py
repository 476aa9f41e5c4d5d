"""``/metode``: the progress method in plain language, from docs/method.nb.md / method.en.md.

The text names the plan, its home region and its years only through placeholders (``{plan}``,
``{region}``, ``{region_noun}``, ``{start_year}``, ``{target_year}``) filled from goals.toml, so
another municipality's dashboard never says "Trondheim" or "2032". A plan may bring its own text
(``[plan] method_dir`` in goals.toml, a folder with ``method.nb.md`` and, optionally,
``method.en.md``); the same placeholders work there.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import dash
from dash import html

from dashboard import components as c
from dashboard import data as data_module
from dashboard import urls
from dashboard.data import DashboardData
from dashboard.i18n import Lang, t, text_attrs
from dashboard.markdown import first_heading, render_markdown, without_first_heading
from dashboard.pages.common import kwargs_lang, titled
from indicators.config import shipped
from indicators.plan.catalog import Catalog

log = logging.getLogger(__name__)
DOCS = shipped("docs")  # the checkout's docs/, or the installed package's copy
METHOD_FILES: dict[Lang, str] = {"no": "method.nb.md", "en": "method.en.md", "nn": "method.nn.md"}
SHIPPED_LANGS: tuple[Lang, ...] = ("no", "en", "nn")  # the languages docs/ has the method text in
TITLE_ID = "method-title"  # the h1: names the tables and formulas above the first h2
# Only these names are filled; any other brace in a municipality's own text stays as written.
_PLACEHOLDER = re.compile(r"\{(plan|region|region_noun|start_year|target_year)\}")


def method_dir(catalog: Catalog) -> Path:
    """Where the method text lives: the plan's own folder (``[plan] method_dir``) or ``docs/``."""
    own = catalog.plan.method_dir
    if own is None:
        return DOCS
    base = catalog.goals_file.parent if catalog.goals_file else Path.cwd()
    return base / own


def method_text(lang: Lang, docs: Path = DOCS) -> str | None:
    """The method text in ``lang``; ``None`` when the file is missing."""
    path = docs / METHOD_FILES[lang]
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        log.error("the method page's text is missing: %s", path)
        return None


def fill_plan(text: str, data: DashboardData, lang: Lang) -> str:
    """``text`` with the plan's placeholders replaced by its name, home region and years."""
    plan = data.catalog.plan
    values = {
        "plan": c.plan_name(data, lang),
        "region": plan.region_name,
        "region_noun": c.region_noun(data, lang),
        "start_year": str(plan.start_year),
        "target_year": str(plan.target_year),
    }
    return _PLACEHOLDER.sub(lambda found: values[found.group(1)], text)


def _shown(data: DashboardData, lang: Lang) -> str:
    """The missing file as the operator wrote it (never a server's absolute path)."""
    folder = data.catalog.plan.method_dir or "docs"
    return f"{folder}/{METHOD_FILES[lang]}"


def build(data: DashboardData, lang: Lang, *, docs: Path | None = None) -> html.Div:
    docs = method_dir(data.catalog) if docs is None else docs
    # The repository ships its text in SHIPPED_LANGS: missing there, it is a broken install and
    # the page says so. Any other text missing in the page's language (a municipality's own in
    # English or nynorsk) is the bokmål one, marked as such.
    promised = lang in SHIPPED_LANGS and data.catalog.plan.method_dir is None
    text_lang: Lang = lang if promised or (docs / METHOD_FILES[lang]).is_file() else "no"
    text = method_text(text_lang, docs)
    if text is None:
        body: list[Any] = [
            html.H1(t("method_title", lang)),
            html.P(t("method_missing", lang, file=_shown(data, lang)), className="problem"),
        ]
    else:
        text = fill_plan(text, data, lang)
        heading = first_heading(text)
        body = [html.H1(heading or t("method_title", lang), id=TITLE_ID)]
        # Tables and formulas scroll in their own focusable box, named by the heading above them.
        body += render_markdown(without_first_heading(text), top_level=2, regions="method", label=TITLE_ID)
    prose = html.Div(body, className="prose", **text_attrs(text_lang, lang))
    crumbs = [(t("nav_overview", lang), urls.overview(lang)), (t("method_title", lang), None)]
    return c.page(
        data,
        lang,
        switch=lambda other: urls.method(other),
        content=[prose],
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
