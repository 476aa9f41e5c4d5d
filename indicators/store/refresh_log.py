"""What a refresh tells the person who runs it: a progress bar, lines per table, a summary.

On a terminal a tqdm bar counts tables, requests and waits for SSB's rate limit; elsewhere (cron,
systemd, CI logs) each table gets one plain line; ``--quiet`` prints only failures and the
summary. The summary always names each failed indicator, its table and the reason.

For log collectors, ``--log-format json`` (or ``REFRESH_LOG_FORMAT=json``) prints JSON lines
instead, shaped like the web app's (``ts``, ``pid``, ``event`` first): ``refresh_started``, one
``refresh_table`` per table (``refresh_retry`` and ``refresh_rate_limit_wait`` as they happen),
and one ``refresh_finished`` with the counts, the failures, the duration and the exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from indicators.config import LogFormat
from indicators.jsonlog import json_line

if TYPE_CHECKING:
    from indicators.ssb.client import RequestStats
    from indicators.store.refresh import RefreshResult


@dataclass
class TableOutcome:
    """What happened to one table in a refresh: ``fetched``, ``unchanged`` or ``failed``."""

    table: str
    state: str
    indicators: list[str] = field(default_factory=list)
    label: str = ""
    updated: datetime | None = None
    cells: int = 0
    requests: int = 0
    reason: str = ""
    metadata: str = ""  # fetched: "reused" (the stored metadata fitted SSB's answer) or "fetched"

    def describe(self) -> str:
        """One line for people: what happened and why."""
        if self.state == "failed":
            return f"{self.table} FAILED ({', '.join(self.indicators)}): {self.reason}"
        release = f"release of {self.updated:%Y-%m-%d %H:%M} UTC" if self.updated else "release"
        if self.state == "unchanged":
            return f"{self.table} unchanged ({release})"
        why = {
            "new": "new in the cache",
            "updated": "SSB published a new release",
            "check": "SSB published a new release",
            "forced": "--force",
            "definition": "the definitions ask for other codes",
        }.get(self.reason, self.reason)
        reused = ", stored metadata reused" if self.metadata == "reused" else ""
        return f"{self.table} fetched: {release}, {self.cells} cells in {self.requests} request(s){reused} ({why})"


class Reporter(Protocol):
    def start(self, tables: int) -> None: ...
    def event(self, kind: str, payload: dict[str, Any]) -> None: ...
    def table_done(self, outcome: TableOutcome, stats: RequestStats) -> None: ...
    def finish(self, result: RefreshResult) -> None: ...


class LineReporter:
    """One plain line per table (``quiet``: failures only), then the summary."""

    def __init__(self, out: TextIO | None, *, quiet: bool) -> None:
        self.out = out
        self.quiet = quiet
        self.total = 0
        self.done = 0

    def _print(self, text: str) -> None:
        if self.out is not None:
            print(text, file=self.out, flush=True)

    def start(self, tables: int) -> None:
        self.total = tables
        if not self.quiet:
            self._print(f"Refreshing {tables} SSB table(s) ...")

    def event(self, kind: str, payload: dict[str, Any]) -> None:
        if self.quiet:
            return
        if kind == "rate_limit_wait" and payload.get("seconds", 0) >= 1:
            self._print(f"  waiting {payload['seconds']:.0f} s for SSB's rate limit")
        elif kind == "retry":
            self._print(
                f"  retrying {payload.get('kind')} of table {payload.get('table')}: {payload.get('reason')}"
            )
        elif kind == "metadata_changed":
            self._print(
                f"  table {payload.get('table')} changed its structure ({payload.get('reason')}); "
                "asking for its metadata again"
            )

    def table_done(self, outcome: TableOutcome, stats: RequestStats) -> None:
        self.done += 1
        if not self.quiet or outcome.state == "failed":
            self._print(f"[{self.done}/{self.total}] {outcome.describe()}")

    def finish(self, result: RefreshResult) -> None:
        for line in summary_lines(result):
            self._print(line)


class BarReporter(LineReporter):
    """A tqdm bar on a terminal: tables done, requests made, waits for the rate limit."""

    def __init__(self, out: TextIO) -> None:
        from tqdm import tqdm  # only a terminal needs it

        super().__init__(out, quiet=False)
        self._tqdm = tqdm
        self.bar: Any = None
        self.requests = 0
        self.waits = 0

    def start(self, tables: int) -> None:
        self.total = tables
        self.bar = self._tqdm(
            total=tables, unit="table", desc="SSB", file=self.out, dynamic_ncols=True, leave=True
        )

    def event(self, kind: str, payload: dict[str, Any]) -> None:
        if self.bar is None:
            return
        if kind == "rate_limit_wait":
            self.waits += 1
            self.bar.set_postfix_str(f"requests={self.requests} waits={self.waits} (rate limit)")
        elif kind == "retry":
            self.bar.write(f"  retrying table {payload.get('table')}: {payload.get('reason')}", file=self.out)

    def table_done(self, outcome: TableOutcome, stats: RequestStats) -> None:
        self.done += 1
        self.requests = stats.requests
        if self.bar is None:
            return
        if outcome.state != "unchanged":
            self.bar.write(outcome.describe(), file=self.out)
        self.bar.set_postfix_str(f"requests={self.requests} waits={self.waits}")
        self.bar.update(1)

    def finish(self, result: RefreshResult) -> None:
        if self.bar is not None:
            self.bar.close()
        super().finish(result)


class JsonReporter:
    """One JSON object per line for each table and event, and one for the whole run."""

    def __init__(self, out: TextIO | None, *, quiet: bool) -> None:
        self.out = out
        self.quiet = quiet
        self.total = 0

    def _emit(self, event: str, fields: dict[str, Any]) -> None:
        if self.out is not None:
            print_json_line(self.out, event, fields)

    def start(self, tables: int) -> None:
        self.total = tables
        if not self.quiet:
            self._emit("refresh_started", {"tables": tables})

    def event(self, kind: str, payload: dict[str, Any]) -> None:
        if self.quiet or kind not in ("retry", "rate_limit_wait", "metadata_changed"):
            return
        fields = {k: v for k, v in payload.items() if k != "url"}  # query strings stay out of logs
        self._emit(f"refresh_{kind}", fields)

    def table_done(self, outcome: TableOutcome, stats: RequestStats) -> None:
        if self.quiet and outcome.state != "failed":
            return
        self._emit(
            "refresh_table",
            {
                "table": outcome.table,
                "state": outcome.state,
                "indicators": outcome.indicators,
                "label": outcome.label,
                "updated": outcome.updated.astimezone(UTC).isoformat().replace("+00:00", "Z")
                if outcome.updated
                else None,
                "cells": outcome.cells,
                "requests": outcome.requests,
                "reason": outcome.reason or None,
                "metadata": outcome.metadata or None,
            },
        )

    def finish(self, result: RefreshResult) -> None:
        self._emit("refresh_finished", summary_fields(result))


def print_json_line(out: TextIO, event: str, fields: dict[str, Any]) -> None:
    """One log line as the web app writes them: ``ts`` (UTC, ms), ``pid``, ``event``, the fields."""
    print(json_line({"event": event, **fields}), file=out, flush=True)


def summary_fields(result: RefreshResult) -> dict[str, Any]:
    """The summary as data: what :func:`summary_lines` says, for the JSON log."""
    return {
        "ok": result.ok,
        "exit_code": result.exit_code,
        "tables": len(result.outcomes),
        "fetched": result.count("fetched"),
        "unchanged": result.count("unchanged"),
        "failed": result.count("failed"),
        "requests": result.requests,
        "data_requests": result.data_requests,
        "metadata_requests": result.metadata_requests,
        "metadata_reused": result.count_metadata("reused"),
        "rate_limit_waits": result.rate_limit_waits,
        "waited_s": round(result.seconds_waited, 3),
        "duration_s": round(result.seconds, 3),
        "failures": result.failed,
        "derived_series": result.derived,
        "derived_problem": result.derived_problem,
        "breakdown_warnings": result.breakdown_warnings,
    }


def make_reporter(out: TextIO | None, *, quiet: bool, log_format: LogFormat = "text") -> Reporter:
    """JSON lines when asked; else a bar on a terminal, plain lines elsewhere, failures only when
    quiet; ``out=None``: silent."""
    if log_format == "json":
        return JsonReporter(out, quiet=quiet)
    if out is not None and not quiet and _is_terminal(out):
        return BarReporter(out)
    return LineReporter(out, quiet=quiet)


def _is_terminal(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def summary_lines(result: RefreshResult) -> list[str]:
    """The end of a refresh: counts, then each failed indicator with its table and reason."""
    lines = [
        f"Refresh {'finished' if result.ok else 'finished with failures'} in {result.seconds:.1f} s: "
        f"{len(result.outcomes)} table(s) — {result.count('fetched')} fetched, "
        f"{result.count('unchanged')} unchanged, {result.count('failed')} failed; "
        f"{result.requests} request(s) to SSB ({result.data_requests} for data, "
        f"{result.metadata_requests} for metadata; {result.count_metadata('reused')} table(s) "
        "fetched with their stored metadata), "
        f"{result.rate_limit_waits} wait(s) for the rate limit, {result.seconds_waited:.1f} s waited."
    ]
    if result.derived_problem:
        lines.append(
            f"Note: the precomputed series could not be saved ({result.derived_problem}); "
            "the data is complete, but loading it is slower until the next refresh."
        )
    if result.breakdown_warnings:
        lines.append("Breakdowns left out (the total is refreshed; fix the definition's breakdowns):")
        lines += [
            f"  {w['indicator']} (table {w['table']}): breakdown {w['variable']}: {w['reason']}"
            for w in result.breakdown_warnings
        ]
    failed = result.failed
    if failed:
        lines.append("Failed (their previous data stays in the cache):")
        lines += [f"  {f['indicator']} (table {f['table']}): {f['reason']}" for f in failed]
    return lines
