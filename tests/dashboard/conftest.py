"""A tiny, fully known snapshot for the dashboard's tests (tests/fixtures/dashboard/).

Two goals, four sub-goals, four indicators: a share with a numeric target and peers, a count
without a target, a csv series under two sub-goals (no peers) with a change target (−50 % from
2020 by 2030) and three milestones (one met, one missed, one ahead), and one with no data at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.app import create_app
from dashboard.data import DashboardData, DataSource, build_data
from indicators.config import Settings
from indicators.plan.catalog import Catalog, load_catalog
from indicators.store.snapshot import Snapshot

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dashboard"
DATA_AS_OF = datetime(2026, 3, 5, 7, 0, tzinfo=UTC)

NAMES = {"K-5001": "Trondheim", "K-0301": "Oslo", "K-4601": "Bergen"}
ELBIL = {
    "K-5001": [3.0, 5.2, 8.1, 12.0, 16.4, 20.1, 25.3, 30.2, 36.0, 41.7],
    "K-0301": [6.0, 9.0, 13.5, 18.0, 22.0, 27.0, 33.0, 39.0, 45.0, 50.2],
    "K-4601": [np.nan, 7.0, 11.0, 15.0, 19.0, 23.0, 28.0, 33.5, 38.0, 44.0],
}
ELBIL_YEARS = list(range(2015, 2025))
FOLK = {
    "K-5001": [190000, 193500, 196000, 199000, 202000, 205000, 207500, 210496, 212660],
    "K-0301": [658000, 666000, 673000, 681000, 693000, 697000, 699000, 709000, 717000],
    "K-4601": [278000, 280000, 282000, 283000, 285000, 286000, 286000, 288000, 291000],
}
FOLK_YEARS = list(range(2016, 2025))
UTSLIPP = {2019: 600000.0, 2020: 580000.0, 2021: 560000.0, 2022: 540000.0}


def settings() -> Settings:
    return Settings.resolve({"definitions": FIXTURE / "definitions", "goals": FIXTURE / "goals.toml"})


def frame(values: dict[str, list[float]], years: list[int], missing: str | None = "..") -> pd.DataFrame:
    rows = []
    for region, series in values.items():
        for year, value in zip(years, series, strict=True):
            value = float(value)
            rows.append(
                {
                    "region": region,
                    "region_name": NAMES[region],
                    "year": year,
                    "value": value,
                    "status": missing if np.isnan(value) else None,
                }
            )
    out = pd.DataFrame(rows).sort_values(["region", "year"], ignore_index=True)
    return out.astype({"year": "int64", "value": "float64"})


def make_snapshot(
    catalog: Catalog,
    *,
    demo: bool = False,
    stale: bool = False,
    failed: bool = False,
    version: str = "v1",
) -> Snapshot:
    checked = datetime.now(UTC) - (timedelta(days=120) if stale else timedelta(days=1))
    return Snapshot(
        catalog=catalog,
        series={
            "elbil": frame(ELBIL, ELBIL_YEARS),
            "befolkning": frame(FOLK, FOLK_YEARS),
            "utslipp": frame({"K-5001": list(UTSLIPP.values())}, list(UTSLIPP)),
        },
        problems={"deltakelse": "no values for Trondheim (K-5001) in the data"},
        data_as_of=DATA_AS_OF,
        table_updated={
            "07849": datetime(2026, 2, 21, 7, 0, tzinfo=UTC),
            "07459": datetime(2026, 2, 20, 7, 0, tzinfo=UTC),
        },
        demo=demo,
        version=version,
        last_refresh={
            "finished": "2026-03-05T07:00:00Z",
            "ok": not failed,
            "failed": [{"indicator": "deltakelse", "table": "09594", "reason": "503 from SSB"}]
            if failed
            else [],
        },
        table_checked={"07849": checked, "07459": checked, "09594": checked},
    )


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    s = settings()
    return load_catalog(s.definitions, s.goals)


@pytest.fixture(scope="session")
def snapshot(catalog: Catalog) -> Snapshot:
    return make_snapshot(catalog)


@pytest.fixture(scope="session")
def data(snapshot: Snapshot) -> DashboardData:
    return build_data(snapshot)


def fixed_source(snap: Snapshot) -> DataSource:
    """A data source that always serves ``snap`` (no cache on disk)."""
    return DataSource(settings(), load=lambda _s: snap, version=lambda _s: snap.version)


@pytest.fixture(scope="session")
def app(snapshot: Snapshot):
    return create_app(settings(), source=fixed_source(snapshot))


@pytest.fixture()
def client(app):
    return app.server.test_client()


@pytest.fixture()
def app_factory() -> Callable[..., object]:
    """Build an app over a snapshot made with ``make_snapshot(**options)``."""

    def build(**options: object):
        s = settings()
        snap = make_snapshot(load_catalog(s.definitions, s.goals), **options)  # type: ignore[arg-type]
        return create_app(s, source=fixed_source(snap))

    return build


@contextmanager
def served(wsgi_app: object, host: str = "127.0.0.1") -> Iterator[str]:
    """``wsgi_app`` on a free loopback port (for browsers and clients that fetch by URL); yields
    its base URL and stops the server afterwards."""
    from werkzeug.serving import make_server

    server = make_server(host, 0, wsgi_app, threaded=True)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def demo_url() -> Iterator[str]:
    """The fixture plan over the demo snapshot, served once for every browser test of the
    session (the pages are written from a fixed snapshot, so no test can change another's)."""
    s = settings()
    snap = make_snapshot(load_catalog(s.definitions, s.goals), demo=True)
    with served(create_app(s, source=fixed_source(snap)).server) as url:
        yield url


@pytest.fixture(scope="session")
def real_url() -> Iterator[str]:
    """The same plan over the fixture snapshot as real data (no demo marks), served once."""
    s = settings()
    snap = make_snapshot(load_catalog(s.definitions, s.goals))
    with served(create_app(s, source=fixed_source(snap)).server) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(demo_url: str) -> str:
    """The browser tests' default site: the demo snapshot (a module that needs another one,
    e.g. a history or a breakdown plan, defines its own ``base_url``)."""
    return demo_url


# Debian's Chromium, driven by Playwright (its own browser download cannot work here).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for every browser test of the session."""
    api = pytest.importorskip("playwright.sync_api")
    with api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
