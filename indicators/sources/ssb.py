"""SSB's statistics tables (PxWebApi v2) as a series source.

A refresh fetches the table (:mod:`indicators.store.refresh`, one request per table however
many series use it); reading cuts each series out of the cached response that was asked for it
and sums it over every variable but region and time. Each response is parsed once into arrays
(:class:`ParsedResponse`, cached on its :class:`TableResponse`) for every series cut from it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import numpy as np

from indicators.errors import ComputeError
from indicators.plan.model import Definition, SsbSeries, year_of_period
from indicators.series.arrays import (
    NOT_MISSING,
    OTHER_SYMBOL,
    SeriesArrays,
    status_rank,
    symbols_for,
    to_frame,
)
from indicators.sources.base import Attribution, ReadContext
from indicators.ssb.shape import (
    clean_region_label,
    output_region,
    response_shape,
    table_of,
    table_region_code,
)

if TYPE_CHECKING:
    import pandas as pd

    from indicators.plan.catalog import Catalog

# jsonstat and ssb.query (and so pandas) are imported where a series is cut out, not here:
# a load that finds every series in the derived layer (indicators.store.derived) never needs them.

PUBLISHER = {"no": "Statistisk sentralbyrå (SSB)", "en": "Statistics Norway (SSB)"}
STATBANK_TABLE = "https://www.ssb.no/statbank/table/{table}"
# SSB publishes its statistics under CC BY 4.0 (ssb.no/en/diverse/lisens).
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.no"


def statbank(table: str) -> str:
    """SSB's statbank page for a table, the human-readable source."""
    return STATBANK_TABLE.format(table=quote(table, safe=""))


def ssb_series(definition: Definition) -> dict[str, SsbSeries]:
    """The definition's SSB series by name (what refresh planning and ``check`` work on)."""
    return {name: s for name, s in definition.series.items() if isinstance(s, SsbSeries)}


class SsbSource:
    kind = "ssb"

    def tables(self, series: SsbSeries) -> list[str]:
        return [series.table]

    def read(self, name: str, series: SsbSeries, context: ReadContext) -> SeriesArrays:
        responses = context.responses.get(series.table)
        if not responses:
            raise ComputeError(
                f"no data for table {series.table} in the cache; run `python -m indicators refresh`"
            )
        response = pick_response(responses, series, series_id(context.definition.id, name))
        return response.parsed.series(series, context.regions)

    def input_digest(self, series: SsbSeries, catalog: Catalog) -> str | None:
        return ""  # everything is in the cached responses, which the table keys cover

    def attribution(self, series: SsbSeries) -> Attribution:
        return Attribution(
            kind=self.kind,
            publisher=PUBLISHER["no"],
            title=series.table,
            url=statbank(series.table),
            licence=LICENCE,
            licence_url=LICENCE_URL,
            table=series.table,
            publisher_en=PUBLISHER["en"],
        )


# --- reading a cached response ---------------------------------------------------------------


class ParsedResponse:
    """A response read once, for every series cut out of it: its cells as arrays, its shape.

    Cutting a series selects positions along each variable and sums the cells over every
    variable but region and time with numpy. A sum is missing as soon as one of its cells is
    (never let a ``..`` count as 0), with the most telling symbol of its missing cells.
    """

    def __init__(self, doc: Mapping[str, Any]) -> None:
        from indicators.ssb.jsonstat import read_cube

        self.table = table_of(doc)
        self.cube = read_cube(dict(doc))
        self.shape = response_shape(doc, self.cube.codes)
        codes = self.cube.codes
        self.position = {dim: {c: i for i, c in enumerate(dim_codes)} for dim, dim_codes in codes.items()}
        self._resolved: dict[tuple[str, tuple[str, ...]], tuple[list[int], list[str]]] = {}
        self._elimination_codes = _elimination_codes(doc, codes)
        given = doc.get("dimension")
        dimensions: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
        self._variable_labels = {
            dim: str(body.get("label") or dim) if isinstance(body := dimensions.get(dim), Mapping) else dim
            for dim in codes
        }
        geo, time = self.shape.geo, self.shape.time
        # Everything a cut needs that does not depend on the series, worked out once per response:
        # the cells with region and time as the first two axes, each cell's missing-value rank,
        # and each region code's output code and name, each period's year.
        self._axes = [geo, time, *(d for d in codes if d not in (geo, time))] if geo else list(codes)
        self._years = [year_of_period(c) for c in codes[time]]
        self._regions = [output_region(c) for c in codes[geo]] if geo else []
        labels = self.cube.labels.get(geo or "", {})
        self._names = [clean_region_label(labels[c]) for c in codes[geo]] if geo else []
        values = self.cube.values
        self._cells = values.shape if values is not None else (0,)
        self._values = self._ranks = np.zeros(0)
        if values is not None:
            ranks = np.full(values.shape, NOT_MISSING, dtype=np.int8)
            flat = ranks.reshape(-1)
            for i in np.flatnonzero(np.isnan(values.reshape(-1))):
                flat[i] = status_rank(self.cube.status[i])
            self._values, self._ranks = self._transposed(values), self._transposed(ranks)

    def _transposed(self, cube: np.ndarray) -> np.ndarray:
        """Cells with the axes in ``_axes`` order (region, time, the rest in JSON-stat order)."""
        order = [list(self.cube.codes).index(dim) for dim in self._axes]
        return np.ascontiguousarray(cube.transpose(order))

    def series(self, series: SsbSeries, regions: Sequence[str]) -> SeriesArrays:
        """Cut one series out and sum it over everything but region and time (see ssb_series_frame)."""
        shape, codes, table = self.shape, self.cube.codes, self.table
        wanted = series.value_codes()
        if shape.geo and shape.geo not in wanted:
            wanted[shape.geo] = [table_region_code(r, shape.k_codes) for r in regions]
            explicit_regions = False
        else:
            explicit_regions = True
        for variable in codes:
            if variable not in wanted and variable not in (shape.geo, shape.time):
                # A variable this series leaves out (eliminated) that the shared request asked for
                # another series: SSB's elimination answers with its elimination value code where
                # the table has one, else the sum of every code (what _sum does by default).
                total = self._elimination_codes.get(variable)
                if total is not None:
                    wanted[variable] = [total]
        chosen_at: dict[str, list[int]] = {}
        for variable, items in wanted.items():
            if variable not in codes:
                raise ComputeError(
                    f"table {table} in the cache has no variable {variable}; the definition may have "
                    "changed since the last refresh: run `python -m indicators refresh`"
                )
            if variable == shape.geo:
                items = [table_region_code(i, shape.k_codes) for i in items]
            chosen, absent = self._resolve(variable, items)
            # A region of the plan that a table lacks (e.g. a peer missing in a KOSTRA table) is
            # just absent; codes the definition names itself must be there.
            if absent and (explicit_regions or variable != shape.geo):
                raise ComputeError(
                    f"table {table} in the cache has no {variable} = {', '.join(absent)}; the definition "
                    "may have changed since the last refresh: run `python -m indicators refresh`"
                )
            if not chosen:
                raise ComputeError(
                    f"table {table}: the selection {variable} = {items} matches nothing in the cache"
                )
            chosen_at[variable] = chosen
        if not shape.geo:
            raise ComputeError(f"table {table} has no region variable; this version needs one per series")
        if self.cube.values is None:  # a metadata response: no cells, so no rows
            return _empty_series()
        return self._sum(chosen_at)

    def elimination_code(self, variable: str) -> str | None:
        """The variable's elimination value code (its total) when the response names one."""
        return self._elimination_codes.get(variable)

    def variable_label(self, variable: str) -> str:
        """SSB's label of a variable ("kjønn"), or its code when the response has none."""
        return self._variable_labels.get(variable, variable)

    def _resolve(self, variable: str, items: list[str]) -> tuple[list[int], list[str]]:
        """Positions of the codes ``items`` select, and the items that match nothing (memoized:
        the series of one response often share a selection, such as the plan's regions)."""
        key = (variable, tuple(items))
        if key not in self._resolved:
            from indicators.ssb.query import resolve

            chosen, absent = resolve(items, self.cube.codes[variable], is_time=variable == self.shape.time)
            self._resolved[key] = ([self.position[variable][c] for c in chosen], absent)
        return self._resolved[key]

    def _cut(self, cube: np.ndarray, chosen_at: dict[str, list[int]]) -> np.ndarray:
        """The chosen cells as (region code, period, everything else), in JSON-stat's cell order."""
        for axis, dim in enumerate(self._axes):
            at = chosen_at.get(dim)
            if at is not None and len(at) < cube.shape[axis]:
                cube = cube.take(at, axis=axis)
        return cube.reshape(cube.shape[0], cube.shape[1], -1)

    def _sum(self, chosen_at: dict[str, list[int]]) -> SeriesArrays:
        geo, time = self._axes[0], self._axes[1]
        geo_at = chosen_at.get(geo, range(len(self._regions)))
        time_at = chosen_at.get(time, range(len(self._years)))
        period_years = [self._years[t] for t in time_at]
        if None in period_years:
            codes = self.cube.codes[time]
            bad = sorted({codes[t] for t, y in zip(time_at, period_years, strict=True) if y is None})
            raise ComputeError(
                f"table {self.table}: period codes {bad} have no year; only annual tables are supported"
            )
        years = [y for y in period_years if y is not None]  # all of them (checked above), as ints
        ranks = self._cut(self._ranks, chosen_at)
        sums, best = self._cut(self._values, chosen_at).sum(axis=2), ranks.min(axis=2)
        other = None
        if (best == OTHER_SYMBOL).any():
            # Missing cells with only symbols this code does not know: keep the first one SSB sent.
            cell_order = np.arange(math.prod(self._cells)).reshape(self._cells)
            flat = self._cut(self._transposed(cell_order), chosen_at)
            other = np.where(ranks == OTHER_SYMBOL, flat, np.iinfo("int64").max).min(axis=2)
        # Several codes may count as one region or one year (K-5001 and 5001; 2020 and 2019-2020):
        # each output row gathers every (region code, period) pair that maps to it.
        regions = [self._regions[g] for g in geo_at]
        names: dict[str, str] = {}
        for g, region in zip(geo_at, regions, strict=True):
            names.setdefault(region, self._names[g])
        out_regions = sorted(names)
        out_years = sorted(set(years))
        region_id = dict(zip(out_regions, range(len(out_regions)), strict=True))
        year_id = dict(zip(out_years, range(len(out_years)), strict=True))
        key = (
            np.array([region_id[r] for r in regions])[:, None] * len(out_years)
            + np.array([year_id[y] for y in years])[None, :]
        ).reshape(-1)
        rows = len(out_regions) * len(out_years)
        value = np.zeros(rows)
        rank = np.full(rows, NOT_MISSING, dtype=np.int8)
        first = np.full(rows, np.iinfo("int64").max)
        if rows == len(key):  # one pair per row, the usual case: place them
            value[key], rank[key] = sums.reshape(-1), best.reshape(-1)
            if other is not None:
                first[key] = other.reshape(-1)
        else:
            np.add.at(value, key, sums.reshape(-1))
            np.minimum.at(rank, key, best.reshape(-1))
            if other is not None:
                np.minimum.at(first, key, other.reshape(-1))
        status = symbols_for(rank)
        for row in np.flatnonzero(rank == OTHER_SYMBOL):
            status[row] = self.cube.status[int(first[row])]
        return SeriesArrays(
            region=np.repeat(np.array(out_regions, dtype=object), len(out_years)),
            region_name=np.repeat(np.array([names[r] for r in out_regions], dtype=object), len(out_years)),
            year=np.tile(np.array(out_years, dtype="int64"), len(out_regions)),
            value=np.where(rank < NOT_MISSING, np.nan, value),
            status=status,
        )


def ssb_series_frame(doc: Mapping[str, Any], series: SsbSeries, regions: Sequence[str]) -> pd.DataFrame:
    """Cut one series out of a response and sum it over everything but region and time.

    ``regions`` (K-codes) are used when the series does not select the region variable itself.
    Only the series' own selection counts, even when the response holds more codes (because it
    answers the union of several series' selections).
    """
    return to_frame(ParsedResponse(doc).series(series, regions))


def _elimination_codes(doc: Mapping[str, Any], codes: Mapping[str, list[str]]) -> dict[str, str]:
    """Per variable, the ``eliminationValueCode`` the response names, when it is one of its codes."""
    out: dict[str, str] = {}
    dimensions = doc.get("dimension") or {}
    for dim, dim_codes in codes.items():
        body = dimensions.get(dim) if isinstance(dimensions, Mapping) else None
        extension = body.get("extension") if isinstance(body, Mapping) else None
        code = extension.get("eliminationValueCode") if isinstance(extension, Mapping) else None
        if isinstance(code, str | int) and str(code) in dim_codes:
            out[dim] = str(code)
    return out


def _empty_series() -> SeriesArrays:
    none = np.zeros(0, dtype=object)
    return SeriesArrays(none, none, np.zeros(0, dtype="int64"), np.zeros(0), none)


@dataclass(frozen=True)
class TableResponse:
    """One cached response of a table: what was asked, which series it serves, the JSON-stat2."""

    selection: Mapping[str, Any]  # variable -> {"valueCodes": [...], "codelist": ...}
    serves: tuple[str, ...]  # series ids "indicator.series" it was asked for
    doc: Mapping[str, Any]

    @cached_property
    def parsed(self) -> ParsedResponse:
        """The response as arrays, built on first use and shared by every series cut from it.

        A response that cannot be read raises BadResponse here, for each indicator that uses it.
        """
        return ParsedResponse(self.doc)


def series_id(indicator_id: str, name: str) -> str:
    return f"{indicator_id}.{name}"


def pick_response(responses: Sequence[TableResponse], series: SsbSeries, wanted_id: str) -> TableResponse:
    """Of a table's cached responses, the one that was asked for this series.

    Normally the manifest says so. A series added since the last refresh may still be served by
    a response that selects exactly its variables (no other variable except region and time: a
    variable the series leaves out must have been eliminated by SSB, not selected for another
    series); its own codes are checked when it is cut out.
    """
    for response in responses:
        if wanted_id in response.serves:
            return response
    for response in responses:
        shape = response.parsed.shape
        asked = {v for v in response.selection if v not in (shape.geo, shape.time)}
        mine = {v for v in series.select if v not in (shape.geo, shape.time)}
        if asked == mine and all(
            (response.selection.get(v) or {}).get("codelist") == cl for v, cl in series.codelist.items()
        ):
            return response
    raise ComputeError(
        f"the cache has no response of table {series.table} for series {wanted_id} (the definition "
        "changed after the last refresh?); run `python -m indicators refresh`"
    )
