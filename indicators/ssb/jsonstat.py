"""Read SSB's JSON-stat2 datasets: checked, into arrays (:class:`Cube`), with SSB's status symbols.

Every document is checked before use (ids, sizes, ``category.index`` as a list or an object,
values, ``status`` as an object, list or string), so a malformed answer is a
:class:`~indicators.errors.BadResponse` with what is wrong, never a wrong number. Values become
a numpy array in the dataset's shape; ``status`` keeps SSB's symbols per cell (``..`` is never 0).

pyjstat 2.4.0 drops ``status``, fails on metadata responses and warns on every call; it serves
as the tests' independent reference reader (tests/indicators/ssb/jsonstat_reference.py), which
must give the same cells as :func:`read_cube`.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from indicators.errors import BadResponse

ROLES = ("time", "geo", "metric")

# What json.loads gives for numbers and null; checking the set of types is much faster than each value.
_JSON_NUMBER_TYPES = {int, float, type(None)}


@dataclass(frozen=True)
class Cube:
    """A dataset as arrays, for cutting and summing many series out of one response quickly.

    ``values`` has the dataset's shape (one axis per dimension, in ``id`` order) with NaN where
    SSB has no number; ``status`` is SSB's symbol per cell in JSON-stat's cell order (the flat
    index of ``values``). A metadata response has no cells: ``values`` is None.
    """

    codes: dict[str, list[str]]
    labels: dict[str, dict[str, str]]
    values: np.ndarray | None
    status: list[str | None]


def read_cube(doc: dict[str, Any]) -> Cube:
    """The dataset as a :class:`Cube`; raises BadResponse for a malformed document."""
    dims = dimension_codes(doc)
    shape = [len(codes) for codes in dims.values()]
    cells = math.prod(shape)
    labels = {}
    for dim, dim_codes in dims.items():
        given = doc["dimension"][dim].get("category", {}).get("label") or {}
        labels[dim] = {code: str(given.get(code, code)) for code in dim_codes}
    values = _values(doc, cells)
    if values is None:
        return Cube(codes=dims, labels=labels, values=None, status=[])
    # numpy reads None as NaN when asked for floats; _values has already refused anything else.
    array = np.array(values, dtype="float64").reshape(shape)
    return Cube(codes=dims, labels=labels, values=array, status=_statuses(doc, cells))


def dimension_roles(doc: dict[str, Any]) -> dict[str, str | None]:
    """Each dimension id with its JSON-stat role: ``geo``, ``time``, ``metric`` or None."""
    dims = _ids(doc)
    role = doc.get("role") or {}
    if not isinstance(role, dict):
        raise BadResponse(f"{_name(doc)}: `role` must be an object, got {type(role).__name__}")
    result: dict[str, str | None] = dict.fromkeys(dims)
    for kind in ROLES:
        for dim in role.get(kind) or []:
            if dim in result:
                result[dim] = kind
    return result


def dimension_codes(doc: dict[str, Any]) -> dict[str, list[str]]:
    """Each dimension id with its category codes in ``category.index`` order; checks sizes."""
    ids = _ids(doc)
    sizes = doc.get("size")
    if not isinstance(sizes, list) or len(sizes) != len(ids) or not all(_is_int(s) for s in sizes):
        raise BadResponse(f"{_name(doc)}: `size` must list one integer per dimension in `id`, got {sizes!r}")
    dimension = doc.get("dimension")
    if not isinstance(dimension, dict):
        raise BadResponse(f"{_name(doc)}: `dimension` is missing or not an object")
    result = {}
    for dim, size in zip(ids, sizes, strict=True):
        codes = _category_codes(doc, dim, dimension.get(dim))
        if len(codes) != size:
            raise BadResponse(
                f"{_name(doc)}: dimension {dim} has {len(codes)} categories but `size` says {size}"
            )
        result[dim] = codes
    return result


def dimension_labels(doc: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Each dimension id with code → label (the code itself where SSB gives no label)."""
    codes = dimension_codes(doc)
    result = {}
    for dim, dim_codes in codes.items():
        given = doc["dimension"][dim].get("category", {}).get("label") or {}
        result[dim] = {code: str(given.get(code, code)) for code in dim_codes}
    return result


# --- helpers -----------------------------------------------------------------------------------


def _name(doc: dict[str, Any]) -> str:
    table = (doc.get("extension") or {}).get("px", {}).get("tableid") if isinstance(doc, dict) else None
    return f"JSON-stat dataset of table {table}" if table else "JSON-stat dataset"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _ids(doc: Any) -> list[str]:
    if not isinstance(doc, dict):
        raise BadResponse(f"expected a JSON-stat dataset (an object), got {type(doc).__name__}")
    if doc.get("class", "dataset") != "dataset":
        raise BadResponse(f"{_name(doc)}: expected class 'dataset', got {doc.get('class')!r}")
    ids = doc.get("id")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(set(ids)) != len(ids):
        raise BadResponse(f"{_name(doc)}: `id` must be a list of distinct dimension ids, got {ids!r}")
    clash = {"value", "status"} & set(ids) | {i for i in ids if i.endswith("_label") and i[:-6] in ids}
    if clash:
        raise BadResponse(f"{_name(doc)}: dimension ids {sorted(clash)} clash with the frame's columns")
    return ids


def _category_codes(doc: dict[str, Any], dim: str, body: Any) -> list[str]:
    if not isinstance(body, dict) or not isinstance(body.get("category"), dict):
        raise BadResponse(f"{_name(doc)}: dimension {dim} has no `category` object")
    category = body["category"]
    index = category.get("index")
    if index is None:
        # JSON-stat allows leaving out the index of a dimension with one category.
        labels = category.get("label") or {}
        if len(labels) != 1:
            raise BadResponse(f"{_name(doc)}: dimension {dim} has no `category.index`")
        return [str(next(iter(labels)))]
    if isinstance(index, list):
        return [str(code) for code in index]
    if isinstance(index, dict):
        positions = sorted(index.items(), key=lambda item: item[1])
        if [p for _, p in positions] != list(range(len(positions))):
            raise BadResponse(f"{_name(doc)}: dimension {dim} has a `category.index` that is not 0..n-1")
        return [str(code) for code, _ in positions]
    raise BadResponse(f"{_name(doc)}: dimension {dim}: `category.index` must be a list or an object")


def _values(doc: dict[str, Any], cells: int) -> list[float | None] | None:
    """The values as a dense list; None for a metadata response. Checks the count."""
    value = doc.get("value")
    if value is None or (isinstance(value, list | dict) and len(value) == 0):
        return None
    if isinstance(value, dict):  # sparse form: {"index": value}
        dense: list[float | None] = [None] * cells
        for key, item in value.items():
            if not str(key).isdigit() or int(key) >= cells:
                raise BadResponse(f"{_name(doc)}: value index {key!r} outside 0..{cells - 1}")
            dense[int(key)] = item
        value = dense
    if not isinstance(value, list):
        raise BadResponse(f"{_name(doc)}: `value` must be a list, got {type(value).__name__}")
    if len(value) != cells:
        raise BadResponse(
            f"{_name(doc)}: the sizes {doc.get('size')} multiply to {cells} cells but there are "
            f"{len(value)} values; the response is damaged or truncated"
        )
    if not set(map(type, value)) <= _JSON_NUMBER_TYPES:
        # Rare (JSON gives exactly these types): look at each value, allowing subclasses of numbers.
        bad = next(
            (v for v in value if v is not None and (isinstance(v, bool) or not isinstance(v, int | float))),
            None,
        )
        if bad is not None:
            raise BadResponse(f"{_name(doc)}: values must be numbers or null, found {bad!r}")
    return value


def _statuses(doc: dict[str, Any], cells: int) -> list[str | None]:
    status = doc.get("status")
    if status is None:
        return [None] * cells
    if isinstance(status, str):
        return [status] * cells
    if isinstance(status, list):
        if len(status) not in (1, cells):
            raise BadResponse(f"{_name(doc)}: `status` lists {len(status)} symbols for {cells} cells")
        return [s or None for s in status] * (cells if len(status) == 1 else 1)
    if isinstance(status, dict):
        result: list[str | None] = [None] * cells
        for key, symbol in status.items():
            if not str(key).isdigit() or int(key) >= cells:
                raise BadResponse(f"{_name(doc)}: status index {key!r} outside 0..{cells - 1}")
            result[int(key)] = str(symbol)
        return result
    raise BadResponse(f"{_name(doc)}: `status` must be an object, list or string")


# --- merging the parts of a split query ----------------------------------------------------------


def merge_datasets(parts: list[dict[str, Any]], var: str) -> dict[str, Any]:
    """One JSON-stat2 dataset from parts that differ only in the categories of ``var``.

    Categories of ``var`` follow the parts' order (the parts are consecutive slices of the
    variable, so the table's order is kept); values and status symbols move with their cells.
    """
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    ids = first["id"]
    if var not in ids:
        raise BadResponse(f"cannot merge the split parts: dimension {var} is missing from the answer")
    axis = ids.index(var)
    part_codes = [dimension_codes(p) for p in parts]
    for codes, part in zip(part_codes[1:], parts[1:], strict=True):
        same = part["id"] == ids and all(codes[d] == part_codes[0][d] for d in ids if d != var)
        if not same:
            raise BadResponse(
                f"cannot merge the split parts of table {_table(first)}: their dimensions differ"
            )
    merged_codes = [c for codes in part_codes for c in codes[var]]
    if len(set(merged_codes)) != len(merged_codes):
        raise BadResponse(f"cannot merge the split parts of table {_table(first)}: {var} repeats categories")
    value_blocks, status_blocks = [], []
    for codes, part in zip(part_codes, parts, strict=True):
        shape = [len(codes[d]) for d in ids]
        cells = math.prod(shape)
        values = part.get("value") or []
        if len(values) != cells:
            raise BadResponse(
                f"a split part of table {_table(first)} has {len(values)} values for {cells} cells"
            )
        value_blocks.append(np.array(values, dtype=object).reshape(shape))
        status_blocks.append(np.array(_status_list(part, cells), dtype=object).reshape(shape))
    values = np.concatenate(value_blocks, axis=axis).ravel().tolist()
    statuses = np.concatenate(status_blocks, axis=axis).ravel().tolist()

    merged = copy.deepcopy({k: v for k, v in first.items() if k not in ("value", "status")})
    category = merged["dimension"][var]["category"]
    category["index"] = {code: i for i, code in enumerate(merged_codes)}
    for key in ("label", "unit", "note"):
        combined: dict[str, Any] = {}
        for part in parts:
            combined.update(part["dimension"][var].get("category", {}).get(key) or {})
        if combined:
            category[key] = combined
    merged["size"] = [len(merged_codes) if d == var else len(part_codes[0][d]) for d in ids]
    merged["value"] = values
    status = {str(i): s for i, s in enumerate(statuses) if s is not None}
    if status:
        merged["status"] = status
    return merged


def _status_list(doc: dict[str, Any], cells: int) -> list[str | None]:
    status = doc.get("status")
    if isinstance(status, dict):
        result: list[str | None] = [None] * cells
        for key, symbol in status.items():
            result[int(key)] = symbol
        return result
    if isinstance(status, list):
        return list(status) if len(status) == cells else list(status) * cells
    if isinstance(status, str):
        return [status] * cells
    return [None] * cells


def _table(doc: dict[str, Any]) -> str:
    return str((doc.get("extension") or {}).get("px", {}).get("tableid", "?"))
