"""A newcomer's table offline (issue 20 item 2): a stub fixture written from a saved metadata
answer, then ``codes``, ``new`` and ``check --preview`` in a temporary folder, over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.cli import main as indicators
from indicators.ssb.client import SsbClient
from tests.ssb_stub.tables import load_table
from tests.ssb_stub.write_fixture import main as write_fixture

REPO = Path(__file__).resolve().parents[2]
GOALS = REPO / "indicators" / "goals.toml"


def _run(capsys, *args: str) -> tuple[int, str]:
    code = indicators(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _newcomer_adds(capsys, tmp_path: Path, url: str, table: str, choices: dict[str, str]) -> str:
    """What the guide tells a newcomer to do, by its commands only: list the codes, write the
    skeleton, make the choices it names (``choices``: variable -> code, beside direction and
    sub-goal), validate, preview. Returns the preview's output."""
    folder = tmp_path / "definitions"
    folder.mkdir(exist_ok=True)
    code, out = _run(capsys, "codes", table, "--api-url", url)
    assert code == 0 and "ContentsCode" in out, out
    code, out = _run(
        capsys,
        "new",
        "ny",
        "--table",
        table,
        "--definitions",
        str(folder),
        "--goals",
        str(GOALS),
        "--api-url",
        url,
    )
    assert code == 0, out
    path = folder / "ny.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('direction = ""', 'direction = "increase"').replace(
        'subgoals = [""]', 'subgoals = ["3.1"]'
    )
    for variable, code in choices.items():
        text = text.replace(f'{variable} = ""', f'{variable} = "{code}"')
    path.write_text(text, encoding="utf-8")
    where = ["--definitions", str(folder), "--goals", str(GOALS)]
    code, out = _run(capsys, "validate", *where)
    assert code == 0, out
    svg = tmp_path / "ny.svg"
    code, out = _run(capsys, "check", "ny", "--preview", "--svg", str(svg), *where, "--api-url", url)
    assert code == 0, out
    assert "<svg" in svg.read_text(encoding="utf-8")
    return out


def test_a_newcomer_adds_an_indicator_for_a_table_the_stub_knows(capsys, tmp_path, ssb_stub) -> None:
    out = _newcomer_adds(capsys, tmp_path, ssb_stub.url, "07459", {"ContentsCode": "Personer1"})
    assert "Trondheim" in out


def test_a_saved_metadata_answer_becomes_a_fixture_the_stub_serves(
    capsys, tmp_path, ssb_stub, ssb_stub_factory
):
    # The answer a newcomer saves on a machine that reaches SSB (here: the stub's, for a table
    # the new stub will not have under that id).
    saved = tmp_path / "99429.json"
    saved.write_text(json.dumps(SsbClient(ssb_stub.url).metadata("09429").raw), encoding="utf-8")
    tables = tmp_path / "tables"

    assert write_fixture([str(saved), "--out", str(tables), "--id", "99429"]) == 0
    assert "wrote" in capsys.readouterr().out
    fixture = load_table(tables / "99429.toml")
    assert [v.code for v in fixture.variables] == ["Region", "Nivaa", "Kjonn", "ContentsCode", "Tid"]
    region = fixture.variables[0]
    assert list(region.codelists) == ["agg_KommSummer"] and region.elimination_code == "0"
    assert region.labels["5001"] == "Trondheim - Tråante"
    assert region.valid["1601"] == (1838, 2017), "an ended municipality's years, from its label"

    offline = ssb_stub_factory(tables_dir=tables)
    out = _newcomer_adds(
        capsys,
        tmp_path,
        offline.url,
        "99429",
        {"ContentsCode": "PersonerProsent", "Nivaa": "03a", "Kjonn": "0"},
    )
    assert "Trondheim" in out


def test_an_existing_fixture_is_never_overwritten(capsys, tmp_path, ssb_stub) -> None:
    saved = tmp_path / "07459.json"
    saved.write_text(json.dumps(SsbClient(ssb_stub.url).metadata("07459").raw), encoding="utf-8")
    assert write_fixture([str(saved), "--out", str(tmp_path)]) == 0
    before = (tmp_path / "07459.toml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert write_fixture([str(saved), "--out", str(tmp_path)]) == 1
    assert "exists; it is never overwritten (--force replaces it)" in capsys.readouterr().err
    assert (tmp_path / "07459.toml").read_text(encoding="utf-8") == before


def test_hostile_labels_stay_inside_the_fixtures_strings(capsys, tmp_path, ssb_stub) -> None:
    doc = SsbClient(ssb_stub.url).metadata("90001").raw
    doc["label"] = 'Evil"\nid = "00000"\n[rule]\nbase = 1e999 # \\'
    doc["dimension"]["Kjonn"]["category"]["label"]["1"] = '"]]\n[[variables]]\ncode = "X'
    saved = tmp_path / "90001.json"
    saved.write_text(json.dumps(doc), encoding="utf-8")
    assert write_fixture([str(saved), "--out", str(tmp_path / "t")]) == 0
    table = load_table(tmp_path / "t" / "90001.toml")
    assert table.id == "90001" and table.label == doc["label"]
    assert [v.code for v in table.variables] == ["Region", "Kjonn", "ContentsCode", "Tid"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not JSON"),
        (b"<html>Not found</html>", "not JSON"),
        (b"\xff\xfe garbage", "not JSON"),
        (b"[" * 200_000, "nested too deeply"),
        (b"[1, 2, 3]", "no `dimension` object"),
        (b'{"id": "07459", "label": "x", "updated": "2025-01-01T00:00:00Z"}', "no `dimension` object"),
        (
            b'{"dimension": {"Tid": {"category": {"index": ["2020"]}}}, "id": ["Tid"], "size": [1]}',
            "no time variable",
        ),
        (b'{"dimension": {"A": 5}, "id": ["A"], "size": [1]}', "cannot be read"),
    ],
)
def test_a_file_that_is_no_metadata_answer_is_one_line_and_no_fixture(
    capsys, tmp_path, content, message
) -> None:
    saved = tmp_path / "12345.json"
    saved.write_bytes(content)
    assert write_fixture([str(saved), "--out", str(tmp_path / "t")]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "t").exists() or not any((tmp_path / "t").iterdir())


def test_a_file_without_a_table_id_asks_for_one(capsys, tmp_path, ssb_stub) -> None:
    doc = SsbClient(ssb_stub.url).metadata("07459").raw
    doc["extension"] = {}
    saved = tmp_path / "befolkning.json"
    saved.write_text(json.dumps(doc), encoding="utf-8")
    assert write_fixture([str(saved), "--out", str(tmp_path / "t")]) == 1
    assert "give it with --id 12345" in capsys.readouterr().err


def test_a_link_to_an_endless_device_is_refused_as_too_large(capsys, tmp_path) -> None:
    # /dev/zero says size 0 and never ends; the writer reads one byte over its limit, no more.
    saved = tmp_path / "12345.json"
    saved.symlink_to("/dev/zero")
    assert write_fixture([str(saved), "--out", str(tmp_path / "t")]) == 1
    err = capsys.readouterr().err
    assert "larger than" in err and len(err.strip().splitlines()) == 1, err
