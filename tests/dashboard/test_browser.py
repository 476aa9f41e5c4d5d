"""The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright.

One server (the fixture snapshot, as demo data so the banner shows) and one browser for the
whole module. Every page type in all three languages: renders, no console errors, axe-core finds
nothing serious or critical; keyboard reaches the language switch and the downloads; 404s.
Every page is written on the server (no Dash renderer): with and without scripts it is the
same page, and its scripts move nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dashboard import ids

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

CHART = "html[data-chart-interactive]"  # points.js has given the server's SVG chart hover and keys
SHOWN_CHART = f"#{ids.INDICATOR_CHART} svg:visible"  # the one of its four widths on screen
SMALL_CHART = "img.chart__img"
PAGES = [
    ("/", ".sparkline img"),
    ("/mal/1", SMALL_CHART),
    ("/delmal/1.1", SMALL_CHART),
    ("/indikator/elbil", CHART),
    ("/indikator/utslipp", CHART),  # a change target with milestones
    ("/indikator/deltakelse", CHART),
    ("/metode", None),
    ("/om", None),
]


@dataclass
class Visit:
    """A loaded page and what the browser reported while loading it."""

    page: object
    status: int
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def context(browser):
    # One context for the module: its cache spares each page the download of the same scripts.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context
    context.close()


@pytest.fixture()
def open_page(context, base_url):
    pages = []

    def visit(path: str, *, wait_for: str | None = None, width: int = 1280) -> Visit:
        page = context.new_page()
        pages.append(page)
        if width != 1280:
            page.set_viewport_size({"width": width, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        response = page.goto(base_url + path)
        if response.status == 200:
            page.wait_for_selector("main h1", timeout=15_000)
            if wait_for:
                page.wait_for_selector(wait_for, timeout=15_000)
        return Visit(page, response.status, errors)

    yield visit
    for page in pages:
        page.close()


def serious_violations(page) -> list[str]:
    results = axe_module.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


@pytest.mark.parametrize("lang", ["no", "en", "nn"])
@pytest.mark.parametrize(("path", "wait_for"), PAGES)
def test_page_renders_cleanly_and_passes_axe(open_page, path: str, wait_for: str | None, lang: str) -> None:
    visit = open_page(path + ("" if lang == "no" else f"?lang={lang}"), wait_for=wait_for)
    page = visit.page
    assert visit.status == 200
    assert page.evaluate("document.documentElement.lang") == {"no": "nb", "en": "en", "nn": "nn"}[lang]
    assert page.locator("main h1").count() == 1
    banner = "Demo data" if lang == "en" else "Demodata"
    assert banner in page.locator("main").inner_text()
    assert serious_violations(page) == []
    assert visit.console_errors == []


@pytest.mark.parametrize("path", ["/mal/9", "/delmal/3.3", "/indikator/finnes-ikke", "/tull?lang=en"])
def test_unknown_pages_answer_404_with_an_accessible_page(open_page, path: str) -> None:
    visit = open_page(path)
    assert visit.status == 404
    assert visit.page.locator("main h1").count() == 1
    assert serious_violations(visit.page) == []


def _tab_until(page, wanted: set[str], limit: int = 80) -> list[str]:
    """Press Tab until every id in ``wanted`` had focus; the ids and texts visited, in order."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        if wanted <= set(seen):
            break
    return seen


def test_keyboard_reaches_skip_link_language_switch_and_downloads(open_page) -> None:
    page = open_page("/indikator/elbil", wait_for=CHART).page
    seen = _tab_until(page, {ids.LANG_SWITCH, ids.DOWNLOAD_CSV, ids.DOWNLOAD_XLSX, ids.DOWNLOAD_JSON})
    assert seen[0] == "Hopp til hovedinnhold"
    assert {ids.LANG_SWITCH, ids.DOWNLOAD_CSV, ids.DOWNLOAD_XLSX, ids.DOWNLOAD_JSON} <= set(seen)


def test_skip_link_moves_focus_to_the_main_content(open_page) -> None:
    page = open_page("/mal/1", wait_for=SMALL_CHART).page
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == ids.MAIN


def test_language_switch_by_keyboard_opens_the_english_page(open_page) -> None:
    page = open_page("/delmal/1.1", wait_for=SMALL_CHART).page
    _tab_until(page, {ids.LANG_SWITCH})
    page.keyboard.press("Enter")
    page.wait_for_url("**/delmal/1.1?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Sub-goal 1.1" in page.locator("main h1").inner_text()


def test_language_switch_by_keyboard_reaches_nynorsk_and_back(open_page) -> None:
    page = open_page("/delmal/1.1", wait_for=SMALL_CHART).page
    nynorsk = f"{ids.LANG_SWITCH}-nn"
    _tab_until(page, {nynorsk})
    page.keyboard.press("Enter")
    page.wait_for_url("**/delmal/1.1?lang=nn")
    assert page.evaluate("document.documentElement.lang") == "nn"
    _tab_until(page, {ids.LANG_SWITCH})  # from nynorsk the first one offered is bokmål
    page.keyboard.press("Enter")
    page.wait_for_url("**/delmal/1.1")
    assert page.evaluate("document.documentElement.lang") == "nb"


def test_copy_button_copies_the_embed_code_and_says_so(open_page) -> None:
    page = open_page("/indikator/elbil", wait_for=CHART).page
    page.locator(f"#{ids.EMBED_COPY}").click()
    page.wait_for_selector(f"#{ids.EMBED_COPY_STATUS}:has-text('Koden er kopiert.')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("<iframe src=") and "/embed/indikator/elbil" in copied
    assert copied.rstrip().endswith('/embed/static/resize.js" async></script>')  # the responsive one
    page.locator(f"#{ids.EMBED_COPY_FIXED}").click()
    page.wait_for_selector(f"#{ids.EMBED_COPY_FIXED_STATUS}:has-text('Koden er kopiert.')")
    fixed = page.evaluate("navigator.clipboard.readText()")
    assert "/embed/indikator/elbil?height=500" in fixed and "<script" not in fixed  # for script-free sites


@pytest.mark.parametrize(
    ("path", "wait_for"),
    [("/", None), ("/mal/1", SMALL_CHART), ("/indikator/elbil", CHART), ("/indikator/utslipp", CHART)],
)
def test_pages_reflow_at_320_pixels_without_horizontal_scrolling(open_page, path: str, wait_for) -> None:
    page = open_page(path, wait_for=wait_for, width=320).page
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_data_table_is_behind_a_disclosure_and_holds_the_figures(open_page) -> None:
    page = open_page("/indikator/elbil", wait_for=CHART).page
    summary = page.locator("details.chart__table summary").first
    summary.focus()
    page.keyboard.press("Enter")
    table = page.locator("details.chart__table table").first
    assert table.is_visible()
    assert "41,7\u00a0%" in table.inner_text()


@pytest.mark.parametrize(
    ("lang", "heading", "line"), [("no", "Etappemål", "ikke nådd"), ("en", "Milestones", "missed")]
)
def test_milestones_are_listed_drawn_and_tabled(open_page, lang: str, heading: str, line: str) -> None:
    page = open_page(f"/indikator/utslipp?lang={lang}", wait_for=CHART).page
    milestones = page.get_by_role("region", name=heading)
    assert milestones.get_by_role("listitem").count() == 3
    assert line in milestones.get_by_role("listitem").nth(1).inner_text()
    # The server's drawing has the three milestones (each with its hover value), the target's two
    # dotted lines and the projection's end value.
    chart = page.locator(SHOWN_CHART)
    assert chart.locator(f"g.trace [data-tip^='{heading}']").count() >= 3
    assert chart.locator("g.shape").count() == 2
    assert chart.locator("g.annotation").filter(has_text="405").count() == 1
    page.locator("details.chart__table summary").first.click()
    targets = page.locator("table.data-table--targets")
    assert targets.is_visible() and targets.locator("th[scope=row]").count() == 4


# --- the page as the server wrote it, without scripts (dashboard/prerender.py) ----------------


@pytest.fixture(scope="module")
def no_script_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    yield context
    context.close()


@pytest.mark.parametrize(("path", "chart"), [p for p in PAGES if p[0] != "/indikator/deltakelse"])
def test_without_javascript_every_page_type_is_whole(
    no_script_context, base_url: str, path: str, chart: str | None
) -> None:
    page = no_script_context.new_page()
    response = page.goto(base_url + path)
    assert response.status == 200
    assert page.locator("main h1").count() == 1 and page.locator("main h1").is_visible()
    assert "Demodata" in page.locator("main").inner_text()
    if chart == CHART:  # the chart is the server's drawing: there without scripts, too
        assert page.locator(SHOWN_CHART).count() == 1  # one of its four widths
    elif chart:
        assert page.locator(chart).first.is_visible()
    # Links work without scripts: the language switch leads to the English page.
    # (Wait for the new document: evaluating while the old one unloads finds no documentElement.)
    with page.expect_navigation():
        page.locator(f"#{ids.LANG_SWITCH}").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.close()


@pytest.mark.parametrize(("path", "chart"), PAGES)
def test_the_page_alone_passes_axe_when_its_scripts_never_arrive(
    context, base_url: str, path: str, chart: str | None
) -> None:
    # The scripts never arrive (as on a failing network): the page as written is all there is.
    page = context.new_page()
    page.route("**/*.js*", lambda route: route.abort())
    page.goto(base_url + path)
    assert page.locator("main h1").is_visible()
    assert page.evaluate("document.documentElement.hasAttribute('data-chart-interactive')") is False
    assert serious_violations(page) == []
    page.close()


def _layout_of(page) -> list[list]:
    """Where the headings, the chart boxes and the footer are: what a reader would see move."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main h1, main h2, main h3, .chart__canvas, footer')]
            .filter(e => e.getClientRects().length && getComputedStyle(e).visibility === 'visible')
            .map(e => { const r = e.getBoundingClientRect();
                        const label = e.matches('.chart__canvas') ? '' : e.textContent.trim().slice(0, 30);
                        return [e.tagName, label,
                                Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)]; })"""
    )


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", ["/", "/mal/1", "/indikator/elbil"])
def test_the_page_does_not_move_when_its_scripts_run(
    browser, no_script_context, base_url: str, path: str, width: int
) -> None:
    copy = no_script_context.new_page()
    copy.set_viewport_size({"width": width, "height": 900})
    copy.goto(base_url + path)
    before = _layout_of(copy)
    copy.close()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base_url + path)
    page.wait_for_load_state("load")
    if path.startswith("/indikator/"):
        page.wait_for_selector(CHART, timeout=15_000)
    after = _layout_of(page)
    context.close()
    assert len(before) == len(after) and len(before) > 2
    for was, now in zip(before, after, strict=True):
        assert was[:2] == now[:2]
        assert all(abs(a - b) <= 2 for a, b in zip(was[2:], now[2:], strict=True)), (was, now)


# --- what a screen reader is given: the accessibility tree Chromium builds --------------------


def test_a_screen_reader_hears_each_goal_s_answer_on_the_overview(open_page) -> None:
    page = open_page("/", wait_for=".sparkline img").page
    tree = page.locator("main").aria_snapshot()
    assert '- heading "Testløftet' in tree and "[level=1]" in tree
    # Each goal is a named region whose heading leads, then its status in words and coverage.
    assert '- region "Mål 1 Et grønnere samfunn":' in tree
    assert "Poeng 2,2 av 5 3 av 3 indikatorer vurdert" in tree
    # Sparklines are named pictures (the name holds a colon, so the snapshot quotes the line).
    assert 'img "Utviklingen for 2 indikatorer siden' in tree
    assert "indikator(er)" not in tree


def test_a_screen_reader_hears_the_chart_as_one_named_picture(open_page) -> None:
    page = open_page("/indikator/elbil", wait_for=CHART).page
    tree = page.locator("main").aria_snapshot()
    chart = page.get_by_role("img", name="Andelen økte fra 20,1 % i 2020")
    assert chart.count() == 1 and "Grafen viser målingene for Trondheim fra 2015" in chart.get_attribute(
        "aria-label"
    )
    assert "- img:" not in tree, "the drawings (one per width) must not be listed as pictures of their own"
    assert "›" not in page.locator("nav.breadcrumbs").aria_snapshot()  # separators are decoration
