"""Where a series comes from: one source class per kind (SSB table, csv file) behind one interface.

:func:`source_of` is the only place that maps a series model of a definition to its
:class:`~indicators.sources.base.Source`; everything else (refresh, computing, the derived layer,
pages, embeds, downloads) goes through it or through the helpers below. Adding a kind of source
means a model in :mod:`indicators.plan.model`, a module here and one line in ``_SOURCES``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from indicators.plan.model import CsvSeries, Definition, SsbSeries
from indicators.sources.base import Attribution, ReadContext, Source
from indicators.sources.csv_file import CsvSource
from indicators.sources.ssb import SsbSource

if TYPE_CHECKING:
    from indicators.plan.catalog import Catalog

__all__ = ["Attribution", "ReadContext", "Source", "attributions", "input_digests", "source_of", "tables"]

_SOURCES: dict[type, Source[Any]] = {SsbSeries: SsbSource(), CsvSeries: CsvSource()}


def source_of(series: object) -> Source[Any]:
    """The source that fetches, reads and credits ``series`` (a series model of a definition)."""
    try:
        return _SOURCES[type(series)]
    except KeyError:
        raise TypeError(f"no source reads series of type {type(series).__name__}") from None


def tables(definition: Definition) -> list[str]:
    """The SSB tables a refresh fetches for the indicator, in order of first use."""
    return list(dict.fromkeys(t for s in definition.series.values() for t in source_of(s).tables(s)))


def attributions(definition: Definition) -> list[Attribution]:
    """Where the indicator's figures come from, one entry per distinct source, in order of use."""
    return list(dict.fromkeys(source_of(s).attribution(s) for s in definition.series.values()))


def input_digests(definition: Definition, catalog: Catalog) -> list[list[str]] | None:
    """``[name, digest]`` of each series' inputs outside the cache (a csv file's bytes), for the
    derived layer's key; None when one of them cannot be read now (then the series is computed)."""
    digests = []
    for name, series in sorted(definition.series.items()):
        digest = source_of(series).input_digest(series, catalog)
        if digest is None:
            return None
        if digest:
            digests.append([name, digest])
    return digests
