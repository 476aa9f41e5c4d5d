"""The derived layer: what a refresh worked out, kept so that readers need not work it out again.

Two files in ``<cache root>/derived/`` (the root is ``data_cache/real``), written by ``refresh``
under the cache's lock, each by temporary file and rename, and never by readers:

``series.json``
    every indicator's computed series, each under a **key**: the SHA-256 of everything the
    series depends on — the definition's validated content, the plan's region and the
    indicator's peers, the cached responses of its tables (checksums, selections, which series
    they serve) and the bytes of its csv files. :func:`indicators.store.snapshot.load_snapshot` uses
    a stored series only when the key it works out from the current definition and manifest is
    the same; otherwise it computes the series. A changed definition, csv file or response is
    therefore never served stale. The file also records a fingerprint of the computing code
    (:func:`code_fingerprint`): after an upgrade the whole file is ignored until the next refresh.
``definitions.json``
    the parsed TOML of each definition file and of ``goals.toml``, keyed by the SHA-256 of the
    file's bytes, for :func:`indicators.store.snapshot.load_snapshot`. The catalogue still validates
    every document on every load (so each problem is reported with its path and field); the memo
    only skips parsing unchanged TOML, and a file whose bytes changed is parsed again, so a
    syntax error always shows. ``validate`` does not use it.

A missing, unreadable or damaged file, or one of another format version, counts as empty: the
reader computes everything, as it would without the layer. Nothing here is needed for
correctness, only for speed (``status`` and a dashboard worker's start with 1 000 indicators).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indicators import sources
from indicators.errors import CacheError, CacheFileMissing, IndicatorError
from indicators.plan.catalog import Catalog
from indicators.plan.model import Definition
from indicators.series.arrays import SeriesArrays
from indicators.series.breakdown import BreakdownSeries, compute_breakdowns
from indicators.series.compute import compute_series
from indicators.sources.ssb import TableResponse
from indicators.store.cache import TEMP_PREFIX, Cache, Manifest, Release, atomic_write

DERIVED_DIR = "derived"
SERIES_FILE = "series.json"
DEFINITIONS_FILE = "definitions.json"
# Bump when the files' layout changes; a file of another format is ignored.
FORMAT = 1
# The modules whose code decides what a series is: a change to any of them invalidates the layer.
_COMPUTING_MODULES = (
    "series/compute.py",
    "series/arrays.py",
    "ssb/jsonstat.py",
    "ssb/shape.py",
    "sources/__init__.py",
    "sources/ssb.py",
    "sources/csv_file.py",
    "plan/formula.py",
    "ssb/query.py",
    "plan/model.py",
    "store/derived.py",
)
_HERE = Path(__file__).resolve().parents[1]  # the indicators package


@dataclass(frozen=True)
class StoredSeries:
    """One indicator's series as the derived layer holds it."""

    key: str
    series: SeriesArrays


def derived_dir(cache_root: Path) -> Path:
    return cache_root / DERIVED_DIR


def code_fingerprint() -> str:
    """SHA-256 over the source of the modules that compute series (and Python's major version)."""
    digest = hashlib.sha256(f"{FORMAT}|{_python()}".encode())
    for name in _COMPUTING_MODULES:
        # Read, not imported: a load served from this layer must not pay for importing them.
        digest.update((_HERE / name).read_bytes())
    return digest.hexdigest()


# --- keys -----------------------------------------------------------------------------------------


def table_key(release: Release) -> str:
    """The digest of one table's release: its responses' checksums, selections and series served."""
    responses = [stored.to_json() for stored in release.responses]
    return hashlib.sha256(json.dumps(responses, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def series_key(definition: Definition, catalog: Catalog, table_keys: Mapping[str, str]) -> str | None:
    """The key of an indicator's series, or None when an input is missing (then it is computed).

    ``table_keys`` maps each SSB table to :func:`table_key` of the release the series is read
    from; inputs outside the cache (a csv file's bytes) come from each series' source.
    """
    tables = []
    for table in sources.tables(definition):
        if table not in table_keys:
            return None
        tables.append(table_keys[table])
    other = sources.input_digests(definition, catalog)
    if other is None:
        return None  # computing reports the unreadable input
    home = [catalog.plan.region, catalog.plan.region_name]
    digest = hashlib.sha256(definition.model_dump_json().encode())
    digest.update(
        json.dumps([home, catalog.peers_for(definition), tables, other], ensure_ascii=False).encode()
    )
    return digest.hexdigest()


# --- computing, for readers and for refresh ------------------------------------------------------


class SeriesComputer:
    """Each indicator's series: from the derived layer when its key matches, else computed.

    Responses are read (and checked against their checksums) only for the tables of indicators
    that are computed, each file once even when several tables share it.
    """

    def __init__(
        self,
        catalog: Catalog,
        cache: Cache,
        chosen: dict[str, Release],
        stored: dict[str, StoredSeries],
        *,
        want_keys: bool,
        caches: Mapping[str, Cache] | None = None,
        missing_is_damage: bool = False,
    ) -> None:
        self.catalog, self.cache, self.chosen, self.stored = catalog, cache, chosen, stored
        self.want_keys = want_keys  # to look series up in the derived layer, or to write it
        self.caches = caches or {}  # table -> the cache its release is in, when not ``cache``
        # False: a missing file means a refresh replaced the manifest (the reader reads it again);
        # True: the file is simply gone, which affects only the indicators of its table.
        self.missing_is_damage = missing_is_damage
        self.unreadable: dict[str, str] = {}  # table -> why its responses cannot be read
        self.keys: dict[str, str] = {}  # indicator -> key of its computed series (to write the layer)
        self.hits = 0
        self._docs: dict[str, dict[str, Any]] = {}  # cache root -> file -> document
        self._responses: dict[str, list[TableResponse]] = {}
        self._table_keys: dict[str, str] = {}
        self._intact: dict[str, bool] = {}

    def series(self, definition: Definition) -> SeriesArrays:
        """The indicator's series; raises IndicatorError when it cannot be computed."""
        key = self._key(definition) if self.want_keys else None
        hit = self.stored.get(definition.id)
        if (
            key is not None
            and hit is not None
            and hit.key == key
            and all(map(self._on_disk, sources.tables(definition)))
        ):
            self.hits += 1
            return hit.series
        for table in sources.tables(definition):
            self._read(table)
        broken = [t for t in sources.tables(definition) if t in self.unreadable]
        if broken:
            raise CacheError(self.unreadable[broken[0]])
        result = compute_series(definition, self.catalog, self._responses)
        if key is not None:
            self.keys[definition.id] = key
        return result

    def breakdowns(self, definition: Definition) -> tuple[list[BreakdownSeries], dict[str, str]]:
        """The indicator's breakdowns (never stored in the layer: few indicators have them), and
        per variable why one could not be computed."""
        for table in sources.tables(definition):
            self._read(table)
        broken = [t for t in sources.tables(definition) if t in self.unreadable]
        if broken:
            return [], {b.variable: self.unreadable[broken[0]] for b in definition.breakdowns}
        return compute_breakdowns(definition, self.catalog, self._responses)

    def _key(self, definition: Definition) -> str | None:
        catalog = self.catalog
        for table in sources.tables(definition):
            if table not in self._table_keys and table in self.chosen:
                self._table_keys[table] = table_key(self.chosen[table])
        return series_key(definition, catalog, self._table_keys)

    def _on_disk(self, table: str) -> bool:
        """Whether the table's responses are still on disk at their size (a stat, not a read).

        A response damaged or removed since the refresh sends the indicator down the computing
        path, which reports the damage (or reads the new manifest) as it would without the layer.
        """
        if table not in self._intact:
            try:
                root = self.caches.get(table, self.cache).root
                self._intact[table] = all(
                    (root / s.file).stat().st_size == s.size for s in self.chosen[table].responses
                )
            except OSError:
                self._intact[table] = False
        return self._intact[table]

    def _read(self, table: str) -> None:
        if table in self._responses or table in self.unreadable or table not in self.chosen:
            return
        cache = self.caches.get(table, self.cache)
        docs = self._docs.setdefault(str(cache.root), {})
        try:
            for stored in self.chosen[table].responses:
                if stored.file not in docs:
                    docs[stored.file] = cache.read_response(stored)
        except CacheFileMissing as exc:
            if not self.missing_is_damage:
                raise  # a refresh removed it after we read the manifest: load_snapshot reads again
            self.unreadable[table] = f"{exc}; the next `python -m indicators refresh` fetches it again"
            return
        except CacheError as exc:
            self.unreadable[table] = str(exc)
            return
        self._responses[table] = [
            TableResponse(s.selection, s.serves, docs[s.file]) for s in self.chosen[table].responses
        ]


def write_derived(catalog: Catalog, cache: Cache, manifest: Manifest) -> int:
    """Compute every indicator's series from ``manifest`` into ``cache``'s derived layer.

    For ``refresh``, holding the cache's lock, just before it writes ``manifest`` (the files it
    names are on disk already, and the keys depend only on their checksums). Also remembers the
    parsed definition files. Returns how many series were stored.
    """
    return _write_derived(
        catalog, cache, {t: e.releases[0] for t, e in manifest.tables.items() if e.releases}
    )


def _write_derived(catalog: Catalog, cache: Cache, chosen: dict[str, Release]) -> int:
    computed = SeriesComputer(catalog, cache, chosen, stored={}, want_keys=True)
    keep: dict[str, StoredSeries] = {}
    for indicator_id, definition in catalog.indicators.items():
        try:
            result = computed.series(definition)
        except IndicatorError:
            continue  # not stored: every load computes it and reports the problem
        key = computed.keys.get(indicator_id)
        if key is not None:
            keep[indicator_id] = StoredSeries(key, result)
    write_series(cache.root, keep)
    files = [*([catalog.goals_file] if catalog.goals_file else []), *catalog.sources.values()]
    write_toml_memo(cache.root, files)
    return len(keep)


# --- series.json ----------------------------------------------------------------------------------
# One set of columns for all indicators, each indicator a range of rows; numbers as base64 of
# their little-endian bytes (parsing a million digits of JSON costs more than the rest of a load).


def read_series(cache_root: Path) -> dict[str, StoredSeries]:
    """The stored series (indicator id -> key and series); empty when there is no usable file."""
    doc = _read_json(derived_dir(cache_root) / SERIES_FILE)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("code") != code_fingerprint():
        return {}
    try:
        return _unpack(doc)
    except (KeyError, TypeError, ValueError, IndexError, binascii.Error):
        return {}  # damaged: every series is computed


def _unpack(doc: dict[str, Any]) -> dict[str, StoredSeries]:
    pairs = doc["regions"]
    codes = np.array([str(code) for code, _ in pairs], dtype=object)
    names = np.array([str(name) for _, name in pairs], dtype=object)
    region = _column(doc["region"], "<i4")
    year = _column(doc["year"], "<i4").astype("int64")
    value = _column(doc["value"], "<f8").copy()  # writable, like a computed series
    rows = len(region)
    if (
        len(year) != rows
        or len(value) != rows
        or (rows and not 0 <= region.min() <= region.max() < len(codes))
    ):
        raise ValueError("columns of different lengths, or unknown regions")
    status = np.full(rows, None, dtype=object)
    for symbol, where in doc["status"].items():
        at = np.asarray(where, dtype="int64")
        if len(at) and not 0 <= at.min() <= at.max() < rows:
            raise ValueError(f"status rows of {symbol!r} are outside the columns")
        status[at] = str(symbol)
    stored = {}
    for indicator_id, (key, first, last) in doc["indicators"].items():
        if not 0 <= first <= last <= rows:
            raise ValueError(f"rows {first}-{last} of {indicator_id} are outside the columns")
        at = region[first:last]
        stored[indicator_id] = StoredSeries(
            str(key),
            SeriesArrays(codes[at], names[at], year[first:last], value[first:last], status[first:last]),
        )
    return stored


def _column(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text, validate=True), dtype=dtype)


def write_series(cache_root: Path, stored: Mapping[str, StoredSeries]) -> None:
    """Replace ``series.json`` (hold the cache's lock): readers see the old file or the new one."""
    pairs: dict[tuple[str, str], int] = {}
    region, year, value = [], [], []
    status: dict[str, list[int]] = {}
    indicators = {}
    row = 0
    for indicator_id, item in sorted(stored.items()):
        series = item.series
        n = len(series.value)
        for code, name in zip(series.region.tolist(), series.region_name.tolist(), strict=True):
            region.append(pairs.setdefault((str(code), str(name)), len(pairs)))
        year.append(series.year)
        value.append(series.value)
        for i, symbol in enumerate(series.status.tolist()):
            if symbol is not None:
                status.setdefault(str(symbol), []).append(row + i)
        indicators[indicator_id] = [item.key, row, row + n]
        row += n
    doc = {
        "format": FORMAT,
        "code": code_fingerprint(),
        "regions": [list(pair) for pair in pairs],
        "indicators": indicators,
        "region": _encode(np.asarray(region, dtype="<i4")),
        "year": _encode(np.concatenate(year or [np.zeros(0)]).astype("<i4")),
        "value": _encode(np.concatenate(value or [np.zeros(0)]).astype("<f8")),
        "status": status,
    }
    _write_json(derived_dir(cache_root) / SERIES_FILE, doc)


def _encode(column: np.ndarray) -> str:
    return base64.b64encode(column.tobytes()).decode("ascii")


# --- definitions.json -----------------------------------------------------------------------------


def read_toml_memo(cache_root: Path) -> dict[str, dict[str, Any]]:
    """SHA-256 of a TOML file's bytes -> its parsed document; empty when there is no usable file."""
    doc = _read_json(derived_dir(cache_root) / DEFINITIONS_FILE)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("python") != _python():
        return {}
    documents = doc.get("documents")
    return documents if isinstance(documents, dict) else {}


def write_toml_memo(cache_root: Path, files: Iterable[Path]) -> None:
    """Parse ``files`` and replace ``definitions.json`` with their documents (hold the lock).

    Files that do not parse, and documents JSON cannot carry exactly (TOML dates), are left out:
    the catalogue parses those itself each time.
    """
    documents: dict[str, dict[str, Any]] = {}
    for path in files:
        try:
            raw = path.read_bytes()
            parsed = tomllib.loads(raw.decode("utf-8"))
            text = json.dumps(parsed, ensure_ascii=False, allow_nan=False)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, TypeError, ValueError):
            continue
        if json.loads(text) == parsed:
            documents[hashlib.sha256(raw).hexdigest()] = parsed
    _write_json(
        derived_dir(cache_root) / DEFINITIONS_FILE,
        {"format": FORMAT, "python": _python(), "documents": documents},
    )


def _python() -> str:
    # tomllib ships with Python: another version might parse differently.
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


# --- files ----------------------------------------------------------------------------------------


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # missing or damaged: the reader computes instead


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    # Leftovers of a writer that was killed (writers hold the lock, so none is in progress).
    for leftover in path.parent.glob(f"{TEMP_PREFIX}*") if path.parent.is_dir() else []:
        leftover.unlink(missing_ok=True)
    try:
        atomic_write(path, raw)
    except OSError as exc:
        raise CacheError(f"cannot write {path}: {exc.strerror}") from exc
