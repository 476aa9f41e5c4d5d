"""The embed page: one indicator as a light, self-contained page made for an ``<iframe>``.

:func:`layout` builds the page as a Dash component tree from :mod:`dashboard.components` (the
dashboard's status badge and data table), and :func:`render_embed` writes it as HTML with
:mod:`dashboard.prerender` in the document of :mod:`dashboard.document` — the same writer and
document as every other page. Shared by the live route (:mod:`dashboard.embed`) and the static
export (:mod:`dashboard.export`); they differ only in the addresses they pass in
(:class:`EmbedLinks`). The page needs no inline script or style (the security headers allow
neither). The chart is drawn on the server as SVG
(:mod:`dashboard.static_chart`), so it is on screen at first paint and without JavaScript;
``points.js`` gives that SVG hover values and keyboard access to its points (no plotly.js);
the figure also travels as a JSON data block (for a static host's ``?peers=0``). Everything a reader
needs is text first — status in words with its icon, the explanation, the latest figures, a
table — so the chart is never the only way in.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from dash import html
from markupsafe import Markup

from dashboard import chart_model, document, figures, static_chart
from dashboard import components as c
from dashboard.aria import aria
from dashboard.i18n import Lang, t
from indicators import sources
from indicators.assessment.explain import STATUS_TEXT, explain
from indicators.formatting import format_value

if TYPE_CHECKING:
    from dashboard.data import DashboardData
    from indicators.assessment.progress import Assessment
    from indicators.plan.model import Definition

DEFAULT_CHART_HEIGHT = figures.FULL_HEIGHT  # as on the indicator page
# ``?height=N``: the whole embed's height in CSS px (the iframe's), honoured exactly within
# these bounds; anything else is a 400 (below 240 px not even the title and the link back fit).
MIN_HEIGHT = 240
MAX_HEIGHT = 2000
# Ids the page's script (assets/embed/embed.js) looks for.
CHART_ID = "embed-chart"
FIGURE_ID = "embed-figure"
TABLE_ID = "embed-table"
CAPTION_ID = "embed-chart-caption"
# The server's SVG chart is drawn for a few widths; embed.css shows the one for the box's width
# (the iframe's width less the page's padding) and scales it to fit: (drawn for, shown from) in
# CSS px of box width. Each is drawn a little wider than where it starts, so text stays within
# about 15 % of its size (13 px) between one breakpoint and the next. Keep embed.css in step.
SVG_VARIANTS: tuple[tuple[int, int], ...] = ((320, 0), (420, 370), (560, 490), (740, 650), (960, 850))
# ... and for a few heights, so that the chart fits a short frame and its text stays readable:
# (chart drawn this tall, for frames up to this tall; None: any taller). embed.css picks the band
# by the frame's height (media queries); with ``?height=N`` the server draws only N's band. The
# tallest band is the asked-for chart height. Keep embed.css in step.
CHART_BANDS: tuple[tuple[int, int | None], ...] = ((0, None), (250, 540), (170, 420), (120, 330))


def band_for(height: int) -> int:
    """The drawn chart height of the band a frame of ``height`` px belongs to (0: the tallest)."""
    chosen = 0
    for drawn, up_to in CHART_BANDS:
        if up_to is not None and height <= up_to:
            chosen = drawn
    return chosen


@dataclass(frozen=True)
class EmbedOptions:
    """What the reader (or the host page's address) asked for."""

    lang: Lang = "no"
    peers: bool = True
    chart_height: int = DEFAULT_CHART_HEIGHT  # the chart's natural height (plotly.js, pictures)
    height: int | None = None  # ``?height=N``: the whole page's height; None fills the frame


@dataclass(frozen=True)
class EmbedLinks:
    """Where the page points: assets, the indicator page, downloads, its own address.

    ``static`` ends with ``/`` and holds ``embed.js``, ``points.js`` and ``embed.css``;
    ``versions`` maps an asset's file name to a cache-busting token. ``page_url`` and
    ``canonical_url`` are absolute or empty (then the Open Graph ``og:url`` is left out).
    """

    static: str
    back: str
    csv: str
    json: str
    page_url: str = ""
    canonical_url: str = ""
    image_url: str = ""  # absolute address of the chart's PNG (og:image), or empty
    versions: tuple[tuple[str, str], ...] = ()
    static_export: bool = False
    export_langs: tuple[str, ...] = ()  # static export: the languages with their own index.<lang>.html

    def asset(self, name: str) -> str:
        version = dict(self.versions).get(name)
        return f"{self.static}{name}" + (f"?v={version}" if version else "")


class BadHeight(ValueError):
    """A ``?height=`` that is not a whole number of pixels within the bounds."""


def parse_height(value: str | None) -> int | None:
    """A ``?height=`` value as the page's height in px (None when not given); BadHeight otherwise."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 5 or not MIN_HEIGHT <= int(text) <= MAX_HEIGHT:
        raise BadHeight(
            f"height must be the frame's height in CSS pixels, a whole number from {MIN_HEIGHT} to {MAX_HEIGHT}"
        )
    return int(text)


# --- what the page says ----------------------------------------------------------------------


def shown_frame(data: DashboardData, definition: Definition, peers: bool) -> pd.DataFrame:
    """The series the page shows: the home region, plus the peers unless ``peers`` is off."""
    frame = data.frame(definition.id)
    if peers:
        return frame
    return frame[frame["region"] == data.catalog.plan.region]


def shown_regions(data: DashboardData, definition: Definition, frame: pd.DataFrame) -> list[str]:
    """Region codes in the order the page lists them: home first, then the peers that have rows."""
    catalog = data.catalog
    order = [catalog.plan.region, *[p for p in catalog.peers_for(definition) if p != catalog.plan.region]]
    present = set(frame["region"].astype(str))
    return [region for region in order if region in present]


def region_names(frame: pd.DataFrame, regions: list[str]) -> dict[str, str]:
    names = {}
    for region in regions:
        found = frame.loc[frame["region"] == region, "region_name"].dropna()
        names[region] = str(found.iloc[0]) if len(found) else region
    return names


def latest_values(
    frame: pd.DataFrame, regions: list[str], definition: Definition, lang: Lang
) -> list[tuple[str, str, int]]:
    """Each region's latest figure as (region name, formatted value, year); regions without one are left out."""
    names = region_names(frame, regions)
    out = []
    for region in regions:
        rows = frame[(frame["region"] == region) & frame["value"].notna()].sort_values("year")
        if rows.empty:
            continue
        last = rows.iloc[-1]
        out.append((names[region], format_value(float(last["value"]), definition, lang), int(last["year"])))
    return out


def alt_text(
    assessment: Assessment,
    definition: Definition,
    frame: pd.DataFrame,
    regions: list[str],
    lang: Lang,
    *,
    demo: bool | str,
) -> str:
    """The chart's text alternative: status, the explanation sentence and the latest figures.

    ``demo``: True (or the i18n key of a mark, e.g. "test_mark") when the figures are not real."""
    key = demo if isinstance(demo, str) else "demo_mark" if demo else None
    parts = [t(key, lang) + "."] if key else []
    parts.append(t("embed_alt_status", lang, status=STATUS_TEXT[assessment.status][lang]))
    parts.append(explain(assessment, definition, lang))
    latest = latest_values(frame, regions, definition, lang)
    if latest:
        values = ", ".join(f"{name} {value} ({year})" for name, value, year in latest)
        parts.append(t("embed_alt_latest", lang, values=values))
    return " ".join(parts)


# --- the chart -------------------------------------------------------------------------------


def figure_payload(
    data: DashboardData, definition: Definition, frame: pd.DataFrame, options: EmbedOptions
) -> dict[str, Any]:
    """The figure as plotly.js wants it, plus the names of the peer lines (for ``?peers=0``
    in the static export, where no server can drop them)."""
    assessment = data.assessments[definition.id]
    spec = figures.indicator_figure(frame, definition, assessment, data.catalog, options.lang)
    height = options.chart_height
    layout = {**spec["layout"], "height": height}
    legend = layout.get("legend")
    if isinstance(legend, dict) and isinstance(legend.get("y"), int | float) and height < figures.FULL_HEIGHT:
        # The legend sits below the plot at a fraction of the height: in a shorter chart, move
        # it down so that it keeps clear of the x-axis title.
        layout["legend"] = {**legend, "y": legend["y"] * figures.FULL_HEIGHT / height}
    mark = figures.data_mark(data.snapshot)
    if mark:
        layout = figures.with_demo_mark(layout, options.lang, mark)
    regions = shown_regions(data, definition, frame)
    names = region_names(frame, regions)
    peer_names = [
        t("trace_peer", options.lang, region=names[r]) for r in regions if r != data.catalog.plan.region
    ]
    return {
        "data": list(spec["data"]),
        "layout": layout,
        "peers": peer_names,
    }


def chart_svgs(payload: dict[str, Any], options: EmbedOptions) -> str:
    """The chart as server-drawn SVG: per band of :data:`CHART_BANDS` (only ``?height``'s band
    when given), one variant per width in :data:`SVG_VARIANTS`."""
    widths = [width for width, _shown_from in SVG_VARIANTS]
    bands = [drawn for drawn, _up_to in CHART_BANDS]
    if options.height is not None:
        bands = [band_for(options.height)]
    quiet = {**payload, "layout": {**payload["layout"], "showlegend": False}}
    out = []
    for drawn in bands:
        svgs = []
        for width in widths:
            # A short chart has no room for a legend: its rows took most of a 250 px chart and
            # plotly.js, which cannot shrink them, gave the legend its own scrollbar. The lines
            # are named in the table view (and, as always, the figure's caption).
            legend = not drawn
            figure = payload if legend else quiet
            if drawn:
                figure = _without_long_axis_title(figure, drawn)
            svgs.append(
                static_chart.svg_variants(
                    figure,
                    [width],
                    height=drawn or options.chart_height,
                    css_class="embed__svg",
                    empty_text=t("no_data", options.lang),
                )
            )
        out.append(f'<div class="embed__band embed__band--{drawn or "full"}">{"".join(svgs)}</div>')
    return "".join(out)


def _without_long_axis_title(figure: dict[str, Any], height: int) -> dict[str, Any]:
    """``figure`` without its y-axis title when the title is longer than a short chart is tall
    (it would run past the plot); the unit is in the status line above the chart."""
    yaxis = figure["layout"].get("yaxis") or {}
    title = yaxis.get("title")
    text = str(title.get("text", "") if isinstance(title, dict) else title or "")
    if chart_model.text_width(text, 12) <= height * 0.3:  # the legend takes part of the height
        return figure
    return {**figure, "layout": {**figure["layout"], "yaxis": {**yaxis, "title": {"text": ""}}}}


# --- the page --------------------------------------------------------------------------------


def render_embed(data: DashboardData, indicator_id: str, options: EmbedOptions, links: EmbedLinks) -> str:
    """The whole embed page for one indicator (which must exist in the catalogue), as HTML."""
    lang = options.lang
    definition = data.catalog.indicators[indicator_id]
    title = headline(data, definition, lang)
    explanation = explain(data.assessments[indicator_id], definition, lang)
    marks: tuple[tuple[str, str], ...] = (("static-export", "1"),) if links.static_export else ()
    if links.export_langs:  # embed.js follows ?lang= to index.<lang>.html
        marks += (("export-langs", " ".join(links.export_langs)),)
    if options.height is not None:
        marks += (("height", str(options.height)),)  # embed.js makes the page exactly this tall
    head = document.Head(
        lang,
        title,
        site=t("site_name", lang, plan=c.plan_name(data, lang)),
        description=explanation,
        preview_title=f"{t(mark, lang)}: {title}" if (mark := figures.data_mark(data.snapshot)) else title,
        page_url=links.page_url,
        canonical_url=links.canonical_url,
        image_url=links.image_url,
        stylesheet=links.asset("embed.css"),
        scripts=[links.asset("embed.js"), links.asset("points.js")],
        marks=marks,
    )
    return document.html_document(head, layout(data, indicator_id, options, links))


def headline(data: DashboardData, definition: Definition, lang: Lang) -> str:
    """``Trondheim: Elbiler, andel av personbilparken, 2024``: the plan's region, the indicator
    and the latest year with data for the region (without one, no year)."""
    region = data.catalog.plan.region_name
    name = c.indicator_name(definition, lang)
    year = data.assessments[definition.id].current_year
    if year is None:
        return t("embed_headline_no_year", lang, region=region, name=name)
    return t("embed_headline", lang, region=region, name=name, year=year)


def layout(data: DashboardData, indicator_id: str, options: EmbedOptions, links: EmbedLinks) -> list[Any]:
    """The embed page's body: name, status, explanation, chart, table, sources, links; then
    the figure as a JSON data block for ``embed.js``."""
    lang = options.lang
    definition = data.catalog.indicators[indicator_id]
    assessment = data.assessments[indicator_id]
    snapshot = data.snapshot
    site = t("site_name", lang, plan=c.plan_name(data, lang))
    frame = shown_frame(data, definition, options.peers)
    regions = shown_regions(data, definition, frame)
    payload = figure_payload(data, definition, frame, options)
    # The same sentence as the indicator page's caption: what the lines tell, not their names.
    shows = figures.chart_sentence(frame, definition, assessment, data.catalog, lang)
    alt = alt_text(assessment, definition, frame, regions, lang, demo=figures.data_mark(snapshot) or False)

    def table() -> list[Any]:  # twice: for readers without JavaScript, and on demand
        rows = c.data_table(data, definition, lang, home_only=not options.peers, rows=frame)
        out: list[Any] = [c.scrolling_table(rows, c.table_caption(definition, lang))]
        targets = c.targets_table(definition, assessment, lang)
        if targets is not None:
            out.append(
                c.scrolling_table(
                    targets, t("targets_caption", lang, name=c.indicator_name(definition, lang))
                )
            )
        return out

    notices: list[Any] = []
    if snapshot.demo:
        notices.append(html.P(t("embed_demo", lang), className="embed__notice embed__notice--demo"))
    elif snapshot.test_data:  # a local stub's figures never pass for SSB's (DESIGN §6)
        notices.append(html.P(t("embed_test_data", lang), className="embed__notice embed__notice--demo"))
    if snapshot.is_stale() and not snapshot.demo:  # demo figures are not real, let alone recent
        stale = t("banner_stale", lang, date=c.local_date(snapshot.data_as_of, lang))
        notices.append(html.P(stale, className="embed__notice"))
    latest = ""
    if assessment.current_value is not None and assessment.current_year is not None:
        value = format_value(assessment.current_value, definition, lang)
        latest = " " + t("latest_value", lang, value=value, year=assessment.current_year)
    # data- attributes: the chart height; points.js gives the marked chart hover and keys.
    data_attributes: dict[str, Any] = {
        "data-height": str(options.chart_height),
        "data-chart-points": "",
    }
    chart = html.Div(
        Markup(chart_svgs(payload, options)),
        id=CHART_ID,
        className="embed__chart",
        role="img",
        **aria(label=alt, describedby=CAPTION_ID),
        **data_attributes,
    )
    downloads: list[Any] = [
        f"{t('embed_downloads', lang)} ",
        html.A("CSV", href=links.csv, target="_top"),
        ", ",
        html.A("JSON", href=links.json, target="_top"),
    ]
    footer = html.Footer(
        [
            html.P(
                [
                    *_sources(definition, lang),
                    html.Span(
                        [" · ", t("data_date", lang, date=c.local_date(snapshot.data_as_of, lang))],
                        className="embed__date",
                    ),
                ],
                className="embed__source",
            ),
            html.P(
                [
                    html.A(t("embed_back", lang, site=site), href=links.back, target="_top"),
                    html.Span([" · ", *downloads], className="embed__downloads"),
                ],
                className="embed__back",
            ),
        ],
        className="embed__footer",
    )
    # In a short frame the sentence is cut to one line and the downloads leave the footer:
    # the table view has them in full (shown there only then, embed.css).
    more = html.Div(
        [
            html.P(explain(assessment, definition, lang)),
            html.P(shows),
            html.P(downloads),
        ],
        className="embed__more",
    )
    main = html.Main(
        [
            *notices,
            html.H1(headline(data, definition, lang), className="embed__name"),
            html.P(
                [
                    c.status_badge(assessment.status, lang),
                    html.Span(
                        [latest, *_target_brief(definition, assessment, lang)], className="embed__latest"
                    ),
                ],
                className="embed__status",
            ),
            html.P(
                explain(assessment, definition, lang),
                className="embed__explanation",
            ),
            html.Figure(
                [chart, html.Figcaption(shows, id=CAPTION_ID, className="visually-hidden")],
                className="embed__figure",
            ),
            html.Noscript(table()),
            html.Details(
                [html.Summary(t("table_summary", lang)), more, *table()],
                id=TABLE_ID,
                className="embed__table",
            ),
            footer,
        ],
        className="embed",
    )
    figure_json = json.dumps(payload, ensure_ascii=False, allow_nan=False)
    return [main, html.Script(figure_json, type="application/json", id=FIGURE_ID)]


def _target_brief(definition: Definition, a: Assessment, lang: Lang) -> list[Any]:
    """``. Mål: 290 000 i 2030`` after the latest value: short enough to fit one line (the unit is
    in the latest value before it and on the chart's axis; the page has the target in full), and
    in the same span, so that on a phone it wraps as a sentence does."""
    if a.target_value is None or not math.isfinite(a.target_value) or a.method != "target":
        return []
    value = figures.short_value(a.target_value, definition, lang)
    brief = t("embed_target", lang, value=value, year=a.target_year)
    lead = ". " if a.current_value is not None else " "
    return [lead, html.Span(brief, className="embed__target")]


def _sources(definition: Definition, lang: Lang) -> list[Any]:
    """``Kilde: SSB, tabell 07849 (CC BY 4.0)`` with the table linked to SSB's statbank and the
    licence to its text; other publishers by name, with their licence when the definition gives one."""
    credits = sources.attributions(definition)
    parts: list[list[Any]] = []
    tables = [a for a in credits if a.table is not None]
    if tables:
        line: list[Any] = [t("embed_source", lang), " "]
        for i, credit in enumerate(tables):
            line += [", "] if i else []
            line.append(html.A(credit.table, href=credit.url, target="_top"))
        licence = tables[0]
        if licence.licence:  # SSB's figures are CC BY 4.0: the licence asks to be named
            name: Any = licence.licence
            if licence.licence_url:
                name = html.A(licence.licence, href=licence.licence_url, target="_top")
            line += [" (", name, ")"]
        parts.append(line)
    for credit in credits:
        if credit.table is None:
            # Another publisher's figures are credited to that publisher, never to SSB.
            name = credit.publisher_in(lang) or t("source_publisher_unknown", lang)
            line = [t("embed_source_other", lang, source=name)]
            if credit.url:
                line = [
                    t("embed_source_other", lang, source=""),
                    html.A(name, href=credit.url, target="_top"),
                ]
            if credit.licence:
                line.append(" (" + credit.licence + ")")
            parts.append(line)
    out: list[Any] = []
    for i, part in enumerate(parts):
        out += [" · "] if i else []
        out += part
    return out
