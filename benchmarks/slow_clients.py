"""Slow clients (slowloris): do a few dozen connections that trickle their headers deny service?

    .venv/bin/python benchmarks/slow_clients.py [--slow 50] [--clients 4] [--seconds 8] [--json FILE]

Starts ``gunicorn app:server`` as shipped (gunicorn.conf.py, two workers) on a free loopback
port, on the committed demo data. Normal clients (threads with keep-alive sessions) cycle through
a static asset, an embed page and ``/healthz`` for ``--seconds`` — first alone (the baseline, in
the same run), then while ``--slow`` connections each send a request's headers one byte at a
time and never finish them. Every slow connection gives up after at most ``SLOW_LIMIT`` seconds,
so the run is bounded however the server behaves.

A normal request that fails (times out after ``NORMAL_TIMEOUT`` seconds, say) counts with that
timeout as its latency, so a denial of service shows in the p95 instead of vanishing from it.
Goal (issue 15): the p95 with slow clients at most 2× the p95 without them.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from benchmarks.report import Row, emit, judged
from tests.serving import start_gunicorn

NAME = "slow_clients"
GOAL_RATIO = 2.0
SLOW_LIMIT = 30.0  # seconds a slow connection lives at most
NORMAL_TIMEOUT = 5.0  # seconds a normal client waits for an answer
PATHS = ("/assets/dashboard.css", "/embed/indikator/elbil-andel", "/healthz")


class SlowClients:
    """``count`` connections to ``host:port``, each sending a GET's headers one byte every
    ``interval`` seconds without ever ending them, until :meth:`stop` or ``limit`` seconds.

    As a real attacker would, a connection the server cuts is opened again at once, so
    ``count`` connections trickle all the time; ``connected`` counts the connections that are
    open now, ``cut`` those the server closed."""

    def __init__(self, host: str, port: int, count: int, *, interval: float = 0.5, limit: float = SLOW_LIMIT):
        self.address = (host, port)
        self.count = count
        self.interval = interval
        self.deadline = time.monotonic() + min(limit, SLOW_LIMIT)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.connected = 0
        self.cut = 0
        self._lock = threading.Lock()

    def __enter__(self) -> SlowClients:
        for i in range(self.count):
            thread = threading.Thread(target=self._keep_trickling, args=(i,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(5)

    def _running(self) -> bool:
        return not self._stop.is_set() and time.monotonic() < self.deadline

    def _keep_trickling(self, number: int) -> None:
        while self._running():
            if self._trickle(number):
                with self._lock:
                    self.cut += 1
            self._stop.wait(0.05)

    def _trickle(self, number: int) -> bool:
        """One connection, until it ends; True when the server ended it."""
        # A request line and a header that never ends: the server must wait for the blank line.
        head = f"GET /healthz?slow={number} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".encode() + b"a" * 4000
        try:
            sock = socket.create_connection(self.address, timeout=5)
        except OSError:
            return True
        with self._lock:
            self.connected += 1
        try:
            for byte in head:
                if not self._running():
                    return False
                sock.sendall(bytes([byte]))
                self._stop.wait(self.interval)
            return False
        except OSError:
            return True  # the server closed it: it is not tied up then
        finally:
            with self._lock:
                self.connected -= 1
            sock.close()


@dataclass
class Latencies:
    values: list[float] = field(default_factory=list)
    failures: int = 0

    def p(self, percent: float) -> float:
        ordered = sorted(self.values)
        rank = max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]


def normal_load(url: str, clients: int, seconds: float) -> Latencies:
    """``clients`` threads GET :data:`PATHS` in turn for ``seconds``; a failure counts as the timeout."""
    result = Latencies()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        with requests.Session() as session:
            turn = offset
            while time.monotonic() < stop_at:
                path = PATHS[turn % len(PATHS)]
                turn += 1
                started = time.perf_counter()
                try:
                    ok = session.get(url + path, timeout=NORMAL_TIMEOUT).status_code == 200
                except requests.RequestException:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    result.values.append(elapsed if ok else max(elapsed, NORMAL_TIMEOUT))
                    result.failures += not ok

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + NORMAL_TIMEOUT * 3)
    return result


def measure(slow: int, clients: int, seconds: float) -> tuple[list[Row], Latencies, Latencies]:
    with tempfile.TemporaryDirectory(prefix="slow-clients-") as tmp:
        server = start_gunicorn(Path(tmp))
        try:
            host, port = server.url.removeprefix("http://").split(":")
            normal_load(server.url, clients, 2)  # every worker has loaded its data
            baseline = normal_load(server.url, clients, seconds)
            with SlowClients(host, int(port), slow, limit=min(SLOW_LIMIT, seconds + 10)) as trickling:
                time.sleep(1.5)  # let them connect and start trickling
                connected = trickling.connected
                attacked = normal_load(server.url, clients, seconds)
                cut = trickling.cut
        finally:
            server.stop()
    base_p95 = baseline.p(95)
    rows = [
        judged(
            NAME,
            f"normal p50, no slow clients ({clients} clients, {seconds:g} s)",
            baseline.p(50),
            "s",
            None,
            "",
        ),
        judged(NAME, "normal p95, no slow clients", base_p95, "s", None, ""),
        judged(
            NAME,
            f"normal p50, {connected} slow connections",
            attacked.p(50),
            "s",
            baseline.p(50),
            "p50 alone",
        ),
        judged(
            NAME,
            f"normal p95, {connected} slow connections",
            attacked.p(95),
            "s",
            base_p95,
            "p95 alone",
            f"≤ {GOAL_RATIO:g}× p95 alone",
            lambda v, b: b is not None and v <= GOAL_RATIO * b,
        ),
        judged(
            NAME,
            f"normal requests failed or timed out ({NORMAL_TIMEOUT:g} s), with slow connections",
            attacked.failures,
            "",
            baseline.failures,
            "failed alone",
        ),
        judged(NAME, "slow connections the server cut (each opened again at once)", cut, "", None, ""),
    ]
    return rows, baseline, attacked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=50, help="slow connections (default 50)")
    parser.add_argument("--clients", type=int, default=4, help="normal concurrent clients (default 4)")
    parser.add_argument("--seconds", type=float, default=8.0, help="each phase's duration (default 8 s)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    rows, _baseline, _attacked = measure(args.slow, args.clients, min(args.seconds, SLOW_LIMIT - 10))
    emit(rows, "gunicorn app:server as shipped, on loopback, demo data", args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
