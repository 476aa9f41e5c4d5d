"""``/healthz``: liveness (200 while serving), data age, demo flag, last refresh, never SSB."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from dashboard import health, observability
from dashboard.app import create_app
from dashboard.data import DataSource
from indicators.config import Settings
from indicators.errors import CacheError
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import DATA_AS_OF, fixed_source, make_snapshot, settings


def get_health(app) -> tuple[int, dict, dict]:
    response = app.server.test_client().get("/healthz")
    return response.status_code, response.get_json(), dict(response.headers)


def test_health_of_fresh_real_data_is_ok(app_factory) -> None:
    status, body, headers = get_health(app_factory())
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert headers["Cache-Control"] == "no-store"
    assert body["status"] == "ok"
    assert body["problems"] == []
    assert body["demo"] is False
    assert body["stale"] is False
    assert body["data_as_of"] == "2026-03-05T07:00:00Z"
    assert body["snapshot_version"] == "v1"
    assert body["last_refresh"] == {"finished": "2026-03-05T07:00:00Z", "ok": True, "failed": []}
    # The fixture checked its tables a day ago.
    assert 86_000 < body["cache_age_seconds"] < 87_000
    # Three of the four fixture indicators have data; "deltakelse" has none.
    assert body["indicators"] == {"total": 4, "with_data": 3}


def test_ages_count_from_the_data_date_and_the_last_confirmation() -> None:
    s = settings()
    snap = make_snapshot(load_catalog(s.definitions, s.goals))
    from dashboard.data import build_data

    now = DATA_AS_OF + timedelta(hours=2)
    checked = min(snap.table_checked.values())
    document = health.health(build_data(snap), now=now)
    assert document["data_age_seconds"] == 7200.0
    assert document["cache_age_seconds"] == round((now - checked).total_seconds(), 1)
    assert document["checked_at"] == checked.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def test_demo_data_is_reported_as_degraded_but_still_200(app_factory) -> None:
    status, body, _ = get_health(app_factory(demo=True))
    assert status == 200
    assert body["demo"] is True
    assert body["status"] == "degraded"
    assert any("demo" in p for p in body["problems"])


def test_stale_data_is_reported(app_factory) -> None:
    _, body, _ = get_health(app_factory(stale=True))
    assert body["stale"] is True
    assert body["status"] == "degraded"
    assert any("stale" in p for p in body["problems"])


def test_a_failed_refresh_names_indicator_and_table_but_not_the_reason(app_factory) -> None:
    _, body, _ = get_health(app_factory(failed=True))
    assert body["status"] == "degraded"
    assert body["last_refresh"]["ok"] is False
    assert body["last_refresh"]["failed"] == [{"indicator": "deltakelse", "table": "09594"}]
    assert "503 from SSB" not in json.dumps(body)


def test_an_unreadable_cache_answers_200_with_status_error_and_no_server_path() -> None:
    s = settings()

    def broken(_settings: Settings):
        raise CacheError("cannot read /srv/secret/data_cache/real/manifest.json: permission denied")

    app = create_app(s, source=DataSource(s, load=broken, version=lambda _s: "x"))
    status, body, _ = get_health(app)
    assert status == 200
    assert body["status"] == "error"
    assert "CacheError" in body["problems"][0]
    assert "/srv/secret" not in json.dumps(body)


def test_health_follows_a_new_cache_without_restart() -> None:
    s = settings()
    catalog = load_catalog(s.definitions, s.goals)
    snapshots = {"v1": make_snapshot(catalog, demo=True), "v2": make_snapshot(catalog, version="v2")}
    current = {"version": "v1"}
    source = DataSource(
        s, load=lambda _s: snapshots[current["version"]], version=lambda _s: current["version"]
    )
    app = create_app(s, source=source)
    assert get_health(app)[1]["demo"] is True
    current["version"] = "v2"  # a refresh replaced the manifest
    _, body, _ = get_health(app)
    assert body["snapshot_version"] == "v2"
    assert body["demo"] is False


def test_health_and_pages_never_ask_ssb(ssb_stub, tmp_path) -> None:
    base = settings()
    s = Settings.resolve(
        {
            "definitions": base.definitions,
            "goals": base.goals,
            "cache_dir": tmp_path / "cache",
            "ssb_api_url": ssb_stub.url,
        }
    )
    client = create_app(s).server.test_client()
    for path in ("/healthz", "/", "/indikator/elbil", "/data/elbil.json", "/healthz"):
        assert client.get(path).status_code == 200, path
    assert ssb_stub.requests == []


def test_warm_up_loads_the_data_and_logs_one_json_line() -> None:
    s = settings()
    loads = []
    snap = make_snapshot(load_catalog(s.definitions, s.goals))

    def load(_settings: Settings):
        loads.append(1)
        return snap

    app = create_app(s, source=DataSource(s, load=load, version=lambda _s: "v1"))
    lines = capture(observability.event_log)
    health.warm_up(app.server)
    assert loads == [1]
    app.server.test_client().get("/healthz")
    assert loads == [1], "the page and health checks use the data loaded at warm-up"
    record = json.loads(lines.getvalue().strip().splitlines()[-1])
    assert record["event"] == "data_loaded"
    assert record["ok"] is True
    assert record["indicators"] == {"total": 4, "with_data": 3}


def test_warm_up_logs_a_broken_cache_instead_of_crashing_the_worker() -> None:
    s = settings()

    def broken(_settings: Settings):
        raise CacheError("manifest unreadable")

    app = create_app(s, source=DataSource(s, load=broken, version=lambda _s: "x"))
    lines = capture(observability.event_log)
    health.warm_up(app.server)
    record = json.loads(lines.getvalue().strip().splitlines()[-1])
    assert record == {**record, "event": "data_loaded", "ok": False, "error": "CacheError"}


def test_a_snapshot_without_any_data_says_so() -> None:
    s = settings()
    snap = replace(make_snapshot(load_catalog(s.definitions, s.goals)), series={}, table_checked={})
    status, body, _ = get_health(create_app(s, source=fixed_source(snap)))
    assert status == 200
    assert body["status"] == "degraded"
    assert body["indicators"]["with_data"] == 0
    assert body["cache_age_seconds"] is None


@pytest.fixture(autouse=True)
def _remove_capture_handlers():
    yield
    for logger in (observability.event_log, observability.access_log, observability.error_log):
        for handler in [h for h in logger.handlers if getattr(h, "_test_capture", False)]:
            logger.removeHandler(handler)


def capture(logger: logging.Logger) -> io.StringIO:
    """Collect what ``logger`` writes, formatted as in production, for this test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(observability.JsonLineFormatter())
    handler._test_capture = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return stream


def test_now_defaults_to_the_current_time(data) -> None:
    document = health.health(data)
    expected = (datetime.now(UTC) - data.snapshot.data_as_of).total_seconds()
    assert abs(document["data_age_seconds"] - expected) < 60


def test_old_demo_data_is_reported_as_demo_not_as_stale(app_factory) -> None:
    # The demo snapshot's dates are fixed, so it always looks old; "demo" is the problem to fix.
    _, body, _ = get_health(app_factory(demo=True, stale=True))
    assert body["stale"] is True
    assert len(body["problems"]) == 1 and "demo" in body["problems"][0]
