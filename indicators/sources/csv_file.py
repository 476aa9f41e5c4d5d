"""Csv files as a series source (columns year,value[,region]), for data SSB does not have (DESIGN §4).

The file lives inside the definitions folder and is read at load, so a refresh fetches nothing for
it. Its source line names the publisher the definition gives (``publisher``, ``source_url``,
``licence``), never SSB and never the file's path alone.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import TYPE_CHECKING

from indicators.errors import ComputeError
from indicators.plan.model import CsvSeries, year_of_period
from indicators.series.arrays import COLUMNS, STATUS_PRECEDENCE, SeriesArrays, tidy
from indicators.sources.base import Attribution, ReadContext

if TYPE_CHECKING:
    import pandas as pd

    from indicators.plan.catalog import Catalog


class CsvSource:
    kind = "csv"

    def tables(self, series: CsvSeries) -> list[str]:
        return []

    def read(self, name: str, series: CsvSeries, context: ReadContext) -> SeriesArrays:
        plan = context.catalog.plan
        try:
            # Checked again here, not only by `validate`: a link may have changed since the load.
            path = context.catalog.csv_path(series)
        except ValueError as exc:
            raise ComputeError(f"series {name}: csv {series.csv!r}: {exc}") from None
        frame = csv_series_frame(path, home_region=plan.region, region_name=plan.region_name)
        return SeriesArrays.from_frame(frame)

    def input_digest(self, series: CsvSeries, catalog: Catalog) -> str | None:
        try:
            return hashlib.sha256(catalog.csv_path(series).read_bytes()).hexdigest()
        except (OSError, ValueError):
            return None  # reading reports the unreadable file, or the path outside the folder

    def attribution(self, series: CsvSeries) -> Attribution:
        return Attribution(
            kind=self.kind,
            publisher=series.publisher or "",
            title=Path(series.csv).name,
            url=series.source_url,
            licence=series.licence,
        )


def csv_series_frame(path: Path, *, home_region: str, region_name: str) -> pd.DataFrame:
    """A csv series (columns year,value[,region]); rows without a region belong to the home region.

    A value may be an SSB status symbol (``..``, ``.``, ``:``): it is read as missing with that status.
    """
    import pandas as pd  # only when a csv series is computed, not on a load from the derived layer

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
        text = record["value"].strip().replace(" ", "")
        status = None
        if "," in text:
            # A decimal comma is not guessed at: "1,234" could be either reading (DESIGN §4).
            raise ComputeError(
                f"{path}, line {number}: '{record['value']}' has a comma; write numbers with a decimal "
                f"point and no thousands separator (e.g. {text.replace(',', '.')})"
            )
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
