"""A table's shape and the region rules: which variables are region and time, how regions are coded.

The one place that knows how a table spells the plan's regions, used both when asking SSB
(:mod:`indicators.store.planning`, from a table's metadata) and when reading its answer
(:mod:`indicators.series.compute`, from a JSON-stat2 response). goals.toml writes regions as
``K-`` codes (``K-5001``, as SSB's ``agg_KommSummer`` codelist spells them); a table whose region
variable takes plain municipality codes (KOSTRA's ``KOKkommuneregion0000``) gets them without
the prefix and without the codelist.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from indicators.errors import BadResponse
from indicators.plan.model import REGION_VARIABLES, TIME_VARIABLE, Definition, Plan

if TYPE_CHECKING:
    from indicators.plan.catalog import Catalog
    from indicators.ssb.query import TableMetadata

K_PREFIX = "K-"

_MUNICIPALITY = re.compile(r"^[0-9]{4}$")
_YEARS_SUFFIX = re.compile(r"\s*\((?:[0-9]{4})?\s*-\s*(?:[0-9]{4})?\)\s*$")


# --- regions ---------------------------------------------------------------------------------


def clean_region_label(label: str) -> str:
    """A region's everyday name: ``Trondheim - Tråante`` → ``Trondheim``, ``Bergen (-2019)`` → ``Bergen``.

    SSB writes official Sami and Kven names after `` - ``; hyphens inside a name
    (``Aurskog-Høland``) have no spaces around them and stay.
    """
    name = label.split(" - ", 1)[0]
    return _YEARS_SUFFIX.sub("", name).strip() or label.strip()


def output_region(code: str) -> str:
    """A region code as goals.toml spells it: plain municipality codes get the ``K-`` prefix."""
    return K_PREFIX + code if _MUNICIPALITY.match(code) else code


def table_region_code(code: str, k_codes: bool) -> str:
    """A goals.toml region code as a table spells it: without ``K-`` for plain-code tables."""
    return code if k_codes else code.removeprefix(K_PREFIX)


def default_regions(catalog: Catalog, definition: Definition) -> list[str]:
    """The home region and the definition's peers (K-codes), home first, without duplicates."""
    return list(dict.fromkeys([catalog.plan.region, *catalog.peers_for(definition)]))


# --- a table's shape -------------------------------------------------------------------------


@dataclass(frozen=True)
class TableShape:
    """Which variables of a table are region and time, and how to ask for and read its regions.

    From the table's metadata when planning (kept in the manifest), or from a response when
    reading it (then ``codelist`` is None: a response does not say which codelist was asked).
    """

    variables: tuple[str, ...]  # in the table's order
    geo: str | None
    time: str
    k_codes: bool  # regions as K-codes (agg_KommSummer) rather than plain municipality codes
    codelist: str | None = None  # codelist to send with K-codes (None when the codes are K-codes already)
    # Eliminable variables and what SSB's elimination answers with: the elimination value code,
    # or None when it sums every code (ask for "*" and sum locally to get the same).
    eliminable: tuple[tuple[str, str | None], ...] = ()

    def elimination_codes(self, variable: str) -> list[str] | None:
        """The codes to ask for so that a series leaving ``variable`` out can be summed locally
        exactly as SSB's elimination would; None when the variable cannot be eliminated."""
        for var, code in self.eliminable:
            if var == variable:
                return [code] if code is not None else ["*"]
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "variables": list(self.variables),
            "geo": self.geo,
            "time": self.time,
            "k_codes": self.k_codes,
            "codelist": self.codelist,
            "eliminable": [[var, code] for var, code in self.eliminable],
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> TableShape | None:
        if not doc:
            return None
        return cls(
            variables=tuple(doc["variables"]),
            geo=doc.get("geo"),
            time=str(doc["time"]),
            k_codes=bool(doc["k_codes"]),
            codelist=doc.get("codelist"),
            eliminable=tuple((str(v), None if c is None else str(c)) for v, c in doc.get("eliminable") or ()),
        )


def table_shape(meta: TableMetadata, plan: Plan) -> TableShape:
    """Read the region and time variables from a table's metadata, and how to ask for regions."""
    by_code = {v.code: v for v in meta.variables}
    geo = meta.geo_variable or next((by_code[c] for c in REGION_VARIABLES if c in by_code), None)
    time = meta.time_variable or by_code.get(TIME_VARIABLE)
    time_code = time.code if time else TIME_VARIABLE
    k_codes, codelist = False, None
    if geo is not None:
        if any(code.startswith(K_PREFIX) for code in geo.codes):
            k_codes = True
        elif plan.region_codelist in geo.codelists:
            k_codes, codelist = True, plan.region_codelist
    return TableShape(
        variables=tuple(v.code for v in meta.variables),
        geo=geo.code if geo else None,
        time=time_code,
        k_codes=k_codes,
        codelist=codelist,
        eliminable=tuple((v.code, v.elimination_code) for v in meta.variables if v.elimination),
    )


def response_shape(doc: Mapping[str, Any], codes: Mapping[str, list[str]] | None = None) -> TableShape:
    """Find the region and time variables of a JSON-stat2 response (roles, then known names).

    ``codes`` (variable -> category codes) when the caller has read them already.
    """
    from indicators.ssb.jsonstat import dimension_codes, dimension_roles

    codes = codes if codes is not None else dimension_codes(dict(doc))
    roles = dimension_roles(dict(doc))
    geo = next((d for d, r in roles.items() if r == "geo"), None)
    geo = geo or next((d for d in roles if d in REGION_VARIABLES), None)
    time = next((d for d, r in roles.items() if r == "time"), None)
    time = time or (TIME_VARIABLE if TIME_VARIABLE in roles else None)
    if time is None:
        raise BadResponse(f"{table_of(doc)}: the response has no time variable (role 'time' or 'Tid')")
    k_codes = bool(geo and any(c.startswith(K_PREFIX) for c in codes[geo]))
    return TableShape(variables=tuple(roles), geo=geo, time=time, k_codes=k_codes)


def table_of(doc: Mapping[str, Any]) -> str:
    """The table id a response says it is from (for messages)."""
    table = ((doc.get("extension") or {}).get("px") or {}).get("tableid")
    return str(table) if table else str(doc.get("label", "?")).split(":", 1)[0]
