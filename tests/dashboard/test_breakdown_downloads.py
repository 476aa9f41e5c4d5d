"""Breakdowns in the downloads (issue 20 item 3): the JSON carries every breakdown, the CSV one
with ``?breakdown=VAR``; the plain CSV is unchanged, and an unknown breakdown is a 404."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from pathlib import Path

import numpy as np
import pytest

from dashboard.app import create_app
from indicators.config import Settings
from indicators.plan.catalog import load_catalog
from indicators.series.arrays import SeriesArrays
from indicators.series.breakdown import BreakdownSeries, Category
from indicators.store.snapshot import Snapshot
from tests.dashboard.conftest import FIXTURE, fixed_source, make_snapshot

YEARS = [2022, 2023, 2024]


def arrays(values: list[float]) -> SeriesArrays:
    n = len(values)
    return SeriesArrays(
        region=np.array(["K-5001"] * n, dtype=object),
        region_name=np.array(["Trondheim"] * n, dtype=object),
        year=np.array(YEARS, dtype="int64"),
        value=np.array(values, dtype="float64"),
        status=np.array([None if v == v else ".." for v in values], dtype=object),
    )


BY_SEX = BreakdownSeries(
    "Kjonn",
    "kjønn",
    "sex",
    (
        Category("1", "Menn", arrays([30.0, 35.5, 40.0])),
        Category("2", "Kvinner", arrays([40.0, float("nan"), 43.5])),
    ),
)


def with_breakdown(snapshot: Snapshot, breakdown: BreakdownSeries = BY_SEX) -> Snapshot:
    return dataclasses.replace(snapshot, breakdowns={"elbil": (breakdown,)})


def breakdown_settings(folder: Path) -> Settings:
    """The dashboard fixture's plan with ``elbil`` broken down by sex (a copy in ``folder``)."""
    shutil.copytree(FIXTURE / "definitions", folder)
    path = folder / "elbil.toml"
    text = path.read_text(encoding="utf-8").replace("\n[target]", '\nbreakdowns = ["Kjonn"]\n\n[target]', 1)
    path.write_text(text, encoding="utf-8")
    return Settings.resolve({"definitions": folder, "goals": FIXTURE / "goals.toml"})


def breakdown_app(folder: Path, breakdown: BreakdownSeries | None = BY_SEX):
    """The app over the fixture snapshot, with ``breakdown`` as elbil's (None: no breakdown)."""
    s = breakdown_settings(folder)
    snapshot = make_snapshot(load_catalog(s.definitions, s.goals))
    if breakdown is not None:
        snapshot = with_breakdown(snapshot, breakdown)
    return create_app(s, source=fixed_source(snapshot))


@pytest.fixture()
def breakdown_client(tmp_path):
    return breakdown_app(tmp_path / "definitions").server.test_client()


def _rows(body: bytes, delimiter: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_the_json_carries_each_category_series(breakdown_client) -> None:
    doc = breakdown_client.get("/data/elbil.json").get_json()
    (by_sex,) = doc["breakdowns"]
    assert (by_sex["variable"], by_sex["label"], by_sex["label_en"]) == ("Kjonn", "kjønn", "sex")
    women = by_sex["categories"][1]
    assert (women["code"], women["label"]) == ("2", "Kvinner")
    assert [r["value"] for r in women["series"]] == [40.0, None, 43.5]
    assert women["series"][1]["status"] == ".."


def test_an_indicator_without_breakdowns_has_an_empty_list(breakdown_client) -> None:
    assert breakdown_client.get("/data/befolkning.json").get_json()["breakdowns"] == []


def test_the_breakdown_csv_has_the_total_then_each_category(breakdown_client) -> None:
    response = breakdown_client.get("/data/elbil.csv?breakdown=Kjonn")
    assert response.status_code == 200
    assert "elbil-Kjonn" in response.headers["Content-Disposition"]
    rows = _rows(response.data)
    assert rows[0] == [
        "regionkode", "region", "år", "verdi", "ssb_symbol", "inndeling", "kategorikode", "kategori", "datagrunnlag"
    ]  # fmt: skip
    women = [r for r in rows[1:] if r[6] == "2"]
    assert [(r[2], r[3], r[4], r[7]) for r in women] == [
        ("2022", "40", "", "Kvinner"),
        ("2023", "", "..", "Kvinner"),
        ("2024", "43,5", "", "Kvinner"),
    ]
    total = [r for r in rows[1:] if r[6] == ""]
    assert total and all(r[5] == "Kjonn" for r in total)


def test_the_breakdown_csv_in_english_names_its_columns_in_english(breakdown_client) -> None:
    rows = _rows(breakdown_client.get("/data/elbil.csv?breakdown=Kjonn&lang=en").data, ",")
    assert rows[0][5:8] == ["breakdown", "category_code", "category"]
    assert {r[7] for r in rows[1:] if r[6] == "1"} == {"Menn"}, "no English label given: SSB's"


def test_the_english_csv_uses_the_definitions_english_labels(tmp_path) -> None:
    men, women = BY_SEX.categories
    english = dataclasses.replace(BY_SEX, categories=(dataclasses.replace(men, label_en="Men"), women))
    client = breakdown_app(tmp_path / "definitions", english).server.test_client()
    rows = _rows(client.get("/data/elbil.csv?breakdown=Kjonn&lang=en").data, ",")
    assert {r[7] for r in rows[1:] if r[6] == "1"} == {"Men"}
    assert {r[7] for r in _rows(client.get("/data/elbil.csv?breakdown=Kjonn").data)[1:] if r[6] == "1"} == {
        "Menn"
    }


def test_the_nynorsk_csv_uses_the_definitions_nynorsk_labels(tmp_path) -> None:
    men, women = BY_SEX.categories
    nynorsk = dataclasses.replace(
        BY_SEX, categories=(dataclasses.replace(men, translations={"nn": "Menn (nn)"}), women)
    )
    client = breakdown_app(tmp_path / "definitions", nynorsk).server.test_client()
    rows = _rows(client.get("/data/elbil.csv?breakdown=Kjonn&lang=nn").data)
    assert {r[7] for r in rows[1:] if r[6] == "1"} == {"Menn (nn)"}
    assert {r[7] for r in rows[1:] if r[6] == "2"} == {"Kvinner"}, "none given: SSB's"
    english = _rows(client.get("/data/elbil.csv?breakdown=Kjonn&lang=en").data, ",")
    assert {r[7] for r in english[1:] if r[6] == "1"} == {"Menn"}


def test_the_plain_csv_is_unchanged_by_a_breakdown(tmp_path) -> None:
    before = breakdown_app(tmp_path / "a", None).server.test_client().get("/data/elbil.csv")
    after = breakdown_app(tmp_path / "b").server.test_client().get("/data/elbil.csv")
    assert after.data == before.data


@pytest.mark.parametrize(
    "value", ["", "kjonn", "Region", "Kjonn'--", "../../etc/passwd", "%00", "K" * 5000, "Kjonn\r\nX: y"]
)
def test_a_hostile_breakdown_is_a_404_never_a_500(breakdown_client, value: str) -> None:
    response = breakdown_client.get("/data/elbil.csv", query_string={"breakdown": value})
    assert response.status_code == 404
    assert b"Traceback" not in response.data


def test_the_breakdown_workbook_holds_the_csvs_breakdown_rows(breakdown_client) -> None:
    # /data/<id>.xlsx?breakdown=VAR is the breakdown CSV as a workbook, not the total's workbook
    # served silently under the breakdown's address.
    import io

    import openpyxl

    response = breakdown_client.get("/data/elbil.xlsx?breakdown=Kjonn")
    assert response.status_code == 200
    assert "elbil-Kjonn" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "regionkode", "region", "år", "verdi", "ssb_symbol", "inndeling", "kategorikode", "kategori", "datagrunnlag"
    ]  # fmt: skip
    women = [r for r in rows[1:] if r[6] == "2"]
    assert [(r[2], r[3], r[4], r[7]) for r in women] == [
        (2022, 40, "", "Kvinner"),
        (2023, "", "..", "Kvinner"),
        (2024, 43.5, "", "Kvinner"),
    ]
    csv_rows = _rows(breakdown_client.get("/data/elbil.csv?breakdown=Kjonn").data)
    assert len(rows) == len(csv_rows)
    total = breakdown_client.get("/data/elbil.xlsx")
    assert total.data != response.data and total.headers["ETag"] != response.headers["ETag"]


@pytest.mark.parametrize("value", ["", "kjonn", "Region", "K" * 5000, "Kjonn\r\nX: y"])
def test_a_hostile_breakdown_of_the_workbook_is_a_404(breakdown_client, value: str) -> None:
    response = breakdown_client.get("/data/elbil.xlsx", query_string={"breakdown": value})
    assert response.status_code == 404
    assert b"Traceback" not in response.data
