"""The full chart's year axis as Chromium draws it: the target year labelled (bold) and no two
year labels overlapping, on a 320 px phone and a 1280 px screen."""

from __future__ import annotations

import itertools

import pytest

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

# The year labels of the drawing the style sheet shows (the others are display: none).
YEAR_BOXES = """() => [...document.querySelectorAll('#main-content svg g.ticks text[text-anchor=middle]')]
  .map(t => [t.textContent, t.classList.contains('tick--marked'), t.getBoundingClientRect()])
  .filter(([, , r]) => r.width > 0)
  .map(([text, marked, r]) => [text, marked, r.left, r.right])"""


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["no", "en", "nn"])
def test_the_target_year_is_labelled_and_no_year_labels_overlap(
    browser, base_url, width: int, lang: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base_url}/indikator/elbil?lang={lang}")
    labels = page.evaluate(YEAR_BOXES)
    context.close()
    assert [text for text, marked, *_ in labels if marked] == ["2032"], labels
    ordered = sorted(labels, key=lambda label: label[2])
    for (a, _, _, right), (b, _, left, _) in itertools.pairwise(ordered):
        assert left >= right, f"{a} and {b} overlap at {width} px"
