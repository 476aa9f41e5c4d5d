"""Series computation (DESIGN §4): from each series' source to the indicator's tidy series.

Each series of an indicator is read by its source (:mod:`indicators.sources`: an SSB table's
cached response, summed over everything but region and time; a csv file); then the formula is
evaluated per region and year. The result has the columns of
:data:`~indicators.series.arrays.COLUMNS`, one row per region and year, sorted by region then year.

Missing values keep SSB's reason: a cell with status ``..`` is NaN with status ``..``, never 0; a
sum that includes a missing cell is missing, with that cell's status; a formula whose operand is
missing is missing with the operand's status; division by zero is NaN without a status.

Series travel between the steps as arrays (:mod:`indicators.series.arrays`), not DataFrames:
a snapshot computes every indicator on each load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from indicators.plan.catalog import Catalog
from indicators.plan.model import Definition
from indicators.series.arrays import SeriesArrays, evaluate_arrays, to_frame
from indicators.sources import ReadContext, source_of
from indicators.ssb.shape import default_regions

if TYPE_CHECKING:
    import pandas as pd

    from indicators.sources.ssb import TableResponse


def compute_indicator(
    definition: Definition, catalog: Catalog, responses: Mapping[str, Sequence[TableResponse]]
) -> pd.DataFrame:
    """The indicator's tidy frame (:data:`COLUMNS`) from its tables' cached responses and csv files."""
    return to_frame(compute_series(definition, catalog, responses))


def compute_series(
    definition: Definition, catalog: Catalog, responses: Mapping[str, Sequence[TableResponse]]
) -> SeriesArrays:
    """:func:`compute_indicator` as arrays (for many indicators at once, see ``to_frames``)."""
    context = ReadContext(catalog, definition, responses, default_regions(catalog, definition))
    parts = {
        name: source_of(series).read(name, series, context) for name, series in definition.series.items()
    }
    home = (catalog.plan.region, catalog.plan.region_name)
    return evaluate_arrays(definition.parsed_formula, parts, home)
