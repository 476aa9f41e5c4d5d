"""Embeds in a real browser (Debian's Chromium, headless): inside an iframe on a host page served
from another origin, resized through postMessage, without console errors (so within the
Content-Security-Policy), and clean for axe-core. One app server, one host server, one browser.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator

import pytest

from dashboard.data import build_data
from dashboard.pages.indicator import embed_code, embed_code_fixed
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import make_snapshot, settings

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

MESSAGE = "plan-indikatorer:embed-height"
DRAWN = "html[data-chart-interactive]"  # points.js has given the server's SVG hover and keys
# Adds up every layout shift (CLS), as a browser would report it to the page.
LAYOUT_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => {
  if (!e.hadRecentInput) window.__shifts.push(e.value);
})).observe({type: 'layout-shift', buffered: true});
"""


@pytest.fixture(scope="module")
def snapshot_and_app():
    """The demo snapshot the embed codes are written from; the app serving it is the session's
    shared demo server (conftest ``demo_url``), so the second item is None."""
    s = settings()
    return make_snapshot(load_catalog(s.definitions, s.goals), demo=True), None


@pytest.fixture(scope="module")
def app_url(demo_url: str) -> str:
    return demo_url


@pytest.fixture(scope="module")
def host_pages() -> Iterator[tuple[str, dict[str, str]]]:
    """A second web server (another origin: ``localhost``, another port) serving host pages."""
    pages: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "not found").encode("utf-8"))

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("localhost", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}", pages
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture()
def new_page(browser) -> Iterator[Callable[..., tuple[object, list[str]]]]:
    contexts = []

    def make(width: int = 700, javascript: bool = True) -> tuple[object, list[str]]:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        if javascript:
            context.add_init_script(LAYOUT_SHIFTS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page, errors

    yield make
    for context in contexts:
        context.close()


def host_page(snippet: str, app_url: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A newspaper</title></head>'
        f"<body><main><h1>A newspaper article</h1><p>Some text.</p>{snippet}{extra}"
        f'<script src="{app_url}/embed/static/resize.js" async></script></main></body></html>'
    )


def frame_height(page) -> float:
    return page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")


def content_height(frame) -> float:
    return frame.evaluate("document.body.getBoundingClientRect().height")


def embed_frame(page, path: str, timeout_ms: int = 15_000):
    """The iframe showing ``path``, once it has navigated there: the snippet's iframe is
    ``loading="lazy"``, so the host page's load event does not wait for it."""
    for _ in range(timeout_ms // 50):
        frame = next((f for f in page.frames if path in f.url), None)
        if frame is not None:
            return frame
        page.wait_for_timeout(50)
    raise AssertionError(
        f"no iframe navigated to {path} within {timeout_ms} ms: {[f.url for f in page.frames]}"
    )


def settle(page, frame) -> None:
    """Wait until the iframe is as tall as its content."""
    page.wait_for_function(
        "want => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - want) <= 1",
        arg=content_height(frame),
        timeout=10_000,
    )


def test_snippet_on_another_site_draws_the_chart_and_fits_the_iframe_to_it(
    new_page, app_url, host_pages, snapshot_and_app
) -> None:
    snap, _ = snapshot_and_app
    data = build_data(snap)
    host_url, pages = host_pages
    pages["/article"] = host_page(embed_code(data, data.catalog.indicators["elbil"], "no", app_url), app_url)
    page, errors = new_page(width=700)
    page.goto(host_url + "/article")
    frame = embed_frame(page, "/embed/indikator/elbil")
    frame.wait_for_selector(DRAWN, timeout=15_000)
    assert frame.url.startswith(app_url + "/embed/indikator/elbil")
    assert frame.locator(".embed__svg svg:visible").count() == 1  # the server's chart, once
    assert "I rute" in frame.locator(".embed__status").inner_text()
    settle(page, frame)

    # Narrow column: the text wraps, the embed grows, and the iframe follows.
    wide = frame_height(page)
    page.set_viewport_size({"width": 360, "height": 900})
    page.wait_for_function(
        "h => document.querySelector('iframe').getBoundingClientRect().height > h + 20", arg=wide
    )
    settle(page, frame)

    # Opening the table by keyboard makes it taller again.
    before = frame_height(page)
    frame.locator("#embed-table summary").focus()
    frame.page.keyboard.press("Enter")
    assert "41,7\u00a0%" in frame.locator("#embed-table table").first.inner_text()
    page.wait_for_function(
        "h => document.querySelector('iframe').getBoundingClientRect().height > h + 100", arg=before
    )
    assert errors == []


def test_resize_script_obeys_only_well_formed_messages_from_the_embeds_own_origin(
    new_page, app_url, host_pages, snapshot_and_app
) -> None:
    snap, _ = snapshot_and_app
    data = build_data(snap)
    host_url, pages = host_pages
    # A second iframe whose src names the app but whose document (srcdoc) is the host's own:
    # its messages carry the host's origin, not the one its src promises.
    impostor = (
        f'<iframe id="impostor" title="impostor" src="{app_url}/embed/indikator/elbil" '
        f"srcdoc=\"<script>parent.postMessage({{type: '{MESSAGE}', height: 999}}, '*')</script>\"></iframe>"
    )
    pages["/guarded"] = host_page(
        embed_code(data, data.catalog.indicators["befolkning"], "no", app_url), app_url, impostor
    )
    page, _ = new_page()
    page.goto(host_url + "/guarded")
    frame = embed_frame(page, "/embed/indikator/befolkning")
    frame.wait_for_selector(DRAWN, timeout=15_000)
    settle(page, frame)
    fitted = frame_height(page)
    impostor_height = page.evaluate("document.getElementById('impostor').clientHeight")
    assert impostor_height == 150  # the browser's default: its message was ignored

    page.evaluate(f"window.postMessage({{type: '{MESSAGE}', height: 1234}}, '*')")  # not from an iframe
    for bad in (
        "{type: 'other', height: 900}",
        f"{{type: '{MESSAGE}', height: '900'}}",
        f"{{type: '{MESSAGE}', height: 99999}}",
        "'900'",
    ):
        frame.evaluate(f"parent.postMessage({bad}, '*')")
    page.wait_for_timeout(300)
    assert frame_height(page) == fitted

    frame.evaluate(f"parent.postMessage({{type: '{MESSAGE}', height: 777}}, '*')")
    page.wait_for_function("() => document.querySelector('iframe').getBoundingClientRect().height === 777")


FRAMES = [(600, 450), (340, 500), (1000, 400), (300, 300)]
# Every element of the embed that a reader could scroll, and the page itself.
SCROLLERS = """() => {
  const out = [];
  const doc = document.scrollingElement;
  if (doc.scrollHeight > doc.clientHeight + 1 || doc.scrollWidth > doc.clientWidth + 1) out.push('document');
  for (const el of document.querySelectorAll('body *')) {
    if (!el.checkVisibility()) continue;  // e.g. inside the closed table view
    const style = getComputedStyle(el);
    const scrolls = (v) => v === 'auto' || v === 'scroll';
    if ((scrolls(style.overflowY) && el.scrollHeight > el.clientHeight + 1) ||
        (scrolls(style.overflowX) && el.scrollWidth > el.clientWidth + 1)) out.push(el.className || el.tagName);
  }
  return out;
}"""


def assert_fits(frame, width: int, height: int) -> None:
    """Title, status, sentence, chart, source line and link back are inside the frame; nothing scrolls."""
    assert frame.evaluate(SCROLLERS) == []
    for selector in (
        ".embed__name",
        ".embed__status",
        ".embed__explanation",
        "#embed-chart",
        ".embed__source",
        ".embed__back a",
    ):
        box = frame.evaluate(
            "s => { const r = document.querySelector(s).getBoundingClientRect();"
            " return [r.left, r.top, r.right, r.bottom]; }",
            selector,
        )
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= width + 0.5 and box[3] <= height + 0.5, (
            selector,
            box,
        )
    chart = frame.evaluate(  # the drawing shown: plotly.js's, or the server's for this frame
        "Math.max(...[...document.querySelectorAll('#embed-chart svg')].map(e => e.getBoundingClientRect().height))"
    )
    assert chart >= 60  # the chart gave way, but is still a chart
    if height <= 540:  # a short band: no legend (plotly.js gave it its own scrollbar in the chart)
        shown = (
            "[...document.querySelectorAll('#embed-chart .legend')].filter(e => e.checkVisibility()).length"
        )
        assert frame.evaluate(shown) == 0


@pytest.mark.parametrize("snippet", ["fixed", "bare"])
@pytest.mark.parametrize(("width", "height"), FRAMES)
def test_the_embed_fits_any_frame_on_another_site_without_scrolling(
    new_page, app_url, host_pages, snapshot_and_app, width: int, height: int, snippet: str
) -> None:
    """The fixed-height snippet (``?height=N``), and an iframe an editor wrote by hand."""
    data = build_data(snapshot_and_app[0])
    host_url, pages = host_pages
    definition = data.catalog.indicators["elbil"]
    if snippet == "fixed":
        code = embed_code_fixed(data, definition, "no", app_url, height)
    else:
        code = f'<iframe src="{app_url}/embed/indikator/elbil" title="Elbiler" height="{height}"></iframe>'
    code = code.replace('width="100%"', "").replace("<iframe ", f'<iframe width="{width}" ', 1)
    pages[f"/frame-{snippet}-{width}x{height}"] = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        "<title>A newspaper</title></head>"
        f"<body><main><h1>An article</h1>{code}</main></body></html>"
    )
    page, errors = new_page(width=1280)
    page.goto(f"{host_url}/frame-{snippet}-{width}x{height}")
    frame = embed_frame(page, "/embed/indikator/elbil")
    # plotly.js takes over, or in the shortest frames leaves the server's drawing in place
    frame.wait_for_selector(f"{DRAWN}, html[data-chart-static]", state="attached", timeout=15_000)
    box = page.locator("iframe").bounding_box()
    assert (box["width"], box["height"]) == (width + 4, height + 4) or snippet == "fixed"  # 2 px border
    inner = frame.evaluate("[innerWidth, innerHeight]")
    assert_fits(frame, *inner)
    assert errors == []


def test_height_n_makes_the_page_exactly_that_tall(new_page, app_url) -> None:
    page, errors = new_page(width=700)
    page.goto(app_url + "/embed/indikator/elbil?height=450")
    page.wait_for_selector(DRAWN, timeout=15_000)
    assert page.evaluate("document.documentElement.getBoundingClientRect().height") == 450
    assert page.evaluate("document.querySelector('.embed').getBoundingClientRect().height") == 450
    assert_fits(page, 700, 450)
    assert errors == []


def test_the_responsive_snippet_makes_the_frame_as_tall_as_the_content_within_2_px(
    new_page, app_url, host_pages, snapshot_and_app
) -> None:
    data = build_data(snapshot_and_app[0])
    host_url, pages = host_pages
    code = embed_code(data, data.catalog.indicators["befolkning"], "no", app_url)
    pages["/responsive"] = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        "<title>A newspaper</title></head>"
        f"<body><main><h1>An article</h1>{code}</main></body></html>"
    )
    for width in (1000, 380):
        page, errors = new_page(width=width)
        page.goto(host_url + "/responsive")
        frame = embed_frame(page, "/embed/indikator/befolkning")
        frame.wait_for_selector(DRAWN, timeout=15_000)
        frame.wait_for_selector("html[data-fit=content]")  # resize.js told the embed it follows
        page.wait_for_timeout(300)
        assert abs(frame_height(page) - content_height(frame)) <= 2
        assert frame.evaluate(SCROLLERS) == []
        assert errors == []


def serious_violations(page) -> list[str]:
    results = axe_module.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/embed/indikator/elbil",
        "/embed/indikator/elbil?lang=en&peers=0",
        "/embed/indikator/deltakelse?lang=en",
        "/embed/indikator/utslipp",  # a change target: the target in the status line, two tables
    ],
)
def test_embed_page_passes_axe_and_logs_no_errors(new_page, app_url, path: str) -> None:
    page, errors = new_page(width=320)
    page.goto(app_url + path)
    page.wait_for_selector(DRAWN, timeout=15_000)
    chart = page.locator("#embed-chart")
    assert chart.get_attribute("role") == "img"
    assert chart.get_attribute("aria-label").startswith("DEMO")
    assert page.locator("#embed-table").is_visible()  # the table is offered once the chart is drawn
    page.locator("#embed-table summary").click()  # and is checked open, too
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # reflows, no sideways scrolling
    assert errors == []  # includes Content-Security-Policy violations


@pytest.mark.parametrize(("width", "variant"), [(320, 320), (700, 740), (1000, 960)])
def test_without_javascript_the_server_chart_and_the_table_are_there(
    new_page, app_url, width: int, variant: int
) -> None:
    page, _ = new_page(width=width, javascript=False)
    page.goto(app_url + "/embed/indikator/elbil")
    shown = page.locator(".embed__svg svg:visible")
    assert shown.count() == 1  # one variant, the one drawn for about this width
    assert shown.get_attribute("width") == str(variant)
    box = shown.bounding_box()
    assert box["width"] == pytest.approx(min(width - 24, 1104), abs=1)  # fills the column
    assert 380 * 0.8 < box["height"] < 380 * 1.2  # about the asked-for height, whatever the width
    text = shown.locator("text")
    assert "DEMODATA" in text.all_text_contents()
    assert "Trondheim: målt" in text.all_text_contents()
    table = page.locator("noscript table").first  # the series (the target's table follows)
    assert table.is_visible()
    assert "41,7\u00a0%" in table.inner_text()
    assert not page.locator("#embed-table").is_visible()  # no second copy of it


def test_hover_and_keys_show_the_values_without_plotly_and_nothing_moves(new_page, app_url) -> None:
    page, errors = new_page(width=700)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(app_url + "/embed/indikator/elbil")
    page.wait_for_selector(".embed__svg svg:visible")
    before = page.locator("#embed-chart").bounding_box()
    page.wait_for_selector(DRAWN, timeout=15_000)
    assert page.locator("#embed-chart").bounding_box() == before  # nothing moved
    # Hover: the point's year and value, formatted as the page formats numbers.
    point = page.locator(".embed__svg svg:visible g.trace [data-tip]").last
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(".chart-tip")
    assert tip.is_visible()
    assert tip.inner_text() == point.get_attribute("data-tip")
    assert page.locator("g.trace title").count() == 0  # no second, native tooltip
    page.mouse.move(0, 0)
    assert not tip.is_visible()
    # Keyboard: the chart takes focus, the arrows move between the points, a live region speaks.
    page.locator("#embed-chart").focus()
    live = page.locator("#embed-chart-live")
    assert live.get_attribute("aria-live") == "polite"
    latest = live.inner_text()
    assert latest and tip.is_visible() and tip.inner_text() == latest
    page.keyboard.press("ArrowLeft")
    earlier = live.inner_text()
    assert earlier != latest and tip.inner_text() == earlier
    assert int(earlier.split(":")[-2][-4:]) < int(latest.split(":")[-2][-4:])  # an earlier year
    page.keyboard.press("End")
    assert live.inner_text() == latest
    assert page.evaluate("window.scrollY") == 0  # the arrows did not scroll the page
    assert not [url for url in asked if "plotly" in url]  # no plotly.js at all
    assert sum(page.evaluate("window.__shifts")) < 0.01
    assert serious_violations(page) == []
    assert errors == []


def test_a_swipe_over_the_chart_scrolls_the_page_and_never_zooms(browser, app_url) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 500}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(app_url + "/embed/indikator/elbil")
    page.wait_for_selector(DRAWN, timeout=15_000)
    page.locator("#embed-table summary").click()  # a page taller than the screen
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator("#embed-chart").bounding_box()
    session = context.new_cdp_session(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 10
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        session.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 20 * step}]}
        )
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(300)
    scrolled = "Math.max(window.scrollY, ...[...document.querySelectorAll('*')].map(e => e.scrollTop))"
    assert page.evaluate(scrolled) > 50  # the page scrolled
    assert page.evaluate("window.visualViewport.scale") == 1  # and nothing zoomed
    assert "zoom" not in page.locator("body").inner_text().lower()  # no "double-click to zoom" toast
    context.close()


@pytest.mark.parametrize(
    "path", ["/embed/indikator/elbil", "/embed/indikator/utslipp?lang=en", "/embed/indikator/elbil?lang=nn"]
)
def test_in_dark_mode_the_embed_is_readable_and_passes_axe(new_page, app_url, path: str) -> None:
    page, errors = new_page(width=600)
    page.emulate_media(color_scheme="dark")
    page.goto(app_url + path)
    page.wait_for_selector(DRAWN, timeout=15_000)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 18, 18)"
    assert page.evaluate("getComputedStyle(document.querySelector('.embed__chart')).backgroundColor") == (
        "rgb(255, 255, 255)"
    )  # the chart on its light panel
    assert serious_violations(page) == []  # includes colour contrast of every text
    assert errors == []


def test_printing_an_embed_gives_the_chart(new_page, app_url) -> None:
    page, errors = new_page(width=600)
    page.emulate_media(color_scheme="dark")
    page.goto(app_url + "/embed/indikator/elbil")
    page.wait_for_selector(DRAWN, timeout=15_000)
    page.emulate_media(media="print")
    box = page.locator("#embed-chart").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100  # drawn, not a blank frame
    shown = page.evaluate(
        "[...document.querySelectorAll('#embed-chart svg')].filter(s => s.getBoundingClientRect().height > 100).length"
    )
    assert shown >= 1  # one of the drawer's size variants is shown in print
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    assert errors == []
