"""The interface every kind of series source implements, and what it says about itself.

A series in a definition file is one of the models of :mod:`indicators.plan.model` (an SSB
table, a csv file, ...). Each model has a :class:`Source` that knows three things about it:

* what to fetch at refresh: :meth:`Source.tables` (SSB tables; nothing for a file read at load);
* how to read it into a series: :meth:`Source.read`, from the cached responses or the file;
* what to show as its source: :meth:`Source.attribution` (publisher, link, licence), the line
  under every chart, on embeds, in downloads and on the about page.

:mod:`indicators.sources` maps each model to its source; nothing else asks which kind a series is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from indicators.plan.catalog import Catalog
    from indicators.plan.model import Definition
    from indicators.series.arrays import SeriesArrays
    from indicators.sources.ssb import TableResponse


@dataclass(frozen=True)
class Attribution:
    """Where one series' figures come from, as a reader is shown it.

    ``table`` is the SSB table id for SSB series (pages add SSB's update date by it), else None.
    """

    kind: str  # the source kind: "ssb", "csv", ...
    publisher: str  # who publishes the figures, e.g. "Statistisk sentralbyrå (SSB)"; "" when unknown
    title: str  # what it is at the publisher: "tabell 07849", or the file's name
    url: str | None = None  # where a reader can check the figures
    licence: str | None = None  # e.g. "CC BY 4.0", "NLOD 2.0"
    licence_url: str | None = None
    table: str | None = None
    publisher_en: str | None = None  # the publisher's English name, where it has one

    def publisher_in(self, lang: str) -> str:
        """The publisher's name for a page in ``lang`` ("no", "en", ...)."""
        own = getattr(self, f"publisher_{lang}", None)  # publisher_en; the bokmål name serves nynorsk
        return str(own) if own else self.publisher


@dataclass(frozen=True)
class ReadContext:
    """What reading a series may use: the plan, the cached responses, the regions to cut out."""

    catalog: Catalog
    definition: Definition
    responses: Mapping[str, Sequence[TableResponse]]  # table id -> its cached responses
    regions: Sequence[str]  # home region and peers (K-codes), for series that select none


S = TypeVar("S", contravariant=True)


class Source(Protocol, Generic[S]):
    """One kind of series source. Implementations are stateless: one instance serves all series."""

    kind: str

    def tables(self, series: S) -> list[str]:
        """The SSB tables a refresh fetches for this series (empty for a source read at load)."""
        ...

    def read(self, name: str, series: S, context: ReadContext) -> SeriesArrays:
        """The series as arrays; raises an IndicatorError subclass when it cannot be read."""
        ...

    def input_digest(self, series: S, catalog: Catalog) -> str | None:
        """A digest of the series' inputs outside the cache's responses (a file's bytes), for the
        derived layer's key; "" when there are none, None when they cannot be read now."""
        ...

    def attribution(self, series: S) -> Attribution:
        """Publisher, link and licence of the series' figures."""
        ...
