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

from indicators.errors import CacheError
from indicators.plan.model import Definition
from indicators.series.arrays import SeriesArrays
from indicators.store.cache import TEMP_PREFIX, Release, atomic_write

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


def series_key(
    definition: Definition,
    home: tuple[str, str],
    peers: Iterable[str],
    table_keys: Mapping[str, str],
    csv_files: Mapping[str, Path],
) -> str | None:
    """The key of an indicator's series, or None when an input is missing (then it is computed).

    ``table_keys`` maps each SSB table to :func:`table_key` of the release the series is read
    from; ``csv_files`` maps each csv series name to its file.
    """
    tables = []
    for table in definition.tables:
        if table not in table_keys:
            return None
        tables.append(table_keys[table])
    csv = []
    for name, path in sorted(csv_files.items()):
        try:
            csv.append([name, hashlib.sha256(path.read_bytes()).hexdigest()])
        except OSError:
            return None  # computing reports the unreadable file
    digest = hashlib.sha256(definition.model_dump_json().encode())
    digest.update(json.dumps([list(home), list(peers), tables, csv], ensure_ascii=False).encode())
    return digest.hexdigest()


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
    region, year, value, status = [], [], [], {}
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
