"""pytest plugin: the ``ssb_stub`` fixture (a fresh stub per test) and ``ssb_stub_factory``.

Registered in tests/conftest.py with ``pytest_plugins = ["tests.ssb_stub.fixtures"]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from indicators.ssb.ratelimit import forget_limiter
from tests.ssb_stub.server import StubServer


@pytest.fixture
def ssb_stub_factory() -> Iterator[Callable[..., StubServer]]:
    """Start stubs with custom options (``StubServer`` keyword arguments); all stop after the test."""
    started: list[StubServer] = []

    def start(**options: Any) -> StubServer:
        options.setdefault("max_calls", 1000)
        options.setdefault("time_window", 1)
        stub = StubServer(**options).start()
        # A port freed by an earlier test may come back; its limiter must not.
        forget_limiter(stub.url)
        started.append(stub)
        return stub

    yield start
    for stub in started:
        stub.stop()
        forget_limiter(stub.url)


@pytest.fixture
def ssb_stub(ssb_stub_factory: Callable[..., StubServer]) -> StubServer:
    """A stub serving tests/ssb_stub/tables on a free port; ``.url`` is the API base URL."""
    return ssb_stub_factory()
