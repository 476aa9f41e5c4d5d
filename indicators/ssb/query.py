"""What SSB says about a table, and what we ask of it: metadata models, selections, expressions.

Pure functions, no network: :mod:`indicators.ssb.client` (which re-exports the models) uses them to
parse table info and metadata, to count a query's cells, to build the GET or POST form of a
query and to narrow a query when it has to be split.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from indicators.errors import BadResponse, UnknownVariable
from indicators.ssb.jsonstat import dimension_codes, dimension_labels, dimension_roles

CONTENT_VARIABLE = "ContentsCode"

# A GET URL longer than this goes as POST: SSB answers 404 to GETs of about 2 000 characters.
MAX_GET_URL = 2000

_EXPRESSION = re.compile(r"^(top|bottom|from|to|range)\((.*)\)$", re.IGNORECASE)


@dataclass(frozen=True)
class VarSelection:
    """What to fetch of one variable: value codes or expressions, and an optional codelist."""

    value_codes: list[str]
    codelist: str | None = None
    output_values: str | None = None  # "aggregated" | "single", for codelists


Selection = dict[str, VarSelection]  # variable code -> selection


def is_expression(item: str) -> bool:
    """Whether a value code is a selection expression (``*``, ``?``, ``top(n)``, ``from(x)`` …)."""
    text = _unbracket(item)
    return "*" in text or "?" in text or bool(_EXPRESSION.match(text))


def _unbracket(item: str) -> str:
    text = item.strip()
    return text[1:-1].strip() if text.startswith("[") and text.endswith("]") else text


def resolve(items: Sequence[str], codes: Sequence[str], *, is_time: bool) -> tuple[list[str], list[str]]:
    """The codes that ``items`` select, in ``codes`` order, and the items that match nothing.

    Follows PxWebApi v2: ``*`` and ``?`` wildcards; ``top(n[,offset])`` is the first n codes
    or, for time, the latest n; ``bottom`` the opposite; ``from(x)``, ``to(x)`` and
    ``range(a,b)`` are inclusive and follow the variable's order. Codes match exactly, then
    case-insensitively.
    """
    position = {code: i for i, code in enumerate(codes)}
    folded = {code.lower(): code for code in codes}
    chosen: set[str] = set()
    unmatched: list[str] = []

    def lookup(text: str) -> str | None:
        return text if text in position else folded.get(text.lower())

    for item in items:
        text = _unbracket(item)
        match = _EXPRESSION.match(text)
        if match:
            found = _expression(match.group(1).lower(), match.group(2), codes, position, lookup, is_time)
            if found is None:
                unmatched.append(item)
            else:
                chosen.update(found)
        elif "*" in text or "?" in text:
            pattern = text.lower()
            hits = [c for c in codes if fnmatch.fnmatchcase(c.lower(), pattern)]
            chosen.update(hits) if hits else unmatched.append(item)
        else:
            code = lookup(text)
            chosen.add(code) if code is not None else unmatched.append(item)
    return sorted(chosen, key=position.__getitem__), unmatched


def _expression(name, args_text, codes, position, lookup, is_time) -> list[str] | None:
    """Codes an expression selects, or None when it is malformed or names unknown codes."""
    args = [a.strip() for a in args_text.split(",")]
    if name in ("top", "bottom"):
        if not 1 <= len(args) <= 2 or not all(a.isdigit() for a in args) or int(args[0]) < 1:
            return None
        n, offset = int(args[0]), int(args[1]) if len(args) == 2 else 0
        ordered = list(reversed(codes)) if is_time else list(codes)
        if name == "bottom":
            ordered.reverse()
        return ordered[offset : offset + n]
    ends = [lookup(a) for a in args]
    if any(e is None for e in ends) or len(ends) != (2 if name == "range" else 1):
        return None
    if name == "from":
        return list(codes[position[ends[0]] :])
    if name == "to":
        return list(codes[: position[ends[0]] + 1])
    lo, hi = sorted(position[e] for e in ends)
    return list(codes[lo : hi + 1])


def selected_codes(
    variable: Variable, selection: VarSelection, codelist_values: dict[str, list[str]] | None
) -> tuple[list[str], list[str]]:
    """The output codes a variable's selection gives, and the items that match nothing.

    ``codelist_values`` (codelist code -> table codes it maps) is needed when the selection
    names a codelist; without it, the selection's items are taken as they are.
    """
    is_time = variable.role == "time"
    if not selection.codelist:
        return resolve(selection.value_codes, variable.codes, is_time=is_time)
    if codelist_values is None:
        return [i for i in selection.value_codes if not is_expression(i)], []
    table_codes = set(variable.codes)
    offered = {code: mapped for code, mapped in codelist_values.items() if table_codes & set(mapped)}
    chosen, unmatched = resolve(selection.value_codes, list(offered), is_time=is_time)
    if (selection.output_values or "").lower() == "single":
        wanted = {c for code in chosen for c in offered[code]}
        chosen = [c for c in variable.codes if c in wanted]
    return chosen, unmatched


# --- what SSB says about a table ------------------------------------------------------------


@dataclass(frozen=True)
class ApiConfig:
    """The limits SSB announces at ``/config``."""

    max_data_cells: int
    max_calls: int
    time_window: float


@dataclass(frozen=True)
class TableInfo:
    """``GET /tables/{id}``: when the table was last updated and what periods it covers."""

    id: str
    label: str
    updated: datetime  # tz-aware, UTC
    first_period: str
    last_period: str
    time_unit: str
    raw: dict


@dataclass(frozen=True)
class Variable:
    """One variable (dimension) of a table, from its metadata."""

    code: str
    label: str
    codes: list[str]
    labels: dict[str, str]
    role: str | None  # "geo" | "time" | "metric" | None
    elimination: bool = False
    codelists: tuple[str, ...] = ()
    # The code SSB answers with when the variable is left out; None: it sums every code.
    elimination_code: str | None = None


@dataclass(frozen=True)
class TableMetadata:
    """``GET /tables/{id}/metadata``: a table's variables and their codes."""

    table_id: str
    label: str
    variables: list[Variable]
    raw: dict

    def variable(self, code: str) -> Variable:
        """The variable with this code; raises UnknownVariable naming the ones that exist."""
        for var in self.variables:
            if var.code == code:
                return var
        known = ", ".join(v.code for v in self.variables)
        hint = next(
            (f" (did you mean {v.code}?)" for v in self.variables if v.code.lower() == code.lower()), ""
        )
        raise UnknownVariable(
            f"table {self.table_id} has no variable {code}{hint}; its variables are {known}"
        )

    def _by_role(self, role: str) -> Variable | None:
        return next((v for v in self.variables if v.role == role), None)

    @property
    def geo_variable(self) -> Variable | None:
        return self._by_role("geo")

    @property
    def time_variable(self) -> Variable | None:
        return self._by_role("time")

    @property
    def content_variable(self) -> Variable | None:
        return self._by_role("metric") or next(
            (v for v in self.variables if v.code == CONTENT_VARIABLE), None
        )


def parse_time(text: Any, where: str) -> datetime:
    if not isinstance(text, str) or not text:
        raise BadResponse(f"{where}: `updated` is missing")
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadResponse(f"{where}: `updated` is not a time: {text!r}") from exc
    # SSB's times are UTC; one without a zone is read as UTC.
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def parse_table_info(doc: dict, url: str) -> TableInfo:
    try:
        return TableInfo(
            id=str(doc["id"]),
            label=str(doc.get("label") or ""),
            updated=parse_time(doc.get("updated"), url),
            first_period=str(doc.get("firstPeriod") or ""),
            last_period=str(doc.get("lastPeriod") or ""),
            time_unit=str(doc.get("timeUnit") or ""),
            raw=doc,
        )
    except KeyError as exc:
        raise BadResponse(f"{url}: table info lacks {exc}") from exc


def parse_table_metadata(table_id: str, doc: dict, url: str) -> TableMetadata:
    try:
        codes = dimension_codes(doc)
        labels = dimension_labels(doc)
        roles = dimension_roles(doc)
    except BadResponse as exc:
        raise BadResponse(f"{url}: {exc}") from exc
    variables = []
    for dim, dim_codes in codes.items():
        body = doc["dimension"][dim]
        extension = body.get("extension") or {}
        codelists = tuple(
            str(c.get("id")) for c in extension.get("codelists") or [] if isinstance(c, dict) and c.get("id")
        )
        variables.append(
            Variable(
                code=dim,
                label=str(body.get("label") or dim),
                codes=dim_codes,
                labels=labels[dim],
                role=roles[dim],
                elimination=bool(extension.get("elimination", False)),
                codelists=codelists,
                elimination_code=_elimination_code(extension, dim_codes),
            )
        )
    return TableMetadata(table_id=table_id, label=str(doc.get("label") or ""), variables=variables, raw=doc)


def _elimination_code(extension: dict, codes: list[str]) -> str | None:
    """The metadata's ``eliminationValueCode`` when it names one of the variable's codes."""
    code = extension.get("eliminationValueCode")
    return str(code) if isinstance(code, str | int) and str(code) in codes else None


# --- the request itself ------------------------------------------------------------------------


def get_params(selection: Selection, *, lang: str) -> list[tuple[str, str]]:
    """Query parameters of a GET data request (``valueCodes[VAR]=a,b`` …)."""
    params: list[tuple[str, str]] = []
    for var, sel in selection.items():
        params.append((f"valueCodes[{var}]", ",".join(sel.value_codes)))
        if sel.codelist:
            params.append((f"codelist[{var}]", sel.codelist))
        if sel.output_values:
            params.append((f"outputValues[{var}]", sel.output_values))
    params += [("outputFormat", "json-stat2"), ("lang", lang)]
    return params


def post_body(selection: Selection) -> dict[str, Any]:
    """The JSON body of a POST data request."""
    items = []
    for var, sel in selection.items():
        item: dict[str, Any] = {"variableCode": var, "valueCodes": list(sel.value_codes)}
        if sel.codelist:
            item["codelist"] = sel.codelist
        if sel.output_values:
            item["outputValues"] = sel.output_values
        items.append(item)
    return {"selection": items}


def needs_post(url: str, selection: Selection) -> bool:
    """POST when the GET URL would be too long, or a code contains a comma (GET splits on commas)."""
    return len(url) > MAX_GET_URL or any(
        "," in c for s in selection.values() for c in s.value_codes if not is_expression(c)
    )


# --- splitting and merging -----------------------------------------------------------------------


def with_codes(selection: Selection, var: str, codes: list[str]) -> Selection:
    """A copy of the selection with one variable narrowed to explicit codes."""
    narrowed = dict(selection)
    current = selection[var]
    if current.codelist and (current.output_values or "").lower() == "single":
        # "single" answers in the table's own codes: ask for those codes directly.
        narrowed[var] = VarSelection(list(codes))
    else:
        narrowed[var] = replace(current, value_codes=list(codes))
    return narrowed


def chunks(codes: list[str], size: int) -> list[list[str]]:
    size = max(1, size)
    return [codes[i : i + size] for i in range(0, len(codes), size)]


def split_variable(meta: TableMetadata, selection: Selection, resolved: dict[str, list[str]]) -> str | None:
    """The variable to split on: the largest selected one that is not the content variable.

    Variables without a codelist come first: their codes are the table's own, so each part is
    a query SSB accepts; codelist codes are only split when nothing else can be.
    """
    content = meta.content_variable.code if meta.content_variable else CONTENT_VARIABLE
    candidates = [
        (bool(selection[v].codelist), -len(codes), v)
        for v, codes in resolved.items()
        if v != content and len(codes) > 1
    ]
    return min(candidates)[2] if candidates else None
