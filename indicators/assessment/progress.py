"""The progress engine: is an indicator on its way to the plan's target? (DESIGN §7)

The Statistics Canada method that Open SDG implements, with the plan's years (base 2020,
target 2032 unless a definition says otherwise). An indicator's observed compound annual growth
rate (CAGR) from the base year to the latest year is compared with the rate the target requires
(``method = "target"``), or with fixed rates when there is only a desired direction
(``"direction"``). ``"maintain"`` targets are achieved while the level holds within a tolerance.
Beside it, the UN's 2023 projection ratio is computed; when the two methods disagree about
"on track" the assessment is marked ``borderline``. Scores (−5 … 5) roll up to sub-goals and
goals. docs/method.nb.md and docs/method.en.md explain all of this in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from indicators.assessment.formulas import (
    DIRECTION_THRESHOLDS,
    LIMIT_EXPONENT,
    METHODS,
    MIN_YEARS,
    NO_BASE,
    NO_CHANGE_BASE,
    NO_DATA,
    ON_TRACK,
    OPPOSITE_SIGNS,
    SCORE_DECIMALS,
    STATUSES,
    TARGET_BEFORE_BASE,
    TARGET_SIGN,
    TARGET_THRESHOLDS,
    TOO_FEW_YEARS,
    UN_ON_TRACK,
    ZERO_REPLACEMENT,
    cagr,
    capped,
    direction_score,
    direction_sign,
    direction_status,
    limit_coefficient,
    power,
    replace_zero,
    score_in_band,
    status_from_score,
    target_score,
    target_status,
)
from indicators.errors import AssessmentError
from indicators.series.arrays import SeriesArrays

if TYPE_CHECKING:
    # pandas is imported where a pandas object is made: `status` assesses arrays without it.
    import pandas as pd

    from indicators.plan.catalog import Catalog
    from indicators.plan.model import Definition

# The formulas and constants are re-exported: callers import everything from here.
__all__ = [
    "DIRECTION_THRESHOLDS",
    "LIMIT_EXPONENT",
    "METHODS",
    "MIN_YEARS",
    "NO_BASE",
    "NO_CHANGE_BASE",
    "NO_DATA",
    "ON_TRACK",
    "OPPOSITE_SIGNS",
    "SCORE_DECIMALS",
    "STATUSES",
    "TARGET_BEFORE_BASE",
    "TARGET_SIGN",
    "TARGET_THRESHOLDS",
    "TOO_FEW_YEARS",
    "UN_ON_TRACK",
    "ZERO_REPLACEMENT",
    "Assessment",
    "MilestoneResult",
    "Rollup",
    "assess",
    "assess_all",
    "assess_indicator",
    "cagr",
    "direction_score",
    "direction_status",
    "limit_coefficient",
    "projection",
    "replace_zero",
    "rollup",
    "score_in_band",
    "status_from_score",
    "target_path",
    "target_score",
    "target_status",
    "year_target_reached",
]


@dataclass(frozen=True)
class MilestoneResult:
    """An interim target and how the indicator stands against it."""

    year: int
    value: float | None  # the level to reach, in the indicator's unit (None: a change without a base)
    met: bool | None  # from the value of that very year; None while that year has no data
    projected: float | None  # the projection's value that year, when it lies after the latest data
    change: float | None = None  # for a "change" target: the per cent change the level stands for


@dataclass(frozen=True)
class Assessment:
    """The assessment of one indicator (home region). Values are None when not known."""

    indicator_id: str
    method: str  # "target" | "direction" | "maintain"
    status: str  # one of STATUSES
    score: float | None  # −5 … 5; None when not assessed
    base_year: int | None
    base_value: float | None
    current_year: int | None  # the latest data point, even when not assessed
    current_value: float | None
    target_value: float | None  # for "maintain": the base level to keep
    target_year: int
    progress_value: float | None  # ratio (target) or growth rate per year (direction, maintain)
    projected_value: float | None  # at the target year, at the observed rate
    un_ratio: float | None  # UN 2023: (projected − base) / (target − base)
    borderline: bool  # Statistics Canada and the UN ratio disagree about "on track"
    direction: str  # "increase" | "decrease"
    limit: float | None
    # Extras (not in DESIGN §6, but useful to charts and explanations).
    baseline_year: int = 2020  # the base year asked for; base_year may be later
    growth_rate: float | None = None  # observed CAGR, base to current
    required_rate: float | None = None  # CAGR the target requires, base to target year
    limit_coefficient: float | None = None  # C (direction-only assessments)
    tolerance: float | None = None  # relative slack of a "maintain" target
    reason: str | None = None  # why not_available (NO_DATA, NO_BASE, ...)
    target_kind: str | None = None  # the definition's [target] kind: "value", "change", "maintain"
    target_change: float | None = None  # kind "change": the per cent change against baseline_year
    milestones: tuple[MilestoneResult, ...] = ()

    @property
    def assessed(self) -> bool:
        """Whether there was enough data to assess (status is not ``not_available``)."""
        return self.status != "not_available"

    @property
    def on_track(self) -> bool:
        """Statistics Canada's "on track": target achieved or substantial progress."""
        return self.status in ON_TRACK

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# --- one indicator -------------------------------------------------------------------------------


def assess(
    values: pd.Series,
    *,
    direction: str,
    limit: float | None = None,
    target_kind: str | None = None,
    target_value: float | None = None,
    target_year: int = 2032,
    baseline_year: int = 2020,
    tolerance: float = 0.01,
    indicator_id: str = "",
    milestones: Sequence[tuple[int, float]] = (),
) -> Assessment:
    """Assess one series (float values indexed by int year; NaN = missing) per DESIGN §7.

    ``target_kind = "change"``: ``target_value`` and the milestones' values are per cent changes
    against the value in ``baseline_year`` (DESIGN §4).
    """
    options = _options(
        direction,
        limit,
        target_kind,
        target_value,
        target_year,
        baseline_year,
        tolerance,
        indicator_id,
        milestones,
    )
    years = np.fromiter((int(year) for year in values.index), dtype="int64", count=len(values))
    numbers = np.asarray(values.to_numpy(dtype="float64", na_value=np.nan), dtype="float64")
    return _assess_points(*_clean_points(years, numbers), *options)


def _options(
    direction: str,
    limit: float | None,
    target_kind: str | None,
    target_value: float | None,
    target_year: int,
    baseline_year: int,
    tolerance: float,
    indicator_id: str,
    milestones: Sequence[tuple[int, float]] = (),
) -> tuple[int, dict]:
    """Check an indicator's options (raising AssessmentError) and the fields every outcome has."""
    d = direction_sign(direction)
    method = _method(target_kind, target_value, indicator_id)
    change = _float(target_value) if target_kind == "change" else None
    common = {
        "target_kind": target_kind,
        "target_change": change,
        "milestones": tuple((int(year), float(value)) for year, value in milestones),
        "indicator_id": indicator_id,
        "method": method,
        "target_year": target_year,
        "direction": direction,
        "limit": _float(limit),
        "baseline_year": baseline_year,
        "tolerance": float(tolerance) if method == "maintain" else None,
        # A change becomes a level once the base value is known (_assess_points).
        "target_value": _float(target_value) if method == "target" and change is None else None,
        "un_ratio": None,
    }
    return d, common


def _assess_points(years: np.ndarray, values: np.ndarray, d: int, common: dict) -> Assessment:
    """The method on clean points (finite values, int years sorted ascending; see _clean_points),
    with each milestone judged against the same points."""
    specs = common.pop("milestones")
    a = _assess_core(years, values, d, common)
    if not specs:
        return a
    return replace(a, milestones=tuple(_milestone(a, years, values, d, year, value) for year, value in specs))


def _milestone(
    a: Assessment, years: np.ndarray, values: np.ndarray, d: int, year: int, value: float
) -> MilestoneResult:
    change = value if a.target_kind == "change" else None
    level = _level(a, value)
    at = np.flatnonzero(years == year)
    met = None if level is None or len(at) == 0 else bool(d * (float(values[at[-1]]) - level) >= 0)
    projected = None
    if (
        a.growth_rate is not None
        and a.current_year is not None
        and a.current_value is not None
        and year > a.current_year
    ):
        growth = power(1 + a.growth_rate, year - a.current_year)
        projected = capped(a.current_value * growth, a.current_value, a.limit)
    return MilestoneResult(year=year, value=level, met=met, projected=projected, change=change)


def _level(a: Assessment, value: float) -> float | None:
    """A target figure as a level: itself, or for a "change" target the base changed by it."""
    if a.target_kind != "change":
        return value
    if a.base_value is None or a.base_year != a.baseline_year:
        return None
    return a.base_value * (100 + value) / 100


def _assess_core(years: np.ndarray, values: np.ndarray, d: int, common: dict) -> Assessment:
    if len(years) == 0:
        return _not_available(common, NO_DATA)
    t, current = int(years[-1]), float(values[-1])
    common |= {"current_year": t, "current_value": current}
    first = int(np.searchsorted(years, common["baseline_year"], side="left"))
    if first == len(years):
        return _not_available(common, NO_BASE)
    t0, base = int(years[first]), float(values[first])
    if common["target_change"] is not None:
        if t0 != common["baseline_year"]:
            # "−80 % against 2009" means nothing without 2009's value; a later base would move the goal.
            return _not_available(common, NO_CHANGE_BASE)
        common["target_value"] = base * (100 + common["target_change"]) / 100
    common |= {"base_year": t0, "base_value": base}
    if common["method"] == "maintain":
        common["target_value"] = base
    if t - t0 < MIN_YEARS:
        return _not_available(common, TOO_FEW_YEARS)
    b = replace_zero(base, current)
    if b * current < 0:
        return _not_available(common, OPPOSITE_SIGNS)
    sign = -1 if b < 0 else 1
    # A series that stays put has not grown, also when it stays at zero (where the 0.001
    # replacement alone would read as a fall of 100 % a year).
    growth = 0.0 if current == base else cagr(current, b, t, t0)
    target_year, limit = common["target_year"], common["limit"]
    common |= {
        "growth_rate": growth,
        "projected_value": capped(current * power(1 + growth, max(target_year - t, 0)), current, limit),
    }
    if common["method"] == "target":
        return _assess_target(common, d, sign, b)
    return _assess_direction(common, d, sign, b)


def _assess_target(common: dict, d: int, sign: int, b: float) -> Assessment:
    target, current = common["target_value"], common["current_value"]
    t0, t_target = common["base_year"], common["target_year"]
    un_ratio = _un_ratio(common["base_value"], target, common["projected_value"], d)
    common = {**common, "un_ratio": un_ratio}
    if d * (current - target) >= 0:
        required = _required_rate(target, b, t_target, t0)
        ratio = sign * d * common["growth_rate"] / abs(required) if required else None
        return _assessed(common, "target_achieved", 5.0, ratio, required)
    if t_target <= t0:
        return _not_available(common, TARGET_BEFORE_BASE)
    tb = replace_zero(target, b)
    if tb * b < 0:
        return _not_available(common, TARGET_SIGN)
    required = cagr(tb, b, t_target, t0)
    if required == 0:
        # The target is the base level and the indicator has moved away from it: the ratio
        # would be −∞, the lowest score.
        return _assessed(common, "deterioration", -5.0, None, required)
    ratio = sign * d * common["growth_rate"] / abs(required)
    status = target_status(ratio)
    return _assessed(common, status, target_score(ratio), ratio, required)


def _assess_direction(common: dict, d: int, sign: int, b: float) -> Assessment:
    rate = sign * d * common["growth_rate"]
    coefficient = limit_coefficient(b, common["limit"], common["direction"])
    common = {**common, "limit_coefficient": coefficient}
    if common["method"] == "maintain":
        base, current = common["base_value"], common["current_value"]
        if d * (current - base) >= -common["tolerance"] * abs(base):
            return _assessed(common, "target_achieved", 5.0, rate, None)
    status = direction_status(rate, coefficient)
    return _assessed(common, status, direction_score(rate, coefficient), rate, None)


def _assessed(
    common: dict, status: str, score: float, progress: float | None, required: float | None
) -> Assessment:
    un_ratio = common.get("un_ratio")
    borderline = un_ratio is not None and (un_ratio >= UN_ON_TRACK) != (status in ON_TRACK)
    return Assessment(
        **{
            **common,
            "status": status,
            "score": score_in_band(score, status),
            "progress_value": progress,
            "required_rate": required,
            "borderline": borderline,
        }
    )


def _not_available(common: dict, reason: str) -> Assessment:
    fields = {
        "base_year": None,
        "base_value": None,
        "current_year": None,
        "current_value": None,
        "projected_value": None,
        "un_ratio": None,
        **common,
    }
    # A growth rate or projection without an assessment would only mislead.
    fields |= {"growth_rate": None, "projected_value": None, "un_ratio": None, "limit_coefficient": None}
    return Assessment(
        **fields, status="not_available", score=None, progress_value=None, borderline=False, reason=reason
    )


def _required_rate(target: float, b: float, t_target: int, t0: int) -> float | None:
    """The growth rate the target needs from the base, or None when it cannot be computed."""
    tb = replace_zero(target, b)
    if t_target <= t0 or tb * b < 0:
        return None
    return cagr(tb, b, t_target, t0)


def _un_ratio(base: float, target: float, projected: float, d: int) -> float | None:
    """UN 2023: the share of the change from base to target reached by the target year.

    Only defined when the target lies in the desired direction from the base; otherwise the
    ratio's sign would reward moving away from the target.
    """
    if d * (target - base) <= 0:
        return None
    return (projected - base) / (target - base)


def _method(target_kind: str | None, target_value: float | None, indicator_id: str) -> str:
    if target_kind == "maintain":
        return "maintain"
    if target_kind not in (None, "value", "change"):
        raise AssessmentError(
            f"{indicator_id or 'indicator'}: unknown target kind {target_kind!r}; "
            "use 'value', 'change' or 'maintain'"
        )
    if target_kind in ("value", "change") and target_value is None:
        raise AssessmentError(
            f"{indicator_id or 'indicator'}: a target of kind {target_kind!r} needs a value "
            "(or use kind 'maintain', or no target for a direction-only assessment)"
        )
    return "target" if target_value is not None else "direction"


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


# --- definitions, charts -------------------------------------------------------------------------


def _home_points(region: str, frame: pd.DataFrame | SeriesArrays | None) -> tuple[np.ndarray, np.ndarray]:
    """The home region's rows of ``frame`` as arrays (int years, float values), in frame order.

    Works on the columns' numpy arrays: a pandas mask and Series per indicator cost more than
    the whole assessment (issue 9: 1 000 indicators). A snapshot's arrays are used as they are.
    """
    if isinstance(frame, SeriesArrays):
        home = frame.region == region
        return frame.year[home].astype("int64", copy=False), frame.value[home].astype("float64", copy=False)
    # ``frame.empty``, without its generic (and, 1 000 times over, noticeable) overhead.
    if frame is None or len(frame.index) == 0 or len(frame.columns) == 0:
        return np.empty(0, dtype="int64"), np.empty(0, dtype="float64")
    home = frame["region"].to_numpy() == region
    years = frame["year"].to_numpy()[home].astype("int64", copy=False)
    return years, frame["value"].to_numpy(dtype="float64")[home]


def _clean_points(years: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Finite values only, sorted by year.

    Sorted exactly as ``Series.sort_index`` sorts (kept as is when already in order, else
    numpy's default argsort), so that even duplicate years give the same points as ``assess``.
    """
    finite = np.isfinite(values)
    if not finite.all():
        years, values = years[finite], values[finite]
    if len(years) > 1 and (years[1:] < years[:-1]).any():
        order = years.argsort(kind="quicksort")
        years, values = years[order], values[order]
    return years, values


def assess_indicator(
    definition: Definition, catalog: Catalog, frame: pd.DataFrame | SeriesArrays | None
) -> Assessment:
    """Assess a definition against its series (the home region's rows of ``frame``).

    The same method as :func:`assess`, on the home region's rows, without building pandas objects.
    """
    target = definition.target
    d, common = _options(
        definition.direction,
        definition.limit,
        target.kind if target else None,
        target.value if target else None,
        catalog.target_year(definition),
        catalog.baseline_year(definition),
        target.tolerance if target else 0.01,
        definition.id,
        [(m.year, m.value) for m in target.milestones] if target else (),
    )
    years, values = _clean_points(*_home_points(catalog.plan.region, frame))
    return _assess_points(years, values, d, common)


def assess_all(
    catalog: Catalog, series: Mapping[str, pd.DataFrame] | Mapping[str, SeriesArrays]
) -> dict[str, Assessment]:
    """Assess every indicator of the catalogue; one without a series is ``not_available``."""
    return {
        indicator_id: assess_indicator(definition, catalog, series.get(indicator_id))
        for indicator_id, definition in catalog.indicators.items()
    }


def projection(a: Assessment) -> list[tuple[int, float]]:
    """Yearly values from the latest year to the target year at the observed growth rate."""
    if a.growth_rate is None or a.current_year is None or a.current_value is None:
        return []
    if a.current_year >= a.target_year:
        return [(a.current_year, a.current_value)]
    return [
        (
            year,
            capped(
                a.current_value * power(1 + a.growth_rate, year - a.current_year), a.current_value, a.limit
            ),
        )
        for year in range(a.current_year, a.target_year + 1)
    ]


def target_path(a: Assessment) -> list[tuple[int, float]]:
    """The straight line from the base value to the target value (``[]`` without a target)."""
    if a.target_value is None or a.base_year is None or a.base_value is None:
        return []
    if a.target_year <= a.base_year:
        return [(a.base_year, a.base_value)]
    span = a.target_year - a.base_year
    step = (a.target_value - a.base_value) / span
    return [(a.base_year + i, a.base_value + step * i) for i in range(span + 1)]


def year_target_reached(a: Assessment) -> int | None:
    """The first year the projection meets the target, or None if it never does at this rate."""
    if a.method != "target" or a.target_value is None or a.growth_rate is None:
        return None
    if a.current_value is None or a.current_year is None:
        return None
    d = direction_sign(a.direction)
    if d * (a.current_value - a.target_value) >= 0:
        return a.current_year
    factor = 1 + a.growth_rate
    if factor <= 0 or factor == 1 or a.target_value / a.current_value <= 0:
        return None
    years = math.log(a.target_value / a.current_value) / math.log(factor)
    if years <= 0:
        return None  # the observed trend runs away from the target
    reached = a.current_year + math.ceil(years - 1e-9)
    return reached if reached <= 2100 else None


# The roll-up lives in its own module; re-exported so callers import everything from here.
from indicators.assessment.rollup import Rollup, rollup  # noqa: E402
