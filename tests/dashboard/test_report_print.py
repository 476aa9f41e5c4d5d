"""``/rapport``'s running head: the style sheet that prints the plan, the data date, the
demo/test mark and the page number in the margin of every printed page."""

from __future__ import annotations

import re

import pytest

from dashboard import report


def css(client, query: str = "") -> str:
    response = client.get("/rapport/utskrift.css" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/css"
    return response.get_data(as_text=True)


def unescape(text: str) -> str:
    return re.sub(r"\\([0-9a-f]{6})", lambda m: chr(int(m[1], 16)), text)


def test_the_report_links_its_running_head_for_print_in_its_language(client) -> None:
    body = client.get("/rapport?lang=en").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/rapport/utskrift.css?lang=en" media="print">' in body
    assert 'href="/rapport/utskrift.css" media="print"' in client.get("/rapport").get_data(as_text=True)


def test_every_printed_page_carries_plan_data_date_and_page_number(client) -> None:
    sheet = unescape(css(client))
    assert '@top-left { content: "Testløftet · Data hentet 5. mars 2026"' in sheet
    assert '@top-right { content: "Side " counter(page) " av " counter(pages) ""' in sheet
    assert "@top-center" not in sheet  # real data: no mark
    english = unescape(css(client, "lang=en"))
    assert '"Page " counter(page) " of " counter(pages)' in english


@pytest.mark.parametrize(("test_data", "mark"), [(False, "DEMODATA"), (True, "TESTDATA")])
def test_demo_and_test_data_are_marked_on_every_printed_page(catalog, test_data: bool, mark: str) -> None:
    import dataclasses

    from dashboard.app import create_app
    from tests.dashboard.conftest import fixed_source, make_snapshot, settings

    snapshot = make_snapshot(catalog, demo=not test_data)
    if test_data:
        snapshot = dataclasses.replace(
            snapshot, test_data=True, api_url="http://127.0.0.1:8765/api/pxwebapi/v2"
        )
    client = create_app(settings(), source=fixed_source(snapshot)).server.test_client()
    assert f'@top-center {{ content: "{mark}"' in unescape(css(client))


@pytest.mark.parametrize(
    "query",
    ["lang=%3C%2Fstyle%3E", "lang=en&lang=no", "lang=" + "x" * 3000, "x=%00", "lang=%22%7D%20*%7Bcolor:red"],
)
def test_odd_queries_get_the_bokmal_sheet_and_never_echo_the_query(client, query: str) -> None:
    response = client.get("/rapport/utskrift.css?" + query)
    assert response.status_code in (200, 400)
    body = response.get_data(as_text=True)
    assert "style>" not in body and "color:red" not in body and "xxxx" not in body
    assert "Traceback" not in body


def test_a_plan_name_cannot_break_out_of_the_css_string() -> None:
    hostile = 'Plan"; } body { display: none } /* \\ \n </style>'
    written = report.css_string(hostile)
    assert written.startswith('"') and written.endswith('"')
    inner = written[1:-1]
    assert not set(inner) & set('"\\\n;{}/<>*') - {"\\"}  # only escapes remain
    assert all(part[:6].isalnum() for part in inner.split("\\")[1:])  # each a six-digit hex escape
    assert unescape(written[1:-1]) == hostile


def test_the_sheet_is_cached_like_a_page(client) -> None:
    first = client.get("/rapport/utskrift.css")
    assert first.headers["Cache-Control"] == "public, max-age=300" and first.headers.get("ETag")
    again = client.get("/rapport/utskrift.css", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
