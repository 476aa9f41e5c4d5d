"""Resolve a PxWebApi v2 selection against a stub table and build the JSON-stat2 answer.

Written independently of the client's own expression handling (indicators/ssb/client/query.py) on
purpose: a shared bug would make the tests pass against a wrong server.
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from dataclasses import dataclass
from typing import Any

from tests.ssb_stub.tables import StubCodelist, StubTable, StubVariable

_CALL = re.compile(r"^(top|bottom|from|to|range)\((.*)\)$", re.IGNORECASE)


class QueryError(Exception):
    """A query the real API would refuse with 400; ``detail`` is the problem+json detail."""

    def __init__(self, detail: str, status: int = 400, title: str = "Bad Request") -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.title = title


@dataclass
class VarRequest:
    """What a query asks of one variable."""

    value_codes: list[str]
    codelist: str | None = None
    output_values: str | None = None


@dataclass
class Output:
    """One variable in the answer: its codes, labels, and the table codes each output code sums."""

    variable: StubVariable
    codes: list[str]
    labels: dict[str, str]
    members: dict[str, list[str]]


def split_value_codes(text: str) -> list[str]:
    """Split a GET ``valueCodes`` parameter on commas outside parentheses and brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def resolve_codes(items: list[str], codes: list[str], *, is_time: bool, variable: str) -> list[str]:
    """The codes (in ``codes`` order) that value codes and expressions select."""
    position = {c: i for i, c in enumerate(codes)}
    lowered = {c.lower(): c for c in codes}
    chosen: set[str] = set()

    def code_of(text: str) -> str:
        code = text if text in position else lowered.get(text.lower())
        if code is None:
            raise QueryError(f"Value, {text} is not a valid value code for variable {variable}")
        return code

    for raw in items:
        item = raw.strip()
        if item.startswith("[") and item.endswith("]"):
            item = item[1:-1].strip()
        call = _CALL.match(item)
        if call:
            name, args = call.group(1).lower(), [a.strip() for a in call.group(2).split(",")]
            chosen.update(_expression(name, args, codes, position, code_of, is_time, raw))
        elif "*" in item or "?" in item:
            pattern = item.lower()
            chosen.update(c for c in codes if fnmatch.fnmatchcase(c.lower(), pattern))
        else:
            chosen.add(code_of(item))
    return sorted(chosen, key=position.__getitem__)


def _expression(name, args, codes, position, code_of, is_time, raw) -> list[str]:
    if name in ("top", "bottom"):
        try:
            n = int(args[0])
            offset = int(args[1]) if len(args) > 1 else 0
        except (ValueError, IndexError) as exc:
            raise QueryError(f"Invalid selection expression {raw}") from exc
        if n < 1 or offset < 0 or len(args) > 2:
            raise QueryError(f"Invalid selection expression {raw}")
        # top() means the latest periods for time, the first values otherwise.
        latest_first = list(reversed(codes)) if is_time else list(codes)
        ordered = latest_first if name == "top" else list(reversed(latest_first))
        return ordered[offset : offset + n]
    if name in ("from", "to"):
        if len(args) != 1:
            raise QueryError(f"Invalid selection expression {raw}")
        at = position[code_of(args[0])]
        return codes[at:] if name == "from" else codes[: at + 1]
    if len(args) != 2:
        raise QueryError(f"Invalid selection expression {raw}")
    lo, hi = position[code_of(args[0])], position[code_of(args[1])]
    return codes[min(lo, hi) : max(lo, hi) + 1]


def parse_get(params: dict[str, list[str]]) -> dict[str, VarRequest]:
    """The selection in GET parameters ``valueCodes[V]``, ``codelist[V]``, ``outputValues[V]``."""
    selection: dict[str, VarRequest] = {}
    extras: dict[str, dict[str, str]] = {"codelist": {}, "outputvalues": {}}
    for key, values in params.items():
        match = re.fullmatch(r"(valuecodes|codelist|outputvalues)\[(.+)\]", key, re.IGNORECASE)
        if not match:
            continue
        kind, var = match.group(1).lower(), match.group(2)
        if kind == "valuecodes":
            items = [code for value in values for code in split_value_codes(value)]
            selection.setdefault(var, VarRequest([])).value_codes.extend(items)
        else:
            extras[kind][var] = values[-1]
    for var, codelist in extras["codelist"].items():
        selection.setdefault(var, VarRequest([])).codelist = codelist
    for var, output in extras["outputvalues"].items():
        selection.setdefault(var, VarRequest([])).output_values = output
    return selection


def parse_post(body: Any) -> dict[str, VarRequest]:
    """The selection in a POST body ``{"selection": [{"variableCode", "valueCodes", "codelist"}]}``."""
    if not isinstance(body, dict) or not isinstance(body.get("selection", []), list):
        raise QueryError('The body must be a JSON object {"selection": [...]}')
    selection = {}
    for item in body.get("selection", []):
        if not isinstance(item, dict) or not isinstance(item.get("variableCode"), str):
            raise QueryError("Each selection needs a variableCode")
        codes = item.get("valueCodes", [])
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise QueryError(f"valueCodes of {item['variableCode']} must be a list of strings")
        selection[item["variableCode"]] = VarRequest(codes, item.get("codelist"), item.get("outputValues"))
    return selection


def plan_outputs(
    table: StubTable, selection: dict[str, VarRequest], codelists: dict[str, StubCodelist]
) -> tuple[list[Output], dict[str, list[str]]]:
    """Which output codes each variable gets, and the codes eliminated variables sum over."""
    by_code = {}
    for var_code, request in selection.items():
        var = table.variable(var_code)
        if var is None:
            raise QueryError(f"Variable {var_code} does not exist in table {table.id}")
        by_code[var.code] = request
    outputs, eliminated = [], {}
    for var in table.variables:
        asked = by_code.get(var.code)
        if asked is None or not asked.value_codes:
            if not var.elimination:
                raise QueryError(
                    f"Variable {var.code} cannot be eliminated and must be selected in table {table.id}"
                )
            eliminated[var.code] = [var.elimination_code] if var.elimination_code else list(var.codes)
            continue
        outputs.append(_output(table, var, asked, codelists))
    return outputs, eliminated


def _output(table: StubTable, var: StubVariable, request: VarRequest, codelists) -> Output:
    is_time = var.role == "time"
    if not request.codelist:
        codes = resolve_codes(request.value_codes, var.codes, is_time=is_time, variable=var.code)
        return Output(var, codes, {c: var.labels[c] for c in codes}, {c: [c] for c in codes})
    codelist = codelists.get(request.codelist)
    if codelist is None or request.codelist not in var.codelists:
        raise QueryError(f"Codelist {request.codelist} is not available for variable {var.code}")
    values = {v.code: v for v in codelist.for_table(var)}
    chosen = resolve_codes(request.value_codes, list(values), is_time=is_time, variable=var.code)
    if (request.output_values or "aggregated").lower() == "single":
        wanted = {c for code in chosen for c in values[code].map}
        codes = [c for c in var.codes if c in wanted]
        return Output(var, codes, {c: var.labels[c] for c in codes}, {c: [c] for c in codes})
    return Output(var, chosen, {c: values[c].label for c in chosen}, {c: values[c].map for c in chosen})


def cell_count(outputs: list[Output]) -> int:
    count = 1
    for out in outputs:
        count *= len(out.codes)
    return count


def build_dataset(
    table: StubTable, outputs: list[Output], eliminated: dict[str, list[str]], *, lang: str, base_url: str
) -> dict[str, Any]:
    """The JSON-stat2 dataset for the planned outputs, laid out as SSB lays out a data answer."""
    values: list[float | None] = []
    status: dict[str, str] = {}
    member_lists = [[out.members[c] for c in out.codes] for out in outputs]
    out_vars = [out.variable.code for out in outputs]
    elim_vars = list(eliminated)
    for index, combo in enumerate(itertools.product(*member_lists)):
        total, seen_value, missing = 0.0, False, None
        for parts in itertools.product(*combo, *(eliminated[v] for v in elim_vars)):
            codes = dict(zip(out_vars + elim_vars, parts, strict=True))
            value, cell_status = table.base_cell(codes)
            if value is not None:
                total += value
                seen_value = True
            elif cell_status != "." and missing is None:
                # "." (does not exist, e.g. a municipality before a merger) adds nothing to a sum;
                # ".." or ":" make the whole sum unknown.
                missing = cell_status or ".."
        if missing is not None or not seen_value:
            values.append(None)
            status[str(index)] = missing or "."
        else:
            values.append(round(total, table.decimals))
    doc = metadata_skeleton(table, outputs, lang=lang, base_url=base_url, data=True)
    doc["value"] = values
    if status:
        doc["status"] = status
    return doc


def metadata_skeleton(
    table: StubTable, outputs: list[Output], *, lang: str, base_url: str, data: bool
) -> dict[str, Any]:
    """The JSON-stat2 envelope: dimensions in table order, roles, extensions; value left for the caller."""
    label = table.label_en if lang == "en" and table.label_en else table.label
    dimension: dict[str, Any] = {}
    for out in outputs:
        var = out.variable
        category: dict[str, Any] = {
            "index": {code: i for i, code in enumerate(out.codes)},
            "label": dict(out.labels),
        }
        if var.role == "metric":
            category["unit"] = {
                code: {"base": var.units.get(code, ""), "decimals": table.decimals} for code in out.codes
            }
        extension: dict[str, Any] = {"elimination": var.elimination, "show": "value"}
        if not data and var.codelists:
            extension["codelists"] = [
                {
                    "id": cl,
                    "label": cl,
                    "type": "Aggregation" if cl.startswith("agg_") else "Valueset",
                    "links": [
                        {"rel": "self", "hreflang": lang, "href": f"{base_url}/codeLists/{cl}?lang={lang}"}
                    ],
                }
                for cl in var.codelists
            ]
        # SSB names the elimination value code in metadata and data alike (PxAPI-2.yml, the
        # JSON-stat dimension extension).
        if var.elimination_code and var.elimination_code in out.codes:
            extension["eliminationValueCode"] = var.elimination_code
        dimension[var.code] = {"label": var.label, "category": category, "extension": extension}
    roles: dict[str, list[str]] = {}
    for out in outputs:
        if out.variable.role:
            roles.setdefault(out.variable.role, []).append(out.variable.code)
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": table.source,
        "updated": table.updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "id": [out.variable.code for out in outputs],
        "size": [len(out.codes) for out in outputs],
        "dimension": dimension,
        "extension": {
            "px": {"tableid": table.id, "decimals": table.decimals, "language": lang, "contents": label},
        },
        "role": roles,
    }
    if table.notes:
        doc["note"] = list(table.notes)
    return doc
