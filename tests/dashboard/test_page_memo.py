"""Page views from the memo: the same bytes as Dash builds, ETag/304, bounded, never stale."""

from __future__ import annotations

import json

from dashboard import data as data_module
from dashboard.app import create_app
from dashboard.data import DataSource
from tests.dashboard.conftest import load_catalog, make_snapshot, settings


def page_request(path: str, search: str = "") -> bytes:
    """The body Dash's renderer posts for a page's content (as read from /_dash-dependencies)."""
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


def test_a_reload_of_a_page_is_a_304_and_the_content_is_what_dash_builds(client) -> None:
    first = client.get("/mal/1")
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get("/mal/1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    answer = post(client, page_request("/mal/1"))
    assert answer.status_code == 200
    assert post(client, page_request("/mal/1")).data == answer.data
    assert "_pages_content" in answer.get_data(as_text=True)
    english = post(client, page_request("/mal/1", "?lang=en"))
    assert english.data != answer.data  # the language is part of the key


def test_a_new_data_release_never_serves_the_old_page() -> None:
    source = SwitchingSource()
    client = create_app(settings(), source=source).server.test_client()
    old_index = client.get("/")
    old_content = post(client, page_request("/"))
    source.now = "v2"
    new_index = client.get("/", headers={"If-None-Match": old_index.headers["ETag"]})
    assert new_index.status_code == 200 and new_index.headers["ETag"] != old_index.headers["ETag"]
    new_content = post(client, page_request("/"))
    assert new_content.data != old_content.data
    fresh = create_app(
        settings(),
        source=DataSource(settings(), load=lambda _s: source.snapshots["v2"], version=lambda _s: "v2"),
    )
    assert new_content.data == post(fresh.server.test_client(), page_request("/")).data


def test_a_flood_of_distinct_query_strings_does_not_grow_the_memo(app, client) -> None:
    post(client, page_request("/mal/2"))
    client.get("/mal/2")  # the canonical page's entries, once
    with app.server.test_request_context():
        memo = data_module.current()._built
        before = len(memo)
    for n in range(300):
        assert client.get(f"/mal/2?x={n}").status_code == 200
        assert post(client, page_request("/mal/2", f"?x={n}")).status_code == 200
    assert len(memo) == before
    assert len(memo) <= data_module.MEMO_SIZE


def test_hostile_callback_bodies_get_dash_answers_not_a_500(client) -> None:
    for body in (
        b"",
        b"{",
        b"[]",
        b'{"output": "_pages_content", "inputs": 5}',
        b"x" * 10000,
        page_request("/ingen-side"),
        page_request(None),
        page_request("/", 7),
    ):  # type: ignore[arg-type]
        assert post(client, body).status_code < 500
    stale = client.get("/", headers={"If-None-Match": '"not-an-etag"'})
    assert stale.status_code == 200
