"""The guide's ``#:schema`` line finds the schema the guide's command writes (issue 20 item 3).

Taplo (Even Better TOML in VS Code) resolves a relative ``#:schema`` path against the TOML file
that holds it (tamasfe/taplo#255, #293), and a ``.taplo.toml`` rule's ``path`` against that
configuration file. Both must land on the file ``python -m indicators schema > …`` writes, and
that file must not be in the definitions folder, where ``validate`` refuses anything but TOML.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from indicators.cli import main
from indicators.plan.catalog import validate

REPO = Path(__file__).resolve().parents[3]
GUIDE = REPO / "indicators" / "README.md"
DEFINITIONS = REPO / "indicators" / "definitions"


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _written_path() -> Path:
    (command,) = re.findall(r"^python -m indicators schema > (\S+)$", _guide(), re.M)
    return (REPO / command).resolve()


def _directive() -> str:
    (line,) = re.findall(r"^#:schema (\S+)$", _guide(), re.M)
    return line


def test_the_schema_line_resolves_from_a_definition_to_the_file_the_guide_writes() -> None:
    target = (DEFINITIONS / "any-indicator.toml").parent / _directive()
    assert target.resolve() == _written_path()


def test_the_taplo_rule_resolves_from_the_project_folder_to_the_same_file() -> None:
    (path,) = re.findall(r'schema = \{ path = "([^"]+)" \}', _guide())
    assert (REPO / path).resolve() == _written_path()


def test_the_schema_is_written_outside_the_definitions_folder() -> None:
    assert DEFINITIONS not in _written_path().parents


def test_a_definition_with_the_line_validates_and_its_schema_is_the_formats(tmp_path: Path, capsys) -> None:
    # The same layout in a scratch project: indicators/definitions/<file> and the written schema.
    definitions = tmp_path / "indicators" / "definitions"
    definitions.mkdir(parents=True)
    source = (DEFINITIONS / "hoyere-utdanning.toml").read_text(encoding="utf-8")
    (definitions / "hoyere-utdanning.toml").write_text(f"#:schema {_directive()}\n{source}", encoding="utf-8")
    assert main(["schema"]) == 0
    written = tmp_path / _written_path().relative_to(REPO)
    written.write_text(capsys.readouterr().out, encoding="utf-8")

    found = (definitions / _directive()).resolve()
    assert found == written.resolve()
    schema = json.loads(found.read_text(encoding="utf-8"))
    assert {"name", "series", "breakdowns"} <= set(schema["properties"])
    goals = tmp_path / "goals.toml"
    shutil.copy(REPO / "indicators" / "goals.toml", goals)
    catalog, issues = validate(definitions, goals)
    assert catalog is not None, [str(i) for i in issues]
