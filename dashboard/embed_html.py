"""The embed page's HTML: one indicator as a light, self-contained page made for an ``<iframe>``.

Plain functions from the dashboard's data to an HTML string, shared by the live route
(:mod:`dashboard.embed`) and the static export (:mod:`dashboard.export`); they differ only in
the addresses they pass in (:class:`EmbedLinks`). The page needs no inline script or style (the
security headers allow neither). The chart is drawn on the server as SVG
(:mod:`dashboard.static_chart`), so it is on screen at first paint and without JavaScript;
the figure also travels as a JSON data block, from which ``embed.js`` lets plotly.js (loaded
after the page) take over for hover and zoom, in a box of the same size. Everything a reader
needs is text first — status in words with its icon, the explanation, the latest figures, a
table — so the chart is never the only way in.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from dashboard import figures, static_chart, urls
from dashboard.components import indicator_name, local_date, plan_name
from dashboard.i18n import HTML_LANG, Lang, t
from indicators.assessment.explain import STATUS_ICON, STATUS_TEXT, explain
from indicators.formatting import format_value, unit_text

if TYPE_CHECKING:
    from dashboard.data import DashboardData
    from indicators.assessment.progress import Assessment
    from indicators.plan.model import Definition

DEFAULT_CHART_HEIGHT = figures.FULL_HEIGHT  # as on the indicator page
MIN_CHART_HEIGHT = 160
MAX_CHART_HEIGHT = 1200
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
OG_LOCALE: dict[Lang, str] = {"no": "nb_NO", "en": "en_GB"}

# JSON inside <script> must not close the element or open a comment; U+2028/2029 are escaped
# because older JavaScript parsers read them as line breaks.
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True)
class EmbedOptions:
    """What the reader (or the host page's address) asked for."""

    lang: Lang = "no"
    peers: bool = True
    chart_height: int = DEFAULT_CHART_HEIGHT


@dataclass(frozen=True)
class EmbedLinks:
    """Where the page points: assets, the indicator page, downloads, its own address.

    ``static`` ends with ``/`` and holds ``embed.js``, ``embed.css`` and the plotly bundle;
    ``versions`` maps an asset's file name to a cache-busting token. ``page_url`` and
    ``canonical_url`` are absolute or empty (then the Open Graph ``og:url`` is left out).
    """

    static: str
    plotly_file: str
    back: str
    csv: str
    json: str
    page_url: str = ""
    canonical_url: str = ""
    versions: tuple[tuple[str, str], ...] = ()
    static_export: bool = False

    def asset(self, name: str) -> str:
        version = dict(self.versions).get(name)
        return f"{self.static}{name}" + (f"?v={version}" if version else "")


def clamp_height(value: object) -> int:
    """A ``?height=`` value as a chart height in pixels; anything unreadable gives the default."""
    try:
        height = int(str(value).strip())
    except ValueError:
        return DEFAULT_CHART_HEIGHT
    return max(MIN_CHART_HEIGHT, min(MAX_CHART_HEIGHT, height))


def safe_json(value: Any) -> str:
    """JSON that can sit inside ``<script type="application/json">`` whatever the strings hold."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, allow_nan=False)
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


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
    demo: bool,
) -> str:
    """The chart's text alternative: status, the explanation sentence and the latest figures."""
    parts = [t("demo_mark", lang) + "."] if demo else []
    parts.append(t("embed_alt_status", lang, status=STATUS_TEXT[assessment.status][lang]))
    parts.append(explain(assessment, definition, lang))
    latest = latest_values(frame, regions, definition, lang)
    if latest:
        values = ", ".join(f"{name} {value} ({year})" for name, value, year in latest)
        parts.append(t("embed_alt_latest", lang, values=values))
    return " ".join(parts)


def status_html(status: str, lang: Lang) -> str:
    """The status as icon and words (the same classes as the dashboard's badge)."""
    return (
        f'<span class="status status--{escape(status)}">'
        f'<span class="status__icon" aria-hidden="true">{STATUS_ICON[status]}</span> '
        f'<span class="status__text">{escape(STATUS_TEXT[status][lang])}</span></span>'
    )


def table_html(frame: pd.DataFrame, regions: list[str], definition: Definition, lang: Lang) -> str:
    """The chart's figures as an HTML table: a row per year, a column per region."""
    names = region_names(frame, regions)
    cells: dict[tuple[str, int], tuple[Any, Any]] = {
        (str(row.region), int(row.year)): (row.value, row.status) for row in frame.itertuples(index=False)
    }
    years = sorted({int(y) for y in frame["year"]})
    caption = t(
        "table_caption", lang, name=indicator_name(definition, lang), unit=unit_text(definition, lang)
    )
    head = f'<th scope="col">{escape(t("col_year", lang))}</th>' + "".join(
        f'<th scope="col">{escape(names[r])}</th>' for r in regions
    )
    rows = []
    for year in years:
        tds = "".join(
            f'<td class="num">{escape(_cell(*cells.get((r, year), (math.nan, None)), definition, lang))}</td>'
            for r in regions
        )
        rows.append(f'<tr><th scope="row">{year}</th>{tds}</tr>')
    # A wide table scrolls inside its own box (focusable, so keyboard users can scroll it too)
    # instead of making the whole embed scroll sideways.
    return (
        f'<div class="table-scroll" tabindex="0" role="region" aria-label="{escape(caption)}">'
        f'<table class="data-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _cell(value: Any, status: Any, definition: Definition, lang: Lang) -> str:
    if value is not None and not pd.isna(value):
        return format_value(float(value), definition, lang)
    symbol = f" ({status})" if isinstance(status, str) and status else ""
    return t("missing_value", lang) + symbol


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
    if data.snapshot.demo:
        layout = figures.with_demo_mark(layout, options.lang)
    regions = shown_regions(data, definition, frame)
    names = region_names(frame, regions)
    peer_names = [
        t("trace_peer", options.lang, region=names[r]) for r in regions if r != data.catalog.plan.region
    ]
    return {
        "data": list(spec["data"]),
        "layout": layout,
        "config": dict(figures.GRAPH_CONFIG),
        "peers": peer_names,
    }


def chart_svgs(payload: dict[str, Any], height: int, lang: Lang) -> str:
    """The chart as server-drawn SVG, one variant per width in :data:`SVG_VARIANTS`."""
    widths = [width for width, _shown_from in SVG_VARIANTS]
    return static_chart.svg_variants(
        payload, widths, height=height, css_class="embed__svg", empty_text=t("no_data", lang)
    )


# --- the page --------------------------------------------------------------------------------


def render_embed(data: DashboardData, indicator_id: str, options: EmbedOptions, links: EmbedLinks) -> str:
    """The whole embed page for one indicator (which must exist in the catalogue)."""
    lang = options.lang
    definition = data.catalog.indicators[indicator_id]
    assessment = data.assessments[indicator_id]
    snapshot = data.snapshot
    name = indicator_name(definition, lang)
    site = t("site_name", lang, plan=plan_name(data, lang))
    region = data.catalog.plan.region_name
    title = t("embed_title", lang, name=name, region=region)
    explanation = explain(assessment, definition, lang)
    frame = shown_frame(data, definition, options.peers)
    regions = shown_regions(data, definition, frame)
    payload = figure_payload(data, definition, frame, options)
    shows = t("chart_shows", lang, items="; ".join(figures.legend_text(payload)))
    alt = alt_text(assessment, definition, frame, regions, lang, demo=snapshot.demo)
    table = table_html(frame, regions, definition, lang)

    notices = []
    if snapshot.demo:
        notices.append(f'<p class="embed__notice embed__notice--demo">{escape(t("embed_demo", lang))}</p>')
    if snapshot.is_stale() and not snapshot.demo:  # demo figures are not real, let alone recent
        stale = t("banner_stale", lang, date=local_date(snapshot.data_as_of, lang))
        notices.append(f'<p class="embed__notice">{escape(stale)}</p>')
    latest = ""
    if assessment.current_value is not None and assessment.current_year is not None:
        value = format_value(assessment.current_value, definition, lang)
        latest = " " + escape(t("latest_value", lang, value=value, year=assessment.current_year))

    body = f"""<main class="embed">
{"".join(notices)}<h1 class="embed__name">{escape(name)}</h1>
<p class="embed__status">{status_html(assessment.status, lang)}<span class="embed__latest">{latest}</span></p>
<p class="embed__explanation">{escape(explanation)}</p>
<figure class="embed__figure">
<div id="{CHART_ID}" class="embed__chart" role="img" aria-label="{escape(alt)}" aria-describedby="{CAPTION_ID}" data-height="{options.chart_height}" data-plotly="{escape(links.asset(links.plotly_file))}">{chart_svgs(payload, options.chart_height, lang)}</div>
<figcaption id="{CAPTION_ID}" class="visually-hidden">{escape(shows)}</figcaption>
</figure>
<noscript>{table}</noscript>
<details id="{TABLE_ID}" class="embed__table"><summary>{escape(t("table_summary", lang))}</summary>{table}</details>
<footer class="embed__footer">
<p>{_sources(data, definition, lang)} · {escape(t("data_date", lang, date=local_date(snapshot.data_as_of, lang)))}</p>
<p><a href="{escape(links.back)}" target="_top">{escape(t("embed_back", lang, site=site))}</a>
· {escape(t("embed_downloads", lang))} <a href="{escape(links.csv)}" target="_top">CSV</a>, <a href="{escape(links.json)}" target="_top">JSON</a></p>
</footer>
</main>
<script type="application/json" id="{FIGURE_ID}">{safe_json(payload)}</script>"""
    return _document(lang, title, site, explanation, links, body, demo=snapshot.demo)


def _sources(data: DashboardData, definition: Definition, lang: Lang) -> str:
    """``Kilde: SSB, tabell 07849`` with the table number linked to SSB's statbank."""
    parts = []
    if definition.tables:
        tables = ", ".join(
            f'<a href="{escape(urls.statbank(table))}" target="_top">{escape(table)}</a>'
            for table in definition.tables
        )
        parts.append(f"{escape(t('embed_source', lang))} {tables}")
    for series in definition.csv_series().values():
        parts.append(escape(t("embed_source_other", lang, source=series.csv)))
    return " · ".join(parts)


def _document(
    lang: Lang, title: str, site: str, description: str, links: EmbedLinks, body: str, *, demo: bool
) -> str:
    full_title = t("page_title", lang, page=title, site=site)
    og_title = f"{t('demo_mark', lang)}: {title}" if demo else title
    meta = [
        f'<meta name="description" content="{escape(description)}">',
        '<meta property="og:type" content="website">',
        f'<meta property="og:title" content="{escape(og_title)}">',
        f'<meta property="og:description" content="{escape(description)}">',
        f'<meta property="og:site_name" content="{escape(site)}">',
        f'<meta property="og:locale" content="{OG_LOCALE[lang]}">',
        '<meta name="twitter:card" content="summary">',
        f'<meta name="twitter:title" content="{escape(og_title)}">',
        f'<meta name="twitter:description" content="{escape(description)}">',
    ]
    if links.page_url:
        meta.append(f'<meta property="og:url" content="{escape(links.page_url)}">')
    if links.canonical_url:
        meta.append(f'<link rel="canonical" href="{escape(links.canonical_url)}">')
    static_flag = ' data-static-export="1"' if links.static_export else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{HTML_LANG[lang]}"{static_flag}>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'  # no favicon request (a 404 in the console)
        f"<title>{escape(full_title)}</title>\n"
        + "\n".join(meta)
        + f'\n<link rel="stylesheet" href="{escape(links.asset("embed.css"))}">\n'
        f'<script src="{escape(links.asset("embed.js"))}" defer></script>\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
