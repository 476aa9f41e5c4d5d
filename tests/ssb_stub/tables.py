"""Load and validate the stub's table and codelist fixtures (format: README.md in this folder).

A mistake in a fixture stops the stub with ``FILE: FIELD: MESSAGE``, so whoever writes a
fixture for a real SSB table learns at once what is wrong.
"""

from __future__ import annotations

import copy
import hashlib
import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TABLES_DIR = HERE / "tables"
CODELISTS_DIR = HERE / "codelists"

ROLES = ("geo", "time", "metric")
TIME_UNITS = ("Annual", "Quarterly", "Monthly", "Weekly", "Other")
STATUS_SYMBOLS = (".", "..", ":", "...", "-")
TABLE_KEYS = {
    "id", "label", "label_en", "updated", "time_unit", "subject_code", "source", "decimals",
    "discontinued", "notes", "variables", "rule", "cells",
}  # fmt: skip
VARIABLE_KEYS = {
    "code", "label", "role", "elimination", "elimination_code", "codelists", "values", "years",
    "valid", "units",
}  # fmt: skip
RULE_KEYS = {"base", "trend", "growth", "noise", "scale"}
CELL_KEYS = {"where", "value", "status"}


class FixtureError(ValueError):
    """A fixture file is invalid; the message names the file and the field."""


@dataclass
class StubVariable:
    code: str
    label: str
    role: str | None
    elimination: bool
    elimination_code: str | None
    codelists: list[str]
    codes: list[str]
    labels: dict[str, str]
    valid: dict[str, tuple[int, int]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)

    def position(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}


@dataclass
class Cell:
    where: dict[str, str]
    value: float | None
    status: str | None


@dataclass
class StubTable:
    id: str
    label: str
    label_en: str | None
    updated: datetime
    time_unit: str
    subject_code: str
    source: str
    decimals: int
    discontinued: bool
    notes: list[str]
    variables: list[StubVariable]
    base: float = 100.0
    trend: float = 0.0
    growth: float = 0.0
    noise: float = 0.02
    scale: dict[str, dict[str, float]] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)

    def variable(self, code: str) -> StubVariable | None:
        """The variable with this code (SSB matches variable codes case-insensitively)."""
        for var in self.variables:
            if var.code.lower() == code.lower():
                return var
        return None

    @property
    def time_variable(self) -> StubVariable:
        return next(v for v in self.variables if v.role == "time")

    def base_cell(self, codes: dict[str, str]) -> tuple[float | None, str | None]:
        """The value and status symbol of one cell of the full table (every variable has a code)."""
        value: float | None = None
        status: str | None = None
        explicit = False
        for cell in self.cells:
            if all(codes.get(var) == code for var, code in cell.where.items()):
                explicit = True
                value, status = cell.value, cell.status
        if explicit:
            return value, status
        year = year_of_period(codes[self.time_variable.code])
        for var in self.variables:
            span = var.valid.get(codes[var.code])
            if span and year is not None and not span[0] <= year <= span[1]:
                return None, "."
        return self._rule_value(codes), None

    def _rule_value(self, codes: dict[str, str]) -> float:
        time = self.time_variable
        t = time.position()[codes[time.code]]
        key = "|".join([self.id, *(f"{var.code}={codes[var.code]}" for var in self.variables)])
        digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
        jitter = digest / float(2**64 - 1) * 2 - 1
        value = (self.base + self.trend * t) * (1 + self.growth) ** t * (1 + self.noise * jitter)
        for var, factors in self.scale.items():
            value *= factors.get(codes[var], 1.0)
        return round(value, self.decimals)

    @property
    def first_period(self) -> str:
        return self.time_variable.codes[0]

    @property
    def last_period(self) -> str:
        return self.time_variable.codes[-1]


@dataclass
class CodelistValue:
    code: str
    label: str
    map: list[str]


@dataclass
class StubCodelist:
    id: str
    label: str
    type: str
    elimination: bool
    values: list[CodelistValue]

    def for_table(self, variable: StubVariable) -> list[CodelistValue]:
        """The codelist's values that map to at least one code of the variable, mapped codes in table order."""
        position = variable.position()
        result = []
        for value in self.values:
            mapped = sorted((c for c in value.map if c in position), key=position.__getitem__)
            if mapped:
                result.append(CodelistValue(value.code, value.label, mapped))
        return result


def year_of_period(code: str) -> int | None:
    """The last four-digit year in a period code (``2019-2020`` → 2020, ``2020K1`` → 2020)."""
    years = re.findall(r"(?<![0-9])([12][0-9]{3})", code)
    return int(years[-1]) if years else None


# --- loading -------------------------------------------------------------------------------------


# Parsed fixtures by folder, with the files' names and modification times: every test starts a
# stub, and parsing a few dozen TOML files each time adds up. Callers get copies (tests mutate them).
_LOADED: dict[tuple[str, Path], tuple[tuple, dict]] = {}


def _load_folder(kind: str, directory: Path, load_one) -> dict:
    paths = sorted(directory.glob("*.toml"))
    signature = tuple((p.name, p.stat().st_mtime_ns) for p in paths)
    cached = _LOADED.get((kind, directory))
    if cached is None or cached[0] != signature:
        loaded = {}
        for path in paths:
            item = load_one(path)
            loaded[item.id] = item
        cached = (signature, loaded)
        _LOADED[(kind, directory)] = cached
    return copy.deepcopy(cached[1])


def load_tables(directory: Path = TABLES_DIR) -> dict[str, StubTable]:
    """Every ``*.toml`` table fixture in ``directory``, by table id; raises FixtureError on the first bad file."""
    return _load_folder("tables", directory, load_table)


def load_codelists(directory: Path = CODELISTS_DIR) -> dict[str, StubCodelist]:
    """Every ``*.toml`` codelist fixture in ``directory``, by codelist id."""
    return _load_folder("codelists", directory, load_codelist)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise FixtureError(f"{path}: (file): invalid TOML: {exc}") from exc


def _fail(path: Path, where: str, message: str) -> FixtureError:
    return FixtureError(f"{path}: {where}: {message}")


def _unknown(path: Path, where: str, data: dict, allowed: set[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise _fail(path, where, f"unknown key(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}")


def _text(path: Path, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(path, where, f"expected non-empty text, got {value!r}")
    return value


def _optional_text(path: Path, where: str, value: Any) -> str | None:
    return None if value is None else _text(path, where, value)


def _number(path: Path, where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(path, where, f"expected a number, got {value!r}")
    return float(value)


def load_table(path: Path) -> StubTable:
    """Read and validate one table fixture."""
    data = _read(path)
    _unknown(path, "(top level)", data, TABLE_KEYS)
    table_id = _text(path, "id", data.get("id"))
    if table_id != path.stem:
        raise _fail(path, "id", f"id {table_id!r} must equal the file name {path.stem!r}")
    updated_text = _text(path, "updated", data.get("updated"))
    try:
        updated = datetime.fromisoformat(updated_text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _fail(path, "updated", f"not an ISO 8601 time: {updated_text!r}") from exc
    if updated.tzinfo is None:
        raise _fail(path, "updated", "give the time zone, e.g. 2025-02-21T07:00:00Z")
    time_unit = data.get("time_unit", "Annual")
    if time_unit not in TIME_UNITS:
        raise _fail(path, "time_unit", f"{time_unit!r} is not one of {', '.join(TIME_UNITS)}")
    decimals = data.get("decimals", 0)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
        raise _fail(path, "decimals", f"expected an integer 0-6, got {decimals!r}")
    raw_vars = data.get("variables")
    if not isinstance(raw_vars, list) or not raw_vars:
        raise _fail(path, "variables", "at least one [[variables]] block is required")
    variables = [_variable(path, i, raw) for i, raw in enumerate(raw_vars)]
    codes = [v.code for v in variables]
    if len({c.lower() for c in codes}) != len(codes):
        raise _fail(path, "variables", f"variable codes must be unique: {codes}")
    times = [v for v in variables if v.role == "time"]
    if len(times) != 1:
        raise _fail(path, "variables", f'exactly one variable needs role = "time" (found {len(times)})')
    if times[0].elimination:
        raise _fail(path, f"variables.{times[0].code}.elimination", "the time variable cannot be eliminated")
    table = StubTable(
        id=table_id,
        label=_text(path, "label", data.get("label")),
        label_en=_optional_text(path, "label_en", data.get("label_en")),
        updated=updated.astimezone(UTC),
        time_unit=time_unit,
        subject_code=str(data.get("subject_code", "stub")),
        source=str(data.get("source", "Statistisk sentralbyrå")),
        decimals=decimals,
        discontinued=bool(data.get("discontinued", False)),
        notes=[str(n) for n in data.get("notes", [])],
        variables=variables,
    )
    _rule(path, table, data.get("rule", {}))
    table.cells = [_cell(path, i, table, raw) for i, raw in enumerate(data.get("cells", []))]
    return table


def _values(path: Path, where: str, raw: dict) -> tuple[list[str], dict[str, str]]:
    if "years" in raw:
        years = raw["years"]
        if (
            not isinstance(years, list)
            or len(years) != 2
            or not all(isinstance(y, int) for y in years)
            or years[0] > years[1]
        ):
            raise _fail(path, f"{where}.years", f"expected [first, last] years, got {years!r}")
        codes = [str(y) for y in range(years[0], years[1] + 1)]
        return codes, {c: c for c in codes}
    values = raw.get("values")
    pairs: list[tuple[str, str]]
    if isinstance(values, dict):
        pairs = list(values.items())
    elif isinstance(values, list):
        pairs = []
        for item in values:
            if isinstance(item, str):
                pairs.append((item, item))
            elif isinstance(item, list) and len(item) == 2:
                pairs.append((item[0], item[1]))
            else:
                raise _fail(path, f"{where}.values", f"expected a code or a [code, label] pair, got {item!r}")
    else:
        raise _fail(path, f"{where}.values", "give `values` (a table or list) or `years = [first, last]`")
    for code, label in pairs:
        if not isinstance(code, str) or not code or not isinstance(label, str):
            raise _fail(path, f"{where}.values", f"codes and labels must be text, got {code!r} = {label!r}")
    codes = [c for c, _ in pairs]
    if not codes or len(set(codes)) != len(codes):
        raise _fail(path, f"{where}.values", "needs at least one code, each code once")
    return codes, dict(pairs)


def _variable(path: Path, index: int, raw: Any) -> StubVariable:
    where = f"variables[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, where, "expected a [[variables]] table")
    code = _text(path, f"{where}.code", raw.get("code"))
    where = f"variables.{code}"
    _unknown(path, where, raw, VARIABLE_KEYS)
    role = raw.get("role")
    if role is not None and role not in ROLES:
        raise _fail(path, f"{where}.role", f"{role!r} is not one of {', '.join(ROLES)}")
    codes, labels = _values(path, where, raw)
    elimination_code = raw.get("elimination_code")
    if elimination_code is not None and elimination_code not in labels:
        raise _fail(path, f"{where}.elimination_code", f"{elimination_code!r} is not one of the codes")
    valid = {}
    for vcode, span in raw.get("valid", {}).items():
        if vcode not in labels:
            raise _fail(path, f"{where}.valid", f"{vcode!r} is not one of the codes")
        if not (isinstance(span, list) and len(span) == 2 and all(isinstance(y, int) for y in span)):
            raise _fail(path, f"{where}.valid.{vcode}", f"expected [first, last] years, got {span!r}")
        valid[vcode] = (span[0], span[1])
    codelists = raw.get("codelists", [])
    if not isinstance(codelists, list) or not all(isinstance(c, str) for c in codelists):
        raise _fail(path, f"{where}.codelists", "expected a list of codelist ids")
    units = raw.get("units", {})
    if not isinstance(units, dict) or any(u not in labels for u in units):
        raise _fail(path, f"{where}.units", "expected a table code = unit, for codes of this variable")
    return StubVariable(
        code=code,
        label=_text(path, f"{where}.label", raw.get("label")),
        role=role,
        elimination=bool(raw.get("elimination", False)),
        elimination_code=elimination_code,
        codelists=list(codelists),
        codes=codes,
        labels=labels,
        valid=valid,
        units={k: str(v) for k, v in units.items()},
    )


def _rule(path: Path, table: StubTable, raw: Any) -> None:
    if not isinstance(raw, dict):
        raise _fail(path, "rule", "expected a [rule] table")
    _unknown(path, "rule", raw, RULE_KEYS)
    for key in ("base", "trend", "growth", "noise"):
        if key in raw:
            setattr(table, key, _number(path, f"rule.{key}", raw[key]))
    for var_code, factors in raw.get("scale", {}).items():
        var = table.variable(var_code)
        if var is None or var.code != var_code:
            raise _fail(path, f"rule.scale.{var_code}", "no variable with this code")
        if not isinstance(factors, dict):
            raise _fail(path, f"rule.scale.{var_code}", "expected a table code = factor")
        for code, factor in factors.items():
            if code not in var.labels:
                raise _fail(path, f"rule.scale.{var_code}", f"{code!r} is not a code of {var_code}")
            table.scale.setdefault(var_code, {})[code] = _number(
                path, f"rule.scale.{var_code}.{code}", factor
            )


def _cell(path: Path, index: int, table: StubTable, raw: Any) -> Cell:
    where = f"cells[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, where, "expected a [[cells]] table")
    _unknown(path, where, raw, CELL_KEYS)
    match = raw.get("where")
    if not isinstance(match, dict) or not match:
        raise _fail(path, f"{where}.where", "expected a table of variable = code")
    for var_code, code in match.items():
        var = table.variable(var_code)
        if var is None or var.code != var_code:
            raise _fail(path, f"{where}.where", f"no variable {var_code!r}")
        if code not in var.labels:
            raise _fail(path, f"{where}.where", f"{code!r} is not a code of {var_code}")
    status = raw.get("status")
    if status is not None and status not in STATUS_SYMBOLS:
        raise _fail(path, f"{where}.status", f"{status!r} is not one of {' '.join(STATUS_SYMBOLS)}")
    if "value" not in raw and status is None:
        raise _fail(path, where, "give `value`, `status` or both")
    value = _number(path, f"{where}.value", raw["value"]) if "value" in raw else None
    return Cell(where=dict(match), value=value, status=status)


def load_codelist(path: Path) -> StubCodelist:
    """Read and validate one codelist fixture."""
    data = _read(path)
    _unknown(path, "(top level)", data, {"id", "label", "type", "elimination", "values"})
    codelist_id = _text(path, "id", data.get("id"))
    if codelist_id != path.stem:
        raise _fail(path, "id", f"id {codelist_id!r} must equal the file name {path.stem!r}")
    kind = data.get("type", "Aggregation")
    if kind not in ("Aggregation", "Valueset"):
        raise _fail(path, "type", f"{kind!r} is not Aggregation or Valueset")
    values = []
    for i, raw in enumerate(data.get("values", [])):
        where = f"values[{i}]"
        if not isinstance(raw, dict):
            raise _fail(path, where, "expected a [[values]] table")
        _unknown(path, where, raw, {"code", "label", "map"})
        mapped = raw.get("map")
        if not isinstance(mapped, list) or not mapped or not all(isinstance(c, str) for c in mapped):
            raise _fail(path, f"{where}.map", "expected a non-empty list of codes (text)")
        values.append(
            CodelistValue(
                _text(path, f"{where}.code", raw.get("code")),
                _text(path, f"{where}.label", raw.get("label")),
                list(mapped),
            )
        )
    if not values:
        raise _fail(path, "values", "at least one [[values]] block is required")
    return StubCodelist(
        id=codelist_id,
        label=_text(path, "label", data.get("label")),
        type=kind,
        elimination=bool(data.get("elimination", False)),
        values=values,
    )
