"""Loading and validating the goal tree and the indicator definitions.

Validation collects every problem in one pass (like frictionless-py's reports) and reports
each as ``PATH: FIELD: MESSAGE``, so an analyst can fix them all at once.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from indicators.errors import CatalogError, FormulaError
from indicators.plan.formula import parse_formula
from indicators.plan.model import (
    SERIES_TAGS,
    CsvSeries,
    Definition,
    Goal,
    GoalsFile,
    Plan,
    Subgoal,
    Translated,
)

# Stands for the file's shown path in issues found before the path is worked out.
_PENDING = "\0pending"
# Parts of a pydantic error location that name a union branch, not a field the analyst wrote.
_UNION_PARTS = {"int", "float", "str", "bool", *SERIES_TAGS}
# Limits on what is read from a definitions folder: far above any real file, far below trouble.
MAX_TOML_BYTES = 1_000_000  # a definition is a few kB; goals.toml about 7 kB
MAX_TOML_DEPTH = 16  # tables and arrays inside each other (a definition needs 5)
MAX_CSV_HEADER_BYTES = 65_536  # the first line of a csv series: year,value[,region]
# Files in a definitions folder that look like definitions in another format (DESIGN §11); a
# JSON Schema for editors (`python -m indicators schema > indicator.schema.json`) is allowed.
_NOT_TOML = {".yaml": "YAML", ".yml": "YAML", ".json": "JSON"}
# Issue text is printed one per line: parts are cut to these lengths (a 100 kB key stays one line).
_MAX_FIELD = 200
_MAX_MESSAGE = 1_000


@dataclass(frozen=True, order=True)
class Issue:
    """One validation problem: which file, which field (dotted path), and what is wrong."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        # Escaped: a newline in a file name, key or value must not forge another report line.
        return (
            f"{printable(self.path)}: {printable(_cut(self.field, _MAX_FIELD))}: "
            f"{printable(_cut(self.message, _MAX_MESSAGE))}"
        )


def printable(text: str) -> str:
    """``text`` with control and other unprintable characters escaped (``\\n``, ``\\x00``, ``\\u2028``)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


@dataclass(frozen=True)
class Catalog:
    """The validated plan, goal tree and indicator definitions."""

    plan: Plan
    goals: list[Goal]
    indicators: dict[str, Definition]
    definitions_dir: Path
    sources: dict[str, Path] = field(default_factory=dict)  # indicator id -> its file
    goals_file: Path | None = None

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def subgoal(self, subgoal_id: str) -> Subgoal | None:
        return next((s for g in self.goals for s in g.subgoals if s.id == subgoal_id), None)

    def goal_of(self, subgoal_id: str) -> Goal | None:
        return next((g for g in self.goals if any(s.id == subgoal_id for s in g.subgoals)), None)

    def subgoals(self) -> list[Subgoal]:
        return [s for g in self.goals for s in g.subgoals]

    def indicators_for(self, subgoal_id: str) -> list[Definition]:
        """Indicators that name this sub-goal, in id order."""
        return [d for d in self.indicators.values() if subgoal_id in d.subgoals]

    def peers_for(self, definition: Definition) -> list[str]:
        """Comparison regions: the definition's own list, else the plan's."""
        return list(definition.peers if definition.peers is not None else self.plan.peers)

    def baseline_year(self, definition: Definition) -> int:
        target = definition.target
        return target.baseline_year if target and target.baseline_year else self.plan.start_year

    def target_year(self, definition: Definition) -> int:
        target = definition.target
        return target.year if target and target.year else self.plan.target_year

    def csv_path(self, series: CsvSeries) -> Path:
        """A csv series' file; paths are relative to the definitions folder.

        Raises :class:`ValueError` (saying why) when the path or a link leads outside the folder.
        """
        return contained_path(self.definitions_dir, series.csv)


def contained_path(root: Path, relative: str) -> Path:
    """``relative`` resolved against ``root``, if it stays inside ``root`` (links followed).

    Raises :class:`ValueError` saying why not: an absolute path, ``..`` that climbs out, a link
    (the file or a folder on the way) that points outside, or characters no file name has.
    The message names the path as written, never what the file holds.
    """
    if not relative or any(ord(c) < 0x20 or ord(c) == 0x7F for c in relative):
        raise ValueError("the path is empty or has control characters")
    if PurePath(relative).is_absolute() or re.match(r"^([A-Za-z]:|[/\\])", relative):
        raise ValueError(
            "must be a path relative to the definitions folder (e.g. data/klimagass.csv), not an absolute path"
        )
    try:
        base = root.resolve()
        resolved = (base / relative).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a link loop, a name the system refuses
        raise ValueError(f"the path cannot be resolved ({type(exc).__name__})") from None
    if not resolved.is_relative_to(base):
        if not Path(os.path.normpath(base / relative)).is_relative_to(base):
            raise ValueError("'..' leads outside the definitions folder; files must lie inside it")
        raise ValueError("a link leads outside the definitions folder; files must lie inside it")
    return resolved


def load_catalog(
    definitions_dir: Path, goals_file: Path, *, toml_memo: Mapping[str, dict[str, Any]] | None = None
) -> Catalog:
    """Load and validate everything, or raise :class:`CatalogError` listing every problem.

    ``toml_memo`` (SHA-256 of a file's bytes -> its parsed TOML, see :mod:`indicators.store.derived`)
    only saves parsing unchanged files; every document is validated all the same.
    """
    catalog, issues = validate(definitions_dir, goals_file, toml_memo=toml_memo)
    if issues or catalog is None:
        raise CatalogError(issues)
    return catalog


def load_goals(goals_file: Path) -> GoalsFile:
    """goals.toml alone, validated; raises :class:`CatalogError` listing its problems."""
    issues: list[Issue] = []
    doc = _read_toml(goals_file, issues, {})
    goals = _validate_model(GoalsFile, doc, goals_file, issues) if doc is not None else None
    if goals is not None:
        issues.extend(_goal_tree_issues(goals, goals_file))
    if issues or goals is None:
        raise CatalogError(sorted(issues))
    return goals


def validate(
    definitions_dir: Path, goals_file: Path, *, toml_memo: Mapping[str, dict[str, Any]] | None = None
) -> tuple[Catalog | None, list[Issue]]:
    """Validate the goal tree and every definition; return the catalog (if valid) and all issues."""
    issues: list[Issue] = []
    memo = toml_memo or {}
    goals_doc = _read_toml(goals_file, issues, memo)
    goals = _validate_model(GoalsFile, goals_doc, goals_file, issues) if goals_doc is not None else None
    if goals is not None:
        issues.extend(_goal_tree_issues(goals, goals_file))

    if not definitions_dir.is_dir():
        issues.append(
            Issue(
                _show(definitions_dir),
                "-",
                "the definitions folder does not exist; set --definitions or INDICATOR_DIR",
            )
        )
        return None, sorted(issues)

    known_subgoals = {s.id for g in goals.goals for s in g.subgoals} if goals else None
    indicators: dict[str, Definition] = {}
    sources: dict[str, Path] = {}
    outside = _folder_issues(definitions_dir, issues)
    for path in definition_files(definitions_dir):
        if path in outside:
            continue  # a link out of the folder is reported, never read
        try:
            definition = _load_definition(
                path, definitions_dir, known_subgoals, issues, memo, goals.plan if goals else None
            )
        except (RecursionError, MemoryError, ValueError, OverflowError, TypeError) as exc:
            # Never a crash: the file is reported and every other file still checked.
            issues.append(Issue(_show(path), "-", f"cannot be checked ({type(exc).__name__}); simplify it"))
            continue
        if definition is None:
            continue
        if definition.id in indicators:
            issues.append(
                Issue(
                    _show(path),
                    "id",
                    f"the id '{definition.id}' is already used by "
                    f"{_show(sources[definition.id])}; rename one of the files",
                )
            )
            continue
        indicators[definition.id] = definition
        sources[definition.id] = path
    if issues or goals is None:
        return None, sorted(issues)
    catalog = Catalog(
        plan=goals.plan,
        goals=goals.goals,
        indicators=dict(sorted(indicators.items())),
        definitions_dir=definitions_dir.resolve(),
        sources=sources,
        goals_file=goals_file,
    )
    return catalog, []


def definition_files(definitions_dir: Path) -> list[Path]:
    """Every ``*.toml`` below the folder (sub-folders allowed, to group by goal), sorted.

    Links to folders are not followed (a folder linked from inside is walked where it lies).
    """
    return sorted(p for p in _all_files(definitions_dir) if p.suffix == ".toml")


def _all_files(definitions_dir: Path) -> list[Path]:
    found: list[Path] = []
    for folder, _dirs, names in os.walk(definitions_dir):
        found.extend(Path(folder, name) for name in names)
    return sorted(p for p in found if p.is_file() or p.is_symlink())


def _folder_issues(definitions_dir: Path, found: list[Issue]) -> set[Path]:
    """Report files that are not definitions but look like one (DESIGN §11), and links leading
    outside the folder; return those links, which must not be read."""
    outside: set[Path] = set()
    base = definitions_dir.resolve()
    for folder, dirs, names in os.walk(definitions_dir):
        for name in [*dirs, *names]:
            path = Path(folder, name)
            if path.is_symlink():
                try:
                    inside = path.resolve().is_relative_to(base)
                except (OSError, RuntimeError):
                    inside = False
                if not inside:
                    outside.add(path)
                    found.append(
                        Issue(
                            _show(path),
                            "-",
                            "a link that leads outside the definitions folder (or nowhere); "
                            "keep the files themselves in the folder",
                        )
                    )
                    continue
            if name in dirs:
                continue
            suffix = path.suffix.lower()
            if suffix == ".toml" and path.suffix != ".toml":
                found.append(
                    Issue(
                        _show(path),
                        "-",
                        f"definition files end in lowercase .toml; rename it to {path.stem}.toml",
                    )
                )
            elif suffix in _NOT_TOML and not name.lower().endswith(".schema.json"):
                found.append(
                    Issue(
                        _show(path),
                        "-",
                        f"a {_NOT_TOML[suffix]} file among the definitions: definitions are TOML files "
                        f"named <id>.toml (see indicators/README.md); convert it or move it out of the folder",
                    )
                )
    return outside


def _load_definition(
    path: Path,
    definitions_dir: Path,
    known_subgoals: set[str] | None,
    issues: list[Issue],
    memo: Mapping[str, dict[str, Any]],
    plan: Plan | None = None,
) -> Definition | None:
    doc = _read_toml(path, issues, memo)
    if doc is None:
        return None
    if "id" in doc:
        issues.append(
            Issue(_show(path), "id", f"remove `id`: an indicator's id is its file name ('{path.stem}')")
        )
        return None
    doc = {"id": path.stem, **doc}
    before = len(issues)
    definition = _validate_model(Definition, doc, path, issues)
    if definition is None:
        # Still check the formula, so an analyst sees all problems in one run.
        if isinstance(doc.get("formula"), str):
            issues.extend(_formula_issues(doc["formula"], doc.get("series"), _show(path)))
        return None
    issues.extend(_definition_issues(definition, path, definitions_dir, known_subgoals, plan))
    if plan is not None:  # with goals.toml broken, its text_language is unknown: no guess
        issues.extend(plain_language_issues([("", definition)], plan.text_language, _show(path)))
        for i, breakdown in enumerate(definition.breakdowns):
            # A breakdown's category labels are SSB's (bokmål) or group names (the plain
            # language): labels in the plain language itself are welcome, a second name is not.
            breakdown.write_plain_in(plan.text_language)
            own = breakdown.translations.get(plan.text_language)
            if own is not None and own.label is not None:
                issues.append(
                    Issue(
                        _show(path),
                        f"breakdowns[{i}].translations.{plan.text_language}.label",
                        f"the plain label is already in {plan.text_language} (the plan's "
                        "text_language); write it as label",
                    )
                )
    return definition if len(issues) == before else None


def plain_language_issues(items: Iterable[tuple[str, Translated]], lang: str, shown: str) -> list[Issue]:
    """Mark each item's plain fields as written in ``lang`` (the plan's text_language) and
    refuse a translation into that same language: it would be a second text for one language."""
    found = []
    for where, item in items:
        item.write_plain_in(lang)
        if lang in item.translations:
            found.append(
                Issue(
                    shown,
                    f"{where}translations.{lang}",
                    f"the plain fields are already in {lang} (the plan's text_language); "
                    f"write these texts there, or translate into another language",
                )
            )
    return found


def _definition_issues(
    d: Definition, path: Path, definitions_dir: Path, known_subgoals: set[str] | None, plan: Plan | None
) -> list[Issue]:
    # The shown path is filled in only when there is a problem: resolving paths is most of the
    # cost of checking a valid definition.
    shown = _PENDING
    found: list[Issue] = []
    if known_subgoals is not None:
        for i, subgoal in enumerate(d.subgoals):
            if subgoal not in known_subgoals:
                hint = _did_you_mean(subgoal, known_subgoals)
                found.append(
                    Issue(
                        shown,
                        f"subgoals[{i}]",
                        f"unknown sub-goal '{subgoal}'; goals.toml has "
                        f"{', '.join(sorted(known_subgoals))}{hint}",
                    )
                )
    if len(set(d.subgoals)) != len(d.subgoals):
        found.append(Issue(shown, "subgoals", "a sub-goal is listed twice"))
    if d.target is not None:
        t = d.target
        if t.kind == "value" and t.value is None:
            found.append(
                Issue(
                    shown,
                    "target.value",
                    "a target of kind 'value' needs a value; use "
                    'kind = "maintain", or remove [target] for a direction-only assessment',
                )
            )
        if t.kind == "change" and t.value is None:
            found.append(
                Issue(
                    shown,
                    "target.value",
                    "a target of kind 'change' needs the per cent change against baseline_year, "
                    'e.g. value = -80 for "80 % lower than in baseline_year"',
                )
            )
        found.extend(_milestone_issues(d, shown, plan))
        if t.kind == "maintain" and t.value is not None:
            found.append(
                Issue(shown, "target.value", "a 'maintain' target keeps the baseline level; remove `value`")
            )
        if t.year is not None and t.baseline_year is not None and t.year <= t.baseline_year:
            found.append(
                Issue(
                    shown,
                    "target.year",
                    f"the target year {t.year} must come after baseline_year {t.baseline_year}",
                )
            )
    if d.formula is not None or len(d.series) > 1:
        found.extend(_formula_issues(d.formula, d.series, shown))
    for name, series in d.series.items():
        if not isinstance(series, CsvSeries):
            continue  # only a file needs checking here; SSB's codes are checked by `check`
        found.extend(_csv_issues(definitions_dir, series.csv, f"series.{name}.csv", shown))
    if found:
        shown = _show(path)
        found = [replace(issue, path=shown) if issue.path == _PENDING else issue for issue in found]
    return found


def _milestone_issues(d: Definition, shown: str, plan: Plan | None) -> list[Issue]:
    """Milestones lie between the baseline and the target year, once each, and mean what `value` means."""
    t = d.target
    if t is None:
        return []
    found: list[Issue] = []
    if t.kind == "change" and t.value is not None and t.value <= -100:
        found.append(
            Issue(shown, "target.value", f"a change of {t.value} % would go below zero; use above -100")
        )
    if t.kind == "maintain" and t.milestones:
        found.append(
            Issue(shown, "target.milestones", "a 'maintain' target keeps one level; remove `milestones`")
        )
        return found
    base = t.baseline_year or (plan.start_year if plan else None)
    end = t.year or (plan.target_year if plan else None)
    seen: set[int] = set()
    for i, m in enumerate(t.milestones):
        where = f"target.milestones[{i}]"
        if base is not None and end is not None and not base < m.year <= end:
            found.append(
                Issue(
                    shown,
                    f"{where}.year",
                    f"the milestone year {m.year} must lie after the baseline year {base} and no later "
                    f"than the target year {end}",
                )
            )
        if m.year in seen:
            found.append(Issue(shown, f"{where}.year", f"two milestones for {m.year}; keep one"))
        seen.add(m.year)
        if t.kind == "change" and m.value <= -100:
            found.append(
                Issue(
                    shown,
                    f"{where}.value",
                    f"a change of {m.value} % would go below zero; milestones of a 'change' target are "
                    "per cent changes against baseline_year, like `value`",
                )
            )
    return found


def _formula_issues(formula: str | None, series: Any, shown: str) -> list[Issue]:
    names = set(series) if isinstance(series, dict) else set()
    if formula is None:
        return [
            Issue(
                shown,
                "formula",
                "a formula is required when there is more than one series "
                f'({", ".join(sorted(names))}), e.g. formula = "100 * a / b"',
            )
        ]
    try:
        parsed = parse_formula(formula)
    except FormulaError as exc:
        return [Issue(shown, "formula", str(exc))]
    found = [
        Issue(
            shown,
            "formula",
            f"'{name}' is not a series; define [series.{name}] or use one of "
            f"{', '.join(sorted(names)) or '(none)'}",
        )
        for name in sorted(parsed.names - names)
    ]
    found += [
        Issue(shown, f"series.{name}", "this series is not used in the formula; use it or remove it")
        for name in sorted(names - parsed.names)
    ]
    return found


def _csv_issues(definitions_dir: Path, relative: str, field_name: str, shown: str) -> list[Issue]:
    """The csv file lies inside the folder and starts with a header naming year and value.

    Only the first line is read, at most :data:`MAX_CSV_HEADER_BYTES`; a file outside the folder
    is never opened, so no message can show what such a file holds.
    """
    try:
        path = contained_path(definitions_dir, relative)
    except ValueError as exc:
        return [Issue(shown, field_name, f"{relative!r}: {exc}")]
    if not path.is_file():
        return [
            Issue(
                shown,
                field_name,
                f"file not found: {_show(path)} (paths are relative to the definitions folder)",
            )
        ]
    try:
        with path.open("rb") as handle:
            first = handle.readline(MAX_CSV_HEADER_BYTES + 1)
        line = first.decode("utf-8-sig")
        header = next(csv.reader([line.rstrip("\r\n")]), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [Issue(shown, field_name, f"cannot read {_show(path)}: {type(exc).__name__}")]
    if len(first) > MAX_CSV_HEADER_BYTES:
        return [
            Issue(
                shown,
                field_name,
                f"{_show(path)}: the first line is longer than {MAX_CSV_HEADER_BYTES} bytes; "
                "it must be the header year,value[,region]",
            )
        ]
    columns = [c.strip() for c in header]
    missing = [c for c in ("year", "value") if c not in columns]
    if missing:
        found = _cut(", ".join(columns), 120) or "nothing"
        return [
            Issue(
                shown,
                field_name,
                f"{_show(path)} needs the columns year,value[,region]; "
                f"missing {', '.join(missing)} (found: {found})",
            )
        ]
    return []


def _goal_tree_issues(goals: GoalsFile, path: Path) -> list[Issue]:
    shown = _show(path)
    texts: list[tuple[str, Translated]] = [("plan.", goals.plan)]
    for gi, goal in enumerate(goals.goals):
        texts.append((f"goals[{gi}].", goal))
        texts += [(f"goals[{gi}].subgoals[{si}].", sub) for si, sub in enumerate(goal.subgoals)]
    found: list[Issue] = plain_language_issues(texts, goals.plan.text_language, shown)
    seen_goals: set[str] = set()
    seen_subgoals: set[str] = set()
    for gi, goal in enumerate(goals.goals):
        if goal.id in seen_goals:
            found.append(Issue(shown, f"goals[{gi}].id", f"goal id '{goal.id}' is used twice"))
        seen_goals.add(goal.id)
        for si, subgoal in enumerate(goal.subgoals):
            if subgoal.id in seen_subgoals:
                found.append(
                    Issue(
                        shown, f"goals[{gi}].subgoals[{si}].id", f"sub-goal id '{subgoal.id}' is used twice"
                    )
                )
            seen_subgoals.add(subgoal.id)
    if goals.plan.target_year <= goals.plan.start_year:
        found.append(Issue(shown, "plan.target_year", "must come after plan.start_year"))
    if goals.plan.method_dir is not None:
        own = path.parent / goals.plan.method_dir
        if not (own / "method.nb.md").is_file():
            found.append(
                Issue(
                    shown,
                    "plan.method_dir",
                    f"no method.nb.md in {goals.plan.method_dir!r} (relative to goals.toml's folder): "
                    "the folder holds the plan's own /metode text, method.nb.md and optionally method.en.md",
                )
            )
    return found


def _read_toml(path: Path, issues: list[Issue], memo: Mapping[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The parsed file, or None with its problem in ``issues``.

    A byte-order mark at the start is accepted (Notepad writes one). Files over
    :data:`MAX_TOML_BYTES` and documents nested deeper than :data:`MAX_TOML_DEPTH` are refused.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_TOML_BYTES + 1)
        if len(raw) > MAX_TOML_BYTES:
            issues.append(
                Issue(
                    _show(path), "-", f"the file is larger than {MAX_TOML_BYTES} bytes; is it a definition?"
                )
            )
            return None
        if memo:
            known = memo.get(hashlib.sha256(raw).hexdigest())
            if known is not None:
                return known  # these very bytes parsed before (validated below all the same)
        doc = tomllib.loads(raw.decode("utf-8-sig"))
        if _depth(doc) > MAX_TOML_DEPTH:
            issues.append(
                Issue(
                    _show(path),
                    "-",
                    f"tables and arrays are nested more than {MAX_TOML_DEPTH} levels deep; "
                    "a definition needs no more than 5",
                )
            )
            return None
        return doc
    except RecursionError:
        issues.append(
            Issue(
                _show(path), "-", f"tables and arrays are nested far more than {MAX_TOML_DEPTH} levels deep"
            )
        )
    except FileNotFoundError:
        issues.append(Issue(_show(path), "-", "file not found"))
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts "(at line L, column C)" in its message; lift it into the field slot.
        message = str(exc)
        where = "-"
        if "(at line" in message:
            message, _, rest = message.rpartition(" (at ")
            where = rest.rstrip(")")
        at_line = re.match(r"line ([0-9]+)", where)  # tomllib before 3.14 has no exc.lineno
        lineno = int(at_line.group(1)) if at_line else 0
        hint = _syntax_hint(raw.decode("utf-8-sig", errors="replace"), lineno)
        issues.append(Issue(_show(path), where, f"TOML syntax error: {message}{hint}"))
    except UnicodeDecodeError as exc:
        issues.append(Issue(_show(path), "-", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8"))
    except ValueError as exc:
        message = str(exc)
        if "digits" in message:  # Python refuses to read an integer of more than 4300 digits
            message = "a number has thousands of digits; numbers must be finite and at most 1e15"
        issues.append(Issue(_show(path), "-", f"cannot read the TOML: {_cut(message, 120)}"))
    except OSError as exc:
        issues.append(Issue(_show(path), "-", f"cannot read the file: {exc.strerror or type(exc).__name__}"))
    return None


# Strings are blanked before a line is searched for mistakes: `Tid = "range(2010,2020)"` is fine.
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_DECIMAL_COMMA = re.compile(r"=\s*(-?[0-9]+),([0-9]+)\b")
_YAML_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*:(?:\s+(.*?))?\s*$")
_TOML_SCALAR = re.compile(r'^(-?[0-9][0-9_.eE+-]*|true|false|".*"|\'.*\'|\[.*\]|\{.*\})$')


def _syntax_hint(text: str, lineno: int) -> str:
    """What the analyst most likely meant, for the line a TOML syntax error points at.

    A decimal comma (``limit = 99,5``) and YAML written into a ``.toml`` file (``name: X``,
    ``- item``, ``---``) are the two mistakes people coming from spreadsheets and other dashboards
    make; tomllib's own words ("Expected newline ...") do not say what to write instead.
    """
    lines = text.splitlines()
    if not 0 < lineno <= len(lines):
        return ""
    line = lines[lineno - 1]
    bare = _STRING.sub('""', line)
    comma = _DECIMAL_COMMA.search(bare)
    if comma:
        whole, fraction = comma.groups()
        return (
            f"; a decimal comma? TOML numbers take a decimal point: write {whole}.{fraction}, "
            f"not {whole},{fraction}"
        )
    stripped = line.strip()
    if stripped in {"---", "..."}:
        return (
            f"; `{stripped}` is YAML: definitions are TOML files (key = value), "
            "see indicators/README.md; remove the line"
        )
    if stripped.startswith("- "):
        return (
            "; a YAML list item: this file is TOML, where a list stands on its key's line in "
            'square brackets, e.g. subgoals = ["1.1", "1.2"]'
        )
    yaml_key = _YAML_KEY.match(bare) if "=" not in bare.partition("#")[0] else None
    if yaml_key:
        key = yaml_key.group(1)
        written = line.split(":", 1)[1].strip() if ":" in line else ""
        if not written:
            value = "[...]"
        elif _TOML_SCALAR.match(written):
            value = written
        else:
            value = '"' + written.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return (
            f"; this looks like YAML, but the file is TOML: write `{_cut(key, 40)} = {_cut(value, 60)}` "
            f"instead of `{_cut(key, 40)}:` (text in quotes; see indicators/README.md)"
        )
    return ""


def _depth(doc: object) -> int:
    """How deep tables and arrays nest in ``doc`` (without recursion: it may be very deep)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(doc, 0)]
    while stack:
        node, level = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, level + 1)
        if deepest > MAX_TOML_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _validate_model(model: type[BaseModel], doc: dict[str, Any], path: Path, issues: list[Issue]) -> Any:
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        issues.extend(_pydantic_issues(exc, model, _show(path)))
        return None


def _pydantic_issues(exc: ValidationError, model: type[BaseModel], shown: str) -> list[Issue]:
    found: dict[str, Issue] = {}
    for error in exc.errors(include_url=False):
        loc = [part for part in error["loc"] if not _is_union_part(part)]
        field_name = _dotted(loc)
        message = _message(error, loc, model)
        if field_name in found:
            continue  # a union reports one error per branch; the first says enough
        found[field_name] = Issue(shown, field_name or "-", message)
    return list(found.values())


def _is_union_part(part: object) -> bool:
    return isinstance(part, str) and (
        part in _UNION_PARTS
        or part.startswith(("list[", "constrained-", "function-", "lax-", "json-or-python"))
    )


def _dotted(loc: Iterable[object]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: ErrorDetails, loc: Sequence[object], model: type[BaseModel]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        allowed = _allowed_keys(model, loc[:-1])
        return f"unknown key `{key}`{_landed_hint(key, loc, model) or _did_you_mean(key, allowed)}"
    if kind == "list_type":
        return _list_message(loc, error.get("input"))
    if kind == "missing":
        return "required, but missing" + _MISSING_HINTS.get(_dotted(loc), "")
    if kind == "string_pattern_mismatch":
        field_name = str(loc[-1]) if loc else ""
        if model is GoalsFile and field_name == "id":
            if "subgoals" in loc:
                return (
                    "a sub-goal's id is its goal's number, a dot and its own number, as text: "
                    f'id = "1.2"; got {_brief(error.get("input"))}'
                )
            return f'a goal\'s id is a whole number, as text: id = "1"; got {_brief(error.get("input"))}'
        if field_name == "table":
            return 'SSB table ids are five digits, written as text, e.g. table = "07459"'
        if field_name == "id":
            return "ids (the file name) use lowercase ASCII letters, digits and '-', e.g. elbil-andel"
        if len(loc) >= 2 and loc[-2] == "series":
            return f"series name '{field_name}' must be letters, digits and _ (so the formula can use it)"
    if kind == "int_type" and error["loc"] and error["loc"][-1] == "int":
        # The int branch of a number field (int | float): decimals are allowed there.
        return f"must be a number (e.g. 45 or 45.5), without quotes; got {_brief(error.get('input'))}"
    if kind == "int_type":
        return f"must be a whole number, without quotes; got {_brief(error.get('input'))}"
    if kind == "float_type":
        return f"must be a number, without quotes; got {_brief(error.get('input'))}"
    if kind in {"string_too_short", "too_short"}:
        return "must not be empty"
    if kind in {"greater_than_equal", "less_than_equal"}:
        return error["msg"].replace("Input should be", "must be")
    if kind == "string_type":
        return "must be text (in quotes)"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}; got {_brief(error.get('input'))}"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _landed_hint(key: str, loc: Sequence[object], model: type[BaseModel]) -> str:
    """A top-level key written below ``[series.x]`` or ``[target]`` belongs to that table in TOML.

    Every key after a table header until the next header is part of that table, so ``limit = 100``
    written at the end of the file lands in the last series; say so and where to move it.
    """
    if model is not Definition or len(loc) < 2 or key not in Definition.model_fields or key == "id":
        return ""
    if loc[0] == "series" and len(loc) == 3:
        table = f"[series.{loc[1]}]"
    elif loc[0] == "target" and len(loc) == 2:
        table = "[target]"
    else:
        return ""
    return (
        f"; `{key}` is a key of the indicator, but it stands below {table}, so TOML puts it in that "
        f"table: move it above the first [target] or [series...] line"
    )


def _list_message(loc: Sequence[object], value: object) -> str:
    """A single value where a list is expected: show the list to write (``subgoals = ["3.3"]``)."""
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "key")
    if isinstance(value, str):
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"must be a list in square brackets, even for one item: write {key} = [{_cut(quoted, 60)}]"
    return f"must be a list in square brackets, e.g. {key} = [ ... ]; got {_brief(value)}"


# What a missing key of goals.toml means, so that an analyst knows what to write.
_MISSING_HINTS = {
    "plan.start_year": ": the year the plan's period starts, every indicator's default base year "
    "(e.g. start_year = 2020)",
    "plan.target_year": ": the year the plan aims at, every target's default year (e.g. target_year = 2032)",
}


def _brief(value: object) -> str:
    """A value for a message: its repr, cut short (an analyst's 100 kB string is not echoed)."""
    return _cut(repr(value), 80)


def _allowed_keys(model: type[BaseModel], loc: Sequence[object]) -> list[str]:
    """The keys a (nested) model accepts at ``loc``, for the 'did you mean' hint."""
    from indicators.plan.model import CsvSeries as _Csv
    from indicators.plan.model import SsbSeries as _Ssb
    from indicators.plan.model import Target as _Target

    names = [p for p in loc if isinstance(p, str)]
    if model is Definition and names:
        if names[0] == "target":
            return list(_Target.model_fields)
        if names[0] == "series":
            return list(_Ssb.model_fields) + list(_Csv.model_fields)
    if model is GoalsFile and names:
        if names[0] == "plan":
            return list(Plan.model_fields)
        return list(Subgoal.model_fields) if "subgoals" in names else list(Goal.model_fields)
    return [k for k in model.model_fields if k != "id"]


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def _show(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when possible.

    Links are not followed (a link is shown as itself, not as where it leads), and unprintable
    characters are escaped, so a newline in a file name cannot start another report line.
    """
    absolute = Path(os.path.normpath(Path.cwd() / path))
    cwd = Path.cwd()
    for base in (cwd, cwd.resolve()):
        if absolute.is_relative_to(base):
            return printable(str(absolute.relative_to(base)))
    return printable(str(path))
