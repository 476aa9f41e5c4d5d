"""``/data/<id>.xlsx``: the CSV's rows as a workbook a spreadsheet opens, read back with openpyxl
(an independent reader); text never runs as a formula; unknown ids and odd input are a 404 or
the default, never a 500."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile

import openpyxl
import pytest

from dashboard.app import create_app
from dashboard.xlsx import MIMETYPE
from indicators.config import Settings
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import FIXTURE, FOLK, FOLK_YEARS, fixed_source, make_snapshot, settings
from tests.dashboard.test_downloads import HOSTILE, hostile_client  # noqa: F401 (a fixture)


def _book(body: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(body), data_only=False)


def test_the_workbook_holds_the_csvs_rows_with_numbers_as_numbers(client) -> None:
    response = client.get("/data/befolkning.xlsx")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == MIMETYPE
    assert response.headers["Content-Disposition"] == 'attachment; filename="befolkning.xlsx"'
    book = _book(response.get_data())
    assert book.sheetnames == ["data", "om tallene"]
    rows = list(book["data"].iter_rows(values_only=True))
    assert rows[0] == ("regionkode", "region", "år", "verdi", "ssb_symbol", "datagrunnlag")
    by_key = {(r[0], r[2]): r for r in rows[1:]}
    for region, values in FOLK.items():
        for year, value in zip(FOLK_YEARS, values, strict=True):
            assert by_key[(region, year)][3] == value, "a number, at full precision"
    assert [r[0] for r in rows[1 : 1 + len(FOLK_YEARS)]] == ["K-5001"] * len(FOLK_YEARS), "home first"
    # The same rows as the CSV download, row for row.
    text = client.get("/data/befolkning.csv").get_data()[3:].decode("utf-8")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == len(rows)
    about = dict(book["om tallene"].iter_rows(values_only=True))
    assert about["indikator"] == "befolkning" and about["data per"] == "2026-03-05 07:00 UTC"
    assert about["datagrunnlag"] == "ekte"


def test_a_missing_value_is_an_empty_cell_with_ssbs_symbol(client) -> None:
    rows = list(_book(client.get("/data/elbil.xlsx").get_data())["data"].iter_rows(values_only=True))
    bergen_2015 = next(r for r in rows[1:] if r[0] == "K-4601" and r[2] == 2015)
    assert bergen_2015[3] is None and bergen_2015[4] == "..", "missing stays missing, never 0"


@pytest.mark.parametrize(
    ("query", "sheets", "header", "suffix"),
    [
        ("?lang=en", ["data", "about"], "region_code", ".en.xlsx"),
        ("?lang=nn", ["data", "om tala"], "regionkode", ".nn.xlsx"),
        ("?lang=xx", ["data", "om tallene"], "regionkode", "befolkning.xlsx"),
        ("?lang=", ["data", "om tallene"], "regionkode", "befolkning.xlsx"),
        ("?format=csv-en", ["data", "om tallene"], "regionkode", "befolkning.xlsx"),
    ],
)
def test_the_workbook_speaks_the_asked_language_and_ignores_odd_input(
    client, query: str, sheets: list[str], header: str, suffix: str
) -> None:
    response = client.get(f"/data/befolkning.xlsx{query}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'{suffix}"')
    book = _book(response.get_data())
    assert book.sheetnames == sheets and book["data"]["A1"].value == header


@pytest.mark.parametrize(
    "path",
    [
        "/data/finnes-ikke.xlsx",
        "/data/ELBIL.xlsx",
        "/data/elbil%00.xlsx",
        "/data/..%2Felbil.xlsx",
        "/data/.xlsx",
    ],
)
def test_an_unknown_indicator_is_a_404_page(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_text_that_looks_like_a_formula_stays_text(hostile_client) -> None:  # noqa: F811
    client, _ = hostile_client
    body = client.get("/data/utslipp.xlsx").get_data()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    cells = [c for row in _book(body)["data"].iter_rows(min_row=2) for c in row]
    # A CR is written as Excel's escape _x000D_ (which Excel reads back as CR; openpyxl leaves it).
    texts = {c.value.replace("_x000D_", "\r") for c in cells if c.data_type == "s"}
    for region, name, _year, _value, status in HOSTILE:
        assert region in texts and name in texts, "kept as written, as text"
        assert status is None or status in texts
    assert not any(c.data_type == "f" for c in cells)
    numbers = [c.value for c in cells if c.column == 4 and c.value is not None]
    assert sorted(numbers) == [-3.5, -0.25, 1234.5], "negative numbers stay numbers"


def test_demo_data_says_so_in_the_file_name_and_the_workbook(catalog) -> None:

    client = create_app(
        settings(), source=fixed_source(make_snapshot(catalog, demo=True))
    ).server.test_client()
    response = client.get("/data/befolkning.xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="befolkning-DEMODATA.xlsx"'
    book = _book(response.get_data())
    assert {r[5] for r in book["data"].iter_rows(min_row=2, values_only=True)} == {"demo"}
    assert dict(book["om tallene"].iter_rows(values_only=True))["datagrunnlag"] == "demo"


def test_the_workbook_is_cacheable_and_the_same_bytes_every_time(client) -> None:
    first = client.get("/data/elbil.xlsx")
    second = client.get("/data/elbil.xlsx")
    assert first.get_data() == second.get_data(), "one ETag for every worker"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/data/elbil.xlsx", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_indicator_page_links_the_workbook(client) -> None:
    page = client.get("/indikator/elbil?lang=en").get_data(as_text=True)
    assert 'href="/data/elbil.xlsx?lang=en"' in page and "Download Excel workbook (.xlsx)" in page


def test_the_about_sheet_names_the_indicator_in_nynorsk_when_the_definition_does(tmp_path) -> None:
    from dashboard.app import create_app

    shutil.copytree(FIXTURE, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "definitions" / "befolkning.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'direction = "increase"\n',
            'direction = "increase"\ntranslations = { nn = { name = "Folketal", unit = "personar" } }\n',
        ),
        encoding="utf-8",
    )
    s = Settings.resolve({"definitions": tmp_path / "definitions", "goals": tmp_path / "goals.toml"})
    client = create_app(
        s, source=fixed_source(make_snapshot(load_catalog(s.definitions, s.goals)))
    ).server.test_client()
    about = {
        lang: dict(
            _book(client.get(f"/data/befolkning.xlsx?lang={lang}").get_data())
            .worksheets[1]
            .iter_rows(values_only=True)
        )
        for lang in ("nn", "en", "no")
    }
    assert (about["nn"]["namn"], about["nn"]["eining"]) == ("Folketal", "personar")
    assert (about["en"]["name"], about["en"]["unit"]) == ("Population", "people")
    assert (about["no"]["navn"], about["no"]["enhet"]) == ("Folkemengde", "personer")


def test_every_languages_sheet_names_are_ones_excel_accepts() -> None:
    # The names come from the catalogues now; a translator's name must still open in Excel.
    from dashboard.i18n import LANGS, t

    for lang in LANGS:
        names = [t("xlsx_sheet_data", lang), t("xlsx_sheet_about", lang)]
        assert len(set(names)) == 2, lang
        assert all(0 < len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names), (lang, names)
