"""The client ends, over real HTTP against hostile modes of the stub (DESIGN §11 "A refresh ends").

/config values are checked, answers have a size and a decompression limit, a read timeout in the
middle of a body is not retried, redirects to another host are refused, and no wait passes the
client's deadline.
"""

from __future__ import annotations

import math
import time

import pytest

from indicators.errors import BadResponse, SsbUnavailable
from indicators.ssb.client import DeadlineExceeded, SsbClient
from indicators.ssb.ratelimit import limiter_for


def client_for(stub, **options) -> SsbClient:
    return SsbClient(stub.url, **{"backoff": 0.01, "max_retries": 4, **options})


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"maxCallsPerTimeWindow": 0}, "maxCallsPerTimeWindow"),
        ({"maxCallsPerTimeWindow": True}, "maxCallsPerTimeWindow"),
        ({"maxCallsPerTimeWindow": 2.5}, "maxCallsPerTimeWindow"),
        ({"maxDataCells": "many"}, "maxDataCells"),
        ({"timeWindow": math.nan}, "timeWindow"),
        ({"timeWindow": -60}, "timeWindow"),
        ({"timeWindow": 0}, "timeWindow"),
        ({"timeWindow": 10**9}, "timeWindow"),  # would be a wait of 30 years
        ({"timeWindow": None}, "timeWindow"),
    ],
)
def test_config_values_that_cannot_be_trusted_are_a_clear_error(ssb_stub, fields, named) -> None:
    ssb_stub.set_config(**fields)
    client = client_for(ssb_stub)

    with pytest.raises(BadResponse, match=named) as caught:
        client.config()

    assert "\n" not in str(caught.value)
    assert limiter_for(ssb_stub.url).max_calls is None, "the limiter keeps no value it was not given"
    assert ssb_stub.counts()["config"] == 1, "a bad /config is not asked again and again"


def test_a_stub_on_a_port_an_earlier_stub_used_starts_with_no_limits(ssb_stub_factory) -> None:
    """The limiter registry outlives a stub; the OS reuses freed ports (CI failed on exactly this)."""
    first = ssb_stub_factory()
    client_for(first).config()
    assert limiter_for(first.url).max_calls == 1000
    port = int(first.url.split(":")[2].split("/")[0])
    first.stop()

    second = ssb_stub_factory(port=port)
    assert second.url == first.url
    assert limiter_for(second.url).max_calls is None


def test_a_read_timeout_in_the_middle_of_the_body_is_not_retried(ssb_stub) -> None:
    ssb_stub.add_fault("90001", "stall", endpoint="table_info", delay=3.0)
    client = client_for(ssb_stub, timeout=(2.0, 0.5))

    began = time.monotonic()
    with pytest.raises(SsbUnavailable, match=r"stopped sending|did not answer"):
        client.table_info("90001")

    assert ssb_stub.counts()["table_info"] == 1
    assert client.stats.retries == 0
    assert time.monotonic() - began < 2.5


def test_a_gzip_bomb_is_refused_after_the_decompression_limit(ssb_stub) -> None:
    ssb_stub.add_fault("90001", "gzip_bomb", endpoint="table_info")
    client = client_for(ssb_stub, max_response_bytes=8 * 1024 * 1024)

    with pytest.raises(BadResponse, match="after decompression"):
        client.table_info("90001")
    assert client.stats.retries == 0


def test_the_default_limit_refuses_a_gzip_bomb_too(ssb_stub) -> None:
    ssb_stub.add_fault("90001", "gzip_bomb", endpoint="table_info")
    with pytest.raises(BadResponse, match="larger than the 67108864 bytes"):
        client_for(ssb_stub).table_info("90001")


def test_an_answer_over_the_size_limit_is_refused(ssb_stub) -> None:
    client = client_for(ssb_stub, max_response_bytes=300)

    with pytest.raises(BadResponse, match="more than the 300 bytes"):
        client.metadata("90001")


def test_a_redirect_to_another_host_is_refused_and_not_followed(ssb_stub) -> None:
    ssb_stub.add_fault("90001", "redirect", endpoint="table_info")
    client = client_for(ssb_stub)

    with pytest.raises(BadResponse, match="another host"):
        client.table_info("90001")
    assert ssb_stub.counts()["table_info"] == 1 and client.stats.retries == 0


def test_a_rate_limit_wait_past_the_deadline_is_not_waited(ssb_stub) -> None:
    ssb_stub.set_rate_limit(2, 30)  # /config and one more call, then a 30 s wait
    client = client_for(ssb_stub, deadline=time.monotonic() + 2)
    client.table_info("90001")

    began = time.monotonic()
    with pytest.raises(DeadlineExceeded, match="deadline"):
        client.table_info("90002")
    assert time.monotonic() - began < 1


def test_a_retry_wait_past_the_deadline_is_not_waited(ssb_stub) -> None:
    ssb_stub.add_fault("90001", "503", endpoint="table_info", retry_after=20)
    client = client_for(ssb_stub, deadline=time.monotonic() + 3)

    began = time.monotonic()
    with pytest.raises(DeadlineExceeded, match="deadline"):
        client.table_info("90001")
    assert time.monotonic() - began < 1
