"""Entry point of the dashboard.

Development: ``python app.py [--host H] [--port P] [--no-refresh] [--debug]``.
Production: ``gunicorn app:server`` (see gunicorn.conf.py and the README's deployment section).
The code lives in dashboard/server.py, which the installed package's
``plan-indikatorer-dashboard`` command runs.
"""

from __future__ import annotations

from typing import Any

from dashboard import server as _entry
from dashboard.server import main, parse_args

__all__ = ["main", "parse_args"]


def __getattr__(name: str) -> Any:
    # `gunicorn app:server` looks the attribute up; the app is built only then, once per worker.
    if name == "server":
        return _entry._server()
    raise AttributeError(name)


if __name__ == "__main__":
    raise SystemExit(main())
