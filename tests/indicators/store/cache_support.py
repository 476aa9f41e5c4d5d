"""Helpers for the cache, refresh, compute, snapshot and demo tests: small catalogues on disk."""

from __future__ import annotations

import argparse
import io
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd

from indicators.config import REPO_ROOT, Settings
from indicators.plan.catalog import Catalog, load_catalog
from indicators.series.arrays import tidy
from indicators.store.refresh import command

GOALS = REPO_ROOT / "indicators" / "goals.toml"

# Indicators over the stub's generic tables: 90001 (K-codes with agg_KommSummer, an eliminable
# Kjonn), 90002 (KOSTRA-style plain codes), 90003 (many cells, plain codes, no codelist).
POPULATION = """
name = "Befolkning"
subgoals = ["1.1"]
unit = "personer"
direction = "increase"
[series.bef]
table = "90001"
select = { ContentsCode = "Personer1" }
"""
BIRTHS = """
name = "Fødte per 1 000 innbyggere"
subgoals = ["1.2"]
unit = "per 1 000"
direction = "increase"
formula = "1000 * fodte / bef"
[series.fodte]
table = "90001"
select = { ContentsCode = "Fodte" }
[series.bef]
table = "90001"
select = { ContentsCode = "Personer1" }
"""
KINDERGARTEN = """
name = "Barnehagedekning"
subgoals = ["2.2"]
unit = "prosent"
direction = "increase"
limit = 100
[series.andel]
table = "90002"
select = { ContentsCode = "KOSandel120000" }
"""
STANDARD = {"befolkning": POPULATION, "fodte": BIRTHS, "barnehage": KINDERGARTEN}


def write_definitions(folder: Path, definitions: dict[str, str]) -> Path:
    """Write ``<id>.toml`` files (dedented) into ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for indicator, text in definitions.items():
        (folder / f"{indicator}.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def make_catalog(tmp_path: Path, definitions: dict[str, str] | None = None) -> Catalog:
    folder = write_definitions(tmp_path / "definitions", definitions or STANDARD)
    return load_catalog(folder, GOALS)


def settings_for(tmp_path: Path, api_url: str, definitions: dict[str, str] | None = None) -> Settings:
    """Settings with a fresh definitions folder and cache folder under ``tmp_path``."""
    folder = write_definitions(tmp_path / "definitions", definitions or STANDARD)
    goals = tmp_path / "goals.toml"
    if not goals.exists():
        shutil.copy(GOALS, goals)
    return Settings.resolve(
        {
            "definitions": folder,
            "goals": goals,
            "cache_dir": tmp_path / "cache",
            "ssb_api_url": api_url,
        }
    )


def run_refresh(
    settings: Settings, *, only: list[str] | None = None, force: bool = False, quiet: bool = False
):
    """Run ``refresh`` as the CLI does; returns (exit code, what it printed)."""
    out = io.StringIO()
    args = argparse.Namespace(only=only, force=force, quiet=quiet)
    code = command(args, settings, out=out)
    return code, out.getvalue()


def frame_from_csv(text: str) -> pd.DataFrame:
    """An expected series frame written as inline CSV (empty status = None)."""
    frame = pd.read_csv(io.StringIO(textwrap.dedent(text).strip()), dtype={"region": str, "status": str})
    return tidy(frame)


def dataset(
    dims: dict[str, dict[str, str]],
    values: list[float | None],
    *,
    status: dict[int, str] | None = None,
    roles: dict[str, list[str]] | None = None,
    table: str = "99999",
) -> dict[str, Any]:
    """A JSON-stat2 dataset as SSB shapes it: ``dims`` maps each dimension to {code: label}."""
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": f"{table}: test table",
        "id": list(dims),
        "size": [len(c) for c in dims.values()],
        "dimension": {
            dim: {
                "label": dim.lower(),
                "category": {"index": {c: i for i, c in enumerate(codes)}, "label": codes},
            }
            for dim, codes in dims.items()
        },
        "extension": {"px": {"tableid": table}},
        "role": roles
        or {"geo": [d for d in dims if d in ("Region", "KOKkommuneregion0000")], "time": ["Tid"]},
        "value": values,
    }
    if status:
        doc["status"] = {str(k): v for k, v in status.items()}
    return doc
