"""The one shape of a JSON log line, for the refresh's ``--log-format json`` and the web app's logs.

Both write ``{"ts": "…Z", "pid": N, "event": "…", …fields}`` on one line, so one log collector
query reads a refresh and the requests that served its data the same way. The web app's logging
formatter (:mod:`dashboard.observability`) and the refresh reporter both call :func:`json_line`.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from typing import Any


def json_line(fields: dict[str, Any], *, created: float | None = None, pid: int | None = None) -> str:
    """``fields`` as one JSON line after a UTC time stamp in milliseconds and the process id.

    ``created`` is a POSIX time (a log record's, say); it defaults to now. Values JSON cannot hold
    (datetimes, paths) are written as their ``str``; a field named ``ts`` or ``pid`` in ``fields``
    cannot overwrite the stamp, so a line always says when and which process.
    """
    moment = datetime.fromtimestamp(time.time() if created is None else created, UTC)
    line: dict[str, Any] = {k: v for k, v in fields.items() if k not in ("ts", "pid")}
    line = {
        "ts": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "pid": os.getpid() if pid is None else pid,
        **line,
    }
    return json.dumps(line, ensure_ascii=False, default=str)
