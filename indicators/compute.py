"""Series computation (DESIGN §4): from raw JSON-stat2 responses and csv files to one tidy frame.

For each series of an indicator: cut the series' own codes out of the (shared) response, sum over
every variable except time and region, count period codes as their last year; then evaluate the
formula per region and year. The result has the columns of :data:`COLUMNS`, one row per region
and year, sorted by region then year.

Missing values keep SSB's reason: a cell with status ``..`` is NaN with status ``..``, never 0; a
sum that includes a missing cell is missing, with that cell's status; a formula whose operand is
missing is missing with the operand's status; division by zero is NaN without a status.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from indicators.catalog import Catalog
from indicators.errors import BadResponse, ComputeError
from indicators.jsonstat import dimension_codes, dimension_roles, read_dataset
from indicators.model import REGION_VARIABLES, TIME_VARIABLE, CsvSeries, Definition, SsbSeries, year_of_period
from indicators.ssb_query import resolve

COLUMNS = ("region", "region_name", "year", "value", "status")
K_PREFIX = "K-"
# When two operands are missing for different reasons, report the most telling one.
STATUS_PRECEDENCE = (":", "..", ".")
_STATUS_RANK = {symbol: i for i, symbol in enumerate(STATUS_PRECEDENCE)}
_RANK_STATUS = dict(enumerate(STATUS_PRECEDENCE))

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


# --- one response ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """Which variables of a response are region and time, and how its regions are coded."""

    geo: str | None
    time: str
    k_codes: bool  # regions as K-codes (agg_KommSummer) rather than plain municipality codes


def response_shape(doc: Mapping[str, Any]) -> Shape:
    """Find the region and time variables of a JSON-stat2 response (roles, then known names)."""
    roles = dimension_roles(dict(doc))
    geo = next((d for d, r in roles.items() if r == "geo"), None)
    geo = geo or next((d for d in roles if d in REGION_VARIABLES), None)
    time = next((d for d, r in roles.items() if r == "time"), None)
    time = time or (TIME_VARIABLE if TIME_VARIABLE in roles else None)
    if time is None:
        raise BadResponse(f"{_table_of(doc)}: the response has no time variable (role 'time' or 'Tid')")
    k_codes = bool(geo) and any(c.startswith(K_PREFIX) for c in dimension_codes(dict(doc))[geo])
    return Shape(geo=geo, time=time, k_codes=k_codes)


def ssb_series_frame(doc: Mapping[str, Any], series: SsbSeries, regions: Sequence[str]) -> pd.DataFrame:
    """Cut one series out of a response and sum it over everything but region and time.

    ``regions`` (K-codes) are used when the series does not select the region variable itself.
    Only the series' own selection counts, even when the response holds more codes (because it
    answers the union of several series' selections).
    """
    table = _table_of(doc)
    shape = response_shape(doc)
    codes = dimension_codes(dict(doc))
    frame = read_dataset(dict(doc))
    wanted = series.value_codes()
    if shape.geo and shape.geo not in wanted:
        wanted[shape.geo] = [table_region_code(r, shape.k_codes) for r in regions]
        explicit_regions = False
    else:
        explicit_regions = True
    for variable, items in wanted.items():
        if variable not in codes:
            raise ComputeError(
                f"table {table} in the cache has no variable {variable}; the definition may have "
                "changed since the last refresh: run `python -m indicators refresh`"
            )
        if variable == shape.geo:
            items = [table_region_code(i, shape.k_codes) for i in items]
        chosen, absent = resolve(items, codes[variable], is_time=variable == shape.time)
        # A region of the plan that a table lacks (e.g. a peer missing in a KOSTRA table) is
        # just absent; codes the definition names itself must be there.
        if absent and (explicit_regions or variable != shape.geo):
            raise ComputeError(
                f"table {table} in the cache has no {variable} = {', '.join(absent)}; the definition may "
                "have changed since the last refresh: run `python -m indicators refresh`"
            )
        if not chosen:
            raise ComputeError(
                f"table {table}: the selection {variable} = {items} matches nothing in the cache"
            )
        frame = frame[frame[variable].isin(chosen)]
    return _sum_over_others(frame, shape, table)


def _sum_over_others(frame: pd.DataFrame, shape: Shape, table: str) -> pd.DataFrame:
    if shape.geo:
        region = frame[shape.geo].map(output_region)
        region_name = frame[f"{shape.geo}_label"].map(clean_region_label)
    else:
        raise ComputeError(f"table {table} has no region variable; this version needs one per series")
    year = frame[shape.time].map(year_of_period)
    if year.isna().any():
        bad = sorted(set(frame.loc[year.isna(), shape.time]))
        raise ComputeError(
            f"table {table}: period codes {bad} have no year; only annual tables are supported"
        )
    cells = pd.DataFrame(
        {
            "region": region.to_numpy(dtype=object),
            "region_name": region_name.to_numpy(dtype=object),
            "year": year.astype("int64").to_numpy(),
            "value": frame["value"].to_numpy(dtype="float64"),
            "status": frame["status"].to_numpy(dtype=object),
        }
    )
    # A sum is missing as soon as one of its cells is: never let a ".." count as 0.
    missing = cells["value"].isna()
    rank = cells["status"].map(_STATUS_RANK).where(missing)
    cells = cells.assign(missing=missing, rank=rank.fillna(len(STATUS_PRECEDENCE) + 1))
    grouped = cells.groupby(["region", "year"], sort=True)
    summed = grouped.agg(
        region_name=("region_name", "first"),
        value=("value", "sum"),
        missing=("missing", "any"),
        rank=("rank", "min"),
    ).reset_index()
    summed["value"] = summed["value"].where(~summed["missing"])
    summed["status"] = [
        _RANK_STATUS.get(int(r)) if m else None
        for r, m in zip(summed["rank"], summed["missing"], strict=True)
    ]
    odd = summed["missing"] & summed["status"].isna()
    if odd.any():
        # Missing cells with no symbol, or one this code does not know: keep whatever SSB sent.
        statuses = cells[cells["missing"]].groupby(["region", "year"])["status"].agg(pick_status)
        keys = list(zip(summed.loc[odd, "region"], summed.loc[odd, "year"], strict=True))
        summed.loc[odd, "status"] = [statuses.get(k) for k in keys]
    return tidy(summed)


def pick_status(statuses: Iterable[str | None]) -> str | None:
    """The most telling of several SSB status symbols (``:`` > ``..`` > ``.``), or None."""
    present = [s for s in statuses if isinstance(s, str) and s]
    for symbol in STATUS_PRECEDENCE:
        if symbol in present:
            return symbol
    return present[0] if present else None


# --- csv series ------------------------------------------------------------------------------


def csv_series_frame(path: Path, *, home_region: str, region_name: str) -> pd.DataFrame:
    """A csv series (columns year,value[,region]); rows without a region belong to the home region.

    A value may be an SSB status symbol (``..``, ``.``, ``:``): it is read as missing with that status.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ComputeError(f"cannot read {path}: {exc}") from exc
    raw.columns = [c.strip() for c in raw.columns]
    if not {"year", "value"} <= set(raw.columns):
        raise ComputeError(f"{path} needs the columns year,value[,region]; found {', '.join(raw.columns)}")
    rows = []
    for number, record in enumerate(raw.to_dict("records"), start=2):
        year = year_of_period(record["year"].strip())
        if year is None:
            raise ComputeError(f"{path}, line {number}: '{record['year']}' is not a year")
        text = record["value"].strip().replace(" ", "").replace(",", ".")
        status = None
        try:
            value = float(text) if text else math.nan
        except ValueError:
            if text not in STATUS_PRECEDENCE:
                raise ComputeError(f"{path}, line {number}: '{record['value']}' is not a number") from None
            value, status = math.nan, text
        region = (record.get("region") or "").strip() or home_region
        name = region_name if region == home_region else region
        rows.append((region, name, year, value, status))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    # A later line for the same region and year wins, as when a figure is revised.
    return tidy(frame.drop_duplicates(["region", "year"], keep="last"))


# --- the indicator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TableResponse:
    """One cached response of a table: what was asked, which series it serves, the JSON-stat2."""

    selection: Mapping[str, Any]  # variable -> {"valueCodes": [...], "codelist": ...}
    serves: tuple[str, ...]  # series ids "indicator.series" it was asked for
    doc: Mapping[str, Any]


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
        shape = response_shape(response.doc)
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


def compute_indicator(
    definition: Definition, catalog: Catalog, responses: Mapping[str, Sequence[TableResponse]]
) -> pd.DataFrame:
    """The indicator's tidy frame (:data:`COLUMNS`) from its tables' cached responses and csv files."""
    regions = default_regions(catalog, definition)
    parts: dict[str, pd.DataFrame] = {}
    for name, series in definition.series.items():
        if isinstance(series, SsbSeries):
            if not responses.get(series.table):
                raise ComputeError(
                    f"no data for table {series.table} in the cache; run `python -m indicators refresh`"
                )
            response = pick_response(responses[series.table], series, series_id(definition.id, name))
            parts[name] = ssb_series_frame(response.doc, series, regions)
        elif isinstance(series, CsvSeries):
            parts[name] = csv_series_frame(
                catalog.csv_path(series),
                home_region=catalog.plan.region,
                region_name=catalog.plan.region_name,
            )
    return evaluate(definition, parts, home=(catalog.plan.region, catalog.plan.region_name))


def evaluate(
    definition: Definition, parts: Mapping[str, pd.DataFrame], home: tuple[str, str]
) -> pd.DataFrame:
    """Apply the formula per region and year to the series frames, keeping missing values' status."""
    formula = definition.parsed_formula
    values = {n: f.set_index(["region", "year"])["value"] for n, f in parts.items() if n in formula.names}
    statuses = {n: f.set_index(["region", "year"])["status"] for n, f in parts.items() if n in formula.names}
    result = formula.evaluate(values)
    index = result.index
    status = []
    for key, value in result.items():
        if not math.isnan(value):
            status.append(None)
            continue
        # Operands missing at this point (no row, or a row with a status) explain the gap;
        # a gap with no missing operand is a division by zero, which has no SSB symbol.
        status.append(pick_status(s.get(key) for s in statuses.values() if key in s.index))
    names: dict[str, str] = {home[0]: home[1]}
    for frame in parts.values():
        for code, name in zip(frame["region"], frame["region_name"], strict=True):
            names.setdefault(code, name)
    out = pd.DataFrame(
        {
            "region": [k[0] for k in index],
            "region_name": [names.get(k[0], k[0]) for k in index],
            "year": [k[1] for k in index],
            "value": result.to_numpy(dtype="float64"),
            "status": status,
            "complete": [all(key in v.index for v in values.values()) for key in index],
        }
    )
    out = out.sort_values(["region", "year"], kind="stable").reset_index(drop=True)
    return tidy(_within_coverage(out))


def _within_coverage(frame: pd.DataFrame) -> pd.DataFrame:
    """Per region, the years from the first to the last that every operand covers.

    Series seldom end in the same year (population is out before social assistance); the years
    before or after the common span would only be empty rows. Gaps inside it stay, as missing.
    """
    keep = pd.Series(False, index=frame.index)
    for _, rows in frame.groupby("region", sort=False):
        covered = rows.index[rows["complete"].to_numpy()]
        if len(covered):
            keep.loc[covered.min() : covered.max()] = True
    return frame[keep]


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly :data:`COLUMNS`, their dtypes, sorted by region then year."""
    out = frame.loc[:, list(COLUMNS)].sort_values(["region", "year"], kind="stable").reset_index(drop=True)
    out["region"] = out["region"].astype("str")
    out["region_name"] = out["region_name"].astype("str")
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    out["status"] = pd.Series(
        [s if isinstance(s, str) and s else None for s in out["status"]], index=out.index, dtype="object"
    )
    return out


def _table_of(doc: Mapping[str, Any]) -> str:
    table = ((doc.get("extension") or {}).get("px") or {}).get("tableid")
    return str(table) if table else str(doc.get("label", "?")).split(":", 1)[0]
