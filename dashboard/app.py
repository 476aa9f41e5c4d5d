"""The Dash app factory: ``create_app(settings)`` wires pages, downloads, 404s and language.

Usage (the repository's ``app.py`` does this)::

    app = create_app(Settings.resolve())
    server = app.server          # for gunicorn
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import flask
import flask_compress
from markupsafe import Markup

from dashboard import data as data_module
from dashboard import (
    document,
    downloads,
    embed,
    encoding,
    health,
    indicator_index,
    notfound,
    observability,
    page_memo,
    png,
    prerender,
    report,
    routing,
    security,
    urls,
)
from dashboard.data import DataSource
from dashboard.i18n import DEFAULT_LANG, parse_lang
from dashboard.pages import register_all
from dashboard.pages.common import protect_path_variables
from dashboard.prerender import Element
from indicators.config import Settings
from indicators.errors import IndicatorError

ASSETS = Path(__file__).resolve().parent / "assets"
STYLESHEET = "dashboard.css"


class DashboardDash(dash.Dash):
    """Dash whose index page is the page itself, written on the server: every page registered
    with Dash Pages is one document (:mod:`dashboard.document`) holding the HTML that the one
    page writer (:mod:`dashboard.prerender`) makes of the page's layout, in the page's language,
    with a style sheet and two small script files — no Dash renderer (React, dash-renderer,
    dcc), no callbacks and no plotly.js reach the browser. Dash Pages still registers the pages
    (paths, layouts, titles), and :mod:`dashboard.routing` resolves a path to its page."""

    def index(self, *args: Any, **kwargs: Any) -> Any:
        """The document of the page at the request's path (a 404 page for a path that is no
        page; the not-found hook answers those before Dash is reached)."""
        route = routing.dash_page(flask.request.path)
        if route is None or route.page is None or not callable(route.page.get("layout")):
            data = data_module.current()
            lang = parse_lang(flask.request.args.get("lang"))
            body = notfound.page_html(notfound.Missing("page"), data, lang, asset_url(self, STYLESHEET))
            return flask.Response(body, status=404, mimetype="text/html")
        return page_document(self, route)


POINTS_SCRIPT = "points.js"  # served with the embeds' assets (dashboard/assets/embed/)
COPY_SCRIPT = "copy.js"  # the embed code's copy buttons (dashboard/assets/)


def asset_url(app: dash.Dash, name: str) -> str:
    """A file of the assets folder with its modification time as cache-buster (assets are
    cached for a day)."""
    mtime = int((ASSETS / name).stat().st_mtime)
    return f"{app.get_asset_url(name)}?m={mtime}"


def page_scripts(app: dash.Dash) -> list[str]:
    """The scripts of every page: hover and keys on the server's SVG charts (the embeds'
    ``points.js``, shared with them and cached alike) and the embed code's copy buttons. Both
    are files (``defer``), so the Content-Security-Policy needs no hash or nonce for them."""
    prefix = app.config.requests_pathname_prefix.rstrip("/")
    version = dict(embed.asset_versions())[POINTS_SCRIPT]
    return [f"{prefix}{embed.STATIC_PATH}{POINTS_SCRIPT}?v={version}", asset_url(app, COPY_SCRIPT)]


def page_document(app: dash.Dash, route: routing.Route) -> str:
    """The page of ``route`` as a whole document: ``<html lang>``, the page's title and link
    previews, then the page itself (:func:`page_html`)."""
    request = flask.request
    lang = parse_lang(request.args.get("lang"))
    extra: list[Any] = [Element("meta", dict(tag)) for tag in app.config.meta_tags or ()]
    if route.pattern == urls.INDICATOR:  # link previews show the chart
        extra += png.page_preview_tags(route.variables.get("indicator_id", ""), lang, app_prefix(app))
    head = document.Head(
        lang,
        _index_title(request.path) or app.title,
        stylesheet=asset_url(app, STYLESHEET),
        scripts=page_scripts(app),
        extra=extra,
    )
    return document.html_document(head, Markup(page_html(request.path, request.args.to_dict()) or ""))


def app_prefix(app: dash.Dash) -> str:
    return app.config.requests_pathname_prefix


def _index_title(path: str) -> str | None:
    """The ``<title>`` of the page at ``path``: the page's registered Dash Pages title."""
    route = routing.dash_page(path)
    if route is None or route.page is None:
        return None
    title = route.page.get("title")
    return str(title(**route.variables)) if callable(title) else title


def page_html(path: str, args: dict[str, str]) -> str | None:
    """The page at ``path`` as HTML (see :mod:`dashboard.prerender`); ``None`` for paths that
    are not pages. Built from the page's layout function, called as Dash Pages calls it: with
    the query's values and the path's variables (which win)."""
    route = routing.dash_page(path)
    if route is None or route.page is None or not callable(route.page.get("layout")):
        return None
    layout = route.page["layout"]
    variables = dict(route.variables)
    data = data_module.current()
    # Remembered like the layouts themselves: what a page says depends on its id and its
    # language only (links use SITE_URL, not the Host header), so odd requests add no entries.
    key = (
        "page",
        route.page["module"],
        tuple(sorted(variables.items())),
        parse_lang(args.get("lang")),
        # A page whose other query values change it says which (the indicator's ?breakdown=).
        route.page.get("memo_args", lambda _: ())(args),
    )
    return data.memo(key, lambda: prerender.to_html(layout(**{**args, **variables})))


# Every type this server sends that compresses well (flask-compress's own defaults leave out CSV).
COMPRESSED_TYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/csv",
)


def create_app(settings: Settings | None = None, *, source: DataSource | None = None) -> dash.Dash:
    """Build the dashboard for ``settings`` (default: the environment and defaults).

    ``source`` replaces how data is loaded (tests pass a fixed snapshot); by default the app
    reads the cache named by the settings and reloads it whenever its manifest changes.
    """
    settings = settings or Settings.resolve()
    app = DashboardDash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        compress=False,  # set up below: flask-compress reads its types once, when it starts
        serve_locally=True,
        title="Indikatorer",
        update_title="",  # no "Updating..." in the tab (Dash: any false value)
        # Else Dash Pages calls every page's layout at the first request to validate callbacks
        # against: there are no callbacks of ours to validate.
        suppress_callback_exceptions=True,
        include_pages_meta=False,  # Dash's meta tags repeat the request URL; we do not need them
        assets_path_ignore=["^vendor$"],  # the vendored plotly.js is the embeds' route's (benchmarks)
    )
    server = app.server
    # Dash's compress=True would take flask-compress's default types, which leave out CSV, so
    # /data/all.csv (the largest download) would go uncompressed. gzip only, as Dash sets it.
    server.config["COMPRESS_MIMETYPES"] = list(COMPRESSED_TYPES)
    server.config["COMPRESS_ALGORITHM"] = ["gzip"]
    flask_compress.Compress(server)
    # flask-compress would still gzip for a client that refuses it (gzip;q=0): see dashboard/encoding.
    server.wsgi_app = encoding.honour_refused_encodings(server.wsgi_app)
    # Assets are requested with a ?m=<mtime> cache-buster, so a day of caching is safe.
    server.config["SEND_FILE_MAX_AGE_DEFAULT"] = 86400
    source = source or DataSource(settings)
    data_module.install(server, source)
    security.install(app, settings)  # headers on every response, frame policy
    observability.install(server)  # JSON request logs, request ids, safe 500 page
    health.register(server, source)  # /healthz
    register_all()
    protect_path_variables()  # /indikator/a?indicator_id=b shows a, not b
    app.layout = dash.page_container

    def stylesheet() -> str:
        return asset_url(app, STYLESHEET)

    def catalog():
        return source.get().catalog

    prefix = app.config.routes_pathname_prefix
    server.before_request(notfound.before_request_hook(catalog, stylesheet, {prefix, f"{prefix}<path:path>"}))

    def not_found_response() -> flask.Response:
        lang = parse_lang(flask.request.args.get("lang"))
        missing = notfound.find_missing(flask.request.path, catalog()) or notfound.Missing("indicator")
        body = notfound.page_html(missing, source.get(), lang, stylesheet())
        return flask.Response(body, status=404, mimetype="text/html")

    def bad_format_response() -> flask.Response:
        lang = parse_lang(flask.request.args.get("lang"))
        # The path is a known download's (the id was checked first), so it is safe to link to.
        also = "" if lang == DEFAULT_LANG else f"&lang={lang}"
        choices = [(name, f"{flask.request.path}?format={name}{also}") for name in downloads.DIALECTS]
        body = notfound.bad_format_html(source.get(), lang, stylesheet(), choices)
        return flask.Response(body, status=400, mimetype="text/html")

    downloads.register(server, source.get, not_found_response, bad_format_response)
    embed.register(app)  # /embed/indikator/<id> and its assets (server-rendered, not Dash)
    png.register(app)  # /embed/indikator/<id>.png, drawn from the export's SVG
    indicator_index.register(app, stylesheet)  # /indikatorer (server-rendered: a plain GET form)
    report.register(app, stylesheet)  # /rapport (server-rendered: a printable document)
    page_memo.install(app)  # page documents once per cache version, with ETag/304

    @server.errorhandler(IndicatorError)
    def data_error(error: IndicatorError) -> flask.Response:
        # A broken cache or catalogue is the operator's to fix: say what is wrong, plainly.
        # The message can name server paths, so it goes to the log under the request id and
        # the page says what to do, never the detail itself.
        request_id = flask.request.environ.get(observability.ENVIRON_KEY) or "-"
        server.logger.error("cannot show the dashboard (request %s): %s", request_id, error)
        lang = parse_lang(flask.request.args.get("lang"))
        body = notfound.error_html(request_id, lang, stylesheet())
        return flask.Response(body, status=503, mimetype="text/html")

    return app
