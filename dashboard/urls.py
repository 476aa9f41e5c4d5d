"""Every URL the dashboard links to, built in one place (DESIGN §9 fixes the paths).

This module builds links; which paths exist is what the app registers (the patterns below,
given to Dash Pages and Flask), and :mod:`dashboard.routing` finds the page for a path.
"""

from __future__ import annotations

from urllib.parse import quote

from dashboard.i18n import Lang, default_lang

STATBANK_TABLE = "https://www.ssb.no/statbank/table/{table}"
SSB_LICENCE = "https://www.ssb.no/en/diverse/lisens"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/deed.no"
WCAG_21 = "https://www.w3.org/TR/WCAG21/"
UUTILSYNET = "https://www.uutilsynet.no/"  # the supervisory authority for universal design of ICT
DISKRIMINERINGSNEMNDA = "https://www.diskrimineringsnemnda.no/"  # where complaints go

# Path patterns for the pages (Dash Pages ``path``/``path_template``) and Flask routes this app
# serves; a variable's name says what kind of id it holds (see dashboard.routing.ID_KINDS).
OVERVIEW = "/"
GOAL = "/mal/<goal_id>"
SUBGOAL = "/delmal/<subgoal_id>"
INDICATOR = "/indikator/<indicator_id>"
METHOD = "/metode"
ABOUT = "/om"
INDICATORS = "/indikatorer"  # every indicator in one table (DESIGN §9)
REPORT = "/rapport"  # the whole plan as one printable report (DESIGN §9)
REPORT_PRINT_CSS = "/rapport/utskrift.css"  # the report's plan, data date and mark on every printed page
EMBED = "/embed/indikator/<indicator_id>"
DATA_CSV = "/data/<indicator_id>.csv"
DATA_JSON = "/data/<indicator_id>.json"
DATA_XLSX = "/data/<indicator_id>.xlsx"
DATA_ALL_CSV = "/data/all.csv"
DATA_PACKAGE = "/data/datapackage.json"
API_STATUS = "/api/status.json"
API_OPENAPI = "/api/openapi.json"


def with_lang(path: str, lang: Lang) -> str:
    """``path`` with ``?lang=en`` (``?lang=nn``, ``?lang=no``) for a language other than the
    plan's default (bokmål unless goals.toml says otherwise), which needs none."""
    return path if lang == default_lang() else f"{path}?lang={lang}"


def _fill(template: str, value: str) -> str:
    return template.split("<")[0] + quote(value, safe="")


def overview(lang: Lang) -> str:
    return with_lang(OVERVIEW, lang)


def goal(goal_id: str, lang: Lang) -> str:
    return with_lang(_fill(GOAL, goal_id), lang)


def subgoal(subgoal_id: str, lang: Lang) -> str:
    return with_lang(_fill(SUBGOAL, subgoal_id), lang)


def indicator(indicator_id: str, lang: Lang) -> str:
    return with_lang(_fill(INDICATOR, indicator_id), lang)


def method(lang: Lang) -> str:
    return with_lang(METHOD, lang)


def about(lang: Lang) -> str:
    return with_lang(ABOUT, lang)


def indicators(lang: Lang, query: str = "") -> str:
    """``/indikatorer`` with ``query`` (already encoded, without ``lang``) and the language."""
    params = "&".join(p for p in (query, "" if lang == default_lang() else f"lang={lang}") if p)
    return f"{INDICATORS}?{params}" if params else INDICATORS


def report(lang: Lang) -> str:
    return with_lang(REPORT, lang)


def report_print_css(lang: Lang) -> str:
    return with_lang(REPORT_PRINT_CSS, lang)


def embed(indicator_id: str, lang: Lang) -> str:
    return with_lang(_fill(EMBED, indicator_id), lang)


def embed_png(indicator_id: str, lang: Lang) -> str:
    """The embed's chart as a PNG (link previews)."""
    return with_lang(_fill(EMBED, indicator_id) + ".png", lang)


def data_csv(indicator_id: str, lang: Lang) -> str:
    return with_lang(f"/data/{quote(indicator_id, safe='')}.csv", lang)


def data_json(indicator_id: str) -> str:
    return f"/data/{quote(indicator_id, safe='')}.json"


def data_xlsx(indicator_id: str, lang: Lang) -> str:
    return with_lang(f"/data/{quote(indicator_id, safe='')}.xlsx", lang)


def data_all_csv(lang: Lang) -> str:
    return with_lang(DATA_ALL_CSV, lang)


def data_package(lang: Lang) -> str:
    return with_lang(DATA_PACKAGE, lang)


def api_status() -> str:
    return API_STATUS


def api_openapi() -> str:
    return API_OPENAPI


def statbank(table: str) -> str:
    """SSB's statbank page for a table, the human-readable source."""
    return STATBANK_TABLE.format(table=quote(table, safe=""))
