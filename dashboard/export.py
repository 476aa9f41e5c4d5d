"""``python -m dashboard export DIR``: every embed as static files for a plain web host or CDN.

Layout of ``DIR`` (the same paths as the app's, so a snippet only changes its host)::

    embed/indikator/<id>/index.html      the embed page in the plan's default language (bokmål)
    embed/indikator/<id>/index.en.html   ... in English (``?lang=en`` on index.html redirects here;
                                         index.nn.html in nynorsk, ``?lang=nn``)

Only the languages the plan publishes (goals.toml's ``languages``) are written; the default
language has the plain names (``index.html``, ``<id>.csv``, ``<id>.svg``), every other one
``.<lang>.`` in its names (a nynorsk-first plan: ``index.html`` nynorsk, ``index.no.html`` bokmål).
    embed/static/                        embed.js, points.js, embed.css, resize.js (no plotly.js)
    embed/index.html, embed/index.en.html  a list of every embed, with its snippet
    img/<id>.svg, img/<id>.en.svg (.nn)  the chart as a standalone SVG picture (for articles,
                                         reports, slides; drawn without a browser)
    img/<id>.png, img/<id>.en.png        the same picture as PNG (as /embed/indikator/<id>.png)
    data/<id>.csv, data/<id>.en.csv (.nn) the figures for Excel (as /data/<id>.csv?lang=...)
    data/<id>.breakdown-<VAR>.csv (.en)  each breakdown's CSV (as /data/<id>.csv?breakdown=VAR),
                                         linked from embed/index.html
    data/<id>.json                       series, assessment and metadata (as /data/<id>.json)

Pages link to their assets with relative URLs and load no third-party script. Links back to
the dashboard use ``--site-url`` (else they are root-relative, right only when the export is
served from the dashboard's own host).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from dash import html

from dashboard import document, downloads, figures, urls
from dashboard.components import indicator_name, plan_name
from dashboard.data import DashboardData, DataSource
from dashboard.embed import STATIC_DIR, STATIC_FILES, asset_versions, brotli_file, plotly_bundle
from dashboard.embed_html import (
    EmbedLinks,
    EmbedOptions,
    alt_text,
    figure_payload,
    render_embed,
    shown_frame,
    shown_regions,
)
from dashboard.i18n import DEFAULT_LANG, HTML_LANG, LANGS, Lang, t, text_attrs
from dashboard.png import svg_to_png
from dashboard.static_chart import figure_svg
from indicators.config import Settings
from indicators.errors import EmbedError


def page_file(lang: Lang, default: Lang = DEFAULT_LANG) -> str:
    """``index.html`` in the plan's default language, ``index.<lang>.html`` in any other."""
    return "index.html" if lang == default else f"index.{lang}.html"


def data_file(indicator_id: str, lang: Lang, ext: str, default: Lang = DEFAULT_LANG) -> str:
    """``<id>.<ext>`` in the default language, ``<id>.<lang>.<ext>`` in any other (CSV, SVG, PNG)."""
    return f"{indicator_id}.{ext}" if lang == default else f"{indicator_id}.{lang}.{ext}"


# A breakdown variable becomes part of a file name only when it is a plain SSB variable code.
SAFE_VARIABLE = re.compile(r"[A-Za-z0-9_]{1,64}")


def breakdown_file(indicator_id: str, variable: str, lang: Lang, default: Lang = DEFAULT_LANG) -> str | None:
    """``<id>.breakdown-<VAR>.csv`` (``.<lang>.csv`` but in the default language): the file of
    ``/data/<id>.csv?breakdown=VAR``; None for a variable that is no safe file name part."""
    if not SAFE_VARIABLE.fullmatch(variable):
        return None
    return data_file(f"{indicator_id}.breakdown-{variable}", lang, "csv", default)


def png_file(indicator_id: str, lang: Lang, default: Lang = DEFAULT_LANG) -> str:
    """``<id>.png`` in the default language, ``<id>.<lang>.png`` in any other (as the SVG's names)."""
    return data_file(indicator_id, lang, "png", default)


SNIPPET_HEIGHT = 520
# The standalone picture: wide enough for the legend in two rows, as tall as the embed's chart
# with room for them.
PICTURE_WIDTH, PICTURE_HEIGHT = 800, 420
XML_PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    root: Path
    indicators: int
    files: tuple[Path, ...]
    demo: bool
    languages: tuple[Lang, ...] = LANGS  # the plan's, its default first at index.html


def page_path(indicator_id: str, lang: Lang, default: Lang = DEFAULT_LANG) -> str:
    """An embed page's path inside the export: ``embed/indikator/<id>/index.html``."""
    return f"embed/indikator/{indicator_id}/{page_file(lang, default)}"


def plan_languages(data: DashboardData) -> tuple[tuple[Lang, ...], Lang]:
    """The languages the plan publishes (goals.toml's ``languages``) and its default language."""
    plan = data.catalog.plan
    return tuple(lang for lang in LANGS if lang in plan.languages), plan.default_language


def dashboard_path(indicator_id: str, lang: Lang, default: Lang) -> str:
    """The dashboard's indicator page in ``lang``: ``?lang=`` for all but the plan's default
    (the export runs outside a request, where :func:`urls.with_lang` knows no plan)."""
    path = urls.indicator(indicator_id, DEFAULT_LANG).split("?")[0]
    return path if lang == default else f"{path}?lang={lang}"


def export_links(
    indicator_id: str,
    lang: Lang,
    *,
    site_url: str,
    export_url: str,
    languages: tuple[Lang, ...] = LANGS,
    default: Lang = DEFAULT_LANG,
) -> EmbedLinks:
    """Relative asset and data links for a page at ``embed/indikator/<id>/``."""
    back = site_url.rstrip("/") + dashboard_path(indicator_id, lang, default)
    return EmbedLinks(
        static="../../static/",
        back=back,
        csv="../../../data/" + data_file(indicator_id, lang, "csv", default),
        json=f"../../../data/{indicator_id}.json",
        page_url=f"{export_url.rstrip('/')}/{page_path(indicator_id, lang, default)}" if export_url else "",
        canonical_url=back if site_url else "",
        image_url=f"{export_url.rstrip('/')}/img/{png_file(indicator_id, lang, default)}"
        if export_url
        else "",
        versions=asset_versions(),
        static_export=True,
        # The default page's embed.js follows ?lang= to these languages' own files.
        export_langs=tuple(other for other in languages if other != default) if lang == default else (),
    )


def check_target(root: Path) -> Path:
    """``root`` if an export can go there (a folder, or nothing yet); else EmbedError."""
    if root.exists() and not root.is_dir():
        raise EmbedError(f"{root} is a file; give a folder to export into (it is created if missing)")
    return root


def export_site(data: DashboardData, root: Path, *, site_url: str = "", export_url: str = "") -> ExportResult:
    """Write every indicator's embed pages, data files and the shared assets under ``root``.

    Files of an earlier export are overwritten; nothing else in ``root`` is touched.
    """
    check_target(root)
    languages, default = plan_languages(data)
    written: list[Path] = []

    def write(relative: str, content: str | bytes) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        written.append(path)

    try:
        for indicator_id in data.catalog.indicators:
            for lang in languages:
                links = export_links(
                    indicator_id,
                    lang,
                    site_url=site_url,
                    export_url=export_url,
                    languages=languages,
                    default=default,
                )
                write(
                    page_path(indicator_id, lang, default),
                    render_embed(data, indicator_id, EmbedOptions(lang), links),
                )
                csv = "\ufeff" + downloads.csv_text(data, indicator_id, lang)
                write("data/" + data_file(indicator_id, lang, "csv", default), csv.encode("utf-8"))
                for variable, name in exported_breakdowns(data, indicator_id, lang, default):
                    text = downloads.breakdown_csv_text(data, indicator_id, variable, lang) or ""
                    write("data/" + name, ("\ufeff" + text).encode("utf-8"))
                svg = picture_svg(data, indicator_id, lang)
                write("img/" + data_file(indicator_id, lang, "svg", default), svg)
                write("img/" + png_file(indicator_id, lang, default), svg_to_png(svg))
            document = downloads.json_document(data, indicator_id)
            write(
                f"data/{indicator_id}.json",
                json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False),
            )
        for lang in languages:
            write(f"embed/{page_file(lang, default)}", index_html(data, lang, export_url=export_url))
        written += copy_assets(root / "embed" / "static")
    except OSError as exc:
        raise EmbedError(f"cannot write the export to {root}: {exc.strerror or exc}") from exc
    return ExportResult(root, len(data.catalog.indicators), tuple(written), data.snapshot.demo, languages)


def picture_svg(data: DashboardData, indicator_id: str, lang: Lang) -> str:
    """The indicator's chart as a standalone SVG file: XML prolog, the indicator's name as its
    ``<title>`` and the embed's text alternative as its ``<desc>``; demo data is marked on it."""
    definition = data.catalog.indicators[indicator_id]
    options = EmbedOptions(lang, chart_height=PICTURE_HEIGHT)
    frame = shown_frame(data, definition, peers=True)
    payload = figure_payload(data, definition, frame, options)
    title = t(
        "embed_title", lang, name=indicator_name(definition, lang), region=data.catalog.plan.region_name
    )
    regions = shown_regions(data, definition, frame)
    desc = alt_text(
        data.assessments[indicator_id],
        definition,
        frame,
        regions,
        lang,
        demo=figures.data_mark(data.snapshot) or False,
    )
    svg = figure_svg(
        payload,
        width=PICTURE_WIDTH,
        height=PICTURE_HEIGHT,
        title_id="title",
        desc_id="desc",
        title=title,
        desc=desc,
        empty_text=t("no_data", lang),
    )
    svg = svg.replace("<svg ", f'<svg xml:lang="{HTML_LANG[lang]}" ', 1)  # for screen readers
    return XML_PROLOG + svg + "\n"


def exported_breakdowns(
    data: DashboardData, indicator_id: str, lang: Lang, default: Lang
) -> list[tuple[str, str]]:
    """(variable, file name) of each breakdown of the indicator the export writes a CSV for."""
    out = []
    for breakdown in data.snapshot.breakdowns.get(indicator_id, ()):
        name = breakdown_file(indicator_id, breakdown.variable, lang, default)
        if name is not None:
            out.append((breakdown.variable, name))
    return out


def copy_assets(target: Path) -> list[Path]:
    """The embed's static files (a few kilobytes: the embed needs no plotly.js since points.js)."""
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(STATIC_DIR / name, target / name)) for name in STATIC_FILES]


def index_html(data: DashboardData, lang: Lang, *, export_url: str) -> str:
    """``embed/index.html``: every embed page with its iframe snippet, for web editors."""
    title = t("embed_index_title", lang)
    site = t("site_name", lang, plan=plan_name(data, lang))
    base = export_url.rstrip("/") + "/" if export_url else ""
    default = plan_languages(data)[1]
    items = []
    for indicator_id, definition in data.catalog.indicators.items():
        name = indicator_name(definition, lang)
        href = f"indikator/{indicator_id}/{page_file(lang, default)}"
        path = page_path(indicator_id, lang, default)
        src = f"{base}{path}" if base else f"…/{path}"
        frame_title = t("embed_title", lang, name=name, region=data.catalog.plan.region_name)
        snippet = (
            f'<iframe src="{src}" title="{frame_title}" width="100%" height="{SNIPPET_HEIGHT}" '
            'style="border:0" loading="lazy"></iframe>'
        )
        csv = "../data/" + data_file(indicator_id, lang, "csv", default)
        labels = {b.variable: b for b in data.snapshot.breakdowns.get(indicator_id, ())}
        by_breakdown: list = []
        for variable, file in exported_breakdowns(data, indicator_id, lang, default):
            label = labels[variable].label_in(lang)
            # SSB's (bokmål) label where the definition gives none in this language: marked so.
            attrs = {} if label is not None else text_attrs("no", lang)
            text = html.Span(label or labels[variable].label, **attrs)
            by_breakdown += [" · ", html.A(["CSV (", text, ")"], href=f"../data/{file}")]
        items.append(
            html.Li(
                [
                    html.A(name, href=href),
                    " · ",
                    html.A("CSV", href=csv),
                    *by_breakdown,
                    " · ",
                    html.A("JSON", href=f"../data/{indicator_id}.json"),
                    html.Pre(html.Code(snippet)),  # the snippet as text, for copying
                ]
            )
        )
    body = html.Main(
        [html.H1(title), html.P(t("embed_index_intro", lang)), html.Ul(items)], className="embed"
    )
    head = document.Head(lang, title, site=site, stylesheet="static/embed.css")
    return document.html_document(head, body)


# --- command line ------------------------------------------------------------------------------


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    """``python -m dashboard export DIR``: load the cache (or the demo snapshot) and export it."""
    root = check_target(Path(args.dir))  # before the (slower) data load
    data = DataSource(settings).get()
    result = export_site(data, root, site_url=args.site_url or "", export_url=args.export_url or "")
    demo = " (DEMO DATA: no real cache yet; run `python -m indicators refresh` first)" if result.demo else ""
    print(
        f"exported {result.indicators} indicators in {len(result.languages)} languages: {len(result.files)} files "
        f"in {result.root}{demo}"
    )
    if not args.site_url:
        print(
            "note: links back to the dashboard are root-relative (/indikator/<id>); pass "
            "--site-url https://… when the export is served from another host",
            file=sys.stderr,
        )
    return 0


def precompress_command(args: argparse.Namespace, settings: Settings) -> int:
    """``python -m dashboard precompress``: remake the bundle's brotli copy after a plotly.js upgrade."""
    import brotli  # flask-compress's dependency; only this maintenance command needs it directly

    bundle = plotly_bundle()
    target = brotli_file(bundle)
    for stale in STATIC_DIR.glob("plotly-basic-*.br"):
        if stale != target:
            stale.unlink()
    target.write_bytes(brotli.compress(bundle.read_bytes(), quality=11))
    print(f"wrote {target} ({target.stat().st_size} bytes from {bundle.stat().st_size})")
    return 0
