"""``python -m tests.ssb_stub --port 8765``: serve the fixture tables for development."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.ssb_stub.server import ENDPOINT_KINDS, FAULT_KINDS, StubServer
from tests.ssb_stub.tables import CODELISTS_DIR, TABLES_DIR, FixtureError


def _rate(text: str) -> tuple[int, float]:
    calls, _, seconds = text.partition("/")
    try:
        return int(calls), float(seconds)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected CALLS/SECONDS such as 30/60, got {text!r}") from exc


def _fault(text: str) -> tuple[str, str, int | None, str | None]:
    parts = text.split(":")
    if len(parts) < 2 or parts[1] not in FAULT_KINDS:
        raise argparse.ArgumentTypeError(
            f"expected TABLE:KIND[:TIMES[:ENDPOINT]] with KIND one of {', '.join(FAULT_KINDS)}, got {text!r}"
        )
    times = int(parts[2]) if len(parts) > 2 and parts[2] else None
    endpoint = parts[3] if len(parts) > 3 else None
    if endpoint is not None and endpoint not in ENDPOINT_KINDS:
        raise argparse.ArgumentTypeError(f"endpoint must be one of {', '.join(ENDPOINT_KINDS)}")
    return parts[0], parts[1], times, endpoint


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ssb_stub", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--tables", type=Path, default=TABLES_DIR, help="table fixtures folder")
    parser.add_argument("--codelists", type=Path, default=CODELISTS_DIR, help="codelist fixtures folder")
    parser.add_argument("--max-cells", type=int, default=800_000, help="maxDataCells (default 800000)")
    parser.add_argument("--cell-limit-status", type=int, choices=(400, 403), default=400)
    parser.add_argument(
        "--rate-limit", type=_rate, default=(30, 60.0), metavar="N/SECONDS", help="default 30/60, as SSB"
    )
    parser.add_argument(
        "--fault", type=_fault, action="append", default=[], metavar="TABLE:KIND[:TIMES[:ENDPOINT]]"
    )
    parser.add_argument("--slow-seconds", type=float, default=3.0, help="delay of the 'slow' fault")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    try:
        stub = StubServer(
            host=args.host,
            port=args.port,
            tables_dir=args.tables,
            codelists_dir=args.codelists,
            max_cells=args.max_cells,
            cell_limit_status=args.cell_limit_status,
            max_calls=args.rate_limit[0],
            time_window=args.rate_limit[1],
            slow_seconds=args.slow_seconds,
        )
    except (FixtureError, ValueError, OSError) as exc:
        print(f"ssb-stub: {exc}", file=sys.stderr)
        return 1
    for table, kind, times, endpoint in args.fault:
        stub.add_fault(table, kind, times=times, endpoint=endpoint)
    stub.httpd.verbose = args.verbose  # type: ignore[attr-defined]
    print(
        f"ssb-stub: {len(stub.tables)} tables on {stub.url} "
        f"({args.rate_limit[0]} calls per {args.rate_limit[1]:g} s, {args.max_cells} cells); Ctrl-C stops",
        file=sys.stderr,
    )
    try:
        stub.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stub.httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
