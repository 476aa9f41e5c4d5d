"""``/data/<id>.csv`` and ``/data/<id>.json``: an indicator's series, assessment and metadata.

The CSV is made for Norwegian Excel: UTF-8 with a byte-order mark (so "ø" survives), ``;``
between fields and a decimal comma, no thousands separator (Excel would read it as text).
Text cells that a spreadsheet would run as a formula are neutralised (DESIGN §11, OWASP's
CSV injection advice); numbers are written by :func:`csv_number` and never touched.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import flask

from dashboard import urls
from dashboard.data import DashboardData
from dashboard.i18n import Lang, parse_lang
from indicators import sources
from indicators.assessment.explain import STATUS_TEXT, explain

CSV_HEADERS: dict[Lang, tuple[str, ...]] = {
    "no": ("regionkode", "region", "år", "verdi", "ssb_symbol"),
    "en": ("region_code", "region", "year", "value", "ssb_symbol"),
}
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


def csv_number(value: float | None) -> str:
    """A value as Norwegian Excel reads it: ``41,666667``; empty when missing."""
    if value is None or not math.isfinite(value):
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return ("0" if text in {"-0", ""} else text).replace(".", ",")


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


def _isnan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def csv_text(data: DashboardData, indicator_id: str, lang: Lang) -> str:
    """The CSV file's text (without the byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS[lang])
    for r in ordered_rows(data, indicator_id):
        writer.writerow(
            [
                csv_text_cell(r["region"]),
                csv_text_cell(r["region_name"]),
                r["year"],
                csv_number(r["value"]),
                csv_text_cell(r["status"] or ""),
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
        "problem": data.problem(indicator_id),
        "assessment": {
            **dataclasses.asdict(assessment),
            "status_text": {lang: STATUS_TEXT[assessment.status][lang] for lang in ("no", "en")},
            "explanation": {lang: explain(assessment, definition, lang) for lang in ("no", "en")},
        },
        "series": ordered_rows(data, indicator_id),
    }
    return _clean(doc)


def register(
    server: flask.Flask, data_of: Callable[[], DashboardData], not_found: Callable[[], flask.Response]
) -> None:
    """Add the two download routes to the Flask server."""

    def download_csv(indicator_id: str) -> flask.Response:
        data = data_of()
        if indicator_id not in data.catalog.indicators:
            return not_found()
        text = csv_text(data, indicator_id, parse_lang(flask.request.args.get("lang")))
        response = flask.Response(("\ufeff" + text).encode("utf-8"), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="{indicator_id}.csv"'
        return response

    def download_json(indicator_id: str) -> flask.Response:
        data = data_of()
        if indicator_id not in data.catalog.indicators:
            return not_found()
        body = json.dumps(json_document(data, indicator_id), ensure_ascii=False, indent=1, allow_nan=False)
        response = flask.Response(body.encode("utf-8"), mimetype="application/json")
        response.headers["Content-Disposition"] = f'inline; filename="{indicator_id}.json"'
        return response

    server.add_url_rule(urls.DATA_CSV, "dashboard_download_csv", download_csv)
    server.add_url_rule(urls.DATA_JSON, "dashboard_download_json", download_json)
