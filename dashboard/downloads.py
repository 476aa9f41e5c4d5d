"""The data downloads and the JSON API, with one way of answering them (:func:`data_response`).

``/data/<id>.csv`` and ``/data/<id>.json`` (an indicator's series, assessment and metadata),
``/data/<id>.xlsx`` (the CSV's rows as an Excel workbook, :mod:`dashboard.xlsx`),
``/data/all.csv`` (every series, tidy), ``/data/datapackage.json`` (a Frictionless Data Package
describing them), ``/api/status.json`` (the ``status --json`` document) and ``/api/openapi.json``
(the OpenAPI document of all of these, :mod:`dashboard.openapi`).

Every data response is open to other sites (CORS ``*``), may be cached for a few minutes, and
carries an ``ETag`` (a hash of the bytes, so every worker and replica gives the same one) and a
``Last-Modified`` (the data date); a matching ``If-None-Match``/``If-Modified-Since`` is a 304.

CSV comes in two dialects (:data:`DIALECTS`). ``csv-no`` is made for Norwegian Excel: UTF-8 with a
byte-order mark (so "ø" survives), ``;`` between fields and a decimal comma, no thousands
separator (Excel would read it as text). ``csv-en`` is the same with ``,`` and a decimal point, as
an English-locale spreadsheet and Python's ``csv`` module read it. The language's own dialect is
the default (``?lang=en`` gives ``csv-en``); ``?format=`` picks one. Values keep full precision
(the shortest text that reads back as the same float). Text cells that a spreadsheet would run as
a formula are neutralised (DESIGN §11, OWASP's CSV injection advice); numbers are written by
:func:`csv_number` and never touched. Demo and test data say so in every download: a
``datagrunnlag``/``data_kind`` column in CSV, ``demo``/``test_data`` in JSON, and the file name.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

import flask
import numpy as np

from dashboard import openapi, urls
from dashboard.data import DashboardData, public_problem
from dashboard.i18n import DEFAULT_LANG, LANGS, Lang, default_lang, parse_lang
from indicators import report, sources
from indicators.assessment.explain import STATUS_TEXT, explain
from indicators.plan.model import TRANSLATION_LANGS
from indicators.series.breakdown import BreakdownSeries, Category

CSV_HEADERS: dict[Lang, tuple[str, ...]] = {
    "no": ("regionkode", "region", "år", "verdi", "ssb_symbol", "datagrunnlag"),
    "en": ("region_code", "region", "year", "value", "ssb_symbol", "data_kind"),
    "nn": ("regionkode", "region", "år", "verdi", "ssb_symbol", "datagrunnlag"),
}
# /data/<id>.csv?breakdown=VAR: inserted before the data-kind column (Open SDG's disaggregation
# columns; empty category on the total's rows).
BREAKDOWN_CSV_HEADERS: dict[Lang, tuple[str, ...]] = {
    "no": ("inndeling", "kategorikode", "kategori"),
    "en": ("breakdown", "category_code", "category"),
    "nn": ("inndeling", "kategorikode", "kategori"),
}
# /data/all.csv: every indicator's series in one tidy table, with what a reader needs to use a row.
ALL_CSV_HEADERS: dict[Lang, tuple[str, ...]] = {
    "no": (
        "indikator",
        "indikatornavn",
        "regionkode",
        "region",
        "år",
        "verdi",
        "ssb_symbol",
        "enhet",
        "kilde",
        "tabell",
        "datagrunnlag",
    ),
    "en": (
        "indicator",
        "indicator_name",
        "region_code",
        "region",
        "year",
        "value",
        "ssb_symbol",
        "unit",
        "source",
        "table",
        "data_kind",
    ),
    "nn": (
        "indikator",
        "indikatornamn",
        "regionkode",
        "region",
        "år",
        "verdi",
        "ssb_symbol",
        "eining",
        "kjelde",
        "tabell",
        "datagrunnlag",
    ),
}
DataKind = Literal["real", "demo", "test"]
# The data_kind column's words: demo and test data never pass for real figures in a download.
DATA_KIND_TEXT: dict[Lang, dict[DataKind, str]] = {
    "no": {"real": "ekte", "demo": "demo", "test": "testdata"},
    "en": {"real": "real", "demo": "demo", "test": "test data"},
    "nn": {"real": "ekte", "demo": "demo", "test": "testdata"},
}
# Appended to a download's file name, so a saved demo file says what it is.
DATA_KIND_FILE_SUFFIX: dict[DataKind, str] = {"real": "", "demo": "-DEMODATA", "test": "-TESTDATA"}
ATTRIBUTION = "Statistisk sentralbyrå (Statistics Norway), CC BY 4.0"
# A text cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text_cell(text: str) -> str:
    """A text cell (code, name, label, unit, symbol) that no spreadsheet runs as a formula.

    As OWASP recommends, a cell starting with ``= + - @``, tab or CR gets a leading single quote,
    so ``=HYPERLINK(...)`` is shown as text. Only for text: numbers go through :func:`csv_number`,
    so a value like -3.5 stays a number (``-3,5``).
    """
    return f"'{text}" if text.startswith(FORMULA_START) else text


@dataclasses.dataclass(frozen=True)
class CsvDialect:
    """How a CSV file separates fields and writes decimals (see the module docstring)."""

    name: str  # the ?format= value
    delimiter: str
    decimal: str


DIALECTS: dict[str, CsvDialect] = {
    "csv-no": CsvDialect("csv-no", ";", ","),
    "csv-en": CsvDialect("csv-en", ",", "."),
}
DEFAULT_DIALECT: dict[Lang, CsvDialect] = {
    "no": DIALECTS["csv-no"],
    "en": DIALECTS["csv-en"],
    "nn": DIALECTS["csv-no"],
}


def csv_dialect(lang: Lang, requested: str | None) -> CsvDialect | None:
    """The dialect ``?format=`` asks for (the language's own without it); None when unknown
    (an empty ``?format=`` too: it names no format)."""
    if requested is None:
        return DEFAULT_DIALECT[lang]
    return DIALECTS.get(requested.strip().lower())


def csv_number(value: float | None, decimal: str = ",") -> str:
    """A value at full precision, as a spreadsheet reads it: ``41,666666666666664`` with a
    decimal comma; never an exponent (``0,0000001``); empty when missing."""
    if value is None or not math.isfinite(value):
        return ""
    text = np.format_float_positional(float(value), unique=True, trim="-")
    return ("0" if text in {"-0", ""} else text).replace(".", decimal)


def data_kind(data: DashboardData) -> DataKind:
    """Whether the data served is real, the demo snapshot or test data (from a local stub)."""
    if data.snapshot.demo:
        return "demo"
    return "test" if data.snapshot.test_data else "real"


def ordered_rows(data: DashboardData, indicator_id: str) -> list[dict[str, Any]]:
    """The series as records: home region first, then the peers, each by year."""
    definition = data.catalog.indicators[indicator_id]
    order = [data.catalog.plan.region, *data.catalog.peers_for(definition)]
    rank = {region: i for i, region in enumerate(order)}
    frame = data.frame(indicator_id)
    records: list[dict[str, Any]] = []
    columns = (frame[name].tolist() for name in ("region", "region_name", "year", "value", "status"))
    for region, region_name, year, value, status in zip(*columns, strict=True):
        records.append(
            {
                "region": str(region),
                "region_name": str(region_name),
                "year": int(year),
                "value": float(value) if value is not None and not _isnan(value) else None,
                "status": status if isinstance(status, str) and status else None,
            }
        )
    records.sort(key=lambda r: (rank.get(r["region"], len(order)), r["region"], r["year"]))
    return records


def breakdown_rows(data: DashboardData, indicator_id: str) -> list[dict[str, Any]]:
    """The indicator's breakdowns (``/data/<id>.json``'s ``breakdowns``): per variable its
    categories, each with its series as records in the order of :func:`ordered_rows`."""
    definition = data.catalog.indicators[indicator_id]
    order = [data.catalog.plan.region, *data.catalog.peers_for(definition)]
    rank = {region: i for i, region in enumerate(order)}
    out = []
    for breakdown in data.snapshot.breakdowns.get(indicator_id, ()):
        categories = []
        for category in breakdown.categories:
            s = category.series
            records: list[dict[str, Any]] = [
                {
                    "region": str(region),
                    "region_name": str(name),
                    "year": int(year),
                    "value": None if _isnan(float(value)) else float(value),
                    "status": status if isinstance(status, str) and status else None,
                }
                for region, name, year, value, status in zip(
                    s.region, s.region_name, s.year, s.value, s.status, strict=True
                )
            ]
            records.sort(key=lambda r: (rank.get(r["region"], len(order)), r["region"], r["year"]))
            categories.append(
                {
                    "code": category.code,
                    "label": category.label,
                    "label_en": category.label_en,
                    "label_i18n": _label_i18n(category),
                    "series": records,
                }
            )
        out.append(
            {
                "variable": breakdown.variable,
                "label": breakdown.label,
                "label_en": breakdown.label_en,
                "label_i18n": _label_i18n(breakdown),
                "categories": categories,
            }
        )
    return out


def _label_i18n(item: BreakdownSeries | Category) -> dict[str, str]:
    """The label in every language given (``{"no": SSB's or the definition's, "en": …, "nn": …}``),
    as the other ``*_i18n`` objects: the label itself under its own language."""
    out = {item.label_lang: item.label}
    out.update({lang: found for lang in TRANSLATION_LANGS if (found := item.label_in(lang))})
    return out


def _isnan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def csv_text(data: DashboardData, indicator_id: str, lang: Lang, dialect: CsvDialect | None = None) -> str:
    """The CSV file's text (without the byte-order mark), in ``lang``'s dialect by default."""
    dialect = dialect or DEFAULT_DIALECT[lang]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS[lang])
    kind = DATA_KIND_TEXT[lang][data_kind(data)]
    for r in ordered_rows(data, indicator_id):
        writer.writerow(
            [
                csv_text_cell(r["region"]),
                csv_text_cell(r["region_name"]),
                r["year"],
                csv_number(r["value"], dialect.decimal),
                csv_text_cell(r["status"] or ""),
                kind,
            ]
        )
    return out.getvalue()


def breakdown_parts(
    data: DashboardData, indicator_id: str, variable: str, lang: Lang
) -> list[tuple[str, str, list[dict[str, Any]]]] | None:
    """A breakdown's rows as the downloads write them: (category code, label in ``lang``, rows),
    the total first (code and label empty); None when the indicator has no such breakdown."""
    chosen = next((b for b in breakdown_rows(data, indicator_id) if b["variable"] == variable), None)
    if chosen is None:
        return None
    parts: list[tuple[str, str, list[dict[str, Any]]]] = [("", "", ordered_rows(data, indicator_id))]
    parts += [(c["code"], c["label_i18n"].get(lang, c["label"]), c["series"]) for c in chosen["categories"]]
    return parts


def breakdown_csv_text(
    data: DashboardData, indicator_id: str, variable: str, lang: Lang, dialect: CsvDialect | None = None
) -> str | None:
    """``/data/<id>.csv?breakdown=VAR``: the total's rows (category empty), then each category's,
    with the breakdown's variable, category code and label before the data-kind column; None
    when the indicator has no such breakdown."""
    parts = breakdown_parts(data, indicator_id, variable, lang)
    if parts is None:
        return None
    dialect = dialect or DEFAULT_DIALECT[lang]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS[lang][:-1] + BREAKDOWN_CSV_HEADERS[lang] + CSV_HEADERS[lang][-1:])
    kind = DATA_KIND_TEXT[lang][data_kind(data)]
    for code, label, rows in parts:
        for r in rows:
            writer.writerow(
                [
                    csv_text_cell(r["region"]),
                    csv_text_cell(r["region_name"]),
                    r["year"],
                    csv_number(r["value"], dialect.decimal),
                    csv_text_cell(r["status"] or ""),
                    csv_text_cell(variable),
                    csv_text_cell(code),
                    csv_text_cell(label),
                    kind,
                ]
            )
    return out.getvalue()


def all_csv_text(data: DashboardData, lang: Lang, dialect: CsvDialect | None = None) -> str:
    """Every indicator's series in one tidy CSV (without the byte-order mark): one row per
    indicator, region and year, in the catalogue's order, with unit, source and data kind."""
    dialect = dialect or DEFAULT_DIALECT[lang]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow(ALL_CSV_HEADERS[lang])
    kind = DATA_KIND_TEXT[lang][data_kind(data)]
    for indicator_id, definition in data.catalog.indicators.items():
        name, unit = definition.text("name", lang), definition.text("unit", lang)
        credits = sources.attributions(definition)
        publishers = "; ".join(dict.fromkeys(a.publisher_in(lang) for a in credits if a.publisher_in(lang)))
        tables = " ".join(sources.tables(definition))
        for r in ordered_rows(data, indicator_id):
            writer.writerow(
                [
                    csv_text_cell(indicator_id),
                    csv_text_cell(name),
                    csv_text_cell(r["region"]),
                    csv_text_cell(r["region_name"]),
                    r["year"],
                    csv_number(r["value"], dialect.decimal),
                    csv_text_cell(r["status"] or ""),
                    csv_text_cell(unit),
                    csv_text_cell(publishers),
                    csv_text_cell(tables),
                    kind,
                ]
            )
    return out.getvalue()


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def json_document(data: DashboardData, indicator_id: str) -> dict[str, Any]:
    """Series, assessment and metadata of one indicator, as one JSON-ready dict."""
    catalog = data.catalog
    definition = catalog.indicators[indicator_id]
    assessment = data.assessments[indicator_id]
    target = definition.target
    doc = {
        "id": definition.id,
        "name": definition.name,
        "name_en": definition.name_en,
        "unit": definition.unit,
        "unit_en": definition.unit_en,
        "decimals": definition.decimals,
        "direction": definition.direction,
        "limit": definition.limit,
        "subgoals": list(definition.subgoals),
        "description": definition.description,
        "description_en": definition.description_en,
        # Texts in several languages: objects keyed by language code, beside the bokmål keys
        # (README, "Texts in several languages in JSON").
        "name_i18n": definition.texts("name"),
        "unit_i18n": definition.texts("unit"),
        "description_i18n": definition.texts("description"),
        "target": None
        if target is None
        else {
            "kind": target.kind,
            "value": target.value,
            "year": catalog.target_year(definition),
            "baseline_year": catalog.baseline_year(definition),
            "tolerance": target.tolerance if target.kind == "maintain" else None,
            "source": target.source,
        },
        "plan": catalog.plan.name,
        "region": catalog.plan.region,
        "region_name": catalog.plan.region_name,
        "peers": catalog.peers_for(definition),
        # Every source, SSB's tables first as before (with SSB's update date), then other publishers.
        "sources": [
            {
                "table": credit.table,
                "url": credit.url,
                "updated": _iso(data.snapshot.table_updated.get(credit.table)) if credit.table else None,
                "kind": credit.kind,
                "publisher": credit.publisher,
                "title": credit.title,
                "licence": credit.licence,
            }
            for credit in sorted(sources.attributions(definition), key=lambda a: a.table is None)
        ],
        "other_sources": [a.title for a in sources.attributions(definition) if a.table is None],
        "attribution": ATTRIBUTION,
        "data_as_of": _iso(data.snapshot.data_as_of),
        "demo": data.snapshot.demo,
        # Data from an API on a loopback address (a local stub) is test data, never SSB's.
        "test_data": bool(data.snapshot.test_data),
        "problem": data.problem(indicator_id),
        "assessment": {
            **dataclasses.asdict(assessment),
            "status_text": {lang: STATUS_TEXT[assessment.status][lang] for lang in LANGS},
            "explanation": {lang: explain(assessment, definition, lang) for lang in LANGS},
        },
        "series": ordered_rows(data, indicator_id),
        # Extension: the series per category of each breakdown (empty without breakdowns).
        "breakdowns": breakdown_rows(data, indicator_id),
    }
    return _clean(doc)


def status_document(data: DashboardData) -> dict[str, Any]:
    """``/api/status.json``: the ``status --json`` document, built by the same function
    (:func:`indicators.report.build_report`); only a ``problem`` that names a server path says
    "a file on the server" instead (DESIGN §11: no server path reaches a client)."""
    doc = report.build_report(data.snapshot)
    for goal in doc["goals"]:
        for subgoal in goal["subgoals"]:
            for indicator in subgoal["indicators"]:
                if indicator.get("problem"):
                    indicator["problem"] = public_problem(indicator["problem"])
    return doc


# Open Definition ids of the licences our sources use (Data Package ``licenses[].name``).
LICENCE_IDS = {"CC BY 4.0": "CC-BY-4.0", "NLOD 2.0": "NLOD-2.0"}
PACKAGE_TEXT: dict[Lang, dict[str, str]] = {
    "no": {
        "title": "{plan} – indikatorer",
        "description": "Seriene, vurderingene og metadataene bak indikatorene for {plan} ({region}).",
        "all": "Alle serier i én tabell",
        "csv": "{name}: serien (CSV)",
        "json": "{name}: serien, vurderingen og metadata (JSON)",
        "demo": "DEMODATA – oppdiktede tall, ikke offisiell statistikk. ",
        "test": "TESTDATA – fra en lokal testserver, ikke SSBs tall. ",
    },
    "en": {
        "title": "{plan} – indicators",
        "description": "The series, assessments and metadata behind the indicators of {plan} ({region}).",
        "all": "Every series in one table",
        "csv": "{name}: the series (CSV)",
        "json": "{name}: the series, assessment and metadata (JSON)",
        "demo": "DEMO DATA – made-up figures, not official statistics. ",
        "test": "TEST DATA – from a local test server, not SSB's figures. ",
    },
    "nn": {
        "title": "{plan} – indikatorar",
        "description": "Seriane, vurderingane og metadataa bak indikatorane for {plan} ({region}).",
        "all": "Alle seriar i éin tabell",
        "csv": "{name}: serien (CSV)",
        "json": "{name}: serien, vurderinga og metadata (JSON)",
        "demo": "DEMODATA – oppdikta tal, ikkje offisiell statistikk. ",
        "test": "TESTDATA – frå ein lokal testtenar, ikkje tala til SSB. ",
    },
}


def _csv_field_types(headers: tuple[str, ...], decimal: str, kind: str) -> list[dict[str, Any]]:
    """Table Schema fields for a CSV's columns (year, value and data kind typed; text else)."""
    fields: list[dict[str, Any]] = []
    for header in headers:
        if header in {"år", "year"}:
            fields.append({"name": header, "type": "integer", "constraints": {"required": True}})
        elif header in {"verdi", "value"}:
            fields.append({"name": header, "type": "number", "decimalChar": decimal})
        elif header in {"datagrunnlag", "data_kind"}:
            fields.append({"name": header, "type": "string", "constraints": {"enum": [kind]}})
        else:
            fields.append({"name": header, "type": "string"})
    return fields


def _licences(attributions: list[sources.Attribution]) -> list[dict[str, str]]:
    licences = []
    for credit in attributions:
        if not credit.licence:
            continue
        entry = {"title": credit.licence}
        if credit.licence in LICENCE_IDS:
            entry["name"] = LICENCE_IDS[credit.licence]
        if credit.licence_url:
            entry["path"] = credit.licence_url
        if "name" in entry or "path" in entry:  # the spec needs one of them
            licences.append(entry)
    return list({json.dumps(e, sort_keys=True): e for e in licences}.values())


def _sources(attributions: list[sources.Attribution], lang: Lang) -> list[dict[str, str]]:
    found = []
    for credit in attributions:
        entry = {"title": f"{credit.publisher_in(lang) or credit.kind}: {credit.title}"}
        if credit.url:
            entry["path"] = credit.url
        found.append(entry)
    return found


def datapackage(data: DashboardData, lang: Lang, site_url: str = "") -> dict[str, Any]:
    """``/data/datapackage.json``: a Frictionless Data Package (v1) describing every download in
    ``/data/`` in ``lang`` (the CSVs in that language's dialect), with sources and licences.
    Paths are relative to the package (``all.csv``), so it works behind any address."""
    catalog = data.catalog
    plan = catalog.plan
    words = PACKAGE_TEXT[lang]
    kind = data_kind(data)
    kind_word = DATA_KIND_TEXT[lang][kind]
    dialect = DEFAULT_DIALECT[lang]
    query = "" if lang == default_lang() else f"?lang={lang}"
    plan_name = plan.text("name", lang)
    warning = words.get(kind, "")
    csv_dialect_descriptor = {"delimiter": dialect.delimiter, "lineTerminator": "\r\n", "header": True}

    def csv_resource(name: str, path: str, title: str, headers: tuple[str, ...], credits: list) -> dict:
        return {
            "name": name,
            "path": path + query,
            "title": warning + title,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            # UTF-8 with a byte-order mark, for Excel (frictionless reads it as utf-8-sig).
            "encoding": "utf-8-sig",
            "dialect": csv_dialect_descriptor,
            "schema": {
                "fields": _csv_field_types(headers, dialect.decimal, kind_word),
                "missingValues": [""],
            },
            "sources": _sources(credits, lang),
            "licenses": _licences(credits),
        }

    every_credit = [c for d in catalog.indicators.values() for c in sources.attributions(d)]
    resources = [
        csv_resource("all", "all.csv", words["all"], ALL_CSV_HEADERS[lang], list(dict.fromkeys(every_credit)))
    ]
    for indicator_id, definition in catalog.indicators.items():
        name = definition.text("name", lang)
        credits = sources.attributions(definition)
        resources.append(
            csv_resource(
                f"{indicator_id}-csv",
                f"{indicator_id}.csv",
                words["csv"].format(name=name),
                CSV_HEADERS[lang],
                credits,
            )
        )
        resources.append(
            {
                "name": f"{indicator_id}-json",
                "path": f"{indicator_id}.json",
                "title": warning + words["json"].format(name=name),
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "sources": _sources(credits, lang),
                "licenses": _licences(credits),
            }
        )
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": "indikatorer-" + plan.region.lower(),
        "title": warning + words["title"].format(plan=plan_name),
        "description": warning + words["description"].format(plan=plan_name, region=plan.region_name),
        "keywords": ["indikatorer", "kommuneplan", plan.region_name, "SSB"],
        "sources": _sources(list(dict.fromkeys(every_credit)), lang),
        "licenses": _licences(list(dict.fromkeys(every_credit))),
        "resources": resources,
        # Extras: what the data is (demo and test data never pass for real) and when it is from.
        "data_kind": kind,
        "demo": bool(data.snapshot.demo),
        "test_data": bool(data.snapshot.test_data),
    }
    created = _iso(data.snapshot.data_as_of)
    if created:
        package["created"] = created
    if site_url:
        package["homepage"] = site_url + "/"
    return _clean(package)


# --- answering: one way for every data response ---------------------------------------------------

CACHE_CONTROL = "public, max-age=300"  # refreshes come a few times a day; revalidation is cheap
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    # ETag is not a CORS-safelisted response header: scripts on other sites need it to revalidate.
    "Access-Control-Expose-Headers": "ETag, Content-Disposition",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def data_response(
    body: bytes,
    mimetype: str,
    data: DashboardData,
    *,
    filename: str | None = None,
    disposition: str = "attachment",
) -> flask.Response:
    """A data response: cacheable, validated by ETag and Last-Modified, 304 when the client's
    copy is current. The ETag is a hash of the bytes (a weak one, so a compressed copy matches
    too), the same from every worker and replica; Last-Modified is the data date."""
    response = flask.Response(body, mimetype=mimetype)
    if mimetype.startswith("text/"):
        response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32], weak=True)
    if data.snapshot.data_as_of is not None:
        response.last_modified = data.snapshot.data_as_of.replace(microsecond=0)
    response.headers["Cache-Control"] = CACHE_CONTROL
    if filename:
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Werkzeug's rules: If-None-Match wins over If-Modified-Since; a malformed date is ignored.
    response.make_conditional(flask.request)  # turns the response itself into a 304
    return response


def _filename(stem: str, extension: str, data: DashboardData, lang: Lang | None = None) -> str:
    suffix = DATA_KIND_FILE_SUFFIX[data_kind(data)]
    language = f".{lang}" if lang is not None and lang != DEFAULT_LANG else ""
    return f"{stem}{suffix}{language}.{extension}"


def _json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


# Flask endpoints whose responses are data (CORS, cache headers; the OpenAPI document lists them).
DATA_ENDPOINTS = frozenset(
    {
        "dashboard_download_csv",
        "dashboard_download_json",
        "dashboard_download_xlsx",
        "dashboard_download_all_csv",
        "dashboard_datapackage",
        "dashboard_api_status",
        "dashboard_api_openapi",
    }
)


def register(
    server: flask.Flask,
    data_of: Callable[[], DashboardData],
    not_found: Callable[[], flask.Response],
    bad_format: Callable[[], flask.Response],
) -> None:
    """Add the download and API routes to the Flask server (``bad_format``: the 400 page for an
    unknown ``?format=``)."""

    def dialect_or_refusal(lang: Lang) -> CsvDialect | flask.Response:
        requested = flask.request.args.get("format")
        dialect = csv_dialect(lang, requested)
        return bad_format() if dialect is None else dialect

    def csv_response(text: str, data: DashboardData, stem: str, lang: Lang) -> flask.Response:
        body = ("\ufeff" + text).encode("utf-8")
        return data_response(body, "text/csv", data, filename=_filename(stem, "csv", data, lang))

    def download_csv(indicator_id: str) -> flask.Response:
        data = data_of()
        if indicator_id not in data.catalog.indicators:
            return not_found()
        lang = parse_lang(flask.request.args.get("lang"))
        dialect = dialect_or_refusal(lang)
        if isinstance(dialect, flask.Response):
            return dialect
        breakdown = flask.request.args.get("breakdown")
        if breakdown is None:
            return csv_response(csv_text(data, indicator_id, lang, dialect), data, indicator_id, lang)
        text = breakdown_csv_text(data, indicator_id, breakdown, lang, dialect)
        if text is None:  # no such breakdown of this indicator: nothing to download
            return not_found()
        return csv_response(text, data, f"{indicator_id}-{breakdown}", lang)

    def download_json(indicator_id: str) -> flask.Response:
        data = data_of()
        if indicator_id not in data.catalog.indicators:
            return not_found()
        body = _json_bytes(json_document(data, indicator_id))
        return data_response(
            body,
            "application/json",
            data,
            filename=_filename(indicator_id, "json", data),
            disposition="inline",
        )

    def download_xlsx(indicator_id: str) -> flask.Response:
        data = data_of()
        if indicator_id not in data.catalog.indicators:
            return not_found()
        from dashboard import xlsx  # XlsxWriter only for whoever asks for a workbook

        lang = parse_lang(flask.request.args.get("lang"))
        breakdown = flask.request.args.get("breakdown")
        if breakdown is not None and breakdown_parts(data, indicator_id, breakdown, lang) is None:
            return not_found()  # as the CSV: no such breakdown of this indicator
        body = data.memo(
            ("xlsx", indicator_id, lang, breakdown),
            lambda: xlsx.xlsx_bytes(data, indicator_id, lang, breakdown=breakdown),
        )
        name = indicator_id if breakdown is None else f"{indicator_id}-{breakdown}"
        return data_response(body, xlsx.MIMETYPE, data, filename=_filename(name, "xlsx", data, lang))

    def download_all_csv() -> flask.Response:
        data = data_of()
        lang = parse_lang(flask.request.args.get("lang"))
        dialect = dialect_or_refusal(lang)
        if isinstance(dialect, flask.Response):
            return dialect
        text = data.memo(("all.csv", lang, dialect.name), lambda: all_csv_text(data, lang, dialect))
        return csv_response(text, data, "all", lang)

    def package() -> flask.Response:
        from dashboard.security import site_url

        data = data_of()
        lang = parse_lang(flask.request.args.get("lang"))
        body = data.memo(("datapackage.json", lang), lambda: _json_bytes(datapackage(data, lang, site_url())))
        return data_response(body, "application/json", data)

    def api_status() -> flask.Response:
        data = data_of()
        # Keyed by the day too: the document's `stale` can turn true without a new cache.
        day = datetime.now(UTC).date().isoformat()
        body = data.memo(("status.json", day), lambda: _json_bytes(status_document(data)))
        return data_response(body, "application/json", data)

    def api_openapi() -> flask.Response:
        data = data_of()
        body = data.memo(("openapi.json",), lambda: _json_bytes(openapi.document(data.catalog)))
        return data_response(body, "application/json", data)

    server.add_url_rule(urls.DATA_ALL_CSV, "dashboard_download_all_csv", download_all_csv)
    server.add_url_rule(urls.DATA_PACKAGE, "dashboard_datapackage", package)
    server.add_url_rule(urls.DATA_CSV, "dashboard_download_csv", download_csv)
    server.add_url_rule(urls.DATA_JSON, "dashboard_download_json", download_json)
    server.add_url_rule(urls.DATA_XLSX, "dashboard_download_xlsx", download_xlsx)
    server.add_url_rule(urls.API_STATUS, "dashboard_api_status", api_status)
    server.add_url_rule(urls.API_OPENAPI, "dashboard_api_openapi", api_openapi)

    @server.after_request
    def open_data_to_other_sites(response: flask.Response) -> flask.Response:
        # Also on 304, 400, 404 and preflight answers, so a script elsewhere can read them.
        rule = flask.request.url_rule
        if rule is not None and rule.endpoint in DATA_ENDPOINTS:
            response.headers.update(CORS_HEADERS)
            if flask.request.method == "OPTIONS":
                response.headers.update(PREFLIGHT_HEADERS)
        return response
