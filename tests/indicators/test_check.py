"""``python -m indicators check ID`` against the local PxWebApi stub."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.cli import main

GOALS = Path(__file__).resolve().parents[2] / "indicators" / "goals.toml"

HEADER = """name = "Test"
name_en = "Test"
subgoals = ["1.1"]
unit = "personer"
decimals = 0
direction = "increase"
"""


def run(
    tmp_path: Path, stub, definitions: dict[str, str], indicator: str, capsys
) -> tuple[int, list[str], str]:
    folder = tmp_path / "definitions"
    folder.mkdir(exist_ok=True)
    for name, body in definitions.items():
        (folder / f"{name}.toml").write_text(HEADER + body, encoding="utf-8")
    code = main(
        ["check", indicator, "--definitions", str(folder), "--goals", str(GOALS), "--api-url", stub.url]
    )
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


POPULATION = """
[series.folk]
table = "90001"
select = { ContentsCode = "Personer1" }
"""


def test_a_sound_definition_passes_and_shows_the_last_years_for_trondheim(tmp_path, ssb_stub, capsys):
    code, out, _ = run(tmp_path, ssb_stub, {"folk": POPULATION}, "folk", capsys)
    assert code == 0, out
    text = "\n".join(out)
    assert "K-codes with codelist agg_KommSummer" in text
    assert "Kjonn is not selected: SSB sums over it" in text
    preview = next(line for line in out if line.strip().startswith("folk personer:"))
    assert [part.split(":")[0].strip() for part in preview.split(":", 1)[1].split("·")] == [
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
    ]
    assert out[-1].startswith("OK: folk")


def test_a_kostra_table_gets_plain_codes_and_shows_missing_values_as_symbols(tmp_path, ssb_stub, capsys):
    body = """
[series.dekning]
table = "90002"
select = { ContentsCode = "KOSandel120000" }
"""
    code, out, _ = run(tmp_path, ssb_stub, {"dekning": body}, "dekning", capsys)
    assert code == 0, out
    assert any("plain municipality codes" in line and "5001" in line and "K-5001" not in line for line in out)
    preview = next(line for line in out if line.strip().startswith("dekning personer:"))
    assert preview.endswith("2024: .")  # not applicable, never 0


def test_every_problem_is_one_line_naming_file_and_field(tmp_path, ssb_stub, capsys):
    body = """
[series.a]
table = "90001"
select = { kjonn = "1", ContentsCode = "Personer" }

[series.b]
table = "90004"
select = { ContentsCode = "Ledige" }

[series.c]
table = "12345"
select = { ContentsCode = "X" }

[series.d]
table = "90001"
select = { Kjonn = "1" }
"""
    code, out, err = run(tmp_path, ssb_stub, {"feil": 'formula = "a + b + c + d"\n' + body}, "feil", capsys)
    assert code == 1
    problems = [line for line in out if line.startswith(str(tmp_path))]
    expected = [
        ("series.a.select.kjonn", "table 90001 has no variable kjonn (did you mean Kjonn?)"),
        (
            "series.a.select.ContentsCode",
            "'Personer' matches no code of ContentsCode; did you mean Personer1",
        ),
        ("series.b.table", "table 90004 is Quarterly, not annual"),
        ("series.c.table", "SSB has no table 12345"),
        ("series.d.select", "ContentsCode (statistikkvariabel) cannot be left out of table 90001"),
    ]
    assert len(problems) == len(expected), problems
    for line, (field, message) in zip(problems, expected, strict=True):
        assert f"feil.toml: {field}: " in line and message in line
    assert "5 problem(s) in feil" in err
    assert not any("Preview" in line for line in out)


def test_a_peer_missing_from_a_plain_code_table_is_a_problem_with_a_fix(tmp_path, ssb_stub, capsys):
    body = """peers = ["K-5028"]

[series.dekning]
table = "90002"
select = { ContentsCode = "KOSandel120000" }
"""
    code, out, _ = run(tmp_path, ssb_stub, {"dekning": body}, "dekning", capsys)
    assert code == 1
    assert any(
        "series.dekning: peer K-5028 is not in table 90002 (5028 is not a code of KOKkommuneregion0000); set `peers`"
        in line
        for line in out
    )


def test_a_query_over_the_cell_limit_is_fetched_in_parts(tmp_path, ssb_stub, capsys):
    ssb_stub.set_cell_limit(10)
    code, out, _ = run(tmp_path, ssb_stub, {"folk": POPULATION}, "folk", capsys)
    assert code == 0, out
    assert any("over SSB's limit of 10, so it is fetched in parts" in line for line in out)
    assert ssb_stub.counts()["data"] > 1


def test_an_unreachable_ssb_is_one_problem_line(tmp_path, ssb_stub, capsys):
    ssb_stub.add_fault("90001", "500")
    code, out, _ = run(tmp_path, ssb_stub, {"folk": POPULATION}, "folk", capsys)
    assert code == 1
    assert [line for line in out if "HTTP 500" in line] == [
        line for line in out if line.startswith(str(tmp_path))
    ]


@pytest.mark.parametrize(("asked", "hint"), [("flok", "did you mean folk?"), ("zzz", "see the files in")])
def test_an_unknown_indicator_is_named_with_a_hint(tmp_path, ssb_stub, capsys, asked, hint):
    code, _, err = run(tmp_path, ssb_stub, {"folk": POPULATION}, asked, capsys)
    assert code == 1 and f"no indicator '{asked}'" in err and hint in err


UNSURE = (
    """# Codes confirmed: the stub fixture tests/ssb_stub/tables/90001.toml
# UNCONFIRMED: ContentsCode "Personer1" for the real table; the stub
#              only guesses it.
#   - a list item is not part of the mark
# UNCONFIRMED: agg_KommSummer on Region.
"""
    + HEADER
    + POPULATION
)


def write(tmp_path: Path, definitions: dict[str, str]) -> Path:
    folder = tmp_path / "definitions"
    folder.mkdir(exist_ok=True)
    for name, body in definitions.items():
        text = body if body.startswith("#") else HEADER + body
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_unconfirmed_marks_join_their_indented_continuation_lines(tmp_path):
    from indicators.check import unconfirmed_marks

    folder = write(tmp_path, {"uviss": UNSURE})
    marks = unconfirmed_marks(folder / "uviss.toml")
    assert [(m.line, m.text) for m in marks] == [
        (2, 'ContentsCode "Personer1" for the real table; the stub only guesses it.'),
        (5, "agg_KommSummer on Region."),
    ]
    assert str(marks[0]).startswith(f"UNCONFIRMED {folder / 'uviss.toml'}:2: ")


def test_check_prints_the_unconfirmed_marks_before_anything_else(tmp_path, ssb_stub, capsys):
    folder = write(tmp_path, {"uviss": UNSURE})
    code = main(
        ["check", "uviss", "--definitions", str(folder), "--goals", str(GOALS), "--api-url", ssb_stub.url]
    )
    out = capsys.readouterr().out.splitlines()
    assert code == 0, out
    assert [line.split(": ", 1)[0] for line in out[:2]] == [
        f"UNCONFIRMED {folder / 'uviss.toml'}:2",
        f"UNCONFIRMED {folder / 'uviss.toml'}:5",
    ]
    assert not any(line.startswith("UNCONFIRMED") for line in out[2:])
    assert out[-1].startswith("OK: uviss")


def test_check_without_an_id_lists_unconfirmed_definitions_first_then_checks_all(tmp_path, ssb_stub, capsys):
    folder = write(tmp_path, {"aaa-sikker": POPULATION, "uviss": UNSURE})
    code = main(["check", "--definitions", str(folder), "--goals", str(GOALS), "--api-url", ssb_stub.url])
    out = capsys.readouterr().out.splitlines()
    assert code == 0, out
    assert out[0].startswith(f"UNCONFIRMED {folder / 'uviss.toml'}:2: ")
    assert out[1].startswith(f"UNCONFIRMED {folder / 'uviss.toml'}:5: ")
    assert out[2] == "1 of 2 definitions have UNCONFIRMED codes: uviss"
    headers = [line for line in out if line.startswith("== ")]
    assert headers == ["== uviss (UNCONFIRMED)", "== aaa-sikker"]  # unconfirmed first, not by name
    assert out[-1].startswith("OK: 2 definitions match")


def test_check_without_an_id_fails_when_any_definition_has_a_problem(tmp_path, ssb_stub, capsys):
    bad = '\n[series.x]\ntable = "90001"\nselect = { ContentsCode = "Personer" }\n'
    folder = write(tmp_path, {"feil": bad, "folk": POPULATION})
    code = main(["check", "--definitions", str(folder), "--goals", str(GOALS), "--api-url", ssb_stub.url])
    captured = capsys.readouterr()
    assert code == 1
    assert "0 of 2 definitions have UNCONFIRMED codes: none" in captured.out
    assert "problems in 1 of 2 definitions: feil" in captured.err


@pytest.mark.parametrize(
    ("breakdowns", "field", "message"),
    [
        (
            '["Kjon"]',
            "breakdowns[0].variable",
            "table 90001 (series.folk) has no variable Kjon; did you mean Kjonn? "
            "the variables to break down by are",
        ),
        ('[{ variable = "Kjonn", codes = ["1", "3"] }]', "breakdowns[0]", "'3' matches no code of Kjonn"),
    ],
)
def test_a_breakdown_the_table_cannot_give_is_a_problem_with_what_to_write(
    tmp_path, ssb_stub, capsys, breakdowns: str, field: str, message: str
):
    body = f"breakdowns = {breakdowns}\n" + POPULATION
    code, out, _ = run(tmp_path, ssb_stub, {"folk": body}, "folk", capsys)
    assert code == 1
    assert any(f": {field}: " in line and message in line for line in out), out


def test_a_sound_breakdown_passes_check_and_previews_each_category(tmp_path, ssb_stub, capsys):
    code, out, _ = run(tmp_path, ssb_stub, {"folk": 'breakdowns = ["Kjonn"]\n' + POPULATION}, "folk", capsys)
    assert code == 0, out
    men = next(line for line in out if "folk by Kjonn = 1 (Menn) personer:" in line)
    women = next(line for line in out if "folk by Kjonn = 2 (Kvinner) personer:" in line)
    total = next(line for line in out if line.strip().startswith("folk personer:"))
    year = total.split(":")[1].strip()
    assert year in men and year in women, "the same years as the total"
