"""``python -m indicators refresh``: fetch what changed at SSB into the cache.

One run: lock the cache; find out which tables changed (one ``GET /tables?pastDays=N`` when the
cache was checked recently, else ``GET /tables/{id}`` per table); for each changed, new or
re-defined table ask SSB once (see :mod:`indicators.store.planning`), store the raw response and
update the manifest. A failing table never stops the others: the summary names each failed
indicator, its table and the reason, and the table's previous data stays in the cache.

A refresh never makes the cache worse: a response is stored only once it has been read *and*
every series the definitions cut from it came out (finite numbers); a file the manifest names
that went missing or was damaged drops its release, so the table is fetched again. A refresh
ends: SSB is asked for ``/config`` once, up front (unreachable: one line, nothing written, the
display stays as it was), and an overall deadline (``REFRESH_DEADLINE``) bounds every wait.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

import numpy as np

from indicators.config import Settings
from indicators.errors import (
    BadResponse,
    CacheError,
    CacheLocked,
    CatalogError,
    IndicatorError,
    SsbRequestError,
    UnknownVariable,
)
from indicators.plan.catalog import Catalog, load_catalog
from indicators.plan.model import is_annual
from indicators.sources import ReadContext, source_of
from indicators.sources.ssb import TableResponse
from indicators.ssb.client import SsbClient, SsbUnreachable
from indicators.ssb.jsonstat import read_cube
from indicators.ssb.query import TableInfo, TableMetadata, parse_time
from indicators.ssb.shape import TableShape, default_regions, table_shape
from indicators.store.cache import (
    DEFAULT_KEEP_RELEASES,
    Cache,
    CacheKind,
    Manifest,
    Release,
    TableEntry,
    parse_utc,
    utc_iso,
    with_release,
)
from indicators.store.derived import write_derived
from indicators.store.metadata import read_stored as read_stored_metadata
from indicators.store.metadata import store as store_metadata
from indicators.store.metadata import structure_change
from indicators.store.planning import (
    SeriesRef,
    TableRequest,
    breakdown_gaps,
    plan_table,
    series_by_table,
)
from indicators.store.refresh_log import Reporter, TableOutcome, make_reporter, print_json_line

# /tables?pastDays=N lists every table SSB changed in N days; beyond a week that is many pages,
# and asking per table is cheaper.
MAX_PAST_DAYS = 7
STARTUP_MAX_AGE = timedelta(days=1)
LIST_FAILED = "list-failed"
# After this many tables in a row fail for want of a connection, the rest are not asked.
UNREACHABLE_TABLES = 2

Clock = Callable[[], datetime]
# Runs after a refresh saved its manifest (the assessment history, which this layer cannot compute).
AfterSave = Callable[[Cache, Manifest, datetime], None]


def real_cache(settings: Settings) -> Cache:
    """The cache of SSB's data: ``<cache dir>/real`` (git-ignored), locked by ``<cache dir>/.lock``."""
    return Cache(settings.cache_dir / "real", lock_path=settings.cache_dir / ".lock")


@dataclass
class RefreshResult:
    """The outcome of one refresh: one entry per table, and the failures per indicator."""

    outcomes: list[TableOutcome] = field(default_factory=list)
    requests: int = 0
    data_requests: int = 0
    metadata_requests: int = 0
    rate_limit_waits: int = 0
    seconds_waited: float = 0.0  # on the rate limiter and Retry-After/back-off, within ``seconds``
    seconds: float = 0.0
    derived: int = 0  # series stored in the derived layer for fast loading
    derived_problem: str | None = None  # why the derived layer could not be written (the data is fine)
    after_save_problem: str | None = None  # why the after-save hook (the history) failed (the data is fine)
    saved: bool = True  # False when nothing was worth writing (an empty cache stays empty)
    # Breakdowns a fetched table's metadata cannot serve: {indicator, table, variable, reason}.
    # The total refreshes without them; the page then shows no such breakdown, so say why.
    breakdown_warnings: list[dict[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> list[dict[str, str]]:
        return [
            {"indicator": ind, "table": o.table, "reason": o.reason}
            for o in self.outcomes
            if o.state == "failed"
            for ind in o.indicators
        ]

    @property
    def ok(self) -> bool:
        return not any(o.state == "failed" for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        """The command's exit code: 0 all ok, 1 if anything failed (the rest is saved)."""
        return 0 if self.ok else 1

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)

    def count_metadata(self, how: str) -> int:
        """Fetched tables whose metadata was ``reused`` (stored, and it fitted) or ``fetched``."""
        return sum(1 for o in self.outcomes if o.state == "fetched" and o.metadata == how)


def refresh(
    catalog: Catalog,
    cache: Cache,
    client: SsbClient,
    *,
    only: Sequence[str] | None = None,
    force: bool = False,
    kind: CacheKind = "real",
    source: str | None = None,
    keep_releases: int = DEFAULT_KEEP_RELEASES,
    reporter: Reporter | None = None,
    clock: Clock = lambda: datetime.now(UTC),
    derive: bool = True,
    deadline: float | None = None,
    after_save: AfterSave | None = None,
) -> RefreshResult:
    """Bring the cache up to date for the chosen indicators (all by default); hold the lock.

    ``derive``: also store every indicator's computed series for readers (see
    :mod:`indicators.store.derived`), just before the final manifest is written. ``deadline``:
    seconds the whole run may take; tables not done by then fail and keep their data. Raises
    :class:`RefreshAborted` (nothing written) when SSB's ``/config`` cannot be had.
    ``after_save(cache, manifest, now)`` runs, still under the lock, once the manifest is
    written (the assessment history: ``indicators.assessment.history.recorder``, handed in by
    the layers that may assess); its failure is reported, never fatal.
    """
    reporter = reporter or make_reporter(None, quiet=True)
    started, began = clock(), time.monotonic()
    if deadline is not None:
        client.deadline = began + deadline
    with cache.lock():
        try:
            result = _refresh_locked(
                catalog,
                cache,
                client,
                only,
                force,
                kind,
                source,
                keep_releases,
                reporter,
                clock,
                derive,
                started,
                began,
                after_save,
            )
        except BaseException as exc:
            cache.note(_note(started, clock(), saved=False, problem=_one_line(exc)))
            raise
        cache.note(
            _note(started, clock(), saved=result.saved, problem=None if result.saved else "nothing to save")
        )
    reporter.finish(result)
    return result


def _refresh_locked(
    catalog: Catalog,
    cache: Cache,
    client: SsbClient,
    only: Sequence[str] | None,
    force: bool,
    kind: CacheKind,
    source: str | None,
    keep_releases: int,
    reporter: Reporter,
    clock: Clock,
    derive: bool,
    started: datetime,
    began: float,
    after_save: AfterSave | None = None,
) -> RefreshResult:
    # SSB first, once: unreachable (or a /config that cannot be trusted) ends the run here, in
    # one line, before anything is written, so the demo or the previous data is shown as it was.
    _first_contact(client)
    previous = cache.read_manifest()
    manifest = previous or Manifest.empty(kind, source or client.base_url, started)
    manifest = replace(manifest, kind=kind, source=source or client.base_url)
    # A file that went missing or was damaged drops its release: its table is fetched again.
    manifest, damaged = _without_broken(cache, manifest)
    # Files no manifest names are leftovers of a run that was killed: clear them first.
    cache.collect_garbage(manifest)
    # --only limits the tables, but a table is always asked for every series that reads it:
    # its cached response must keep serving the indicators that were not named.
    wanted = series_by_table(catalog, only)
    tables = {t: refs for t, refs in series_by_table(catalog).items() if t in wanted}
    run = _Run(catalog, cache, client, manifest, reporter, clock, keep_releases, force)
    run.damaged = damaged
    reporter.start(len(tables))
    client.on_event = reporter.event
    walked = False
    try:
        run.all_tables(tables)
        walked = True
    finally:
        client.on_event = None
        result = run.result
        stats = client.stats
        result.requests, result.data_requests = stats.requests, stats.data
        result.metadata_requests = stats.metadata
        result.rate_limit_waits, result.seconds = stats.rate_limit_waits, time.monotonic() - began
        result.seconds_waited = stats.seconds_waited
        earlier = (previous.last_refresh or {}) if previous else {}
        run.manifest = replace(
            run.manifest,
            written=clock(),
            last_refresh={
                "started": utc_iso(started),
                "finished": utc_iso(clock()),
                "ok": result.ok and len(result.outcomes) == len(tables),
                "only": sorted(only) if only else None,
                "forced": force,
                "tables": {o.table: o.state for o in result.outcomes},
                "failed": result.failed + _earlier_failures(manifest, set(tables)),
                # "full": false until a refresh of every indicator has run on this cache (until
                # then readers show the demo's figures for the tables it has not fetched yet).
                **({} if _full(only, previous, earlier) else {"full": False}),
            },
        )
        if not run.manifest.tables and not (previous and previous.tables):
            # Nothing fetched into an empty cache: writing a manifest of failures would only make
            # the pages call the demo's figures "older figures".
            result.saved = False
        else:
            if derive and walked:  # not while an interruption or a crash is on its way out
                _derive(catalog, cache, run.manifest, result)
            cache.write_manifest(run.manifest)
            cache.collect_garbage(run.manifest)
            if after_save is not None and walked:
                try:
                    after_save(cache, run.manifest, clock())
                except (IndicatorError, OSError) as exc:
                    result.after_save_problem = _one_line(exc)
    return result


def _full(only: Sequence[str] | None, previous: Manifest | None, earlier: dict[str, Any]) -> bool:
    """Whether a refresh of every indicator has run on the cache, counting this one."""
    if not only:
        return True
    return bool(previous and previous.tables) and earlier.get("full", True) is not False


class RefreshAborted(IndicatorError):
    """The refresh could not start talking to SSB (unreachable, or an untrustworthy ``/config``)."""


def _first_contact(client: SsbClient) -> None:
    """Ask ``/config`` once with at most one retry; raise RefreshAborted in one line when it fails."""
    retries = client.max_retries
    client.max_retries = min(retries, 1)
    try:
        client.config()
    except BadResponse as exc:
        raise RefreshAborted(
            f"SSB's /config at {client.base_url} cannot be trusted; nothing was changed: {_one_line(exc)}"
        ) from exc
    except IndicatorError as exc:
        raise RefreshAborted(
            f"SSB could not be reached at {client.base_url}; nothing was changed: {_one_line(exc)}"
        ) from exc
    finally:
        client.max_retries = retries


def _without_broken(cache: Cache, manifest: Manifest) -> tuple[Manifest, set[str]]:
    """The manifest without releases whose files are missing or damaged, and the tables affected."""
    broken = cache.broken_files(manifest)
    if not broken:
        return manifest, set()
    tables = dict(manifest.tables)
    damaged: set[str] = set()
    for table_id, entry in manifest.tables.items():
        releases = tuple(r for r in entry.releases if not any(s.file in broken for s in r.responses))
        if len(releases) == len(entry.releases):
            continue
        if entry.releases[0] not in releases:
            damaged.add(table_id)
        if releases:
            tables[table_id] = replace(entry, releases=releases)
        else:
            del tables[table_id]
    return replace(manifest, tables=tables), damaged


def _note(started: datetime, finished: datetime, *, saved: bool, problem: str | None) -> dict[str, Any]:
    note: dict[str, Any] = {"started": utc_iso(started), "finished": utc_iso(finished), "saved": saved}
    if problem:
        note["problem"] = problem
    return note


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 400 else text[:400] + "…"


class _Run:
    """The state of one refresh while it walks the tables."""

    def __init__(
        self,
        catalog: Catalog,
        cache: Cache,
        client: SsbClient,
        manifest: Manifest,
        reporter: Reporter,
        clock: Clock,
        keep_releases: int,
        force: bool,
    ) -> None:
        self.catalog = catalog
        self.cache = cache
        self.client = client
        self.manifest = manifest
        self.reporter = reporter
        self.clock = clock
        self.keep_releases = keep_releases
        self.force = force
        self.result = RefreshResult()
        self.list_failure = ""
        self.damaged: set[str] = set()  # tables whose current files were missing or damaged

    def all_tables(self, tables: dict[str, list[SeriesRef]]) -> None:
        changed = self._changed(tables)
        for table in self.damaged:
            if table in tables and changed.get(table) != LIST_FAILED:
                changed[table] = "damaged"
        unreachable: list[str] = []  # tables in a row that failed for want of a connection
        for table, refs in tables.items():
            indicators = list(dict.fromkeys(ref.indicator for ref in refs))
            before = self.client.stats.requests
            try:
                if len(unreachable) >= UNREACHABLE_TABLES:
                    # SSB went away during the run: the other tables would each wait out retries.
                    raise _SsbGone(
                        f"SSB stopped answering during the refresh ({unreachable[0]}); not asked, "
                        "its data stays as it was"
                    )
                left = self.client.seconds_left()
                if left is not None and left <= 0:
                    raise DeadlinePassed(
                        "the refresh's deadline (REFRESH_DEADLINE) passed before this table was reached; "
                        "its data stays as it was"
                    )
                if table in changed:
                    outcome = self._fetch(table, refs, changed[table])
                elif self._needs_fetch(table, refs):
                    outcome = self._fetch(table, refs, "definition")
                else:
                    outcome = self._unchanged(table)
            except IndicatorError as exc:
                outcome = TableOutcome(table, "failed", indicators, reason=_one_line(exc))
                if isinstance(exc, SsbUnreachable):
                    unreachable.append(f"table {table}: {_one_line(exc)}")
                elif not isinstance(exc, _SsbGone):
                    unreachable.clear()
            except Exception as exc:  # noqa: BLE001 — one malformed table must never stop the others
                reason = f"unexpected error {type(exc).__name__}: {_one_line(exc)}"
                outcome = TableOutcome(table, "failed", indicators, reason=reason)
            if outcome.state != "failed":
                unreachable.clear()
            outcome.indicators = indicators
            outcome.requests = self.client.stats.requests - before
            self.result.outcomes.append(outcome)
            self.reporter.table_done(outcome, self.client.stats)

    def _changed(self, tables: dict[str, list[SeriesRef]]) -> dict[str, str]:
        """Tables to fetch or check (value: why), from one question to SSB where possible."""
        cached = {t: self.manifest.tables[t] for t in tables if t in self.manifest.tables}
        changed: dict[str, str] = {t: "new" for t in tables if t not in cached}
        if self.force:
            return {t: "forced" for t in tables}
        if not cached:
            return changed
        oldest = min(entry.checked for entry in cached.values())
        days = math.ceil((self.clock() - oldest) / timedelta(days=1)) + 1
        if days <= MAX_PAST_DAYS:
            try:
                recent = self.client.changed_tables(days)
            except IndicatorError as exc:
                # The question failed: every cached table counts as failed, keeping its data.
                for table in cached:
                    changed[table] = LIST_FAILED
                self.list_failure = f"could not ask SSB which tables changed: {exc}"
                return changed
            for table, entry in cached.items():
                if table in recent and recent[table] != entry.current.updated:
                    changed[table] = "updated"
            return changed
        for table in cached:
            changed.setdefault(table, "check")
        return changed

    def _needs_fetch(self, table: str, refs: list[SeriesRef]) -> bool:
        """Whether the cached responses no longer answer the definitions (they were edited)."""
        entry = self.manifest.tables[table]
        shape = TableShape.from_json(entry.shape)
        if shape is None:
            return True
        planned = {
            _key(r.selection_json()): set(r.serves_ids) for r in plan_table(table, refs, shape, self.catalog)
        }
        stored = {_key(s.selection): set(s.serves) for s in entry.current.responses}
        return planned.keys() != stored.keys() or any(not planned[k] <= stored[k] for k in planned)

    def _unchanged(self, table: str) -> TableOutcome:
        entry = self.manifest.tables[table]
        tables = dict(self.manifest.tables)
        tables[table] = replace(entry, checked=self.clock())
        self.manifest = replace(self.manifest, tables=tables)
        return TableOutcome(table, "unchanged", [], label=entry.label, updated=entry.current.updated)

    def _fetch(self, table: str, refs: list[SeriesRef], why: str) -> TableOutcome:
        if why == LIST_FAILED:
            raise _ListFailed(self.list_failure)
        info: TableInfo | None = None
        if why == "check":
            # No listing to tell: ask the table itself whether it changed (that also says its unit).
            info = self.client.table_info(table)
            if table in self.manifest.tables and not self._needs_fetch(table, refs):
                entry = self.manifest.tables[table]
                if info.updated == entry.current.updated:
                    return self._unchanged(table)
            if not is_annual(info.time_unit):
                raise _not_annual(table, info.time_unit)
        asked = self._ask_with_stored_metadata(table, refs, why)
        metadata = "reused"
        if asked is None:
            metadata = "fetched"
            # A table that must be fetched anyway needs no table-info call: its metadata says when
            # it was updated, and its periods whether it is annual (otherwise ask, as a check does).
            meta = self.client.metadata(table)
            info = info or _info_from_metadata(table, meta) or self.client.table_info(table)
            if not is_annual(info.time_unit):
                raise _not_annual(table, info.time_unit)
            shape = table_shape(meta, self.catalog.plan)
            answers = [
                (request, with_elimination_codes(self.client.data(table, request.selection), shape))
                for request in plan_table(table, refs, shape, self.catalog, _known_codes(meta))
            ]
        else:
            shape, answers = asked
            info = info or self._info_from_answer(table, answers[0][1])
            meta = self.client.metadata(table)  # the stored metadata, remembered: no call
        gaps = breakdown_gaps(table, refs, shape, self.catalog, _known_codes(meta))
        self.result.breakdown_warnings += [gap.to_json() for gap in gaps]
        cells = 0
        for _, doc in answers:
            cube = read_cube(doc)  # a response that cannot be read never replaces good data ...
            cells += 0 if cube.values is None else cube.values.size
        # ... nor one whose series cannot be computed: every series is cut out before storing.
        self._verify(
            table, refs, [TableResponse(r.selection_json(), r.serves_ids, doc) for r, doc in answers]
        )
        stored = [
            self.cache.write_response(table, info.updated, doc, r.selection_json(), r.serves_ids)
            for r, doc in answers
        ]
        if metadata == "fetched" and self.manifest.kind == "real":
            store_metadata(self.cache.root, self.client.metadata(table))
        now = self.clock()
        release = Release(updated=info.updated, fetched=now, responses=tuple(stored))
        entry = TableEntry(table, info.label, info.time_unit, now, (), shape.to_json())
        self.manifest = with_release(replace(self.manifest, written=now), entry, release, self.keep_releases)
        # Manifest after every table: a run killed later keeps what it already fetched.
        self.cache.write_manifest(self.manifest)
        return TableOutcome(
            table,
            "fetched",
            [],
            label=info.label,
            updated=info.updated,
            cells=cells,
            reason=why,
            metadata=metadata,
        )

    def _ask_with_stored_metadata(
        self, table: str, refs: list[SeriesRef], why: str
    ) -> tuple[TableShape, list[tuple[TableRequest, dict[str, Any]]]] | None:
        """The data answers asked with the metadata an earlier refresh stored (one call fewer per
        table), each checked against it; None when there is none (or ``--force``), or when an
        answer shows that the table's structure changed: then the caller asks for it anew."""
        if self.force or self.manifest.kind != "real":
            return None
        meta = read_stored_metadata(self.cache.root, table)
        if meta is None:
            return None
        self.client.remember_metadata(meta)
        shape = table_shape(meta, self.catalog.plan)
        answers = []
        try:
            for request in plan_table(table, refs, shape, self.catalog, _known_codes(meta)):
                doc = self.client.data(table, request.selection)
                change = structure_change(meta, doc, request.selection)
                if change is not None:
                    raise _StructureChanged(change)
                answers.append((request, with_elimination_codes(doc, shape)))
        except (_StructureChanged, UnknownVariable, SsbRequestError) as exc:
            # SSB refusing a code or variable the stored metadata has is a change of structure too.
            self.client.forget_metadata(table)
            self.reporter.event("metadata_changed", {"table": table, "reason": _one_line(exc), "why": why})
            return None
        return shape, answers

    def _info_from_answer(self, table: str, doc: dict[str, Any]) -> TableInfo:
        """The table info a fetch with stored metadata needs: SSB's ``updated`` from the data
        answer (checked to be there), the label and time unit as the cache has them."""
        entry = self.manifest.tables.get(table)
        meta = self.client.metadata(table)  # the stored metadata, remembered: no call
        time = meta.time_variable
        return TableInfo(
            id=table,
            label=(entry.label if entry else "") or meta.label,
            updated=parse_time(doc.get("updated"), f"data of table {table}"),
            first_period=time.codes[0] if time and time.codes else "",
            last_period=time.codes[-1] if time and time.codes else "",
            time_unit=(entry.time_unit if entry else "") or "Annual",
            raw={},
        )

    def _verify(self, table: str, refs: list[SeriesRef], responses: list[TableResponse]) -> None:
        """Raise UnusableResponse unless every series of ``refs`` comes out of ``responses``."""
        for ref in refs:
            definition = self.catalog.indicators[ref.indicator]
            context = ReadContext(
                self.catalog, definition, {table: responses}, default_regions(self.catalog, definition)
            )
            try:
                part = source_of(ref.series).read(ref.name, ref.series, context)
                infinite = bool(np.isinf(np.asarray(part.value, dtype="float64")).any())
                points = list(zip(part.region.tolist(), part.year.tolist(), strict=True))
                repeated = len(set(points)) != len(points)
            except IndicatorError as exc:
                raise UnusableResponse(
                    f"SSB's answer was read, but series {ref.id} cannot be computed from it ({_one_line(exc)}); "
                    "the previous data is kept"
                ) from exc
            except (ArithmeticError, ValueError, TypeError, KeyError, IndexError) as exc:
                raise UnusableResponse(
                    f"SSB's answer was read, but series {ref.id} cannot be computed from it "
                    f"({type(exc).__name__}: {_one_line(exc)}); the previous data is kept"
                ) from exc
            if repeated:
                raise UnusableResponse(
                    f"SSB's answer gives series {ref.id} more than one value for a region and year; "
                    "the previous data is kept"
                )
            if infinite:
                raise UnusableResponse(
                    f"SSB's answer gives series {ref.id} values too large to be numbers (infinite); "
                    "the previous data is kept"
                )


# A period code of an annual table: ``2020``, or ``2019-2020`` (a school or election year).
ANNUAL_PERIOD = re.compile(r"[12][0-9]{3}(-[12][0-9]{3})?")


def _known_codes(meta: TableMetadata) -> dict[str, list[str]]:
    """Variable -> its codes, as the table's metadata lists them."""
    return {var.code: var.codes for var in meta.variables}


def _info_from_metadata(table: str, meta: TableMetadata) -> TableInfo | None:
    """The table info a fetch needs, from the metadata: None unless it names ``updated`` and
    every period is a year (a table of another time unit is left to ``/tables/{id}`` to say)."""
    time = meta.time_variable
    if time is None or not time.codes or not all(ANNUAL_PERIOD.fullmatch(c) for c in time.codes):
        return None
    try:
        updated = parse_time(meta.raw.get("updated"), f"table {table} metadata")
    except BadResponse:
        return None
    return TableInfo(
        id=table,
        label=meta.label,
        updated=updated,
        first_period=time.codes[0],
        last_period=time.codes[-1],
        time_unit="Annual",
        raw={},
    )


def _derive(catalog: Catalog, cache: Cache, manifest: Manifest, result: RefreshResult) -> None:
    """Write the derived layer for ``manifest``; a failure is reported, never fatal.

    Readers compute whatever the layer lacks, so the data itself is complete either way.
    """
    try:
        result.derived = write_derived(catalog, cache, manifest)
    except IndicatorError as exc:
        result.derived_problem = str(exc)


def _earlier_failures(manifest: Manifest, tables_run: set[str]) -> list[dict[str, str]]:
    """Failures of the previous run for tables this run did not touch (``--only``): still true."""
    earlier = (manifest.last_refresh or {}).get("failed") or []
    return [f for f in earlier if isinstance(f, dict) and f.get("table") not in tables_run]


def _key(selection: dict[str, Any]) -> str:
    return json.dumps(selection, sort_keys=True)


class NotAnnual(IndicatorError):
    """A table whose time unit is not annual (this version reads annual tables only)."""


def _not_annual(table: str, time_unit: str) -> NotAnnual:
    return NotAnnual(
        f"table {table} has time unit '{time_unit}'; this version reads annual tables only "
        "— choose an annual table for these indicators"
    )


class _StructureChanged(IndicatorError):
    """A data answer does not fit the table's stored metadata: its structure changed."""


class UnusableResponse(IndicatorError):
    """SSB answered with something that parses but from which a series cannot be computed."""


class DeadlinePassed(IndicatorError):
    """The refresh's overall deadline passed before a table was reached."""


class _SsbGone(IndicatorError):
    """SSB stopped answering during the run, so this table was not asked."""


class _ListFailed(IndicatorError):
    """Asking SSB which tables changed failed, so this table could not be checked."""


# --- the command -----------------------------------------------------------------------------


def command(
    args: argparse.Namespace,
    settings: Settings,
    *,
    out: TextIO | None = None,
    after_save: AfterSave | None = None,
) -> int:
    """``python -m indicators refresh [--only ID ...] [--force] [--quiet] [--log-format text|json]``.

    Exit 0 ok; 1 failures, SSB unreachable, the cache cannot be written (one line each) or
    another refresh holds the lock; 2 usage.
    """
    out = out or sys.stdout
    catalog = load_catalog(settings.definitions, settings.goals)
    only = list(args.only) if getattr(args, "only", None) else None
    unknown = [i for i in only or [] if i not in catalog.indicators]
    if unknown:
        print(
            f"error: unknown indicator(s) {', '.join(unknown)}; known ids are the definition file names, "
            f"e.g. {', '.join(list(catalog.indicators)[:5])}",
            file=sys.stderr,
        )
        return 2
    log_format = settings.refresh_log_format
    reporter = make_reporter(out, quiet=bool(getattr(args, "quiet", False)), log_format=log_format)
    keep = getattr(args, "keep_releases", None) or DEFAULT_KEEP_RELEASES
    try:
        result = refresh(
            catalog,
            real_cache(settings),
            SsbClient(settings.ssb_api_url),
            only=only,
            force=bool(getattr(args, "force", False)),
            keep_releases=keep,
            reporter=reporter,
            deadline=settings.refresh_deadline,
            after_save=after_save,
        )
    except CacheLocked as exc:
        if log_format == "json":
            print_json_line(out, "refresh_not_started", {"reason": str(exc), "exit_code": 1})
        print(f"refresh not started: {exc}", file=sys.stderr)
        return 1
    except (RefreshAborted, CacheError) as exc:
        # SSB unreachable, or the cache cannot be written (a full disk): one line, no traceback.
        event = "refresh_failed" if isinstance(exc, RefreshAborted) else "refresh_not_saved"
        if log_format == "json":
            print_json_line(out, event, {"reason": _one_line(exc), "exit_code": 1})
        print(f"refresh failed: {_one_line(exc)}", file=sys.stderr)
        return 1
    if result.after_save_problem:
        print(
            f"warning: the assessment history was not updated: {result.after_save_problem}", file=sys.stderr
        )
    return result.exit_code


def startup_refresh(
    settings: Settings,
    *,
    timeout: float = 10.0,
    out: TextIO = sys.stderr,
    after_save: AfterSave | None = None,
) -> str:
    """For ``python app.py``: refresh first when needed, never hang; return a one-line outcome.

    Refreshes when the cache holds no real data or was last refreshed more than a day ago. SSB is
    asked first (``/config``) with a short deadline; when it cannot be reached within ``timeout``
    seconds the app starts on what there is (the real cache, else the demo snapshot).
    """
    cache = real_cache(settings)
    manifest = cache.read_manifest()
    has_data = bool(manifest and manifest.tables)
    fallback = "the cached data" if has_data else "the demo snapshot"
    last = _last_refresh_time(manifest)
    if has_data and last is not None and datetime.now(UTC) - last < STARTUP_MAX_AGE:
        return f"Data cache is current (last refresh {utc_iso(last)}); not refreshing."
    client = SsbClient(settings.ssb_api_url, timeout=(min(timeout, 5.0), timeout), max_retries=0)
    problem = _probe(client, timeout)
    if problem:
        return f"SSB could not be reached ({problem}); starting on {fallback}."
    try:
        catalog = load_catalog(settings.definitions, settings.goals)
    except CatalogError as exc:
        return (
            f"Not refreshing: the definitions have {len(exc.issues)} problem(s); "
            "run `python -m indicators validate`."
        )
    print(f"Refreshing from {settings.ssb_api_url} ...", file=out)
    try:
        # SSB answered: from here on the normal client, with its retries, as a scheduled refresh.
        result = refresh(
            catalog,
            cache,
            SsbClient(settings.ssb_api_url),
            reporter=make_reporter(out, quiet=False, log_format=settings.refresh_log_format),
            deadline=settings.refresh_deadline,
            after_save=after_save,
        )
    except CacheLocked:
        return f"Another refresh is running; starting on {fallback}."
    except RefreshAborted as exc:
        return f"{_one_line(exc)}; starting on {fallback}."
    except CacheError as exc:
        return f"The refresh could not be saved ({_one_line(exc)}); starting on {fallback}."
    if result.ok:
        return f"Refreshed from SSB: {result.count('fetched')} table(s) updated, {result.count('unchanged')} unchanged."
    return (
        f"Refresh finished with {len(result.failed)} failed indicator(s) (see above); "
        "the rest is up to date and the failed ones keep their previous data."
    )


def _last_refresh_time(manifest: Manifest | None) -> datetime | None:
    if not manifest or not manifest.last_refresh or not manifest.last_refresh.get("finished"):
        return None
    return parse_utc(manifest.last_refresh["finished"])


def _probe(client: SsbClient, timeout: float) -> str | None:
    """Why SSB cannot be reached within ``timeout`` seconds, or None when it answers."""
    outcome: dict[str, Any] = {}

    def ask() -> None:
        try:
            client.config()
            outcome["ok"] = True
        except IndicatorError as exc:
            outcome["error"] = str(exc)

    # A thread with a deadline: requests' timeouts bound each socket wait, not the whole call
    # (DNS, a slowly dripping answer), and start-up must not hang.
    worker = threading.Thread(target=ask, name="ssb-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return f"no answer within {timeout:g} s"
    return None if outcome.get("ok") else outcome.get("error", "unknown error")


def with_elimination_codes(doc: dict[str, Any], shape: TableShape) -> dict[str, Any]:
    """The data answer with the metadata's elimination value codes written into its dimensions.

    A series that leaves a variable out is read at that code (:mod:`indicators.sources.ssb`).
    JSON-stat's dimension extensions are optional in a data answer; without the code, summing
    every code of a merged request would add the total to its own parts.
    """
    dimensions = doc.get("dimension")
    if not isinstance(dimensions, dict):
        return doc  # read_cube says what is wrong with it
    for variable, code in shape.eliminable:
        body = dimensions.get(variable)
        if code is None or not isinstance(body, dict):
            continue
        extension = body.get("extension")
        if not isinstance(extension, dict):
            extension = body["extension"] = {}
        extension.setdefault("eliminationValueCode", code)
    return doc
