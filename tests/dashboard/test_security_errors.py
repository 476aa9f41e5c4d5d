"""Unexpected errors: a safe 500 page (no stack trace, no server path), and JSON request logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from dashboard import observability
from dashboard.app import create_app
from dashboard.data import DataSource
from indicators.config import Settings
from tests.dashboard.conftest import settings

SECRET_PATH = "/srv/indikatorer/app/dashboard/secret_module.py"


@pytest.fixture()
def logs() -> Iterator[dict[str, io.StringIO]]:
    """What the access and error logs write during the test, formatted as in production."""
    streams = {}
    handlers = []
    for name, logger in (("access", observability.access_log), ("error", observability.error_log)):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(observability.JsonLineFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        streams[name] = stream
        handlers.append((logger, handler))
    yield streams
    for logger, handler in handlers:
        logger.removeHandler(handler)


def records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def buggy_app():
    """An app whose data loading fails with an unexpected error that names a server path."""
    s = settings()

    def load(_settings: Settings):
        raise RuntimeError(f"KeyError in {SECRET_PATH} line 42")

    return create_app(s, source=DataSource(s, load=load, version=lambda _s: "v"))


@pytest.mark.parametrize("path", ["/", "/indikator/elbil", "/data/elbil.json", "/embed/indikator/elbil"])
def test_an_unexpected_error_gives_a_500_page_without_internals(path: str, logs) -> None:
    response = buggy_app().server.test_client().get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "Traceback" not in body
    assert SECRET_PATH not in body and "secret_module" not in body and "RuntimeError" not in body
    # It says what happened and what to do, in both languages, with a code to quote.
    assert "Noe gikk galt" in body and "Something went wrong" in body
    assert "Prøv igjen" in body and "Try again" in body
    request_id = response.headers["X-Request-Id"]
    assert request_id in body
    assert response.headers["Cache-Control"] == "no-store"
    # The security headers are on error pages too.
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The operator gets the whole story in the log, under the same id.
    (error,) = records(logs["error"])
    assert error["event"] == "error"
    assert error["request_id"] == request_id
    assert error["error"] == "RuntimeError"
    assert SECRET_PATH in error["traceback"]


def test_an_error_inside_a_view_is_caught_the_same_way(app_factory, logs) -> None:
    app = app_factory()

    def explode():
        raise ValueError(f"cannot open {SECRET_PATH}")

    app.server.add_url_rule("/test-explode", "test_explode", explode)
    response = app.server.test_client().get("/test-explode")
    assert response.status_code == 500
    assert SECRET_PATH not in response.get_data(as_text=True)


def test_each_request_is_logged_as_one_json_line(client, logs) -> None:
    for path in ("/", "/indikator/finnes-ikke", "/data/elbil.csv", "/healthz"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        response.close()  # the server closes the body after sending it; that is when we log
    lines = records(logs["access"])
    assert [(r["method"], r["path"], r["status"]) for r in lines] == [
        ("GET", "/", 200),
        ("GET", "/indikator/finnes-ikke", 404),  # answered by a before_request hook
        ("GET", "/data/elbil.csv", 200),
        ("GET", "/healthz", 200),
    ]
    for record in lines:
        assert record["event"] == "request"
        assert isinstance(record["duration_ms"], float) and record["duration_ms"] >= 0
        assert record["bytes"] > 0
        assert record["ts"].endswith("Z")
        assert len(record["request_id"]) == 16


def test_a_log_line_cannot_be_broken_by_the_path(client, logs) -> None:
    client.get("/indikator/a%0A%7B%22status%22%3A200%7D" + "x" * 1000).close()
    (record,) = records(logs["access"])
    assert record["status"] == 404
    assert record["path"].startswith('/indikator/a\n{"status":200}')
    assert len(record["path"]) <= observability.MAX_PATH + 1


def test_a_safe_request_id_from_the_proxy_is_kept_and_an_unsafe_one_replaced(client, logs) -> None:
    kept = client.get("/healthz", headers={"X-Request-Id": "lb-1234abcd"})
    kept.close()
    assert kept.headers["X-Request-Id"] == "lb-1234abcd"
    unsafe = '"><script>alert(1)</script>'
    replaced = client.get("/healthz", headers={"X-Request-Id": unsafe})
    replaced.close()
    assert replaced.headers["X-Request-Id"] != unsafe
    assert len(replaced.headers["X-Request-Id"]) == 16
    assert [r["request_id"] for r in records(logs["access"])] == [
        "lb-1234abcd",
        replaced.headers["X-Request-Id"],
    ]
