"""One row per measured figure, printed as a table: value, the baseline measured in the same run,
their ratio, the goal and whether it is met. Shared by the benchmark scripts and ``run.py``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Row:
    """One figure. ``goal`` is a predicate on (value, baseline) and ``goal_text`` says it in words."""

    benchmark: str
    figure: str
    value: float
    unit: str
    baseline: float | None
    baseline_label: str
    goal_text: str
    met: bool | None  # None: no goal for this figure (context only)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline


def judged(
    benchmark: str,
    figure: str,
    value: float,
    unit: str,
    baseline: float | None,
    baseline_label: str,
    goal_text: str = "",
    goal: Callable[[float, float | None], bool] | None = None,
) -> Row:
    """A row whose ``met`` is ``goal(value, baseline)`` (no goal: context only)."""
    return Row(
        benchmark,
        figure,
        value,
        unit,
        baseline,
        baseline_label,
        goal_text or "—",
        None if goal is None else bool(goal(value, baseline)),
    )


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "B":
        return f"{value / 1000:,.0f} KB" if value >= 10_000 else f"{value:,.0f} B"
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def table(rows: Iterable[Row]) -> str:
    """The rows as an aligned text table."""
    header = ("benchmark", "figure", "value", "baseline (same run)", "ratio", "goal", "met")
    lines = [header]
    for r in rows:
        ratio = f"{r.ratio:,.2f}×" if r.ratio is not None else "—"
        baseline = f"{_number(r.baseline, r.unit)} {r.baseline_label}".strip() if r.baseline_label else "—"
        met = {True: "yes", False: "NO", None: ""}[r.met]
        lines.append((r.benchmark, r.figure, _number(r.value, r.unit), baseline, ratio, r.goal_text, met))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def machine() -> str:
    """The conditions of the run: CPUs and load (figures are noisy on a shared machine)."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load}"


def emit(rows: list[Row], heading: str, json_path: Path | None) -> None:
    """Print a benchmark's heading (with the machine's conditions) and table; save JSON if asked."""
    print(f"{heading}; {machine()}")
    print(table(rows))
    if json_path:
        write_json(rows, json_path)


def write_json(rows: Iterable[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) for r in rows], indent=1, ensure_ascii=False), encoding="utf-8")


def read_json(path: Path) -> list[Row]:
    return [Row(**doc) for doc in json.loads(path.read_text(encoding="utf-8"))]
