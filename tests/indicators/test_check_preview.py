"""``check ID --preview``: the whole series, the assessment and the chart as SVG, offline on the stub."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from indicators.cli import main

GOALS = Path(__file__).resolve().parents[2] / "indicators" / "goals.toml"
SVG = "{http://www.w3.org/2000/svg}"

FOLK = """name = "Folketall"
subgoals = ["2.4"]
unit = "personer"
decimals = 0
direction = "increase"

[series.verdi]
table = "90001"
select = { ContentsCode = "Personer1" }
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "definitions"
    path.mkdir()
    (path / "folk.toml").write_text(FOLK, encoding="utf-8")
    return path


def _check(capsys, folder: Path, url: str, *extra: str) -> tuple[int, str, str]:
    code = main(["check", *extra, "--definitions", str(folder), "--goals", str(GOALS), "--api-url", url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_preview_prints_every_year_and_the_assessment_and_draws_the_chart(tmp_path, folder, ssb_stub, capsys):
    svg = tmp_path / "folk.svg"
    code, out, err = _check(capsys, folder, ssb_stub.url, "folk", "--preview", "--svg", str(svg))
    assert code == 0, out + err
    lines = out.splitlines()
    start = lines.index("Preview of folk «Folketall» (personer), every year:")
    years = lines[start + 1].split()
    assert years == [str(y) for y in range(2010, 2025)]
    rows = {line.split()[0]: line for line in lines[start + 2 : start + 6]}
    assert set(rows) == {"Trondheim", "Oslo", "Bergen", "Stavanger"}
    assert lines[start + 2].split()[0] == "Trondheim"  # the home region first
    assert any(line.startswith("Assessment: ") and "latest" in line for line in lines)
    assert f"Chart written to {svg} (marked TESTDATA" in out
    root = ET.fromstring(svg.read_bytes())
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Folketall – Trondheim"
    assert root.find(f"{SVG}desc").text.startswith("TESTDATA.")  # from the stub: never passes for SSB's
    assert (
        len(root.findall(f".//{SVG}path")) + len(root.findall(f".//{SVG}polyline")) >= 4
    )  # a line per region
    assert lines[-1].startswith("OK: folk")


def test_from_table_id_to_a_previewed_chart_without_reading_code(tmp_path, ssb_stub, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    assert (
        main(
            [
                "new",
                "--table",
                "07459",
                "--definitions",
                str(folder),
                "--goals",
                str(GOALS),
                "--api-url",
                ssb_stub.url,
                "--",
                "befolkning",
            ]
        )
        == 0
    )
    path = folder / "befolkning.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace('direction = ""', 'direction = "increase"')
        .replace('subgoals = [""]', 'subgoals = ["2.4"]'),
        encoding="utf-8",
    )
    capsys.readouterr()
    svg = tmp_path / "befolkning.svg"
    code, out, err = _check(capsys, folder, ssb_stub.url, "befolkning", "--preview", "--svg", str(svg))
    assert code == 0, out + err
    assert "Preview of befolkning «Befolkning» (personer), every year:" in out
    assert ET.fromstring(svg.read_bytes()).find(f"{SVG}title").text == "Befolkning – Trondheim"


def test_preview_needs_an_id(folder, ssb_stub, capsys):
    code, out, err = _check(capsys, folder, ssb_stub.url, "--preview")
    assert code == 2 and out == ""
    assert err.strip() == "error: --preview needs an indicator id: check ID --preview"


@pytest.mark.parametrize("where", ["no/such/folder/x.svg", "."])
def test_a_picture_that_cannot_be_written_is_one_line(tmp_path, folder, ssb_stub, capsys, where):
    target = tmp_path / where
    code, _, err = _check(capsys, folder, ssb_stub.url, "folk", "--preview", "--svg", str(target))
    assert code == 1
    assert err.startswith("error: cannot write the picture") and len(err.strip().splitlines()) == 1


def test_without_preview_no_picture_is_written(tmp_path, folder, ssb_stub, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = _check(capsys, folder, ssb_stub.url, "folk")
    assert code == 0
    assert "every year" not in out and not list(tmp_path.glob("*.svg"))


def test_preview_speaks_the_plans_default_language(tmp_path, folder, ssb_stub, capsys):
    # A nynorsk-first plan: the assessment words and the picture in nynorsk, as `status` speaks.
    goals = tmp_path / "goals.toml"
    text = GOALS.read_text(encoding="utf-8")
    goals.write_text(text.replace("[plan]\n", '[plan]\ndefault_language = "nn"\n', 1), encoding="utf-8")
    svg = tmp_path / "folk.svg"
    where = ["--definitions", str(folder), "--goals", str(goals), "--api-url", ssb_stub.url]
    code = main(["check", "folk", "--preview", "--svg", str(svg), *where])
    out = capsys.readouterr().out
    assert code == 0, out
    assert ET.fromstring(svg.read_bytes()).get("{http://www.w3.org/XML/1998/namespace}lang") == "nn"
    assessment = next(line for line in out.splitlines() if line.startswith("Assessment: "))
    assert assessment.endswith("target auke"), assessment  # nynorsk, not bokmål's "økning"
