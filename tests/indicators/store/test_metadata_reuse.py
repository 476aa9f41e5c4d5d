"""A republished table is fetched with the metadata the last refresh stored (one call fewer), each
answer checked against it; a changed structure is detected and the table asked anew. Over real
HTTP against the PxWebApi stub."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from indicators.config import REPO_ROOT
from indicators.ssb.client import SsbClient, VarSelection
from indicators.ssb.query import parse_table_metadata
from indicators.store import metadata as metadata_module
from indicators.store.cache import Cache
from indicators.store.metadata import metadata_path, read_stored, structure_change
from indicators.store.refresh import real_cache, refresh
from tests.indicators.store.cache_support import make_catalog, run_refresh, settings_for
from tests.indicators.store.test_refresh import home_values

KOSTRA = "90002"


def _republish(stub: Any, table: str, more: float = 5.0) -> None:
    stub.tables[table].base += more  # new figures ...
    stub.touch(table)  # ... in a new release


def test_a_republished_table_is_fetched_with_its_stored_metadata(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    before = home_values(settings, "barnehage")
    ssb_stub.reset_counts()
    _republish(ssb_stub, KOSTRA)

    code, output = run_refresh(settings)

    counts = ssb_stub.counts()
    assert code == 0, output
    assert counts["metadata"] == 0 and counts["table_info"] == 0, "no call that another answered"
    assert counts["data"] == 1 and counts["tables"] == 1
    assert home_values(settings, "barnehage") != before, "the new figures are shown"
    entry = real_cache(settings).read_manifest().tables[KOSTRA]
    assert entry.current.updated == ssb_stub.tables[KOSTRA].updated, "the release is the data answer's"
    assert "stored metadata reused" in output
    assert "0 for metadata; 1 table(s) fetched with their stored metadata" in output


def test_a_renamed_variable_is_detected_and_the_table_asked_anew(ssb_stub, tmp_path: Path) -> None:
    # SSB renames KOSTRA's region variable: the query built from the stored metadata names a
    # variable the table no longer has, and SSB refuses it.
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    ssb_stub.reset_counts()
    ssb_stub.tables[KOSTRA].variables[0].code = "KOKkommuneregion0001"
    _republish(ssb_stub, KOSTRA)

    code, output = run_refresh(settings)

    counts = ssb_stub.counts()
    assert code == 0, output
    assert counts["metadata"] == 1 and counts["data"] == 2, "refused once, then asked with fresh metadata"
    assert "changed its structure" in output
    assert home_values(settings, "barnehage"), "the figures come from the new structure"
    stored = read_stored(real_cache(settings).root, KOSTRA)
    assert stored is not None and stored.variables[0].code == "KOKkommuneregion0001"
    response = real_cache(settings).read_manifest().tables[KOSTRA].current.responses[0]
    assert "KOKkommuneregion0001" in response.selection

    ssb_stub.reset_counts()
    _republish(ssb_stub, KOSTRA)
    code, _ = run_refresh(settings)
    assert code == 0 and ssb_stub.counts()["metadata"] == 0, "the new structure is reused next time"


def test_an_answer_that_does_not_fit_the_stored_metadata_is_asked_anew(ssb_stub, tmp_path: Path) -> None:
    # SSB accepts the query, but the table's variables now come in another order: the answer
    # shows it, and the table is asked anew rather than read against the old metadata.
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    ssb_stub.reset_counts()
    variables = ssb_stub.tables[KOSTRA].variables
    variables[0], variables[1] = variables[1], variables[0]
    _republish(ssb_stub, KOSTRA)

    code, output = run_refresh(settings)

    counts = ssb_stub.counts()
    assert code == 0, output
    assert counts["metadata"] == 1 and counts["data"] == 2
    assert "another order" in output
    assert home_values(settings, "barnehage")


def test_force_asks_for_the_metadata_again(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    ssb_stub.reset_counts()

    code, _ = run_refresh(settings, force=True)

    assert code == 0 and ssb_stub.counts()["metadata"] == 2


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff not json",
        b"[1, 2, 3]",
        b'{"class": "dataset", "id": ["Tid"]}',
        b"",
        "another table's metadata",
    ],
)
def test_a_damaged_stored_metadata_file_costs_one_call_never_the_data(
    ssb_stub, tmp_path: Path, content: bytes | str
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    root = real_cache(settings).root
    path = metadata_path(root, KOSTRA)
    assert path is not None and path.is_file()
    if isinstance(content, str):  # the metadata of table 90001, stored under 90002's name
        other = metadata_path(root, "90001")
        assert other is not None
        content = other.read_bytes()
    path.write_bytes(content)
    ssb_stub.reset_counts()
    _republish(ssb_stub, KOSTRA)

    code, output = run_refresh(settings)

    assert code == 0, output
    assert ssb_stub.counts()["metadata"] == 1 and ssb_stub.counts()["data"] == 1
    assert home_values(settings, "barnehage")
    healed = read_stored(root, KOSTRA)
    assert healed is not None and healed.variables[0].code == "KOKkommuneregion0000"


def test_no_metadata_file_is_made_for_an_id_unfit_for_a_file_name(tmp_path: Path) -> None:
    assert metadata_path(tmp_path, "../../etc/passwd") is None
    assert read_stored(tmp_path, "../x") is None


# --- the check itself, on documents shaped like SSB's ----------------------------------------------

META = {
    "version": "2.0",
    "class": "dataset",
    "label": "99999: test table",
    "updated": "2025-01-01T07:00:00Z",
    "id": ["Region", "Kjonn", "ContentsCode", "Tid"],
    "size": [2, 3, 1, 2],
    "role": {"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]},
    "dimension": {
        "Region": {"label": "region", "category": {"index": {"5001": 0, "0301": 1}}},
        "Kjonn": {
            "label": "kjønn",
            "category": {"index": {"0": 0, "1": 1, "2": 2}},
            "extension": {"elimination": True, "eliminationValueCode": "0"},
        },
        "ContentsCode": {"label": "statistikkvariabel", "category": {"index": {"Personer": 0}}},
        "Tid": {"label": "år", "category": {"index": {"2023": 0, "2024": 1}}},
    },
    "extension": {"px": {"tableid": "99999"}},
    "value": [],
}


def _answer(**dims: list[str]) -> dict[str, Any]:
    """A data answer with these dimensions (in this order), roles and table as in META."""
    doc: dict[str, Any] = json.loads(json.dumps(META))
    doc["id"] = list(dims)
    doc["size"] = [len(c) for c in dims.values()]
    doc["dimension"] = {
        d: {"label": d, "category": {"index": {c: i for i, c in enumerate(codes)}}}
        for d, codes in dims.items()
    }
    doc["value"] = [1.0] * math.prod(len(c) for c in dims.values())
    return doc


META_PARSED = parse_table_metadata("99999", META, "test")
ASKED = {
    "Region": VarSelection(["5001"]),
    "ContentsCode": VarSelection(["Personer"]),
    "Tid": VarSelection(["*"]),
}


def test_an_answer_with_a_new_year_fits() -> None:
    answer = _answer(Region=["5001"], ContentsCode=["Personer"], Tid=["2024", "2025"])
    assert structure_change(META_PARSED, answer, ASKED) is None


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (_answer(Region=["5001"], Alder=["0"], ContentsCode=["Personer"], Tid=["2024"]), "Alder"),
        (_answer(Region=["5001"], Tid=["2024"]), "lacks variable ContentsCode"),
        (_answer(ContentsCode=["Personer"], Region=["5001"], Tid=["2024"]), "another order"),
        (_answer(Region=["5001"], ContentsCode=["Personer", "Nye"], Tid=["2024"]), "Nye"),
        (_answer(Region=["5001"], ContentsCode=["Personer"], Tid=["2024K1"]), "not years"),
    ],
)
def test_an_answer_in_another_structure_is_named(answer: dict[str, Any], why: str) -> None:
    change = structure_change(META_PARSED, answer, ASKED)
    assert change is not None and why in change


def test_an_answer_from_another_table_or_without_its_release_does_not_fit() -> None:
    answer = _answer(Region=["5001"], ContentsCode=["Personer"], Tid=["2024"])
    answer["extension"]["px"]["tableid"] = "88888"
    assert "88888" in (structure_change(META_PARSED, answer, ASKED) or "")
    answer = _answer(Region=["5001"], ContentsCode=["Personer"], Tid=["2024"])
    del answer["updated"]
    assert "updated" in (structure_change(META_PARSED, answer, ASKED) or "")


def test_codes_of_a_codelist_variable_are_not_the_tables_own() -> None:
    asked = {**ASKED, "Region": VarSelection(["K-5001"], codelist="agg_KommSummer")}
    answer = _answer(Region=["K-5001"], ContentsCode=["Personer"], Tid=["2024"])
    assert structure_change(META_PARSED, answer, asked) is None


def test_a_killed_refreshs_temporary_metadata_file_is_cleared(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    root = real_cache(settings).root
    leftover = root / "metadata" / ".tmp-abc123"
    leftover.write_bytes(b'{"half": ')

    code, _ = run_refresh(settings)

    assert code == 0 and not leftover.exists()
    assert read_stored(root, KOSTRA) is not None, "the stored metadata itself stays"


def test_a_demo_snapshot_carries_no_stored_metadata(ssb_stub, tmp_path: Path) -> None:
    # The demo is committed and shipped in the package: only a real cache keeps metadata.
    demo = Cache(tmp_path / "demo", lock_path=tmp_path / ".lock")
    result = refresh(make_catalog(tmp_path), demo, SsbClient(ssb_stub.url), kind="demo")

    assert result.ok and demo.read_manifest() is not None
    assert not (demo.root / "metadata").exists()


def _spoil(path: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the stored metadata file at ``path`` unusable in the way ``how`` names."""
    good = path.read_bytes()
    path.unlink()
    if how == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif how == "huge":  # valid JSON, one byte over the limit
        monkeypatch.setattr(metadata_module, "MAX_METADATA_BYTES", len(good) + 10)
        path.write_bytes(good + b" " * 11)
    elif how == "fifo":  # opening a FIFO for reading waits for a writer that never comes
        os.mkfifo(path)
    elif how == "symlink":  # even to a file of the right table: the cache holds files, not links
        copy = path.with_name("elsewhere.json")
        copy.write_bytes(good)
        path.symlink_to(copy)


@pytest.mark.parametrize("how", ["truncated", "huge", "fifo", "symlink"])
def test_a_stored_metadata_file_that_is_no_plain_file_costs_one_call_and_never_hangs(
    ssb_stub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url)
    run_refresh(settings)
    root = real_cache(settings).root
    path = metadata_path(root, KOSTRA)
    assert path is not None
    _spoil(path, how, monkeypatch)
    ssb_stub.reset_counts()
    _republish(ssb_stub, KOSTRA)

    outcome: list[tuple[int, str]] = []
    worker = threading.Thread(target=lambda: outcome.append(run_refresh(settings)), daemon=True)
    worker.start()
    worker.join(timeout=60)

    assert outcome, f"the refresh hangs on a stored metadata file that is a {how}"
    code, output = outcome[0]
    assert code == 0, output
    assert ssb_stub.counts()["metadata"] == 1 and ssb_stub.counts()["data"] == 1
    assert path.is_file() and not path.is_symlink(), "the next refresh finds a plain file again"


def test_a_stored_metadata_link_to_an_endless_device_is_not_read(tmp_path: Path) -> None:
    # /dev/zero reports size 0 and never ends: read whole, it would fill the memory. In a
    # child with a memory limit, so a regression fails here instead of hurting the machine.
    (tmp_path / "metadata").mkdir()
    (tmp_path / "metadata" / f"{KOSTRA}.json").symlink_to("/dev/zero")
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from pathlib import Path; from indicators.store.metadata import read_stored\n"
        f"print(read_stored(Path(sys.argv[1]), {KOSTRA!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0 and done.stdout.strip() == "None", done.stderr[-500:]
