"""``python -m indicators new ID --table T`` and ``codes T [VAR]`` over real HTTP against the stub."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from indicators.cli import main

REPO = Path(__file__).resolve().parents[2]
GOALS = REPO / "indicators" / "goals.toml"


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _new(capsys, folder: Path, url: str, indicator: str, table: str) -> tuple[int, str, str]:
    return _run(
        capsys,
        "new",
        "--table",
        table,
        "--definitions",
        str(folder),
        "--goals",
        str(GOALS),
        "--api-url",
        url,
        "--",
        indicator,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "definitions"
    path.mkdir()
    return path


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/pxwebapi/v2"


def test_a_newcomer_goes_from_table_id_to_a_checked_indicator(folder, ssb_stub, capsys):
    code, out, err = _new(capsys, folder, ssb_stub.url, "folk", "90001")
    assert code == 0, err
    path = folder / "folk.toml"
    text = path.read_text(encoding="utf-8")
    # Every variable with its codes and labels, content codes with units, the metadata cited.
    assert '#   "1" = Menn' in text and '#   "2" = Kvinner' in text
    assert '#   "Personer1" = Personer [personer, 0 decimals]' in text
    assert '#   "Fodte" = Levendefødte [personer, 0 decimals]' in text
    assert f"# Codes confirmed in: the table's metadata, {ssb_stub.url}/tables/90001/metadata?lang=no" in text
    assert "K-5001, K-0301, K-4601, K-1103" in text and "codelist agg_KommSummer" in text
    assert "every year is fetched" in text
    assert 'direction = ""' in text
    # Until the choices are made, validate refuses the file and new says what is left.
    assert "Still to choose" in out
    assert "direction: must be one of 'increase' or 'decrease'" in out
    assert "series.verdi.select.ContentsCode: must not be empty" in out
    assert _run(capsys, "validate", "--definitions", str(folder), "--goals", str(GOALS))[0] == 1

    # Make the choices the comments name, and nothing else.
    text = (
        text.replace('direction = ""', 'direction = "increase"')
        .replace('subgoals = [""]', 'subgoals = ["2.4"]')
        .replace('ContentsCode = ""', 'ContentsCode = "Personer1"')
    )
    path.write_text(text, encoding="utf-8")
    code, out, err = _run(capsys, "validate", "--definitions", str(folder), "--goals", str(GOALS))
    assert code == 0, out + err
    assert out.startswith("OK:")
    code, out, err = _run(
        capsys,
        "check",
        "folk",
        "--definitions",
        str(folder),
        "--goals",
        str(GOALS),
        "--api-url",
        ssb_stub.url,
    )
    assert code == 0, out + err
    assert "folk personer: 2020:" in out


def test_a_kostra_table_gets_plain_codes_and_its_unit_left_to_choose(folder, ssb_stub, capsys):
    code, _, err = _new(capsys, folder, ssb_stub.url, "barnehage", "90002")
    assert code == 0, err
    text = (folder / "barnehage.toml").read_text(encoding="utf-8")
    assert "5001, 0301, 4601, 1103" in text and "plain municipality codes" in text
    assert 'unit = ""' in text  # prosent and antall: the chosen code decides
    assert "[prosent, 1 decimals]" in text and "[antall, 1 decimals]" in text
    doc = tomllib.loads(text)
    assert doc["series"]["verdi"] == {"table": "90002", "select": {"ContentsCode": ""}}


def test_new_never_overwrites_a_file(folder, ssb_stub, capsys):
    (folder / "sub").mkdir()
    (folder / "sub" / "folk.toml").write_text("# mine\n", encoding="utf-8")
    code, _, err = _new(capsys, folder, ssb_stub.url, "folk", "90001")
    assert code == 1
    assert "exists already" in err and "sub/folk.toml" in err
    assert not (folder / "folk.toml").exists()
    (folder / "egen.toml").write_text("# mine\n", encoding="utf-8")
    assert _new(capsys, folder, ssb_stub.url, "egen", "90001")[0] == 1
    assert (folder / "egen.toml").read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize("indicator", ["../folk", "Folk", "folk.toml", "-folk", "fo lk", "folk\nx", ""])
def test_new_refuses_an_id_the_catalogue_would_refuse_before_asking_ssb(folder, capsys, indicator):
    code, _, err = _new(capsys, folder, _closed_port_url(), indicator, "90001")
    assert code == 1  # not 2: SSB was never asked
    assert "lowercase ASCII letters, digits and '-'" in err
    assert len(err.strip().splitlines()) == 1
    assert list(folder.iterdir()) == [] and not list(folder.parent.glob("*.toml"))


@pytest.mark.parametrize("table", ["7459", "074590", "../../x", "07459?x=1", "abcde"])
def test_a_table_id_that_is_not_five_digits_is_refused(folder, capsys, table):
    for args in (("codes", table), ("new", "folk", "--table", table)):
        code, _, err = _run(capsys, *args, "--definitions", str(folder), "--api-url", _closed_port_url())
        assert code == 1
        assert "five digits" in err and len(err.strip().splitlines()) == 1


def test_an_unknown_or_quarterly_table_writes_nothing(folder, ssb_stub, capsys):
    code, _, err = _new(capsys, folder, ssb_stub.url, "finnes-ikke", "99999")
    assert code == 1 and "SSB has no table 99999" in err
    code, _, err = _new(capsys, folder, ssb_stub.url, "kvartal", "90004")
    assert code == 1 and "not annual" in err
    assert list(folder.iterdir()) == []


def test_ssb_unreachable_exits_2_in_seconds_with_one_line(folder):
    url = _closed_port_url()
    for args in (["codes", "90001"], ["new", "folk", "--table", "90001", "--definitions", str(folder)]):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "indicators", *args, "--goals", str(GOALS), "--api-url", url],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
        )
        assert time.monotonic() - started < 10
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("error: SSB could not be reached")
        assert "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []


def test_codes_lists_the_variables_and_how_each_is_handled(ssb_stub, capsys):
    code, out, _ = _run(capsys, "codes", "90001", "--api-url", ssb_stub.url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Table 90001 «90001: Stub: Befolkning, etter region, kjønn, statistikkvariabel og år»"
    assert f"  metadata: {ssb_stub.url}/tables/90001/metadata?lang=no" in lines
    row = {line.split()[0]: line for line in lines if line[:1].isalpha() and "codes" in line}
    assert "region" in row["Region"] and "agg_KommSummer" in row["Region"]
    assert "may be left out (summed)" in row["Kjonn"]
    assert "content; must be selected" in row["ContentsCode"]
    assert "time; 2010–2024" in row["Tid"]


def test_codes_of_one_variable_with_labels_and_units(ssb_stub, capsys):
    code, out, _ = _run(capsys, "codes", "90001", "ContentsCode", "--api-url", ssb_stub.url)
    assert code == 0
    assert out.splitlines() == [
        "90001 ContentsCode «statistikkvariabel»: 2 codes",
        "  Personer1  Personer  [personer, 0 decimals]",
        "  Fodte      Levendefødte  [personer, 0 decimals]",
    ]
    code, out, _ = _run(capsys, "codes", "90001", "kjonn", "--api-url", ssb_stub.url)  # any case
    assert code == 0 and "  1  Menn" in out


@pytest.mark.parametrize("variable", ["Kjon", "x\ny", "Ø" * 5000])
def test_codes_of_an_unknown_variable_is_one_line_with_a_hint(ssb_stub, capsys, variable):
    code, out, err = _run(capsys, "codes", "90001", variable, "--api-url", ssb_stub.url)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and len(err) < 400
    assert "its variables: Region, Kjonn, ContentsCode, Tid" in err
    if variable == "Kjon":
        assert "did you mean Kjonn?" in err


HOSTILE_TABLE = (
    """
id = "91234"
label = "91234: Navn med \\"\\"\\" og \\u007f og\\nny linje, etter region og år"
updated = "2025-02-21T07:00:00Z"

[[variables]]
code = "Region"
label = "region"
role = "geo"
elimination = true
values = { "K-5001" = "Trondheim", "K-0301" = "Oslo" }

[[variables]]
code = "Tall"
label = "tall\\r\\n# ikke en kommentar"
values = { "1" = "en\\n[series.x]\\ntable = \\"00000\\"", "2" = "to """
    + "\\u2028"
    + """ tre" }

[[variables]]
code = "ContentsCode"
label = "statistikkvariabel"
role = "metric"
values = [["A", "A\\"\\""]]
units = { A = "kr\\nx = 1" }

[[variables]]
code = "Tid"
label = "år"
role = "time"
years = [2018, 2024]
"""
)


def test_hostile_labels_in_the_metadata_stay_inside_comments_and_strings(
    tmp_path, folder, ssb_stub_factory, capsys
):
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "91234.toml").write_text(HOSTILE_TABLE, encoding="utf-8")
    stub = ssb_stub_factory(tables_dir=tables)
    code, _, err = _new(capsys, folder, stub.url, "rar", "91234")
    assert code == 0, err
    doc = tomllib.loads((folder / "rar.toml").read_text(encoding="utf-8"))
    assert set(doc) == {"name", "subgoals", "unit", "decimals", "direction", "description", "series"}
    assert doc["series"] == {"verdi": {"table": "91234", "select": {"Tall": "", "ContentsCode": "A"}}}
    assert doc["unit"] == "kr\nx = 1"
    assert "\x7f" in doc["name"] and '"""' in doc["name"]
