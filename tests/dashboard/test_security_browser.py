"""The Content-Security-Policy in a real browser: nothing the pages need is blocked, and the
frame policy holds (an embed shows on another site, the dashboard itself does not).

Chromium reports every blocked script or style as a ``securitypolicyviolation`` event; the
pages are loaded, a chart is hovered, and not one event may fire (the policy allows scripts and
styles from files only). A failure lists any hashes Chromium asked for.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")

CHART = "html[data-chart-interactive] [data-chart-points]"  # the server's SVG chart with points.js
PAGES = ["/", "/mal/1", "/delmal/1.1?lang=en", "/indikator/elbil", "/metode", "/om", "/indikator/tull"]
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push([e.violatedDirective, e.blockedURI, (e.sample || "").slice(0, 80)]);
});
"""


def serve(app) -> tuple[ThreadingHTTPServer, str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def base_url(real_url: str) -> str:
    return real_url


@pytest.fixture(scope="module")
def host_url(base_url: str) -> Iterator[str]:
    """Another origin (another port) whose page frames an embed and a dashboard page."""
    page = (
        "<!DOCTYPE html><html lang='en'><head><title>Host</title></head><body>"
        f"<iframe name='embed' title='embed' src='{base_url}/embed/indikator/elbil' width='600' height='500'>"
        "</iframe>"
        f"<iframe name='page' title='page' src='{base_url}/indikator/elbil' width='600' height='500'></iframe>"
        "</body></html>"
    ).encode()

    class Host(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Host)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_no_page_triggers_a_csp_violation(browser, base_url: str) -> None:
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    found: dict[str, list] = {}
    for path in PAGES:
        page.goto(base_url + path)
        page.wait_for_selector("main h1", timeout=15_000)
        if page.locator("[data-chart-points]").count():
            page.wait_for_selector(CHART, timeout=15_000)
            page.locator(CHART).first.hover()  # the tooltip is placed through the CSSOM
        page.wait_for_timeout(300)
        violations = page.evaluate("window.__cspViolations")
        if violations:
            found[path] = violations
    context.close()
    wanted = sorted(set(re.findall(r"'(sha256-[^']+)'", " ".join(console))))
    assert found == {}, f"CSP blocked something; hashes Chromium asks for: {wanted}"
    assert not [m for m in console if "Content Security Policy" in m]


def test_the_policy_blocks_an_injected_inline_script(browser, base_url: str) -> None:
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.goto(base_url + "/")
    page.wait_for_selector("main h1", timeout=15_000)
    ran = page.evaluate(
        """() => { window.__ran = false;
                   const s = document.createElement('script');
                   s.textContent = 'window.__ran = true';
                   document.body.appendChild(s);
                   return window.__ran; }"""
    )
    assert ran is False
    assert any(v[0].startswith("script-src") for v in page.evaluate("window.__cspViolations"))
    context.close()


def test_an_embed_shows_on_another_site_but_the_dashboard_does_not(browser, host_url: str) -> None:
    context = browser.new_context()
    context.add_init_script(LISTEN)  # runs in every frame
    page = context.new_page()
    page.goto(host_url)
    embed = page.frame(name="embed")
    assert "/embed/indikator/elbil" in embed.url
    # The embed's chart is the server's SVG; points.js stamps the document once it is wired.
    embed.wait_for_selector("html[data-chart-interactive]", state="attached", timeout=15_000)
    embed.locator("[data-chart-points] svg:visible").first.hover()  # its tooltip is styled via the CSSOM
    assert embed.evaluate("document.body.innerText.length") > 0
    assert embed.evaluate("window.__cspViolations") == []
    # Chromium refuses the dashboard page and shows its own error page in the frame instead.
    dashboard = page.frame(name="page")
    assert dashboard.url.startswith("chrome-error://")
    context.close()
