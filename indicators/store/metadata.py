"""A table's metadata kept between refreshes, and the check that a data answer still fits it.

A table that changed at SSB (a new release) usually has new figures, not a new structure. The
refresh then asks for the data with the metadata it stored last time (``metadata/<table>.json``
in the cache) and saves SSB one call per table; every data answer is checked against that
metadata (:func:`structure_change`) before it is used: the same variables in the same order,
every one the metadata cannot leave out present, roles unchanged, no code the metadata does not
list, yearly periods. An answer that does not fit means the structure changed: the refresh then
asks for the metadata and the data again, as on a first fetch.

The stored file is an optimisation only, never a source of figures: readers never open it, a
missing or damaged one is a call to SSB, not an error, and no manifest names it (so a refresh
killed after writing it leaves nothing inconsistent: the next data answer is checked anyway).
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from indicators.errors import BadResponse, IndicatorError
from indicators.ssb.client import Selection, TableMetadata
from indicators.ssb.jsonstat import dimension_codes, dimension_roles
from indicators.ssb.query import parse_table_metadata
from indicators.store.cache import atomic_write

METADATA_DIR = "metadata"
# A stored file larger than this is not read (SSB's largest metadata is a few MB).
MAX_METADATA_BYTES = 32 * 1024 * 1024
_TABLE_ID = re.compile(r"[0-9A-Za-z_-]{1,40}")
_ANNUAL = re.compile(r"[12][0-9]{3}(-[12][0-9]{3})?")


def metadata_path(root: Path, table_id: str) -> Path | None:
    """Where a table's metadata is kept in the cache at ``root``; None for an id unfit for a file name."""
    return root / METADATA_DIR / f"{table_id}.json" if _TABLE_ID.fullmatch(table_id) else None


def read_stored(root: Path, table_id: str) -> TableMetadata | None:
    """The table's metadata as stored by an earlier refresh, or None when there is none usable
    (missing, too large, not JSON, not this table's metadata): then SSB is asked."""
    path = metadata_path(root, table_id)
    if path is None:
        return None
    raw = _read_regular_file(path, MAX_METADATA_BYTES)
    if raw is None:
        return None
    try:
        doc = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(doc, dict) or _table_of(doc) not in (None, table_id):
        return None
    try:
        meta = parse_table_metadata(table_id, doc, str(path))
    except (IndicatorError, KeyError, TypeError, ValueError, AttributeError):
        return None
    return meta if meta.variables and meta.time_variable is not None else None


def _read_regular_file(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else None.

    Never follows a symlink and never waits: a link to /dev/zero or a FIFO in the cache folder
    would otherwise hang the refresh or fill its memory (the stat size of both is 0).
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as file:
            raw = file.read(limit + 1)
        return raw if len(raw) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def store(root: Path, meta: TableMetadata) -> None:
    """Keep ``meta`` (SSB's raw document) for the next refresh; a failure to write costs only a call."""
    path = metadata_path(root, meta.table_id)
    if path is None:
        return
    raw = json.dumps(meta.raw, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        atomic_write(path, raw)
    except OSError:
        # The figures are what matters; the next refresh simply asks for the metadata again.
        path.unlink(missing_ok=True)


def structure_change(meta: TableMetadata, doc: dict[str, Any], selection: Selection) -> str | None:
    """Why the data answer ``doc`` does not fit the table's stored metadata; None when it fits.

    Variables asked with a codelist answer in the codelist's codes, which the table's metadata does
    not list, so only their presence is checked; the time variable's codes must be years (a new
    year is the usual news, not a change of structure).
    """
    try:
        codes = dimension_codes(doc)
        roles = dimension_roles(doc)
    except BadResponse as exc:
        return f"the answer's dimensions cannot be read ({exc})"
    table = _table_of(doc)
    if table is not None and table != meta.table_id:
        return f"the answer is from table {table}"
    known = {v.code: v for v in meta.variables}
    unknown = [d for d in codes if d not in known]
    if unknown:
        return f"the answer has variable(s) {', '.join(unknown)} that the stored metadata does not have"
    order = [v.code for v in meta.variables]
    positions = [order.index(d) for d in codes]
    if positions != sorted(positions):
        return "the answer's variables come in another order than the stored metadata's"
    for var in meta.variables:
        if var.code not in codes and (var.code in selection or not var.elimination):
            return f"the answer lacks variable {var.code}"
    time = meta.time_variable
    for dim, dim_codes in codes.items():
        var = known[dim]
        if roles.get(dim) and var.role and roles[dim] != var.role:
            return f"variable {dim} has role {roles[dim]} in the answer, {var.role} in the stored metadata"
        if time is not None and dim == time.code:
            odd = [c for c in dim_codes if not _ANNUAL.fullmatch(c)]
            if odd:
                return f"the time variable {dim} has periods that are not years ({', '.join(odd[:3])})"
            continue
        asked = selection.get(dim)
        if asked is not None and asked.codelist:
            continue
        listed = set(var.codes)
        new = [c for c in dim_codes if c not in listed]
        if new:
            return f"variable {dim} has code(s) {', '.join(new[:5])} that the stored metadata does not list"
    if not isinstance(doc.get("updated"), str) or not doc["updated"]:
        return "the answer does not say when the table was updated"
    return None


def _table_of(doc: dict[str, Any]) -> str | None:
    """The table id a JSON-stat2 document names (``extension.px.tableid``), if any."""
    extension = doc.get("extension")
    px = extension.get("px") if isinstance(extension, dict) else None
    table = px.get("tableid") if isinstance(px, dict) else None
    return str(table) if table is not None else None
