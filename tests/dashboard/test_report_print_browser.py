"""In Chromium: every page of ``/rapport`` printed to PDF carries the plan, the data date, the
demo mark (when the figures are the demo snapshot) and its page number, read back from the
PDF's text page by page."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module", params=[False, True], ids=["real", "demo"])
def served_report(request) -> tuple[str, bool]:
    # The session's shared servers (conftest): real figures, then the demo snapshot's.
    return str(request.getfixturevalue("demo_url" if request.param else "real_url")), request.param


def printed_pages(browser, url: str) -> list[str]:
    """The text of each page of the report's PDF, as Chromium prints it on A4."""
    context = browser.new_context()
    try:
        page = context.new_page()
        assert page.goto(url).status == 200
        page.wait_for_selector("main h1")
        pdf = page.pdf(format="A4")  # print media; the @page rules and margin boxes apply
    finally:
        context.close()
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(
    ("lang", "date", "numbering"),
    [
        ("no", "Data hentet 5. mars 2026", "Side {i} av {n}"),
        ("en", "Data fetched 5 March 2026", "Page {i} of {n}"),
    ],
)
def test_every_printed_page_says_plan_data_date_mark_and_page(
    browser, served_report, lang, date, numbering
) -> None:
    url, demo = served_report
    pages = printed_pages(browser, url + "/rapport" + ("?lang=en" if lang == "en" else ""))
    assert len(pages) > 3  # the summary, then a page or more per goal
    plan = "Testløftet" if lang == "no" else "The Test Pledge"
    mark = "DEMODATA" if lang == "no" else "DEMO DATA"
    for i, text in enumerate(pages, start=1):
        assert plan in text and date in text, f"page {i}: {text[:160]}"
        assert numbering.format(i=i, n=len(pages)) in text, f"page {i}: {text[:160]}"
        head = text[:100]  # the running head comes first (charts also say DEMODATA, further down)
        assert (mark in head) == demo, f"page {i}: {text[:160]}"
