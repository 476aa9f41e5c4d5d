"""The tests' reference evaluator of formulas: on pandas Series aligned by index.

Production evaluates formulas on arrays (:func:`indicators.series.arrays.apply_formula`); this
independent path, written on pandas, checks it (tests/indicators/series/test_compute_arrays.py)
and pins the language's meaning in tests/indicators/plan/test_formula.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.errors import FormulaError
from indicators.plan.formula import _OPS, Formula, Name, Negate, Node, Number


def evaluate(formula: Formula, values: Mapping[str, pd.Series]) -> pd.Series:
    """Evaluate on series aligned by index; missing operands and x/0 give NaN."""
    import pandas as pd

    missing = formula.names - set(values)
    if missing:
        raise FormulaError(f"no series named {', '.join(sorted(missing))}")
    result = _evaluate(formula.tree, values)
    if not isinstance(result, pd.Series):
        # A formula of constants only: spread the number over the series' union index.
        index = _union_index(values.values())
        result = pd.Series(float(result), index=index, dtype="float64")
    result = result.astype("float64")
    return result.replace([np.inf, -np.inf], np.nan)


def _union_index(series: object) -> pd.Index:
    import pandas as pd

    index: pd.Index | None = None
    for s in series:  # type: ignore[attr-defined]
        index = s.index if index is None else index.union(s.index)
    return index if index is not None else pd.Index([])


def _evaluate(node: Node, values: Mapping[str, pd.Series]) -> pd.Series | float:
    import pandas as pd

    if isinstance(node, Number):
        return node.value
    if isinstance(node, Name):
        return values[node.name].astype("float64")
    if isinstance(node, Negate):
        return -_evaluate(node.operand, values)  # type: ignore[operator]
    left = _evaluate(node.left, values)
    right = _evaluate(node.right, values)
    if node.op == "/" and not isinstance(right, pd.Series) and right == 0:
        return _nan_like(left)
    if node.op == "/" and not isinstance(left, pd.Series) and isinstance(right, pd.Series):
        left = pd.Series(left, index=right.index, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _OPS[node.op](left, right)


def _nan_like(value: pd.Series | float) -> pd.Series | float:
    import pandas as pd

    if isinstance(value, pd.Series):
        return pd.Series(np.nan, index=value.index, dtype="float64")
    return math.nan
