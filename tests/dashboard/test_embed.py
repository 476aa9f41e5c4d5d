"""The embed page ``/embed/indikator/<id>`` over HTTP (Flask test client) and as rendered HTML.

What a reader, a web editor and a host page rely on: the text (status, explanation, source,
date, link back), the parameters, the DEMO marker, the text alternative for every status, safe
inline data, the headers, the assets and the 404.
"""

from __future__ import annotations

import dataclasses
import gzip
import html
import json
import re
from html.parser import HTMLParser

import brotli
import numpy as np
import pytest

from dashboard import embed, embed_html, prerender
from dashboard.data import build_data
from dashboard.embed_html import EmbedLinks, EmbedOptions, render_embed
from dashboard.pages.indicator import embed_code, embed_code_fixed
from indicators.assessment.explain import STATUS_ICON, STATUS_TEXT, explain
from tests.dashboard.conftest import ELBIL, ELBIL_YEARS, frame

BUNDLE = embed.plotly_bundle().name


class Page(HTMLParser):
    """The parts of an embed page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script, self._script_text = attributes, []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def first(self, tag: str, **wanted: str) -> dict[str, str]:
        for name, attrs in self.elements:
            if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items()):
                return attrs
        raise AssertionError(f"no <{tag}> with {wanted}")

    def meta(self, key: str) -> str:
        for name, attrs in self.elements:
            if name == "meta" and key in (attrs.get("property"), attrs.get("name")):
                return attrs["content"]
        raise AssertionError(f"no meta {key}")

    def figure(self) -> dict:
        for attrs, text in self.scripts:
            if attrs.get("id") == embed_html.FIGURE_ID:
                return json.loads(text)
        raise AssertionError("no figure data block")


def visible_text(page: str) -> str:
    """The page's text without tags, scripts and the table inside <noscript>, whitespace folded."""
    page = re.sub(r"<script.*?</script>|<noscript>.*?</noscript>", " ", page, flags=re.S)
    # Fold ASCII whitespace only: the non-breaking spaces of Norwegian numbers must stay.
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def get(client, path: str, **headers: str):
    return client.get(path, headers=headers)


# --- what the page says ------------------------------------------------------------------------


def test_embed_page_shows_name_status_explanation_source_date_and_link_back(client, data) -> None:
    response = get(client, "/embed/indikator/elbil")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    page = Page(body)
    text = visible_text(body)
    definition = data.catalog.indicators["elbil"]
    assessment = data.assessments["elbil"]
    assert page.first("html")["lang"] == "nb"
    assert "Elbiler, andel av personbilene" in text
    assert f"{STATUS_ICON[assessment.status]} {STATUS_TEXT[assessment.status]['no']}" in text
    assert explain(assessment, definition, "no") in text
    assert "Siste verdi: 41,7\u00a0% (2024)" in text
    assert "Kilde: SSB, tabell 07849" in text
    assert page.first("a", href="https://www.ssb.no/statbank/table/07849")
    assert "Data hentet 5. mars 2026" in text
    back = page.first("a", href="/indikator/elbil")
    assert back["target"] == "_top"
    assert page.first("a", href="/data/elbil.csv")
    assert page.first("a", href="/data/elbil.json")


def test_an_embed_of_another_publishers_figures_credits_that_publisher(client) -> None:
    body = get(client, "/embed/indikator/utslipp").get_data(as_text=True)
    text = visible_text(body)
    assert "Kilde: Miljødirektoratet (NLOD 2.0)" in text
    assert "SSB" not in text and "utslipp.csv" not in text
    link = Page(body).first("a", href="https://www.miljodirektoratet.no/tjenester/klimagassutslipp-kommuner/")
    assert link["target"] == "_top"


def test_english_embed_is_english_throughout(client, data) -> None:
    body = get(client, "/embed/indikator/elbil?lang=en").get_data(as_text=True)
    page = Page(body)
    text = visible_text(body)
    assert page.first("html")["lang"] == "en"
    assert "Electric cars, share of passenger cars" in text
    assert "On track" in text
    assert "Source: Statistics Norway (SSB), table 07849" in text
    assert "Data fetched 5 March 2026" in text
    assert page.first("a", href="/indikator/elbil?lang=en")["target"] == "_top"
    assert page.first("a", href="/data/elbil.csv?lang=en")
    assert "Trondheim: measured" in [trace["name"] for trace in page.figure()["data"]]
    assert page.figure()["layout"]["separators"] == ".,"


def test_the_chart_has_the_indicator_pages_lines(client, data) -> None:
    figure = Page(get(client, "/embed/indikator/elbil").get_data(as_text=True)).figure()
    names = [trace["name"] for trace in figure["data"]]
    assert names[:2] == ["Oslo (til sammenligning)", "Bergen (til sammenligning)"]
    assert {"Trondheim: målt", "Utgangspunkt 2020", "Mål for 2032", "Rett vei til målet"} <= set(names)
    home = next(trace for trace in figure["data"] if trace["name"] == "Trondheim: målt")
    assert home["x"] == ELBIL_YEARS
    assert home["y"] == pytest.approx(ELBIL["K-5001"])
    assert figure["layout"]["separators"] == ", "
    assert "config" not in figure  # plotly.js's graph config: no page loads plotly.js


def test_peers_0_leaves_out_the_comparison_regions_everywhere(client) -> None:
    with_peers = get(client, "/embed/indikator/elbil").get_data(as_text=True)
    without = get(client, "/embed/indikator/elbil?peers=0").get_data(as_text=True)
    assert "Oslo" in with_peers
    assert "Oslo" not in without and "Bergen" not in without
    names = [trace["name"] for trace in Page(without).figure()["data"]]
    assert "Trondheim: målt" in names
    assert all("Trondheim: målt" in svg and "Oslo" not in svg for svg in chart_svgs(without))


@pytest.mark.parametrize(("given", "band"), [("450", 250), ("240", 120), ("400", 170), ("2000", 380)])
def test_height_makes_the_page_that_tall_and_draws_only_the_chart_that_fits(
    client, given: str, band: int
) -> None:
    body = get(client, f"/embed/indikator/elbil?height={given}").get_data(as_text=True)
    page = Page(body)
    assert page.first("html")["data-height"] == given  # embed.js makes the page exactly this tall
    svgs = chart_svgs(body)
    assert len(svgs) == len(embed_html.SVG_VARIANTS)  # one band, every width
    assert {re.search(r'height="(\d+)"', svg).group(1) for svg in svgs} == {str(band)}


@pytest.mark.parametrize(
    "given", ["20", "239", "2001", "99999", "høy", "4e2", "-450", "450px", "0x1c2", "४५०", "9" * 400]
)
def test_a_bad_height_is_a_400_that_says_what_is_allowed(client, given: str) -> None:
    response = get(client, f"/embed/indikator/elbil?height={given}")
    assert response.status_code == 400
    assert "240 to 2000" in response.get_data(as_text=True)


def test_without_height_every_band_is_drawn_for_the_style_sheet_to_pick(client) -> None:
    body = get(client, "/embed/indikator/elbil").get_data(as_text=True)
    assert "data-height" not in Page(body).first("html")
    heights = [re.search(r'height="(\d+)"', svg).group(1) for svg in chart_svgs(body)]
    assert sorted(set(heights)) == ["120", "170", "250", "380"]
    css = (embed.STATIC_DIR / "embed.css").read_text(encoding="utf-8")
    for drawn, up_to in embed_html.CHART_BANDS[1:]:
        assert f"(max-height: {up_to}px)" in css and f".embed__band--{drawn} {{ display: block; }}" in css


def test_default_chart_is_as_tall_as_on_the_indicator_page(client) -> None:
    page = Page(get(client, "/embed/indikator/elbil").get_data(as_text=True))
    assert page.figure()["layout"]["height"] == 380


def test_demo_data_is_marked_in_the_text_on_the_chart_and_in_previews(app_factory) -> None:
    client = app_factory(demo=True).server.test_client()
    body = get(client, "/embed/indikator/elbil").get_data(as_text=True)
    page = Page(body)
    assert "Demodata: tallene er syntetiske eksempeltall" in visible_text(body)
    # the mark, next to the label at the end of the projection
    assert [a["text"] for a in page.figure()["layout"]["annotations"]] == ["100\u00a0% i 2032", "DEMODATA"]
    assert all(">DEMODATA</text>" in svg for svg in chart_svgs(body))  # on the chart without a script
    assert page.meta("og:title").startswith("DEMODATA:")
    assert page.first("div", id=embed_html.CHART_ID)["aria-label"].startswith("DEMODATA.")
    english = Page(get(client, "/embed/indikator/elbil?lang=en").get_data(as_text=True))
    assert [a["text"] for a in english.figure()["layout"]["annotations"]][-1] == "DEMO DATA"


def chart_svgs(body: str) -> list[str]:
    """The server-drawn chart's SVG variants inside the chart's box."""
    box = re.search(rf'<div id="{embed_html.CHART_ID}"[^>]*>(.*?)</div>\s*<figcaption', body, re.S).group(1)
    return re.findall(r"<svg .*?</svg>", box, re.S)


def full_band(body: str) -> list[str]:
    """The SVG variants of the tallest band (the asked-for chart height): legend and all."""
    return chart_svgs(body)[: len(embed_html.SVG_VARIANTS)]


def test_the_chart_is_drawn_on_the_server_for_each_width_with_every_line(client) -> None:
    body = get(client, "/embed/indikator/elbil").get_data(as_text=True)
    svgs = full_band(body)
    assert len(chart_svgs(body)) == len(embed_html.SVG_VARIANTS) * len(embed_html.CHART_BANDS)
    figure = Page(body).figure()
    for svg, (width, _) in zip(svgs, embed_html.SVG_VARIANTS, strict=True):
        assert f'width="{width}"' in svg.split(">")[0]
        for trace in figure["data"]:  # the legend says what each line is
            assert f">{html.escape(trace['name'], quote=False)}</text>" in svg
        assert "41,7 %" in svg  # the points' tooltips, in Norwegian style
        assert ">100</text>" in svg  # round y ticks, as many decimals as their step needs (none)
    # Hidden from screen readers: the box around them is the image, with the text alternative.
    assert body.count('class="embed__svg embed__svg--') == body.count(
        'aria-hidden="true">', body.index("embed__svg")
    )


def test_only_the_full_height_chart_has_a_legend(client) -> None:
    # In a short frame the legend's rows took most of the chart (and plotly.js gave it a
    # scrollbar of its own): short bands name the lines in the table view instead.
    body = get(client, "/embed/indikator/elbil").get_data(as_text=True)
    measured = f">{html.escape(Page(body).figure()['data'][0]['name'], quote=False)}</text>"
    svgs = chart_svgs(body)
    full = len(embed_html.SVG_VARIANTS)
    assert all(measured in svg for svg in svgs[:full])
    assert len(svgs) > full and not any(measured in svg for svg in svgs[full:])
    short = get(client, "/embed/indikator/elbil?height=450").get_data(as_text=True)
    assert chart_svgs(short) and not any(measured in svg for svg in chart_svgs(short))


def test_plotly_is_neither_loaded_nor_named_but_points_js_is(client) -> None:
    body = get(client, "/embed/indikator/elbil").get_data(as_text=True)
    page = Page(body)
    assert "plotly" not in body
    srcs = [attrs.get("src", "") for attrs, _ in page.scripts]
    points = [src for src in srcs if src.startswith("/embed/static/points.js?v=")]
    assert len(points) == 1
    script = get(client, points[0])
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert len(script.get_data()) < 8_000  # a few kilobytes, uncompressed
    assert "data-chart-points" in page.first("div", id=embed_html.CHART_ID)


def test_stylesheet_shows_one_svg_variant_per_width_range() -> None:
    css = (embed.STATIC_DIR / "embed.css").read_text(encoding="utf-8")
    widths = [width for width, _ in embed_html.SVG_VARIANTS]
    assert f".embed__svg--{widths[0]} {{ display: block; }}" in css
    for (previous, _), (width, shown_from) in zip(
        embed_html.SVG_VARIANTS, embed_html.SVG_VARIANTS[1:], strict=False
    ):
        viewport = shown_from + 24  # the page's padding: 0.75rem each side
        rule = (
            f"@media (min-width: {viewport}px) {{ .embed__svg--{previous} {{ display: none; }} "
            f".embed__svg--{width} {{ display: block; }} }}"
        )
        assert rule in css


def test_real_data_carries_no_demo_marker(client) -> None:
    body = get(client, "/embed/indikator/elbil").get_data(as_text=True)
    assert "DEMO" not in body and "Demodata" not in body


def test_stale_data_says_so(app_factory) -> None:
    body = get(app_factory(stale=True).server.test_client(), "/embed/indikator/elbil").get_data(as_text=True)
    assert "Dataene kan være utdaterte: de ble sist hentet 5. mars 2026." in visible_text(body)
    demo = get(app_factory(stale=True, demo=True).server.test_client(), "/embed/indikator/elbil")
    assert "utdaterte" not in demo.get_data(as_text=True)  # the demo notice says more already


def test_open_graph_and_twitter_tags_describe_the_indicator(client, data) -> None:
    page = Page(get(client, "/embed/indikator/elbil").get_data(as_text=True))
    sentence = explain(data.assessments["elbil"], data.catalog.indicators["elbil"], "no")
    assert page.meta("og:title") == "Trondheim: Elbiler, andel av personbilene, 2024"  # region and year
    assert page.meta("og:description") == sentence
    assert page.meta("twitter:card") == "summary"
    assert page.meta("twitter:description") == sentence
    # Addresses come from SITE_URL only, never the Host header (test_hostile_requests.py sets it):
    # without it, no og:url and no canonical link.
    assert not any(name == "meta" and attrs.get("property") == "og:url" for name, attrs in page.elements)
    assert not any(name == "link" and attrs.get("rel") == "canonical" for name, attrs in page.elements)


def test_an_indicator_without_data_still_gets_a_page_that_says_so(client) -> None:
    body = get(client, "/embed/indikator/deltakelse").get_data(as_text=True)
    text = visible_text(body)
    assert "Ikke nok data" in text
    assert "Det finnes ingen tall for denne indikatoren ennå." in text


# --- the text alternative ------------------------------------------------------------------------

# Trondheim's series for the fixture's "elbil" (target 60 % in 2032, base 2020) per status.
SERIES_BY_STATUS = {
    "target_achieved": {2020: 20.0, 2022: 45.0, 2024: 65.0},
    "substantial_progress": {2020: 20.0, 2022: 25.0, 2024: 41.7},
    "moderate_progress": {2020: 20.0, 2022: 23.5, 2024: 26.9},
    "limited_progress": {2020: 20.0, 2022: 21.2, 2024: 22.4},
    "deterioration": {2020: 20.0, 2022: 19.0, 2024: 18.0},
    "not_available": {2024: 30.0},
}


@pytest.mark.parametrize("lang", ["no", "en"])
@pytest.mark.parametrize("status", sorted(SERIES_BY_STATUS))
def test_alt_text_gives_status_explanation_and_latest_figures(snapshot, status: str, lang: str) -> None:
    series = SERIES_BY_STATUS[status]
    oslo = {year: value * 1.5 for year, value in series.items()}
    rows = frame({"K-5001": list(series.values()), "K-0301": list(oslo.values())}, list(series))
    data = build_data(dataclasses.replace(snapshot, series={**snapshot.series, "elbil": rows}))
    assessment = data.assessments["elbil"]
    assert assessment.status == status  # the series really gives this status
    body = render_embed(data, "elbil", EmbedOptions(lang), _links())
    chart = Page(body).first("div", id=embed_html.CHART_ID)
    label = chart["aria-label"]
    sentence = explain(assessment, data.catalog.indicators["elbil"], lang)
    last_year = max(series)
    home = f"{series[last_year]:.1f}".replace(".", "," if lang == "no" else ".")
    peer = f"{oslo[last_year]:.1f}".replace(".", "," if lang == "no" else ".")
    assert chart["role"] == "img"
    assert label.startswith(f"Status: {STATUS_TEXT[status][lang]}. {sentence}")
    latest = "Siste tall" if lang == "no" else "Latest figures"
    assert f"{latest}: Trondheim {home}" in label
    assert f"Oslo {peer}" in label and f"({last_year})" in label
    assert chart["aria-describedby"] == embed_html.CAPTION_ID
    caption = re.search(rf'<figcaption id="{embed_html.CAPTION_ID}"[^>]*>(.*?)</figcaption>', body, re.S)
    assert caption is not None and caption.group(1).startswith(
        "Grafen viser målingene" if lang == "no" else "The chart shows the measurements"
    )


def _links() -> EmbedLinks:
    return EmbedLinks(static="/s/", back="/indikator/elbil", csv="/c", json="/j")


# --- the table ---------------------------------------------------------------------------------


def test_noscript_and_on_demand_tables_hold_every_figure(client) -> None:
    body = get(client, "/embed/indikator/elbil").get_data(as_text=True)
    noscript = re.search(r"<noscript>(.*?)</noscript>", body, re.S).group(1)
    details = re.search(r'<details id="embed-table"[^>]*>(.*?)</details>', body, re.S).group(1)
    for block in (noscript, details):
        table, targets = re.findall(r"<table.*?</table>", block, re.S)  # the series, then the target
        cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", table)]
        assert len(cells) == len(ELBIL_YEARS) * 3  # a column per region
        assert cells[:3] == ["3,0\u00a0%", "6,0\u00a0%", "mangler (..)"]  # Bergen's 2015 is SSB's ".."
        assert '<th scope="row">2024</th>' in table
        assert '<th scope="row">2032 (sluttmål)</th>' in targets


def test_the_status_line_gives_the_target_briefly_and_the_tables_the_milestones(client) -> None:
    body = get(client, "/embed/indikator/utslipp").get_data(as_text=True)
    status = re.search(r'<p class="embed__status">(.*?)</p>', body, re.S).group(1)
    assert "(2022). Mål: 290\u00a0000 i 2030" in visible_text(status)
    details = re.search(r'<details id="embed-table"[^>]*>(.*?)</details>', body, re.S).group(1)
    targets = re.findall(r"<table.*?</table>", details, re.S)[1]
    assert "<caption>Klimagassutslipp: mål og etappemål</caption>" in targets
    assert [html.unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', targets)] == [
        "År",
        "Mål",
        "Endring fra 2020",
        "Status",
    ]
    assert re.findall(r'<th scope="row">(.*?)</th>', targets) == ["2021", "2022", "2025", "2030 (sluttmål)"]
    assert "ikke nådd" in targets
    english = get(client, "/embed/indikator/utslipp?lang=en").get_data(as_text=True)
    assert "(2022). Target: 290,000 by 2030" in visible_text(english)
    # no target, no target in the status line
    assert "Mål:" not in visible_text(get(client, "/embed/indikator/befolkning").get_data(as_text=True))


# --- safety ------------------------------------------------------------------------------------


def test_hostile_text_in_the_data_cannot_break_out_of_the_page(snapshot) -> None:
    evil = '</script><script>alert("x")</script><!--'
    rows = frame(ELBIL, ELBIL_YEARS).assign(
        region_name=lambda f: np.where(f["region"] == "K-0301", evil, "Trondheim")
    )
    data = build_data(dataclasses.replace(snapshot, series={**snapshot.series, "elbil": rows}))
    body = render_embed(data, "elbil", EmbedOptions("no"), _links())
    page = Page(body)
    assert [attrs.get("src", attrs.get("type")) for attrs, _ in page.scripts] == [
        "/s/embed.js",
        "/s/points.js",
        "application/json",
    ]
    assert "<script>alert" not in body
    svgs = chart_svgs(body)
    assert svgs and all(html.escape(evil, quote=False) + " (til sammenligning)" in svg for svg in svgs)
    names = [trace["name"] for trace in page.figure()["data"]]
    assert f"{evil} (til sammenligning)" in names  # intact once parsed, harmless in the page


def test_safe_json_escapes_what_could_end_a_script_element() -> None:
    text = prerender.script_text({"a": "</script>&<!--\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script>&<!--\u2028"}


def test_the_page_needs_no_inline_script_or_style(client) -> None:
    page = Page(get(client, "/embed/indikator/elbil").get_data(as_text=True))
    for attrs, text in page.scripts:
        assert attrs.get("src") or attrs.get("type") == "application/json", text[:80]
    assert all("style" not in attrs for _, attrs in page.elements)
    assert all(tag != "style" for tag, _ in page.elements)


# --- headers, caching, compression ----------------------------------------------------------------


def test_embed_is_cacheable_revalidatable_and_framable_by_any_site(client) -> None:
    response = get(client, "/embed/indikator/elbil")
    assert response.headers["Cache-Control"] == "public, max-age=900"
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    again = get(client, "/embed/indikator/elbil", **{"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_dashboard_itself_stays_unframable(client) -> None:
    response = get(client, "/indikator/elbil")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_embed_page_is_sent_compressed(client) -> None:
    response = get(client, "/embed/indikator/elbil", **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<!DOCTYPE html>" in gzip.decompress(response.data)


@pytest.mark.parametrize(
    ("accept", "encoding"), [("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"), ("identity", None)]
)
def test_plotly_bundle_comes_in_the_smallest_encoding_the_browser_takes(client, accept, encoding) -> None:
    response = get(client, f"/embed/static/{BUNDLE}", **{"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda b: b}[encoding]
    assert decode(response.data) == embed.plotly_bundle().read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in response.headers["Vary"]
    if encoding == "br":
        assert len(response.data) < 340_000  # the budget for the whole embed is 400 KB


def test_precompressed_bundle_matches_the_vendored_plotly() -> None:
    bundle = embed.plotly_bundle()
    copy = embed.brotli_file(bundle)
    assert copy.is_file(), "run `python -m dashboard precompress` after changing the plotly.js bundle"
    assert brotli.decompress(copy.read_bytes()) == bundle.read_bytes(), (
        "the brotli copy is stale: run `python -m dashboard precompress`"
    )


@pytest.mark.parametrize(
    ("name", "mimetype"),
    [("embed.js", "text/javascript"), ("resize.js", "text/javascript"), ("embed.css", "text/css")],
)
def test_embed_assets_are_served_with_a_day_of_caching(client, name: str, mimetype: str) -> None:
    response = get(client, f"/embed/static/{name}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.data == (embed.STATIC_DIR / name).read_bytes()


def test_page_links_assets_with_content_versions(client) -> None:
    page = Page(get(client, "/embed/indikator/elbil").get_data(as_text=True))
    stylesheet = page.first("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"/embed/static/embed\.css\?v=[0-9a-f]{12}", stylesheet)
    assert get(client, stylesheet).status_code == 200


def test_unknown_asset_is_404_naming_the_real_ones(client) -> None:
    response = get(client, "/embed/static/../app.py")
    assert response.status_code == 404
    response = get(client, "/embed/static/evil.js")
    assert response.status_code == 404
    assert "resize.js" in response.get_data(as_text=True)


def test_dashboard_pages_do_not_load_the_embeds_files(client) -> None:
    page = Page(get(client, "/indikator/elbil").get_data(as_text=True))
    loaded = [attrs.get("src", "") for attrs, _ in page.scripts]
    loaded += [attrs.get("href", "") for tag, attrs in page.elements if tag == "link"]
    assert not [url for url in loaded if any(name in url for name in ("embed.js", "embed.css", "resize.js"))]


# --- not found -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["no", "en"])
def test_unknown_indicator_answers_404_with_a_helpful_page(client, lang: str) -> None:
    response = get(client, "/embed/indikator/elbi" + ("?lang=en" if lang == "en" else ""))
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    page = Page(body)
    assert page.first("html")["lang"] == ("en" if lang == "en" else "nb")
    expected = (
        "There is no indicator with this id."
        if lang == "en"
        else "Det finnes ingen indikator med denne id-en."
    )
    assert expected in body
    assert page.first("a", href="/indikator/elbil" + ("?lang=en" if lang == "en" else ""))  # did you mean


def test_404_never_repeats_markup_from_the_address(client) -> None:
    response = get(client, "/embed/indikator/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_trailing_slash_serves_the_same_page(client) -> None:
    assert get(client, "/embed/indikator/elbil/").status_code == 200


# --- the embed code on the indicator page -----------------------------------------------------------


def test_indicator_pages_embed_code_is_the_documented_snippet_and_loads(client, data) -> None:
    snippet = embed_code(data, data.catalog.indicators["elbil"], "en", "http://localhost")
    page = Page(snippet)
    iframe = page.first("iframe")
    assert iframe["src"] == "http://localhost/embed/indikator/elbil?lang=en"
    assert iframe["title"] == "Electric cars, share of passenger cars – Trondheim"
    assert iframe["width"] == "100%"
    assert int(iframe["height"]) >= 600  # a first height close to the content's, before the script
    assert page.scripts[0][0]["src"] == "http://localhost/embed/static/resize.js"  # the responsive one
    assert get(client, iframe["src"].removeprefix("http://localhost")).status_code == 200


def test_the_fixed_snippet_asks_for_its_own_height_and_needs_no_script(client, data) -> None:
    snippet = embed_code_fixed(data, data.catalog.indicators["elbil"], "en", "http://localhost", 450)
    page = Page(snippet)
    iframe = page.first("iframe")
    assert iframe["src"] == "http://localhost/embed/indikator/elbil?lang=en&height=450"
    assert iframe["height"] == "450" and not page.scripts
    body = get(client, iframe["src"].removeprefix("http://localhost")).get_data(as_text=True)
    assert Page(body).first("html")["data-height"] == "450"


def test_headline_names_region_and_year_and_source_names_publisher_and_licence(client) -> None:
    body = get(client, "/embed/indikator/elbil").get_data(as_text=True)
    text = visible_text(body)
    assert "Trondheim: Elbiler, andel av personbilene, 2024" in text
    assert "Kilde: SSB, tabell 07849 ( CC BY 4.0 )" in text  # visible_text spaces out links
    english = visible_text(get(client, "/embed/indikator/elbil?lang=en").get_data(as_text=True))
    assert "Trondheim: Electric cars, share of passenger cars, 2024" in english


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, EmbedOptions("no", True, 380)),
        ({"lang": "en", "peers": "nei", "height": "450"}, EmbedOptions("en", False, 380, 450)),
        ({"peers": "FALSE"}, EmbedOptions("no", False, 380)),
        ({"peers": "1", "lang": "<b>"}, EmbedOptions("no", True, 380)),
    ],
)
def test_query_parameters_are_read_leniently(query: dict[str, str], expected: EmbedOptions) -> None:
    assert embed.parse_options(query) == expected


def test_short_charts_leave_out_a_y_axis_title_longer_than_they_are_tall(client) -> None:
    body = get(client, "/embed/indikator/utslipp?lang=en").get_data(as_text=True)
    title = Page(body).figure()["layout"]["yaxis"]["title"]["text"]
    svgs = chart_svgs(body)
    assert all(f">{title}</text>" in svg for svg in full_band(body))  # the natural chart has it
    assert not any(f">{title}</text>" in svg for svg in svgs[len(embed_html.SVG_VARIANTS) :])
