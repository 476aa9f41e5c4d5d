"""HTTP fuzzing of every route: odd paths, query strings, methods and callback bodies.

Whatever a client sends, the server answers without crashing (never HTTP 500), never echoes
markup from the request into a page, and keeps its security headers. Hypothesis generates
the requests; every route of the app's URL map is covered, plus paths that match no route.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, unquote_to_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.app import create_app
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import fixed_source, make_snapshot
from tests.dashboard.conftest import settings as fixture_settings

MARKER = "<x-fuzz>"
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same requests on every run: a failure is reproducible in CI
)

# Percent-encodings a hostile or broken client sends: invalid UTF-8, NUL, dot segments,
# encoded slashes, overlong forms, right-to-left override.
RAW_SEGMENTS = [
    "%ff",
    "%00",
    "%2e%2e",
    "..",
    ".",
    "%2f",
    "%c0%ae",
    "%e2%80%ae",
    "%",
    "%zz",
    "a%0d%0aSet-Cookie:x=1",
    quote(MARKER),
    "x" * 4000,
]
KNOWN_IDS = ["elbil", "befolkning", "utslipp", "deltakelse", "1", "1.1", "2.2", "elbil.csv", "dash"]

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
segment = st.one_of(
    text.map(lambda t: quote(t, safe="")),
    st.sampled_from(RAW_SEGMENTS),
    st.sampled_from(KNOWN_IDS),
)
query_value = st.one_of(
    text, st.sampled_from(["en", "no", "nb", "EN", "0", "1", "-1", "1e309", "NaN", MARKER, "x" * 3000])
)
query = st.lists(
    st.tuples(
        st.sampled_from(["lang", "peers", "height", "m", "v", "_", "lang[]", MARKER]) | text, query_value
    ),
    max_size=5,
).map(lambda pairs: "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs))


@pytest.fixture(scope="module")
def app():
    s = fixture_settings()
    return create_app(s, source=fixed_source(make_snapshot(load_catalog(s.definitions, s.goals))))


@pytest.fixture(scope="module")
def templates(app) -> list[str]:
    """Every route of the URL map as a path template, e.g. ``/data/<indicator_id>.json``."""
    app.server.test_client().get("/")  # Dash registers some routes on the first request
    rules = sorted({rule.rule for rule in app.server.url_map.iter_rules()})
    assert {"/", "/<path:path>", "/healthz", "/data/<indicator_id>.json"} <= set(rules)
    return rules


def fill(template: str, segments: list[str]) -> str:
    """The template with each ``<converter:name>`` replaced by the next segment."""
    parts = iter(segments)
    return re.sub(r"<[^>]+>", lambda _m: next(parts, "x"), template)


def send(app, method: str, path: str, qs: str = ""):
    """Send ``path`` exactly as a server would pass it on (PATH_INFO: percent-decoded bytes as
    latin-1), so paths such as ``//host`` are not read as URLs by the test client."""
    environ = {
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": qs,
        "REQUEST_URI": f"{path}?{qs}" if qs else path,
    }
    return app.server.test_client().open("/", method=method, environ_overrides=environ)


def check(response, sent: str) -> None:
    body = response.get_data()
    assert response.status_code < 500, f"{sent} -> {response.status_code}: {body[:300]!r}"
    assert MARKER.encode() not in body, f"{sent} echoed markup into the response"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", sent
    assert "Content-Security-Policy" in response.headers, sent
    assert "Set-Cookie" not in response.headers, sent


@FUZZ
@given(data=st.data(), segments=st.lists(segment, min_size=1, max_size=3), qs=query)
def test_every_route_survives_odd_paths_and_query_strings(app, templates, data, segments, qs) -> None:
    template = data.draw(st.sampled_from(templates))
    path = fill(template, segments)
    method = data.draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "OPTIONS", "DELETE"]))
    response = send(app, method, path, qs)
    check(response, f"{method} {path[:200]}?{qs[:100]}")


@FUZZ
@given(segments=st.lists(segment, min_size=1, max_size=6), qs=query)
def test_paths_that_match_no_route_are_plain_404s(app, segments, qs) -> None:
    path = "/" + "/".join(segments)
    response = send(app, "GET", path, qs)
    check(response, path[:200])


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=6,
)


@FUZZ
@given(
    body=json_value, path=st.sampled_from(["/_dash-update-component", "/_dash-layout", "/_dash-dependencies"])
)
def test_dashs_renderer_endpoints_answer_any_body_with_a_404(app, body, path) -> None:
    # No page loads Dash's renderer; its endpoints are refused whatever is posted or asked.
    client = app.server.test_client()
    response = client.post(path, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 404
    check(client.get(path), path)


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/../../../etc/passwd",
        "/_dash-component-suites/dash/deps/nope.js",
        "/assets/../app.py",
        "/assets/%2e%2e/gunicorn.conf.py",
    ],
)
def test_files_outside_what_the_app_serves_are_404(app, path: str) -> None:
    response = app.server.test_client().get(path)
    assert response.status_code == 404
    assert b"import" not in response.get_data()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/indikator/elbil", 200),  # the helper reaches real pages, not only 404s
        ("/data/elbil.json", 200),
        ("//0000::%80%80", 404),  # looks like a network-path reference
        ("//evil.example/indikator/elbil", 404),
        ("/%2e%2e/%2e%2e/etc/passwd", 404),
        ("/indikator/%ff%fe", 404),
        ("/embed/indikator/%00", 404),
    ],
)
def test_tricky_paths(app, path: str, status: int) -> None:
    response = send(app, "GET", path)
    check(response, path)
    assert response.status_code == status
