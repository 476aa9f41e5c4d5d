"""A sliding-window rate limiter shared by every SSB client in the process.

SSB limits calls per IP address (``maxCallsPerTimeWindow`` per ``timeWindow`` seconds, read
from ``/config``), so two clients in one process must share one budget: limiters live in a
module-level registry keyed by the API's base URL. This is process plumbing, not web-app
state — the web app never calls SSB while serving a request.

A call occupies its slot from when it is sent until ``timeWindow`` seconds after its answer
arrived. Counting from the answer (not the sending) keeps us inside the server's window even
when the server logs a call later than we sent it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import overload

# Extra seconds a finished call keeps its slot, against clock granularity.
SAFETY_MARGIN = 0.02


@dataclass
class Slot:
    """One call: in flight while ``finished`` is None."""

    started: float
    finished: float | None = None


class SlidingWindowLimiter:
    """At most ``max_calls`` calls in any ``window`` seconds; unlimited until configured."""

    def __init__(
        self,
        max_calls: int | None = None,
        window: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._cond = threading.Condition()
        self._slots: list[Slot] = []
        self.max_calls = max_calls
        self.window = window

    def configure(self, max_calls: int, window: float) -> None:
        """Set the limit (from SSB's ``/config``); calls already made keep counting."""
        if not max_calls >= 1 or not 0 < window < float("inf"):  # also NaN
            raise ValueError(
                f"a rate limit needs at least 1 call per a positive window, got {max_calls}/{window}"
            )
        with self._cond:
            self.max_calls, self.window = max_calls, window
            self._cond.notify_all()

    @overload
    def acquire(self) -> tuple[Slot, float]: ...
    @overload
    def acquire(self, max_wait: float | None) -> tuple[Slot | None, float]: ...

    def acquire(self, max_wait: float | None = None) -> tuple[Slot | None, float]:
        """Block until a call may be made; return its slot and the seconds spent waiting.

        With ``max_wait``, give up at once (slot None) when the call could not be made within
        that many seconds: a refresh's deadline is never waited past.
        """
        begun = self._clock()
        with self._cond:
            while True:
                now = self._clock()
                wait = self._wait_needed(now)
                if wait <= 0:
                    slot = Slot(started=now)
                    self._slots.append(slot)
                    return slot, now - begun
                if max_wait is not None and now - begun + wait > max_wait:
                    return None, now - begun
                self._cond.wait(timeout=wait)

    def release(self, slot: Slot) -> None:
        """Mark a call as answered (or failed): its slot expires one window from now."""
        with self._cond:
            slot.finished = self._clock()
            self._cond.notify_all()

    def _wait_needed(self, now: float) -> float:
        if self.max_calls is None or self.window is None:
            self._slots = [s for s in self._slots if s.finished is None]
            return 0.0
        horizon = self.window + SAFETY_MARGIN
        self._slots = [s for s in self._slots if s.finished is None or now - s.finished < horizon]
        if len(self._slots) < self.max_calls:
            return 0.0
        finished = [s.finished for s in self._slots if s.finished is not None]
        if not finished:
            return 0.05  # every slot is in flight: look again when one is released (notify) or soon
        return min(finished) + horizon - now


_REGISTRY: dict[str, SlidingWindowLimiter] = {}
_REGISTRY_LOCK = threading.Lock()


def limiter_for(base_url: str) -> SlidingWindowLimiter:
    """The process-wide limiter for one API base URL."""
    key = base_url.rstrip("/").lower()
    with _REGISTRY_LOCK:
        if key not in _REGISTRY:
            _REGISTRY[key] = SlidingWindowLimiter()
        return _REGISTRY[key]


def forget_limiter(base_url: str) -> None:
    """Drop the limiter of a server that is gone.

    The registry lives as long as the process, and the OS hands a freed port to the next local
    server: without this a new test stub on a reused port would inherit the old one's limits.
    """
    with _REGISTRY_LOCK:
        _REGISTRY.pop(base_url.rstrip("/").lower(), None)
