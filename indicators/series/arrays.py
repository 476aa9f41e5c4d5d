"""Series as plain arrays: the status rules, the formula per region and year, the common span.

:mod:`indicators.series.compute` passes series between its steps as :class:`SeriesArrays` (one numpy
array per column) rather than as DataFrames: a snapshot computes hundreds of series, and building
a DataFrame costs more than the arithmetic. Only the finished indicator becomes a DataFrame
(:func:`to_frame`), with exactly :data:`COLUMNS` and their dtypes. pandas is imported only
then: ``status`` assesses the arrays themselves and never needs it (a third of its start-up).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from indicators.errors import FormulaError
from indicators.plan.formula import BinOp, Formula, Name, Negate, Node, Number

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("region", "region_name", "year", "value", "status")
# When several cells or operands are missing for different reasons, report the most telling one.
STATUS_PRECEDENCE = (":", "..", ".")
_STATUS_RANK = {symbol: i for i, symbol in enumerate(STATUS_PRECEDENCE)}
# Ranks of missing values after the known symbols: another symbol SSB sent, then none at all;
# NOT_MISSING marks a value that is there (or, for an operand, a row that is absent).
OTHER_SYMBOL = len(STATUS_PRECEDENCE)
NO_SYMBOL = OTHER_SYMBOL + 1
NOT_MISSING = NO_SYMBOL + 1
_NO_TEXT = np.zeros(0, dtype=object)
_NO_YEARS = np.zeros(0, dtype="int64")


def status_rank(symbol: object) -> int:
    """Where a missing value's symbol stands in :data:`STATUS_PRECEDENCE` (lower is more telling)."""
    rank = _STATUS_RANK.get(symbol) if isinstance(symbol, str) else None
    if rank is not None:
        return rank
    return OTHER_SYMBOL if isinstance(symbol, str) and symbol else NO_SYMBOL


def symbols_for(ranks: np.ndarray) -> np.ndarray:
    """An object array with the known symbol where ``ranks`` names one, else None."""
    out = np.full(ranks.shape, None, dtype=object)
    for rank, symbol in enumerate(STATUS_PRECEDENCE):
        out[ranks == rank] = symbol
    return out


def clean_status(status: np.ndarray) -> np.ndarray:
    """Status symbols as the interface has them: a non-empty string or None."""
    return np.array([s if isinstance(s, str) and s else None for s in status], dtype=object)


@dataclass(frozen=True)
class SeriesArrays:
    """One series: a row per region and year, sorted by region then year, as parallel arrays."""

    region: np.ndarray  # object (str)
    region_name: np.ndarray  # object (str)
    year: np.ndarray  # int64
    value: np.ndarray  # float64, NaN where missing
    status: np.ndarray  # object: SSB's symbol for a missing value, else None

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> SeriesArrays:
        """The arrays of a tidy frame (:data:`COLUMNS`), sorted by region then year."""
        frame = frame.sort_values(["region", "year"], kind="stable")
        return cls(
            region=frame["region"].to_numpy(dtype=object),
            region_name=frame["region_name"].to_numpy(dtype=object),
            year=frame["year"].to_numpy(dtype="int64"),
            value=frame["value"].to_numpy(dtype="float64"),
            status=clean_status(frame["status"].to_numpy(dtype=object)),
        )

    def ranks(self) -> np.ndarray:
        """Per row, :func:`status_rank` of a missing value, or NOT_MISSING when there is a value."""
        ranks = np.full(len(self.value), NOT_MISSING, dtype=np.int8)
        for i in np.flatnonzero(np.isnan(self.value)):
            ranks[i] = status_rank(self.status[i])
        return ranks


@cache
def _str_dtype() -> Any:
    """pandas' default string dtype ("str"), looked up once: resolving the name costs more than a column."""
    import pandas as pd

    return pd.Series([], dtype="str").dtype


def to_frame(series: SeriesArrays) -> pd.DataFrame:
    """The tidy DataFrame: exactly :data:`COLUMNS` with their dtypes (as :func:`compute.tidy` gives)."""
    import pandas as pd

    # Arrays of the final dtypes: about ten times faster than letting pandas convert each column.
    return pd.DataFrame(
        {
            "region": pd.array(series.region, dtype=_str_dtype()),
            "region_name": pd.array(series.region_name, dtype=_str_dtype()),
            "year": series.year.astype("int64", copy=False),
            "value": series.value.astype("float64", copy=False),
            # An object Series: in a plain array pandas would infer "str" and turn None into NaN.
            "status": pd.Series(series.status, dtype=object, copy=False),
        }
    )


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly :data:`COLUMNS`, their dtypes, sorted by region then year."""
    import pandas as pd

    out = frame.loc[:, list(COLUMNS)].sort_values(["region", "year"], kind="stable").reset_index(drop=True)
    out["region"] = out["region"].astype("str")
    out["region_name"] = out["region_name"].astype("str")
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    out["status"] = pd.Series(
        [s if isinstance(s, str) and s else None for s in out["status"]], index=out.index, dtype="object"
    )
    return out


def to_frames(series: Mapping[str, SeriesArrays]) -> dict[str, pd.DataFrame]:
    """Many tidy frames at once, equal to :func:`to_frame` of each, for a fraction of the cost.

    They are slices of one DataFrame built from all the arrays: building a DataFrame costs far
    more than slicing one. pandas' copy-on-write keeps the slices apart: changing one (or a
    frame derived from it) never changes another.
    """
    import pandas as pd

    ids = list(series)
    if not ids:
        return {}
    whole = to_frame(
        SeriesArrays(*(np.concatenate([getattr(series[i], column) for i in ids]) for column in COLUMNS))
    )
    ends = np.cumsum([len(series[i].value) for i in ids]).tolist()
    frames = {}
    for indicator_id, start, end in zip(ids, [0, *ends[:-1]], ends, strict=True):
        frame = whole.iloc[start:end]
        frame.index = pd.RangeIndex(end - start)
        frames[indicator_id] = frame
    return frames


def evaluate_arrays(
    formula: Formula, parts: Mapping[str, SeriesArrays], home: tuple[str, str]
) -> SeriesArrays:
    """Apply the formula per region and year, keeping missing values' status (DESIGN §4).

    Operands are aligned on the union of their (region, year) rows: a row an operand lacks is a
    missing operand. A missing result takes the most telling status of the operands missing
    there (none for a division by zero). Per region, only the years from the first to the last
    that every operand covers are kept.
    """
    operands = [(name, part) for name, part in parts.items() if name in formula.names]
    regions = np.unique(np.concatenate([part.region for _, part in operands] or [_NO_TEXT]))
    years = np.concatenate([part.year for _, part in operands] or [_NO_YEARS])
    first = int(years.min()) if len(years) else 0
    span = int(years.max()) - first + 1 if len(years) else 1
    # One integer key per row, ordered as region then year: union, align and sort in numpy.
    keys = [np.searchsorted(regions, part.region) * span + (part.year - first) for _, part in operands]
    union = np.unique(np.concatenate(keys or [_NO_YEARS]))
    values: dict[str, np.ndarray] = {}
    present = np.ones(len(union), dtype=bool)
    where: list[np.ndarray] = []
    for (name, part), key in zip(operands, keys, strict=True):
        at = np.searchsorted(union, key)
        aligned = np.full(len(union), np.nan)
        aligned[at] = part.value
        values[name] = aligned
        mask = np.zeros(len(union), dtype=bool)
        mask[at] = True
        present &= mask
        where.append(at)
    result = apply_formula(formula, values, len(union))
    status = np.full(len(union), None, dtype=object)
    gaps = np.isnan(result)
    if gaps.any():
        status = _gap_status(operands, where, len(union), gaps)
    region_at = union // span
    keep = _within_coverage(region_at, present)
    names = _region_names(parts.values(), home)
    region_names = np.array([names.get(r, r) for r in regions.tolist()], dtype=object)
    return SeriesArrays(
        region=regions[region_at[keep]],
        region_name=region_names[region_at[keep]],
        year=(union % span + first)[keep].astype("int64"),
        value=result[keep],
        status=status[keep],
    )


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def apply_formula(formula: Formula, values: Mapping[str, np.ndarray], rows: int) -> np.ndarray:
    """:meth:`Formula.evaluate` on aligned numpy arrays (same rules, without pandas' per-call cost).

    Missing operands and x/0 give NaN; a formula of constants fills every row.
    """
    missing = formula.names - set(values)
    if missing:
        raise FormulaError(f"no series named {', '.join(sorted(missing))}")
    result = np.asarray(_apply(formula.tree, values), dtype="float64")
    result = np.full(rows, float(result)) if result.ndim == 0 else result.copy()
    result[np.isinf(result)] = np.nan
    return result


def _apply(node: Node, values: Mapping[str, np.ndarray]) -> np.ndarray | float:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Name):
        return values[node.name]
    if isinstance(node, Negate):
        return -_apply(node.operand, values)
    assert isinstance(node, BinOp)
    left, right = _apply(node.left, values), _apply(node.right, values)
    if node.op == "/" and isinstance(right, float) and right == 0:
        return np.full_like(left, np.nan) if isinstance(left, np.ndarray) else math.nan
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _OPERATORS[node.op](left, right)


def _gap_status(
    operands: list[tuple[str, SeriesArrays]], where: list[np.ndarray], rows: int, gaps: np.ndarray
) -> np.ndarray:
    """Per row, the most telling status of the operands missing there (rows that have a value: None)."""
    ranks = np.full((len(operands), rows), NOT_MISSING, dtype=np.int8)
    for i, ((_, part), at) in enumerate(zip(operands, where, strict=True)):
        ranks[i, at] = part.ranks()
    best = ranks.min(axis=0) if len(operands) else np.full(rows, NOT_MISSING, dtype=np.int8)
    status = symbols_for(np.where(gaps, best, NOT_MISSING))
    for row in np.flatnonzero(gaps & (best == OTHER_SYMBOL)):
        # No known symbol: the first operand's own symbol, as SSB sent it.
        i = int(np.argmax(ranks[:, row] == OTHER_SYMBOL))
        pos = int(np.searchsorted(where[i], row))
        status[row] = operands[i][1].status[pos]
    return status


def _region_names(parts: Iterable[SeriesArrays], home: tuple[str, str]) -> dict[str, str]:
    """Region code -> name: the plan's name for home, else the first name a series gives."""
    names = {home[0]: home[1]}
    for part in parts:
        # Rows are sorted by region: the first row of each region is the one that counts.
        for i in np.flatnonzero(_starts(part.region)).tolist():
            names.setdefault(part.region[i], part.region_name[i])
    return names


def _starts(sorted_codes: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins."""
    if not len(sorted_codes):
        return np.zeros(0, dtype=bool)
    return np.concatenate(([True], sorted_codes[1:] != sorted_codes[:-1]))


def _within_coverage(region: np.ndarray, complete: np.ndarray) -> np.ndarray:
    """Rows (sorted by region) from each region's first to its last row where every operand is.

    Series seldom end in the same year (population is out before social assistance); the years
    before or after the common span would only be empty rows. Gaps inside it stay, as missing.
    """
    rows = len(region)
    if not rows:
        return np.zeros(0, dtype=bool)
    begins = _starts(region)
    starts, group = np.flatnonzero(begins), np.cumsum(begins) - 1
    position = np.arange(rows)
    first = np.minimum.reduceat(np.where(complete, position, rows), starts)
    last = np.maximum.reduceat(np.where(complete, position, -1), starts)
    return (position >= first[group]) & (position <= last[group])
