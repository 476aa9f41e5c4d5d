"""The tests' reference reader: a JSON-stat2 dataset as a tidy pandas frame, reshaped by pyjstat.

Independent of :func:`indicators.ssb.jsonstat.read_cube` (which production uses) except for the
document checks they share, so comparing the two checks the fast reader's reshaping. pyjstat
2.4.0 drops ``status``, fails on metadata responses and on one-category dimensions without
``index``, and warns on every call: this wrapper hands it a normalized copy and adds labels and
status itself.
"""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

import pandas as pd

from indicators.errors import BadResponse
from indicators.ssb.jsonstat import _name, _statuses, _values, dimension_codes, dimension_labels

# pyjstat builds its frame one row at a time (about 10 s for SSB's limit of 800 000 cells);
# above this many cells the codes come from pandas' cartesian product instead. Both give the
# same frame (tests/indicators/ssb/test_jsonstat.py checks it).
PYJSTAT_MAX_CELLS = 20_000


def read_dataset(doc: dict[str, Any]) -> pd.DataFrame:
    """A tidy frame: per dimension D the columns D (code) and D_label, then ``value`` and ``status``.

    Rows follow JSON-stat's order (the last dimension varies fastest; categories in
    ``category.index`` order). ``value`` is float64 with NaN where SSB has no number;
    ``status`` holds SSB's symbol for the cell (``.``, ``..``, ``:``) or None. A metadata
    response (``value`` empty or null) gives an empty frame with the same columns.
    """
    dims = dimension_codes(doc)
    columns = [c for dim in dims for c in (dim, f"{dim}_label")] + ["value", "status"]
    values = _values(doc, math.prod(len(codes) for codes in dims.values()))
    if values is None:
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
        frame["value"] = pd.Series(dtype="float64")
        frame["status"] = pd.Series(dtype="object")
        return frame
    frame = (
        _pyjstat_frame(doc, dims, values)
        if len(values) <= PYJSTAT_MAX_CELLS
        else _product_frame(dims, values)
    )
    labels = dimension_labels(doc)
    out = pd.DataFrame(index=frame.index)
    for dim in dims:
        codes = frame[dim].astype("str")
        out[dim] = codes
        out[f"{dim}_label"] = codes.map(labels[dim]).astype("str")
    out["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    out["status"] = pd.Series(_statuses(doc, len(values)), index=frame.index, dtype="object")
    return out.reset_index(drop=True)


def _product_frame(dims: dict[str, list[str]], values: list) -> pd.DataFrame:
    """Codes of every cell in JSON-stat order (last dimension fastest), and the values."""
    index = pd.MultiIndex.from_product(list(dims.values()), names=list(dims))
    frame = index.to_frame(index=False)
    frame["value"] = pd.array([math.nan if v is None else v for v in values], dtype="float64")
    return frame


def _pyjstat_frame(doc: dict[str, Any], dims: dict[str, list[str]], values: list) -> pd.DataFrame:
    """pyjstat's frame of codes and values, from a normalized copy it can read."""
    # Imported here: pyjstat pulls in requests, and loading the cache (status, the web app)
    # reads responses through numpy (read_cube), not this path.
    from pyjstat import pyjstat

    normalized = {
        "version": "2.0",
        "class": "dataset",
        "id": list(dims),
        "size": [len(codes) for codes in dims.values()],
        "dimension": {
            dim: {
                "label": str(doc["dimension"][dim].get("label", dim)),
                "category": {"index": {code: i for i, code in enumerate(codes)}},
            }
            for dim, codes in dims.items()
        },
        "value": values,
    }
    with warnings.catch_warnings():
        # pyjstat warns (DeprecationWarning, FutureWarning) on every call; nothing for users to act on.
        warnings.simplefilter("ignore")
        frame = pyjstat.Dataset.read(json.dumps(normalized)).write("dataframe", naming="id")
    if len(frame) != len(values) or list(frame.columns) != [*dims, "value"]:
        raise BadResponse(
            f"{_name(doc)}: could not be reshaped (got {len(frame)} rows for {len(values)} values)"
        )
    return frame
