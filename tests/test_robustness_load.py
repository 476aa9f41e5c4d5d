"""50 concurrent clients for 30 seconds against ``gunicorn app:server``: not one error.

Marked ``slow`` and skipped unless asked for: ``scripts/test -m slow`` (README, "Tests").
Every page type, the embed, the downloads, /healthz and a static asset, in a fixed rotation per
client, on the committed demo data. Afterwards the same workers are still serving (none was
killed for a timeout) and their logs hold no error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.serving import Gunicorn, page_visit, plain_get, run_load, start_gunicorn

pytestmark = pytest.mark.slow

CLIENTS = 50
SECONDS = 30.0


@pytest.fixture(autouse=True)
def _only_when_asked(request: pytest.FixtureRequest) -> None:
    # The default run (no -m, or -m "not browser") skips this; -m slow runs it.
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long load test: run it with `scripts/test -m slow`")


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Gunicorn]:
    started = start_gunicorn(tmp_path)
    yield started
    started.stop()


def test_fifty_clients_for_thirty_seconds_get_no_errors(server: Gunicorn) -> None:
    url = server.url
    indicator = requests.get(url + "/data/elbil-andel.json", timeout=30)
    assert indicator.status_code == 200, "the demo data has the elbil-andel indicator"
    targets = {
        "overview": page_visit(url, "/"),
        "goal": page_visit(url, "/mal/2?lang=en"),
        "subgoal": page_visit(url, "/delmal/1.4"),
        "indicator": page_visit(url, "/indikator/elbil-andel"),
        "method": page_visit(url, "/metode"),
        "embed": plain_get(url, "/embed/indikator/elbil-andel"),
        "csv": plain_get(url, "/data/elbil-andel.csv"),
        "health": plain_get(url, "/healthz"),
        "static": plain_get(url, "/assets/dashboard.css"),
        "missing": plain_get(url, "/indikator/finnes-ikke", status=404),
    }
    workers_before = sorted(server.worker_pids())

    result = run_load(targets, clients=CLIENTS, seconds=SECONDS)

    assert result.errors == [], f"{len(result.errors)} errors, e.g. {result.errors[:5]}"
    assert all(result.latencies[kind] for kind in targets), "every kind of request was served"
    # A worker may be replaced only when gunicorn recycles it after max_requests (by design,
    # see gunicorn.conf.py), never because it died, hung or was killed.
    log = server.log_path.read_text()
    replaced = len(set(workers_before) - set(server.worker_pids()))
    assert replaced <= log.count("Autorestarting worker after current request"), "a worker died"
    for failure in ("WORKER TIMEOUT", "exited with code", "was sent SIG"):
        assert failure not in log
    assert requests.get(url + "/healthz", timeout=30).status_code == 200
    problems = [r for r in server.log_lines() if r.get("event") == "error"]
    assert problems == []
