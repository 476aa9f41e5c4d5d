"""The indicator page in a real browser (Debian's Chromium, headless): written on the server with
no Dash renderer and no plotly.js, its chart the server's SVG with ``points.js`` (hover values,
keyboard, a live region, as in the embed), a swipe over the chart scrolls the page, the copy
buttons work in every language, and axe-core finds nothing at 320 and 1280 px in bokmål,
English and nynorsk.
"""

from __future__ import annotations

import pytest

from dashboard import ids
from dashboard.i18n import t

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

PATH = "/indikator/elbil"
CHART = f"#{ids.INDICATOR_CHART}"
INTERACTIVE = "html[data-chart-interactive]"  # points.js has wired the chart
LAYOUT_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => {
  if (!e.hadRecentInput) window.__shifts.push(e.value);
})).observe({type: 'layout-shift', buffered: true});
"""


@pytest.fixture()
def new_page(browser):
    contexts = []

    def make(width: int = 1280, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        context.add_init_script(LAYOUT_SHIFTS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return context, page, errors

    yield make
    for context in contexts:
        context.close()


def violations(page) -> list[str]:
    results = axe_module.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def test_the_page_loads_no_dash_renderer_no_plotly_and_sends_no_callback(new_page, base_url) -> None:
    _, page, errors = new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(base_url + PATH)
    page.wait_for_selector(INTERACTIVE, timeout=15_000)
    page.wait_for_load_state("networkidle")
    for piece in ("plotly", "_dash-", "dash_renderer", "react"):
        assert not [url for url in asked if piece in url], piece
    scripts = sorted(url.split("?")[0].rsplit("/", 1)[-1] for url in asked if ".js" in url)
    assert scripts == ["copy.js", "points.js"]
    assert page.locator(f"{CHART} svg:visible").count() == 1  # the server's drawing, one width shown
    assert errors == []


def test_hover_and_keys_show_the_values_and_nothing_moves(new_page, base_url) -> None:
    _, page, errors = new_page(width=1000)
    page.goto(base_url + PATH)
    page.wait_for_selector(f"{CHART} svg:visible")
    before = page.locator(CHART).bounding_box()
    page.wait_for_selector(INTERACTIVE, timeout=15_000)
    assert page.locator(CHART).bounding_box() == before  # nothing moved when the script ran
    # Hover: the point's region, year and value, formatted as the page formats numbers.
    point = page.locator(f"{CHART} svg:visible g.trace [data-tip]").last
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(f"{CHART} .chart-tip")
    assert tip.is_visible() and tip.inner_text() == point.get_attribute("data-tip")
    assert page.locator(f"{CHART} g.trace title").count() == 0  # no second, native tooltip
    page.mouse.move(0, 0)
    assert not tip.is_visible()
    # Keyboard: the chart takes focus (Tab reaches it), the arrows move between the points, and a
    # polite live region outside the picture says each value.
    page.locator(CHART).focus()
    assert page.evaluate("document.activeElement.id") == ids.INDICATOR_CHART
    live = page.locator(f"#{ids.INDICATOR_CHART}-live")
    assert live.get_attribute("aria-live") == "polite"
    latest = live.inner_text()
    # The keys start on the home region's latest value (the line the legend names first).
    assert latest.startswith("Trondheim: målt – 2024: 41,7") and tip.inner_text() == latest
    y = page.evaluate("window.scrollY")
    page.keyboard.press("ArrowLeft")
    earlier = live.inner_text()
    assert earlier != latest and tip.inner_text() == earlier and "2023" in earlier
    page.keyboard.press("ArrowDown")  # the next line
    assert live.inner_text().split(":")[0] != earlier.split(":")[0]
    page.keyboard.press("End")
    assert page.evaluate("window.scrollY") == y  # the keys moved the point, not the page
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    assert sum(page.evaluate("window.__shifts")) < 0.01
    assert errors == []


def test_a_swipe_over_the_chart_scrolls_the_page_and_never_zooms(new_page, base_url) -> None:
    context, page, errors = new_page(width=375, has_touch=True, is_mobile=True)
    page.set_viewport_size({"width": 375, "height": 640})
    page.goto(base_url + PATH)
    page.wait_for_selector(INTERACTIVE, timeout=15_000)
    page.locator(CHART).scroll_into_view_if_needed()
    box = page.locator(CHART).bounding_box()
    start = page.evaluate("window.scrollY")
    session = context.new_cdp_session(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 10
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        session.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 20 * step}]}
        )
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") - start > 50  # the page scrolled
    assert page.evaluate("window.visualViewport.scale") == 1  # and nothing zoomed
    text = page.locator("body").inner_text().lower()
    assert "zoom" not in text and "dobbeltklikk" not in text  # no "double-click to zoom" toast
    assert errors == []


@pytest.mark.parametrize("lang", ["no", "en", "nn"])
def test_the_copy_buttons_copy_the_code_and_say_so_in_the_pages_language(new_page, base_url, lang) -> None:
    context, page, errors = new_page()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(base_url + PATH + ("" if lang == "no" else f"?lang={lang}"))
    page.wait_for_selector(INTERACTIVE, timeout=15_000)
    copied = t("embed_copied", lang)
    page.locator(f"#{ids.EMBED_COPY_FIXED}").click()
    page.wait_for_selector(f"#{ids.EMBED_COPY_FIXED_STATUS}:has-text('{copied}')")
    assert "height=500" in page.evaluate("navigator.clipboard.readText()")
    assert page.locator(f"#{ids.EMBED_COPY_STATUS}").inner_text() == ""  # only the one pressed
    page.locator(f"#{ids.EMBED_COPY}").focus()
    page.keyboard.press("Enter")  # by keyboard as well
    page.wait_for_selector(f"#{ids.EMBED_COPY_STATUS}:has-text('{copied}')")
    assert page.evaluate("navigator.clipboard.readText()").rstrip().endswith('resize.js" async></script>')
    assert page.locator(f"#{ids.EMBED_COPY_STATUS}").get_attribute("role") == "status"
    assert errors == []


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["no", "en", "nn"])
def test_axe_finds_no_violation_with_the_chart_focused_and_the_table_open(
    new_page, base_url, lang: str, width: int
) -> None:
    _, page, errors = new_page(width=width)
    page.goto(base_url + PATH + ("" if lang == "no" else f"?lang={lang}"))
    page.wait_for_selector(INTERACTIVE, timeout=15_000)
    page.locator(CHART).focus()  # the tooltip and the live region are there
    page.locator("details.chart__table summary").first.click()
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
