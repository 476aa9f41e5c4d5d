"""``python -m indicators.demo [--check]``: regenerate the committed demo snapshot.

The demo snapshot (``data_cache/demo/``) is what the dashboard shows before any real refresh has
succeeded. It is synthetic: the REAL refresh (:func:`indicators.store.refresh.refresh`) runs against
the local PxWebApi stub serving the repository's table fixtures (``tests/ssb_stub/tables/``), so
the demo exercises the same path as SSB's data. Time stamps are fixed (the newest ``updated`` of
the fixtures), so regenerating from the same fixtures gives byte-identical files.

Run it after adding or changing an indicator or a table fixture. ``--check`` regenerates into a
temporary folder and compares instead of writing (exit 1 when the committed snapshot is out of date).

It writes into the configured cache folder's ``demo/`` (``DATA_CACHE_DIR``; for the repository's
own plan that is the committed ``data_cache/demo``). Another municipality's plan brings its own
table fixtures with ``--fixtures DIR`` and gets its own demo; without one, the app shows an
empty, explained state rather than the committed Trondheim demo.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from indicators import sources
from indicators.config import REPO_ROOT, Settings
from indicators.errors import CatalogError, IndicatorError
from indicators.plan.catalog import Catalog, load_catalog
from indicators.store.cache import Cache
from indicators.store.refresh import refresh
from indicators.store.refresh_log import make_reporter
from indicators.store.snapshot import DEMO_DIR

STUB_TABLES = REPO_ROOT / "tests" / "ssb_stub" / "tables"
STUB_CODELISTS = REPO_ROOT / "tests" / "ssb_stub" / "codelists"
DEMO_SOURCE = "synthetic: the local PxWebApi stub (tests/ssb_stub) with the repository's table fixtures"


class DemoError(IndicatorError):
    """The demo snapshot cannot be generated (e.g. a catalogue table has no stub fixture)."""


def generate(
    out_dir: Path,
    catalog: Catalog,
    *,
    tables_dir: Path = STUB_TABLES,
    codelists_dir: Path = STUB_CODELISTS,
    verbose: bool = False,
) -> None:
    """Write the demo snapshot of ``catalog`` to ``out_dir`` (replacing what is there)."""
    # The stub is a test tool; import it only here so the app never depends on it.
    from indicators.ssb.client import SsbClient
    from tests.ssb_stub.server import StubServer
    from tests.ssb_stub.tables import FixtureError

    try:
        stub = StubServer(
            tables_dir=tables_dir, codelists_dir=codelists_dir, max_calls=1_000_000, time_window=1
        )
    except (FixtureError, ValueError) as exc:
        raise DemoError(f"the stub's fixtures are broken: {exc}") from exc
    needed = sorted({t for d in catalog.indicators.values() for t in sources.tables(d)})
    missing = [t for t in needed if t not in stub.tables]
    if missing:
        stub.httpd.server_close()
        users = {
            t: sorted(i for i, d in catalog.indicators.items() if t in sources.tables(d)) for t in missing
        }
        raise DemoError(
            "no stub fixture for catalogue table(s) "
            + "; ".join(f"{t} (used by {', '.join(users[t])})" for t in missing)
            + f": add {tables_dir}/<id>.toml (format: tests/ssb_stub/README.md) and run again"
        )
    fixed = max((stub.tables[t].updated for t in needed), default=datetime(2025, 1, 1).astimezone())
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tmp-demo-", dir=out_dir.parent))
    try:
        stub.start()
        cache = Cache(work / "demo", lock_path=work / ".lock")
        result = refresh(
            catalog,
            cache,
            SsbClient(stub.url, max_retries=0),
            kind="demo",
            source=DEMO_SOURCE,
            reporter=make_reporter(sys.stderr if verbose else None, quiet=False),
            clock=lambda: fixed,
            # No derived layer: it carries a fingerprint of the computing code, so the committed
            # snapshot would change with every edit to that code (and 40 indicators compute fast).
            derive=False,
        )
        if not result.ok:
            reasons = "; ".join(
                f"{f['indicator']} (table {f['table']}): {f['reason']}" for f in result.failed
            )
            raise DemoError(f"the refresh against the stub failed: {reasons}")
        _replace_dir(work / "demo", out_dir, work)
    finally:
        stub.stop()
        shutil.rmtree(work, ignore_errors=True)


def _replace_dir(new: Path, target: Path, work: Path) -> None:
    # Two renames, so the folder is never half old, half new.
    if target.exists():
        target.rename(work / "old")
    new.rename(target)


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ between two snapshot folders (relative paths), or are only in one."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()} if a.is_dir() else set()
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()} if b.is_dir() else set()
    changed = sorted(files_a ^ files_b)
    changed += sorted(f for f in files_a & files_b if not filecmp.cmp(a / f, b / f, shallow=False))
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indicators.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="target folder (default: the cache folder's demo/, DATA_CACHE_DIR)",
    )
    parser.add_argument(
        "--fixtures",
        type=Path,
        default=STUB_TABLES,
        metavar="DIR",
        help="folder of stub table fixtures, one <table id>.toml per table the plan uses "
        "(format: tests/ssb_stub/README.md; default: the repository's)",
    )
    parser.add_argument(
        "--codelists",
        type=Path,
        default=STUB_CODELISTS,
        metavar="DIR",
        help="folder of stub codelists (default: the repository's)",
    )
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    parser.add_argument("--verbose", action="store_true", help="show the refresh's progress")
    args = parser.parse_args(argv)
    settings = Settings.resolve()
    out: Path = args.out or settings.cache_dir / DEMO_DIR
    for name, folder in (("--fixtures", args.fixtures), ("--codelists", args.codelists)):
        if not folder.is_dir():
            print(f"error: {name} {folder}: no such folder", file=sys.stderr)
            return 2
    try:
        catalog = load_catalog(settings.definitions, settings.goals)
        options = {"tables_dir": args.fixtures, "codelists_dir": args.codelists, "verbose": args.verbose}
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                fresh = Path(tmp) / "demo"
                generate(fresh, catalog, **options)
                changed = differences(fresh, out)
            if changed:
                print(
                    f"the demo snapshot in {out} is out of date ({len(changed)} file(s) differ):",
                    file=sys.stderr,
                )
                for name in changed[:20]:
                    print(f"  {name}", file=sys.stderr)
                print(
                    "regenerate it with `python -m indicators.demo` and commit data_cache/demo",
                    file=sys.stderr,
                )
                return 1
            print(f"the demo snapshot in {out} is up to date")
            return 0
        generate(out, catalog, **options)
    except CatalogError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return 1
    except IndicatorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote the demo snapshot to {out} ({len(catalog.indicators)} indicators)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
