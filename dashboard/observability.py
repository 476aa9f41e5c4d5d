"""Request logs as JSON lines, a request id on every response, and a 500 page that leaks nothing.

``install(server)`` wraps the Flask app's WSGI callable, so every request is logged once it is
fully sent — also 404s answered by a ``before_request`` hook and responses compressed after the
view returned — as one JSON line on stderr::

    {"ts": "2026-03-05T07:00:00.123Z", "pid": 4242, "event": "request", "request_id": "3f9c…", "method": "GET",
     "path": "/indikator/elbil-andel", "status": 200, "duration_ms": 12.3, "bytes": 5123}

An unexpected exception becomes a plain HTTP 500 page in both languages that says what to do and
quotes the request id (written by :mod:`dashboard.prerender` in the document of
:mod:`dashboard.document`); the stack trace goes to the log under the same id, never to the client.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import flask
from dash import html
from werkzeug.exceptions import InternalServerError

from dashboard import document, ids
from indicators.jsonlog import json_line

REQUEST_ID_HEADER = "X-Request-Id"
ENVIRON_KEY = "dashboard.request_id"
# A request id from a proxy is kept only when it cannot break a log line or a header.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
MAX_PATH = 300  # longer paths are cut in the log (fuzzers and scanners send very long ones)

access_log = logging.getLogger("dashboard.access")
error_log = logging.getLogger("dashboard.errors")
event_log = logging.getLogger("dashboard.events")  # start-up, data loads, health problems

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict, StartResponse], Iterable[bytes]]


class JsonLineFormatter(logging.Formatter):
    """Formats a record whose ``msg`` is a dict as one JSON line, with a time stamp first."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.msg, dict):
            fields: dict[str, Any] = dict(record.msg)
        else:
            fields = {"event": "log", "level": record.levelname, "message": record.getMessage()}
        if record.exc_info:
            fields["traceback"] = self.formatException(record.exc_info)
        # record.process says which gunicorn worker wrote the line.
        return json_line(fields, created=record.created, pid=record.process)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record arrives (servers and tests swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass  # always the current sys.stderr


def configure_logging() -> None:
    """Send the access, error and event logs to stderr as JSON lines, once per process."""
    for logger in (access_log, error_log, event_log):
        if any(getattr(h, "_dashboard_json", False) for h in logger.handlers):
            continue
        handler = StderrHandler()
        handler.setFormatter(JsonLineFormatter())
        handler._dashboard_json = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # one line per event, not a second copy through the root logger


def request_id(environ: dict) -> str:
    """The id of this request: the proxy's ``X-Request-Id`` when it is safe, else a new one."""
    given = environ.get("HTTP_X_REQUEST_ID", "")
    return given if _SAFE_ID.match(given) else uuid.uuid4().hex[:16]


class RequestLog:
    """WSGI middleware: a request id on every response and one JSON log line per request."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        rid = request_id(environ)
        environ[ENVIRON_KEY] = rid
        seen: dict[str, Any] = {"status": 0}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = int(status.split(" ", 1)[0])
            headers = [(k, v) for k, v in headers if k.lower() != REQUEST_ID_HEADER.lower()]
            headers.append((REQUEST_ID_HEADER, rid))
            return start_response(status, headers, exc_info)

        body = self.app(environ, start)
        return _Logged(body, environ, seen, started)


class _Logged:
    """The response body, passed through; logs the request when the server closes it."""

    def __init__(self, body: Iterable[bytes], environ: dict, seen: dict[str, Any], started: float) -> None:
        self.body = body
        self.environ = environ
        self.seen = seen
        self.started = started
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            path = self.environ.get("PATH_INFO", "")
            access_log.info(
                {
                    "event": "request",
                    "request_id": self.environ.get(ENVIRON_KEY),
                    "method": self.environ.get("REQUEST_METHOD", ""),
                    "path": path if len(path) <= MAX_PATH else path[:MAX_PATH] + "…",
                    "status": self.seen["status"],
                    "duration_ms": round((time.perf_counter() - self.started) * 1000, 2),
                    "bytes": self.sent,
                }
            )


# --- the 500 page -------------------------------------------------------------------------------

# The 500 page speaks both languages: bokmål, then English.
ERROR_TITLE = "Noe gikk galt – Something went wrong"


def error_layout(request_id: str) -> html.Div:
    """The 500 page's body: what happened and what to do, with the request id to quote (the
    id finds the detail in the log; the page never shows the error itself)."""
    return html.Div(
        html.Main(
            [
                html.H1("Noe gikk galt"),
                html.P(
                    [
                        "Siden kunne ikke vises på grunn av en feil hos oss. Prøv igjen om litt, eller gå til ",
                        html.A("forsiden", href="/"),
                        ". Hvis feilen varer, kontakt oss og oppgi feilkoden ",
                        html.Code(request_id),
                        ".",
                    ]
                ),
                html.Div(
                    [
                        html.H2("Something went wrong"),
                        html.P(
                            [
                                "The page could not be shown because of an error on our side. Try again in a "
                                "minute, or go to the ",
                                html.A("front page", href="/?lang=en"),
                                ". If it keeps happening, contact us and quote the error code ",
                                html.Code(request_id),
                                ".",
                            ]
                        ),
                    ],
                    lang="en",
                ),
            ],
            id=ids.MAIN,
            className="site-main",
        ),
        className="page",
    )


def error_page(request_id: str, stylesheet: str = "/assets/dashboard.css") -> str:
    """The HTML of the 500 page (:func:`error_layout`), in the one document
    (:mod:`dashboard.document`); bokmål first, so ``<html lang="nb">``."""
    head = document.Head("no", ERROR_TITLE, stylesheet=stylesheet)
    return document.html_document(head, error_layout(request_id))


def install(server: flask.Flask) -> None:
    """Log every request of ``server`` as JSON and answer unexpected errors with a safe 500 page."""
    configure_logging()
    # Flask propagates exceptions (to its debugger) only in debug or testing mode, which
    # production never uses; otherwise they reach the handler below.
    server.wsgi_app = RequestLog(server.wsgi_app)  # type: ignore[method-assign]

    @server.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError) -> flask.Response:
        rid = flask.request.environ.get(ENVIRON_KEY, "")
        cause = error.original_exception or error
        error_log.error(
            {
                "event": "error",
                "request_id": rid,
                "method": flask.request.method,
                "path": flask.request.path[:MAX_PATH],
                "error": type(cause).__name__,
            },
            exc_info=(type(cause), cause, cause.__traceback__),
        )
        response = flask.Response(error_page(rid), status=500, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response
