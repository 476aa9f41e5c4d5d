"""Serving helpers shared by the gunicorn and load tests and the benchmarks (loopback only).

* :func:`start_gunicorn` runs ``gunicorn app:server`` from the repository, as production does,
  on a free local port, and waits until ``/healthz`` answers.
* :func:`run_load` sends a fixed mix of requests from N concurrent clients for a fixed time and
  collects each request's latency by kind; :func:`page_visit` is what a browser asks for to show
  one dashboard page (its document, written whole by the server).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from indicators.config import REPO_ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")
REQUEST_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Gunicorn:
    """A running ``gunicorn app:server`` started by :func:`start_gunicorn`."""

    process: subprocess.Popen
    url: str
    log_path: Path
    cache_dir: Path

    def log_lines(self) -> list[dict]:
        """The JSON lines the workers wrote (gunicorn's own lines are plain text)."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the master), from /proc."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker in MB (VmRSS from /proc)."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self) -> int:
        """SIGTERM (a graceful stop), then the exit code; killed if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=40)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)


def start_gunicorn(
    workdir: Path,
    env: dict[str, str] | None = None,
    *,
    workers: int = 2,
    threads: int = 4,
    start_timeout: float = 90.0,
    app_dir: Path = REPO_ROOT,
) -> Gunicorn:
    """Start ``gunicorn app:server`` from ``app_dir`` on a free loopback port; the cache lives
    in ``workdir``."""
    port = free_port()
    full_env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "WORKER_THREADS": str(threads),
        "DATA_CACHE_DIR": str(workdir / "cache"),
        # Nothing may reach SSB from the web app; port 9 (discard) would show it as a failure.
        "SSB_API_URL": "http://127.0.0.1:9/api/pxwebapi/v2",
        **(env or {}),
    }
    full_env.pop("GUNICORN_CMD_ARGS", None)
    log_path = workdir / "gunicorn.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "app:server"], cwd=app_dir, env=full_env, stdout=log, stderr=subprocess.STDOUT
        )
    server = Gunicorn(process, f"http://127.0.0.1:{port}", log_path, Path(full_env["DATA_CACHE_DIR"]))
    deadline = time.monotonic() + start_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            # The first answer waits for the worker's data to load.
            if requests.get(server.url + "/healthz", timeout=20).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer within {start_timeout:g} s:\n{log_path.read_text()}")


# --- what a browser asks for -------------------------------------------------------------------


def check(response: requests.Response) -> requests.Response:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.url} -> HTTP {response.status_code}")
    return response


def page_visit(base_url: str, path: str) -> Callable[[requests.Session], None]:
    """A dashboard page as the browser loads it: the document, which the server writes whole
    (no Dash renderer, so no callback follows). Its style sheet and two scripts are the same
    for every page and cached by the browser, so they are not part of a page's cost."""

    def visit(session: requests.Session) -> None:
        check(session.get(base_url + path, timeout=REQUEST_TIMEOUT))

    return visit


def plain_get(base_url: str, path: str, status: int = 200) -> Callable[[requests.Session], None]:
    """One GET that must answer ``status``."""

    def get(session: requests.Session) -> None:
        response = session.get(base_url + path, timeout=REQUEST_TIMEOUT)
        if response.status_code != status:
            raise RuntimeError(f"GET {path} -> HTTP {response.status_code}, expected {status}")

    return get


# --- load ---------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    """Latencies (seconds) per kind of request, and every error, from one load run."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + len(self.errors)

    def percentile(self, kind: str, p: float) -> float:
        """The p-th percentile latency of ``kind`` in seconds (nearest rank)."""
        values = sorted(self.latencies[kind])
        rank = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
        return values[rank]


def run_load(
    targets: dict[str, Callable[[requests.Session], None]], *, clients: int, seconds: float
) -> LoadResult:
    """``clients`` threads, each with its own keep-alive session, cycle through ``targets`` until
    ``seconds`` have passed (a request in flight then still finishes and counts)."""
    result = LoadResult(latencies={kind: [] for kind in targets})
    kinds = list(targets)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        session = requests.Session()
        turn = offset
        try:
            while time.monotonic() < stop_at:
                kind = kinds[turn % len(kinds)]
                turn += 1
                started = time.perf_counter()
                try:
                    targets[kind](session)
                except (requests.RequestException, RuntimeError) as exc:
                    with lock:
                        result.errors.append(f"{kind}: {exc}")
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    result.latencies[kind].append(elapsed)
        finally:
            session.close()

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT * 3)
    result.seconds = time.monotonic() - began
    return result
