"""``/data/<id>.xlsx``: an indicator's series as an Excel workbook (issue 19, optional).

The same rows and columns as ``/data/<id>.csv`` (:mod:`dashboard.downloads`), with values as
numbers at full precision (the cell's format shows the indicator's decimals; the value itself is
not rounded) and years as whole numbers, so no locale has to guess separators. A second sheet
says what the figures are: indicator, unit, source, table, data date and whether they are demo
or test data. Written by XlsxWriter, which never turns text into a formula, a number or a link
here (``strings_to_formulas``/``_numbers``/``_urls`` off): a region label ``=1+1`` stays text.

The bytes are the same for the same data in every worker (a fixed creation date, the data
date's), so the ETag of :func:`dashboard.downloads.data_response` holds across replicas.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import xlsxwriter

from dashboard.data import DashboardData
from dashboard.downloads import (
    BREAKDOWN_CSV_HEADERS,
    CSV_HEADERS,
    DATA_KIND_TEXT,
    breakdown_parts,
    data_kind,
    ordered_rows,
)
from dashboard.i18n import Lang, t
from indicators import sources

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The about sheet's rows, as catalogue keys (dashboard/locale): label, then the value _about gives.
ABOUT_KEYS = (
    "xlsx_about_indicator",
    "xlsx_about_name",
    "xlsx_about_unit",
    "xlsx_about_source",
    "xlsx_about_table",
    "xlsx_about_as_of",
    "xlsx_about_data_kind",
)
# A workbook made from no data (an empty cache) still needs a fixed date to be reproducible.
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def xlsx_bytes(data: DashboardData, indicator_id: str, lang: Lang, *, breakdown: str | None = None) -> bytes:
    """The workbook of one indicator's series in ``lang`` (headers, data-kind words, sheet names);
    with ``breakdown`` (a variable the indicator is broken down by) the CSV's breakdown rows:
    the total, then each category, with the breakdown's columns before the data kind."""
    definition = data.catalog.indicators[indicator_id]
    out = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    with xlsxwriter.Workbook(out, options) as book:
        as_of = data.snapshot.data_as_of or EPOCH
        book.set_properties({"created": as_of.astimezone(UTC).replace(tzinfo=None), "title": definition.name})
        bold = book.add_format({"bold": True})
        decimals = max(0, min(int(definition.decimals or 0), 10))
        number = book.add_format({"num_format": "0." + "0" * decimals if decimals else "0"})
        # Sheet names from the catalogues: at most 31 characters, none of []:*?/\ (Excel's rules).
        data_name, about_name = t("xlsx_sheet_data", lang), t("xlsx_sheet_about", lang)
        sheet = book.add_worksheet(data_name)
        parts = breakdown_parts(data, indicator_id, breakdown, lang) if breakdown is not None else None
        extra = list(BREAKDOWN_CSV_HEADERS[lang]) if parts is not None else []
        headers = [*CSV_HEADERS[lang][:-1], *extra, *CSV_HEADERS[lang][-1:]]
        sheet.write_row(0, 0, headers, bold)
        kind = DATA_KIND_TEXT[lang][data_kind(data)]
        rows = (
            [(r, [breakdown or "", code, label]) for code, label, series in parts for r in series]
            if parts is not None
            else [(r, []) for r in ordered_rows(data, indicator_id)]
        )
        for row, (r, columns) in enumerate(rows, start=1):
            sheet.write_string(row, 0, r["region"])
            sheet.write_string(row, 1, r["region_name"])
            sheet.write_number(row, 2, r["year"])
            if r["value"] is not None:
                sheet.write_number(row, 3, r["value"], number)
            else:
                sheet.write_blank(row, 3, None)
            sheet.write_string(row, 4, r["status"] or "")
            for offset, text in enumerate(columns):
                sheet.write_string(row, 5 + offset, text)
            sheet.write_string(row, 5 + len(columns), kind)
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(headers) - 1, 14)
        about = book.add_worksheet(about_name)
        for row, (label, value) in enumerate(zip(ABOUT_KEYS, _about(data, indicator_id, lang), strict=True)):
            about.write_string(row, 0, t(label, lang), bold)
            about.write_string(row, 1, value)
        about.set_column(0, 0, 16)
        about.set_column(1, 1, 70)
    return out.getvalue()


def _about(data: DashboardData, indicator_id: str, lang: Lang) -> list[str]:
    definition = data.catalog.indicators[indicator_id]
    # The definition's own text in the workbook's language (translations, nynorsk too), else bokmål.
    name, unit = definition.text("name", lang), definition.text("unit", lang)
    credits = sources.attributions(definition)
    publishers = dict.fromkeys(a.publisher_in(lang) for a in credits if a.publisher_in(lang))
    source = "; ".join(publishers)
    tables = ", ".join(dict.fromkeys(a.title for a in credits))
    as_of = data.snapshot.data_as_of
    return [
        indicator_id,
        name,
        unit,
        source,
        tables,
        as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if as_of else "",
        DATA_KIND_TEXT[lang][data_kind(data)],
    ]
