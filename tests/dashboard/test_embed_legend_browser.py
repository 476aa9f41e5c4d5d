"""Every line an embed draws is named by sight at every width: a comparison municipality's line
carries its name at its end where there is room, else a compact legend under the chart names it
(the drawer's rule, so the page and the export follow). Chromium draws the embed at 320 and
1280 px, responsive and with the fixed ``?height=``; no two labels overlap, axe finds nothing."""

from __future__ import annotations

import pytest

from dashboard.data import build_data
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import make_snapshot, settings

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

# The names written on the visible chart (end labels and legend entries) with their boxes.
VISIBLE_NAMES = """
() => [...document.querySelectorAll('.embed__chart svg')]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .flatMap((svg) => [...svg.querySelectorAll('text.end-label, .legend-item text')])
  .map((el) => { const r = el.getBoundingClientRect();
                 return {text: el.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom}; })
"""


def peer_names(lang: str) -> list[str]:
    s = settings()
    data = build_data(make_snapshot(load_catalog(s.definitions, s.goals), demo=True))
    frame = data.frame("elbil")
    home = data.catalog.plan.region
    peers = frame[(frame["region"] != home) & frame["value"].notna()]
    assert not peers.empty  # the demo compares elbil with other municipalities
    return sorted(set(peers["region_name"].astype(str)))


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("query", ["", "&height=300", "&height=240"])
def test_every_peer_line_is_named_visibly_without_overlap(browser, demo_url, width: int, query: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        response = page.goto(f"{demo_url}/embed/indikator/elbil?lang=no{query}")
        assert response is not None and response.status == 200
        names = page.evaluate(VISIBLE_NAMES)
        shown = {n["text"] for n in names}
        for peer in peer_names("no"):
            # By its end label, or its legend entry ("Oslo (til sammenligning)" on the page).
            assert any(text == peer or text.startswith(peer + " ") for text in shown), (peer, shown)
        for i, a in enumerate(names):
            assert a["r"] - a["l"] > 0 and a["r"] <= width + 0.5  # drawn, and inside the window
            for b in names[i + 1 :]:
                apart = a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"]
                assert apart, (a, b)
        violations = axe_module.Axe().run(page).response["violations"]
        assert violations == [], [v["id"] for v in violations]
        assert errors == []
    finally:
        context.close()
