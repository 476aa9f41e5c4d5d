"""``python -m indicators codes T [VAR]`` and ``new ID --table T``: start from a table's metadata.

``codes`` lists a table's variables (or one variable's codes and labels, content codes with their
units) from SSB's metadata. ``new`` writes a commented definition skeleton: every variable with
its codes as comments, the region and time left to the plan as ``refresh`` handles them, and the
choices the analyst must make written as empty values that ``validate`` refuses until they are
made. Exit codes (DESIGN §5): 0 done, 1 a bad id, an unknown table or an existing file, 2 SSB
unreachable (said in one line, within seconds: one retry, a short deadline).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from indicators.config import Settings
from indicators.errors import RateLimited, SsbError, SsbUnavailable, TableNotFound
from indicators.plan.catalog import definition_files, load_goals, printable, validate
from indicators.plan.model import ID_PATTERN, TABLE_PATTERN, GoalsFile, Plan, is_annual
from indicators.ssb.client import SsbClient, TableInfo, TableMetadata, Variable
from indicators.ssb.shape import TableShape, table_region_code, table_shape

# A question to SSB that takes longer than this is not worth waiting for at the keyboard.
DEADLINE_SECONDS = 30.0
# Codes listed per variable in a skeleton (07459's Alder has 106); `codes T VAR` lists any number.
MAX_LISTED_CODES = 500
SERIES_NAME = "verdi"
STATBANK_URL = "https://www.ssb.no/statbank/table/{table}"
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class TableFacts:
    """What the commands need to know about one table, from two metadata requests."""

    info: TableInfo
    meta: TableMetadata
    metadata_url: str

    def units(self, variable: Variable) -> dict[str, tuple[str, int | None]]:
        """JSON-stat ``category.unit`` of a (content) variable: code -> (base, decimals)."""
        body = (self.meta.raw.get("dimension") or {}).get(variable.code) or {}
        raw = (body.get("category") or {}).get("unit") or {}
        out: dict[str, tuple[str, int | None]] = {}
        if isinstance(raw, dict):
            for code, unit in raw.items():
                if isinstance(unit, dict):
                    decimals = unit.get("decimals")
                    out[str(code)] = (
                        str(unit.get("base") or ""),
                        decimals if isinstance(decimals, int) and not isinstance(decimals, bool) else None,
                    )
        return out

    def elimination_code(self, variable: Variable) -> str | None:
        """The code SSB answers with when the variable is left out (else it sums every code)."""
        body = (self.meta.raw.get("dimension") or {}).get(variable.code) or {}
        code = (body.get("extension") or {}).get("eliminationValueCode")
        return str(code) if code is not None and str(code) in variable.labels else None


def _usage_error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _check_table_id(table: str) -> str | None:
    if re.fullmatch(TABLE_PATTERN, table):
        return None
    return f"SSB table ids are five digits, e.g. --table 07459; got {printable(table[:40])!r}"


def _fetch(table: str, settings: Settings) -> TableFacts | int:
    """The table's info and metadata, or the exit code after printing the one line why not."""
    client = SsbClient(
        settings.ssb_api_url,
        timeout=(5.0, 20.0),
        max_retries=1,
        backoff=0.5,
        deadline=time.monotonic() + DEADLINE_SECONDS,
    )
    try:
        info = client.table_info(table)
        meta = client.metadata(table)
    except TableNotFound:
        return _usage_error(f"SSB has no table {table}; check the id on ssb.no/statbank")
    except (SsbUnavailable, RateLimited) as exc:
        print(f"error: SSB could not be reached: {printable(str(exc))}", file=sys.stderr)
        return 2
    except SsbError as exc:
        return _usage_error(printable(str(exc)))
    url = f"{client.base_url}/tables/{table}/metadata?lang={client.lang}"
    return TableFacts(info, meta, url)


# --- codes --------------------------------------------------------------------------------------


def codes_command(args: argparse.Namespace, settings: Settings) -> int:
    """List table T's variables, or variable VAR's codes and labels; 0, 1 unknown, 2 unreachable."""
    problem = _check_table_id(args.table)
    if problem:
        return _usage_error(problem)
    facts = _fetch(args.table, settings)
    if isinstance(facts, int):
        return facts
    if args.variable is None:
        for line in table_lines(facts):
            print(line)
        return 0
    variable = _find_variable(facts.meta, args.variable)
    if variable is None:
        return 1
    for line in variable_lines(facts, variable):
        print(line)
    return 0


def _find_variable(meta: TableMetadata, code: str) -> Variable | None:
    found = next((v for v in meta.variables if v.code == code), None)
    if found is None:
        found = next((v for v in meta.variables if v.code.lower() == code.lower()), None)
    if found is not None:
        return found
    codes = [v.code for v in meta.variables]
    close = difflib.get_close_matches(code, codes, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    _usage_error(
        f"table {meta.table_id} has no variable {printable(code[:60])!r}{hint} "
        f"(its variables: {', '.join(codes)})"
    )
    return None


def _heading(facts: TableFacts) -> list[str]:
    info = facts.info
    return [
        f"Table {info.id} «{printable(info.label)}»",
        f"  updated {info.updated:%Y-%m-%d}, {info.first_period}–{info.last_period}, {info.time_unit or '?'}",
        f"  {STATBANK_URL.format(table=info.id)}",
        f"  metadata: {facts.metadata_url}",
    ]


def _role(variable: Variable, meta: TableMetadata) -> str:
    if variable.role == "geo":
        return "region"
    if variable.role == "time":
        return "time"
    if meta.content_variable is not None and variable.code == meta.content_variable.code:
        return "content"
    return ""


def table_lines(facts: TableFacts) -> list[str]:
    """The table's heading and one line per variable: code, label, number of codes, how to use it."""
    meta = facts.meta
    width = max(len(v.code) for v in meta.variables) if meta.variables else 8
    lines = [*_heading(facts), ""]
    for variable in meta.variables:
        role = _role(variable, meta)
        parts = [role] if role else []
        if role == "time":
            parts.append(f"{variable.codes[0]}–{variable.codes[-1]}" if variable.codes else "no periods")
        elif role == "region":
            parts.append("leave it out: refresh asks for the plan's regions")
        elif variable.elimination:
            total = facts.elimination_code(variable)
            parts.append(f"may be left out (total {total})" if total else "may be left out (summed)")
        else:
            parts.append("must be selected")
        if variable.codelists:
            parts.append("codelists " + ", ".join(printable(c) for c in variable.codelists))
        lines.append(
            f"{variable.code:<{width}}  {len(variable.codes):>5} codes  {printable(variable.label)}"
            f" — {'; '.join(parts)}"
        )
    lines += ["", f"Codes of one variable: python -m indicators codes {meta.table_id} VARIABLE"]
    return lines


def variable_lines(facts: TableFacts, variable: Variable) -> list[str]:
    """One variable's codes and labels, one per line; content codes with their unit."""
    units = facts.units(variable)
    total = facts.elimination_code(variable)
    lines = [
        f"{facts.meta.table_id} {variable.code} «{printable(variable.label)}»: {len(variable.codes)} codes",
    ]
    width = max((len(c) for c in variable.codes), default=4)
    for code in variable.codes:
        line = f"  {printable(code):<{width}}  {printable(variable.labels.get(code, code))}"
        if code in units:
            line += f"  [{_unit_text(units[code])}]"
        if code == total:
            line += "  (the total when left out)"
        lines.append(line)
    return lines


def _unit_text(unit: tuple[str, int | None]) -> str:
    base, decimals = unit
    text = printable(base) or "no unit given"
    return text if decimals is None else f"{text}, {decimals} decimals"


# --- new ----------------------------------------------------------------------------------------


def new_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write ``ID.toml`` from table T's metadata; 0, 1 bad id/table or file exists, 2 unreachable."""
    indicator: str = args.id
    if not re.fullmatch(ID_PATTERN, indicator):
        return _usage_error(
            f"{printable(indicator[:60])!r}: ids (the file name) use lowercase ASCII letters, digits and '-', "
            "e.g. elbil-andel"
        )
    problem = _check_table_id(args.table)
    if problem:
        return _usage_error(problem)
    folder = settings.definitions
    if not folder.is_dir():
        return _usage_error(
            f"{folder}: the definitions folder does not exist; set --definitions or INDICATOR_DIR"
        )
    path = folder / f"{indicator}.toml"
    taken = [p for p in definition_files(folder) if p.stem == indicator]
    if path.exists() or taken:
        where = path if path.exists() else taken[0]
        return _usage_error(f"{where} exists already; choose another id or edit that file")
    goals = load_goals(settings.goals)
    facts = _fetch(args.table, settings)
    if isinstance(facts, int):
        return facts
    if not is_annual(facts.info.time_unit):
        return _usage_error(
            f"table {args.table} is {facts.info.time_unit or 'of unknown frequency'}, not annual; "
            "only annual tables are supported"
        )
    text = skeleton(indicator, facts, goals)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        return _usage_error(f"{path} exists already; choose another id or edit that file")
    except OSError as exc:
        return _usage_error(f"cannot write {path}: {exc.strerror or type(exc).__name__}")
    print(f"Wrote {path} from table {args.table} ({facts.metadata_url})")
    _print_todo(path, settings)
    return 0


def _print_todo(path: Path, settings: Settings) -> None:
    """What validate still says about the new file: the choices left to make."""
    _, issues = validate(settings.definitions, settings.goals)
    own = [i for i in issues if Path(i.path).resolve() == path.resolve()]
    if own:
        print("Still to choose (python -m indicators validate says):")
        for issue in own:
            print(f"  {issue.field}: {issue.message}")
    print(f"Then: python -m indicators check {path.stem}")


def skeleton(indicator: str, facts: TableFacts, goals: GoalsFile) -> str:
    """The text of a definition skeleton for one table (see the module docstring)."""
    meta, info = facts.meta, facts.info
    plan = goals.plan
    shape = table_shape(meta, plan)
    content = meta.content_variable
    content_units = facts.units(content) if content is not None else {}
    unit, decimals = _shared_unit(content, content_units)
    today = time.strftime("%Y-%m-%d")
    out: list[str] = [
        f"# {_comment(_title(info.label))}",
        "#",
        f"# Table: {info.id} «{_comment(info.label)}»",
        f"#        {STATBANK_URL.format(table=info.id)}",
        f"# Codes confirmed in: the table's metadata, {facts.metadata_url} ({today}),",
        f"#   by `python -m indicators new {indicator} --table {info.id}`.",
        f"# Updated {info.updated:%Y-%m-%d}; periods {info.first_period}–{info.last_period}.",
        "#",
        '# Fill in every empty "" below (validate refuses them until you do), delete the comments',
        f"# you do not need, then run `python -m indicators validate` and `python -m indicators check {indicator}`.",
        "",
        f"name = {_toml_str(_title(info.label))}   # the name as shown (bokmål); shorten it",
        '# name_en = ""   # the name in English',
        'subgoals = [""]   # choose one or more sub-goal ids from goals.toml:',
        *[f"#   {s.id}  {_comment(s.title)}" for g in goals.goals for s in g.subgoals],
        f'unit = {_toml_str(unit)}   # shown after the values, e.g. "prosent", "personer", "kroner"',
        f"decimals = {decimals}",
        'direction = ""   # choose: "increase" (higher is better) or "decrease" (lower is better)',
        "# limit = 100   # a natural limit, e.g. 100 for a percentage",
        'description = ""   # what is measured, for whom, at what time of year (Markdown)',
        "# [target] (optional): see indicators/README.md; never invent a target figure",
        "",
        f"[series.{SERIES_NAME}]",
        f'table = "{info.id}"',
    ]
    select: dict[str, str] = {}
    for variable in meta.variables:
        out += _variable_comment(variable, facts, shape, plan, content, content_units, select)
    body = ", ".join(f"{_toml_key(k)} = {_toml_str(v)}" for k, v in select.items())
    out.append(f"select = {{ {body} }}" if body else "select = {}")
    return "\n".join(out) + "\n"


def _variable_comment(
    variable: Variable,
    facts: TableFacts,
    shape: TableShape,
    plan: Plan,
    content: Variable | None,
    content_units: dict[str, tuple[str, int | None]],
    select: dict[str, str],
) -> list[str]:
    """The comment lines for one variable; a variable that must be chosen goes into ``select``."""
    count = f"{len(variable.codes)} code" + ("" if len(variable.codes) == 1 else "s")
    head = f"# {variable.code} «{_comment(variable.label)}», {count}"
    if variable.code == shape.geo:
        return [f"{head}: the region; leave it out.", *_region_comment(variable, shape, plan)]
    if variable.code == shape.time:
        span = f"{variable.codes[0]}–{variable.codes[-1]}" if variable.codes else "no periods"
        return [
            f"{head} ({span}): the time; left out, every year is fetched.",
            f"#   To start later, select e.g. {_toml_key(variable.code)} = "
            f'"from({variable.codes[len(variable.codes) // 2] if variable.codes else 2015})".',
        ]
    is_content = content is not None and variable.code == content.code
    if len(variable.codes) == 1:
        how = "one code, chosen for you"
        select[variable.code] = variable.codes[0]
    elif is_content:
        how = "choose one and write it in select below"
        select[variable.code] = ""
    elif not variable.elimination:
        how = "cannot be left out: choose a code (or a list, which is summed) in select below"
        select[variable.code] = ""
    else:
        total = facts.elimination_code(variable)
        how = (
            f"may be left out: SSB then gives its total, {total} «{_comment(variable.labels[total])}»"
            if total
            else "may be left out: SSB then sums over every code"
        ) + "; or select codes"
    lines = [f"{head}: {how}:"]
    for code in variable.codes[:MAX_LISTED_CODES]:
        line = f'#   "{_comment(code)}" = {_comment(variable.labels.get(code, code))}'
        if code in content_units:
            line += f" [{_comment(_unit_text(content_units[code]))}]"
        lines.append(line)
    rest = len(variable.codes) - MAX_LISTED_CODES
    if rest > 0:
        lines.append(
            f"#   … and {rest} more: python -m indicators codes {facts.meta.table_id} {variable.code}"
        )
    return lines


def _region_comment(variable: Variable, shape: TableShape, plan: Plan) -> list[str]:
    regions = [plan.region, *plan.peers]
    asked = ", ".join(table_region_code(r, shape.k_codes) for r in regions)
    if shape.codelist:
        how = f"as K-codes with the codelist {shape.codelist}, which joins merged municipalities"
    elif shape.k_codes:
        how = "as the table's own K-codes"
    else:
        how = f"as plain municipality codes (the table offers no {plan.region_codelist} codelist)"
    lines = [f"#   refresh asks for the plan's region and peers, {asked},", f"#   {how}."]
    home = table_region_code(plan.region, shape.k_codes)
    if not shape.codelist and home not in variable.codes:
        lines.append(f"#   NOTE: {home} is not a code of {variable.code}; `check` will say what to do.")
    lines.append('#   To compare with other regions than [plan].peers: peers = ["K-0301"] above [series...].')
    return lines


def _shared_unit(content: Variable | None, units: dict[str, tuple[str, int | None]]) -> tuple[str, int]:
    """The unit and decimals when every content code has the same ones, else ("", 1) to choose."""
    if content is None:
        return "", 1
    found = {units[c] for c in content.codes if c in units}
    if len(found) == 1 and len(units) >= len(content.codes):
        base, decimals = found.pop()
        return base, decimals if decimals is not None and 0 <= decimals <= 6 else 1
    return "", 1


def _title(label: str) -> str:
    """``07459: Befolkning, etter region, ...`` → ``Befolkning``: a first guess at the name."""
    text = label.split(":", 1)[1] if re.match(r"^\s*[0-9]{5}\s*:", label) else label
    text = re.split(r",\s*etter\b|\s+etter\s", text, maxsplit=1)[0].strip()
    return text or label.strip() or "Ny indikator"


def _comment(text: str) -> str:
    """Text for inside a comment: one line, control characters escaped (TOML allows none)."""
    return printable(" ".join(str(text).split()))


def _toml_str(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that DEL must be escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_str(key)
