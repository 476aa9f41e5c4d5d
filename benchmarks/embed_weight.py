"""Embed weight and time until the chart is drawn, in headless Chromium.

    .venv/bin/python benchmarks/embed_weight.py [--runs 5] [--indicator ID] [--json FILE]

Serves the dashboard (the cache named by the usual settings, else the committed demo snapshot)
on a free local port, and a host page ("a newspaper article" with the embed snippet and the
resize script) from a second server on another port. Each load uses a fresh browser context
(cold cache) unless marked warm (the same page loaded once before). Reported per load: the
bytes over the wire (compressed, as the browser received them, headers included, plotly.js
included: the page fetches it after loading), the time from navigation start to the chart
drawn — the first paint showing the server's SVG chart: the later of first contentful paint
and the first animation frame after the SVG entered the document — and to the chart
interactive (``data-chart-interactive``, stamped once ``points.js`` has wired the chart).

Baselines measured in the same run, same server and browser: ``embed.css`` alone (a static
asset: the floor of any request here), a plain HTML page's first contentful paint (the floor
of anything drawn) and a page that only loads the plotly.js bundle (the floor of a chart drawn
by plotly.js). Goals (issues 8 and 17): an embed at most 60 KB over the wire and its chart drawn
within 0.5 s.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import statistics
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.data import DashboardData, DataSource
from dashboard.embed import plotly_bundle
from dashboard.pages.indicator import embed_code
from indicators.config import Settings

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
GOAL_BYTES = 60_000  # issue 17: everything included, compressed, since points.js replaced plotly.js
GOAL_SECONDS = 0.5
DRAWN = "document.documentElement.dataset.chartPainted"
DRAWN_SELECTOR = "html[data-chart-painted]"
INTERACTIVE = "document.documentElement.dataset.chartInteractive"
INTERACTIVE_SELECTOR = "html[data-chart-interactive]"
PAINTED = "document.documentElement.dataset.firstPaint"
PAINTED_SELECTOR = "html[data-first-paint]"

# When the server's chart is on screen: the later of first contentful paint and the first frame
# after the SVG entered the document (run in every frame, before the page's own scripts; the
# stamps are attributes, so a test can wait for them without evaluating code under the CSP).
PAINT_JS = """
(() => {
  let fcp = null, svgFrame = null;
  const stamp = (name, value) => {
    const root = document.documentElement;
    if (root && !root.hasAttribute(name)) root.setAttribute(name, String(Math.round(value)));
  };
  const check = () => {
    if (fcp !== null) stamp('data-first-paint', fcp);
    if (fcp !== null && svgFrame !== null) stamp('data-chart-painted', Math.max(fcp, svgFrame));
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') { fcp = e.startTime; check(); }
  }).observe({type: 'paint', buffered: true});
  const seen = new MutationObserver(() => {
    if (!document.querySelector('.embed__svg svg')) return;
    seen.disconnect();
    requestAnimationFrame((frame) => { svgFrame = frame; check(); });
  });
  seen.observe(document, {childList: true, subtree: true});
})();
"""

# When plotly.js has run: the bundle ends by assigning window.Plotly; catch that moment.
PLOTLY_READY_JS = """
(() => {
  let plotly;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get: () => plotly,
    set: (value) => { plotly = value; if (window.__plotlyReady === undefined) window.__plotlyReady = performance.now(); },
  });
})();
"""


def pick_indicator(data: DashboardData) -> str:
    """An indicator with data and a target (the fullest chart), else the first one."""
    ids = list(data.catalog.indicators)
    with_data = [i for i in ids if not data.frame(i).empty]
    with_target = [i for i in with_data if data.assessments[i].target_value is not None]
    return (with_target or with_data or ids)[0]


def serve_app() -> tuple[str, Any, DashboardData]:
    settings = Settings.resolve()
    source = DataSource(settings)
    data = source.get()  # load before timing: a server answers many requests per load
    app = create_app(settings, source=source)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server, data


def serve_host(pages: dict[str, str]) -> tuple[str, Any]:
    """Another origin (``localhost``, another port) serving fixed HTML pages."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode("utf-8")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("localhost", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://localhost:{server.server_port}", server


def load(browser: Browser, url: str, measure: str, *, warm: bool) -> dict[str, Any]:
    """Bytes over the wire and the time to what ``measure`` names, for one load of ``url``."""
    context = browser.new_context(viewport={"width": 800, "height": 900})
    context.add_init_script(PLOTLY_READY_JS)
    context.add_init_script(PAINT_JS)
    page = context.new_page()
    if warm:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    sizes: list[int] = []
    encodings: dict[str, str] = {}

    def finished(request: Any) -> None:
        s = request.sizes()
        sizes.append(s["responseBodySize"] + s["responseHeadersSize"])
        response = request.response()
        if response is not None and "plotly" in request.url:
            encodings["plotly"] = response.headers.get("content-encoding", "none")

    page.on("requestfinished", finished)
    page.goto(url)
    seconds = _seconds(page, measure)
    interactive = _interactive(page, measure)
    ready = page.evaluate("window.__plotlyReady") if measure == "chart drawn" else None
    page.wait_for_load_state("networkidle")
    context.close()
    return {
        "bytes": float(sum(sizes)),
        "seconds": seconds,
        "interactive": interactive,
        "plotly_ready": float(ready) / 1000 if ready is not None else None,
        "plotly_encoding": encodings.get("plotly", "-"),
    }


def _frame_offset(page: Page) -> float:
    """When the iframe's navigation began, on the page's clock (the frame's clock starts there)."""
    start = page.evaluate(
        "performance.getEntriesByType('resource').find(e => e.initiatorType === 'iframe')?.startTime ?? 0"
    )
    return float(start)


def _interactive(page: Page, measure: str) -> float | None:
    """When plotly.js had taken over the chart (after the page loaded it), in seconds."""
    if measure == "chart drawn":
        page.wait_for_selector(INTERACTIVE_SELECTOR, timeout=30_000)
        return float(page.evaluate(INTERACTIVE)) / 1000
    if measure == "chart drawn (in iframe)":
        frame = page.frames[1]
        frame.wait_for_selector(INTERACTIVE_SELECTOR, timeout=30_000)
        return (_frame_offset(page) + float(frame.evaluate(INTERACTIVE))) / 1000
    return None


def _seconds(page: Page, measure: str) -> float:
    if measure == "chart drawn":
        page.wait_for_selector(DRAWN_SELECTOR, timeout=30_000)
        return float(page.evaluate(DRAWN)) / 1000
    if measure == "chart drawn (in iframe)":
        frame = page.frames[1]
        frame.wait_for_selector(DRAWN_SELECTOR, timeout=30_000)  # no eval: the CSP forbids it
        return (_frame_offset(page) + float(frame.evaluate(DRAWN))) / 1000
    if measure == "first paint":
        page.wait_for_selector(PAINTED_SELECTOR, timeout=30_000)
        return float(page.evaluate(PAINTED)) / 1000
    if measure == "plotly ready":
        page.wait_for_function("window.__plotlyReady !== undefined", timeout=30_000)
        return float(page.evaluate("window.__plotlyReady")) / 1000
    return float(page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")) / 1000


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="loads per case (the median is reported)")
    parser.add_argument("--indicator", help="indicator id (default: one with data and a target)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    app_url, app_server, data = serve_app()
    indicator_id = args.indicator or pick_indicator(data)
    definition = data.catalog.indicators[indicator_id]
    host_pages = {
        "/plain": '<!DOCTYPE html><html lang="en"><head><title>A plain page</title><link rel="icon" href="data:,">'
        "</head><body><h1>A plain page</h1><p>Text only.</p></body></html>",
        "/plotly-only": f'<!DOCTYPE html><html lang="en"><head><title>plotly.js alone</title>'
        f'<link rel="icon" href="data:,"><script src="{app_url}/embed/static/{plotly_bundle().name}"></script>'
        "</head><body><p>plotly.js only</p></body></html>",
        "/article": '<!DOCTYPE html><html lang="en"><head><title>An article</title><link rel="icon" href="data:,">'
        f"</head><body><h1>An article</h1>{embed_code(data, definition, 'no', app_url)}"
        f'<script src="{app_url}/embed/static/resize.js" async></script></body></html>',
    }
    host_url, host_server = serve_host(host_pages)
    embed_path = f"/embed/indikator/{indicator_id}"
    cases = [
        ("baseline: embed.css (static asset)", app_url + "/embed/static/embed.css", "response end", False),
        ("baseline: plain HTML page, first paint", host_url + "/plain", "first paint", False),
        ("baseline: page loading plotly.js only", host_url + "/plotly-only", "plotly ready", False),
        (f"embed {embed_path}", app_url + embed_path, "chart drawn", False),
        (f"embed {embed_path}", app_url + embed_path, "chart drawn", True),
        (f"embed {embed_path}?lang=en", app_url + embed_path + "?lang=en", "chart drawn", False),
        ("embed in an iframe on another site", host_url + "/article", "chart drawn (in iframe)", False),
    ]
    results: list[dict[str, Any]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, url, measure, warm in cases:
            runs = [load(browser, url, measure, warm=warm) for _ in range(args.runs)]
            results.append(
                {
                    "case": name,
                    "cache": "warm" if warm else "cold",
                    "bytes": statistics.median(r["bytes"] for r in runs),
                    "seconds": statistics.median(r["seconds"] for r in runs),
                    "interactive": _median([r["interactive"] for r in runs]),
                    "measured": measure,
                    "plotly_ready": _median([r["plotly_ready"] for r in runs]),
                    "plotly_encoding": runs[0]["plotly_encoding"],
                }
            )
        browser.close()
    app_server.shutdown()
    host_server.shutdown()

    demo = " (demo snapshot)" if data.snapshot.demo else ""
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"indicator: {indicator_id}{demo}; {args.runs} runs per case, medians; load average {load_avg}")
    print(
        f"{'case':48} {'cache':5} {'bytes (wire)':>13} {'seconds':>8} {'interactive':>11}  "
        "measured (plotly.js ready)"
    )
    for r in results:
        ready = f" ({r['plotly_ready']:.3f} s)" if r["plotly_ready"] is not None else ""
        interactive = f"{r['interactive']:.3f}" if r["interactive"] is not None else "-"
        print(
            f"{r['case']:48} {r['cache']:5} {r['bytes']:>13,.0f} {r['seconds']:>8.3f} {interactive:>11}  "
            f"{r['measured']}{ready}"
        )
    embed_cold = next(r for r in results if r["case"] == f"embed {embed_path}" and r["cache"] == "cold")
    plotly_floor = next(r for r in results if r["case"].startswith("baseline: page loading plotly"))
    asset_floor = next(r for r in results if r["case"].startswith("baseline: embed.css"))
    paint_floor = next(r for r in results if r["case"].startswith("baseline: plain HTML page"))
    print()
    met = "met" if embed_cold["bytes"] <= GOAL_BYTES else "NOT met"
    print(
        f"embed, cold: {embed_cold['bytes'] / 1000:.0f} KB over the wire, plotly.js sent as "
        f"{embed_cold['plotly_encoding']} (goal ≤ {GOAL_BYTES / 1000:.0f} KB: {met}; plotly.js alone "
        f"{plotly_floor['bytes'] / 1000:.0f} KB)"
    )
    met = "met" if embed_cold["seconds"] <= GOAL_SECONDS else "NOT met"
    print(
        f"embed, cold: chart drawn (server SVG on screen) at {embed_cold['seconds']:.3f} s (goal ≤ "
        f"{GOAL_SECONDS} s: {met}; a plain page's first paint {paint_floor['seconds']:.3f} s, a static "
        f"asset {asset_floor['seconds']:.3f} s)"
    )
    print(
        f"embed, cold: interactive (points.js ready) at {embed_cold['interactive']:.3f} s "
        f"(for scale: plotly.js alone, which the embed no longer loads, is ready at {plotly_floor['seconds']:.3f} s)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
