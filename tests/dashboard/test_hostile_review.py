"""Hostile and careless input to what issue 21 and its neighbours added (DESIGN §11), over HTTP:
Accept-Encoding and If-None-Match on the server-written pages and downloads, ``?breakdown=``
repeated, in other cases and scripts, and a plan name that tries to leave the running head's
CSS string. Each answer is a page or a clear 4xx, never a 500 or a traceback."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
import requests

from dashboard import data as data_module
from dashboard.app import create_app
from dashboard.encoding import acceptable
from indicators.config import Settings
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import FIXTURE, fixed_source, make_snapshot, served
from tests.dashboard.test_breakdown_downloads import breakdown_app

PAGES = [
    "/",
    "/mal/1",
    "/indikator/elbil",
    "/indikatorer",
    "/rapport",
    "/rapport/utskrift.css",
    "/om",
    "/embed/indikator/elbil",
    "/data/elbil.csv",
    "/data/elbil.xlsx",
]


@pytest.fixture(scope="module")
def base_url(app) -> Iterator[str]:
    with served(app.server) as url:
        yield url


def _get(url: str, **headers: str) -> requests.Response:
    return requests.get(url, headers=headers, timeout=30)


@pytest.mark.parametrize(
    ("header", "gzipped"),
    [
        ("gzip", True),
        ("GZIP;Q=0.5", True),
        ("*", True),
        ("br;q=1, gzip;q=0.5", True),
        ("gzip, deflate, br, zstd", True),
        ("gzip;q=0", False),  # refused: flask-compress alone gzipped it anyway
        ("gzip;q=0.000", False),
        ("gzip; q=0, *", False),  # the wildcard does not undo an explicit refusal
        ("*;q=0", False),
        ("identity", False),
        ("identity;q=0", False),
        ("gzip;q=abc", False),
        ("x" * 5000, False),
        ("", False),
    ],
)
def test_a_refused_coding_is_never_used(base_url: str, header: str, gzipped: bool) -> None:
    plain = _get(base_url + "/indikator/elbil", **{"Accept-Encoding": "identity"})
    response = _get(base_url + "/indikator/elbil", **{"Accept-Encoding": header})
    assert response.status_code == 200
    assert (response.headers.get("Content-Encoding") == "gzip") is gzipped, response.headers
    assert response.content == plain.content, "the same document, however it travelled"
    assert "Accept-Encoding" in response.headers.get("Vary", "")


def test_the_header_keeps_what_the_client_accepts() -> None:
    assert acceptable("br;q=1, gzip;q=0.5") == "br;q=1, gzip;q=0.5"
    assert acceptable("gzip;q=0, br") == "br;q=1"
    assert acceptable("*;q=0") == ""


@pytest.mark.parametrize("path", PAGES)
def test_if_none_match_in_every_form_a_browser_or_proxy_sends(base_url: str, path: str) -> None:
    first = _get(base_url + path, **{"Accept-Encoding": "identity"})
    assert first.status_code == 200
    tag = first.headers["ETag"]
    bare = tag.removeprefix("W/")
    for matching in (tag, bare, f"W/{bare}", f'"other", {tag}', f'{tag} , "other"', "*"):
        again = _get(base_url + path, **{"If-None-Match": matching, "Accept-Encoding": "identity"})
        assert again.status_code == 304, (path, matching)
        assert again.content == b"" and again.headers.get("ETag") == tag
    for other in ('"other"', "", "W/", '"', tag + tag, "\x01", '"' + "x" * 8000 + '"'):
        again = _get(base_url + path, **{"If-None-Match": other, "Accept-Encoding": "identity"})
        assert again.status_code == 200, (path, other)
        assert again.content == first.content


@pytest.mark.parametrize("path", ["/rapport", "/embed/indikator/elbil", "/indikator/elbil"])
def test_the_compressed_copys_tag_revalidates_the_compressed_copy(base_url: str, path: str) -> None:
    first = _get(base_url + path, **{"Accept-Encoding": "gzip"})
    assert first.headers.get("Content-Encoding") == "gzip"
    again = _get(base_url + path, **{"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.fixture(scope="module")
def breakdown_url(tmp_path_factory) -> Iterator[tuple[str, object]]:
    app = breakdown_app(tmp_path_factory.mktemp("breakdown") / "definitions")
    with served(app.server) as url:
        yield url, app


def _has_breakdown_chart(body: str) -> bool:
    match = re.search(r'<section[^>]*aria-labelledby="breakdown".*?</section>', body, re.S)
    return bool(match) and "<svg" in match.group(0)


@pytest.mark.parametrize(
    ("query", "chosen"),
    [
        ("breakdown=Kjonn&breakdown=Kjonn", True),
        ("breakdown=Kjonn&breakdown=Tid", True),  # the first value counts, as for every parameter
        ("breakdown=Tid&breakdown=Kjonn", False),
        ("breakdown=KJONN", False),
        ("breakdown=Kj%C3%B8nn", False),
        ("breakdown=%F0%9F%98%80", False),
        ("breakdown=%FF%FE", False),
        ("breakdown=Kjonn%00", False),
        ("breakdown=+Kjonn", False),
        ("breakdown[]=Kjonn", False),
        ("breakdown=" + "K" * 10240, False),
    ],
)
def test_odd_breakdowns_on_the_page_and_the_csv_agree(breakdown_url, query: str, chosen: bool) -> None:
    url, _ = breakdown_url
    page = _get(f"{url}/indikator/elbil?{query}")
    assert page.status_code == 200 and "Traceback" not in page.text
    assert _has_breakdown_chart(page.text) is chosen
    assert "KKKKKKKKKK" not in page.text and "\x00" not in page.text, "the value is never echoed"
    csv = _get(f"{url}/data/elbil.csv?{query}")
    if chosen:
        assert csv.status_code == 200 and "Menn" in csv.text
    else:
        assert csv.status_code in (200, 404) and "Traceback" not in csv.text
        assert "Menn" not in csv.text, "no breakdown rows for a value that is not one"


def test_a_flood_of_hostile_breakdowns_does_not_grow_the_page_memo(breakdown_url) -> None:
    url, app = breakdown_url
    assert _get(f"{url}/indikator/elbil").status_code == 200
    assert _get(f"{url}/indikator/elbil?breakdown=Kjonn").status_code == 200
    with app.server.test_request_context():  # type: ignore[attr-defined]
        memo = data_module.current()._built
    before = len(memo)
    for n in range(200):
        assert _get(f"{url}/indikator/elbil?breakdown=K{n}").status_code == 200
    assert len(memo) == before


HOSTILE_NAME = 'Test */ </style> \\ "løftet" ; } body { display: none }\nlinje to'


@pytest.fixture(scope="module")
def hostile_plan_url(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile-plan")
    shutil.copytree(FIXTURE, folder, dirs_exist_ok=True)
    goals = folder / "goals.toml"
    escaped = HOSTILE_NAME.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    goals.write_text(
        goals.read_text(encoding="utf-8").replace('name = "Testløftet"', f'name = "{escaped}"', 1),
        encoding="utf-8",
    )
    s = Settings.resolve({"definitions": folder / "definitions", "goals": goals})
    catalog = load_catalog(s.definitions, s.goals)
    assert catalog.plan.name == HOSTILE_NAME
    with served(create_app(s, source=fixed_source(make_snapshot(catalog))).server) as url:
        yield url


@pytest.mark.parametrize("lang", ["", "?lang=en", "?lang=nn", "?lang=%3C/style%3E"])
def test_a_hostile_plan_name_stays_one_css_string_in_the_running_head(
    hostile_plan_url: str, lang: str
) -> None:
    response = _get(f"{hostile_plan_url}/rapport/utskrift.css{lang}")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/css")
    sheet = response.text
    for raw in ("</style>", "\n linje", "løftet", '"løftet"'):
        assert raw not in sheet, raw
    strings = re.findall(r'"(?:[^"\\\n]|\\.)*"', sheet)
    decoded = [re.sub(r"\\([0-9a-fA-F]{6})", lambda m: chr(int(m[1], 16)), s[1:-1]) for s in strings]
    name = "The Test Pledge" if lang == "?lang=en" else HOSTILE_NAME  # the plan's name_en in English
    assert any(name in s for s in decoded), "the name is printed as written, inside one string"
    # Outside its strings and its own comment the sheet holds nothing of the name.
    rest = re.sub(r"/\*.*?\*/", "", re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', sheet), flags=re.S)
    assert "*/" not in rest and "display" not in rest and "linje" not in rest
    assert rest.count("{") == rest.count("}"), "no rule was closed or opened by the name"


def test_a_hostile_plan_name_is_text_on_the_report_page(hostile_plan_url: str) -> None:
    body = _get(f"{hostile_plan_url}/rapport").text
    assert "</style> \\" not in body and "<style" not in body
    assert "&lt;/style&gt;" in body
