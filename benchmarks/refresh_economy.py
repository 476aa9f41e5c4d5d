"""Refresh economy: how many data requests a refresh sends SSB, against the naive plan.

    .venv/bin/python benchmarks/refresh_economy.py [--json FILE] [--scale S]

Runs against the local PxWebApi stub (tests/ssb_stub, loopback only) with the repository's
real catalogue, into a temporary cache. Baseline, measured in the same run on the same stub:
the naive plan, one request per series (each series asked for on its own, as a simple fetcher
would). Three refreshes are counted:

* full: an empty cache; goal ≤ one data request per table;
* unchanged: nothing new at SSB; goal 0 data requests (one listing call answers it);
* one table changed: SSB publishes the table with the most series; goal: only that table's
  requests (as many as it takes in a full refresh), and no metadata call (the stored metadata
  is reused, checked against the data answer): all requests ≤ its data requests + 2;
* every table republished, structure unchanged: goal no metadata call, all requests ≤ tables + 2
  (baseline: the full refresh's, which asks every table's metadata);
* one table's structure changed (its variables reordered at the stub): detected from the data
  answer, its metadata and data asked anew; goal: the refresh succeeds with the new structure;
* mixed: a small catalogue on one stub table whose series select a variable (``Kjonn = "2"``),
  leave it out (eliminated) and break down by it; goal: data requests = tables (one).

Then the same full and unchanged refreshes, and a refresh after every table was republished
(the next day: a fresh limiter window), against a stub with SSB's real limit, 30 calls per
60 s (about a minute; ``--scale 0.1`` shrinks the window to 6 s for a quick look, but waits do not
scale with it, so the wall-time goal is judged only at the real window). Reported: all requests
(goal ≤ 2 per table plus 3), waits on the limiter, seconds waited, wall time (goal ≤ 70 s).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import Row, emit, judged
from indicators.config import Settings
from indicators.plan.catalog import Catalog, load_catalog
from indicators.ssb.client import SsbClient
from indicators.ssb.ratelimit import forget_limiter
from indicators.ssb.shape import table_shape
from indicators.store.planning import plan_table, series_by_table
from indicators.store.refresh import real_cache, refresh
from tests.ssb_stub.server import StubServer

NAME = "refresh economy"


def naive_requests(catalog: Catalog, stub: StubServer) -> tuple[int, dict[str, int], float]:
    """Ask for every series on its own; (data requests, per table, seconds) as the stub saw them."""
    client = SsbClient(stub.url)
    per_table: dict[str, int] = {}
    started = time.perf_counter()
    for table_id, refs in series_by_table(catalog).items():
        shape = table_shape(client.metadata(table_id), catalog.plan)
        before = stub.counts()["data"]
        for ref in refs:
            for request in plan_table(table_id, [ref], shape, catalog):
                client.data(table_id, request.selection)
        per_table[table_id] = stub.counts()["data"] - before
    return stub.counts()["data"], per_table, time.perf_counter() - started


def measure() -> list[Row]:
    settings = Settings.resolve()
    catalog = load_catalog(settings.definitions, settings.goals)
    tables = series_by_table(catalog)
    busiest = max(tables, key=lambda t: len(tables[t]))
    stub = StubServer(max_calls=1000, time_window=1).start()
    try:
        with tempfile.TemporaryDirectory(prefix="refresh-economy-") as tmp:
            cache = real_cache(Settings.resolve({"cache_dir": Path(tmp), "ssb_api_url": stub.url}))
            naive_total, naive_per_table, naive_seconds = naive_requests(catalog, stub)

            stub.reset_counts()
            started = time.perf_counter()
            full = refresh(catalog, cache, SsbClient(stub.url))
            full_seconds = time.perf_counter() - started
            full_counts = stub.counts()
            if not full.ok:
                raise SystemExit(f"the full refresh failed against the stub: {full.failed}")
            stored = {t: len(e.current.responses) for t, e in cache.read_manifest().tables.items()}
            busiest_requests = stored[busiest]
            several = {t: n for t, n in stored.items() if n > 1}

            stub.reset_counts()
            refresh(catalog, cache, SsbClient(stub.url))
            unchanged = stub.counts()

            stub.reset_counts()
            stub.touch(busiest)
            refresh(catalog, cache, SsbClient(stub.url))
            one = stub.counts()

            stub.reset_counts()
            for table in tables:
                stub.touch(table)
            every = refresh(catalog, cache, SsbClient(stub.url))
            republished = stub.counts()

            stub.reset_counts()
            variables = stub.tables[busiest].variables
            variables[0], variables[1] = variables[1], variables[0]
            stub.touch(busiest)
            restructured = refresh(catalog, cache, SsbClient(stub.url))
            changed = stub.counts()
            new_order = [v.code for v in variables]
            stored_order = list(cache.read_manifest().tables[busiest].shape["variables"])
    finally:
        stub.stop()

    n_tables = len(tables)
    n_series = sum(len(refs) for refs in tables.values())
    naive = f"naive, {n_series} series"
    # A table asked more than once: its series need selections that cannot share one query
    # (e.g. different codelists for the same variable).
    several_text = ", ".join(f"{t} ×{n}" for t, n in sorted(several.items())) or "none"
    return [
        judged(
            NAME,
            f"full refresh: data requests ({n_tables} tables)",
            full_counts["data"],
            "",
            naive_total,
            naive,
            f"≤ {n_tables} (tables)",
            lambda v, _b: v <= n_tables,
        ),
        judged(
            NAME, f"full refresh: tables asked more than once: {several_text}", len(several), "", None, ""
        ),
        judged(
            NAME,
            "full refresh: all requests (metadata, listing, data)",
            sum(full_counts[k] for k in ("config", "tables", "table_info", "metadata", "data", "codelist")),
            "",
            None,
            "",
        ),
        judged(NAME, "full refresh: wall time", full_seconds, "s", naive_seconds, "naive plan"),
        judged(
            NAME,
            "unchanged refresh: data requests",
            unchanged["data"],
            "",
            naive_total,
            naive,
            "0",
            lambda v, _b: v == 0,
        ),
        judged(
            NAME,
            "unchanged refresh: all requests",
            sum(unchanged[k] for k in ("config", "tables", "table_info", "metadata", "data", "codelist")),
            "",
            None,
            "",
        ),
        judged(
            NAME,
            f"one table changed ({busiest}, {len(tables[busiest])} series): data requests",
            one["data"],
            "",
            naive_per_table[busiest],
            "naive, that table",
            f"≤ {busiest_requests} (its full-refresh share)",
            lambda v, _b: v <= busiest_requests,
        ),
        judged(
            NAME,
            f"one table changed ({busiest}): all requests (metadata calls: {one['metadata']})",
            sum(one[k] for k in KINDS),
            "",
            None,
            "",
            f"≤ {busiest_requests + 2} (its data + config + listing)",
            lambda v, _b: v <= busiest_requests + 2,
        ),
        judged(
            NAME,
            f"every table republished, structure unchanged: all requests (metadata calls: "
            f"{republished['metadata']})",
            sum(republished[k] for k in KINDS),
            "",
            sum(full_counts[k] for k in KINDS),
            "full refresh",
            f"≤ {n_tables + 2} (data + config + listing)",
            lambda v, _b: v <= n_tables + 2 and every.ok,
        ),
        judged(
            NAME,
            f"one table's structure changed ({busiest}, variables reordered): all requests "
            f"(metadata {changed['metadata']}, data {changed['data']})",
            sum(changed[k] for k in KINDS),
            "",
            None,
            "",
            "detected: refetched, stored in the new order",
            lambda _v, _b: restructured.ok and changed["metadata"] == 1 and stored_order == new_order,
        ),
    ]


# One table, three ways of writing its series (issue 20): a selected variable (Kjonn = "2"), the
# same variable eliminated (left out), and a breakdown by it. One request must answer all three.
MIXED = {
    "kvinner": 'name = "Kvinner"\nsubgoals = ["1.1"]\nunit = "personer"\ndirection = "increase"\n'
    '[series.k]\ntable = "90001"\nselect = { ContentsCode = "Personer1", Kjonn = "2" }\n',
    "alle": 'name = "Alle"\nsubgoals = ["1.1"]\nunit = "personer"\ndirection = "increase"\n'
    '[series.a]\ntable = "90001"\nselect = { ContentsCode = "Personer1" }\n',
    "fodte-kjonn": 'name = "Fødte"\nsubgoals = ["1.2"]\nunit = "personer"\ndirection = "increase"\n'
    'breakdowns = ["Kjonn"]\n[series.f]\ntable = "90001"\nselect = { ContentsCode = "Fodte" }\n',
}


def measure_mixed() -> list[Row]:
    """A selected, an eliminated and a broken-down variable on one table: requests = tables."""
    settings = Settings.resolve()
    with tempfile.TemporaryDirectory(prefix="refresh-economy-mixed-") as tmp:
        folder = Path(tmp) / "definitions"
        folder.mkdir()
        for name, text in MIXED.items():
            (folder / f"{name}.toml").write_text(text, encoding="utf-8")
        catalog = load_catalog(folder, settings.goals)
        tables = series_by_table(catalog)
        stub = StubServer(max_calls=1000, time_window=1).start()
        try:
            naive_total, _, _ = naive_requests(catalog, stub)
            stub.reset_counts()
            cache = real_cache(Settings.resolve({"cache_dir": Path(tmp) / "cache", "ssb_api_url": stub.url}))
            outcome = refresh(catalog, cache, SsbClient(stub.url))
            data = stub.counts()["data"]
        finally:
            stub.stop()
        if not outcome.ok:
            raise SystemExit(f"the mixed refresh failed against the stub: {outcome.failed}")
    n_tables = len(tables)
    return [
        judged(
            NAME,
            f"selected + eliminated + breakdown on one table: data requests ({n_tables} table)",
            data,
            "",
            naive_total,
            f"naive, {sum(len(r) for r in tables.values())} series",
            f"= {n_tables} (tables)",
            lambda v, _b: v == n_tables,
        )
    ]


KINDS = ("config", "tables", "table_info", "metadata", "data", "codelist")


def measure_limited(scale: float) -> list[Row]:
    """Full and unchanged refresh against SSB's limit (30 calls per 60 s × scale)."""
    settings = Settings.resolve()
    catalog = load_catalog(settings.definitions, settings.goals)
    n_tables = len(series_by_table(catalog))
    window = 60 * scale
    stub = StubServer(max_calls=30, time_window=window).start()
    forget_limiter(stub.url)
    try:
        with tempfile.TemporaryDirectory(prefix="refresh-economy-limit-") as tmp:
            cache = real_cache(Settings.resolve({"cache_dir": Path(tmp), "ssb_api_url": stub.url}))
            started = time.perf_counter()
            full = refresh(catalog, cache, SsbClient(stub.url))
            wall = time.perf_counter() - started
            counts = stub.counts()
            if not full.ok:
                raise SystemExit(f"the limited full refresh failed against the stub: {full.failed}")
            stub.reset_counts()
            started = time.perf_counter()
            unchanged = refresh(catalog, cache, SsbClient(stub.url))
            unchanged_wall = time.perf_counter() - started

            # The next day: SSB republished every table, and the window is fresh.
            stub.set_rate_limit(30, window)
            forget_limiter(stub.url)
            for table in series_by_table(catalog):
                stub.touch(table)
            stub.reset_counts()
            started = time.perf_counter()
            republished = refresh(catalog, cache, SsbClient(stub.url))
            republished_wall = time.perf_counter() - started
            republished_counts = stub.counts()
            if not republished.ok:
                raise SystemExit(f"the republished refresh failed against the stub: {republished.failed}")
    finally:
        stub.stop()
        forget_limiter(stub.url)
    limit = f"limit 30 calls / {window:g} s (SSB's 60 s × {scale:g})"
    return [
        judged(
            NAME,
            f"{limit}: full refresh, all requests ({n_tables} tables)",
            sum(counts[k] for k in KINDS),
            "",
            None,
            "",
            f"≤ {2 * n_tables + 3} (2 per table + 3)",
            lambda v, _b: v <= 2 * n_tables + 3,
        ),
        judged(NAME, f"{limit}: full refresh, waits on the limiter", full.rate_limit_waits, "", None, ""),
        judged(NAME, f"{limit}: full refresh, seconds waited", full.seconds_waited, "s", None, ""),
        # The waits do not scale with the window (work overlaps it), so only the real window
        # (--scale 1) is judged against the goal.
        judged(
            NAME,
            f"{limit}: full refresh, wall time",
            wall,
            "s",
            None,
            "",
            "≤ 70 s" if scale == 1 else "(judged at --scale 1 only)",
            (lambda v, _b: v <= 70) if scale == 1 else None,
        ),
        judged(NAME, f"{limit}: unchanged refresh, all requests", unchanged.requests, "", None, ""),
        judged(NAME, f"{limit}: unchanged refresh, wall time", unchanged_wall, "s", None, ""),
        judged(
            NAME,
            f"{limit}: every table republished, all requests",
            sum(republished_counts[k] for k in KINDS),
            "",
            None,
            "",
            f"≤ {n_tables + 2} (data + config + listing)",
            lambda v, _b: v <= n_tables + 2,
        ),
        judged(
            NAME,
            f"{limit}: every table republished, waits on the limiter",
            republished.rate_limit_waits,
            "",
            None,
            "",
        ),
        judged(
            NAME,
            f"{limit}: every table republished, seconds waited",
            republished.seconds_waited,
            "s",
            None,
            "",
        ),
        judged(
            NAME,
            f"{limit}: every table republished, wall time",
            republished_wall,
            "s",
            wall,
            "full refresh",
            "≤ 70 s" if scale == 1 else "(judged at --scale 1 only)",
            (lambda v, _b: v <= 70) if scale == 1 else None,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="scale of SSB's 60 s window for the limited run (1 = real)"
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1:
        parser.error("--scale must be above 0 and at most 1")
    rows = measure() + measure_mixed() + measure_limited(args.scale)
    emit(rows, "Refresh against the PxWebApi stub, repository catalogue", args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
