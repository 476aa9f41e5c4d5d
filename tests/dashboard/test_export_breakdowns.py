"""Breakdowns in the static export (issue 20): each breakdown's CSV is written beside the
indicator's own (as ``/data/<id>.csv?breakdown=VAR`` serves it) and the export's index links to
files that exist; a variable that is no safe file name part is not written."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path

import pytest

from dashboard.data import build_data
from dashboard.export import breakdown_file, export_site
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import make_snapshot
from tests.dashboard.test_breakdown_downloads import BY_SEX, breakdown_app, breakdown_settings, with_breakdown


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("plan")
    settings = breakdown_settings(folder / "definitions")
    snapshot = with_breakdown(make_snapshot(load_catalog(settings.definitions, settings.goals)))
    root = tmp_path_factory.mktemp("export")
    export_site(build_data(snapshot), root)
    return root, folder


def rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_each_breakdown_csv_is_written_as_the_app_serves_it(exported, tmp_path: Path) -> None:
    root, _ = exported
    client = breakdown_app(tmp_path / "definitions").server.test_client()
    for lang, name in (("no", "elbil.breakdown-Kjonn.csv"), ("en", "elbil.breakdown-Kjonn.en.csv")):
        written = (root / "data" / name).read_bytes()
        served = client.get(f"/data/elbil.csv?breakdown=Kjonn&lang={lang}").data
        assert rows(written) == rows(served)
    assert any(
        row[-2] == "Kvinner" for row in rows((root / "data" / "elbil.breakdown-Kjonn.csv").read_bytes())
    )


def test_only_the_indicator_with_a_breakdown_gets_breakdown_files(exported) -> None:
    root, _ = exported
    assert sorted(p.name for p in (root / "data").glob("*.breakdown-*")) == [
        "elbil.breakdown-Kjonn.csv",
        "elbil.breakdown-Kjonn.en.csv",
        "elbil.breakdown-Kjonn.nn.csv",
    ]


@pytest.mark.parametrize("page", ["index.html", "index.en.html", "index.nn.html"])
def test_the_index_links_each_breakdown_csv_to_a_file_in_the_export(exported, page: str) -> None:
    root, _ = exported
    text = (root / "embed" / page).read_text(encoding="utf-8")
    links = re.findall(r'href="(\.\./data/[^"]*breakdown[^"]*)"', text)
    assert links, "the breakdown CSV is linked"
    for link in links:
        assert (root / "embed" / link).resolve().is_file(), link
    if page == "index.en.html":
        assert "CSV (<span>sex</span>)" in text  # the definition's English label
    if page == "index.nn.html":
        assert 'CSV (<span lang="nb">kjønn</span>)' in text  # SSB's bokmål label, marked


@pytest.mark.parametrize("variable", ["../x", "Kjonn/..", "a b", "", "Kjønn", "x" * 65, "<b>"])
def test_a_hostile_variable_name_is_no_file_name(variable: str) -> None:
    assert breakdown_file("elbil", variable, "no") is None


def test_a_breakdown_with_a_hostile_variable_writes_no_file(tmp_path: Path) -> None:
    settings = breakdown_settings(tmp_path / "definitions")
    snapshot = with_breakdown(
        make_snapshot(load_catalog(settings.definitions, settings.goals)),
        dataclasses.replace(BY_SEX, variable="../../x"),
    )
    root = tmp_path / "export"
    export_site(build_data(snapshot), root)
    assert not list((root / "data").glob("*breakdown*"))
    assert all(p.resolve().is_relative_to(root.resolve()) for p in root.rglob("*"))
