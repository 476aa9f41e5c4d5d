"""Selections: PxWebApi v2 expressions, and whether a query goes by GET or POST."""

from __future__ import annotations

import pytest

from indicators.ssb.query import VarSelection, get_params, needs_post, resolve

YEARS = [str(y) for y in range(2015, 2025)]
CODES = ["0", "0301", "1103", "4601", "5001"]


@pytest.mark.parametrize(
    ("items", "is_time", "expected"),
    [
        (["*"], False, CODES),
        (["top(2)"], True, ["2023", "2024"]),
        (["top(2,1)"], True, ["2022", "2023"]),
        (["bottom(2)"], True, ["2015", "2016"]),
        (["top(2)"], False, ["0", "0301"]),
        (["from(2022)"], True, ["2022", "2023", "2024"]),
        (["to(2016)"], True, ["2015", "2016"]),
        (["range(2018,2020)"], True, ["2018", "2019", "2020"]),
        (["[range(2020,2018)]"], True, ["2018", "2019", "2020"]),
        (["202?"], True, ["2020", "2021", "2022", "2023", "2024"]),
        (["2024", "2015", "2024"], True, ["2015", "2024"]),
    ],
)
def test_expressions_select_codes_in_the_table_order(items, is_time, expected):
    codes = YEARS if is_time else CODES
    assert resolve(items, codes, is_time=is_time) == (expected, [])


@pytest.mark.parametrize("item", ["9999", "from(1990)", "top(x)", "range(2015)", "19*"])
def test_items_that_match_nothing_are_reported(item):
    assert resolve([item, "2020"], YEARS, is_time=True) == (["2020"], [item])


def test_get_parameters_and_when_to_post():
    selection = {
        "Region": VarSelection(["K-5001", "K-0301"], "agg_KommSummer"),
        "Tid": VarSelection(["from(2015)"]),
    }
    assert get_params(selection, lang="en") == [
        ("valueCodes[Region]", "K-5001,K-0301"),
        ("codelist[Region]", "agg_KommSummer"),
        ("valueCodes[Tid]", "from(2015)"),
        ("outputFormat", "json-stat2"),
        ("lang", "en"),
    ]
    assert not needs_post("x" * 2000, selection)
    assert needs_post("x" * 2001, selection)
    assert needs_post("short", {"Alder": VarSelection(["1,5"])})  # a comma inside a code
