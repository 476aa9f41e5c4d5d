"""In Chromium, over every page type (issue 16, item 6): exactly one footer landmark
(``contentinfo``) per page of the site, none in an embed; nothing overflows sideways at 320 px
(bokmål, English, nynorsk);
the tables and formula blocks on ``/metode`` are keyboard-reachable scroll regions (axe's
scrollable-region-focusable); the embed-code box shows the same focus ring as a link.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

EMBED = "/embed/indikator/elbil"
# Every page type: overview, goal, sub-goal, indicator, index, report, method, about, 404, embed.
PAGES = [
    "/",
    "/mal/1",
    "/delmal/1.1",
    "/indikator/elbil",
    "/indikator/utslipp",
    "/indikatorer",
    "/rapport",
    "/metode",
    "/om",
    "/tull",
    EMBED,
]
# Elements a browser maps to the contentinfo role: role="contentinfo", or a <footer> without a
# role of its own that is not inside article, aside, main, nav or section (HTML-AAM).
CONTENTINFO = """() => [...document.querySelectorAll('footer, [role=contentinfo]')].filter(el => {
  const role = el.getAttribute('role');
  if (role) return role === 'contentinfo';
  return !el.parentElement.closest('article, aside, main, nav, section');
}).length"""


@pytest.fixture()
def open_page(browser, base_url):
    contexts = []

    def visit(path: str, lang: str = "no", width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        query = "" if lang == "no" else ("&" if "?" in path else "?") + f"lang={lang}"
        page.goto(base_url + path + query)
        page.wait_for_selector("main h1", timeout=15_000)
        page.wait_for_load_state("networkidle")
        return page

    yield visit
    for context in contexts:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_one_footer_landmark_per_page_and_none_in_an_embed(open_page, path: str) -> None:
    """An embed lives in an iframe on someone else's page: its source line and link back are
    part of the embedded content (a footer inside its main), not a second contentinfo for the host."""
    page = open_page(path)
    expected = 0 if path.startswith("/embed/") else 1
    assert page.evaluate(CONTENTINFO) == expected
    assert page.get_by_role("contentinfo").count() == expected  # as Playwright's role engine sees it


@pytest.mark.parametrize("lang", ["no", "en", "nn"])
@pytest.mark.parametrize("path", PAGES)
def test_nothing_overflows_sideways_at_320_px(open_page, path: str, lang: str) -> None:
    page = open_page(path, lang, width=320)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(el => {
          const r = el.getBoundingClientRect();
          return el.checkVisibility() && r.width > 0 && r.right > 320.5;
        }).map(el => el.tagName + '.' + el.className).slice(0, 8)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, wide


# Each table and formula (<pre>) of the method text, and the box around it that scrolls.
SCROLL_BLOCKS = """() => [...document.querySelectorAll('.prose pre, .prose table')].map(el => {
  const box = el.parentElement;
  const label = document.getElementById((box.getAttribute('aria-labelledby') || '').split(' ')[0]);
  return {tag: el.tagName, tabindex: box.getAttribute('tabindex'), role: box.getAttribute('role'),
          label: label ? label.tagName + ' ' + label.textContent.trim() : null,
          scrolls: box.scrollWidth > box.clientWidth};
})"""


@pytest.mark.parametrize("lang", ["no", "en", "nn"])
def test_formula_blocks_on_the_method_page_are_reachable_by_keyboard(open_page, lang: str) -> None:
    page = open_page("/metode", lang, width=320)
    blocks = page.evaluate(SCROLL_BLOCKS)
    assert any(b["tag"] == "PRE" for b in blocks) and any(b["scrolls"] for b in blocks)
    for block in blocks:
        assert block["tabindex"] == "0" and block["role"] == "region", block
        assert block["label"] and block["label"][:2] in {"H1", "H2", "H3", "H4"}, (
            block
        )  # named by its heading
    results = axe_module.Axe().run(
        page,
        options={
            "runOnly": ["scrollable-region-focusable", "region", "landmark-unique", "aria-allowed-attr"]
        },
    )
    assert results.response["violations"] == []
    # Tab reaches the first formula, and the arrow keys then scroll it.
    first = page.locator(".prose .scroll-block:has(pre)").first
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.scroll-block:has(pre)')"):
            break
    assert first.evaluate("el => el === document.activeElement")
    if first.evaluate("el => el.scrollWidth > el.clientWidth"):
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")


FOCUS_RING = "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset]; }"


def test_the_embed_code_box_has_the_same_focus_ring_as_a_link(open_page) -> None:
    page = open_page("/indikator/elbil")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name in the header: an ordinary link, focused by keyboard
    link = page.evaluate(f"({FOCUS_RING})(document.activeElement)")
    assert page.evaluate("document.activeElement.className") == "site-header__name"
    box = page.locator("textarea.embed-code").first
    box.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # back onto the box by keyboard, so :focus-visible applies
    assert box.evaluate("el => el === document.activeElement")
    assert box.evaluate(FOCUS_RING) == link
    assert link[0] == "solid" and link[1] == "3px"
