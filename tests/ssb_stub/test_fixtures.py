"""Every stub fixture loads; a broken one is reported with its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ssb_stub.server import StubServer
from tests.ssb_stub.tables import (
    CODELISTS_DIR,
    TABLES_DIR,
    FixtureError,
    load_codelists,
    load_table,
    load_tables,
)


def test_every_table_fixture_in_the_repository_loads():
    tables = load_tables()
    assert {"90001", "90002", "90003"} <= set(tables)
    assert len(tables) == len(list(TABLES_DIR.glob("*.toml")))


def test_every_codelist_a_table_names_exists():
    StubServer(tables=load_tables(), codelists=load_codelists(CODELISTS_DIR)).httpd.server_close()


GOOD = """id = "80000"
label = "80000: t"
updated = "2025-01-01T07:00:00Z"
[[variables]]
code = "Region"
label = "region"
role = "geo"
values = { "0301" = "Oslo" }
[[variables]]
code = "Tid"
label = "år"
role = "time"
years = [2020, 2021]
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('id = "80000"', 'id = "80001"'), r"id: id '80001' must equal the file name '80000'"),
        (('updated = "2025-01-01T07:00:00Z"', 'updated = "2025-01-01"'), r"updated: give the time zone"),
        (('role = "time"', 'role = "tid"'), r"variables.Tid.role: 'tid' is not one of geo, time, metric"),
        (("years = [2020, 2021]", "years = [2021, 2020]"), r"variables.Tid.years: expected \[first, last\]"),
        (
            ('label = "region"', 'label = "region"\ncolour = "red"'),
            r"variables.Region: unknown key\(s\) colour",
        ),
        (
            ('role = "time"', 'role = "time"\nelimination = true'),
            r"variables.Tid.elimination: the time variable",
        ),
        (
            ("", '[[cells]]\nwhere = { Region = "0302" }\nstatus = ".."\n'),
            r"cells\[0\].where: '0302' is not a code of Region",
        ),
        (
            ("", '[rule]\nscale = { Kjonn = { "1" = 2.0 } }\n'),
            r"rule.scale.Kjonn: no variable with this code",
        ),
    ],
)
def test_a_broken_fixture_names_file_and_field(tmp_path: Path, change, message):
    old, new = change
    text = GOOD.replace(old, new) if old else GOOD + new
    path = tmp_path / "80000.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FixtureError, match=message) as info:
        load_table(path)
    assert str(info.value).startswith(str(path))


def test_values_rule_is_deterministic_and_explicit_cells_win(tmp_path: Path):
    path = tmp_path / "80000.toml"
    path.write_text(
        GOOD
        + '[rule]\nbase = 50.0\nnoise = 0.0\ntrend = 2.0\n[[cells]]\nwhere = { Tid = "2021" }\nvalue = 7\n',
        encoding="utf-8",
    )
    table = load_table(path)
    assert table.base_cell({"Region": "0301", "Tid": "2020"}) == (50.0, None)
    assert table.base_cell({"Region": "0301", "Tid": "2021"}) == (7.0, None)
