"""The assessment of every goal, sub-goal and indicator: ``python -m indicators status``.

:func:`build_report` turns a cache snapshot into the JSON of DESIGN §6 (plus extra fields);
:func:`render_table` prints it as a table for a terminal. Both read only the snapshot, never SSB.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from indicators import sources
from indicators.assessment.explain import borderline_note, explain, status_label, status_text, target_text
from indicators.assessment.progress import Assessment, Rollup, assess_all, rollup
from indicators.formatting import format_date, format_number, format_value, iso_utc
from indicators.messages import LANGS, check_lang, message

if TYPE_CHECKING:
    from indicators.config import Settings
    from indicators.plan.model import Definition, Goal, Subgoal
    from indicators.store.snapshot import Snapshot


def build_report(snapshot: Snapshot) -> dict[str, Any]:
    """DESIGN §6: plan, data date, demo flag, and goals → sub-goals → indicators with statuses."""
    catalog = snapshot.catalog
    assessments = assess_all(catalog, snapshot.assessable())
    rollups = rollup(catalog, assessments)
    # An indicator under several sub-goals is described once (explanations are the costly
    # part) and copied to each place, so no two places of the report share one dict.
    described: dict[str, dict[str, Any]] = {}
    goals = []
    for goal in catalog.goals:
        subgoals = []
        for subgoal in goal.subgoals:
            indicators = []
            for d in catalog.indicators_for(subgoal.id):
                if d.id not in described:
                    described[d.id] = _indicator(d, assessments[d.id], snapshot)
                indicators.append(dict(described[d.id]))
            subgoals.append(
                {
                    "id": subgoal.id,
                    "title": subgoal.title,
                    **_rollup_fields(rollups[subgoal.id]),
                    "indicators": indicators,
                    "title_en": subgoal.title_en,
                    "wording": subgoal.wording,
                    "title_i18n": subgoal.texts("title"),
                }
            )
        goals.append(
            {
                "id": goal.id,
                "title": goal.title,
                **_rollup_fields(rollups[goal.id]),
                "subgoals": subgoals,
                "title_en": goal.title_en,
                "wording": goal.wording,
                "title_i18n": goal.texts("title"),
            }
        )
    return {
        "plan": catalog.plan.name,
        "data_as_of": iso_utc(snapshot.data_as_of),
        "demo": bool(snapshot.demo),
        "goals": goals,
        # DESIGN §6, second version: where the data came from; a loopback API is test data.
        "api_url": snapshot.api_url,
        "test_data": bool(snapshot.test_data),
        "plan_en": catalog.plan.name_en,
        # Texts in several languages: an object keyed by language code, beside the bokmål key
        # (README, "Texts in several languages in JSON").
        "plan_i18n": catalog.plan.texts("name"),
        "languages": list(catalog.plan.languages),  # the ones the plan publishes
        "region": catalog.plan.region,
        "region_name": catalog.plan.region_name,
        "stale": bool(snapshot.is_stale()),
    }


def _rollup_fields(r: Rollup) -> dict[str, Any]:
    return {
        "status": r.status,
        "score": _num(r.score),
        "coverage": {"assessed": r.assessed, "indicators": r.indicators},
    }


def _indicator(d: Definition, a: Assessment, snapshot: Snapshot) -> dict[str, Any]:
    tables = sources.tables(d)
    table = tables[0] if tables else None
    updated = snapshot.table_updated.get(table) if table else None
    return {
        "id": d.id,
        "name": d.name,
        "unit": d.unit,
        "status": a.status,
        "score": _num(a.score),
        "method": a.method,
        "base_year": a.base_year,
        "base_value": _num(a.base_value),
        "current_year": a.current_year,
        "current_value": _num(a.current_value),
        "target_value": _num(a.target_value),
        "target_year": a.target_year,
        "progress_value": _num(a.progress_value),
        "projected_value": _num(a.projected_value),
        "table": table,
        "updated": iso_utc(updated),
        # Extras (DESIGN §6 allows them).
        "name_en": d.name_en,
        "unit_en": d.unit_en,
        "decimals": d.decimals,
        "direction": a.direction,
        "limit": _num(a.limit),
        "baseline_year": a.baseline_year,
        "growth_rate": _num(a.growth_rate),
        "required_rate": _num(a.required_rate),
        "un_ratio": _num(a.un_ratio),
        "borderline": a.borderline,
        "reason": a.reason,
        "target_source": d.target.source if d.target else None,
        # Added in DESIGN §6's second version: the target's kind, its milestones, other publishers.
        "target_kind": d.target.kind if d.target else None,
        "target_change": _num(a.target_change),
        "milestones": [
            {
                "year": m.year,
                "value": _num(m.value),
                "met": m.met,
                "projected": _num(m.projected),
                "change": _num(m.change),
            }
            for m in a.milestones
        ],
        "publisher": _publishers(d),
        **_in_every_language("explanation", lambda lang: explain(a, d, lang)),
        **_in_every_language("borderline_note", lambda lang: borderline_note(a, lang)),
        "name_i18n": d.texts("name"),
        "unit_i18n": d.texts("unit"),
        "status_text_i18n": {lang: status_text(a.status, lang) for lang in LANGS},
        "problem": snapshot.problems.get(d.id),
    }


def _in_every_language(key: str, words: Callable[[str], str | None]) -> dict[str, Any]:
    """``key`` (bokmål) and ``key_en`` as before, and ``key_i18n``: every language, or null."""
    texts = {lang: words(lang) for lang in LANGS}
    return {
        key: texts["no"],
        f"{key}_en": texts["en"],
        f"{key}_i18n": texts if texts["no"] is not None else None,
    }


def _publishers(d: Definition) -> str | None:
    """Who publishes the figures when it is not (only) SSB: the non-SSB publishers, joined."""
    others = [a.publisher for a in sources.attributions(d) if a.table is None and a.publisher]
    return ", ".join(dict.fromkeys(others)) or None


def _num(value: float | None) -> float | None:
    """A JSON number, or null for a missing or non-finite one (JSON has no NaN)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# --- the terminal table ---------------------------------------------------------------------------

_COLUMNS = (
    "report_col_id",
    "report_col_name",
    "report_col_status",
    "report_col_score",
    "report_col_latest",
    "report_col_target",
)
_NAME_MIN = 24


def render_table(snapshot: Snapshot, lang: str = "no", width: int | None = None) -> str:
    """The report as aligned text: a data-date line, then goals, sub-goals and indicators."""
    catalog = snapshot.catalog
    assessments = assess_all(catalog, snapshot.assessable())
    rollups = rollup(catalog, assessments)
    check_lang(lang)
    rows: list[tuple[str, ...] | None] = [tuple(message(key, lang) for key in _COLUMNS)]
    for goal in catalog.goals:
        rows.append(None)  # a blank line between goals
        rows.append(_group_row(goal.id, goal, rollups[goal.id], lang))
        for subgoal in goal.subgoals:
            rows.append(_group_row("  " + subgoal.id, subgoal, rollups[subgoal.id], lang))
            rows.extend(
                _indicator_row(d, assessments[d.id], lang) for d in catalog.indicators_for(subgoal.id)
            )
    lines = [_first_line(snapshot, lang), *_align(rows, width or shutil.get_terminal_size((120, 24)).columns)]
    return "\n".join([*lines, "", message("report_method_note", lang)]) + "\n"


def _indicator_row(d: Definition, a: Assessment, lang: str) -> tuple[str, ...]:
    latest = f"{format_value(a.current_value, d, lang)} ({a.current_year})" if a.current_year else "–"
    name = d.text("name", lang)
    return (
        "    " + d.id,
        name,
        status_label(a.status, lang),
        format_number(a.score, 1, lang),
        latest,
        target_text(a, d, lang),
    )


def _first_line(snapshot: Snapshot, lang: str) -> str:
    plan = snapshot.catalog.plan
    name = plan.text("name", lang)
    if snapshot.data_as_of is None:
        line = message("report_no_data", lang, plan=name)
    else:
        when = format_date(snapshot.data_as_of, lang, with_time=True)
        line = message("report_data_as_of", lang, plan=name, when=when)
    if snapshot.demo:
        line += message("report_demo", lang)
    elif snapshot.data_as_of is None:
        line += message("report_run_refresh", lang)
    elif snapshot.is_stale():
        line += message("report_stale", lang)
    if snapshot.test_data:  # from a loopback API (a local stub): never to pass for SSB's figures
        line += message("report_test_data", lang, api_url=snapshot.api_url)
    return line


def _group_row(key: str, group: Goal | Subgoal, r: Rollup, lang: str) -> tuple[str, ...]:
    title = group.text("title", lang)
    if group.wording == "working":
        title = message("report_working_title", lang, title=title)
    counted = message("report_assessed", lang, assessed=r.assessed, indicators=r.indicators)
    return (key, title, status_label(r.status, lang), format_number(r.score, 1, lang), counted, "")


def _align(rows: list[tuple[str, ...] | None], width: int) -> list[str]:
    """Pad columns to a common width; shorten the name column so a line fits ``width``."""
    present = [r for r in rows if r is not None]
    widths = [max(len(r[i]) for r in present) for i in range(len(present[0]))]
    others = sum(w for i, w in enumerate(widths) if i != 1) + 2 * (len(widths) - 1)
    widths[1] = max(min(widths[1], width - others), _NAME_MIN)
    out = []
    for row in rows:
        if row is None:
            out.append("")
            continue
        cells = [_fit(cell, widths[i]) if i == 1 else cell for i, cell in enumerate(row)]
        out.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip())
    return out


# " (arbeidstittel)", " (working title)": what report_working_title adds after a title.
_WORKING_MARKERS = tuple(dict.fromkeys(message("report_working_title", lang, title="") for lang in LANGS))


def _fit(text: str, width: int) -> str:
    """Shorten to ``width`` with an ellipsis, keeping a marker such as "(arbeidstittel)"."""
    if len(text) <= width:
        return text
    head, suffix = text, ""
    for marker in _WORKING_MARKERS:
        if text.endswith(marker):
            head, suffix = text[: -len(marker)], marker
    room = max(width - len(suffix) - 1, 1)
    return head[:room].rstrip() + "…" + suffix


# --- the command -----------------------------------------------------------------------------------


def command(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    """``python -m indicators status [--json] [--lang no|en|nn]``: print the report; exit 0."""
    from indicators.store.snapshot import load_snapshot

    out = out or sys.stdout
    snapshot = load_snapshot(settings)
    if getattr(args, "json", False):
        # allow_nan=False: a NaN reaching the output is a bug to surface, not invalid JSON to emit.
        out.write(json.dumps(build_report(snapshot), ensure_ascii=False, indent=2, allow_nan=False) + "\n")
    else:
        out.write(
            render_table(snapshot, getattr(args, "lang", None) or snapshot.catalog.plan.default_language)
        )
    return 0
