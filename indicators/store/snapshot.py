"""The read side of the cache: one consistent snapshot of every indicator's series.

The dashboard, the embeds and ``status`` read the data only through :func:`load_snapshot`. It
reads the manifest once and then only the files that manifest names, so a refresh writing at the
same time is never seen half-done. Without real data (no refresh has succeeded yet) it loads the
committed demo snapshot and says so (``demo=True``); until a refresh of every indicator has run
(only ``refresh --only``), the tables the real cache lacks still come from the demo, and the
snapshot counts as demo. Data fetched from an API on a loopback address (a local stub) is
``test_data``. A response file that is gone affects only the indicators of its table.

Computing every series is most of a load's cost, so ``refresh`` keeps what it computed in the
derived layer (:mod:`indicators.store.derived`, written by :func:`~indicators.store.derived.write_derived`); a load takes an
indicator's series from there when its key still matches, and computes the rest.
"""

from __future__ import annotations

import ipaddress
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import numpy as np

from indicators import sources
from indicators.config import REPO_ROOT, Settings, shipped
from indicators.errors import CacheFileMissing, IndicatorError
from indicators.plan.catalog import Catalog, load_catalog
from indicators.series.arrays import SeriesArrays, to_frames
from indicators.series.breakdown import BreakdownSeries
from indicators.store import derived
from indicators.store.cache import Cache, Manifest, Release, TableEntry, parse_utc, read_lock_note

if TYPE_CHECKING:
    import pandas as pd

REAL_DIR = "real"
DEMO_DIR = "demo"
LOCK_NAME = ".lock"  # the refresh lock, which also notes a refresh that saved nothing
# The demo snapshot committed with the code; a cache folder may carry its own instead.
REPO_DEMO = shipped(f"data_cache/{DEMO_DIR}")
REPO_GOALS = REPO_ROOT / "indicators" / "goals.toml"
REPO_DEFINITIONS = REPO_ROOT / "indicators" / "definitions"
_ATTEMPTS = 3


class Frames(Mapping[str, "pd.DataFrame"]):
    """Indicator id -> tidy DataFrame, made from the series' arrays when first read.

    All at once (:func:`~indicators.series.arrays.to_frames`: slices of one DataFrame), and only
    for whoever reads frames: ``status`` assesses the arrays and never imports pandas.
    """

    def __init__(self, arrays: Mapping[str, SeriesArrays]) -> None:
        self._arrays = arrays
        self._frames: dict[str, pd.DataFrame] | None = None
        self._lock = threading.Lock()  # a threaded worker may read a fresh snapshot twice at once

    def _built(self) -> dict[str, pd.DataFrame]:
        if self._frames is None:
            with self._lock:
                if self._frames is None:
                    self._frames = to_frames(self._arrays)
        return self._frames

    def __getitem__(self, indicator_id: str) -> pd.DataFrame:
        return self._built()[indicator_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._arrays

    def __repr__(self) -> str:
        return f"Frames({len(self)} series)"


class LazyBreakdowns(Mapping[str, tuple[BreakdownSeries, ...]]):
    """Indicator id -> its breakdowns, each indicator's computed on first use and kept.

    Only pages and downloads ask for breakdowns; computing them at load would make every
    ``status`` read those tables' responses (and import pandas) for nothing. The lock keeps two
    threads of one worker from computing the same indicator at once.
    """

    def __init__(
        self,
        catalog: Catalog,
        indicator_ids: list[str],
        computer: Callable[[], derived.SeriesComputer],
    ) -> None:
        self._catalog, self._ids, self._make = catalog, indicator_ids, computer
        self._computer: derived.SeriesComputer | None = None
        self._done: dict[str, tuple[tuple[BreakdownSeries, ...], dict[str, str]]] = {}
        self._lock = threading.Lock()
        self.problems: Mapping[str, dict[str, str]] = _BreakdownProblems(self)

    def computed(self, indicator_id: str) -> tuple[tuple[BreakdownSeries, ...], dict[str, str]]:
        """The indicator's breakdowns and, per variable, why one could not be computed."""
        if indicator_id not in self._ids:
            return (), {}
        with self._lock:
            if indicator_id not in self._done:
                definition = self._catalog.indicators[indicator_id]
                try:
                    self._computer = self._computer or self._make()
                    done, trouble = self._computer.breakdowns(definition)
                except IndicatorError as exc:  # e.g. a response a later refresh has removed
                    done, trouble = [], {b.variable: str(exc) for b in definition.breakdowns}
                self._done[indicator_id] = (tuple(done), trouble)
            return self._done[indicator_id]

    def __getitem__(self, indicator_id: str) -> tuple[BreakdownSeries, ...]:
        done = self.computed(indicator_id)[0]
        if not done:
            raise KeyError(indicator_id)
        return done

    def __iter__(self) -> Iterator[str]:
        return iter([i for i in self._ids if self.computed(i)[0]])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, indicator_id: object) -> bool:
        return isinstance(indicator_id, str) and bool(self.computed(indicator_id)[0])


class _BreakdownProblems(Mapping[str, dict[str, str]]):
    """Indicator id -> variable -> why its breakdown could not be computed (a view of LazyBreakdowns)."""

    def __init__(self, breakdowns: LazyBreakdowns) -> None:
        self._breakdowns = breakdowns

    def __getitem__(self, indicator_id: str) -> dict[str, str]:
        trouble = self._breakdowns.computed(indicator_id)[1]
        if not trouble:
            raise KeyError(indicator_id)
        return trouble

    def __iter__(self) -> Iterator[str]:
        return iter([i for i in self._breakdowns._ids if self._breakdowns.computed(i)[1]])

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True)
class Snapshot:
    """Every indicator's series from one manifest of the cache, and where they come from."""

    catalog: Catalog
    series: Mapping[str, pd.DataFrame]  # indicator id -> region, region_name, year, value, status
    problems: dict[str, str]  # indicator id -> why it has no (or incomplete) series
    data_as_of: datetime | None  # newest fetch time among the responses used
    table_updated: dict[str, datetime]  # SSB table id -> SSB's `updated` of the release used
    demo: bool
    version: str
    last_refresh: dict | None  # the real cache's latest refresh: finished, ok, failed[...]
    # Extras (DESIGN allows extra fields):
    table_labels: dict[str, str] = field(default_factory=dict)  # table id -> SSB's title
    table_checked: dict[str, datetime] = field(default_factory=dict)  # when SSB last confirmed it
    release: str = "current"
    derived: int = 0  # how many series came from the derived layer rather than being computed
    arrays: Mapping[str, SeriesArrays] = field(default_factory=dict)  # the same series, as arrays
    api_url: str | None = None  # the API the real data was fetched from (None: demo only)
    test_data: bool = False  # that API is on a loopback address: test data, marked like demo data
    # Why the latest refresh saved nothing (SSB unreachable, disk full), when that is newer than
    # the manifest's last_refresh; None otherwise.
    refresh_problem: str | None = None
    # No data at all: neither a refresh nor a demo snapshot for this plan (an empty, explained state).
    no_data: bool = False
    # Indicator id -> its breakdowns (disaggregation), for the indicators that define any; and
    # indicator id -> variable -> why that breakdown could not be computed (the total still shows).
    # Both are computed on first use (LazyBreakdowns): `status` and the assessment never need them.
    breakdowns: Mapping[str, tuple[BreakdownSeries, ...]] = field(default_factory=dict)
    breakdown_problems: Mapping[str, dict[str, str]] = field(default_factory=dict)

    def assessable(self) -> Mapping[str, SeriesArrays] | Mapping[str, pd.DataFrame]:
        """The series in the form cheapest to assess: the arrays when the snapshot has them."""
        return self.arrays or self.series

    def is_stale(self, now: datetime | None = None, max_age_days: float = 45) -> bool:
        """Whether the data is older than expected: some table not confirmed by SSB for too long.

        A refresh that finds nothing new still confirms a table, so a quiet month at SSB is not
        stale; a refresh job that stopped running is. No data at all counts as stale.
        """
        now = now or datetime.now(UTC)
        if not self.table_checked:
            return True
        return now - min(self.table_checked.values()) > timedelta(days=max_age_days)


def real_dir(settings: Settings) -> Path:
    return settings.cache_dir / REAL_DIR


def demo_dir(settings: Settings) -> Path:
    """The demo snapshot: ``<cache dir>/demo`` when present, else the one committed with the code
    — but that one only for the plan it was made from (the repository's goals.toml and
    definitions). Another municipality's plan without its own demo gets the folder that is not
    there, so it shows an empty, explained state instead of Trondheim's figures."""
    own = settings.cache_dir / DEMO_DIR
    if (own / "manifest.json").is_file() or not uses_repository_plan(settings):
        return own
    return REPO_DEMO


def uses_repository_plan(settings: Settings) -> bool:
    """Whether ``settings`` point at the plan committed with the code (whose demo is committed)."""
    return _same_path(settings.goals, REPO_GOALS) and _same_path(settings.definitions, REPO_DEFINITIONS)


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:  # a broken link or a path the OS refuses: not the repository's
        return False


def cache_version(settings: Settings) -> str:
    """A cheap token that changes whenever the cache's manifest changes (stat only, no reading)."""
    return (
        f"{_stat_token(real_dir(settings))}|{_stat_token(demo_dir(settings))}"
        f"|{_file_token(settings.cache_dir / LOCK_NAME)}"
    )


def is_loopback_url(url: str | None) -> bool:
    """Whether ``url``'s host is this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    host = (urlsplit(url or "").hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _file_token(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "none"
    return f"{stat.st_mtime_ns}-{stat.st_size}"


def _stat_token(folder: Path, stat: os.stat_result | None = None) -> str:
    if stat is None:
        try:
            stat = (folder / "manifest.json").stat()
        except FileNotFoundError:
            return "none"
    # The manifest is replaced by rename, so its inode changes with every write; mtime and size
    # guard against inode reuse.
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


def load_snapshot(settings: Settings, release: Literal["current", "previous"] = "current") -> Snapshot:
    """Load every indicator's series from the cache (or the demo snapshot when there is no real data).

    ``release="previous"`` uses, for each table, the release before the newest one (the newest
    when the cache holds only one), to show what changed. Raises CatalogError for bad
    definitions and CacheError for an unreadable cache.
    """
    if release not in ("current", "previous"):
        raise ValueError(f"release must be 'current' or 'previous', not {release!r}")
    catalog = load_catalog(settings.definitions, settings.goals, toml_memo=_toml_memo(settings))
    for _ in range(_ATTEMPTS - 1):
        try:
            return _load(catalog, settings, release)
        except CacheFileMissing:
            # A refresh replaced the manifest and removed files after we read the old one: read again.
            continue
    # Still missing: the file is gone, not raced. It costs only the indicators of its table.
    return _load(catalog, settings, release, missing_is_damage=True)


def _toml_memo(settings: Settings) -> dict[str, dict[str, Any]]:
    """The parsed definitions a refresh remembered (content-addressed, so any cache root will do)."""
    return derived.read_toml_memo(real_dir(settings)) or derived.read_toml_memo(demo_dir(settings))


def _load(catalog: Catalog, settings: Settings, release: str, *, missing_is_damage: bool = False) -> Snapshot:
    lock_token = _file_token(settings.cache_dir / LOCK_NAME)
    note = read_lock_note(settings.cache_dir / LOCK_NAME)
    real = Cache(real_dir(settings))
    loaded = real.read_manifest_with_stat()
    real_manifest = loaded[0] if loaded else None
    real_token = _stat_token(real.root, loaded[1]) if loaded else "none"
    demo_cache = Cache(demo_dir(settings))
    manifest: Manifest | None
    demo_manifest: Manifest | None = None
    if real_manifest is not None and real_manifest.tables:
        cache, manifest = real, real_manifest
        demo_token = _stat_token(demo_dir(settings))
        if not (real_manifest.last_refresh or {}).get("full", True):
            # Only `refresh --only` has run: the other indicators keep their demo figures.
            demo_loaded = demo_cache.read_manifest_with_stat()
            if demo_loaded:
                demo_manifest, demo_token = demo_loaded[0], _stat_token(demo_cache.root, demo_loaded[1])
    else:
        cache = demo_cache
        demo_loaded = cache.read_manifest_with_stat()
        manifest = demo_loaded[0] if demo_loaded else None
        demo_token = _stat_token(cache.root, demo_loaded[1]) if demo_loaded else "none"
    version = f"{real_token}|{demo_token}|{lock_token}"
    last_refresh = real_manifest.last_refresh if real_manifest else None
    problem = _unsaved_refresh(note, last_refresh)
    if manifest is None:
        return replace(_empty(catalog, version, last_refresh), refresh_problem=problem)
    snapshot = _compute(
        catalog, cache, manifest, release, version, last_refresh, demo_cache, demo_manifest, missing_is_damage
    )
    api_url = real_manifest.source if manifest.kind == "real" and real_manifest else None
    return replace(snapshot, api_url=api_url, test_data=is_loopback_url(api_url), refresh_problem=problem)


def _unsaved_refresh(note: dict[str, Any], last_refresh: dict | None) -> str | None:
    """Why the latest refresh saved nothing, when it ran after the manifest's last refresh."""
    if note.get("saved", True) is not False or note.get("running"):
        return None
    try:
        noted = parse_utc(str(note.get("finished")))
        recorded = parse_utc(str((last_refresh or {}).get("finished"))) if last_refresh else None
    except ValueError:
        return None
    if recorded is not None and recorded > noted:
        return None
    return f"the refresh of {note.get('finished')} saved nothing: {note.get('problem') or 'unknown reason'}"


def _empty(catalog: Catalog, version: str, last_refresh: dict | None) -> Snapshot:
    reason = (
        "no data yet: run `python -m indicators refresh`, or make a demo of this plan with "
        "`python -m indicators.demo --fixtures DIR`"
    )
    return Snapshot(
        catalog=catalog,
        series={},
        problems=dict.fromkeys(catalog.indicators, reason),
        data_as_of=None,
        table_updated={},
        demo=False,
        version=version,
        last_refresh=last_refresh,
        no_data=True,
    )


def _pick(entry: TableEntry, release: str) -> Release:
    if release == "previous" and len(entry.releases) > 1:
        return entry.releases[1]
    return entry.releases[0]


def _compute(
    catalog: Catalog,
    cache: Cache,
    manifest: Manifest,
    release: str,
    version: str,
    last_refresh: dict | None,
    demo_cache: Cache | None = None,
    demo_manifest: Manifest | None = None,
    missing_is_damage: bool = False,
) -> Snapshot:
    chosen = {t: _pick(e, release) for t, e in manifest.tables.items() if e.releases}
    from_demo: dict[str, Cache] = {}
    if demo_manifest is not None and demo_cache is not None:
        for t, e in demo_manifest.tables.items():
            if t not in chosen and e.releases:
                chosen[t] = _pick(e, release)
                from_demo[t] = demo_cache
    # The derived layer holds the current release's series only.
    stored = derived.read_series(cache.root) if release == "current" else {}
    computed = derived.SeriesComputer(
        catalog,
        cache,
        chosen,
        stored,
        want_keys=bool(stored),
        caches=from_demo,
        missing_is_damage=missing_is_damage,
    )
    failures = _failures(last_refresh if manifest.kind == "real" else None)
    series: dict[str, SeriesArrays] = {}
    problems: dict[str, str] = {}
    for indicator_id, definition in catalog.indicators.items():
        try:
            result = computed.series(definition)
        except CacheFileMissing:
            raise  # a refresh replaced the manifest meanwhile: load_snapshot reads it again
        except IndicatorError as exc:
            failed = failures.get(indicator_id)
            problems[indicator_id] = f"{exc}" + (f" (the last refresh failed: {failed})" if failed else "")
            continue
        series[indicator_id] = result
        note = _incomplete(result, catalog.plan.region, catalog.plan.region_name)
        failed = failures.get(indicator_id)
        if failed:
            note = (
                note + "; " if note else ""
            ) + f"the last refresh failed, showing the previous data: {failed}"
        if note:
            problems[indicator_id] = note
    # A computer of its own, made on first use, so the load's parsed responses are not kept alive.
    breakdowns = LazyBreakdowns(
        catalog,
        [i for i, d in catalog.indicators.items() if d.breakdowns and i in series],
        lambda: derived.SeriesComputer(
            catalog, cache, chosen, {}, want_keys=False, caches=from_demo, missing_is_damage=True
        ),
    )
    used = {t: r for t, r in chosen.items() if t not in computed.unreadable}
    tables_used = {t for d in catalog.indicators.values() for t in sources.tables(d) if t in used}
    tables_info = {**(demo_manifest.tables if demo_manifest else {}), **manifest.tables}
    return Snapshot(
        catalog=catalog,
        series=Frames(series),
        problems=problems,
        data_as_of=max((used[t].fetched for t in tables_used), default=None),
        table_updated={t: used[t].updated for t in sorted(tables_used)},
        demo=manifest.kind == "demo" or any(t in from_demo for t in tables_used),
        version=version,
        last_refresh=last_refresh,
        table_labels={t: tables_info[t].label for t in sorted(tables_used)},
        table_checked={t: tables_info[t].checked for t in sorted(tables_used)},
        release=release,
        derived=computed.hits,
        arrays=series,
        breakdowns=breakdowns,
        breakdown_problems=breakdowns.problems,
    )


def _failures(last_refresh: dict | None) -> dict[str, str]:
    """Indicator id -> why the latest refresh failed for it (table and reason)."""
    if not last_refresh:
        return {}
    return {
        f["indicator"]: f"table {f['table']}: {f['reason']}"
        for f in last_refresh.get("failed") or []
        if isinstance(f, dict) and "indicator" in f
    }


def _incomplete(series: SeriesArrays, home: str, home_name: str) -> str:
    if np.isnan(series.value[series.region == home]).all():  # also when there is no row
        return f"no values for {home_name} ({home}) in the data"
    return ""


def last_refresh_finished(snapshot: Snapshot) -> datetime | None:
    """When the latest refresh of the real cache finished, if there was one."""
    finished = (snapshot.last_refresh or {}).get("finished")
    return parse_utc(finished) if finished else None
