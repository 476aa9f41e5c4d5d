"""The mistakes a new analyst makes get a message saying what to write instead (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.plan.catalog import validate

REPO = Path(__file__).resolve().parents[3]
GOALS = REPO / "indicators" / "goals.toml"

TOP = """name = "Prøve"
subgoals = ["1.1"]
unit = "prosent"
direction = "increase"
"""
SERIES = """[series.a]
table = "07849"
"""


def _issues(tmp_path: Path, body: str) -> list[str]:
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "prove.toml").write_text(body, encoding="utf-8")
    catalog, issues = validate(folder, GOALS)
    assert catalog is None
    return [str(i) for i in issues]


@pytest.mark.parametrize(
    ("body", "where", "expected"),
    [
        (TOP + "limit = 99,5\n" + SERIES, "line 5, column 11", "write 99.5, not 99,5"),
        (
            TOP
            + '[target]\nvalue = 1\nsource = "x"\nmilestones = [{ year = 2025, value = 45,5 }]\n'
            + SERIES,
            "line 8",
            "TOML numbers take a decimal point: write 45.5, not 45,5",
        ),
    ],
    ids=["limit", "milestone"],
)
def test_a_decimal_comma_says_to_write_a_decimal_point(tmp_path, body, where, expected):
    [line] = _issues(tmp_path, body)
    assert f"prove.toml: {where}" in line
    assert expected in line
    assert "tuple" not in line


def test_a_comma_inside_a_text_value_is_no_decimal_comma(tmp_path):
    body = TOP + SERIES + 'select = { Tid = "range(2010,2020)" }\nx = = 1\n'
    [line] = _issues(tmp_path, body)
    assert "decimal" not in line


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'name: "Prøve"\nsubgoals: ["1.1"]\n',
            'this looks like YAML, but the file is TOML: write `name = "Prøve"`',
        ),
        (TOP + "unit: prosent\n", 'write `unit = "prosent"` instead of `unit:`'),
        (TOP + "decimals: 2\n", "write `decimals = 2`"),
        ('name = "Prøve"\nsubgoals:\n  - "1.1"\n', "write `subgoals = [...]`"),
        ("---\nname: Prøve\n", "`---` is YAML: definitions are TOML files (key = value)"),
    ],
    ids=["quoted", "bare-text", "number", "block-list", "document-marker"],
)
def test_a_yaml_style_file_says_the_file_is_toml(tmp_path, body, expected):
    [line] = _issues(tmp_path, body)
    assert "TOML syntax error" in line
    assert expected in line


def test_a_key_after_a_series_table_says_where_it_landed(tmp_path):
    [line] = _issues(tmp_path, TOP + SERIES + "limit = 100\n")
    assert line.endswith(
        "prove.toml: series.a.limit: unknown key `limit`; `limit` is a key of the indicator, but it "
        "stands below [series.a], so TOML puts it in that table: move it above the first [target] or "
        "[series...] line"
    )


def test_a_key_after_the_target_table_says_where_it_landed(tmp_path):
    body = TOP + '[target]\nvalue = 1\nsource = "x"\nformula = "a"\n' + SERIES
    [line] = _issues(tmp_path, body)
    assert "target.formula: unknown key `formula`; `formula` is a key of the indicator" in line
    assert "below [target]" in line


def test_a_misspelt_series_key_still_gets_did_you_mean(tmp_path):
    [line] = _issues(tmp_path, TOP + SERIES + 'selct = { Tid = "2020" }\n')
    assert "unknown key `selct`; did you mean `select`?" in line


@pytest.mark.parametrize("value", ["99.5", "true", '"99.5"'])
def test_limit_asks_for_a_number_not_a_whole_number(tmp_path, value):
    if value == "99.5":  # a fraction is accepted: no issue at all
        folder = tmp_path / "definitions"
        folder.mkdir()
        (folder / "prove.toml").write_text(TOP + f"limit = {value}\n" + SERIES, encoding="utf-8")
        assert validate(folder, GOALS)[1] == []
        return
    [line] = _issues(tmp_path, TOP + f"limit = {value}\n" + SERIES)
    assert "limit: must be a number (e.g. 45 or 45.5), without quotes" in line
    assert "whole" not in line


def test_subgoals_as_text_says_to_write_a_list(tmp_path):
    body = TOP.replace('subgoals = ["1.1"]', 'subgoals = "1.1"') + SERIES
    [line] = _issues(tmp_path, body)
    assert line.endswith(
        'prove.toml: subgoals: must be a list in square brackets, even for one item: write subgoals = ["1.1"]'
    )


def test_peers_as_text_says_to_write_a_list(tmp_path):
    [line] = _issues(tmp_path, TOP + 'peers = "K-0301"\n' + SERIES)
    assert 'write peers = ["K-0301"]' in line
