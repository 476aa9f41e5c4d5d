"""``python -m indicators catalogue``: the analyst guide's catalogue table comes from the definitions."""

from __future__ import annotations

from pathlib import Path

from indicators.catalogue_table import BEGIN, END
from indicators.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOALS = ROOT / "indicators" / "goals.toml"

DEFINITION = """name = "{name}"
subgoals = ["2.5", "1.1"]
unit = "prosent"
decimals = 1
direction = "decrease"
{extra}
[series.a]
table = "12210"
select = {{ ContentsCode = "KOSsosantkliente0000" }}
"""


def folder_with(tmp_path: Path, guide_text: str | None, **definitions: str) -> tuple[Path, Path]:
    """A definitions folder with these files (id -> TOML) and a guide README.md beside it."""
    folder = tmp_path / "definitions"
    folder.mkdir()
    for indicator, body in definitions.items():
        (folder / f"{indicator}.toml").write_text(body, encoding="utf-8")
    guide = tmp_path / "README.md"
    if guide_text is not None:
        guide.write_text(guide_text, encoding="utf-8")
    return folder, guide


def catalogue(folder: Path, *flags: str) -> int:
    return main(["catalogue", *flags, "--definitions", str(folder), "--goals", str(GOALS)])


def test_the_guides_catalogue_table_matches_the_definitions(capsys):
    # Fails when a definition changed without `python -m indicators catalogue --write`.
    code = catalogue(ROOT / "indicators" / "definitions", "--check")
    out, err = capsys.readouterr()
    assert code == 0, out + err


def test_a_changed_definition_fails_the_check_until_the_table_is_written(tmp_path, capsys):
    body = DEFINITION.format(name="Første", extra="")
    folder, guide = folder_with(tmp_path, f"# Guide\n\nintro\n{BEGIN}\nold table\n{END}\n\nafter\n", a=body)

    assert catalogue(folder, "--check") == 1
    out, err = capsys.readouterr()
    assert "-old table" in out and "out of date" in err and "catalogue --write" in err

    assert catalogue(folder, "--write") == 0
    text = guide.read_text(encoding="utf-8")
    assert text.startswith("# Guide\n\nintro\n") and text.endswith(f"{END}\n\nafter\n")
    assert "| `a` | Første | 2.5, 1.1 | 12210 | reduksjon | ingen | – |" in text
    assert catalogue(folder, "--check") == 0

    (folder / "b.toml").write_text(DEFINITION.format(name="Andre", extra=""), encoding="utf-8")
    assert catalogue(folder, "--check") == 1


def test_rows_follow_the_first_sub_goal_and_show_targets_and_unconfirmed_notes(tmp_path, capsys):
    change = """
[target]
kind = "change"
value = -80
baseline_year = 2009
year = 2030
source = "Plan"
milestones = [{ year = 2025, value = -40 }, { year = 2027, value = -50.5 }]
"""
    flagged = "# UNCONFIRMED: the label\n# UNCONFIRMED: the title\n" + DEFINITION.format(
        name="Flagget", extra=""
    )
    folder, _ = folder_with(
        tmp_path,
        None,
        **{
            "z-first": DEFINITION.replace('["2.5", "1.1"]', '["1.1"]').format(name="Endring", extra=change),
            "a-later": flagged,
        },
    )
    assert catalogue(folder) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    assert rows[0].startswith("| `z-first` |"), "1.1 comes before 2.5 whatever the ids"
    assert "−80 % innen 2030 mot 2009; delmål −40 % (2025), −50,5 % (2027)" in rows[0]
    assert rows[1].endswith("| 2 |"), "two UNCONFIRMED notes"
    assert out.startswith(
        "2 indikatorer: 2 fra SSBs statistikkbank og 0 fra andre utgivere. 1 definisjonsfiler"
    )


def test_a_pipe_in_a_name_stays_inside_its_cell(tmp_path, capsys):
    folder, _ = folder_with(tmp_path, None, a=DEFINITION.format(name="A | B", extra=""))
    assert catalogue(folder) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("| `a`"))
    assert "A \\| B" in row
    assert row.replace("\\|", "").count("|") == 8, "seven cells"


def test_a_guide_without_markers_is_one_clear_error_and_stays_untouched(tmp_path, capsys):
    folder, guide = folder_with(
        tmp_path, "# Guide without a table\n", a=DEFINITION.format(name="A", extra="")
    )
    for flag in ("--write", "--check"):
        assert catalogue(folder, flag) == 1
        err = capsys.readouterr().err
        assert "expected the markers" in err and "Traceback" not in err
    assert guide.read_text(encoding="utf-8") == "# Guide without a table\n"


def test_markers_twice_or_reversed_are_refused(tmp_path, capsys):
    body = DEFINITION.format(name="A", extra="")
    folder, guide = folder_with(tmp_path, f"{BEGIN}\n{END}\n{BEGIN}\n{END}\n", a=body)
    assert catalogue(folder, "--write") == 1
    assert "found 2 and 2" in capsys.readouterr().err
    guide.write_text(f"{END}\n{BEGIN}\n", encoding="utf-8")
    assert catalogue(folder, "--write") == 1
    assert "comes before" in capsys.readouterr().err
    assert guide.read_text(encoding="utf-8") == f"{END}\n{BEGIN}\n"


def test_a_missing_or_unreadable_guide_is_one_clear_error(tmp_path, capsys):
    folder, _ = folder_with(tmp_path, None, a=DEFINITION.format(name="A", extra=""))
    assert catalogue(folder, "--check") == 1
    err = capsys.readouterr().err
    assert "cannot read the guide" in err and "--guide" in err and "Traceback" not in err
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\xff\xfe\x00broken")
    assert catalogue(folder, "--check", "--guide", str(binary)) == 1
    assert "cannot read the guide" in capsys.readouterr().err
    assert catalogue(folder, "--check", "--guide", str(tmp_path)) == 1  # a directory
    assert "cannot read the guide" in capsys.readouterr().err
    endless = tmp_path / "endless.md"  # says size 0 and never ends
    endless.symlink_to("/dev/zero")
    assert catalogue(folder, "--write", "--guide", str(endless)) == 1
    err = capsys.readouterr().err
    assert "larger than 16 MiB" in err and "Traceback" not in err


def test_an_invalid_definition_is_reported_and_the_guide_stays_untouched(tmp_path, capsys):
    text = f"{BEGIN}\nold\n{END}\n"
    folder, guide = folder_with(tmp_path, text, a='name = "A"\nsubgoals = "2.5"\n')
    assert catalogue(folder, "--write") == 1
    err = capsys.readouterr().err
    assert "a.toml: subgoals:" in err and "Traceback" not in err
    assert guide.read_text(encoding="utf-8") == text
