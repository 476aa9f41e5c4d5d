"""The formulas of the progress method (DESIGN §7): growth, thresholds, scores, limits.

Pure functions of numbers, kept apart from :mod:`indicators.assessment.progress`, which applies them to an
indicator's series. The constants are the published ones (Statistics Canada / Open SDG; UN 2023).
"""

from __future__ import annotations

import math

from indicators.errors import AssessmentError

STATUSES = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "not_available",
)
METHODS = ("target", "direction", "maintain")
# Statistics Canada's "on track": the target is met, or the ratio/rate is in the top band.
ON_TRACK = frozenset({"target_achieved", "substantial_progress"})

ZERO_REPLACEMENT = 0.001  # Open SDG: an exponential model cannot start from (or aim at) zero
MIN_YEARS = 2  # base and current must be at least this many years apart
TARGET_THRESHOLDS = (0.95, 0.6, 0.0)  # ratio of observed to required growth
DIRECTION_THRESHOLDS = (0.015, 0.005, 0.0)  # observed growth per year, times the limit coefficient
LIMIT_EXPONENT = 4.44
UN_ON_TRACK = 0.95  # UN 2023 progress chart: projected share of the required change
SCORE_DECIMALS = 4

# Score bands per status: [low, high) except the top band, which includes 5.
_BANDS = {
    "substantial_progress": (2.5, 5.0),
    "moderate_progress": (0.0, 2.5),
    "limited_progress": (-2.5, 0.0),
    "deterioration": (-5.0, -2.5),
}
_STEP = 10.0**-SCORE_DECIMALS

# Why an indicator could not be assessed (Assessment.reason), for explanations.
NO_DATA = "no_data"  # no value at all
NO_BASE = "no_base"  # no value in or after the base year
TOO_FEW_YEARS = "too_few_years"  # base and latest year less than MIN_YEARS apart
OPPOSITE_SIGNS = "opposite_signs"  # base and latest value on opposite sides of zero
TARGET_SIGN = "target_sign"  # the target is on the other side of zero from the base
TARGET_BEFORE_BASE = "target_before_base"  # the target year is not after the base year
NO_CHANGE_BASE = "no_change_base"  # a "change" target, but no value in the year it is measured against


def cagr(a: float, b: float, ta: int, tb: int) -> float:
    """Compound annual growth rate from ``b`` (year ``tb``) to ``a`` (year ``ta``)."""
    return power(a / b, 1 / (ta - tb)) - 1


def power(x: float, n: float) -> float:
    """``x ** n`` that saturates to infinity instead of raising OverflowError."""
    try:
        return x**n
    except OverflowError:
        return math.inf


def replace_zero(value: float, like: float) -> float:
    """Open SDG's replacement of a zero by 0.001, signed like ``like`` so a negative series works."""
    if value != 0:
        return value
    return -ZERO_REPLACEMENT if like < 0 else ZERO_REPLACEMENT


def limit_coefficient(base: float, limit: float | None, direction: str) -> float:
    """Open SDG's scaling factor C for indicators with a natural limit (1 without one).

    Only a limit in the desired direction counts: a maximum for ``increase`` (base below it),
    a minimum for ``decrease`` (base above it); otherwise C = 1.
    """
    if limit is None:
        return 1.0
    d = direction_sign(direction)
    if d * (limit - base) < 0:
        return 1.0
    b, lim = abs(base), abs(limit)
    if b >= 2 * lim:
        return 1.0
    if b <= lim:
        return 1.0 - (b / lim) ** LIMIT_EXPONENT
    return 1.0 - ((2 * lim - b) / lim) ** LIMIT_EXPONENT


def target_status(ratio: float) -> str:
    """Status from the ratio of observed to required growth (target not yet achieved)."""
    high, middle, low = TARGET_THRESHOLDS
    if ratio >= high:
        return "substantial_progress"
    if ratio >= middle:
        return "moderate_progress"
    if ratio >= low:
        return "limited_progress"
    return "deterioration"


def target_score(ratio: float) -> float:
    """Open SDG's score for a target ratio: −5 at ratio −0.6, 0 at 0.6, 5 at 1.3."""
    if ratio >= 0.6:
        return min(7.1429 * ratio - 4.2857, 5.0)
    return max(4.1667 * ratio - 2.5, -5.0)


def direction_status(rate: float, coefficient: float = 1.0) -> str:
    """Status from the observed growth rate in the desired direction (no target value)."""
    high, middle, low = (t * coefficient for t in DIRECTION_THRESHOLDS)
    if rate >= high:
        return "substantial_progress"
    if rate >= middle:
        return "moderate_progress"
    if rate >= low:
        return "limited_progress"
    return "deterioration"


def direction_score(rate: float, coefficient: float = 1.0) -> float:
    """Open SDG's score for a growth rate: −5 at −2 %, −2.5 at 0, 0 at 0.5 %·C, 5 at 2 %·C."""
    c = coefficient
    if rate < 0:
        return max(125 * rate - 2.5, -5.0)
    if c == 0:
        return 5.0  # already at the limit and holding it
    if rate >= 0.015 * c:
        return min(500 * rate / c - 5, 5.0)
    if rate >= 0.005 * c:
        return 250 * rate / c - 1.25
    return 500 * rate / c - 2.5


def status_from_score(score: float) -> str:
    """The status a (mean) score stands for: ≥ 2.5, ≥ 0, ≥ −2.5, below."""
    if score >= 2.5:
        return "substantial_progress"
    if score >= 0:
        return "moderate_progress"
    if score >= -2.5:
        return "limited_progress"
    return "deterioration"


def score_in_band(score: float, status: str) -> float:
    """Round a score and keep it inside its status' band.

    The method's rounded constants (7.1429, 4.2857, 4.1667) put scores a hair past a band edge
    right at a threshold (ratio 0.949995 gives 2.50002); the status decides, so the score is
    nudged into the band, and status and score never contradict each other.
    """
    if status == "target_achieved":
        return 5.0
    low, high = _BANDS[status]
    value = round(min(max(score, -5.0), 5.0), SCORE_DECIMALS)
    if value < low:
        return low
    if status != "substantial_progress" and value >= high:
        return round(high - _STEP, SCORE_DECIMALS)
    return value


def direction_sign(direction: str) -> int:
    """``d`` of the method: +1 when an increase is better, −1 when a decrease is."""
    if direction == "increase":
        return 1
    if direction == "decrease":
        return -1
    raise AssessmentError(f"unknown direction {direction!r}; use 'increase' or 'decrease'")


def capped(value: float, current: float, limit: float | None) -> float:
    """A projected value stopped at the natural limit it would cross (a share stops at 100 %)."""
    if limit is None:
        return value
    if current <= limit < value or value < limit <= current:
        return float(limit)
    return value
