"""The Dash app factory: ``create_app(settings)`` wires pages, downloads, 404s and language.

Usage (the repository's ``app.py`` does this)::

    app = create_app(Settings.resolve())
    server = app.server          # for gunicorn
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import dash
import flask
import flask_compress
from dash import Input, Output, State
from markupsafe import Markup

from dashboard import data as data_module
from dashboard import (
    document,
    downloads,
    embed,
    health,
    ids,
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
from dashboard.pages.common import DRAWS_PLOTLY, protect_path_variables
from dashboard.prerender import Element
from indicators.config import Settings
from indicators.errors import IndicatorError

ASSETS = Path(__file__).resolve().parent / "assets"
STYLESHEET = "dashboard.css"

# Copy the embed code: the Clipboard API where allowed (https or localhost), else the
# selection fallback; the status text goes to a polite live region.
COPY_EMBED_JS = """
async function(nClicks, code, copiedText) {
    if (!nClicks) { return window.dash_clientside.no_update; }
    try {
        await navigator.clipboard.writeText(code);
    } catch (err) {
        const box = document.getElementById("EMBED_CODE_ID");
        box.select();
        document.execCommand("copy");
    }
    return copiedText;
}
"""
# Each snippet's copy button: (button, its status region, its code box).
COPY_BUTTONS = (
    (ids.EMBED_COPY, ids.EMBED_COPY_STATUS, ids.EMBED_CODE),
    (ids.EMBED_COPY_FIXED, ids.EMBED_COPY_FIXED_STATUS, ids.EMBED_CODE_FIXED),
)


class DashboardDash(dash.Dash):
    """Dash with a per-request index page in the one document (:mod:`dashboard.document`):
    ``<html lang>`` and title in the page's language, the server's copy of the page, and
    plotly.js only for the pages that draw Plotly charts (Dash's own index is the same for
    every request)."""

    def interpolate_index(
        self,
        metas: str = "",
        title: str = "",
        css: str = "",
        config: str = "",
        scripts: str = "",
        app_entry: str = "",
        favicon: str = "",
        renderer: str = "",
    ) -> str:
        """Dash's pieces (``css``, ``app_entry``, ``config``, ``scripts``, ``renderer``: HTML Dash
        wrote) in the document, passed on unchanged as markup, so the hashes Dash computes of
        its inline scripts (:mod:`dashboard.security`) hold. The document writes the charset,
        viewport and icon itself: of ``metas`` only the app's own ``meta_tags`` are added (Dash's
        defaults are the charset, the viewport and an Internet Explorer mode), and ``favicon``
        (Dash's Plotly logo) is left out, as on the server's other pages."""
        request = flask.request if flask.has_request_context() else None  # None: Dash's own use
        lang = parse_lang(request.args.get("lang") if request else None)
        extra: list[Any] = [Element("meta", dict(tag)) for tag in self.config.meta_tags or ()]
        extra.append(Markup(css))
        route = routing.dash_page(request.path) if request else None
        if route is not None and route.pattern == urls.INDICATOR:  # link previews show the chart
            extra += png.page_preview_tags(route.variables.get("indicator_id", ""), lang, app_prefix(self))
        if route is not None and route.page is not None and route.page.get(DRAWS_PLOTLY):
            # The chart's code chunk is requested only after the page's layout has arrived;
            # fetching it alongside the other scripts saves that round trip.
            extra.append(
                Element("link", {"rel": "preload", "as": "script", "href": app_prefix(self) + GRAPH_CHUNK})
            )
        else:
            # Only pages registered with DRAWS_PLOTLY draw Plotly charts (elsewhere charts are
            # SVG pictures): spare the other pages plotly.js, a third of a megabyte to fetch
            # and parse.
            scripts = PLOTLY_SCRIPT.sub("", scripts, count=1)
        page = prerendered_page(request.path, request.args.to_dict()) if request else None
        body = [
            Markup(page) if page is not None else None,  # the prerender writer's output
            Markup(app_entry),
            Markup(config),
            Markup(scripts),
            Markup(renderer),
        ]
        head = document.Head(lang, (_index_title(request.path) if request else None) or title, extra=extra)
        return document.html_document(head, body)


GRAPH_CHUNK = "_dash-component-suites/dash/dcc/async-graph.js"
PLOTLY_SCRIPT = re.compile(r'<script src="[^"]*/plotly-basic-[^"]*"></script>\s*')


def app_prefix(app: dash.Dash) -> str:
    return app.config.requests_pathname_prefix


def _index_title(path: str) -> str | None:
    """The ``<title>`` of the page at ``path`` (the browser tab before the app has loaded):
    the page's registered title, which Dash also puts on the tab after navigating."""
    route = routing.dash_page(path)
    if route is None or route.page is None:
        return None
    title = route.page.get("title")
    return str(title(**route.variables)) if callable(title) else title


def prerendered_page(path: str, args: dict[str, str]) -> str | None:
    """The page at ``path`` as HTML (see :mod:`dashboard.prerender`); ``None`` for paths that
    are not pages. Built from the same layout function, with the same arguments, that Dash
    Pages calls, so the server's copy and Dash's drawing are the same page."""
    route = routing.dash_page(path)
    if route is None or route.page is None or not callable(route.page.get("layout")):
        return None
    layout = route.page["layout"]
    variables = dict(route.variables)
    data = data_module.current()
    # Remembered like the layouts themselves: what a page says depends on its id and its
    # language only (links use SITE_URL, not the Host header), so odd requests add no entries.
    key = (
        "prerendered",
        route.page["module"],
        tuple(sorted(variables.items())),
        parse_lang(args.get("lang")),
        # A page whose other query values change it says which (the indicator's ?breakdown=).
        route.page.get("memo_args", lambda _: ())(args),
    )
    return data.memo(key, lambda: prerender.page_html(layout(**{**args, **variables})))


def plotly_script() -> str:
    """The address of the plotly.js basic bundle; with it loaded, dcc.Graph never fetches
    the full 4.8 MB plotly.js (it only does when ``window.Plotly`` is missing)."""
    name = embed.plotly_bundle().name
    version = dict(embed.asset_versions())[name]
    return f"{embed.STATIC_PATH}{name}?v={version}"


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
        suppress_callback_exceptions=True,  # the copy button exists on indicator pages only
        include_pages_meta=False,  # Dash's meta tags repeat the request URL; we do not need them
        # plotly.js: the vendored basic bundle, from the embeds' route (brotli made in advance,
        # cached for a year, shared with embeds) instead of Dash's copy of the assets folder.
        assets_path_ignore=["^vendor$"],
        external_scripts=[plotly_script()],
    )
    server = app.server
    # Dash's compress=True would take flask-compress's default types, which leave out CSV, so
    # /data/all.csv (the largest download) would go uncompressed. gzip only, as Dash sets it.
    server.config["COMPRESS_MIMETYPES"] = list(COMPRESSED_TYPES)
    server.config["COMPRESS_ALGORITHM"] = ["gzip"]
    flask_compress.Compress(server)
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
        mtime = int((ASSETS / STYLESHEET).stat().st_mtime)
        return f"{app.get_asset_url(STYLESHEET)}?m={mtime}"

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
    page_memo.install(app)  # Dash's page answers once per cache version, with ETag/304

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

    for button, status, code in COPY_BUTTONS:
        app.clientside_callback(
            COPY_EMBED_JS.replace("EMBED_CODE_ID", code),
            Output(status, "children"),
            Input(button, "n_clicks"),
            State(code, "value"),
            State(ids.EMBED_COPIED_TEXT, "data"),
            prevent_initial_call=True,
        )
    return app
