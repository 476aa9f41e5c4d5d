"""Page weight, total blocking time and time to the first rendered chart, in headless Chromium.

    .venv/bin/python benchmarks/page_weight.py [--runs 5] [--json benchmarks/results/page_weight.json]

Serves the dashboard (the cache named by the usual settings, else the committed demo snapshot)
on a free local port and loads each page in a fresh browser context (cold cache) and once more
in the same context (warm cache). For each it reports the bytes over the wire (compressed as the
browser asked for with its own Accept-Encoding, headers included), the total blocking time (the
main thread's long tasks beyond 50 ms each, from a PerformanceObserver of type ``longtask``, up
to the quiet network after the page is interactive), the time from navigation start to the first
rendered chart (the server's SVG drawing of a chart in the page's HTML, a Plotly chart's SVG, or
a small-chart/sparkline picture that has loaded), and the time until the page is interactive:
for a server-written page, when its scripts have run (``points.js`` has wired the chart); for a
Dash-drawn page (before issue 21), when Dash has drawn the page and removed the server's copy.

Baselines measured in the same run, on the same server and browser: the stylesheet alone (a
static asset) and the 404 page (a small server-rendered HTML page) — the time to its heading is
the floor any page pays here. Goals: issue 21 — every page at most 250 KiB over the wire and a
total blocking time of at most 100 ms; issue 7 — the first chart within 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.data import DataSource
from indicators.config import Settings

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
GOAL_BYTES = 250 * 1024  # issue 21: each page at most 250 KiB over the wire, cold
GOAL_TBT_MS = 100.0  # issue 21: total blocking time
GOAL_SECONDS = 1.0

# Records when the first chart is on screen: a Plotly SVG, or a chart picture that has loaded.
FIRST_CHART_JS = """
(() => {
  const seen = () => {
    if (window.__firstChart !== undefined) return;
    const plot = document.querySelector('.js-plotly-plot .main-svg, .static-graph svg');
    const img = [...document.querySelectorAll('img.chart__img, .sparkline img')].find(i => i.complete);
    if (plot || img) window.__firstChart = performance.now();
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true, attributes: true});
  document.addEventListener('load', seen, true);
})();
"""
# Records when the page is interactive. A server-written page: once the document is parsed and
# its scripts have run (points.js marks <html data-chart-interactive> when it has wired a chart).
# A Dash-drawn page (before issue 21): once Dash has drawn the page and the server's copy is gone.
INTERACTIVE_JS = """
(() => {
  const check = () => {
    if (window.__interactive !== undefined || document.readyState === 'loading') return;
    if (window.__firstChart === undefined) return;
    if (document.getElementById('react-entry-point')) {
      if (document.getElementById('prerendered') || !document.querySelector('#_pages_content main h1')) return;
    } else if (document.querySelector('[data-chart-points]')
               && !document.documentElement.hasAttribute('data-chart-interactive')) return;
    window.__interactive = performance.now();
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, attributes: true});
  document.addEventListener('DOMContentLoaded', check);
  window.addEventListener('load', check);
})();
"""
# Every long task of the main thread (over 50 ms), as the browser reports it to the page.
LONG_TASKS_JS = """
window.__longTasks = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__longTasks.push(e.duration)))
  .observe({type: 'longtask', buffered: true});
"""
FIRST_HEADING_JS = """
(() => {
  new MutationObserver(() => {
    if (window.__firstHeading === undefined && document.querySelector('main h1'))
      window.__firstHeading = performance.now();
  }).observe(document, {childList: true, subtree: true});
})();
"""


def serve() -> tuple[str, Any]:
    settings = Settings.resolve()
    source = DataSource(settings)
    source.get()  # load the snapshot before timing: a server answers many requests per load
    app = create_app(settings, source=source)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    first_indicator = next(iter(source.get().catalog.indicators))
    return f"http://127.0.0.1:{server.server_port}", (server, first_indicator)


def load(browser: Browser, url: str, marker: str | None, *, warm: bool) -> dict[str, float]:
    """Bytes over the wire and the time to ``marker`` for one page load."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(FIRST_CHART_JS)
    context.add_init_script(FIRST_HEADING_JS)
    context.add_init_script(INTERACTIVE_JS)
    context.add_init_script(LONG_TASKS_JS)
    page = context.new_page()
    if warm:  # a first visit fills the browser cache; measure the second
        page.goto(url)
        page.wait_for_load_state("networkidle")
    sizes: list[int] = []

    def finished(request: Any) -> None:
        s = request.sizes()
        sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

    page.on("requestfinished", finished)
    page.goto(url)
    interactive = None
    if marker == "chart":
        page.wait_for_function("() => window.__firstChart !== undefined", timeout=30_000)
        seconds = page.evaluate("window.__firstChart") / 1000
        page.wait_for_function("() => window.__interactive !== undefined", timeout=30_000)
        interactive = page.evaluate("window.__interactive") / 1000
    elif marker == "heading":
        page.wait_for_function("() => window.__firstHeading !== undefined", timeout=30_000)
        seconds = page.evaluate("window.__firstHeading") / 1000
    else:
        seconds = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd") / 1000
    page.wait_for_load_state("networkidle")
    blocking = sum(max(0.0, duration - 50.0) for duration in page.evaluate("window.__longTasks"))
    context.close()
    return {"bytes": float(sum(sizes)), "seconds": seconds, "interactive": interactive, "tbt_ms": blocking}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=5, help="loads per page and cache state (median reported)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    base, (server, indicator_id) = serve()
    pages = [
        ("baseline: stylesheet (static asset)", "/assets/dashboard.css", None),
        ("baseline: 404 page (server HTML)", "/finnes-ikke", "heading"),
        ("overview /", "/", "chart"),
        (f"indicator /indikator/{indicator_id}", f"/indikator/{indicator_id}", "chart"),
        ("goal /mal/1", "/mal/1", "chart"),
    ]
    results: list[dict[str, Any]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, path, marker in pages:
            for warm in (False, True):
                runs = [load(browser, base + path, marker, warm=warm) for _ in range(args.runs)]
                results.append(
                    {
                        "page": name,
                        "cache": "warm" if warm else "cold",
                        "bytes": statistics.median(r["bytes"] for r in runs),
                        "seconds": statistics.median(r["seconds"] for r in runs),
                        "measured": "first chart" if marker == "chart" else marker or "response end",
                        "interactive": (
                            statistics.median(r["interactive"] for r in runs) if marker == "chart" else None
                        ),
                        "tbt_ms": statistics.median(r["tbt_ms"] for r in runs),
                    }
                )
        browser.close()
    server.shutdown()

    print(
        f"{'page':44} {'cache':5} {'bytes (wire)':>13} {'KiB':>7} {'TBT ms':>7} {'seconds':>8}  "
        f"{'interactive':>11}  measured"
    )
    for r in results:
        interactive = f"{r['interactive']:>11.3f}" if r["interactive"] is not None else f"{'—':>11}"
        print(
            f"{r['page']:44} {r['cache']:5} {r['bytes']:>13,.0f} {r['bytes'] / 1024:>7.1f} {r['tbt_ms']:>7.0f} "
            f"{r['seconds']:>8.3f}  {interactive}  {r['measured']}"
        )
    floor = next(r for r in results if r["page"].startswith("baseline: 404") and r["cache"] == "cold")
    print()
    for r in results:
        if r["measured"] != "first chart":
            continue
        if r["cache"] == "cold":
            weight = "met" if r["bytes"] <= GOAL_BYTES else "NOT met"
            blocking = "met" if r["tbt_ms"] <= GOAL_TBT_MS else "NOT met"
            print(
                f"{r['page']}, cold: {r['bytes'] / 1024:.0f} KiB over the wire (goal ≤ {GOAL_BYTES / 1024:.0f} KiB: "
                f"{weight}), total blocking time {r['tbt_ms']:.0f} ms (goal ≤ {GOAL_TBT_MS:.0f} ms: {blocking})"
            )
        verdict = "met" if r["seconds"] <= GOAL_SECONDS else "NOT met"
        print(
            f"{r['page']}, {r['cache']}: first chart {r['seconds']:.2f} s "
            f"(goal ≤ {GOAL_SECONDS:.0f} s: {verdict}; the 404 page's heading takes {floor['seconds']:.2f} s)"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
