"""Page views that cost little: Dash's answers remembered per cache version.

A page is a pure function of its path, its language and the cache version, so its document (the
server writes every page whole, :class:`dashboard.app.DashboardDash`) and Dash's own answers
(``/_dash-layout``, ``/_dash-dependencies`` and the page-content callback's
``/_dash-update-component`` response, which no page asks for any more) are built once per cache
version and served as bytes afterwards. They live in :meth:`DashboardData.memo`, the app's one bounded, thread-safe
memo, which is dropped with its data when the cache changes: a new data release never sees old
content, and every gunicorn worker gives the same bytes (so the same ETag). Only canonical
addresses are remembered (no query, or ``lang=`` alone); any other query string is answered as
before, built afresh, so a flood of odd addresses cannot crowd the memo. The GET answers carry an
ETag (a hash of the bytes, as the data downloads) and answer 304 when the reader's copy is current.
Every worker writes the same document for a page, so its ETag is the same from every worker.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import dash
import flask

from dashboard import data as data_module
from dashboard import routing

PAGE_CACHE = "public, max-age=300"  # as the server-rendered pages: refreshes come a few times a day
CANONICAL_QUERIES = frozenset({"", "lang=no", "lang=en", "lang=nn"})
MAX_CALLBACK_BODY = 4096  # a page-content request is a few hundred bytes; larger ones are built afresh
PAGES_OUTPUT = "_pages_content"


def _canonical(query: str) -> bool:
    return query.lstrip("?") in CANONICAL_QUERIES


def _page_callback(body: bytes) -> bool:
    """Whether ``body`` asks for a known page's content at a canonical address."""
    if len(body) > MAX_CALLBACK_BODY:
        return False
    try:
        request = json.loads(body)
        if PAGES_OUTPUT not in str(request.get("output", "")):
            return False
        inputs = {(item.get("id"), item.get("property")): item.get("value") for item in request["inputs"]}
    except (ValueError, TypeError, KeyError, AttributeError):
        return False  # Dash answers malformed requests itself
    pathname = next((v for (_, prop), v in inputs.items() if prop == "pathname"), None)
    search = next((v for (_, prop), v in inputs.items() if prop == "search"), "") or ""
    if not isinstance(pathname, str) or not isinstance(search, str) or not _canonical(search):
        return False
    route = routing.dash_page(pathname)
    return route is not None and route.page is not None


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
    """Wrap Dash's page views of ``app`` so that canonical page views come from the memo."""
    server = app.server
    prefix = app.config.routes_pathname_prefix
    index_endpoints = {prefix, f"{prefix}<path:path>"}
    get_endpoints = {f"{prefix}_dash-layout", f"{prefix}_dash-dependencies"}
    update_endpoint = f"{prefix}_dash-update-component"

    def wrap_get(endpoint: str, view: Callable[..., Any]) -> Callable[..., Any]:
        def memoised(*args: Any, **kwargs: Any) -> Any:
            request = flask.request
            if request.method not in ("GET", "HEAD") or not _canonical(
                request.query_string.decode("latin-1")
            ):
                return view(*args, **kwargs)
            key = ("dash-get", endpoint, request.path, request.query_string)
            body, status, mimetype = _remembered(lambda: view(*args, **kwargs), key)
            return _answer(body, status, mimetype, conditional=True)

        return memoised

    def wrap_update(view: Callable[..., Any]) -> Callable[..., Any]:
        def memoised(*args: Any, **kwargs: Any) -> Any:
            body = flask.request.get_data(cache=True)
            if not _page_callback(body):
                return view(*args, **kwargs)
            # A POST is never revalidated by browsers: the memo alone spares the work.
            answer = _remembered(lambda: view(*args, **kwargs), ("dash-update", body))
            return _answer(*answer, conditional=False)

        return memoised

    for endpoint, view in list(server.view_functions.items()):
        if endpoint in index_endpoints or endpoint in get_endpoints:
            server.view_functions[endpoint] = wrap_get(endpoint, view)
        elif endpoint == update_endpoint:
            server.view_functions[endpoint] = wrap_update(view)
