"""Series from csv files (columns year,value[,region]), for data SSB does not have (DESIGN §4)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from indicators.errors import ComputeError
from indicators.plan.model import year_of_period
from indicators.series.arrays import COLUMNS, STATUS_PRECEDENCE, tidy


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
