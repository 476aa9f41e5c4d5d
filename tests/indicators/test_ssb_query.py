"""Selections: PxWebApi v2 expressions, the plan's regions per table, GET or POST."""

from __future__ import annotations

import pytest

from indicators.errors import InvalidSelection
from indicators.ssb_query import (
    TableMetadata,
    Variable,
    VarSelection,
    get_params,
    needs_post,
    region_selection,
    resolve,
    series_selection,
)

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


def _region(codes: list[str], codelists: tuple[str, ...] = ()) -> Variable:
    return Variable("Region", "region", codes, {c: c for c in codes}, "geo", True, codelists)


def test_k_codes_go_with_the_codelist_when_the_table_offers_it():
    sel = region_selection(
        _region(["0301", "5001"], ("agg_KommSummer",)), ["K-5001", "K-0301"], "agg_KommSummer"
    )
    assert sel == VarSelection(["K-5001", "K-0301"], "agg_KommSummer", "aggregated")


def test_plain_code_tables_get_the_codes_without_k_and_only_those_they_have():
    sel = region_selection(_region(["EAK", "0301", "5001"]), ["K-5001", "K-0301", "K-1103"], "agg_KommSummer")
    assert sel == VarSelection(["5001", "0301"])


def test_a_table_without_the_home_region_is_an_invalid_selection():
    with pytest.raises(
        InvalidSelection, match=r"Region has neither the region code 5001 nor the codelist agg_KommSummer"
    ):
        region_selection(_region(["0301"]), ["K-5001"], "agg_KommSummer")


def test_a_series_gets_the_plan_regions_and_every_period_unless_it_selects_them():
    meta = TableMetadata(
        "90001",
        "t",
        [
            _region(["0301", "5001"], ("agg_KommSummer",)),
            Variable("ContentsCode", "c", ["A"], {"A": "A"}, "metric"),
            Variable("Tid", "år", YEARS, {y: y for y in YEARS}, "time"),
        ],
        {},
    )
    sel = series_selection({"ContentsCode": ["A"]}, {}, meta, ["K-5001"], "agg_KommSummer")
    assert sel == {
        "ContentsCode": VarSelection(["A"]),
        "Region": VarSelection(["K-5001"], "agg_KommSummer", "aggregated"),
        "Tid": VarSelection(["*"]),
    }
    own = series_selection({"Region": ["5001"], "Tid": ["top(3)"]}, {}, meta, ["K-5001"], "agg_KommSummer")
    assert own["Region"] == VarSelection(["5001"]) and own["Tid"] == VarSelection(["top(3)"])


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
