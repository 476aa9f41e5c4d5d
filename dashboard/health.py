"""``/healthz``: is this worker serving, and how old is the data it serves?

Answers HTTP 200 whenever the worker can answer at all (liveness, for a load balancer or
systemd); the JSON says whether the data is fine (``status``: ``ok``, ``degraded`` or
``error``) for monitoring. Cheap: it reads the same memoised data the pages use (a ``stat`` of
the cache manifest when nothing changed) and never talks to SSB. Example::

    {"status": "degraded", "problems": ["demo data: no refresh has succeeded yet"],
     "demo": true, "stale": false, "data_as_of": "2026-03-05T07:00:00Z", "data_age_seconds": 3600.0,
     "checked_at": "2026-03-05T07:00:00Z", "cache_age_seconds": 3600.0,
     "snapshot_version": "…", "last_refresh": null,
     "indicators": {"total": 31, "with_data": 29}, "version": "0.1.0"}

``cache_age_seconds`` counts from ``checked_at``, when SSB last confirmed the least recently
confirmed table (a refresh that finds nothing new still confirms it): it grows when the refresh
job stops running. ``data_age_seconds`` counts from ``data_as_of``, the newest fetch.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import flask

from dashboard import data as data_module
from dashboard.data import DashboardData, DataSource
from dashboard.observability import event_log
from indicators import __version__
from indicators.errors import IndicatorError

PATH = "/healthz"


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _age(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def health(data: DashboardData, now: datetime | None = None) -> dict[str, Any]:
    """The health document for the data a worker serves."""
    now = now or datetime.now(UTC)
    snapshot = data.snapshot
    checked = min(snapshot.table_checked.values(), default=None)
    stale = snapshot.is_stale(now)
    problems = []
    if snapshot.demo:
        problems.append("demo data: no refresh has succeeded yet")
    elif not snapshot.series:
        problems.append("no data: run `python -m indicators refresh`")
    if snapshot.refresh_problem:
        problems.append(snapshot.refresh_problem)
    if stale and snapshot.series and not snapshot.demo:  # the demo's dates are fixed: always "old"
        problems.append("stale data: the refresh job has not confirmed every table for a long time")
    last = snapshot.last_refresh
    last_refresh = None
    if last:
        failed = [f for f in last.get("failed") or [] if isinstance(f, dict)]
        last_refresh = {
            "finished": last.get("finished"),
            "ok": bool(last.get("ok")) and not snapshot.refresh_problem,
            "failed": [{"indicator": f.get("indicator"), "table": f.get("table")} for f in failed],
        }
        if not last_refresh["ok"] and not snapshot.refresh_problem:
            problems.append(f"the last refresh failed for {len(failed)} indicator(s); they show older data")
    total = len(data.catalog.indicators)
    with_data = sum(1 for a in data.assessments.values() if a.current_value is not None)
    return {
        "status": "degraded" if problems else "ok",
        "problems": problems,
        "demo": bool(snapshot.demo),
        # Data from an API on a loopback address (a local stub): marked on every page, never SSB's.
        "test_data": bool(snapshot.test_data),
        "api_url": snapshot.api_url,
        "stale": bool(stale),
        "data_as_of": _iso(snapshot.data_as_of),
        "data_age_seconds": _age(snapshot.data_as_of, now),
        "checked_at": _iso(checked),
        "cache_age_seconds": _age(checked, now),
        "snapshot_version": snapshot.version,
        "last_refresh": last_refresh,
        "indicators": {"total": total, "with_data": with_data},
        "version": __version__,
    }


def unhealthy(error: IndicatorError) -> dict[str, Any]:
    """The health document when the cache or the catalogue cannot be read.

    The message stays in the server log: it may name paths on the server.
    """
    return {
        "status": "error",
        "problems": [
            f"{type(error).__name__}: the cache or the definitions cannot be read; see the server log"
        ],
        "version": __version__,
    }


def register(server: flask.Flask, source: DataSource) -> None:
    """Serve ``/healthz`` from ``source`` on ``server``."""

    @server.route(PATH, methods=["GET"], endpoint="dashboard_healthz")
    def healthz() -> flask.Response:
        try:
            document = health(source.get())
        except IndicatorError as exc:
            event_log.error(
                {"event": "health", "status": "error", "error": type(exc).__name__, "message": str(exc)}
            )
            document = unhealthy(exc)
        response = flask.jsonify(document)
        response.headers["Cache-Control"] = "no-store"
        return response


def warm_up(server: flask.Flask) -> None:
    """Load the data ``server`` serves now, instead of on the first visit; log how it went."""
    source: DataSource = server.extensions[data_module.EXTENSION_KEY]
    started = time.perf_counter()
    try:
        data = source.get()
    except IndicatorError as exc:
        # The pages answer 503 with the same message; the log tells the operator at start-up.
        event_log.error(
            {"event": "data_loaded", "ok": False, "error": type(exc).__name__, "message": str(exc)}
        )
        return
    document = health(data)
    event_log.info(
        {
            "event": "data_loaded",
            "ok": True,
            "seconds": round(time.perf_counter() - started, 2),
            "indicators": document["indicators"],
            "status": document["status"],
            "problems": document["problems"],
        }
    )
