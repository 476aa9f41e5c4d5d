"""The source seam: every series is fetched, read and credited through its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators import sources
from indicators.errors import ComputeError
from indicators.plan.catalog import validate
from indicators.series.compute import compute_indicator
from indicators.sources.csv_file import csv_series_frame
from indicators.store.derived import series_key
from tests.indicators.store.cache_support import GOALS, make_catalog, write_definitions

MIXED = """
name = "Utslipp per innbygger"
subgoals = ["1.1"]
unit = "tonn per innbygger"
direction = "decrease"
formula = "utslipp / bef"
[series.utslipp]
csv = "data/utslipp.csv"
publisher = "Miljødirektoratet"
source_url = "https://www.miljodirektoratet.no/klimagassutslipp-kommuner"
licence = "NLOD 2.0"
[series.bef]
table = "90001"
select = { ContentsCode = "Personer1" }
[series.fodte]
table = "90001"
select = { ContentsCode = "Fodte" }
"""


def _mixed(tmp_path: Path, csv: str = "year,value\n2020,1000\n2021,900\n"):
    (tmp_path / "definitions" / "data").mkdir(parents=True, exist_ok=True)
    (tmp_path / "definitions" / "data" / "utslipp.csv").write_text(csv, encoding="utf-8")
    return make_catalog(tmp_path, {"utslipp": MIXED.replace("utslipp / bef", "utslipp / bef + 0 * fodte")})


def test_a_csv_series_is_credited_to_its_publisher_never_to_ssb_or_a_file_path(tmp_path: Path) -> None:
    catalog = _mixed(tmp_path)
    credits = sources.attributions(catalog.indicators["utslipp"])

    csv_credit, ssb_credit = credits  # one per distinct source, in order of use; 90001 once
    assert (csv_credit.kind, csv_credit.publisher, csv_credit.licence) == (
        "csv",
        "Miljødirektoratet",
        "NLOD 2.0",
    )
    assert csv_credit.url == "https://www.miljodirektoratet.no/klimagassutslipp-kommuner"
    assert csv_credit.title == "utslipp.csv" and csv_credit.table is None
    assert ssb_credit.table == "90001" and ssb_credit.url == "https://www.ssb.no/statbank/table/90001"
    assert ssb_credit.publisher_in("no") == "Statistisk sentralbyrå (SSB)"
    assert ssb_credit.publisher_in("en") == "Statistics Norway (SSB)"
    assert csv_credit.publisher_in("en") == "Miljødirektoratet"  # no English name given: the own name


def test_only_ssb_series_have_tables_to_fetch(tmp_path: Path) -> None:
    catalog = _mixed(tmp_path)
    assert sources.tables(catalog.indicators["utslipp"]) == ["90001"]


def test_a_series_model_without_a_source_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="no source reads series of type dict"):
        sources.source_of({"table": "07849"})


def test_a_csv_with_a_decimal_comma_is_an_error_that_says_how_to_write_it(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('year,value\n2020,"41,7"\n', encoding="utf-8")
    with pytest.raises(ComputeError, match=r"line 2: '41,7' has a comma; .*decimal point.*e\.g\. 41\.7"):
        csv_series_frame(path, home_region="K-5001", region_name="Trondheim")


def test_the_derived_key_follows_the_csv_bytes_and_is_none_when_the_file_is_gone(tmp_path: Path) -> None:
    catalog = _mixed(tmp_path)
    definition = catalog.indicators["utslipp"]
    keys = {"90001": "release-digest"}
    before = series_key(definition, catalog, keys)
    (tmp_path / "definitions" / "data" / "utslipp.csv").write_text("year,value\n2020,1000\n2021,800\n")
    after = series_key(definition, catalog, keys)
    assert before and after and before != after  # a changed file is never served stale
    (tmp_path / "definitions" / "data" / "utslipp.csv").unlink()
    assert series_key(definition, catalog, keys) is None
    assert series_key(definition, catalog, {}) is None  # no release of its table yet


def test_computing_reads_every_series_through_its_source(tmp_path: Path) -> None:
    catalog = _mixed(tmp_path)
    with pytest.raises(ComputeError, match="no data for table 90001 in the cache"):
        compute_indicator(catalog.indicators["utslipp"], catalog, {})


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ('source_url = "javascript:alert(1)"', "series.utslipp.source_url", "must be a web address"),
        ('source_url = "https://a b"', "series.utslipp.source_url", "must be a web address"),
        ('publisher = ""', "series.utslipp.publisher", "must not be empty"),
        ("licence = 2", "series.utslipp.licence", "text"),
    ],
)
def test_bad_attribution_fields_are_reported_with_path_and_field(
    tmp_path: Path, line: str, field: str, message: str
) -> None:
    key = line.split(" =")[0]
    body = "\n".join(row for row in MIXED.splitlines() if not row.startswith(f"{key} ="))
    body = body.replace('csv = "data/utslipp.csv"', f'csv = "data/utslipp.csv"\n{line}')
    folder = write_definitions(tmp_path / "definitions", {"utslipp": body})
    (folder / "data").mkdir()
    (folder / "data" / "utslipp.csv").write_text("year,value\n2020,1\n")
    _, issues = validate(folder, GOALS)
    shown = [str(i) for i in issues]
    assert any(f": {field}: " in s and message in s for s in shown), shown


def test_the_csv_reader_refuses_a_file_that_a_link_leads_outside_the_folder(tmp_path: Path) -> None:
    catalog = _mixed(tmp_path)  # valid at load; the file is then swapped for a link to a secret
    secret = tmp_path / "secret.csv"
    secret.write_text("year,value\n2020,42\n", encoding="utf-8")
    path = tmp_path / "definitions" / "data" / "utslipp.csv"
    path.unlink()
    path.symlink_to(secret)
    definition = catalog.indicators["utslipp"]
    with pytest.raises(ComputeError, match="a link leads outside the definitions folder"):
        compute_indicator(definition, catalog, {})
    assert series_key(definition, catalog, {"90001": "release-digest"}) is None  # never read


@pytest.mark.parametrize("csv", ["/proc/self/environ", "../secret.csv", "data/../../secret.csv"])
def test_the_csv_reader_refuses_paths_outside_the_folder(tmp_path: Path, csv: str) -> None:
    (tmp_path / "secret.csv").write_text("year,value\n2020,42\n", encoding="utf-8")
    catalog = _mixed(tmp_path)
    definition = catalog.indicators["utslipp"]
    series = definition.series["utslipp"].model_copy(update={"csv": csv})
    hostile = definition.model_copy(update={"series": {**definition.series, "utslipp": series}})
    with pytest.raises(ComputeError, match=r"outside the definitions folder|not an absolute path"):
        compute_indicator(hostile, catalog, {})
