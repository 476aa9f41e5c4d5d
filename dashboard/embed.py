"""``/embed/indikator/<id>``: the light page for iframes, and its assets, as Flask routes.

Written on the server (:mod:`dashboard.embed_html`), not drawn by Dash: no React, no callbacks —
one HTML document with the chart as inline SVG, one small script, and plotly.js's basic bundle
loaded after the page for hover and zoom. ``register(app)`` adds:

* ``/embed/indikator/<id>`` with ``?lang=en`` or ``?lang=nn``, ``?peers=0`` and ``?height=<frame px>``; an
  unknown id answers 404 with the dashboard's helpful not-found page;
* ``/embed/static/<file>``: ``embed.js``, ``embed.css``, ``resize.js`` (the optional script
  for host pages) and the plotly.js bundle — served brotli-compressed at the highest level
  from a file compressed in advance, because on-the-fly compression (zstd/brotli at fast
  levels) leaves the bundle alone above the 400 KB budget of an embed.

The frame policy (``Content-Security-Policy: frame-ancestors``) comes from
:mod:`dashboard.security`, which lets every path under ``/embed/`` be framed by the sites in
``EMBED_FRAME_ANCESTORS``.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import dash
import flask
from werkzeug.wrappers import Response  # what make_conditional answers: flask.Response's base class

from dashboard import data as data_module
from dashboard import notfound, security, urls
from dashboard.embed_html import BadHeight, EmbedLinks, EmbedOptions, parse_height, render_embed
from dashboard.i18n import parse_lang
from indicators.errors import EmbedError

if TYPE_CHECKING:
    from dashboard.data import DashboardData

ASSETS = Path(__file__).resolve().parent / "assets"
STATIC_DIR = ASSETS / "embed"
VENDOR_DIR = ASSETS / "vendor"
PLOTLY_GLOB = "plotly-basic-*.min.js"
STATIC_FILES = {
    "embed.js": "text/javascript",
    "points.js": "text/javascript",  # hover and keyboard on the server's SVG (no plotly.js)
    "embed.css": "text/css",
    "resize.js": "text/javascript",
}
STATIC_PATH = "/embed/static/"
PAGE_RULE = urls.EMBED
STATIC_RULE = STATIC_PATH + "<path:name>"

# The figures change at most once a day (SSB publishes at 08:00); a quarter of an hour keeps a
# busy host page's readers on a CDN's copy without showing yesterday's figures for long.
PAGE_CACHE = "public, max-age=900"
NOT_FOUND_CACHE = "public, max-age=60"
ASSET_CACHE = "public, max-age=86400"  # resize.js is linked without a version from host pages
BUNDLE_CACHE = "public, max-age=31536000, immutable"  # the file name carries plotly's version
NO_PEERS = {"0", "false", "no", "nei", "off"}


def plotly_bundle() -> Path:
    """The vendored plotly.js basic bundle (``assets/vendor/plotly-basic-<version>.min.js``)."""
    found = sorted(VENDOR_DIR.glob(PLOTLY_GLOB))
    if len(found) != 1:
        raise EmbedError(
            f"expected one plotly.js basic bundle matching {VENDOR_DIR / PLOTLY_GLOB}, found "
            f"{len(found)}; see {VENDOR_DIR / 'README.md'} for how to vendor it"
        )
    return found[0]


def brotli_file(bundle: Path) -> Path:
    """Where the bundle's brotli-compressed copy lives (made by ``python -m dashboard precompress``)."""
    return STATIC_DIR / f"{bundle.name}.br"


def static_file(name: str) -> Path:
    """The file behind ``/embed/static/<name>``; EmbedError when there is none."""
    bundle = plotly_bundle()
    if name == bundle.name:
        return bundle
    if name in STATIC_FILES:
        return STATIC_DIR / name
    raise EmbedError(f"no embed asset called {name!r}; the assets are {', '.join(static_names())}")


def static_names() -> list[str]:
    return [*STATIC_FILES, plotly_bundle().name]


def asset_versions() -> tuple[tuple[str, str], ...]:
    """A content hash per asset, appended as ``?v=`` so browsers fetch a changed file at once."""
    return tuple((name, _file_hash(*_stat_key(static_file(name)))) for name in static_names())


def _stat_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


# Memos keyed by path, mtime and size: a changed file is read again; identical in every worker.
@functools.lru_cache(maxsize=16)
def _file_hash(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


@functools.lru_cache(maxsize=4)
def _file_bytes(path: str, _mtime_ns: int, _size: int) -> bytes:
    return Path(path).read_bytes()


@functools.lru_cache(maxsize=4)
def _gzipped(path: str, _mtime_ns: int, _size: int) -> bytes:
    # Level 9 once per process (about 0.1 s) instead of flask-compress's level 6 per request.
    return gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)


def parse_options(args: Mapping[str, str]) -> EmbedOptions:
    """``?lang=``, ``?peers=`` and ``?height=`` as :class:`EmbedOptions`. An odd language or
    peers value gives the default; a bad height raises :class:`BadHeight` (the caller's 400):
    the editor who typed it should see at once that it is not honoured."""
    return EmbedOptions(
        lang=parse_lang(args.get("lang")),
        peers=str(args.get("peers") or "1").strip().lower() not in NO_PEERS,
        height=parse_height(args.get("height")),
    )


def server_links(app: dash.Dash, indicator_id: str, options: EmbedOptions) -> EmbedLinks:
    """The page's addresses when the app serves it: absolute paths under the app's prefix;
    its own and the canonical address under ``SITE_URL`` (never the request's Host header)."""
    prefix = app.config.requests_pathname_prefix.rstrip("/")
    origin = security.site_url()
    lang = options.lang
    back = origin + prefix + urls.indicator(indicator_id, lang)  # relative without SITE_URL
    return EmbedLinks(
        static=prefix + STATIC_PATH,
        back=back,
        csv=prefix + urls.data_csv(indicator_id, lang),
        json=prefix + urls.data_json(indicator_id),
        page_url=origin + prefix + urls.embed(indicator_id, lang) if origin else "",
        canonical_url=back if origin else "",
        image_url=origin + prefix + urls.embed_png(indicator_id, lang) if origin else "",
        versions=asset_versions(),
    )


def register(app: dash.Dash) -> None:
    """Add the embed page and its assets to ``app``'s Flask server."""
    server = app.server
    # Dash puts every .js and .css under assets/ into each of its pages; the embed's own files
    # are for embeds (and host pages) only.
    app.config.assets_path_ignore = [*(app.config.assets_path_ignore or []), r"^embed$"]

    def embed_page(indicator_id: str) -> Response:
        data = data_module.current()
        if indicator_id not in data.catalog.indicators:
            return _not_found(app, data)
        try:
            options = parse_options(flask.request.args)
        except BadHeight as error:
            return flask.Response(f"Bad request: {error}.\n", status=400, mimetype="text/plain")
        links = server_links(app, indicator_id, options)

        def build() -> tuple[str, str]:
            body = render_embed(data, indicator_id, options, links)
            return body, hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]

        # The same for every reader until the cache changes: drawn once per cache version.
        body, etag = data.memo(("embed", indicator_id, options, links), build)
        response = flask.Response(body, mimetype="text/html")
        response.headers["Cache-Control"] = PAGE_CACHE
        response.set_etag(etag)
        return response.make_conditional(flask.request)

    def embed_static(name: str) -> Response:
        if name not in static_names():
            return flask.Response(
                f"Not found. The embed assets are: {', '.join(static_names())}\n",
                status=404,
                mimetype="text/plain",
            )
        if name == plotly_bundle().name:
            return _bundle_response(plotly_bundle())
        key = _stat_key(static_file(name))
        response = flask.Response(_file_bytes(*key), mimetype=STATIC_FILES[name])
        response.headers["Cache-Control"] = ASSET_CACHE
        response.set_etag(_file_hash(*key))
        return response.make_conditional(flask.request)

    server.add_url_rule(PAGE_RULE, "dashboard_embed_page", embed_page, strict_slashes=False)
    server.add_url_rule(STATIC_RULE, "dashboard_embed_static", embed_static)


def _bundle_response(bundle: Path) -> Response:
    """plotly.js in the best encoding the browser accepts: brotli (prepared), gzip -9, or plain."""
    key = _stat_key(bundle)
    accepted = flask.request.accept_encodings
    compressed = brotli_file(bundle)
    if accepted["br"] and compressed.is_file():
        body, encoding = _file_bytes(*_stat_key(compressed)), "br"
    elif accepted["gzip"]:
        body, encoding = _gzipped(*key), "gzip"
    else:
        body, encoding = _file_bytes(*key), ""
    response = flask.Response(body, mimetype="text/javascript")
    if encoding:
        response.headers["Content-Encoding"] = encoding  # flask-compress leaves it alone then
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = BUNDLE_CACHE
    response.set_etag(f"{_file_hash(*key)}-{encoding or 'identity'}")
    return response.make_conditional(flask.request)


def _not_found(app: dash.Dash, data: DashboardData) -> flask.Response:
    lang = parse_lang(flask.request.args.get("lang"))
    missing = notfound.find_missing(flask.request.path, data.catalog) or notfound.Missing("embed")
    body = notfound.page_html(missing, data, lang, app.get_asset_url("dashboard.css"))
    response = flask.Response(body, status=404, mimetype="text/html")
    response.headers["Cache-Control"] = NOT_FOUND_CACHE
    return response
