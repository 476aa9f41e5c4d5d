"""Demo per plan (issue 18, item 3): another municipality's catalogue never shows Trondheim's demo.

Without a demo of its own, such a plan shows an empty, explained state; ``python -m
indicators.demo`` makes its demo in the configured cache folder from the fixtures it is given.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.data import build_data
from dashboard.pages import overview
from indicators.config import REPO_ROOT, Settings
from indicators.store.snapshot import REPO_DEMO, demo_dir, load_snapshot
from tests.dashboard.helpers import text

GOALS = """
[plan]
name = "Bergensløftet"
subtitle = "Kommuneplanens samfunnsdel 2021–2030"
start_year = 2021
target_year = 2030
region = "K-4601"
region_name = "Bergen"
peers = ["K-0301"]

[[goals]]
id = "1"
title = "Et grønnere Bergen"
wording = "plan"
source = "https://example.org/plan"

[[goals.subgoals]]
id = "1.1"
title = "Flere innbyggere"
wording = "plan"
source = "https://example.org/plan"
"""
# A real table the repository's stub fixtures hold (07459, population by region and age).
POPULATION = """
name = "Befolkning"
subgoals = ["1.1"]
unit = "personer"
direction = "increase"
[series.bef]
table = "07459"
select = { Alder = "*", ContentsCode = "Personer1" }
"""


@pytest.fixture()
def plan(tmp_path: Path) -> dict[str, str]:
    """The settings (as environment variables) of a second plan with an empty cache folder."""
    (tmp_path / "goals.toml").write_text(GOALS, encoding="utf-8")
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "befolkning.toml").write_text(POPULATION, encoding="utf-8")
    return {
        "GOALS_FILE": str(tmp_path / "goals.toml"),
        "INDICATOR_DIR": str(tmp_path / "definitions"),
        "DATA_CACHE_DIR": str(tmp_path / "cache"),
    }


def _settings(env: dict[str, str]) -> Settings:
    return Settings.resolve(
        {"goals": env["GOALS_FILE"], "definitions": env["INDICATOR_DIR"], "cache_dir": env["DATA_CACHE_DIR"]}
    )


def _demo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indicators.demo", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_another_plan_without_a_demo_shows_an_explained_empty_state(plan) -> None:
    snapshot = load_snapshot(_settings(plan))
    assert demo_dir(_settings(plan)) != REPO_DEMO
    assert not snapshot.demo and snapshot.no_data and not snapshot.series
    assert "python -m indicators refresh" in snapshot.problems["befolkning"]
    page = " ".join(text(overview.build(build_data(snapshot), "no")).split())
    assert "Ingen tall ennå" in page
    assert "Trondheim" not in page and "Demodata" not in page
    english = " ".join(text(overview.build(build_data(snapshot), "en")).split())
    assert "No figures yet" in english


def test_the_repository_plan_still_falls_back_to_the_committed_demo(tmp_path: Path) -> None:
    settings = Settings.resolve({"cache_dir": tmp_path})  # the repository's goals and definitions
    assert demo_dir(settings) == REPO_DEMO
    assert load_snapshot(settings).demo


def test_the_demo_command_writes_the_plans_demo_into_its_cache_folder(plan) -> None:
    done = _demo(plan)
    assert done.returncode == 0, done.stderr
    written = Path(plan["DATA_CACHE_DIR"]) / "demo"
    assert f"wrote the demo snapshot to {written}" in done.stdout
    snapshot = load_snapshot(_settings(plan))
    assert snapshot.demo and not snapshot.no_data
    assert set(snapshot.series["befolkning"]["region"]) == {"K-4601", "K-0301"}
    assert _demo(plan, "--check").returncode == 0  # and --check compares with that same folder


def test_the_demo_command_refuses_fixtures_that_are_not_there_or_lack_a_table(plan, tmp_path: Path) -> None:
    missing = _demo(plan, "--fixtures", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert "--fixtures" in missing.stderr and "no such folder" in missing.stderr
    (tmp_path / "fixtures").mkdir()
    empty = _demo(plan, "--fixtures", str(tmp_path / "fixtures"))
    assert empty.returncode == 1
    assert "no stub fixture for catalogue table(s) 07459 (used by befolkning)" in empty.stderr
    assert not (Path(plan["DATA_CACHE_DIR"]) / "demo").exists()
