"""Hostile requests (DESIGN §11, "the web server stays up for everyone"), in-process.

Each test sends what an attacker or a broken client would and pins the answer: a client error,
never a 500; nothing from the request's ``Host`` header or query string where the page's own
address or path belongs; no server path on a public page. (Slow clients and a huge body over a
real socket: tests/test_gunicorn.py.)
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from dashboard import data as data_module
from dashboard.app import create_app
from indicators.config import REPO_ROOT, Settings
from tests.dashboard.conftest import fixed_source, settings

CALLBACK = "/_dash-update-component"  # Dash's renderer endpoint: no page uses it, a 404


def post_raw(client, data: bytes | str, content_type: str = "application/json", path: str = CALLBACK):
    return client.post(path, data=data, content_type=content_type)


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "",
        "null",
        '{"output": NaN}',
        b'{"output": "\xff\xfe"}',
        '{"output": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"a":' * 50_000 + "1" + "}" * 50_000,
    ],
    ids=["text", "empty", "null", "nan", "bad-utf8", "deep-array", "deep-object"],
)
def test_any_body_posted_to_dashs_renderer_endpoints_is_a_404(client, raw: str | bytes) -> None:
    # Every page is written whole on the server; the renderer's endpoints would only build
    # layouts for whoever posts to them.
    for path in (CALLBACK, "/_dash-layout", "/_dash-dependencies"):
        assert post_raw(client, raw, path=path).status_code == 404


@pytest.mark.parametrize("path", [CALLBACK, "/", "/indikator/elbil", "/data/elbil.csv"])
def test_a_huge_body_is_refused_with_413_without_reading_it(client, path: str) -> None:
    # 300 MB announced, 13 bytes there: a server that tried to read it would wait or fail
    # otherwise; the limit is checked against Content-Length before anything is read, on any path.
    stream = io.BytesIO(b'{"output": 1}')
    response = client.post(
        path,
        input_stream=stream,
        content_type="application/json",
        environ_overrides={"CONTENT_LENGTH": str(300_000_000)},
    )
    assert response.status_code == 413
    assert stream.tell() == 0, "nothing of the body was read"


def test_a_body_over_the_setting_is_refused_and_one_under_it_is_not(snapshot) -> None:
    base = settings()
    limited = Settings.resolve(
        {"definitions": base.definitions, "goals": base.goals, "max_request_bytes": "2000"}
    )
    client = create_app(limited, source=fixed_source(snapshot)).server.test_client()
    assert post_raw(client, '{"output": "' + "a" * 3000 + '"}').status_code == 413
    assert post_raw(client, '{"output": "' + "a" * 1000 + '"}').status_code == 404  # not for its size


# --- the path names the page, not the query string ----------------------------------------------

PATH_VARIABLE_PAGES = [
    ("/mal/1", "goal_id", "2"),
    ("/delmal/1.1", "subgoal_id", "2.2"),
    ("/indikator/elbil", "indicator_id", "befolkning"),
]


def routed(client, path: str, search: str = "") -> str:
    """The page's document at ``path`` with query ``search``, as the server writes it."""
    response = client.get(path + search)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("path", "variable", "other"), PATH_VARIABLE_PAGES)
def test_a_query_parameter_cannot_override_the_path_variable(
    client, path: str, variable: str, other: str
) -> None:
    page = routed(client, path)
    assert routed(client, path, f"?{variable}={other}") == page
    assert routed(client, path, f"?lang=en&{variable}={other}") == routed(client, path, "?lang=en")
    # The other id's own page is different, so the comparison above means something.
    assert routed(client, path.rsplit("/", 1)[0] + "/" + other) != page


@pytest.mark.parametrize(("path", "variable", "other"), PATH_VARIABLE_PAGES)
def test_the_servers_copy_of_the_page_follows_the_path_too(
    client, path: str, variable: str, other: str
) -> None:
    def page(url: str) -> str:  # without the per-request id Dash writes into its config
        return re.sub(r'"end_id":"[^"]*"', "", client.get(url).get_data(as_text=True))

    assert page(f"{path}?{variable}={other}") == page(path)


def test_every_page_with_a_path_variable_is_protected(app) -> None:
    import dash

    from dashboard.pages.common import _WRAPPED
    from dashboard.routing import ID_KINDS

    templated = [p for p in dash.page_registry.values() if p.get("path_template")]
    assert {name for p in templated for name in ID_KINDS if f"<{name}>" in p["path_template"]} == set(
        ID_KINDS
    )
    assert all(getattr(p["layout"], _WRAPPED, False) for p in templated)


# --- the Host header is never trusted for links --------------------------------------------------

EVIL = "evil.example"
SITE = "https://indikatorer.example.no"


@pytest.fixture()
def site_app(snapshot):
    """The app with ``SITE_URL`` set, as in production."""
    base = settings()
    configured = Settings.resolve(
        {"definitions": base.definitions, "goals": base.goals, "site_url": SITE + "/"}
    )
    return create_app(configured, source=fixed_source(snapshot))


def test_the_embed_links_come_from_site_url_not_the_host_header(site_app) -> None:
    client = site_app.server.test_client()
    body = client.get("/embed/indikator/elbil", headers={"Host": EVIL}).get_data(as_text=True)
    assert EVIL not in body
    assert f'<meta property="og:url" content="{SITE}/embed/indikator/elbil">' in body
    assert f'<link rel="canonical" href="{SITE}/indikator/elbil">' in body
    assert f'<a href="{SITE}/indikator/elbil" target="_top">Mer om indikatoren' in body  # the link back


def test_without_site_url_the_host_header_still_appears_nowhere(client) -> None:
    for path in ("/embed/indikator/elbil", "/indikator/elbil", "/"):
        body = client.get(path, headers={"Host": EVIL}).get_data(as_text=True)
        assert EVIL not in body, path
    embed = client.get("/embed/indikator/elbil", headers={"Host": EVIL}).get_data(as_text=True)
    assert 'property="og:url"' not in embed and 'rel="canonical"' not in embed


def test_the_embed_code_on_the_indicator_page_uses_site_url(site_app) -> None:
    client = site_app.server.test_client()
    page = client.get("/indikator/elbil", headers={"Host": EVIL}).get_data(as_text=True)
    assert EVIL not in page
    assert f"{SITE}/embed/indikator/elbil" in page
    routed_page = json.dumps(routed(client, "/indikator/elbil"))
    assert EVIL not in routed_page and f"{SITE}/embed/indikator/elbil" in routed_page


def test_odd_hosts_and_heights_do_not_fill_the_page_memo(client, app) -> None:
    def memo_size() -> int:
        with app.server.app_context():
            return len(data_module.current()._built)

    client.get("/embed/indikator/elbil")
    client.get("/indikator/elbil")
    before = memo_size()
    for i in range(40):
        client.get("/embed/indikator/elbil", headers={"Host": f"h{i}.example"})
        client.get("/indikator/elbil", headers={"Host": f"h{i}.example"})
        client.get(f"/embed/indikator/elbil?height={10**6 + i}")  # out of bounds: a 400
        client.get(f"/embed/indikator/elbil?height=x{i}")  # unreadable: a 400
    assert memo_size() <= before + 1
    with app.server.app_context():
        keys = repr(list(data_module.current()._built))
    assert ".example" not in keys and "1000000" not in keys


# --- no server path reaches a client ------------------------------------------------------------


@pytest.fixture()
def damaged_cache_app(tmp_path: Path):
    """The app over a copy of the demo cache whose first stored response is damaged; returns
    the app, the cache folder and an indicator the damage affects."""
    cache = tmp_path / "srv-secret-cache"
    shutil.copytree(REPO_ROOT / "data_cache" / "demo", cache / "demo")
    damaged = sorted((cache / "demo" / "responses").rglob("*.json"))[0]
    damaged.write_text("{broken", encoding="utf-8")
    configured = Settings.resolve({"cache_dir": cache})
    app = create_app(configured)
    with app.server.app_context():
        problems = data_module.current().snapshot.problems
    affected = sorted(i for i, text in problems.items() if str(damaged) in text)
    assert affected, "the damage shows as a problem that names the file (for the operator)"
    return app, cache, affected[0]


def test_a_damaged_cache_file_is_reported_without_its_server_path(damaged_cache_app) -> None:
    app, cache, indicator_id = damaged_cache_app
    client = app.server.test_client()
    answers = {
        "page": client.get(f"/indikator/{indicator_id}").get_data(as_text=True),
        "routed page": json.dumps(routed(client, f"/indikator/{indicator_id}"), ensure_ascii=False),
        "json": client.get(f"/data/{indicator_id}.json").get_data(as_text=True),
        "csv": client.get(f"/data/{indicator_id}.csv").get_data(as_text=True),
        "embed": client.get(f"/embed/indikator/{indicator_id}").get_data(as_text=True),
    }
    for name, body in answers.items():
        assert str(cache) not in body and "srv-secret-cache" not in body, name
        assert str(REPO_ROOT) not in body, name
    problem = json.loads(answers["json"])["problem"]
    assert "damaged" in problem and "the stored response of table" in problem
    assert "damaged" in answers["routed page"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "/var/lib/indikatorer/responses/06944/2025.json is damaged; run refresh",
            "the stored response of table 06944 is damaged; run refresh",
        ),
        ("cannot read /srv/x/defs/data/a.csv: gone", "cannot read a file on the server: gone"),
        (
            "file C:\\cache\\responses\\07459\\a.json is damaged",
            "file the stored response of table 07459 is damaged",
        ),
        ("see https://data.ssb.no/api/v2/tables/06944.", "see https://data.ssb.no/api/v2/tables/06944."),
        ("no values for Trondheim (K-5001) in the data", "no values for Trondheim (K-5001) in the data"),
    ],
)
def test_problems_shown_to_clients_name_no_server_path(message: str, expected: str) -> None:
    assert data_module.public_problem(message) == expected
