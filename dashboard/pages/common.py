"""What the page modules share: the language of a request, page titles, and path variables
that the query string cannot override."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

import dash
import flask
from dash.exceptions import MissingCallbackContextException

from dashboard import data as data_module
from dashboard import routing
from dashboard.components import plan_name
from dashboard.data import DashboardData
from dashboard.i18n import DEFAULT_LANG, Lang, parse_lang, t


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


# Marks a layout already wrapped by :func:`path_variables_win` (wrapping twice changes nothing).
_WRAPPED = "_dashboard_path_variables_win"


def current_path_variables() -> Mapping[str, str]:
    """The path variables of the page being served (``{"indicator_id": "elbil"}``), read from
    the path itself: the routing callback's ``_pages_location.pathname``, else the request's."""
    try:
        pathname = dash.ctx.inputs.get("_pages_location.pathname")
    except (MissingCallbackContextException, LookupError):
        pathname = flask.request.path if flask.has_request_context() else None
    else:
        if isinstance(pathname, str):
            pathname = "/" + (dash.strip_relative_path(pathname) or "")
    route = routing.dash_page(pathname) if isinstance(pathname, str) else None
    return route.variables if route is not None else {}


def path_variables_win(layout: Callable[..., Any]) -> Callable[..., Any]:
    """``layout`` called with the path's variables over any query parameter of the same name.

    Dash Pages passes the query string into a layout's arguments after the path variables, so
    ``/indikator/a?indicator_id=b`` would show ``b`` under ``a``'s address (and its title)."""
    if getattr(layout, _WRAPPED, False):
        return layout

    @functools.wraps(layout)
    def wrapped(**kwargs: Any) -> Any:
        return layout(**{**kwargs, **current_path_variables()})

    setattr(wrapped, _WRAPPED, True)
    return wrapped


def protect_path_variables() -> None:
    """Wrap the layout of every registered page with a ``path_template`` in
    :func:`path_variables_win` (call after the pages are registered)."""
    for page in dash.page_registry.values():
        if page.get("path_template") and callable(page.get("layout")):
            page["layout"] = path_variables_win(page["layout"])
