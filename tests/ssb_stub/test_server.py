"""The stub answers like PxWebApi v2: shapes from SSB's OpenAPI spec, expressions, errors, admin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "pxwebapi" / "PxAPI-2.yml"


def required_keys(schema: str) -> set[str]:
    """The ``required`` list of a schema in the spec (a light reading: no YAML dependency)."""
    if not SPEC.exists():
        pytest.skip(f"SSB's OpenAPI spec not found at {SPEC} (it lives in ../shared beside the repository)")
    text = SPEC.read_text(encoding="utf-8")
    block = re.search(rf"^    {schema}:\n(.*?)(?=^    \S)", text, re.S | re.M)
    assert block, f"schema {schema} not in the spec"
    required = re.search(r"^      required:\n((?:\s+- .*\n)+)", block.group(1), re.M)
    assert required, f"schema {schema} has no required list in the spec"
    return set(re.findall(r'- "?([A-Za-z]+)"?', required.group(1)))


def get(stub, path: str, **params) -> requests.Response:
    return requests.get(stub.url + path, params=params, timeout=5)


def test_config_has_the_keys_the_spec_requires(ssb_stub):
    body = get(ssb_stub, "/config").json()
    assert required_keys("ConfigResponse") <= set(body)
    assert {"maxDataCells", "maxCallsPerTimeWindow", "timeWindow"} <= required_keys("ConfigResponse")


def test_table_info_and_listing_have_the_keys_the_spec_requires(ssb_stub):
    info = get(ssb_stub, "/tables/90001").json()
    assert required_keys("Table") | {"language"} <= set(info)
    listing = get(ssb_stub, "/tables", pageSize=2).json()
    assert required_keys("TablesResponse") <= set(listing)
    assert required_keys("PageInfo") <= set(listing["page"])
    assert listing["page"]["totalPages"] == -(-listing["page"]["totalElements"] // 2)


def test_codelist_and_datasets_have_the_keys_the_spec_requires(ssb_stub):
    codelist = get(ssb_stub, "/codeLists/agg_KommSummer").json()
    assert required_keys("CodelistResponse") <= set(codelist)
    meta = get(ssb_stub, "/tables/90001/metadata").json()
    assert required_keys("Dataset") <= set(meta) and meta["value"] == []
    assert meta["dimension"]["Region"]["extension"]["codelists"][0]["id"] == "agg_KommSummer"


def test_errors_are_problem_json(ssb_stub):
    missing = get(ssb_stub, "/tables/12345")
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith(
        "application/problem+json"
    )
    bad = get(
        ssb_stub, "/tables/90001/data", **{"valueCodes[Tid]": "2020", "valueCodes[ContentsCode]": "Nope"}
    )
    assert (
        bad.status_code == 400
        and "Nope is not a valid value code for variable ContentsCode" in bad.json()["detail"]
    )
    no_time = get(ssb_stub, "/tables/90001/data", **{"valueCodes[ContentsCode]": "Fodte"})
    assert no_time.status_code == 400 and "Tid cannot be eliminated" in no_time.json()["detail"]


@pytest.mark.parametrize(("status", "title"), [(400, "Too many cells selected"), (403, "Forbidden")])
def test_the_cell_limit_answers_like_ssb_or_like_the_spec(ssb_stub, status, title):
    ssb_stub.set_cell_limit(5, status=status)
    answer = get(
        ssb_stub, "/tables/90001/data", **{"valueCodes[ContentsCode]": "*", "valueCodes[Tid]": "top(3)"}
    )
    assert (answer.status_code, answer.json()["title"]) == (status, title)


def test_the_rate_limit_answers_429_with_retry_after(ssb_stub):
    ssb_stub.set_rate_limit(2, 30)
    assert [get(ssb_stub, "/config").status_code for _ in range(3)] == [200, 200, 429]
    last = get(ssb_stub, "/config")
    assert last.status_code == 429 and 1 <= int(last.headers["Retry-After"]) <= 30
    assert ssb_stub.counts()["rate_limited"] == 2


def test_post_and_get_select_the_same_cells(ssb_stub):
    params = {
        "valueCodes[Region]": "K-5001,K-0301",
        "codelist[Region]": "agg_KommSummer",
        "valueCodes[ContentsCode]": "Personer1",
        "valueCodes[Tid]": "range(2016,2019)",
    }
    by_get = get(ssb_stub, "/tables/90001/data", **params).json()
    body = {
        "selection": [
            {"variableCode": "Region", "valueCodes": ["K-5001", "K-0301"], "codelist": "agg_KommSummer"},
            {"variableCode": "ContentsCode", "valueCodes": ["Personer1"]},
            {"variableCode": "Tid", "valueCodes": ["range(2016,2019)"]},
        ]
    }
    by_post = requests.post(ssb_stub.url + "/tables/90001/data", json=body, timeout=5).json()
    assert by_get == by_post
    assert by_get["size"] == [2, 1, 4] and list(by_get["dimension"]["Region"]["category"]["index"]) == [
        "K-0301",
        "K-5001",
    ]


def test_output_values_single_returns_the_mapped_codes(ssb_stub):
    doc = get(
        ssb_stub,
        "/tables/90001/data",
        **{
            "valueCodes[Region]": "K-5001",
            "codelist[Region]": "agg_KommSummer",
            "outputValues[Region]": "single",
            "valueCodes[ContentsCode]": "Personer1",
            "valueCodes[Tid]": "2019",
        },
    ).json()
    assert list(doc["dimension"]["Region"]["category"]["index"]) == ["1601", "1662", "5001"]
    assert doc["status"] == {"0": "."}  # Trondheim's old code did not exist in 2019


def test_admin_endpoints_control_a_stub_run_from_the_command_line(ssb_stub):
    admin = ssb_stub.root + "/__admin"
    requests.post(
        admin + "/faults", json={"table": "90001", "kind": "503", "times": 1}, timeout=5
    ).raise_for_status()
    assert get(ssb_stub, "/tables/90001").status_code == 503
    assert get(ssb_stub, "/tables/90001").status_code == 200
    touched = requests.post(
        admin + "/touch", json={"table": "90002", "updated": "2026-01-02T07:00:00Z"}, timeout=5
    ).json()
    assert touched["updated"] == get(ssb_stub, "/tables/90002").json()["updated"] == "2026-01-02T07:00:00Z"
    counts = requests.get(admin + "/counts", timeout=5).json()
    assert counts["table_info"] == 3 and counts["errors"] == 1
    assert (
        requests.post(admin + "/faults", json={"table": "90001", "kind": "boom"}, timeout=5).status_code
        == 400
    )
