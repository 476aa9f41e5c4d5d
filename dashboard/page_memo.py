"""Page views that cost little: page documents remembered per cache version.

A page is a pure function of its path, its language and the cache version, so its document (the
server writes every page whole, :class:`dashboard.app.DashboardDash`) is built once per cache
version and served as bytes afterwards. (Dash's renderer endpoints, which no page asks for, are
404s: :mod:`dashboard.security`.) They live in :meth:`DashboardData.memo`, the app's one bounded, thread-safe
memo, which is dropped with its data when the cache changes: a new data release never sees old
content, and every gunicorn worker gives the same bytes (so the same ETag). Only canonical
addresses are remembered (no query, ``lang=`` and a known ``breakdown=``, as the site's links write them); any other query string is answered as
before, built afresh, so a flood of odd addresses cannot crowd the memo. The GET answers carry an
ETag (a hash of the bytes, as the data downloads) and answer 304 when the reader's copy is current.
Every worker writes the same document for a page, so its ETag is the same from every worker.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import dash
import flask

from dashboard import breakdowns
from dashboard import data as data_module

PAGE_CACHE = "public, max-age=300"  # as the server-rendered pages: refreshes come a few times a day
CANONICAL_LANGS = frozenset({"no", "en", "nn"})


def _canonical(query: str) -> bool:
    """Whether ``query`` is one the site's own links write: nothing, ``lang=`` and/or a
    ``breakdown=`` that some definition has, each once, in that order, spelt plainly. There are
    few such queries, so remembering their pages cannot crowd the memo."""
    query = query.lstrip("?")
    if not query:
        return True
    pairs = parse_qsl(query, keep_blank_values=True)
    names = [name for name, _ in pairs]
    if names not in (["lang"], [breakdowns.PARAMETER], ["lang", breakdowns.PARAMETER]):
        return False
    if urlencode(pairs, quote_via=quote) != query:  # one spelling per query: no %65n for en
        return False
    values = dict(pairs)
    if "lang" in values and values["lang"] not in CANONICAL_LANGS:
        return False
    variable = values.get(breakdowns.PARAMETER)
    return variable is None or variable in _breakdown_variables()


def _breakdown_variables() -> set[str]:
    catalog = data_module.current().catalog
    return {b.variable for d in catalog.indicators.values() for b in d.breakdowns}


def _remembered(view: Callable[..., Any], key: tuple) -> tuple[bytes, int, str]:
    """The view's answer as (bytes, status, content type), from the memo of this cache version."""

    def build() -> tuple[bytes, int, str]:
        response = flask.current_app.make_response(view())
        response.direct_passthrough = False
        return response.get_data(), response.status_code, response.headers.get("Content-Type", "text/html")

    return data_module.current().memo(key, build)


def _answer(body: bytes, status: int, mimetype: str, *, conditional: bool) -> flask.Response:
    response = flask.Response(body, status=status, content_type=mimetype)
    if conditional and status == 200:
        response.headers["Cache-Control"] = PAGE_CACHE
        response.set_etag(hashlib.sha256(body).hexdigest()[:32], weak=True)
        response.make_conditional(flask.request)
    return response


def install(app: dash.Dash) -> None:
    """Wrap ``app``'s page view (its index) so that canonical page views come from the memo."""
    server = app.server
    prefix = app.config.routes_pathname_prefix
    index_endpoints = {prefix, f"{prefix}<path:path>"}

    def wrap(endpoint: str, view: Callable[..., Any]) -> Callable[..., Any]:
        def memoised(*args: Any, **kwargs: Any) -> Any:
            request = flask.request
            if request.method not in ("GET", "HEAD") or not _canonical(
                request.query_string.decode("latin-1")
            ):
                return view(*args, **kwargs)
            key = ("page-document", endpoint, request.path, request.query_string)
            body, status, mimetype = _remembered(lambda: view(*args, **kwargs), key)
            return _answer(body, status, mimetype, conditional=True)

        return memoised

    for endpoint, view in list(server.view_functions.items()):
        if endpoint in index_endpoints:
            server.view_functions[endpoint] = wrap(endpoint, view)
