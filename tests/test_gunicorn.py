"""``gunicorn app:server`` as production runs it: a subprocess with gunicorn.conf.py, two workers.

Checks what an operator relies on: it starts from the environment (BIND, WEB_CONCURRENCY, …),
answers /healthz, sends the security headers, logs JSON lines, every worker gives the same
answer, a refresh is picked up without a restart, and SIGTERM stops it cleanly.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from benchmarks.slow_clients import SlowClients
from indicators.config import REPO_ROOT
from tests.serving import GUNICORN, Gunicorn, free_port, start_gunicorn


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    server = start_gunicorn(tmp_path_factory.mktemp("gunicorn"), threads=2)
    yield server
    server.stop()


def test_serves_the_dashboard_with_security_headers(gunicorn: Gunicorn) -> None:
    response = requests.get(gunicorn.url + "/", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self';" in csp  # files only: no page has an inline script
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Set-Cookie" not in response.headers
    embed = requests.get(gunicorn.url + "/embed/indikator/elbil-andel", timeout=10)
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers


def test_healthz_reports_the_demo_snapshot(gunicorn: Gunicorn) -> None:
    response = requests.get(gunicorn.url + "/healthz", timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["demo"] is True  # the cache folder is empty: the committed demo snapshot
    assert body["status"] == "degraded"
    assert body["indicators"]["with_data"] > 0
    assert response.headers["Cache-Control"] == "no-store"


def test_debug_is_off_and_unknown_pages_are_plain_404s(gunicorn: Gunicorn) -> None:
    response = requests.get(gunicorn.url + "/indikator/finnes-ikke?x=<script>", timeout=10)
    assert response.status_code == 404
    assert "Werkzeug" not in response.text and "Traceback" not in response.text
    assert "<script>" not in response.text


def test_every_worker_loads_its_data_and_gives_the_same_answer(gunicorn: Gunicorn) -> None:
    def ask(_: int) -> tuple:
        body = requests.get(gunicorn.url + "/healthz", timeout=30, headers={"Connection": "close"}).json()
        return body["snapshot_version"], body["status"], body["demo"], json.dumps(body["indicators"])

    # Concurrent requests on fresh connections spread over the workers.
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = set(pool.map(ask, range(40)))
    assert len(answers) == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        loaded = [r for r in gunicorn.log_lines() if r.get("event") == "data_loaded"]
        if len({r["pid"] for r in loaded}) == 2:
            break
        time.sleep(0.5)
    assert len({r["pid"] for r in loaded}) == 2, "each of the two workers loaded its own data"
    assert all(r["ok"] for r in loaded)
    logged = [r for r in gunicorn.log_lines() if r.get("event") == "request"]
    assert {"/healthz", "/"} <= {r["path"] for r in logged}
    assert all({"method", "path", "status", "duration_ms", "request_id"} <= r.keys() for r in logged)


def test_every_worker_gives_the_same_etag_and_answers_304(gunicorn: Gunicorn) -> None:
    paths = ("/api/status.json", "/data/all.csv", "/data/datapackage.json", "/data/elbil-andel.csv")

    def ask(i: int) -> tuple[str, str]:
        path = paths[i % len(paths)]
        response = requests.get(gunicorn.url + path, timeout=30, headers={"Connection": "close"})
        assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
        return path, response.headers["ETag"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = set(pool.map(ask, range(48)))
    assert len(answers) == len(paths), answers  # one ETag per path, whichever worker answered
    served_by = {r["pid"] for r in gunicorn.log_lines() if r.get("path") == "/api/status.json"}
    assert len(served_by) == 2, "both workers answered (and agreed)"
    for path, etag in answers:
        again = requests.get(gunicorn.url + path, timeout=30, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""


def test_slow_clients_do_not_block_a_normal_request(gunicorn: Gunicorn) -> None:
    # Twelve connections trickling their headers a byte at a time: more than the 2 workers × 4
    # threads that gthread had, which they used to tie up until nobody else was answered.
    host, port = gunicorn.url.removeprefix("http://").split(":")
    with SlowClients(host, int(port), 12, interval=0.2, limit=20) as slow:
        time.sleep(1.0)  # all connected and trickling
        assert slow.connected == 12
        for path in ("/healthz", "/embed/indikator/elbil-andel", "/assets/dashboard.css"):
            started = time.monotonic()
            response = requests.get(gunicorn.url + path, timeout=5, headers={"Connection": "close"})
            assert response.status_code == 200
            assert time.monotonic() - started < 2.0, f"{path} waited behind the slow clients"


def test_a_huge_request_body_is_refused_before_it_is_read(gunicorn: Gunicorn) -> None:
    # 300 MB announced, a few KB sent: the answer comes at once, without waiting for the rest.
    host, port = gunicorn.url.removeprefix("http://").split(":")
    head = (
        "POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n"
    )
    rss_before = max(gunicorn.worker_rss_mb())
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head.encode() + b'{"output": "' + b"a" * 8192)
        started = time.monotonic()
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 3.0
    assert max(gunicorn.worker_rss_mb()) < rss_before + 50


def test_every_worker_gives_a_page_the_same_etag_and_a_page_reload_is_a_304(gunicorn: Gunicorn) -> None:
    # A page's document is written by the server alone (no per-process Dash token in it), so it
    # is the same bytes, and the same ETag, from every worker.
    shared = ("/", "/mal/1", "/indikator/elbil-andel?lang=en", "/delmal/1.1?lang=nn")

    def ask(i: int) -> tuple[str, str]:
        path = shared[i % len(shared)]
        response = requests.get(gunicorn.url + path, timeout=30, headers={"Connection": "close"})
        assert response.status_code == 200
        return path, response.headers["ETag"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = set(pool.map(ask, range(16)))
    assert len(answers) == len(shared), answers  # one ETag each, whichever worker answered
    with requests.Session() as session:
        for path in shared:
            first = session.get(gunicorn.url + path, timeout=30)
            again = session.get(
                gunicorn.url + path, timeout=30, headers={"If-None-Match": first.headers["ETag"]}
            )
            assert again.status_code == 304 and again.content == b""


# Runs after the tests above (pytest keeps file order): it replaces the demo data.
def test_a_refresh_is_picked_up_without_restart_and_sigterm_stops_cleanly(
    gunicorn: Gunicorn, ssb_stub
) -> None:
    assert requests.get(gunicorn.url + "/healthz", timeout=10).json()["demo"] is True
    env = {**os.environ, "DATA_CACHE_DIR": str(gunicorn.cache_dir), "SSB_API_URL": ssb_stub.url}
    refresh = subprocess.run(
        # A full refresh: after `--only` alone the other indicators keep the demo's figures and the
        # snapshot still counts as demo (tested in tests/indicators/store).
        [sys.executable, "-m", "indicators", "refresh", "--quiet"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refresh.returncode == 0, refresh.stderr
    with ThreadPoolExecutor(max_workers=4) as pool:  # whichever worker answers has noticed
        bodies = list(
            pool.map(
                lambda _: requests.get(
                    gunicorn.url + "/healthz", timeout=60, headers={"Connection": "close"}
                ).json(),
                range(8),
            )
        )
    for body in bodies:
        assert body["demo"] is False
        assert body["last_refresh"]["ok"] is True
        assert body["status"] == "ok"
    assert gunicorn.stop() == 0, "SIGTERM stops gunicorn cleanly"


def test_a_bad_setting_stops_gunicorn_with_a_clear_message(tmp_path: Path) -> None:
    # (A bad WEB_CONCURRENCY is refused by gunicorn itself, before it reads gunicorn.conf.py.)
    env = {**os.environ, "WORKER_THREADS": "lots", "BIND": f"127.0.0.1:{free_port()}"}
    result = subprocess.run(
        [str(GUNICORN), "app:server"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "WORKER_THREADS='lots'" in result.stderr + result.stdout
