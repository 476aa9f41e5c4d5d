"""Every benchmark in one command, summed up in one table.

    .venv/bin/python benchmarks/run.py [--quick] [--only NAME ...] [--json FILE]

Runs each benchmark script as its own process (so one's servers and memory do not disturb the
next), streams their own output to stderr, then prints one table to stdout: every figure with
the baseline measured in the same run, their ratio, the goal and whether it is met. The
benchmarks:

* ``refresh_economy`` — data requests of a full, an unchanged and a one-table refresh against
  the PxWebApi stub, against the naive one-request-per-series plan;
* ``load`` — p50/p95 latency per page type under 20 concurrent clients, against a static asset;
* ``page_cpu`` — worker CPU per page view per page type, against static files from the same
  gunicorn (issue 21: ≤ 3× that floor);
* ``scale`` — validate, status, the overview and memory with 1 000 indicators, against the
  repository's catalogue;
* ``page_weight`` and ``embed_weight`` (written with the dashboard and the embeds, run when
  present) — bytes over the wire and time to the first chart in headless Chromium.

``--quick`` shortens every run (fewer repetitions, a shorter load) for a smoke test; the figures
in the README come from a full run. Exit code 1 when a benchmark fails to run (not when a goal is
missed: that is what the table is for).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import Row, judged, machine, read_json, table, write_json

HERE = Path(__file__).resolve().parent
# name -> (script, extra arguments for a full run, for a quick run)
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "refresh_economy": ("refresh_economy.py", [], []),
    "load": ("load.py", ["--clients", "20", "--seconds", "20"], ["--clients", "20", "--seconds", "6"]),
    "page_cpu": ("page_cpu.py", ["--views", "200"], ["--views", "40"]),
    "scale": ("scale.py", ["--indicators", "1000", "--runs", "3"], ["--indicators", "1000", "--runs", "1"]),
    "page_weight": ("page_weight.py", ["--runs", "5"], ["--runs", "2"]),
    "embed_weight": ("embed_weight.py", ["--runs", "5"], ["--runs", "2"]),
    "slow_clients": (
        "slow_clients.py",
        ["--slow", "50", "--seconds", "8"],
        ["--slow", "50", "--seconds", "4"],
    ),
}
PAGE_BYTES_GOAL = 250 * 1024  # issue 21: every page at most 250 KiB over the wire (was 1.2 MB, issue 7)
PAGE_TBT_GOAL = 0.1  # issue 21: total blocking time at most 100 ms
PAGE_SECONDS_GOAL = 1.0
EMBED_BYTES_GOAL = 60_000  # issue 17
EMBED_SECONDS_GOAL = 0.5


def page_weight_rows(results: list[dict]) -> list[Row]:
    """benchmarks/page_weight.py's results (cold cache) as rows against its baselines."""
    cold = {r["page"]: r for r in results if r["cache"] == "cold"}
    static = next(r for name, r in cold.items() if name.startswith("baseline: stylesheet"))
    floor = next(r for name, r in cold.items() if name.startswith("baseline: 404"))
    rows = []
    for name, r in cold.items():
        if name.startswith("baseline"):
            continue
        rows.append(
            judged(
                "page weight",
                f"{name}: bytes over the wire, cold",
                r["bytes"],
                "B",
                static["bytes"],
                "stylesheet",
                "≤ 250 KiB",
                lambda v, _b: v <= PAGE_BYTES_GOAL,
            )
        )
        if r.get("tbt_ms") is not None:
            rows.append(
                judged(
                    "page weight",
                    f"{name}: total blocking time, cold",
                    r["tbt_ms"] / 1000,
                    "s",
                    floor.get("tbt_ms", 0.0) / 1000,
                    "404 page",
                    f"≤ {PAGE_TBT_GOAL * 1000:g} ms",
                    lambda v, _b: v <= PAGE_TBT_GOAL,
                )
            )
        rows.append(
            judged(
                "page weight",
                f"{name}: time to first chart, cold",
                r["seconds"],
                "s",
                floor["seconds"],
                "404 page heading",
                f"≤ {PAGE_SECONDS_GOAL:g} s",
                lambda v, _b: v <= PAGE_SECONDS_GOAL,
            )
        )
        if r.get("interactive") is not None:
            rows.append(
                judged(
                    "page weight",
                    f"{name}: interactive (its scripts have run), cold",
                    r["interactive"],
                    "s",
                    floor["seconds"],
                    "404 page heading",
                )
            )
    return rows


def embed_weight_rows(results: list[dict]) -> list[Row]:
    """benchmarks/embed_weight.py's results as rows against its baselines.

    The chart is the server's SVG, drawn with the page: its floor is a plain HTML page's first
    paint. plotly.js takes over later for hover and zoom ("interactive"), after plotly.js alone
    is ready.
    """
    plotly = next(r for r in results if r["case"].startswith("baseline: page loading plotly"))
    paint = next(r for r in results if r["case"].startswith("baseline: plain HTML page"))
    embed = next(r for r in results if r["case"].startswith("embed /embed/") and r["cache"] == "cold")
    framed = [r for r in results if r["case"].startswith("embed in an iframe")]
    rows = [
        judged(
            "embed weight",
            f"{embed['case']}: bytes over the wire, cold",
            embed["bytes"],
            "B",
            plotly["bytes"],
            "plotly.js alone",
            "≤ 60 KB",
            lambda v, _b: v <= EMBED_BYTES_GOAL,
        ),
        judged(
            "embed weight",
            f"{embed['case']}: chart drawn, cold",
            embed["seconds"],
            "s",
            paint["seconds"],
            "plain page painted",
            f"≤ {EMBED_SECONDS_GOAL:g} s",
            lambda v, _b: v <= EMBED_SECONDS_GOAL,
        ),
    ]
    if embed.get("interactive") is not None:
        rows.append(
            judged(
                "embed weight",
                f"{embed['case']}: interactive (points.js ready), cold",
                embed["interactive"],
                "s",
                plotly["seconds"],
                "plotly.js ready",
            )
        )
    for r in framed:
        rows.append(
            judged(
                "embed weight",
                f"{r['case']}: chart drawn",
                r["seconds"],
                "s",
                paint["seconds"],
                "plain page painted",
            )
        )
    return rows


CONVERTERS = {"page_weight": page_weight_rows, "embed_weight": embed_weight_rows}


def run_one(name: str, quick: bool, out_dir: Path) -> list[Row]:
    script, full, short = BENCHMARKS[name]
    result_file = out_dir / f"{name}.json"
    command = [sys.executable, str(HERE / script), *(short if quick else full), "--json", str(result_file)]
    print(f"\n=== {name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, stdout=sys.stderr, stderr=sys.stderr, check=False)
    print(f"=== {name}: {time.monotonic() - started:.0f} s, exit {completed.returncode}", file=sys.stderr)
    if completed.returncode != 0 or not result_file.exists():
        raise RuntimeError(f"{name} failed (exit {completed.returncode}); its output is above")
    if name in CONVERTERS:
        return CONVERTERS[name](json.loads(result_file.read_text(encoding="utf-8")))
    return read_json(result_file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs, for a smoke test")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME", help="run only these")
    parser.add_argument("--json", type=Path, help="also write every row here")
    args = parser.parse_args(argv)
    names = [
        n for n in BENCHMARKS if (not args.only or n in args.only) and (HERE / BENCHMARKS[n][0]).exists()
    ]
    rows: list[Row] = []
    failed: list[str] = []
    conditions = machine()
    with tempfile.TemporaryDirectory(prefix="benchmarks-") as tmp:
        for name in names:
            try:
                rows.extend(run_one(name, args.quick, Path(tmp)))
            except (RuntimeError, KeyError, StopIteration, ValueError) as exc:
                failed.append(f"{name}: {exc}")
    print(
        f"\nBenchmarks ({'quick' if args.quick else 'full'} run); at the start: {conditions}; at the end: {machine()}"
    )
    print(table(rows))
    missed = [r for r in rows if r.met is False]
    print(f"\n{sum(r.met is True for r in rows)} goal(s) met, {len(missed)} missed.")
    for problem in failed:
        print(f"could not run {problem}")
    if args.json:
        write_json(rows, args.json)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
