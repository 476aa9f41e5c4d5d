"""Security headers on every response, the frame policy, and the checked EMBED_FRAME_ANCESTORS."""

from __future__ import annotations

import re

import pytest

from dashboard import security
from dashboard.app import create_app
from indicators.config import Settings
from indicators.errors import ConfigError
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import fixed_source, make_snapshot, settings

# One path per kind of response the server sends: Dash pages, a 404 page, downloads, health,
# Dash's JSON endpoints, a static asset, a bundled script, and the embed prefix.
PATHS = [
    "/",
    "/indikator/elbil?lang=en",
    "/indikator/finnes-ikke",
    "/data/elbil.csv",
    "/data/elbil.json",
    "/healthz",
    "/_dash-layout",
    "/_dash-dependencies",
    "/assets/dashboard.css",
    "/_favicon.ico",
    "/embed/indikator/elbil",
]
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)  # Dash's <!--[if IE]><script>…</script><![endif]-->


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"directive {name} twice in {csp}"
        parsed[name] = values
    return parsed


def app_with(**overrides: str):
    base = settings()
    s = Settings.resolve({"definitions": base.definitions, "goals": base.goals, **overrides})
    snap = make_snapshot(load_catalog(s.definitions, s.goals))
    return create_app(s, source=fixed_source(snap))


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code < 500
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    csp = directives(headers["Content-Security-Policy"])
    assert "frame-ancestors" in csp
    assert "Set-Cookie" not in headers
    assert "Strict-Transport-Security" not in headers  # plain http: HSTS would be ignored anyway


@pytest.mark.parametrize("path", [p for p in PATHS if not p.startswith("/embed/")])
def test_pages_outside_embed_cannot_be_framed(client, path: str) -> None:
    headers = client.get(path).headers
    assert directives(headers["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/embed/indikator/elbil", "/embed/indikator/elbil?lang=en&peers=0"])
def test_embeds_can_be_framed_by_any_site_by_default(client, path: str) -> None:
    headers = client.get(path).headers
    assert directives(headers["Content-Security-Policy"])["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in headers  # it has no "any site" value; CSP decides


def test_embed_frame_ancestors_follow_the_setting() -> None:
    app = app_with(embed_frame_ancestors="https://www.trondheim.kommune.no, https://*.example.no")
    client = app.server.test_client()
    embed = directives(client.get("/embed/indikator/elbil").headers["Content-Security-Policy"])
    assert embed["frame-ancestors"] == ["https://www.trondheim.kommune.no", "https://*.example.no"]
    page = client.get("/indikator/elbil").headers
    assert directives(page["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]


def test_embed_frame_ancestors_none_forbids_framing_embeds_too() -> None:
    client = app_with(embed_frame_ancestors="none").server.test_client()
    csp = directives(client.get("/embed/indikator/elbil").headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "https://a.no; script-src *",  # smuggling in another directive
        "javascript:alert(1)",
        "'none' https://a.no",
        "https://a.no/<x>",
        "'unsafe-inline'",
    ],
)
def test_an_invalid_frame_ancestors_setting_stops_the_app_with_a_clear_error(value: str) -> None:
    with pytest.raises(ConfigError, match="EMBED_FRAME_ANCESTORS"):
        security.parse_frame_ancestors(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("*", "*"),
        ("self", "'self'"),
        ("'self' https://www.trondheim.kommune.no", "'self' https://www.trondheim.kommune.no"),
        ("https:", "https:"),
        ("https://A.example.no:8443 https://a.example.no:8443", "https://a.example.no:8443"),
    ],
)
def test_frame_ancestors_setting_is_normalised(value: str, expected: str) -> None:
    assert security.parse_frame_ancestors(value) == expected


@pytest.mark.parametrize("path", ["/", "/indikator/elbil"])
def test_pages_have_no_inline_script_and_the_policy_allows_none(client, path: str) -> None:
    response = client.get(path)
    html = COMMENT.sub("", response.get_data(as_text=True))
    csp = directives(response.headers["Content-Security-Policy"])
    scripts = csp["script-src"]
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    inline = [
        m["body"]
        for m in INLINE_SCRIPT.finditer(html)
        if "src=" not in m["attrs"] and "application/json" not in m["attrs"]
    ]
    assert inline == []  # scripts are files (points.js, copy.js): Dash's index page is never sent
    assert scripts == ["'self'"]


def test_a_script_injected_into_a_page_would_not_be_allowed(client) -> None:
    scripts = directives(client.get("/").headers["Content-Security-Policy"])["script-src"]
    assert security.script_hash("alert(document.cookie)") not in scripts
    assert "*" not in scripts and "data:" not in scripts and "https:" not in scripts


def test_page_policy_is_same_origin_only(client) -> None:
    csp = directives(client.get("/").headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/indikator/elbil", "/embed/indikator/elbil"])
def test_styles_come_from_style_sheet_files_only(client, path: str) -> None:
    response = client.get(path)
    assert directives(response.headers["Content-Security-Policy"])["style-src"] == ["'self'"]
    body = response.get_data(as_text=True)
    assert "<style" not in body and " style=" not in body.replace(
        'style="border:0"', ""
    )  # the embed code's text


def test_resources_that_are_not_pages_get_a_deny_all_policy(client) -> None:
    for path in ("/assets/dashboard.css", "/healthz", "/data/elbil.json"):
        csp = directives(client.get(path).headers["Content-Security-Policy"])
        assert csp["default-src"] == ["'none'"], path


def test_hsts_is_sent_over_https(app) -> None:
    client = app.server.test_client()
    response = client.get("/", base_url="https://indikatorer.example.no")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_registered_inline_script_is_allowed() -> None:
    app = app_with()
    code = "window.parent.postMessage({height: 300}, '*');"
    security.allow_inline_script(app.server, code)
    security.allow_inline_script(app.server, code)  # twice is harmless
    scripts = directives(app.server.test_client().get("/").headers["Content-Security-Policy"])["script-src"]
    assert scripts.count(security.script_hash(code)) == 1


def test_no_response_sets_a_cookie(client) -> None:
    for path in PATHS:
        assert "Set-Cookie" not in client.get(path).headers, path
    response = client.post("/_dash-update-component", json={})
    assert "Set-Cookie" not in response.headers
