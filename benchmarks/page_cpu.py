"""CPU per page view, per page type, against static files served by the same gunicorn.

    .venv/bin/python benchmarks/page_cpu.py [--views N] [--json FILE]

Issue 21's row "CPU per page view": ``gunicorn app:server`` (2 workers, as shipped) on loopback,
N sequential views of each page type (a view = its HTML document, which the server writes whole;
its style sheet and scripts are cached by the browser), and the worker CPU time (user + system,
from /proc) each view costs. The floor, measured in the same run: as many requests per view for
a static file (``/assets/dashboard.css``) from the same gunicorn. Goal: ≤ 3× the floor.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from benchmarks.load import workers_cpu
from benchmarks.report import Row, emit, judged
from tests.serving import page_visit, plain_get, start_gunicorn

NAME = "page_cpu"
GOAL_RATIO = 3.0
PAGES = {
    "overview /": "/",
    "goal /mal/1": "/mal/1",
    "sub-goal /delmal/1.4": "/delmal/1.4",
    "indicator /indikator/elbil-andel": "/indikator/elbil-andel",
}


def cpu_per_call(master: int, call, views: int) -> float:
    """Worker CPU seconds per call of ``call`` (after two warm-up calls)."""
    with requests.Session() as session:
        call(session)
        call(session)
        before, _ = workers_cpu(master)
        for _ in range(views):
            call(session)
        after, _ = workers_cpu(master)
    return (after - before) / views


def measure(views: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="page-cpu-") as tmp:
        server = start_gunicorn(Path(tmp))
        try:
            url = server.url
            master = server.process.pid
            static = plain_get(url, "/assets/dashboard.css")

            def static_view(session: requests.Session) -> None:
                static(session)  # a page view is one request: the document

            floor = cpu_per_call(master, static_view, views)
            pages = {name: cpu_per_call(master, page_visit(url, path), views) for name, path in PAGES.items()}
        finally:
            server.stop()
    label = "1 static GET per view"
    rows = [judged(NAME, f"static floor ({label}, {views} views)", floor * 1000, "ms", None, "")]
    for name, cost in pages.items():
        rows.append(
            judged(
                NAME,
                f"CPU per page view: {name}",
                cost * 1000,
                "ms",
                floor * 1000,
                "static floor",
                f"≤ {GOAL_RATIO:g}× floor",
                lambda v, b: b is not None and v <= GOAL_RATIO * b,
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--views", type=int, default=200, help="views per page type (default 200)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    emit(measure(args.views), "gunicorn app:server on loopback, demo data, sequential views", args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
