"""The data over HTTP as other programs use it: ``/api/status.json``, ``/data/all.csv``,
``/data/datapackage.json``, the CSV dialects, and caching and CORS on every data response."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import frictionless
import pytest

from dashboard.app import create_app
from dashboard.downloads import DATA_ENDPOINTS
from indicators.config import REPO_ROOT, Settings
from tests.dashboard.conftest import FOLK, FOLK_YEARS, fixed_source, make_snapshot, served, settings

# Every data response, by its path (per-indicator downloads included).
DATA_PATHS = [
    "/api/status.json",
    "/api/openapi.json",
    "/data/all.csv",
    "/data/all.csv?lang=en",
    "/data/datapackage.json",
    "/data/datapackage.json?lang=en",
    "/data/elbil.csv",
    "/data/elbil.csv?format=csv-en",
    "/data/elbil.json",
]


def _body_text(response) -> str:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "spreadsheets need the BOM to read UTF-8"
    return raw.decode("utf-8-sig")


# --- /api/status.json ---------------------------------------------------------------------------


def test_status_json_is_the_status_commands_document(tmp_path: Path) -> None:
    """The same document as `python -m indicators status --json` on the same cache (the demo)."""
    cli = subprocess.run(
        [sys.executable, "-m", "indicators", "status", "--json", "--cache-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
        check=True,
    )
    app = create_app(Settings.resolve({"cache_dir": tmp_path}))
    response = app.server.test_client().get("/api/status.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    served = json.loads(response.get_data(as_text=True))
    assert served == json.loads(cli.stdout)
    assert served["demo"] is True  # an empty cache: the demo snapshot, and it says so


def test_status_json_names_no_server_path(catalog) -> None:
    snapshot = make_snapshot(catalog)
    problem = "cannot read /srv/app/data_cache/real/responses/09594/2026-x.json: damaged"
    snapshot = dataclasses.replace(snapshot, problems={"deltakelse": problem})
    client = create_app(settings(), source=fixed_source(snapshot)).server.test_client()
    body = client.get("/api/status.json").get_data(as_text=True)
    assert "/srv/app" not in body and "the stored response of table 09594" in body


# --- /data/all.csv -------------------------------------------------------------------------------


def test_all_csv_in_english_opens_as_columns_with_the_csv_modules_default_dialect(client, data) -> None:
    response = client.get("/data/all.csv?lang=en")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="all.en.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_body_text(response))))
    assert list(rows[0]) == [
        "indicator",
        "indicator_name",
        "region_code",
        "region",
        "year",
        "value",
        "ssb_symbol",
        "unit",
        "source",
        "table",
        "data_kind",
    ]
    total = sum(len(data.frame(i)) for i in data.catalog.indicators)
    assert len(rows) == total  # every series, one row per indicator, region and year
    folk = {(r["region_code"], int(r["year"])): r for r in rows if r["indicator"] == "befolkning"}
    for region, values in FOLK.items():
        for year, value in zip(FOLK_YEARS, values, strict=True):
            assert float(folk[(region, year)]["value"]) == value
    sample = folk[("K-5001", 2023)]
    assert sample["unit"] == "people" and sample["source"] == "Statistics Norway (SSB)"
    assert sample["table"] == "07459" and sample["data_kind"] == "real"
    elbil = {(r["region_code"], r["year"]): r for r in rows if r["indicator"] == "elbil"}
    assert elbil[("K-4601", "2015")]["value"] == "" and elbil[("K-4601", "2015")]["ssb_symbol"] == ".."
    utslipp = [r for r in rows if r["indicator"] == "utslipp"]
    assert {r["source"] for r in utslipp} == {"Miljødirektoratet"}


def test_all_csv_keeps_full_precision(catalog) -> None:
    snapshot = make_snapshot(catalog)
    frame = snapshot.series["elbil"].copy()
    frame.loc[0, "value"] = 100 * 5 / 12  # 41.666666666666664
    snapshot = dataclasses.replace(snapshot, series={**snapshot.series, "elbil": frame})
    client = create_app(settings(), source=fixed_source(snapshot)).server.test_client()
    en = list(csv.reader(io.StringIO(_body_text(client.get("/data/all.csv?lang=en")))))
    no = list(csv.reader(io.StringIO(_body_text(client.get("/data/all.csv"))), delimiter=";"))
    assert "41.666666666666664" in {row[5] for row in en}
    assert "41,666666666666664" in {row[5] for row in no}
    assert float("41.666666666666664") == 100 * 5 / 12


def test_all_csv_in_norwegian_is_for_norwegian_excel(client) -> None:
    rows = list(csv.reader(io.StringIO(_body_text(client.get("/data/all.csv"))), delimiter=";"))
    assert rows[0][:6] == ["indikator", "indikatornavn", "regionkode", "region", "år", "verdi"]
    assert rows[0][-1] == "datagrunnlag"
    assert ["elbil", "K-5001", "2024", "41,7"] in [[r[0], r[2], r[4], r[5]] for r in rows]


# --- CSV dialects ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "delimiter", "decimal", "header"),
    [
        ("", ";", ",", "regionkode"),
        ("?lang=en", ",", ".", "region_code"),
        ("?format=csv-en", ",", ".", "regionkode"),
        ("?format=csv-no&lang=en", ";", ",", "region_code"),
        ("?format=CSV-EN", ",", ".", "regionkode"),
    ],
)
def test_format_and_lang_choose_the_csv_dialect(client, query, delimiter, decimal, header) -> None:
    response = client.get(f"/data/elbil.csv{query}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(_body_text(response)), delimiter=delimiter))
    assert rows[0][0] == header and len(rows[0]) == 6
    assert f"41{decimal}7" in {row[3] for row in rows}


def test_the_english_csv_opens_with_the_csv_modules_default_dialect(client) -> None:
    rows = list(csv.DictReader(io.StringIO(_body_text(client.get("/data/elbil.csv?lang=en")))))
    assert list(rows[0]) == ["region_code", "region", "year", "value", "ssb_symbol", "data_kind"]
    assert {"region_code": "K-5001", "year": "2024", "value": "41.7"}.items() <= rows[9].items()


@pytest.mark.parametrize(
    "value",
    [
        "",
        " ",
        "xlsx",
        "csv",
        "csv-nn",
        "<script>alert(1)</script>",
        "x" * 5000,
        "csv-no\x00",
        "%00",
        "csv-en;",
    ],
)
@pytest.mark.parametrize("path", ["/data/elbil.csv", "/data/all.csv"])
def test_an_unknown_format_is_a_clear_400_page(client, path, value) -> None:
    for query, html_lang in ((f"?format={value}", "nb"), (f"?format={value}&lang=en", "en")):
        response = client.get(path, query_string=query[1:])
        assert response.status_code == 400
        body = response.get_data(as_text=True)
        assert f'<html lang="{html_lang}">' in body
        assert f'href="{path}?format=csv-no' in body and f'href="{path}?format=csv-en' in body
        assert "<script>alert" not in body and "x" * 100 not in body  # never echoed
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_indicator_with_a_bad_format_is_still_a_404(client) -> None:
    assert client.get("/data/finnes-ikke.csv?format=xlsx").status_code == 404


@pytest.mark.parametrize("value", ["xx", "<b>", "\x00", "e" * 3000, ""])
def test_an_unknown_language_falls_back_to_bokmal_as_on_every_page(client, value) -> None:
    for path in ("/data/elbil.csv", "/data/all.csv", "/data/datapackage.json"):
        response = client.get(path, query_string={"lang": value})
        assert response.status_code == 200
        assert "<b>" not in response.get_data(as_text=True)
    rows = list(
        csv.reader(io.StringIO(_body_text(client.get("/data/all.csv", query_string={"lang": value}))))
    )
    assert rows[0][0].startswith("indikator;")


def test_repeated_parameters_use_the_first(client) -> None:
    response = client.get("/data/elbil.csv?format=csv-en&format=xlsx")
    assert response.status_code == 200 and _body_text(response).startswith("regionkode,")


# --- the data package ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_url(app) -> Iterator[str]:
    """The test app on a loopback port, for clients that fetch by URL (frictionless)."""
    with served(app.server) as url:
        yield url


@pytest.mark.parametrize("query", ["", "?lang=en"])
def test_the_data_package_validates_with_frictionless_data_and_all(live_url, query) -> None:
    """frictionless reads every resource it describes and checks each row against its schema."""
    report = frictionless.validate(f"{live_url}/data/datapackage.json{query}")
    assert report.valid, report.flatten(["taskName", "type", "note"])
    names = {task.name for task in report.tasks}
    assert {"all", "elbil-csv", "elbil-json", "utslipp-csv"} <= names


def test_the_data_package_check_has_teeth(live_url, client) -> None:
    """Describing the Norwegian CSV with a decimal point makes frictionless fail it."""
    descriptor = json.loads(client.get("/data/datapackage.json").get_data(as_text=True))
    elbil = next(r for r in descriptor["resources"] if r["name"] == "elbil-csv")
    next(f for f in elbil["schema"]["fields"] if f["name"] == "verdi")["decimalChar"] = "."
    elbil["path"] = f"{live_url}/data/{elbil['path']}"
    report = frictionless.Resource(elbil).validate()
    assert not report.valid and "type-error" in {e.type for e in report.tasks[0].errors}


def test_the_data_package_describes_every_download(client, catalog) -> None:
    descriptor = json.loads(client.get("/data/datapackage.json?lang=en").get_data(as_text=True))
    paths = {r["path"] for r in descriptor["resources"]}
    expected = {"all.csv?lang=en"}
    for indicator_id in catalog.indicators:
        expected |= {f"{indicator_id}.csv?lang=en", f"{indicator_id}.json"}
    assert paths == expected
    for path in paths:
        assert client.get(f"/data/{path}").status_code == 200
    assert descriptor["demo"] is False and descriptor["data_kind"] == "real"
    licences = {lic.get("name") for lic in descriptor["licenses"]}
    assert {"CC-BY-4.0", "NLOD-2.0"} <= licences  # SSB's, and Miljødirektoratet's for utslipp


# --- demo and test data stay marked -------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "kind", "word_no", "word_en", "suffix"),
    [
        ({"demo": True}, "demo", "demo", "demo", "-DEMODATA"),
        ({}, "test", "testdata", "test data", "-TESTDATA"),
    ],
)
def test_demo_and_test_data_are_marked_in_every_download(
    catalog, options, kind, word_no, word_en, suffix
) -> None:
    snapshot = make_snapshot(catalog, **options)
    if kind == "test":
        snapshot = dataclasses.replace(
            snapshot, test_data=True, api_url="http://127.0.0.1:8765/api/pxwebapi/v2"
        )
    client = create_app(settings(), source=fixed_source(snapshot)).server.test_client()
    for path, word, delimiter in (
        ("/data/all.csv", word_no, ";"),
        ("/data/all.csv?lang=en", word_en, ","),
        ("/data/elbil.csv", word_no, ";"),
    ):
        response = client.get(path)
        rows = list(csv.reader(io.StringIO(_body_text(response)), delimiter=delimiter))
        assert {row[-1] for row in rows[1:]} == {word}
        assert f"{suffix}." in response.headers["Content-Disposition"]
    package = client.get("/data/datapackage.json").get_json()
    assert package["data_kind"] == kind and package["title"].startswith(kind.upper())
    assert all(r["title"].startswith(kind.upper()) for r in package["resources"])
    status = client.get("/api/status.json").get_json()
    assert status["demo"] is (kind == "demo") and status["test_data"] is (kind == "test")
    indicator = client.get("/data/elbil.json").get_json()
    assert indicator["demo"] is (kind == "demo") and indicator["test_data"] is (kind == "test")
    assert suffix in client.get("/data/elbil.json").headers["Content-Disposition"]


# --- caching and CORS -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", DATA_PATHS)
def test_every_data_response_is_open_cacheable_and_validated(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Last-Modified"] == "Thu, 05 Mar 2026 07:00:00 GMT"  # the data date
    etag = response.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["Access-Control-Allow-Origin"] == "*"
    dated = client.get(path, headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert dated.status_code == 304
    older = client.get(path, headers={"If-Modified-Since": "Wed, 04 Mar 2026 07:00:00 GMT"})
    assert older.status_code == 200 and older.get_data() == response.get_data()
    # If-None-Match wins over If-Modified-Since (RFC 9110): another tag means the body.
    assert (
        client.get(
            path, headers={"If-None-Match": 'W/"old"', "If-Modified-Since": "Thu, 05 Mar 2026 07:00:00 GMT"}
        ).status_code
        == 200
    )


def test_a_compressed_copy_revalidates_too(client) -> None:
    first = client.get("/api/status.json", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    headers = {"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    again = client.get("/api/status.json", headers=headers)
    assert again.status_code == 304


def test_the_csv_downloads_go_compressed_and_read_back_the_same(client) -> None:
    plain = client.get("/data/all.csv")
    packed = client.get("/data/all.csv", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 3  # tidy CSV repeats itself a lot


@pytest.mark.parametrize(
    "headers",
    [
        {"If-None-Match": "garbage"},
        {"If-None-Match": '"' * 5000},
        {"If-None-Match": "W/"},
        {"If-Modified-Since": "yesterday"},
        {"If-Modified-Since": "Thu, 99 Foo 9999 99:99:99 GMT"},
        {"If-Modified-Since": "\x00"},
        {"If-None-Match": "*"},
    ],
)
def test_malformed_conditional_headers_never_fail(client, headers) -> None:
    for path in ("/data/all.csv", "/api/status.json", "/data/elbil.json"):
        status = client.get(path, headers=headers).status_code
        assert status == (304 if headers.get("If-None-Match") == "*" else 200)


def test_the_etag_is_the_same_from_every_worker_and_changes_with_the_data(catalog) -> None:
    # Two apps over the same cache stand for two gunicorn workers (tests/test_gunicorn.py runs real ones).
    one, two = (create_app(settings(), source=fixed_source(make_snapshot(catalog))) for _ in range(2))
    other = create_app(settings(), source=fixed_source(make_snapshot(catalog, demo=True, version="v2")))
    for path in DATA_PATHS:
        tags = [app.server.test_client().get(path).headers["ETag"] for app in (one, two, other)]
        assert tags[0] == tags[1], path
        if path != "/api/openapi.json":  # the API's description does not depend on the data
            assert tags[0] != tags[2], path
    assert (
        one.server.test_client().get("/data/all.csv").headers["ETag"]
        != (one.server.test_client().get("/data/all.csv?lang=en").headers["ETag"])
    )


def test_scripts_on_other_sites_may_ask_conditionally(client) -> None:
    preflight = client.open(
        "/api/status.json",
        method="OPTIONS",
        headers={"Origin": "https://avis.example", "Access-Control-Request-Headers": "if-none-match"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_pages_are_not_opened_to_other_sites(client) -> None:
    assert "Access-Control-Allow-Origin" not in client.get("/").headers
    assert "Access-Control-Allow-Origin" not in client.get("/healthz").headers


def test_an_unknown_indicators_download_is_a_404_other_sites_can_read(client) -> None:
    response = client.get("/data/finnes-ikke.json")
    assert response.status_code == 404 and response.headers["Access-Control-Allow-Origin"] == "*"


def test_every_data_route_is_in_the_openapi_document(app, client) -> None:
    document = client.get("/api/openapi.json").get_json()
    routes = {r.rule for r in app.server.url_map.iter_rules() if r.endpoint in DATA_ENDPOINTS}
    assert len(routes) == len(DATA_ENDPOINTS)
    described = {path.replace("{", "<").replace("}", ">") for path in document["paths"]}
    assert routes == described
