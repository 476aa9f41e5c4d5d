"""Page views from the memo: a page's document once per cache version, ETag/304, bounded, never
stale; Dash's renderer endpoints, which no page asks for, are 404s whatever is sent to them."""

from __future__ import annotations

import json

import pytest

from dashboard import data as data_module
from dashboard.app import create_app
from dashboard.data import DataSource
from tests.dashboard.conftest import load_catalog, make_snapshot, settings


def page_request(path: object, search: object = "") -> bytes:
    """The body Dash's renderer used to post for a page's content."""
    return json.dumps(
        {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
            "state": [],
        }
    ).encode()


def post(client, body: bytes):
    return client.post("/_dash-update-component", data=body, content_type="application/json")


class SwitchingSource(DataSource):
    """A source whose cache version the test changes (a new data release)."""

    def __init__(self) -> None:
        s = settings()
        catalog = load_catalog(s.definitions, s.goals)
        self.snapshots = {
            "v1": make_snapshot(catalog, version="v1"),
            "v2": make_snapshot(catalog, demo=True, version="v2"),
        }
        self.now = "v1"
        super().__init__(s, load=lambda _s: self.snapshots[self.now], version=lambda _s: self.now)


def test_a_reload_of_a_page_is_a_304_and_each_language_is_its_own_document(client) -> None:
    first = client.get("/mal/1")
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get("/mal/1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/mal/1").data == first.data
    english = client.get("/mal/1?lang=en")
    assert english.data != first.data and english.headers["ETag"] != first.headers["ETag"]


def test_a_new_data_release_never_serves_the_old_page() -> None:
    source = SwitchingSource()
    client = create_app(settings(), source=source).server.test_client()
    old_index = client.get("/")
    source.now = "v2"
    new_index = client.get("/", headers={"If-None-Match": old_index.headers["ETag"]})
    assert new_index.status_code == 200 and new_index.headers["ETag"] != old_index.headers["ETag"]
    fresh = create_app(
        settings(),
        source=DataSource(settings(), load=lambda _s: source.snapshots["v2"], version=lambda _s: "v2"),
    )
    assert new_index.data == fresh.server.test_client().get("/").data


def test_a_flood_of_distinct_query_strings_does_not_grow_the_memo(app, client) -> None:
    client.get("/mal/2")  # the canonical page's entries, once
    with app.server.test_request_context():
        memo = data_module.current()._built
        before = len(memo)
    for n in range(300):
        assert client.get(f"/mal/2?x={n}").status_code == 200
    assert len(memo) == before
    assert len(memo) <= data_module.MEMO_SIZE


@pytest.mark.parametrize("path", ["/_dash-layout", "/_dash-dependencies", "/_dash-update-component"])
def test_dashs_renderer_endpoints_are_not_found(client, path: str) -> None:
    assert client.get(path).status_code == 404
    assert client.get(path + "?lang=en").status_code == 404


def test_hostile_callback_bodies_are_404s_not_a_500(client) -> None:
    for body in (
        b"",
        b"{",
        b"[]",
        b'{"output": "_pages_content", "inputs": 5}',
        b"x" * 10000,
        page_request("/mal/1"),
        page_request("/ingen-side"),
        page_request(None),
        page_request("/", 7),
    ):
        assert post(client, body).status_code == 404
    stale = client.get("/", headers={"If-None-Match": '"not-an-etag"'})
    assert stale.status_code == 200
