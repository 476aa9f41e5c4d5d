"""The indicator page's breakdown in a real browser (Debian's Chromium): chosen by a link, with
the keyboard, without JavaScript; clean for axe-core and reflowing at 320 px (issue 20)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dashboard.conftest import served
from tests.dashboard.test_breakdown_downloads import breakdown_app

pytestmark = pytest.mark.browser

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    with served(breakdown_app(tmp_path_factory.mktemp("breakdown") / "definitions").server) as url:
        yield url


def _serious(page) -> list[str]:
    results = axe_module.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


@pytest.mark.parametrize("lang", ["", "&lang=en", "&lang=nn"])
def test_the_breakdown_page_passes_axe_and_reflows_at_320_px(browser, app_url, lang: str) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{app_url}/indikator/elbil?breakdown=Kjonn{lang}")
    section = page.locator("section[aria-labelledby=breakdown]")
    assert section.locator("figure .chart__canvas").count() == 1
    section.locator("details summary").click()  # the table, opened, is checked too
    assert section.locator("table").is_visible()
    assert _serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert errors == []
    page.close()


def test_a_keyboard_chooses_the_breakdown_without_javascript(browser, app_url) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{app_url}/indikator/elbil")
    link = page.get_by_role("link", name="Etter kjønn")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**breakdown=Kjonn#breakdown")
    section = page.locator("section[aria-labelledby=breakdown]")
    assert (
        section.locator("figure .chart__canvas").get_attribute("aria-label")
        == "Grafen viser målingene for Trondheim i alt og etter kjønn fra 2015 til 2024; i 2024: I alt 41,7\xa0%, Menn 40,0\xa0%, Kvinner 43,5\xa0%."
    )
    assert section.locator("[aria-current=true]").inner_text() == "Etter kjønn"
    context.close()
