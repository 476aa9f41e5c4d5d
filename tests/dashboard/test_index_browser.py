"""In Chromium: the overview and ``/indikatorer`` pass axe-core with no violations of any impact
at 320 and 1280 px in both languages, reflow without sideways scrolling, and the index filters
and sorts through its form and headings with JavaScript off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from dashboard.app import create_app
from dashboard.data import DataSource
from indicators.assessment.history import Entry, History, Recorded
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import make_snapshot, served, settings

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    s = settings()
    # A history with another release, so that the overview lists a change of status (demo data
    # has no history: the snapshot here is the fixture's as real data).
    earlier = Entry(
        release=(("ssb:07849", "2025-02-21T07:00:00Z"),),
        data_as_of=datetime(2025, 2, 21, 7, tzinfo=UTC),
        recorded=datetime(2025, 2, 21, 8, tzinfo=UTC),
        indicators={"elbil": Recorded("limited_progress"), "befolkning": Recorded("deterioration")},
    )
    snap = make_snapshot(load_catalog(s.definitions, s.goals))
    source = DataSource(
        s,
        load=lambda _s: snap,
        version=lambda _s: "v",
        history=lambda _s: History((earlier,)),
    )
    app = create_app(s, source=source)
    with served(app.server) as url:
        yield url


def violations(page) -> list[str]:
    results = axe_module.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


PATHS = [
    "/",
    "/indikatorer",
    "/indikatorer?status=deterioration&status=limited_progress&sort=name&order=desc",
]


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["no", "en", "nn"])
@pytest.mark.parametrize("path", PATHS)
def test_axe_finds_no_violation_and_nothing_scrolls_sideways(browser, base_url, path, lang, width) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sep = "&" if "?" in path else "?"
    response = page.goto(base_url + path + ("" if lang == "no" else f"{sep}lang={lang}"))
    assert response.status == 200
    page.wait_for_selector("main h1", timeout=15_000)
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    assert errors == []
    context.close()


def test_the_index_filters_and_sorts_with_javascript_off(browser, base_url) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/indikatorer")
    all_rows = page.locator("tbody tr").count()
    badge = page.locator("tbody tr").first.locator(".status")
    status = badge.locator(".status__text").inner_text()
    value = badge.get_attribute("class").split("status--")[1]
    checkbox = page.locator(f'input[name="status"][value="{value}"]')
    checkbox.check()
    page.get_by_label("Sorter etter").select_option("name")
    page.get_by_label("Rekkefølge").select_option("desc")
    page.get_by_role("button", name="Vis").click()
    assert "status=" in page.url and "sort=name" in page.url
    rows = page.locator("tbody tr")
    assert 0 < rows.count() < all_rows
    assert all(status in rows.nth(i).inner_text() for i in range(rows.count()))
    assert checkbox.is_checked(), "the form shows what is filtered"
    # A column heading is a link that sorts by it; the table says how it is sorted.
    page.locator("thead th").filter(has_text="Status").get_by_role("link").click()
    assert "sort=status" in page.url
    assert page.locator('thead th[aria-sort="ascending"]').inner_text().startswith("Status")
    page.get_by_role("link", name="Vis alle").click()
    assert page.locator("tbody tr").count() == all_rows
    context.close()


def test_the_overview_names_the_change_since_the_previous_release(browser, base_url) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/")
    section = page.locator("section.changes-section")
    assert "har endret status siden tallene fra 21. februar 2025" in section.inner_text()
    page.locator(".jump-links").get_by_role("link", name="Endringer siden forrige datautgivelse").click()
    assert page.url.endswith("#changes")
    context.close()
