"""What the page modules share: the language of a request and page titles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import dash
import flask
from dash.exceptions import MissingCallbackContextException

from dashboard import data as data_module
from dashboard.components import plan_name
from dashboard.data import DashboardData
from dashboard.i18n import DEFAULT_LANG, Lang, parse_lang, t

# A key of a page's Dash Pages entry (``dash.register_page(..., **{DRAWS_PLOTLY: True})``): the
# page draws Plotly charts, so its index page loads plotly.js and fetches the chart code early.
DRAWS_PLOTLY = "draws_plotly_charts"


def kwargs_lang(kwargs: dict[str, Any]) -> Lang:
    """The language a page's layout was asked for (``?lang=`` arrives among the kwargs)."""
    return parse_lang(kwargs.get("lang"))


def request_lang() -> Lang:
    """The language of the page being served, in Dash's routing callback or a page request.

    Dash Pages calls a page's ``title`` with the path variables only, so the query string is
    read from the routing callback's ``_pages_location.search`` input (or the request URL).
    """
    try:
        search = str(dash.ctx.inputs.get("_pages_location.search") or "")
    except (MissingCallbackContextException, LookupError):
        # LookupError: a thread where no callback ever ran has no callback context at all.
        if flask.has_request_context():
            return parse_lang(flask.request.args.get("lang"))
        return DEFAULT_LANG
    return parse_lang(parse_qs(search.lstrip("?")).get("lang"))


def full_title(data: DashboardData, page: str, lang: Lang) -> str:
    """``page – site`` for the browser tab and ``<title>``."""
    return t("page_title", lang, page=page, site=t("site_name", lang, plan=plan_name(data, lang)))


def titled(page_title: Callable[..., str]) -> Callable[..., str]:
    """A Dash Pages ``title`` callable made from ``page_title(data, lang, **path_variables)``."""

    def title(**path_variables: Any) -> str:
        data = data_module.current()
        lang = request_lang()
        return full_title(data, page_title(data, lang, **path_variables), lang)

    return title
