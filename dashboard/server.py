"""The dashboard's server entry: ``plan-indikatorer-dashboard`` (installed) or ``python app.py``.

``gunicorn dashboard.server:server`` serves an installed package as ``gunicorn app:server`` serves
the checkout; both build the app lazily, once per worker.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import cache
from typing import Any

from indicators.config import Settings


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the indicator dashboard of the plan in goals.toml.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port to listen on (default 8050)")
    parser.add_argument(
        "--no-refresh",
        action="store_true",
        help="serve the cache as it is; by default the app first refreshes from SSB when the cache "
        "holds no real data or is older than a day",
    )
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (never in production)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = Settings.resolve()
    if not args.no_refresh:
        from indicators.assessment.history import recorder
        from indicators.store.refresh import startup_refresh

        print(startup_refresh(settings, after_save=recorder(settings)), file=sys.stderr)
    from dashboard.app import create_app

    app = create_app(settings)
    print(f"Dashboard: http://{args.host}:{args.port}/", file=sys.stderr)
    # The CSP blocks Dash's debug-mode call home for its version check, so switch it off.
    app.run(host=args.host, port=args.port, debug=args.debug, dev_tools_disable_version_check=True)
    return 0


@cache
def _server() -> Any:
    from dashboard.app import create_app

    return create_app(Settings.resolve()).server


def __getattr__(name: str) -> Any:
    # `gunicorn dashboard.server:server` looks the attribute up; build the app only then.
    if name == "server":
        return _server()
    raise AttributeError(name)


if __name__ == "__main__":
    raise SystemExit(main())
