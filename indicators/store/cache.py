"""The data cache on disk: raw JSON-stat2 responses, a manifest with their provenance, a lock.

Layout of one cache (``data_cache/real/`` for SSB's data, ``data_cache/demo/`` for the committed
synthetic snapshot)::

    manifest.json                         what is in the cache; written last, atomically
    responses/<table>/<updated>-<sha>.json   one raw JSON-stat2 response per request
    derived/series.json, derived/definitions.json   what the refresh computed from them, to load
                                                     fast (indicators/store/derived.py; never needed)

The manifest records, for each table, up to ``keep_releases`` SSB releases (newest first), each
with SSB's ``updated``, when it was fetched, and per response the selection that was asked and
a SHA-256 checksum. Why this shape:

* Every file is written to a temporary file, flushed, ``fsync``-ed and renamed into place, and
  the manifest is replaced only after the files it names exist. A refresh killed at any moment
  therefore leaves the previous manifest, which names only complete files.
* Readers read the manifest once and then only the files it names, so they see one consistent
  snapshot while a refresh writes. Files that no manifest names any more are removed only after
  the new manifest is in place (and again, as orphans, at the start of the next refresh).
* A lock file keeps two refreshes apart: filelock's native lock on our own descriptor (``flock``
  on Unix, ``LockFileEx`` on Windows), released by the system even on SIGKILL.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from filelock import lock_descriptor, unlock_descriptor

from indicators.errors import CacheError, CacheFileMissing, CacheLocked

MANIFEST_NAME = "manifest.json"
RESPONSES_DIR = "responses"
FORMAT_VERSION = 1
DEFAULT_KEEP_RELEASES = 3
TEMP_PREFIX = ".tmp-"

CacheKind = Literal["real", "demo"]


# --- time stamps -----------------------------------------------------------------------------


def utc_iso(moment: datetime) -> str:
    """``2026-03-05T07:00:00Z``: ISO 8601 in UTC, whole seconds, as SSB writes it."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=4096)
def parse_utc(text: str) -> datetime:
    """Read an ISO 8601 time stamp (``Z`` or an offset) as an aware UTC datetime.

    Memoized: a manifest repeats a few time stamps across hundreds of tables.
    """
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# --- the manifest ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredResponse:
    """One raw response on disk and the question it answers."""

    file: str  # relative to the cache root, with forward slashes
    sha256: str
    size: int
    selection: dict[str, dict[str, Any]]  # variable -> {"valueCodes": [...], "codelist": str | None}
    serves: tuple[str, ...] = ()  # the series it was asked for, as "indicator.series"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "bytes": self.size,
            "selection": self.selection,
            "serves": list(self.serves),
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> StoredResponse:
        return cls(
            file=str(doc["file"]),
            sha256=str(doc["sha256"]),
            size=int(doc["bytes"]),
            selection=dict(doc["selection"]),
            serves=tuple(doc.get("serves", ())),
        )


@dataclass(frozen=True)
class Release:
    """One SSB release of a table as fetched: SSB's ``updated`` and the responses."""

    updated: datetime
    fetched: datetime
    responses: tuple[StoredResponse, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "updated": utc_iso(self.updated),
            "fetched": utc_iso(self.fetched),
            "responses": [r.to_json() for r in self.responses],
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Release:
        return cls(
            updated=parse_utc(doc["updated"]),
            fetched=parse_utc(doc["fetched"]),
            responses=tuple(StoredResponse.from_json(r) for r in doc["responses"]),
        )


@dataclass(frozen=True)
class TableEntry:
    """What the cache holds for one SSB table: its releases, newest first."""

    table_id: str
    label: str
    time_unit: str
    checked: datetime  # when SSB last confirmed (or gave) the newest release
    releases: tuple[Release, ...]
    shape: dict[str, Any] = field(default_factory=dict)  # region/time variables, see planning.TableShape

    @property
    def current(self) -> Release:
        return self.releases[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "time_unit": self.time_unit,
            "checked": utc_iso(self.checked),
            "shape": self.shape,
            "releases": [r.to_json() for r in self.releases],
        }

    @classmethod
    def from_json(cls, table_id: str, doc: dict[str, Any]) -> TableEntry:
        return cls(
            table_id=table_id,
            label=str(doc.get("label", "")),
            time_unit=str(doc.get("time_unit", "")),
            checked=parse_utc(doc["checked"]),
            releases=tuple(Release.from_json(r) for r in doc["releases"]),
            shape=dict(doc.get("shape") or {}),
        )


@dataclass(frozen=True)
class Manifest:
    """The index of one cache. ``last_refresh`` is the outcome of the latest refresh run."""

    kind: CacheKind
    source: str
    written: datetime
    tables: dict[str, TableEntry] = field(default_factory=dict)
    last_refresh: dict[str, Any] | None = None

    def files(self) -> set[str]:
        """Every response file the manifest names (relative paths)."""
        return {r.file for t in self.tables.values() for rel in t.releases for r in rel.responses}

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "kind": self.kind,
            "demo": self.kind == "demo",
            "source": self.source,
            "written": utc_iso(self.written),
            "last_refresh": self.last_refresh,
            "tables": {tid: self.tables[tid].to_json() for tid in sorted(self.tables)},
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Manifest:
        if doc.get("format") != FORMAT_VERSION:
            raise ValueError(
                f"unknown manifest format {doc.get('format')!r} (this version reads {FORMAT_VERSION})"
            )
        kind = doc.get("kind")
        if kind not in ("real", "demo"):
            raise ValueError(f"unknown cache kind {kind!r}")
        return cls(
            kind=kind,
            source=str(doc.get("source", "")),
            written=parse_utc(doc["written"]),
            tables={tid: TableEntry.from_json(tid, t) for tid, t in doc.get("tables", {}).items()},
            last_refresh=doc.get("last_refresh"),
        )

    @classmethod
    def empty(cls, kind: CacheKind, source: str, now: datetime) -> Manifest:
        return cls(kind=kind, source=source, written=now)


def with_release(
    manifest: Manifest, entry: TableEntry, release: Release, keep_releases: int = DEFAULT_KEEP_RELEASES
) -> Manifest:
    """The manifest with ``release`` as the table's newest release.

    A release with the same ``updated`` as the newest one replaces it (a refetch of the same SSB
    release, e.g. after the definitions asked for more codes); a newer one is put in front and
    the oldest beyond ``keep_releases`` are dropped from the manifest (their files are removed
    later, by :meth:`Cache.collect_garbage`, once no manifest names them).
    """
    if keep_releases < 1:
        raise CacheError(f"keep_releases must be at least 1, got {keep_releases}")
    old = manifest.tables.get(entry.table_id)
    previous = old.releases if old else ()
    if previous and previous[0].updated == release.updated:
        previous = previous[1:]
    releases = (release, *previous)[:keep_releases]
    tables = dict(manifest.tables)
    tables[entry.table_id] = replace(entry, releases=releases)
    return replace(manifest, tables=tables)


# --- the cache on disk -----------------------------------------------------------------------


class Cache:
    """One cache folder: read and write the manifest and the responses, and lock for writing."""

    def __init__(self, root: Path, *, lock_path: Path | None = None) -> None:
        self.root = Path(root)
        self.lock_path = Path(lock_path) if lock_path else self.root.parent / ".lock"

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    def __repr__(self) -> str:
        return f"Cache({str(self.root)!r})"

    # reading ---------------------------------------------------------------------------------

    def read_manifest(self) -> Manifest | None:
        """The manifest, or None when this cache has none yet."""
        loaded = self.read_manifest_with_stat()
        return loaded[0] if loaded else None

    def read_manifest_with_stat(self) -> tuple[Manifest, os.stat_result] | None:
        """The manifest and the ``stat`` of the very file it was read from (for versioning)."""
        try:
            with self.manifest_path.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                raw = handle.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise CacheError(f"cannot read {self.manifest_path}: {exc.strerror}") from exc
        try:
            return Manifest.from_json(json.loads(raw)), stat
        except (ValueError, KeyError, TypeError) as exc:
            raise CacheError(
                f"the cache manifest {self.manifest_path} is damaged ({exc}); "
                "delete the folder and run `python -m indicators refresh --force`"
            ) from exc

    def read_response(self, stored: StoredResponse) -> dict[str, Any]:
        """The raw JSON-stat2 response, after checking its checksum."""
        path = self.root / stored.file
        try:
            raw = path.read_bytes()
        except FileNotFoundError as exc:
            raise CacheFileMissing(f"{path} named in the manifest is missing") from exc
        except OSError as exc:
            raise CacheError(f"cannot read {path}: {exc.strerror}") from exc
        if hashlib.sha256(raw).hexdigest() != stored.sha256:
            raise CacheError(
                f"{path} is damaged (its checksum does not match the manifest); "
                "run `python -m indicators refresh --force` to fetch it again"
            )
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise CacheError(f"{path} is not valid JSON ({exc})") from exc

    # writing (hold the lock) ------------------------------------------------------------------

    def write_response(
        self,
        table_id: str,
        updated: datetime,
        doc: dict[str, Any],
        selection: dict[str, dict[str, Any]],
        serves: tuple[str, ...] = (),
    ) -> StoredResponse:
        """Store one response durably; it is not part of the cache until a manifest names it."""
        raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        digest = hashlib.sha256(raw).hexdigest()
        stamp = updated.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        # Content-addressed: a refetch of identical data reuses the name, different data never
        # overwrites a file an older manifest (still being read) names.
        relative = f"{RESPONSES_DIR}/{table_id}/{stamp}-{digest[:16]}.json"
        try:
            atomic_write(self.root / relative, raw)
        except OSError as exc:
            raise CacheError(f"cannot write {self.root / relative}: {exc.strerror}") from exc
        return StoredResponse(file=relative, sha256=digest, size=len(raw), selection=selection, serves=serves)

    def write_manifest(self, manifest: Manifest) -> None:
        """Replace the manifest atomically: readers see the old one or the new one, never a mix."""
        missing = [f for f in sorted(manifest.files()) if not (self.root / f).is_file()]
        if missing:
            # A manifest must never name a file that is not on disk: that is what keeps the cache
            # loadable after a crash.
            raise CacheError(f"refusing to write a manifest naming missing files: {', '.join(missing)}")
        raw = json.dumps(manifest.to_json(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        try:
            atomic_write(self.manifest_path, raw)
        except OSError as exc:
            raise CacheError(f"cannot write {self.manifest_path}: {exc.strerror}") from exc

    def collect_garbage(self, manifest: Manifest | None) -> list[Path]:
        """Remove response files the manifest does not name and leftover temporary files."""
        keep = manifest.files() if manifest else set()
        removed: list[Path] = []
        folder = self.root / RESPONSES_DIR
        candidates = list(folder.rglob("*")) if folder.is_dir() else []
        candidates += [p for p in self.root.glob(f"{TEMP_PREFIX}*")] if self.root.is_dir() else []
        # The stored metadata (indicators/store/metadata.py) is named by no manifest: only its
        # temporary files, left by a killed refresh, go.
        candidates += list(self.root.glob(f"metadata/{TEMP_PREFIX}*")) if self.root.is_dir() else []
        for path in candidates:
            if not path.is_file():
                continue
            relative = path.relative_to(self.root).as_posix()
            if relative in keep:
                continue
            path.unlink(missing_ok=True)
            removed.append(path)
        for sub in sorted(folder.glob("*"), reverse=True) if folder.is_dir() else []:
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()
        return removed

    def broken_files(self, manifest: Manifest) -> dict[str, str]:
        """Files the manifest names that are missing or damaged (relative path -> why).

        A refresh drops the releases that name them, so that the next fetch heals the table
        instead of every later manifest being refused.
        """
        broken: dict[str, str] = {}
        for entry in manifest.tables.values():
            for release in entry.releases:
                for stored in release.responses:
                    if stored.file in broken:
                        continue
                    try:
                        self.read_response(stored)
                    except CacheError as exc:
                        broken[stored.file] = str(exc)
        return broken

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the refresh lock, or raise :class:`CacheLocked` naming the holder.

        The lock file also says what the latest holder did (:meth:`note`, :func:`read_lock_note`):
        who holds it while a refresh runs, and afterwards whether its results were saved. It is
        overwritten in place at a fixed size, so that recording it needs no new disk space.
        """
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        # Our own descriptor, never truncated (filelock's FileLock would empty the holder's
        # note on every attempt); O_BINARY keeps Windows from turning "\n" into "\r\n".
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            try:
                acquired = lock_descriptor(fd, blocking=False)
            except OSError as exc:
                raise CacheError(f"cannot lock {self.lock_path}: {exc.strerror or exc}") from exc
            if not acquired:
                # On Windows the holder's lock covers the note's first byte: then it is unread.
                note = _parse_note(_read_start(fd, LOCK_NOTE_BYTES))
                holder = (
                    f"pid {note.get('pid')}, started {note.get('started')}" if note else "another process"
                )
                raise CacheLocked(
                    f"another refresh is already running ({holder}); wait for it to finish, "
                    f"it holds the lock {self.lock_path}"
                ) from None
            self._fd = fd
            self.note({"pid": os.getpid(), "started": utc_iso(datetime.now(UTC)), "running": True})
            try:
                yield
            finally:
                self._fd = None
                unlock_descriptor(fd)
        finally:
            os.close(fd)

    _fd: int | None = None

    def note(self, state: dict[str, Any]) -> None:
        """Record the holder's state in the lock file (hold the lock); never raises on a full disk."""
        if self._fd is None:
            return
        raw = json.dumps(state, ensure_ascii=False).encode("utf-8")
        if len(raw) > LOCK_NOTE_BYTES - 1:
            state = {**state, "problem": str(state.get("problem", ""))[:300] + "…"}
            raw = json.dumps(state, ensure_ascii=True).encode("utf-8")[: LOCK_NOTE_BYTES - 1]
        # The note is for monitoring; the refresh's own outcome is reported anyway.
        with contextlib.suppress(OSError):
            _write_start(self._fd, raw.ljust(LOCK_NOTE_BYTES - 1) + b"\n")


LOCK_NOTE_BYTES = 1024


def _read_start(fd: int, size: int) -> bytes:
    """The first ``size`` bytes of an open file (b"" when they cannot be read): ``pread`` where
    the system has it, else seek and read (Windows has no ``pread``)."""
    try:
        if hasattr(os, "pread"):
            return os.pread(fd, size, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, size)
    except OSError:
        return b""


def _write_start(fd: int, data: bytes) -> None:
    """Overwrite the start of an open file in place (``pwrite``, or seek and write)."""
    if hasattr(os, "pwrite"):
        os.pwrite(fd, data, 0)
        return
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


def read_lock_note(lock_path: Path) -> dict[str, Any]:
    """What the latest refresh recorded in the lock file (empty when nothing readable is there)."""
    try:
        with Path(lock_path).open("rb") as handle:
            return _parse_note(handle.read(LOCK_NOTE_BYTES))
    except OSError:
        return {}


def _parse_note(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8", "replace").strip() or "{}")
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: temporary file, flush, fsync, rename, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(0o644)
        temp.replace(path)
    except BaseException:
        # Also on KeyboardInterrupt: never leave a half-written temporary file behind.
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


# Windows cannot open a folder as a file (os.open raises); its renames are journaled by NTFS.
DIR_FSYNC = os.name != "nt"


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; without it a power cut could forget the new name.
    if not DIR_FSYNC:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
