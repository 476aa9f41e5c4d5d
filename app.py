"""Entry point of the dashboard.

Development: ``python app.py [--host H] [--port P] [--no-refresh] [--debug]``.
Production: ``gunicorn app:server`` (see gunicorn.conf.py and the README's deployment section).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import cache
from typing import Any

from indicators.config import Settings


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python app.py", description="Serve the indicator dashboard of the plan in goals.toml."
    )
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
    # `gunicorn app:server` looks the attribute up; build the app only then, once per worker.
    if name == "server":
        return _server()
    raise AttributeError(name)


if __name__ == "__main__":
    raise SystemExit(main())
