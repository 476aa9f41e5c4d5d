"""The app over HTTP (Flask's test client): status codes, language, downloads, reloads."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import threading

import dash
import pytest

from dashboard import routing
from dashboard.app import create_app
from dashboard.data import DataSource
from indicators.errors import CacheError
from tests.dashboard.conftest import DATA_AS_OF, ELBIL, FOLK, FOLK_YEARS, make_snapshot, settings

PAGES = [
    "/",
    "/mal/1",
    "/delmal/1.1",
    "/delmal/2.2",
    "/indikator/elbil",
    "/indikator/deltakelse",
    "/metode",
    "/om",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_200_with_html_lang(client, path: str) -> None:
    no = client.get(path)
    en = client.get(path + "?lang=en")
    nn = client.get(path + "?lang=nn")
    assert no.status_code == 200 and en.status_code == 200 and nn.status_code == 200
    assert '<html lang="nb">' in no.get_data(as_text=True)
    assert '<html lang="en">' in en.get_data(as_text=True)
    assert '<html lang="nn">' in nn.get_data(as_text=True)


def test_title_is_the_pages_own_in_its_language(client) -> None:
    assert "<title>Mål 1: Et grønnere samfunn – Indikatorer for Testløftet</title>" in client.get(
        "/mal/1"
    ).get_data(as_text=True)
    assert "<title>Electric cars, share of passenger cars – Indicators for The Test Pledge</title>" in (
        client.get("/indikator/elbil?lang=en").get_data(as_text=True)
    )


def test_the_title_is_written_in_a_server_thread_where_no_callback_ever_ran(app) -> None:
    """Real servers answer in threads of their own, which have no Dash callback context."""
    bodies: list[str] = []

    def fetch() -> None:
        bodies.append(app.server.test_client().get("/mal/1?lang=en").get_data(as_text=True))

    thread = threading.Thread(target=fetch)
    thread.start()
    thread.join()
    assert "<title>Goal 1: A greener society – Indicators for The Test Pledge</title>" in bodies[0]


def test_the_page_is_written_in_the_requested_language(client) -> None:
    english = client.get("/mal/1?lang=en").get_data(as_text=True)
    assert "A greener society" in english and "Et grønnere samfunn" not in english
    norsk = client.get("/indikator/elbil").get_data(as_text=True)
    assert "Slik er statusen beregnet" in norsk


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mal/9", "Det finnes ikke noe mål med dette nummeret."),
        ("/delmal/1.9", "Det finnes ikke noe delmål med dette nummeret."),
        ("/indikator/elbill", "Det finnes ingen indikator med denne id-en."),
        ("/embed/indikator/nope", "Det finnes ingen indikator med denne id-en."),
        ("/indikator/elbil/mer", "Det finnes ingen indikator med denne id-en."),
        ("/finnes-ikke", "Vi fant ingen side på denne adressen."),
        ("/data/elbil.xls", "Vi fant ingen side på denne adressen."),  # .xlsx exists, .xls does not
        ("/data/nope.csv", "Vi fant ingen side på denne adressen."),
        ("/dashboard/pages/not-found-404", "Vi fant ingen side på denne adressen."),
    ],
)
def test_unknown_paths_answer_404_with_a_helpful_page(client, path: str, expected: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert expected in body
    assert '<html lang="nb">' in body and 'href="/"' in body and 'href="/mal/1"' in body


# A route whose last variable takes a file path serves files (assets, scripts, Dash's shell).
SERVES_FILES = re.compile(r"<path:\w+>$")
VARIABLE = re.compile(r"<(?:\w+:)?(\w+)>")
UNKNOWN_ID = "finnes-ikke"


def registered_patterns(app) -> list[str]:
    """Every path the app serves, as registered: its Dash pages (``path`` or
    ``path_template``), then its Flask routes with variables that are not file paths."""
    pages = [
        str(page.get("path_template") or page["path"])
        for module, page in dash.page_registry.items()
        if module.split(".")[-1] != routing.NOT_FOUND_MODULE
    ]
    rules = [
        rule.rule
        for rule in app.server.url_map.iter_rules()
        if rule.arguments and "GET" in (rule.methods or ()) and not SERVES_FILES.search(rule.rule)
    ]
    return pages + rules


def test_every_variable_of_a_registered_path_names_a_kind_of_id(app) -> None:
    """A page or route with a variable routing cannot check would answer 200 for any id."""
    unchecked = {
        pattern: name
        for pattern in registered_patterns(app)
        for name in VARIABLE.findall(pattern)
        if name not in routing.ID_KINDS
    }
    assert not unchecked, f"no kind of id (dashboard.routing.ID_KINDS) for: {unchecked}"


def test_every_registered_page_and_route_answers_200_for_known_ids_and_404_for_unknown(
    app, client, catalog
) -> None:
    """Walks the registry and the URL map, so a page or route that routing forgets fails."""
    patterns = registered_patterns(app)
    assert {"/", "/mal/<goal_id>", "/embed/indikator/<indicator_id>", "/data/<indicator_id>.csv"} <= set(
        patterns
    )
    known = {name: next(iter(kind.ids(catalog))) for name, kind in routing.ID_KINDS.items()}
    failures = []
    for pattern in patterns:
        path = VARIABLE.sub(lambda m: known.get(m.group(1), UNKNOWN_ID), pattern)
        route = routing.resolve(path, app.server.url_map)
        if route is None or route.pattern != pattern:
            failures.append(f"{path} resolves to {route}, not {pattern}")
        for query in ("", "?lang=en", "?lang=nn"):
            status = client.get(path + query).status_code
            if status != 200:
                failures.append(f"{path}{query}: {status}, expected 200")
        for name in VARIABLE.findall(pattern):
            wrong = VARIABLE.sub(
                lambda m, name=name: UNKNOWN_ID if m.group(1) == name else known.get(m.group(1), UNKNOWN_ID),
                pattern,
            )
            for query, html_lang in (("", "nb"), ("?lang=en", "en"), ("?lang=nn", "nn")):
                response = client.get(wrong + query)
                body = response.get_data(as_text=True)
                helpful = f'<html lang="{html_lang}">' in body and 'href="/mal/1' in body
                if response.status_code != 404 or not helpful:
                    failures.append(f"{wrong}{query}: {response.status_code}, expected a helpful 404")
    assert not failures, "\n".join(failures)


def test_404_suggests_close_ids_in_english(client) -> None:
    body = client.get("/indikator/elbill?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in body and "Did you mean:" in body
    assert 'href="/indikator/elbil?lang=en"' in body


def test_404_never_echoes_markup_from_the_url(client) -> None:
    response = client.get("/indikator/%3Cscript%3Ealert(1)%3C%2Fscript%3E?lang=%3Cb%3E")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "<script>" not in body and "alert(1)" not in body and "<b>" not in body


@pytest.mark.parametrize("path", ["/", "/assets/dashboard.css", "/data/elbil.json"])
def test_responses_are_compressed_for_browsers(client, path: str) -> None:
    response = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") in {"gzip", "br", "zstd", "deflate"}


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_no_dash_renderer_and_no_plotly_only_two_small_scripts(client, path: str) -> None:
    body = client.get(path).get_data(as_text=True)
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', body)
    assert [s.split("?")[0] for s in scripts] == ["/embed/static/points.js", "/assets/copy.js"]
    for piece in ("plotly", "dash_renderer", "dash-renderer", "react", "_dash-config", "<script>"):
        assert piece not in body
    for src in scripts:
        script = client.get(src, headers={"Accept-Encoding": "gzip"})
        assert script.status_code == 200 and len(script.get_data()) < 8_000


def _csv_rows(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8")), delimiter=";"))


def test_csv_opens_in_norwegian_excel_and_holds_the_snapshots_values(client) -> None:
    response = client.get("/data/befolkning.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "befolkning.csv" in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == ["regionkode", "region", "år", "verdi", "ssb_symbol", "datagrunnlag"]
    body = rows[1:]
    assert [r[0] for r in body[: len(FOLK_YEARS)]] == ["K-5001"] * len(FOLK_YEARS)  # home region first
    by_key = {(r[0], int(r[2])): r for r in body}
    for region, values in FOLK.items():
        for year, value in zip(FOLK_YEARS, values, strict=True):
            assert float(by_key[(region, year)][3].replace(",", ".")) == value
    assert len(body) == sum(len(v) for v in FOLK.values())


def test_csv_uses_decimal_comma_and_keeps_ssb_symbols_for_missing_values(client) -> None:
    rows = _csv_rows(client.get("/data/elbil.csv?format=csv-no&lang=en"))
    assert rows[0] == ["region_code", "region", "year", "value", "ssb_symbol", "data_kind"]
    by_key = {(r[0], r[2]): r for r in rows[1:]}
    assert by_key[("K-5001", "2024")][3] == "41,7"
    assert by_key[("K-4601", "2015")][3:5] == ["", ".."]  # missing stays missing, never 0


def test_json_credits_another_publishers_figures_to_that_publisher(client) -> None:
    doc = json.loads(client.get("/data/utslipp.json").get_data(as_text=True))
    assert doc["sources"] == [
        {
            "table": None,
            "url": "https://www.miljodirektoratet.no/tjenester/klimagassutslipp-kommuner/",
            "updated": None,
            "kind": "csv",
            "publisher": "Miljødirektoratet",
            "title": "utslipp.csv",
            "licence": "NLOD 2.0",
        }
    ]
    assert doc["other_sources"] == ["utslipp.csv"]


def test_json_holds_series_assessment_and_metadata(client, data) -> None:
    response = client.get("/data/elbil.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = json.loads(response.get_data(as_text=True))
    assert doc["id"] == "elbil" and doc["unit"] == "prosent" and doc["target"]["value"] == 60.0
    assert doc["target"]["year"] == 2032 and doc["target"]["source"] == "Testplanens klimamål"
    assert doc["sources"][0] == {
        "table": "07849",
        "url": "https://www.ssb.no/statbank/table/07849",
        "updated": "2026-02-21T07:00:00Z",
        "kind": "ssb",
        "publisher": "Statistisk sentralbyrå (SSB)",
        "title": "07849",
        "licence": "CC BY 4.0",
    }
    assert doc["data_as_of"] == DATA_AS_OF.strftime("%Y-%m-%dT%H:%M:%SZ") and doc["demo"] is False
    a = data.assessments["elbil"]
    assert doc["assessment"]["status"] == a.status and doc["assessment"]["score"] == a.score
    assert doc["assessment"]["status_text"]["no"] and doc["assessment"]["explanation"]["en"]
    home = [r for r in doc["series"] if r["region"] == "K-5001"]
    assert [r["value"] for r in home] == ELBIL["K-5001"]
    gap = next(r for r in doc["series"] if r["region"] == "K-4601" and r["year"] == 2015)
    assert gap["value"] is None and gap["status"] == ".."


def test_json_of_an_indicator_without_data_is_valid_json_with_nulls(client) -> None:
    doc = json.loads(client.get("/data/deltakelse.json").get_data(as_text=True))
    assert doc["series"] == [] and doc["assessment"]["status"] == "not_available"
    assert doc["problem"] and doc["assessment"]["score"] is None


def test_a_new_cache_version_is_picked_up_without_restart(catalog) -> None:
    versions = iter(["v1", "v1", "v2", "v2", "v2", "v2"])
    loads: list[str] = []

    def load(_settings):
        version = f"load{len(loads) + 1}"
        loads.append(version)
        return make_snapshot(catalog, demo=len(loads) > 1, version=version)

    app = create_app(settings(), source=DataSource(settings(), load=load, version=lambda _s: next(versions)))
    client = app.server.test_client()
    first = client.get("/data/elbil.json").get_json()
    second = client.get("/data/elbil.json").get_json()
    assert first["demo"] is False and second["demo"] is False and loads == ["load1"]
    third = client.get("/data/elbil.json").get_json()
    assert third["demo"] is True and loads == ["load1", "load2"]


def test_a_broken_cache_gives_a_clear_503_page(catalog) -> None:
    def load(_settings):
        raise CacheError("manifest.json in data_cache/real is not valid JSON; run a refresh")

    app = create_app(settings(), source=DataSource(settings(), load=load, version=lambda _s: "x"))
    response = app.server.test_client().get("/indikator/elbil")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert '<html lang="nb">' in body and "python -m indicators refresh" in body
    # The error's own text may name server paths: it goes to the log, never to the client.
    assert "data_cache/real" not in body and "manifest.json" not in body


def test_numbers_in_the_csv_never_use_thousands_separators() -> None:
    from dashboard.downloads import csv_number

    assert csv_number(210496.0) == "210496"
    assert csv_number(1e22) == "10000000000000000000000"  # never an exponent either
    assert csv_number(math.nan) == ""
    assert csv_number(-0.0) == "0"


def test_numbers_in_the_csv_keep_full_precision() -> None:
    from dashboard.downloads import csv_number

    for value in (41.666666666666664, 0.1 + 0.2, -0.0000001, 1 / 3, 123456.789):
        assert float(csv_number(value).replace(",", ".")) == value
        assert float(csv_number(value, ".")) == value
    assert csv_number(41.666666666666664) == "41,666666666666664"
    assert csv_number(-0.0000001, ".") == "-0.0000001"


def test_a_page_is_built_once_per_cache_version_and_language(catalog, monkeypatch) -> None:
    from dashboard.pages import goal

    calls: list[tuple[str, str]] = []
    real_build = goal.build

    def counting_build(data, goal_id, lang):
        calls.append((goal_id, lang))
        return real_build(data, goal_id, lang)

    monkeypatch.setattr(goal, "build", counting_build)
    cache = {"version": "v1"}
    source = DataSource(
        settings(), load=lambda _s: make_snapshot(catalog), version=lambda _s: cache["version"]
    )
    client = create_app(settings(), source=source).server.test_client()
    first = client.get("/mal/1").get_data()
    assert client.get("/mal/1").get_data() == first  # served from the memo, identical
    client.get("/mal/1?lang=en")
    assert calls == [("1", "no"), ("1", "en")]
    cache["version"] = "v2"
    client.get("/mal/1")  # a new cache version: built again
    assert calls[-1] == ("1", "no") and len(calls) == 3
