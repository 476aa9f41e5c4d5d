"""One JSON log line shape for the refresh and the web app (issue 19: one emitter)."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

from dashboard.observability import JsonLineFormatter
from indicators.jsonlog import json_line
from indicators.store.refresh_log import print_json_line

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_the_refresh_and_the_web_app_write_the_same_line_shape() -> None:
    out = io.StringIO()
    print_json_line(out, "refresh_table", {"table": "07459", "requests": 2})
    refresh = json.loads(out.getvalue())

    record = logging.LogRecord(
        "dashboard.access", logging.INFO, __file__, 1, {"event": "request"}, None, None
    )
    web = json.loads(JsonLineFormatter().format(record))

    assert list(refresh)[:3] == list(web)[:3] == ["ts", "pid", "event"]
    assert STAMP.match(refresh["ts"]) and STAMP.match(web["ts"])
    assert refresh["table"] == "07459" and refresh["requests"] == 2


def test_a_field_cannot_forge_the_stamp_or_split_the_line() -> None:
    text = json_line(
        {
            "event": "x",
            "ts": "1999",
            "pid": -1,
            "path": Path("a\nb"),
            "when": datetime(2026, 1, 1, tzinfo=UTC),
        },
        created=0.0,
        pid=7,
    )
    assert "\n" not in text
    line = json.loads(text)
    assert line["ts"] == "1970-01-01T00:00:00.000Z" and line["pid"] == 7
    assert line["path"] == "a\nb" and line["when"].startswith("2026-01-01")


def test_a_plain_message_with_a_traceback_stays_one_line() -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "dashboard.errors", logging.ERROR, __file__, 1, "boom %s", ("x",), sys.exc_info()
        )
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "boom x" and "ValueError" in parsed["traceback"]
