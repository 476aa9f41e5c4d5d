"""Property tests of every data endpoint from the OpenAPI document the app serves
(``/api/openapi.json``): schemathesis generates parameters and headers from it, calls the app
in-process and checks every answer — never a 500, status codes, content types, required headers
and JSON bodies as the document says. Bounded, so the suite stays fast in CI."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dashboard.app import create_app
from dashboard.openapi import RESERVED_IDS
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import fixed_source, make_snapshot
from tests.dashboard.conftest import settings as app_settings

MAX_EXAMPLES = 25  # per operation and phase; six operations, about 5 s in all


def _app():
    s = app_settings()
    return create_app(s, source=fixed_source(make_snapshot(load_catalog(s.definitions, s.goals))))


# Built at import: schemathesis makes one test per operation from the loaded document (its
# pytest fixture loader does not work with this pytest). The app is the small test snapshot.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _app().server)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_data_endpoint_answers_as_its_openapi_document_says(case) -> None:
    # Uncompressed: the in-process client does not decode gzip (compression: test_http.py).
    headers = {"Accept-Encoding": "identity"}
    if (case.path_parameters or {}).get("indicator_id") in RESERVED_IDS:
        # /data/all.csv and /data/datapackage.json are files of their own, answered as such
        # (by design; no indicator may take those ids): only "never a 500" applies.
        case.call_and_validate(headers=headers, checks=[not_a_server_error])
    else:
        case.call_and_validate(headers=headers)


def test_the_document_is_valid_openapi_and_lists_every_data_endpoint(client) -> None:
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/status.json",
        "/api/openapi.json",
        "/data/all.csv",
        "/data/datapackage.json",
        "/data/{indicator_id}.csv",
        "/data/{indicator_id}.json",
        "/data/{indicator_id}.xlsx",
    }
    # schemathesis refuses a document it cannot read; loading it is the validity check.
    loaded = schemathesis.openapi.from_dict(document)
    assert len(list(loaded.get_all_operations())) == 7
