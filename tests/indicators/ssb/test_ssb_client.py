"""The SSB client over real HTTP against the local PxWebApi stub (never a mocked ``requests``)."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from indicators import __version__
from indicators.errors import (
    BadResponse,
    QueryTooLarge,
    RateLimited,
    SsbRequestError,
    SsbUnavailable,
    TableNotFound,
    UnknownVariable,
)
from indicators.ssb.client import SsbClient, VarSelection
from tests.indicators.ssb.jsonstat_reference import read_dataset

FAST = {"backoff": 0.01, "max_retries": 2}


def client_for(stub, **options) -> SsbClient:
    return SsbClient(stub.url, **{**FAST, **options})


def population(region: list[str], years: str = "from(2016)") -> dict[str, VarSelection]:
    return {
        "Region": VarSelection(region, "agg_KommSummer", "aggregated"),
        "ContentsCode": VarSelection(["Personer1"]),
        "Tid": VarSelection([years]),
    }


# --- the plain endpoints ---------------------------------------------------------------------------


def test_config_is_read_once_and_names_the_limits(ssb_stub):
    ssb_stub.set_cell_limit(12345)
    client = client_for(ssb_stub)
    first = client.config()
    client.table_info("90001")
    client.metadata("90001")
    assert first.max_data_cells == 12345
    assert client.config() is first
    assert ssb_stub.counts()["config"] == 1


def test_table_info_gives_updated_as_utc_and_the_time_unit(ssb_stub):
    info = client_for(ssb_stub).table_info("90001")
    assert info.updated == datetime(2025, 2, 21, 7, 0, tzinfo=UTC)
    assert (info.first_period, info.last_period, info.time_unit) == ("2010", "2024", "Annual")
    assert info.label.startswith("90001:")


def test_every_request_names_the_project_in_its_user_agent(ssb_stub):
    client_for(ssb_stub).table_info("90001")
    agents = {r.user_agent for r in ssb_stub.requests}
    assert agents == {f"plan-indikatorer/{__version__}"}


def test_metadata_knows_roles_elimination_and_codelists(ssb_stub):
    meta = client_for(ssb_stub).metadata("90001")
    assert [v.code for v in meta.variables] == ["Region", "Kjonn", "ContentsCode", "Tid"]
    assert meta.geo_variable.code == "Region" and meta.geo_variable.codelists == ("agg_KommSummer",)
    assert meta.time_variable.code == "Tid" and not meta.time_variable.elimination
    assert meta.content_variable.code == "ContentsCode"
    assert meta.variable("Kjonn").elimination
    assert meta.variable("Region").labels["5001"] == "Trondheim - Tråante"


def test_an_unknown_variable_names_the_ones_that_exist(ssb_stub):
    meta = client_for(ssb_stub).metadata("90001")
    with pytest.raises(
        UnknownVariable, match=r"90001 has no variable region \(did you mean Region\?\).*Kjonn"
    ):
        meta.variable("region")


def test_changed_tables_follows_every_page(ssb_stub_factory, tmp_path: Path):
    now = datetime.now(UTC)
    for i in range(105):
        _tiny_table(tmp_path, f"8{i:04d}", now - timedelta(days=1))
    _tiny_table(tmp_path, "89999", now - timedelta(days=30))
    stub = ssb_stub_factory(tables_dir=tmp_path)
    changed = client_for(stub).changed_tables(7)
    assert len(changed) == 105 and "89999" not in changed
    assert all(when.tzinfo is not None for when in changed.values())
    assert stub.counts()["tables"] == 2


def test_changed_tables_sees_a_table_touched_at_runtime(ssb_stub):
    client = client_for(ssb_stub)
    assert "90002" not in client.changed_tables(3)
    when = ssb_stub.touch("90002")
    assert client.changed_tables(3)["90002"] == when
    assert client.table_info("90002").updated == when


def test_codelist_lists_k_codes_with_their_municipality_codes(ssb_stub):
    values = {v["code"]: v["valueMap"] for v in client_for(ssb_stub).codelist("agg_KommSummer")["values"]}
    assert values["K-5001"] == ["1601", "1662", "5001"]


# --- data --------------------------------------------------------------------------------------------


def test_k_codes_give_an_unbroken_series_across_the_2018_merger(ssb_stub):
    client = client_for(ssb_stub)
    frame = read_dataset(client.data("90001", population(["K-5001"], "range(2015,2021)")))
    assert frame["value"].notna().all()
    plain = read_dataset(
        client.data(
            "90001",
            {
                "Region": VarSelection(["1601", "1662", "5001"]),
                "ContentsCode": VarSelection(["Personer1"]),
                "Tid": VarSelection(["range(2015,2021)"]),
            },
        )
    )
    by_year = plain.groupby("Tid")["value"].sum()
    assert list(frame["value"]) == list(by_year.loc[frame["Tid"]])
    assert frame["Region_label"].unique().tolist() == ["Trondheim - Tråante"]


def test_missing_and_confidential_cells_keep_their_symbol_and_never_become_zero(ssb_stub):
    doc = client_for(ssb_stub).data(
        "90001",
        {
            "Region": VarSelection(["0301", "1103", "1601"]),
            "ContentsCode": VarSelection(["Fodte"]),
            "Tid": VarSelection(["2018", "2023", "2024"]),
        },
    )
    frame = read_dataset(doc).set_index(["Region", "Tid"])
    assert frame.loc[("0301", "2023"), "status"] == ".."
    assert frame.loc[("1103", "2024"), "status"] == ":"
    assert frame.loc[("1601", "2018"), "status"] == "."  # Trondheim's old code after 2017
    for key in [("0301", "2023"), ("1103", "2024"), ("1601", "2018")]:
        assert pd.isna(frame.loc[key, "value"])
    assert (frame["value"].fillna(-1) != 0).all()
    assert frame.loc[("0301", "2018"), "status"] is None


def test_eliminated_variables_are_summed_by_ssb(ssb_stub):
    client = client_for(ssb_stub)
    base = {
        "Region": VarSelection(["5001"]),
        "ContentsCode": VarSelection(["Personer1"]),
        "Tid": VarSelection(["2020"]),
    }
    total = read_dataset(client.data("90001", base))
    by_sex = read_dataset(client.data("90001", {**base, "Kjonn": VarSelection(["*"])}))
    assert "Kjonn" not in total.columns
    assert total["value"].iloc[0] == by_sex["value"].sum()


def test_an_oversized_query_is_split_and_merged_into_the_same_frame_as_small_pieces(ssb_stub):
    selection = {
        "Region": VarSelection(["range(5005,5014)"]),
        "NACE2007": VarSelection(["*"]),
        "ContentsCode": VarSelection(["*"]),
        "Tid": VarSelection(["range(2002,2006)"]),
    }
    client = client_for(ssb_stub)
    assert client.count_cells("90003", selection) == 10 * 10 * 2 * 5
    pieces = [
        read_dataset(client.data("90003", {**selection, "Region": VarSelection([f"{r:04d}"])}))
        for r in range(5005, 5015)
    ]
    expected = pd.concat(pieces, ignore_index=True)

    ssb_stub.set_cell_limit(150, status=403)
    ssb_stub.reset_counts()
    small = client_for(ssb_stub)
    merged = read_dataset(small.data("90003", selection))

    pd.testing.assert_frame_equal(merged, expected)
    # Region 5010, NACE 35-39, 2003 (both contents) keeps its ".." through the merge
    assert merged.loc[
        merged["status"] == "..", ["Region", "NACE2007", "Tid"]
    ].drop_duplicates().values.tolist() == [["5010", "35-39", "2003"]]
    counts = ssb_stub.counts()
    assert counts["errors"] == 0 and counts["data"] >= 1000 // 150
    assert small.stats.splits >= 1


def test_a_query_that_cannot_be_split_is_too_large(ssb_stub):
    ssb_stub.set_cell_limit(1)
    with pytest.raises(QueryTooLarge, match=r"table 90001: the query selects 2 cells.*ContentsCode"):
        client_for(ssb_stub).data(
            "90001",
            {
                "Region": VarSelection(["5001"]),
                "ContentsCode": VarSelection(["*"]),
                "Tid": VarSelection(["2020"]),
            },
        )


def test_a_long_selection_goes_by_post_and_gives_the_same_data(ssb_stub_factory, tmp_path: Path):
    codes = [f"{i:04d}" for i in range(1000, 1500)]
    _tiny_table(tmp_path, "80001", datetime(2025, 1, 1, tzinfo=UTC), regions=codes)
    stub = ssb_stub_factory(tables_dir=tmp_path)
    client = client_for(stub)
    explicit = client.data("80001", {"Region": VarSelection(codes), "Tid": VarSelection(["*"])})
    assert stub.counts()["data_post"] == 1
    everything = client.data("80001", {"Region": VarSelection(["*"]), "Tid": VarSelection(["*"])})
    assert stub.counts()["data_get"] == 1
    pd.testing.assert_frame_equal(read_dataset(explicit), read_dataset(everything))


# --- errors ------------------------------------------------------------------------------------------


def test_an_unknown_table_is_table_not_found_without_retries(ssb_stub):
    with pytest.raises(TableNotFound, match=r"table 12345.*/tables/12345"):
        client_for(ssb_stub).table_info("12345")
    assert ssb_stub.counts()["table_info"] == 1


def test_an_unknown_code_carries_ssbs_explanation(ssb_stub):
    with pytest.raises(
        SsbRequestError, match=r"HTTP 400.*9999 is not a valid value code for variable Region"
    ) as info:
        client_for(ssb_stub).data(
            "90001",
            {
                "Region": VarSelection(["9999"]),
                "ContentsCode": VarSelection(["Personer1"]),
                "Tid": VarSelection(["2020"]),
            },
        )
    assert info.value.status == 400 and "9999" in info.value.detail
    assert ssb_stub.counts()["data"] == 1


@pytest.mark.parametrize("status", ["502", "503", "504"])
def test_a_passing_outage_is_retried_until_it_succeeds(ssb_stub, status):
    ssb_stub.add_fault("90001", status, times=2, retry_after=None)
    events = []
    client = client_for(ssb_stub, on_event=lambda kind, payload: events.append((kind, payload)))
    assert client.table_info("90001").id == "90001"
    assert client.stats.retries == 2 and ssb_stub.counts()["table_info"] == 3
    retries = [p for kind, p in events if kind == "retry"]
    assert [p["reason"] for p in retries] == [f"HTTP {status}"] * 2 and retries[0]["table"] == "90001"


def test_a_lasting_outage_is_unavailable_after_the_retries(ssb_stub):
    ssb_stub.add_fault("90001", "503", retry_after=None)
    with pytest.raises(SsbUnavailable, match=r"table 90001 \(GET .*/tables/90001.*HTTP 503.*after 2 retries"):
        client_for(ssb_stub).table_info("90001")
    assert ssb_stub.counts()["table_info"] == 3


def test_a_server_error_is_not_retried(ssb_stub):
    ssb_stub.add_fault("90001", "500")
    with pytest.raises(SsbUnavailable, match=r"HTTP 500"):
        client_for(ssb_stub).metadata("90001")
    assert ssb_stub.counts()["metadata"] == 1


def test_429_waits_as_long_as_retry_after_says(ssb_stub):
    ssb_stub.add_fault("90001", "429", times=1, retry_after=1, endpoint="table_info")
    events = []
    client = client_for(ssb_stub, on_event=lambda kind, payload: events.append((kind, payload)))
    client.config()
    started = time.monotonic()
    client.table_info("90001")
    assert time.monotonic() - started >= 1.0
    assert [(k, p["wait"]) for k, p in events if k == "retry"] == [("retry", 1.0)]
    assert client.stats.seconds_waited >= 1.0


def test_429_that_persists_is_rate_limited(ssb_stub):
    ssb_stub.add_fault("90001", "429", retry_after=0.05)
    with pytest.raises(RateLimited, match=r"table 90001.*rate limit"):
        client_for(ssb_stub).table_info("90001")


def test_a_retry_after_longer_than_allowed_gives_up_at_once(ssb_stub):
    ssb_stub.add_fault("90001", "429", retry_after=3600)
    with pytest.raises(
        RateLimited, match=r"SSB asks us to wait 3600 s before trying again .*longer than the 120 s"
    ):
        client_for(ssb_stub).table_info("90001")
    assert ssb_stub.counts()["table_info"] == 1


def test_a_dropped_connection_is_retried_then_unavailable(ssb_stub):
    ssb_stub.add_fault("90001", "drop")
    with pytest.raises(SsbUnavailable, match=r"connection dropped"):
        client_for(ssb_stub).table_info("90001")
    assert ssb_stub.counts()["table_info"] == 3


def test_a_refused_connection_is_unavailable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SsbUnavailable, match=r"could not reach SSB.*SSB_API_URL"):
        SsbClient(f"http://127.0.0.1:{port}/api/pxwebapi/v2", **FAST).config()


def test_a_slow_answer_times_out_as_unavailable(ssb_stub):
    ssb_stub.add_fault("90001", "slow", delay=1.0)
    with pytest.raises(SsbUnavailable, match=r"did not answer within 0.2 s"):
        client_for(ssb_stub, timeout=(2, 0.2)).table_info("90001")


@pytest.mark.parametrize(
    ("fault", "message"),
    [("truncate", "cut off"), ("invalid_json", "not valid JSON"), ("bad_sizes", "multiply to")],
)
def test_a_damaged_answer_is_a_bad_response(ssb_stub, fault, message):
    ssb_stub.add_fault("90001", fault, endpoint="data")
    with pytest.raises(BadResponse, match=message) as info:
        client_for(ssb_stub).data("90001", population(["K-5001"]))
    assert "90001" in str(info.value)


# --- rate limiting -----------------------------------------------------------------------------------


def test_a_burst_from_two_clients_never_exceeds_the_window(ssb_stub):
    ssb_stub.set_rate_limit(5, 1)
    clients = [client_for(ssb_stub), client_for(ssb_stub)]
    waits = []
    for client in clients:
        client.on_event = lambda kind, payload: waits.append(payload) if kind == "rate_limit_wait" else None

    def burst(client: SsbClient) -> None:
        for _ in range(5):
            client.table_info("90001")

    threads = [threading.Thread(target=burst, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    counts = ssb_stub.counts()
    assert counts["rate_limited"] == 0
    assert counts["table_info"] == 10 and counts["config"] == 2
    assert waits and sum(c.stats.rate_limit_waits for c in clients) == len(waits)
    times = sorted(r.time for r in ssb_stub.requests)
    assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[5:], strict=False))


# --- helpers -------------------------------------------------------------------------------------------


def _tiny_table(folder: Path, table_id: str, updated: datetime, regions: list[str] | None = None) -> None:
    regions = regions or ["0301", "5001"]
    values = ", ".join(f'"{r}" = "Region {r}"' for r in regions)
    (folder / f"{table_id}.toml").write_text(
        f'id = "{table_id}"\nlabel = "{table_id}: Liten tabell"\nupdated = "{updated.strftime("%Y-%m-%dT%H:%M:%SZ")}"\n'
        f'[[variables]]\ncode = "Region"\nlabel = "region"\nrole = "geo"\nelimination = true\nvalues = {{ {values} }}\n'
        '[[variables]]\ncode = "Tid"\nlabel = "år"\nrole = "time"\nyears = [2020, 2022]\n',
        encoding="utf-8",
    )
