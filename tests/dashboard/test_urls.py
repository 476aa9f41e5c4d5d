"""Internal links keep the language; paths map to the right page."""

from __future__ import annotations

import pytest

from dashboard import routing, urls


def test_links_keep_english_and_bokmal_needs_no_parameter() -> None:
    assert urls.goal("1", "no") == "/mal/1"
    assert urls.goal("1", "en") == "/mal/1?lang=en"
    assert urls.subgoal("1.4", "en") == "/delmal/1.4?lang=en"
    assert urls.indicator("elbil-andel", "en") == "/indikator/elbil-andel?lang=en"
    assert urls.embed("elbil-andel", "no") == "/embed/indikator/elbil-andel"
    assert urls.data_json("elbil-andel") == "/data/elbil-andel.json"


def test_ids_are_quoted_so_a_link_cannot_break_out_of_its_path() -> None:
    assert urls.indicator('a"b/<c>', "no") == "/indikator/a%22b%2F%3Cc%3E"


def test_statbank_link_names_the_table() -> None:
    assert urls.statbank("07849") == "https://www.ssb.no/statbank/table/07849"


@pytest.mark.parametrize(
    ("path", "pattern", "variables"),
    [
        ("/", "/", {}),
        ("/metode", "/metode", {}),
        ("/om/", "/om", {}),
        ("/mal/1", "/mal/<goal_id>", {"goal_id": "1"}),
        ("/delmal/1.4", "/delmal/<subgoal_id>", {"subgoal_id": "1.4"}),
        ("/indikator/elbil", "/indikator/<indicator_id>", {"indicator_id": "elbil"}),
        ("/indikator/elbil/extra", "/indikator/<indicator_id>", {"indicator_id": "elbil/extra"}),
        ("/embed/indikator/elbil", "/embed/indikator/<indicator_id>", {"indicator_id": "elbil"}),
        ("/data/elbil.csv", "/data/<indicator_id>.csv", {"indicator_id": "elbil"}),
        ("/data/elbil.json", "/data/<indicator_id>.json", {"indicator_id": "elbil"}),
        ("/data/elbil.xlsx", "/data/<indicator_id>.xlsx", {"indicator_id": "elbil"}),
        ("/healthz", "/healthz", {}),
    ],
)
def test_resolve_finds_the_registered_page_or_route_of_a_path(
    app, path: str, pattern: str, variables: dict[str, str]
) -> None:
    route = routing.resolve(path, app.server.url_map)
    assert route is not None
    assert (route.pattern, dict(route.variables)) == (pattern, variables)


@pytest.mark.parametrize(
    "path", ["/indikator/", "/tull", "/data/elbil.ods", "/dashboard/pages/not-found-404", "/embed/"]
)
def test_resolve_finds_nothing_for_paths_no_page_serves(app, path: str) -> None:
    assert routing.resolve(path, app.server.url_map) is None


def test_a_dash_page_resolves_to_its_registry_entry_and_a_flask_route_to_none(app) -> None:
    page = routing.resolve("/mal/1", app.server.url_map)
    assert page is not None and page.page is not None and page.page["module"] == "dashboard.pages.goal"
    route = routing.resolve("/data/elbil.csv", app.server.url_map)
    assert route is not None and route.page is None


def test_unknown_id_names_the_kind_of_id_the_catalogue_lacks(app, catalog) -> None:
    known = routing.resolve("/delmal/1.1", app.server.url_map)
    unknown = routing.resolve("/embed/indikator/elbill", app.server.url_map)
    assert known is not None and known.unknown_id(catalog) is None
    assert unknown is not None and unknown.unknown_id(catalog) == (routing.ID_KINDS["indicator_id"], "elbill")
