"""``/embed/indikator/<id>.png``: the embed's chart as a PNG (link previews, reports, social media).

Rendered from the very SVG that ``python -m dashboard export`` writes as ``img/<id>.svg`` (the one
drawer in ``static_chart.py``), by resvg (``resvg-py``): a self-contained wheel from PyPI that needs
no browser and no system library, and draws with the system's fonts (DejaVu/Liberation on Debian,
so æ, ø and å come out right).
"""

from __future__ import annotations

import hashlib

import dash
import flask
import resvg_py
from werkzeug.wrappers import Response

from dashboard import data as data_module
from dashboard import notfound, security, urls
from dashboard.data import DashboardData
from dashboard.embed_html import BadHeight, parse_height
from dashboard.i18n import Lang, parse_lang
from dashboard.prerender import Element

PNG_RULE = urls.EMBED + ".png"
# As the other downloads: fresh for a while, then revalidated by ETag.
PNG_CACHE = "public, max-age=300"

# Link previews are opaque pictures: a transparent canvas turns black in some apps.
BACKGROUND = "#ffffff"


def svg_to_png(svg: str) -> bytes:
    """PNG bytes of a standalone SVG document, on a white background."""
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, background=BACKGROUND))


def picture_png(data: DashboardData, indicator_id: str, lang: Lang) -> bytes:
    """The indicator's chart as a PNG, the same picture as the export's ``img/<id>.svg``."""
    from dashboard.export import picture_svg  # here: the export imports svg_to_png from us

    return svg_to_png(picture_svg(data, indicator_id, lang))


def png_etag(body: bytes) -> str:
    """A strong ETag of the picture's bytes (same form as the embed page's)."""
    return hashlib.sha256(body).hexdigest()[:32]


def register(app: dash.Dash) -> None:
    """Add ``/embed/indikator/<id>.png`` to ``app``'s Flask server."""

    def embed_png(indicator_id: str) -> Response:
        data = data_module.current()
        if indicator_id not in data.catalog.indicators:
            return _not_found(app, data)
        try:
            # The picture has one size; a bad ?height= is still refused as on the embed page,
            # so whoever typed it sees at once that it is not honoured.
            parse_height(flask.request.args.get("height"))
        except BadHeight as error:
            return flask.Response(f"Bad request: {error}.\n", status=400, mimetype="text/plain")
        lang = parse_lang(flask.request.args.get("lang"))

        def build() -> tuple[bytes, str]:
            body = picture_png(data, indicator_id, lang)
            return body, png_etag(body)

        # Drawn once per cache version and language (about 0.15 s each).
        body, etag = data.memo(("embed-png", indicator_id, lang), build)
        response = flask.Response(body, mimetype="image/png")
        response.headers["Cache-Control"] = PNG_CACHE
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.set_etag(etag)
        return response.make_conditional(flask.request)

    app.server.add_url_rule(PNG_RULE, "dashboard_embed_png", embed_png)


def _not_found(app: dash.Dash, data: DashboardData) -> flask.Response:
    lang = parse_lang(flask.request.args.get("lang"))
    missing = notfound.find_missing(flask.request.path, data.catalog) or notfound.Missing("embed")
    body = notfound.page_html(missing, data, lang, app.get_asset_url("dashboard.css"))
    return flask.Response(body, status=404, mimetype="text/html")


def page_preview_tags(indicator_id: str, lang: Lang, prefix: str) -> list[Element]:
    """Head tags that make a shared indicator page's link preview show its chart: ``og:image``
    and a large Twitter card, at the PNG's absolute address under ``SITE_URL`` (none without
    one: previewers ignore relative images). Unknown ids get none (their page is a 404)."""
    origin = security.site_url()
    if not origin or indicator_id not in data_module.current().catalog.indicators:
        return []
    image = origin + prefix.rstrip("/") + urls.embed_png(indicator_id, lang)
    return [
        Element("meta", {"property": "og:image", "content": image}),
        Element("meta", {"property": "og:image:type", "content": "image/png"}),
        Element("meta", {"name": "twitter:card", "content": "summary_large_image"}),
        Element("meta", {"name": "twitter:image", "content": image}),
    ]
