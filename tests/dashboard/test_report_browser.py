"""In Chromium: ``/rapport`` printed on A4 (print emulation) makes a PDF of several pages, with
no navigation, every goal on a page of its own and every chart whole within the page's text
width; the report passes axe-core with no violations of any impact in both languages, on
screen (320 and 1280 px) and in print."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

# A4 less the print style sheet's margins (@page margin: 15mm 12mm): 186 mm at 96 px per inch.
A4_CONTENT_WIDTH_PX = 186 / 25.4 * 96


@pytest.fixture(scope="module", params=[False, True], ids=["real", "demo"])
def base_url(request) -> str:
    # The session's shared servers (conftest): real figures, then the demo snapshot's.
    return str(request.getfixturevalue("demo_url" if request.param else "real_url"))


def violations(page) -> list[str]:
    results = axe_module.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def open_report(browser, base_url: str, lang: str, width: int, *, print_media: bool = False):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if print_media:
        page.emulate_media(media="print")
    response = page.goto(base_url + "/rapport" + ("" if lang == "no" else f"?lang={lang}"))
    assert response.status == 200
    page.wait_for_selector("main h1")
    return context, page, errors


@pytest.mark.parametrize("lang", ["no", "en"])
def test_prints_on_a4_with_every_chart_whole_and_no_navigation(browser, base_url, lang) -> None:
    width = int(A4_CONTENT_WIDTH_PX)
    context, page, errors = open_report(browser, base_url, lang, width, print_media=True)
    assert page.locator(".site-nav").is_hidden() and page.locator(".breadcrumbs").is_hidden()
    assert page.locator(".report-chart__variant--narrow svg").first.is_hidden()  # print takes the A4 one
    charts = page.locator(".report-chart__variant--wide svg")
    assert charts.count() >= 3
    boxes = charts.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.right, r.width, r.height, getComputedStyle(e.parentElement).breakInside]; })"
    )
    for left, right, box_width, height, break_inside in boxes:
        assert box_width <= A4_CONTENT_WIDTH_PX and left >= 0 and right <= width, "a chart is clipped"
        assert height > 100, "a chart is squashed"
        assert break_inside == "avoid", "a chart may be split across pages"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the report is wider than A4"
    goals = page.locator(".report-goal").evaluate_all("els => els.map(e => getComputedStyle(e).breakBefore)")
    assert goals and set(goals) == {"page"}
    stamps = page.locator(".report-stamp")
    assert stamps.count() == len(goals) and stamps.first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert pages > len(goals), f"{pages} pages: the summary, then each goal on a page of its own"
    assert violations(page) == []
    assert errors == []
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["no", "en", "nn"])
def test_axe_finds_no_violation_on_screen_and_nothing_scrolls_sideways(
    browser, base_url, lang, width
) -> None:
    context, page, errors = open_report(browser, base_url, lang, width)
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    assert page.locator(".report-stamp").first.is_hidden(), "the per-goal stamp is for paper"
    assert errors == []
    context.close()


@pytest.mark.parametrize(("width", "shown"), [(375, "narrow"), (1280, "wide")])
def test_a_phone_gets_the_chart_drawn_for_its_width_so_its_text_keeps_its_size(
    browser, base_url, width, shown
) -> None:
    context, page, errors = open_report(browser, base_url, "no", width)
    other = {"narrow": "wide", "wide": "narrow"}[shown]
    assert page.locator(f".report-chart__variant--{other} svg").first.is_hidden()
    svg = page.locator(f".report-chart__variant--{shown} svg").first
    drawn = float(svg.get_attribute("width"))
    scale = svg.evaluate("e => e.getBoundingClientRect().width") / drawn
    assert scale > 0.85, f"the {drawn:.0f} px chart is shown at {scale:.0%}: its text shrinks with it"
    assert errors == []
    context.close()
