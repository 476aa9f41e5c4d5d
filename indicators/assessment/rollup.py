"""Roll-up of indicator assessments to sub-goals and goals (DESIGN §7), with coverage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from indicators.assessment.formulas import SCORE_DECIMALS, status_from_score

if TYPE_CHECKING:
    from indicators.assessment.progress import Assessment
    from indicators.plan.catalog import Catalog


@dataclass(frozen=True)
class Rollup:
    """A sub-goal's or goal's aggregate: mean score, status and coverage."""

    id: str
    status: str
    score: float | None
    assessed: int  # indicators with an assessment
    indicators: int  # all indicators counted (distinct, for a goal)
    achieved_all: bool  # every assessed member achieved its target
    kind: str = "subgoal"  # "subgoal" | "goal"


def rollup(catalog: Catalog, assessments: Mapping[str, Assessment]) -> dict[str, Rollup]:
    """Sub-goal and goal aggregates (DESIGN §7), keyed by sub-goal id ("1.1") and goal id ("1").

    A sub-goal's score is the mean of its assessed indicators' scores; a goal's, the mean of
    its assessed sub-goals' scores, so each sub-goal weighs the same. A goal's coverage counts
    the distinct indicators under its sub-goals (an indicator under two of them counts once
    there, and once in each sub-goal).
    """
    out: dict[str, Rollup] = {}
    for goal in catalog.goals:
        goal_indicators: dict[str, None] = {}
        for subgoal in goal.subgoals:
            members = [d.id for d in catalog.indicators_for(subgoal.id)]
            goal_indicators.update(dict.fromkeys(members))
            found = [assessments[i] for i in members if i in assessments]
            scored = [a for a in found if a.assessed and a.score is not None]
            out[subgoal.id] = _aggregate(
                subgoal.id,
                "subgoal",
                [a.score for a in scored if a.score is not None],  # (all of them; narrows the type)
                all(a.status == "target_achieved" for a in scored),
                assessed=len(scored),
                total=len(members),
            )
        subs = [out[s.id] for s in goal.subgoals]
        scored_subs = [s for s in subs if s.score is not None]
        assessed = sum(1 for i in goal_indicators if i in assessments and assessments[i].assessed)
        out[goal.id] = _aggregate(
            goal.id,
            "goal",
            [s.score for s in scored_subs if s.score is not None],
            all(s.achieved_all for s in scored_subs),
            assessed=assessed,
            total=len(goal_indicators),
        )
    return out


def _aggregate(
    key: str, kind: str, scores: Iterable[float], achieved: bool, *, assessed: int, total: int
) -> Rollup:
    values = list(scores)
    if not values:
        return Rollup(key, "not_available", None, assessed, total, False, kind)
    score = round(sum(values) / len(values), SCORE_DECIMALS)
    status = "target_achieved" if achieved else status_from_score(score)
    return Rollup(key, status, score, assessed, total, achieved, kind)
