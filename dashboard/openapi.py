"""``/api/openapi.json``: the OpenAPI 3.1 document of the data endpoints (DESIGN §9).

Built from the same path patterns the app registers (:mod:`dashboard.urls`), with JSON Schemas
for every JSON answer, so ``tests/dashboard/test_openapi.py`` can test every endpoint from it
(schemathesis: never a 500, every answer matches its schema). The schemas pin what DESIGN §6 and
the README promise and allow extra fields, as the contracts do.
"""

from __future__ import annotations

import re
from typing import Any

from dashboard import urls
from indicators import __version__
from indicators.assessment.formulas import METHODS, STATUSES
from indicators.plan.catalog import Catalog
from indicators.plan.model import RESERVED_IDS

OPENAPI_VERSION = "3.1.0"
# RESERVED_IDS: no indicator takes them; /data/<id>.csv with one of them is another download.
__all__ = ["RESERVED_IDS", "document"]

NUMBER_OR_NULL: dict[str, Any] = {"type": ["number", "null"]}
INTEGER_OR_NULL: dict[str, Any] = {"type": ["integer", "null"]}
STRING_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
# A label in every language the definition gives (bokmål always), as the JSON's other *_i18n objects.
LABEL_I18N: dict[str, Any] = {
    "type": "object",
    "required": ["no"],
    "properties": {"no": {"type": "string"}, "en": {"type": "string"}, "nn": {"type": "string"}},
}
STATUS: dict[str, Any] = {"type": "string", "enum": list(STATUSES)}
COVERAGE: dict[str, Any] = {
    "type": "object",
    "required": ["assessed", "indicators"],
    "properties": {
        "assessed": {"type": "integer", "minimum": 0},
        "indicators": {"type": "integer", "minimum": 0},
    },
}

STATUS_INDICATOR: dict[str, Any] = {
    "type": "object",
    "required": [
        "id",
        "name",
        "unit",
        "status",
        "score",
        "method",
        "base_year",
        "base_value",
        "current_year",
        "current_value",
        "target_value",
        "target_year",
        "progress_value",
        "projected_value",
        "table",
        "updated",
    ],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "unit": {"type": "string"},
        "status": STATUS,
        "score": NUMBER_OR_NULL,
        "method": {"type": "string", "enum": list(METHODS)},
        "base_year": INTEGER_OR_NULL,
        "base_value": NUMBER_OR_NULL,
        "current_year": INTEGER_OR_NULL,
        "current_value": NUMBER_OR_NULL,
        "target_value": NUMBER_OR_NULL,
        "target_year": INTEGER_OR_NULL,
        "progress_value": NUMBER_OR_NULL,
        "projected_value": NUMBER_OR_NULL,
        "table": STRING_OR_NULL,
        "updated": STRING_OR_NULL,
        "milestones": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["year", "value", "met"],
                "properties": {
                    "year": {"type": "integer"},
                    "value": NUMBER_OR_NULL,
                    "met": {"type": ["boolean", "null"]},
                },
            },
        },
        "problem": STRING_OR_NULL,
    },
}


def _group(members_key: str, members: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "title", "status", "score", "coverage", members_key],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "status": STATUS,
            "score": NUMBER_OR_NULL,
            "coverage": COVERAGE,
            members_key: {"type": "array", "items": members},
        },
    }


STATUS_DOCUMENT: dict[str, Any] = {
    "type": "object",
    "required": ["plan", "data_as_of", "demo", "goals", "test_data"],
    "properties": {
        "plan": {"type": "string"},
        "data_as_of": STRING_OR_NULL,
        "demo": {"type": "boolean"},
        "test_data": {"type": "boolean"},
        "api_url": STRING_OR_NULL,
        "goals": {
            "type": "array",
            "items": _group(
                "subgoals", _group("indicators", {"$ref": "#/components/schemas/StatusIndicator"})
            ),
        },
    },
}

SERIES_ROW: dict[str, Any] = {
    "type": "object",
    "required": ["region", "region_name", "year", "value", "status"],
    "properties": {
        "region": {"type": "string"},
        "region_name": {"type": "string"},
        "year": {"type": "integer"},
        "value": NUMBER_OR_NULL,
        "status": STRING_OR_NULL,
    },
}

INDICATOR_DOCUMENT: dict[str, Any] = {
    "type": "object",
    "required": [
        "id",
        "name",
        "unit",
        "direction",
        "subgoals",
        "plan",
        "region",
        "sources",
        "data_as_of",
        "demo",
        "test_data",
        "problem",
        "assessment",
        "series",
    ],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "unit": {"type": "string"},
        "direction": {"type": "string", "enum": ["increase", "decrease"]},
        "subgoals": {"type": "array", "items": {"type": "string"}},
        "plan": {"type": "string"},
        "region": {"type": "string"},
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "publisher", "title"],
                "properties": {
                    "kind": {"type": "string"},
                    "table": STRING_OR_NULL,
                    "licence": STRING_OR_NULL,
                },
            },
        },
        "data_as_of": STRING_OR_NULL,
        "demo": {"type": "boolean"},
        "test_data": {"type": "boolean"},
        "problem": STRING_OR_NULL,
        "assessment": {
            "type": "object",
            "required": ["status", "score", "method"],
            "properties": {"status": STATUS, "score": NUMBER_OR_NULL, "method": {"type": "string"}},
        },
        "series": {"type": "array", "items": SERIES_ROW},
        # Extension (issue 20): the series per category of each of the definition's breakdowns.
        "breakdowns": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["variable", "label", "categories"],
                "properties": {
                    "variable": {"type": "string"},
                    "label": {"type": "string"},
                    "label_en": STRING_OR_NULL,
                    "label_i18n": LABEL_I18N,
                    "categories": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["code", "label", "series"],
                            "properties": {
                                "code": {"type": "string"},
                                "label": {"type": "string"},
                                "label_en": STRING_OR_NULL,
                                "label_i18n": LABEL_I18N,
                                "series": {"type": "array", "items": SERIES_ROW},
                            },
                        },
                    },
                },
            },
        },
    },
}

DATA_PACKAGE: dict[str, Any] = {
    "type": "object",
    "required": ["profile", "name", "resources", "demo", "test_data", "data_kind"],
    "properties": {
        "profile": {"const": "data-package"},
        "name": {"type": "string", "pattern": "^[-a-z0-9._/]+$"},
        "data_kind": {"type": "string", "enum": ["real", "demo", "test"]},
        "demo": {"type": "boolean"},
        "test_data": {"type": "boolean"},
        "resources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "path", "format", "mediatype"],
                "properties": {
                    "name": {"type": "string", "pattern": "^[-a-z0-9._/]+$"},
                    "path": {"type": "string"},
                },
            },
        },
    },
}

OPENAPI_DOCUMENT: dict[str, Any] = {
    "type": "object",
    "required": ["openapi", "info", "paths"],
    "properties": {"openapi": {"type": "string"}, "paths": {"type": "object"}},
}


def _path(pattern: str) -> str:
    """A Flask pattern (``/data/<indicator_id>.csv``) as an OpenAPI path (``{indicator_id}``)."""
    return re.sub(r"<([^<>]+)>", r"{\1}", pattern)


def _header(description: str, *, required: bool = True) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": {"type": "string"}}


DATA_HEADERS: dict[str, Any] = {
    "ETag": _header("a weak validator: a hash of the bytes, the same from every worker"),
    "Cache-Control": _header("how long a copy may be used without asking again"),
    "Access-Control-Allow-Origin": _header("`*`: any site may read the data"),
    "Last-Modified": _header("the data date (when the newest figures were fetched)", required=False),
}
CONDITIONAL = [
    {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "an ETag from an earlier answer: 304 when it still matches",
        "schema": {"type": "string"},
    },
    {
        "name": "If-Modified-Since",
        "in": "header",
        "required": False,
        "description": "an HTTP date: 304 when the data is not newer (ignored with If-None-Match)",
        "schema": {"type": "string"},
    },
]
LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "`no` (bokmål, the default), `en` or `nn` (nynorsk; also `nno`, `nynorsk`): column "
    "names, names and units, and the "
    "CSV dialect unless `format` is given; any other value means bokmål, as on every page",
    # Any text: an unknown language falls back to bokmål (as on pages), it is no error.
    "schema": {"type": "string", "examples": ["no", "en", "nn"]},
}
FORMAT = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "`csv-no`: Norwegian Excel (`;`, decimal comma); `csv-en`: `,` and a decimal "
    "point. Both UTF-8 with a byte-order mark. Default: the language's own. Anything else is a 400.",
    "schema": {"type": "string", "enum": ["csv-no", "csv-en"]},
}
BREAKDOWN = {
    "name": "breakdown",
    "in": "query",
    "required": False,
    "description": "a breakdown variable of the indicator (e.g. `Kjonn`, listed in its JSON's `breakdowns`): "
    "the total's rows, then each category's, with the columns `inndeling, kategorikode, kategori` "
    "(`breakdown, category_code, category`) before the data-kind column; any other value is a 404",
    "schema": {"type": "string", "examples": ["Kjonn"]},
}
NOT_MODIFIED = {"description": "the client's copy (its ETag or date) is current", "headers": DATA_HEADERS}
HTML_ERROR = {"content": {"text/html": {"schema": {"type": "string"}}}}


def _json_ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "headers": DATA_HEADERS,
        "content": {"application/json": {"schema": schema}},
    }


def _csv_ok(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": DATA_HEADERS,
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }


def document(catalog: Catalog) -> dict[str, Any]:
    """The OpenAPI document; the catalogue's indicator ids are the path parameter's examples."""
    ids = list(catalog.indicators)
    indicator_id = {
        "name": "indicator_id",
        "in": "path",
        "required": True,
        "description": "an indicator's id (its definition file's name); an unknown id is a 404 page",
        "schema": {
            "anyOf": [
                {"type": "string", "enum": ids} if ids else {"type": "string", "pattern": "^[a-z0-9-]+$"},
                {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,40}$"},
            ],
            "not": {"enum": list(RESERVED_IDS)},
        },
    }
    bad_format = {"description": "unknown `format`", **HTML_ERROR}
    not_found = {"description": "no indicator with this id (a helpful page)", **HTML_ERROR}
    paths = {
        _path(urls.API_STATUS): {
            "get": {
                "summary": "The status of every goal, sub-goal and indicator (`status --json`)",
                "operationId": "status",
                "parameters": CONDITIONAL,
                "responses": {
                    "200": _json_ok(
                        "DESIGN §6's document, plus extra fields", {"$ref": "#/components/schemas/Status"}
                    ),
                    "304": NOT_MODIFIED,
                },
            }
        },
        _path(urls.API_OPENAPI): {
            "get": {
                "summary": "This document",
                "operationId": "openapi",
                "parameters": CONDITIONAL,
                "responses": {"200": _json_ok("OpenAPI 3.1", OPENAPI_DOCUMENT), "304": NOT_MODIFIED},
            }
        },
        _path(urls.DATA_ALL_CSV): {
            "get": {
                "summary": "Every series in one tidy CSV",
                "operationId": "allCsv",
                "parameters": [LANG, FORMAT, *CONDITIONAL],
                "responses": {
                    "200": _csv_ok("one row per indicator, region and year"),
                    "304": NOT_MODIFIED,
                    "400": bad_format,
                },
            }
        },
        _path(urls.DATA_PACKAGE): {
            "get": {
                "summary": "A Frictionless Data Package describing every download",
                "operationId": "dataPackage",
                "parameters": [LANG, *CONDITIONAL],
                "responses": {
                    "200": _json_ok("Data Package v1", {"$ref": "#/components/schemas/DataPackage"}),
                    "304": NOT_MODIFIED,
                },
            }
        },
        _path(urls.DATA_CSV): {
            "get": {
                "summary": "One indicator's series (home region and peers) as CSV",
                "operationId": "indicatorCsv",
                "parameters": [indicator_id, LANG, FORMAT, BREAKDOWN, *CONDITIONAL],
                "responses": {
                    "200": _csv_ok("the series"),
                    "304": NOT_MODIFIED,
                    "400": bad_format,
                    "404": not_found,
                },
            }
        },
        _path(urls.DATA_XLSX): {
            "get": {
                "summary": "One indicator's series as an Excel workbook (the CSV's rows; values as numbers)",
                "operationId": "indicatorXlsx",
                "parameters": [indicator_id, LANG, BREAKDOWN, *CONDITIONAL],
                "responses": {
                    "200": {
                        "description": "the series, and a sheet saying what the figures are",
                        "headers": DATA_HEADERS,
                        "content": {
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                "schema": {"type": "string", "format": "binary"}
                            }
                        },
                    },
                    "304": NOT_MODIFIED,
                    "404": not_found,
                },
            }
        },
        _path(urls.DATA_JSON): {
            "get": {
                "summary": "One indicator's series, assessment and metadata as JSON",
                "operationId": "indicatorJson",
                "parameters": [indicator_id, *CONDITIONAL],
                "responses": {
                    "200": _json_ok(
                        "series, assessment and metadata", {"$ref": "#/components/schemas/Indicator"}
                    ),
                    "304": NOT_MODIFIED,
                    "404": not_found,
                },
            }
        },
    }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"{catalog.plan.name}: indicator data",
            "version": __version__,
            "description": "The data behind the dashboard: open to every site (CORS), cacheable "
            "(ETag, Last-Modified, 304). Demo and test data say so (`demo`, `test_data`, "
            '`data_kind`). See the README\'s "API and downloads".',
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Status": STATUS_DOCUMENT,
                "StatusIndicator": STATUS_INDICATOR,
                "Indicator": INDICATOR_DOCUMENT,
                "DataPackage": DATA_PACKAGE,
            }
        },
    }
