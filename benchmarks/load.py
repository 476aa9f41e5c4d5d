"""Server latency under load: p50 and p95 per page type and for a static asset.

    .venv/bin/python benchmarks/load.py [--clients 20] [--seconds 20] [--json FILE]

Starts ``gunicorn app:server`` as production does (gunicorn.conf.py; two workers unless
WEB_CONCURRENCY says otherwise) on a free loopback port, on the committed demo data, and lets
``--clients`` concurrent clients (threads with keep-alive sessions) cycle through the request
kinds for ``--seconds``. A dashboard page counts as what the browser asks the server for: the
page's document, written whole by the server (its style sheet and scripts are cached after the
first visit). Baseline, in the same run under the same load: a static asset (the stylesheet).
Goal (issue 9): every page's p95 at most 10× the static asset's p95.

Also measured: throughput, each worker's resident memory after the run and its CPU time per
request — what a deployment has to provision per worker.

Workers are recycled as in production (``max_requests`` in gunicorn.conf.py: about 2 000 requests
per worker, which this load reaches within seconds). The CPU time therefore counts every worker
the master had during the run: the live ones from ``/proc/<pid>/stat``, and those that exited
(recycled) from the master's ``cutime``/``cstime``, which the kernel adds up when it reaps them —
so a recycled worker's work, and its replacement's start-up, are counted, not dropped. The
table says how many workers were recycled.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from benchmarks.report import Row, emit, judged
from tests.serving import Gunicorn, page_visit, plain_get, run_load, start_gunicorn

NAME = "load"
GOAL_RATIO = 10.0


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (field 3 first); None once gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def workers_cpu(master: int) -> tuple[float, set[int]]:
    """CPU seconds (user + system) of every worker ``master`` has had so far, and the live ones.

    Live workers count their own utime + stime; workers that exited and were reaped count in the
    master's cutime + cstime. Read again when a worker came or went between the readings, so
    none is missed or counted twice.
    """
    tick = os.sysconf("SC_CLK_TCK")
    for _ in range(20):
        before = _stat(master)
        pids = _children(master)
        live = [_stat(pid) for pid in pids]
        after = _stat(master)
        if before is None or after is None:
            raise SystemExit("gunicorn's master process is gone")
        if before[13:15] == after[13:15] and None not in live and set(_children(master)) == set(pids):
            reaped = int(after[13]) + int(after[14])
            return (reaped + sum(int(f[11]) + int(f[12]) for f in live if f)) / tick, set(pids)
        time.sleep(0.05)
    raise SystemExit("gunicorn's workers kept changing while their CPU time was read")


def workers_rss_mb(master: int) -> list[float]:
    """Resident memory (VmRSS) of each live worker in MB; a worker that exits meanwhile is skipped."""
    sizes = []
    for pid in _children(master):
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except FileNotFoundError:
            continue
        sizes += [int(line.split()[1]) / 1024 for line in lines if line.startswith("VmRSS:")]
    return sizes


def targets(server: Gunicorn) -> dict:
    url = server.url
    return {
        "static asset /assets/dashboard.css": plain_get(url, "/assets/dashboard.css"),
        "overview /": page_visit(url, "/"),
        "goal /mal/1": page_visit(url, "/mal/1"),
        "sub-goal /delmal/1.4": page_visit(url, "/delmal/1.4"),
        "indicator /indikator/elbil-andel": page_visit(url, "/indikator/elbil-andel"),
        "embed /embed/indikator/elbil-andel": plain_get(url, "/embed/indikator/elbil-andel"),
        "download /data/elbil-andel.csv": plain_get(url, "/data/elbil-andel.csv"),
        "health /healthz": plain_get(url, "/healthz"),
    }


def measure(clients: int, seconds: float) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        server = start_gunicorn(Path(tmp))
        try:
            kinds = targets(server)
            # One short round first, so every worker has loaded its data and imports.
            run_load(kinds, clients=4, seconds=2)
            master = server.process.pid
            cpu_before, workers = workers_cpu(master)
            result = run_load(kinds, clients=clients, seconds=seconds)
            cpu_after, workers_after = workers_cpu(master)
            cpu_used = cpu_after - cpu_before
            recycled = len(workers - workers_after)
            rss = workers_rss_mb(master)
        finally:
            server.stop()
    if result.errors:
        raise SystemExit(f"{len(result.errors)} requests failed under load, e.g. {result.errors[:3]}")
    static = next(iter(kinds))
    static_p50, static_p95 = result.percentile(static, 50), result.percentile(static, 95)
    label = f"{clients} clients, {seconds:g} s"
    rows = [
        judged(NAME, f"{static}: p50 ({label})", static_p50, "s", None, ""),
        judged(NAME, f"{static}: p95", static_p95, "s", None, ""),
    ]
    for kind in list(kinds)[1:]:
        rows.append(judged(NAME, f"{kind}: p50", result.percentile(kind, 50), "s", static_p50, "static p50"))
        rows.append(
            judged(
                NAME,
                f"{kind}: p95",
                result.percentile(kind, 95),
                "s",
                static_p95,
                "static p95",
                f"≤ {GOAL_RATIO:g}× static p95",
                lambda v, b: b is not None and v <= GOAL_RATIO * b,
            )
        )
    total = sum(len(v) for v in result.latencies.values())
    rows.append(
        judged(NAME, f"throughput ({len(workers)} workers)", total / result.seconds, "req/s", None, "")
    )
    rows.append(
        judged(
            NAME,
            f"worker CPU time per request ({recycled} worker(s) recycled by max_requests, included)",
            cpu_used / total,
            "s",
            None,
            "",
        )
    )
    rows.append(judged(NAME, "worker memory (RSS), largest", max(rss), "MB", None, ""))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration (default 20 s)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    rows = measure(args.clients, args.seconds)
    emit(rows, "gunicorn app:server on loopback, demo data", args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
