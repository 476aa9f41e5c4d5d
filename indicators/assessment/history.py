"""A small history of assessments, one entry per data release, kept in the cache.

The cache keeps the last few releases of every *table*, but tables are released on different
days, so "the previous release of each table" is no state the site ever showed. To say exactly
which indicators changed status since the previous data release, every refresh that saved data
records what every indicator's assessment was for the data it saved: ``<cache>/real/history.json``,
newest first, at most :data:`MAX_ENTRIES` entries.

* A *release* is the set of SSB tables with their ``updated`` (and the csv inputs' digests): a
  refresh that changes none of them replaces the newest entry (the same data, perhaps assessed
  by changed definitions), one that does adds an entry in front.
* Written like every cache file (temporary file, fsync, rename: :func:`~indicators.store.cache.atomic_write`),
  after the manifest. Only the refresh writes it; the web app only reads.
* Reading never fails: a missing, unreadable, oversized or malformed file is an empty history
  (with ``problem`` saying why), so a page shows "no earlier release to compare with".
"""

from __future__ import annotations

import argparse
import json
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from indicators import sources
from indicators.assessment.formulas import STATUSES
from indicators.assessment.progress import Assessment, assess_all
from indicators.config import Settings
from indicators.errors import CacheError
from indicators.store import refresh
from indicators.store.cache import Cache, Manifest, atomic_write, parse_utc, utc_iso
from indicators.store.snapshot import Snapshot, load_snapshot, real_dir

log = logging.getLogger(__name__)

HISTORY_NAME = "history.json"
HISTORY_FORMAT = 1
MAX_ENTRIES = 12  # a year of monthly releases; older ones are dropped
MAX_BYTES = 4 * 1024 * 1024  # a larger file is not a history this code wrote: not read


@dataclass(frozen=True)
class Recorded:
    """One indicator's assessment as it was recorded for a release."""

    status: str
    score: float | None = None
    current_year: int | None = None
    current_value: float | None = None


@dataclass(frozen=True)
class Entry:
    """The assessments of one data release."""

    release: tuple[tuple[str, str], ...]  # (table or input, its updated time or digest), sorted
    data_as_of: datetime | None
    recorded: datetime
    indicators: Mapping[str, Recorded]

    def to_json(self) -> dict[str, Any]:
        return {
            "release": dict(self.release),
            "data_as_of": utc_iso(self.data_as_of) if self.data_as_of else None,
            "recorded": utc_iso(self.recorded),
            "indicators": {
                i: {
                    "status": r.status,
                    "score": r.score,
                    "current_year": r.current_year,
                    "current_value": r.current_value,
                }
                for i, r in sorted(self.indicators.items())
            },
        }

    @classmethod
    def from_json(cls, doc: Any) -> Entry:
        """Raises ValueError (or TypeError/KeyError) for anything not written by :meth:`to_json`."""
        release = doc["release"]
        if not isinstance(release, dict) or not all(isinstance(v, str) for v in release.values()):
            raise ValueError("release is not a mapping of strings")
        indicators: dict[str, Recorded] = {}
        for indicator_id, item in dict(doc["indicators"]).items():
            status = item["status"]
            if status not in STATUSES:
                raise ValueError(f"unknown status {status!r}")
            indicators[str(indicator_id)] = Recorded(
                status=status,
                score=_number(item.get("score")),
                current_year=_year(item.get("current_year")),
                current_value=_number(item.get("current_value")),
            )
        as_of = doc.get("data_as_of")
        return cls(
            release=tuple(sorted((str(k), v) for k, v in release.items())),
            data_as_of=parse_utc(as_of) if as_of else None,
            recorded=parse_utc(doc["recorded"]),
            indicators=indicators,
        )


@dataclass(frozen=True)
class History:
    """Entries newest first; ``problem`` says why a history file could not be read."""

    entries: tuple[Entry, ...] = ()
    problem: str | None = None

    def previous(self, release: tuple[tuple[str, str], ...]) -> Entry | None:
        """The newest entry of another release than ``release`` (the data shown now)."""
        return next((e for e in self.entries if e.release != release), None)


EMPTY = History()


@dataclass(frozen=True)
class Change:
    """An indicator whose status is not what it was for the previous release."""

    indicator_id: str
    before: str  # the status then; "new" when the indicator was not there
    after: str


@dataclass(frozen=True)
class Comparison:
    """What changed since the previous data release."""

    previous: Entry
    changes: tuple[Change, ...] = field(default_factory=tuple)


def release_of(snapshot: Snapshot) -> tuple[tuple[str, str], ...]:
    """The data release a snapshot shows: its SSB tables' ``updated`` and its csv inputs."""
    parts = {f"ssb:{t}": utc_iso(u) for t, u in snapshot.table_updated.items()}
    catalog = snapshot.catalog
    for definition in catalog.indicators.values():
        for name, digest in sources.input_digests(definition, catalog) or []:
            parts[f"input:{definition.id}:{name}"] = digest
    return tuple(sorted(parts.items()))


def entry_for(snapshot: Snapshot, assessments: Mapping[str, Assessment], recorded: datetime) -> Entry:
    return Entry(
        release=release_of(snapshot),
        data_as_of=snapshot.data_as_of,
        recorded=recorded,
        indicators={
            i: Recorded(a.status, _number(a.score), a.current_year, _number(a.current_value))
            for i, a in assessments.items()
        },
    )


def with_entry(history: History, entry: Entry, limit: int = MAX_ENTRIES) -> History:
    """``history`` with ``entry`` as its newest: replacing the newest one of the same release
    (keeping when that release was first recorded)."""
    older = history.entries
    if older and older[0].release == entry.release:
        entry = replace(entry, recorded=older[0].recorded)
        older = older[1:]
    return History(entries=(entry, *older)[:limit])


def compare(history: History, snapshot: Snapshot, assessments: Mapping[str, Assessment]) -> Comparison | None:
    """The status changes since the previous release; ``None`` when there is none to compare with."""
    previous = history.previous(release_of(snapshot))
    if previous is None:
        return None
    changes = []
    for indicator_id in snapshot.catalog.indicators:  # the catalogue's order
        now = assessments.get(indicator_id)
        if now is None:
            continue
        then = previous.indicators.get(indicator_id)
        before = then.status if then is not None else "new"
        if before != now.status:
            changes.append(Change(indicator_id, before, now.status))
    return Comparison(previous=previous, changes=tuple(changes))


# --- the file ----------------------------------------------------------------------------------


def history_path(root: Path) -> Path:
    return root / HISTORY_NAME


def read_history(root: Path) -> History:
    """The history in cache folder ``root``; never raises (see the module's docstring)."""
    path = history_path(root)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return EMPTY
    except OSError as exc:
        return _unreadable(path, f"cannot be read ({exc.strerror})")
    if len(raw) > MAX_BYTES:
        return _unreadable(path, f"is larger than {MAX_BYTES} bytes")
    try:
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != HISTORY_FORMAT:
            raise ValueError("not a history of this format")
        entries = tuple(Entry.from_json(e) for e in list(doc["entries"])[:MAX_ENTRIES])
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        return _unreadable(path, f"is damaged ({type(exc).__name__})")
    return History(entries=entries)


def write_history(root: Path, history: History) -> None:
    doc = {"format": HISTORY_FORMAT, "entries": [e.to_json() for e in history.entries]}
    raw = json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
    try:
        atomic_write(history_path(root), raw)
    except OSError as exc:
        raise CacheError(f"cannot write {history_path(root)}: {exc.strerror}") from exc


def record(settings: Settings, now: datetime) -> bool:
    """Add the assessments of the real cache's data as it is now to its history.

    Not for the demo or a cache that still mixes in demo figures (``refresh --only``): their
    statuses are no release of real data. Returns whether an entry was written.
    """
    snapshot = load_snapshot(settings)
    if snapshot.demo or snapshot.no_data or not snapshot.table_updated:
        return False
    assessments = assess_all(snapshot.catalog, snapshot.assessable())
    root = real_dir(settings)
    history = read_history(root)  # a damaged history starts again rather than stopping refreshes
    write_history(root, with_entry(history, entry_for(snapshot, assessments, now)))
    return True


def recorder(settings: Settings) -> Callable[[Cache, Manifest, datetime], None]:
    """A refresh's ``after_save`` hook recording the history of ``settings``' real cache."""

    def after_save(cache: Cache, manifest: Manifest, now: datetime) -> None:
        if manifest.kind != "real" or cache.root != real_dir(settings):
            return
        record(settings, now)

    return after_save


def _unreadable(path: Path, why: str) -> History:
    log.warning("assessment history %s %s; treated as empty", path, why)
    return History(problem=f"the assessment history {why}")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _year(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def refresh_command(args: argparse.Namespace, settings: Settings) -> int:
    """``python -m indicators refresh``: :func:`indicators.store.refresh.command`, recording the
    history of what it saved (the store layer refreshes; assessing belongs to this one)."""
    return refresh.command(args, settings, after_save=recorder(settings))
