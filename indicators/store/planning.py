"""Refresh planning: which request to send to each SSB table, so every table is asked once.

Every SSB series of every indicator is grouped by table. The series of one table are asked in a
single request carrying the union of their selections (per variable, the union of codes), and
each series is later cut out of the shared response by its own selection
(:mod:`indicators.series.compute`). Where one series selects a variable (``Kjonn = "2"``) that
another leaves out (eliminated), the request also asks for what SSB's elimination answers with:
the variable's elimination value code when the metadata names one, else all its codes (``*``),
which the eliminating series then sums locally, exactly as SSB would. Two exceptions split a
table's series into more than one request, because one request could not answer them correctly:

* series that ask for different codelists on the same variable;
* a variable one series selects and another leaves out, when the metadata says it cannot be
  eliminated (SSB would refuse the second series' own query anyway).

A series that does not select the region variable gets the plan's home region and the
indicator's peers: as K-codes with the plan's codelist (``agg_KommSummer``) when the table offers
it, as plain municipality codes (``K-`` dropped, no codelist) when the table's region variable
takes plain codes, as KOSTRA's ``KOKkommuneregion0000`` does. Time not selected means all periods.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from indicators.plan.catalog import Catalog
from indicators.plan.model import Breakdown, SsbSeries
from indicators.sources.ssb import series_id, ssb_series
from indicators.ssb.client import VarSelection
from indicators.ssb.query import is_expression
from indicators.ssb.shape import TableShape, default_regions, table_region_code

ALL = "*"


@dataclass(frozen=True)
class SeriesRef:
    """One SSB series of one indicator."""

    indicator: str
    name: str
    series: SsbSeries

    @property
    def id(self) -> str:
        return series_id(self.indicator, self.name)


@dataclass
class TableRequest:
    """One data request to a table and the series it serves."""

    table: str
    selection: dict[str, VarSelection]
    serves: list[SeriesRef] = field(default_factory=list)

    def selection_json(self) -> dict[str, dict[str, Any]]:
        """The selection as stored in the manifest (and compared to find changed definitions)."""
        return {
            var: {
                "valueCodes": list(sel.value_codes),
                "codelist": sel.codelist,
                "outputValues": sel.output_values,
            }
            for var, sel in self.selection.items()
        }

    @property
    def serves_ids(self) -> tuple[str, ...]:
        return tuple(ref.id for ref in self.serves)


def series_by_table(
    catalog: Catalog, indicator_ids: Iterable[str] | None = None
) -> dict[str, list[SeriesRef]]:
    """Every SSB series of the chosen indicators (all by default), grouped by table, sorted by table."""
    chosen = list(indicator_ids) if indicator_ids is not None else list(catalog.indicators)
    grouped: dict[str, list[SeriesRef]] = {}
    for indicator in chosen:
        for name, series in ssb_series(catalog.indicators[indicator]).items():
            grouped.setdefault(series.table, []).append(SeriesRef(indicator, name, series))
    return dict(sorted(grouped.items()))


def plan_table(
    table: str,
    refs: Sequence[SeriesRef],
    shape: TableShape,
    catalog: Catalog,
    known: Mapping[str, Collection[str]] | None = None,
) -> list[TableRequest]:
    """The requests for one table: one, unless its series ask for different codelists on a
    variable, or leave out a variable that cannot be eliminated while another selects it.

    ``known`` (variable -> its codes, from the metadata) keeps breakdown codes the table lacks
    out of the request, so that SSB does not refuse the total for them (the refresh warns,
    :func:`breakdown_gaps`)."""
    members: list[tuple[SeriesRef, dict[str, list[str]], dict[str, str]]] = []
    for ref in refs:
        wanted = ref.series.value_codes()
        codelists = dict(ref.series.codelist)
        if shape.geo:
            if shape.geo in wanted:
                wanted[shape.geo] = [table_region_code(c, shape.k_codes) for c in wanted[shape.geo]]
            else:
                regions = default_regions(catalog, catalog.indicators[ref.indicator])
                wanted[shape.geo] = [table_region_code(r, shape.k_codes) for r in regions]
            if shape.codelist and shape.geo not in codelists:
                codelists[shape.geo] = shape.codelist
        wanted.setdefault(shape.time, [ALL])
        _add_breakdowns(wanted, catalog.indicators[ref.indicator].breakdowns, shape, known)
        members.append((ref, wanted, codelists))
    groups: list[list[tuple[SeriesRef, dict[str, list[str]], dict[str, str]]]] = []
    for member in members:
        home = next((g for g in groups if all(_compatible(member, other, shape) for other in g)), None)
        if home is None:
            groups.append([member])
        else:
            home.append(member)
    requests = []
    order = {var: i for i, var in enumerate(shape.variables)}
    for group in groups:
        selected = {var for _, wanted, _ in group for var in wanted}
        variables = sorted(selected, key=lambda v: order.get(v, len(order)))
        selection = {}
        for var in variables:
            codelist = next((cl[var] for _, _, cl in group if var in cl), None)
            # A series that leaves ``var`` out while another selects it asks for what SSB's
            # elimination sums over; it is summed locally when the series is cut out.
            lists = [wanted.get(var) or shape.elimination_codes(var) or [ALL] for _, wanted, _ in group]
            selection[var] = VarSelection(
                union_codes(lists),
                codelist=codelist,
                # SSB's own examples send this with aggregation codelists; harmless where ignored.
                output_values="aggregated" if codelist and codelist.startswith("agg_") else None,
            )
        requests.append(TableRequest(table, selection, [ref for ref, _, _ in group]))
    return requests


def _add_breakdowns(
    wanted: dict[str, list[str]],
    breakdowns: Sequence[Breakdown],
    shape: TableShape,
    known: Mapping[str, Collection[str]] | None = None,
) -> None:
    """Add the codes the indicator's breakdowns cut out to the series' request, in place.

    The series' own codes (or, when it leaves the variable out, what SSB's elimination sums)
    stay in, so the total and every category come from the one request. A breakdown variable
    the table lacks, and codes not in ``known``, are left out (the refresh warns about them,
    :func:`breakdown_gaps`): the total still refreshes.
    """
    for breakdown in breakdowns:
        var = breakdown.variable
        if var not in shape.variables or var in (shape.geo, shape.time):
            continue
        own = wanted.get(var) or shape.elimination_codes(var) or [ALL]
        if breakdown.groups is not None:
            extra = [code for codes in breakdown.groups.values() for code in codes]
        else:
            extra = list(breakdown.codes) if breakdown.codes is not None else [ALL]
        if known is not None and var in known:
            extra = [code for code in extra if code == ALL or code in known[var]]
        wanted[var] = union_codes([own, extra])


@dataclass(frozen=True)
class BreakdownGap:
    """A definition's breakdown that a table's metadata cannot serve (the refresh warns)."""

    indicator: str
    table: str
    variable: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {
            "indicator": self.indicator,
            "table": self.table,
            "variable": self.variable,
            "reason": self.reason,
        }


def breakdown_gaps(
    table: str,
    refs: Sequence[SeriesRef],
    shape: TableShape,
    catalog: Catalog,
    known: Mapping[str, Collection[str]],
) -> list[BreakdownGap]:
    """Every breakdown of the indicators in ``refs`` whose variable or codes the table's
    metadata (``known``: variable -> codes) lacks, once per indicator and variable."""
    gaps: dict[tuple[str, str], BreakdownGap] = {}
    for ref in refs:
        for breakdown in catalog.indicators[ref.indicator].breakdowns:
            var = breakdown.variable
            if (ref.indicator, var) in gaps:
                continue
            reason = None
            if var in (shape.geo, shape.time):
                reason = f"{var} is the table's region or time variable"
            elif var not in known:
                reason = f"table {table} has no variable {var}; its variables are {', '.join(known)}"
            else:
                codes = (
                    [c for codes in breakdown.groups.values() for c in codes]
                    if breakdown.groups is not None
                    else list(breakdown.codes or ())
                )
                missing = [c for c in dict.fromkeys(codes) if c != ALL and c not in known[var]]
                if missing:
                    reason = f"table {table} has no code {', '.join(missing)} for {var}"
            if reason is not None:
                gaps[(ref.indicator, var)] = BreakdownGap(ref.indicator, table, var, reason)
    return list(gaps.values())


def _compatible(
    one: tuple[SeriesRef, dict[str, list[str]], dict[str, str]],
    other: tuple[SeriesRef, dict[str, list[str]], dict[str, str]],
    shape: TableShape,
) -> bool:
    """Whether two series can share one request: the same codelist on every variable either
    names, and every variable only one of them selects can be eliminated (summed locally)."""
    _, wanted_a, lists_a = one
    _, wanted_b, lists_b = other
    if any(lists_a.get(var) != lists_b.get(var) for var in set(lists_a) | set(lists_b)):
        return False
    only_one = set(wanted_a) ^ set(wanted_b)
    return all(shape.elimination_codes(var) is not None for var in only_one)


def union_codes(lists: Sequence[Sequence[str]]) -> list[str]:
    """Per variable the union of several series' codes.

    Identical lists are sent as they are; plain codes are merged in first-seen order. Different
    expressions cannot be merged safely (SSB does not promise to accept a mix), so they become
    ``*`` and each series is cut out by its own expression afterwards.
    """
    first = list(lists[0])
    if all(list(other) == first for other in lists[1:]):
        return first
    if any(is_expression(item) for codes in lists for item in codes):
        return [ALL]
    return list(dict.fromkeys(code for codes in lists for code in codes))
