"""The server writes every page: the page's layout as HTML, the whole page before any script runs,
with no Dash renderer or plotly.js."""

from __future__ import annotations

import logging
from html.parser import HTMLParser

import pytest
from dash import dcc, html
from markupsafe import Markup

from dashboard import document, ids, notfound, observability, prerender
from dashboard.pages import about, goal, indicator, method, not_found, overview, subgoal
from tests.dashboard.helpers import find_all, hrefs, text


class Parsed(HTMLParser):
    """Tags, attributes and text of an HTML fragment, as a browser's parser reads them."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self.open: list[str] = []
        # A drawing's tick labels and a text area's value are not among the tree's text pieces.
        self.in_svg = 0
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.in_svg += tag in {"svg", "textarea"}
        if tag not in prerender.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()
        self.in_svg -= tag in {"svg", "textarea"}

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))  # <path ... /> inside a drawing

    def handle_data(self, data: str) -> None:
        if not self.in_svg:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def markup_text(markup: str) -> str:
    """Every text node, text areas included."""
    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(markup)
    return "".join(parts)


def test_text_and_attributes_are_escaped() -> None:
    markup = prerender.to_html(
        html.P(["<script>alert(1)</script> & co"], title='"><img src=x onerror=alert(1)>')
    )
    parsed = Parsed(markup)
    assert [name for name, _ in parsed.tags] == ["p"]  # no element smuggled in
    assert parsed.text == "<script>alert(1)</script> & co"
    assert parsed.all("p")[0]["title"] == '"><img src=x onerror=alert(1)>'


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x"]
)
def test_script_addresses_are_left_out_of_links(href: str) -> None:
    parsed = Parsed(prerender.to_html(html.A("Planen", href=href)))
    assert parsed.all("a") == [{}] and parsed.text == "Planen"


def test_web_addresses_and_picture_data_stay() -> None:
    tree = html.Div(
        [
            html.A("SSB", href="https://www.ssb.no/statbank/table/07459"),
            html.Img(src="data:image/svg+xml;utf8,x"),
        ]
    )
    parsed = Parsed(prerender.to_html(tree))
    assert parsed.all("a")[0]["href"] == "https://www.ssb.no/statbank/table/07459"
    assert parsed.all("img")[0]["src"] == "data:image/svg+xml;utf8,x"


def test_props_become_the_attributes_a_browser_expects() -> None:
    tree = html.Div(
        [
            html.Label("Kode", htmlFor="code"),
            html.Img(src="data:image/svg+xml;utf8,x", alt="Figur", width=120),
            html.Details([html.Summary("Tabell")], open=True),
            html.Details([html.Summary("Lukket")], open=False),
            html.Button("Kopier", n_clicks=0, disabled=False, **{"aria-pressed": False}),
        ],
        className="card",
        id="box",
        style={"color": "red"},  # the CSP allows no inline style: left out
        **{"aria-label": "Boks", "data-kind": "test"},
    )
    parsed = Parsed(prerender.to_html(tree))
    div = parsed.all("div")[0]
    assert div == {"class": "card", "id": "box", "aria-label": "Boks", "data-kind": "test"}
    assert parsed.all("label")[0] == {"for": "code"}
    assert parsed.all("img")[0] == {"src": "data:image/svg+xml;utf8,x", "alt": "Figur", "width": "120"}
    assert [d.get("open", "absent") for d in parsed.all("details")] == [None, "absent"]  # `open` has no value
    assert parsed.all("button")[0] == {"aria-pressed": "false"}
    assert parsed.open == []  # every element closed, <img> without an end tag


def test_core_components_data_is_left_out_and_text_areas_keep_their_value() -> None:
    tree = html.Div(
        [
            dcc.Store(id="secret", data={"x": 1}),
            dcc.Textarea(id="code", value='<iframe src="/embed"></iframe>', readOnly=True, rows=3),
            dcc.Link("Mål 1", href="/mal/1", refresh=True),
        ]
    )
    parsed = Parsed(prerender.to_html(tree))
    assert [name for name, _ in parsed.tags] == ["div", "textarea", "a"]
    assert parsed.all("textarea")[0] == {"id": "code", "readonly": None, "rows": "3"}
    assert '<iframe src="/embed"></iframe>' in markup_text(prerender.to_html(tree))
    assert parsed.all("a")[0] == {"href": "/mal/1"}


def test_an_unknown_component_fails_in_strict_mode_and_is_left_out_when_serving(caplog) -> None:
    tree = html.Div([html.P("før"), dcc.Dropdown(id="pick", options=["a"])])
    with pytest.raises(prerender.PrerenderError, match="Dropdown"):
        prerender.to_html(tree, strict=True)
    with caplog.at_level(logging.WARNING, logger="dashboard.prerender"):
        markup = prerender.to_html(tree)
    assert Parsed(markup).text == "før"
    assert "Dropdown" in caplog.text


PAGES = [
    ("overview", lambda data, lang: overview.build(data, lang)),
    ("goal", lambda data, lang: goal.build(data, "1", lang)),
    ("subgoal", lambda data, lang: subgoal.build(data, "1.1", lang)),
    ("indicator", lambda data, lang: indicator.build(data, "elbil", lang, origin="http://x")),
    (
        "indicator without data",
        lambda data, lang: indicator.build(data, "deltakelse", lang, origin="http://x"),
    ),
    ("method", lambda data, lang: method.build(data, lang)),
    ("about", lambda data, lang: about.build(data, lang)),
]


@pytest.mark.parametrize("lang", ["no", "en"])
@pytest.mark.parametrize(("name", "build"), PAGES, ids=[name for name, _ in PAGES])
def test_every_page_is_written_whole(data, name: str, build, lang: str) -> None:
    tree = build(data, lang)
    parsed = Parsed(prerender.to_html(tree, strict=True))
    assert parsed.open == []
    # Every text of the layout is in the page, and every link.
    assert "".join(parsed.text.split()) == "".join(text(tree).split())  # same text, same order
    assert [a.get("href") for a in parsed.all("a")] == hrefs(tree)
    assert len(parsed.all("h1")) == 1 and len(parsed.all("main")) == 1
    element_ids = [attrs["id"] for _, attrs in parsed.tags if attrs.get("id")]
    assert len(element_ids) == len(set(element_ids)), "ids must be unique"


def page_body(body: str) -> str:
    """What a served document has between ``<body>`` and ``</body>``."""
    return body[body.index("<body>") + len("<body>") : body.index("</body>")]


def test_the_indicator_chart_is_the_servers_svg_marked_for_hover_and_keys(data) -> None:
    tree = indicator.build(data, "elbil", "no", origin="http://x")
    assert not find_all(tree, "Graph"), "no Plotly graph: plotly.js is not loaded"
    parsed = Parsed(prerender.to_html(tree, strict=True))
    box = next(attrs for attrs in parsed.all("div") if attrs.get("id") == ids.INDICATOR_CHART)
    assert box["role"] == "img" and box["aria-label"] and "data-chart-points" in box  # points.js
    assert parsed.all("svg"), "the chart is an SVG drawing"
    # The history line and the peers are drawn: one path or polyline per line at least.
    lines = [attrs for name, attrs in parsed.tags if name in {"path", "polyline"}]
    assert len(lines) >= 3
    assert [t for name, t in parsed.tags if name == "title"], "each point's value for the hover"


def test_the_served_page_is_the_page_itself_without_dash_or_plotly(client) -> None:
    response = client.get("/indikator/elbil?lang=en")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    page = Parsed(page_body(body))
    assert len(page.all("h1")) == 1 and "Electric cars, share of passenger cars" in page.text
    assert page.all("svg")
    for dash_piece in (
        'id="react-entry-point"',
        'id="_dash-config"',
        "dash-renderer",
        "plotly",
        "prerendered",
    ):
        assert dash_piece not in body
    scripts = Parsed(body).all("script")
    assert [s["src"].split("?")[0] for s in scripts] == ["/embed/static/points.js", "/assets/copy.js"]
    assert all("defer" in s for s in scripts)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "Testløftet"),
        ("/mal/1?lang=en", "Goal 1"),
        ("/delmal/1.1", "1.1"),
        ("/metode", "Metode"),
        ("/om?lang=nn", "Om"),
    ],
)
def test_each_page_type_is_served_whole(client, path: str, expected: str) -> None:
    body = client.get(path).get_data(as_text=True)
    page = Parsed(page_body(body))
    assert expected in page.text and len(page.all("h1")) == 1 and len(page.all("main")) == 1
    assert "react-entry-point" not in body and "plotly" not in body


def test_query_strings_do_not_reach_the_markup_or_replace_the_path(client) -> None:
    body = client.get("/indikator/elbil?indicator_id=befolkning&x=<script>alert(1)</script>").get_data(
        as_text=True
    )
    assert "<script>alert(1)" not in body
    assert "/data/elbil.csv" in body and "/data/befolkning.csv" not in body


# --- whole documents: the embed, 404, 503 and export pages (dashboard/document.py) --------------


def test_script_elements_hold_json_data_only() -> None:
    block = prerender.to_html(html.Script('{"a": "</script><!--"}', type="application/json"))
    assert block == '<script type="application/json">{"a": "\\u003c/script\\u003e\\u003c!--"}</script>'
    assert prerender.to_html(html.Script(src="/s/embed.js", defer=True)) == (
        '<script defer src="/s/embed.js"></script>'
    )
    for inline in (html.Script("alert(1)"), html.Script("alert(1)", type="module")):
        with pytest.raises(prerender.PrerenderError, match="inline"):
            prerender.to_html(inline)  # refused when serving too: the CSP would block it anyway


def test_markup_from_the_servers_drawers_is_written_as_is_and_text_never_is() -> None:
    drawing = Markup('<svg width="10"><title>a &amp; b</title></svg>')
    tree = html.Div([drawing, "<svg>"], role="img", **{"aria-label": "Figur"})
    assert prerender.to_html(tree) == (
        '<div role="img" aria-label="Figur"><svg width="10"><title>a &amp; b</title></svg>&lt;svg&gt;</div>'
    )


def test_the_document_sets_language_title_meta_and_style_once() -> None:
    evil = '</title><script>alert(1)</script>"'
    head = document.Head(
        "en",
        evil,
        site="Site",
        description="A <b>page</b>",
        preview_title="Preview",
        page_url="https://x/e",
        canonical_url="https://x/i",
        stylesheet="/s/embed.css?v=1",
        scripts=["/s/embed.js"],
        marks=(("static-export", "1"),),
    )
    markup = document.html_document(head, html.Main(html.H1("Hei")))
    assert markup.startswith('<!DOCTYPE html>\n<html lang="en" data-static-export="1"><head>')
    parsed = Parsed(markup)
    assert parsed.open == []
    assert [len(parsed.all(tag)) for tag in ("html", "head", "title", "body", "main")] == [1] * 5
    metas = {m.get("property") or m.get("name"): m.get("content") for m in parsed.all("meta")}
    assert metas["description"] == metas["og:description"] == "A <b>page</b>"
    assert metas["og:title"] == metas["twitter:title"] == "Preview"
    assert metas["og:url"] == "https://x/e" and metas["og:locale"] == "en_GB"
    links = {link["rel"]: link["href"] for link in parsed.all("link")}
    assert links == {"icon": "data:,", "canonical": "https://x/i", "stylesheet": "/s/embed.css?v=1"}
    assert parsed.all("script") == [{"src": "/s/embed.js", "defer": None}]
    assert f"{evil} – Site" in markup_text(markup)  # the title is text, escaped by the writer
    assert "<script>alert" not in markup


def test_the_404_page_is_the_not_found_layout_dash_shows(app, data) -> None:
    missing = notfound.Missing("indicator", (("elbil", "/indikator/elbil"),))
    with app.server.test_request_context("/indikator/elbi"):
        markup = notfound.page_html(missing, data, "no", "/assets/dashboard.css")
    layout = not_found.build(data, "no", reason="nf_indicator", suggestions=missing.suggestions)
    body = markup[markup.index("<body>") + len("<body>") : markup.index("</body>")]
    assert body == prerender.to_html(layout)
    parsed = Parsed(markup)
    assert parsed.all("html") == [{"lang": "nb"}]
    assert "Mente du:" in parsed.text and {"href": "/indikator/elbil"} in parsed.all("a")


def test_the_503_page_is_written_in_the_same_frame(data) -> None:
    markup = notfound.error_html("<id>", "en", "/assets/dashboard.css")
    parsed = Parsed(markup)
    assert parsed.open == [] and parsed.all("html") == [{"lang": "en"}]
    assert len(parsed.all("h1")) == 1 and len(parsed.all("main")) == 1
    assert "The request's id in the log: <id>" in parsed.text
    assert parsed.all("a")[0] == {"class": "skip-link", "href": "#main-content"}


def test_the_500_page_is_written_in_the_same_document() -> None:
    markup = observability.error_page("<id>")
    parsed = Parsed(markup)
    assert parsed.open == [] and parsed.all("html") == [{"lang": "nb"}]
    assert len(parsed.all("title")) == 1 and "Noe gikk galt – Something went wrong" in markup_text(markup)
    assert len(parsed.all("h1")) == 1 and len(parsed.all("main")) == 1
    assert {"lang": "en"} in parsed.all("div")
    assert "oppgi feilkoden <id>" in parsed.text and "quote the error code <id>" in parsed.text
    assert "<id>" not in markup  # the request id is text, escaped by the writer


def test_a_page_is_one_document_with_no_inline_script(client) -> None:
    response = client.get("/mal/1?lang=en")
    body = response.get_data(as_text=True)
    parsed = Parsed(body)
    assert body.startswith("<!DOCTYPE html>\n<html") and parsed.open == []
    assert parsed.all("html") == [{"lang": "en"}]
    assert [len(parsed.all(tag)) for tag in ("head", "title", "body")] == [1, 1, 1]
    assert len([m for m in parsed.all("meta") if "charset" in m]) == 1
    assert len([m for m in parsed.all("meta") if m.get("name") == "viewport"]) == 1
    # Scripts from files only: the Content-Security-Policy needs no hash for this page.
    assert parsed.all("script") and all(s.get("src") for s in parsed.all("script"))
    assert "<script>" not in body
