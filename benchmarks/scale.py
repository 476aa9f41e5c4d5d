"""Scale: a synthetic catalogue of 1 000 indicators — validate, status, the overview, memory.

    .venv/bin/python benchmarks/scale.py [--indicators 1000] [--runs 3] [--json FILE]

Builds the catalogue in a temporary folder (benchmarks/snapshot_load.py's ``synthetic``: the
repository's definitions copied round after round, each round reading its own copies of the
tables, with a demo cache serving them and the derived layer a refresh writes). Each figure is
paired with the same measurement on the repository's own catalogue (about 40 indicators, on the
committed demo snapshot, which has no derived layer), in the same run:

* ``python -m indicators validate`` and ``python -m indicators status --json``: wall time of
  the command, as a user runs it (interpreter start included; the median of ``--runs``), and
  its CPU time, steadier on a shared machine. Goals (issue 9): validate < 3 s, status < 2 s
  with 1 000 indicators. ``status`` is also measured without the derived layer (every series
  computed: after a code upgrade, until the next refresh), at the end.
* the dashboard under ``gunicorn app:server`` (one worker): how long a worker takes to load the
  data at start, the overview's server time (HTML shell + rendering callback, median of 10
  sequential visits, after the first) against a static asset, and the worker's resident memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from benchmarks.report import Row, emit, judged
from benchmarks.snapshot_load import drop_derived, synthetic
from indicators.config import REPO_ROOT, Settings
from tests.serving import page_visit, plain_get, start_gunicorn

NAME = "scale"
VISITS = 10


def command_seconds(args: list[str], settings: Settings, runs: int) -> tuple[float, float]:
    """Median wall and CPU time of ``python -m indicators ARGS`` on ``settings`` (must exit 0).

    CPU time (user + system of the child) is the steadier figure on a shared machine.
    """
    flags = ["--definitions", str(settings.definitions), "--goals", str(settings.goals)]
    flags += ["--cache-dir", str(settings.cache_dir)]
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "indicators", *args, *flags],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if result.returncode != 0:
            raise SystemExit(f"`indicators {' '.join(args)}` failed: {result.stderr[-2000:]}")
    return statistics.median(walls), statistics.median(cpus)


def server_figures(settings: Settings, workdir: Path) -> dict[str, float]:
    """Start one gunicorn worker on ``settings``; its data load, page times and memory."""
    env = {
        "INDICATOR_DIR": str(settings.definitions),
        "GOALS_FILE": str(settings.goals),
        "DATA_CACHE_DIR": str(settings.cache_dir),
        "WORKER_TIMEOUT": "300",
    }
    server = start_gunicorn(workdir, env, workers=1, threads=2, start_timeout=600)
    try:
        session = requests.Session()
        first_indicator = next(iter(sorted(p.stem for p in settings.definitions.glob("*.toml"))))
        visits = {
            "overview": page_visit(server.url, "/"),
            "indicator": page_visit(server.url, f"/indikator/{first_indicator}"),
            "static": plain_get(server.url, "/assets/dashboard.css"),
        }
        figures: dict[str, float] = {}
        for kind, visit in visits.items():
            visit(session)  # the first visit may still wait for the data
            times = []
            for _ in range(VISITS):
                started = time.perf_counter()
                visit(session)
                times.append(time.perf_counter() - started)
            figures[kind] = statistics.median(times)
        loaded = [r for r in server.log_lines() if r.get("event") == "data_loaded" and r.get("ok")]
        figures["load"] = loaded[-1]["seconds"] if loaded else float("nan")
        figures["rss"] = max(server.worker_rss_mb())
    finally:
        server.stop()
    return figures


def measure(indicators: int, runs: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        root = Path(tmp)
        # An empty cache folder: the repository's catalogue on the committed demo snapshot.
        repo = Settings.resolve({"cache_dir": root / "repo-cache"})
        big = synthetic(root / "catalogue", indicators)
        n = len(list(big.definitions.glob("*.toml")))
        n_repo = len(list(repo.definitions.glob("*.toml")))
        base = f"repo, {n_repo} indicators"
        validate = (command_seconds(["validate"], big, runs), command_seconds(["validate"], repo, runs))
        status = (
            command_seconds(["status", "--json"], big, runs),
            command_seconds(["status", "--json"], repo, runs),
        )
        (root / "big").mkdir()
        (root / "repo").mkdir()
        big_server = server_figures(big, root / "big")
        repo_server = server_figures(repo, root / "repo")
        drop_derived(big)
        cold = command_seconds(["status", "--json"], big, runs)
    return [
        judged(
            NAME,
            f"validate, {n} indicators",
            validate[0][0],
            "s",
            validate[1][0],
            base,
            "< 3 s",
            lambda v, _b: v < 3,
        ),
        judged(NAME, "validate: CPU time", validate[0][1], "s", validate[1][1], base),
        judged(
            NAME,
            f"status --json, {n} indicators",
            status[0][0],
            "s",
            status[1][0],
            base,
            "< 2 s",
            lambda v, _b: v < 2,
        ),
        judged(NAME, "status --json: CPU time", status[0][1], "s", status[1][1], base),
        judged(
            NAME,
            f"status --json, {n} indicators, no derived layer",
            cold[0],
            "s",
            status[0][0],
            "with the layer",
        ),
        judged(
            NAME, "status --json, no derived layer: CPU time", cold[1], "s", status[0][1], "with the layer"
        ),
        judged(NAME, "worker start: data load", big_server["load"], "s", repo_server["load"], base),
        judged(
            NAME,
            "overview server time (shell + callback)",
            big_server["overview"],
            "s",
            big_server["static"],
            "static asset",
        ),
        judged(
            NAME,
            "overview server time, repo catalogue",
            repo_server["overview"],
            "s",
            repo_server["static"],
            "static asset",
        ),
        judged(
            NAME,
            "indicator page server time",
            big_server["indicator"],
            "s",
            big_server["static"],
            "static asset",
        ),
        judged(
            NAME, f"worker memory (RSS), {n} indicators", big_server["rss"], "MB", repo_server["rss"], base
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=1000, help="size of the synthetic catalogue")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    rows = measure(args.indicators, args.runs)
    emit(rows, f"Synthetic catalogue of {args.indicators} indicators", args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
