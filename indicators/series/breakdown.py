"""Breakdowns (disaggregation): an indicator's series per category of a variable, e.g. by sex.

A definition's ``breakdowns = ["Kjonn"]`` asks for one series per category: the indicator
computed exactly as its total (:func:`indicators.series.compute.compute_series`), with every SSB
series' selection of the variable replaced by the category's codes (a group's codes are summed
as any selection is). The refresh asks for those codes in the same request as the total
(:mod:`indicators.store.planning`), so a breakdown costs no request. The assessment never looks
here: it stays on the total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from indicators.errors import ComputeError, IndicatorError
from indicators.plan.catalog import Catalog
from indicators.plan.model import TRANSLATION_LANGS, Breakdown, Definition, SsbSeries
from indicators.series.arrays import SeriesArrays
from indicators.series.compute import compute_series
from indicators.sources.ssb import TableResponse, pick_response, series_id, ssb_series


@dataclass(frozen=True)
class Category:
    """One category of a breakdown: its key (a code, or a group's name), label and series."""

    code: str
    label: str
    series: SeriesArrays
    label_en: str | None = None  # the definition's labels_en for it
    # The definition's labels in the other languages (nynorsk ...), by language; English is label_en.
    translations: Mapping[str, str] = field(default_factory=dict)
    # The language :attr:`label` is in: SSB's labels are bokmål, a group's name is the plan's
    # text_language (the definition's plain language).
    label_lang: str = "no"

    def label_in(self, lang: str) -> str | None:
        """The definition's label for ``lang``, or None (then the page shows :attr:`label`)."""
        return self.label_en if lang == "en" else self.translations.get(lang)


@dataclass(frozen=True)
class BreakdownSeries:
    """An indicator broken down by one variable."""

    variable: str
    label: str  # the breakdown's own label, else SSB's label of the variable ("kjønn")
    label_en: str | None
    categories: tuple[Category, ...]
    translations: Mapping[str, str] = field(default_factory=dict)  # label by language but English
    label_lang: str = "no"  # the language of :attr:`label`: the definition's, or SSB's bokmål

    def label_in(self, lang: str) -> str | None:
        """The definition's name of the breakdown for ``lang``, or None (then :attr:`label`)."""
        return self.label_en if lang == "en" else self.translations.get(lang)


def compute_breakdowns(
    definition: Definition, catalog: Catalog, responses: Mapping[str, Sequence[TableResponse]]
) -> tuple[list[BreakdownSeries], dict[str, str]]:
    """Every breakdown of the indicator, and per variable why it could not be computed.

    One breakdown that cannot be computed (a variable the cached table lacks, a code the cache
    does not hold since the definition changed) never stops the others or the total.
    """
    done: list[BreakdownSeries] = []
    problems: dict[str, str] = {}
    for breakdown in definition.breakdowns:
        try:
            done.append(_breakdown(breakdown, definition, catalog, responses))
        except IndicatorError as exc:
            problems[breakdown.variable] = str(exc)
    return done, problems


def _breakdown(
    breakdown: Breakdown,
    definition: Definition,
    catalog: Catalog,
    responses: Mapping[str, Sequence[TableResponse]],
) -> BreakdownSeries:
    var = breakdown.variable
    # The categories' codes and labels come from the first series' cached response.
    name, first = next(iter(ssb_series(definition).items()))
    cached = responses.get(first.table)
    if not cached:
        raise ComputeError(
            f"no data for table {first.table} in the cache; run `python -m indicators refresh`"
        )
    parsed = pick_response(cached, first, series_id(definition.id, name)).parsed
    if var not in parsed.cube.codes:
        raise ComputeError(
            f"breakdown {var}: table {first.table} in the cache has no variable {var}; check it with "
            f"`python -m indicators check {definition.id}` and refresh"
        )
    labels = parsed.cube.labels[var]
    total = parsed.elimination_code(var)
    categories = []
    for key, codes in breakdown.categories(parsed.cube.codes[var], total):
        part = definition.model_copy(update={"series": _with_codes(definition, var, codes)})
        label = key if breakdown.groups is not None else labels.get(key, key)
        label_en = breakdown.category_labels("en").get(key)
        others = {lang: found for lang in OTHER_LANGS if (found := breakdown.category_labels(lang).get(key))}
        written = breakdown.plain_lang if breakdown.groups is not None else "no"
        series = compute_series(part, catalog, responses)
        categories.append(Category(key, label, series, label_en, others, written))
    variable_label = breakdown.label or parsed.variable_label(var)
    names = {
        lang: breakdown.text("label", lang)
        for lang in OTHER_LANGS
        if breakdown.text_lang("label", lang) == lang
    }
    label_lang = breakdown.plain_lang if breakdown.label else "no"
    return BreakdownSeries(var, variable_label, breakdown.label_en, tuple(categories), names, label_lang)


# The translation languages besides English, whose labels a Category keeps in ``translations``.
OTHER_LANGS = tuple(lang for lang in TRANSLATION_LANGS if lang != "en")


def _with_codes(definition: Definition, var: str, codes: list[str]) -> dict[str, object]:
    """The definition's series with every SSB series selecting ``codes`` of ``var``."""
    out: dict[str, object] = {}
    for name, series in definition.series.items():
        if isinstance(series, SsbSeries):
            series = series.model_copy(update={"select": {**series.select, var: list(codes)}})
        out[name] = series
    return out
