"""``/indikatorer``: every indicator in one table, filtered and sorted by query parameters
without JavaScript, and hostile query strings answered with a sensible page (DESIGN §11)."""

from __future__ import annotations

import re

import pytest

from dashboard import notfound, routing
from indicators.assessment.explain import STATUS_TEXT


def page(client, query: str = "") -> str:
    response = client.get("/indikatorer" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def row_ids(body: str) -> list[str]:
    """The indicators in the table's body, in order (the row headers link to them)."""
    tbody = body.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in body else ""
    return re.findall(r'<th scope="row"><a href="/indikator/([^"?]+)', tbody)


def test_every_indicator_is_a_row_with_status_goal_value_trend_source_and_update(client, data) -> None:
    body = page(client)
    assert sorted(row_ids(body)) == sorted(data.catalog.indicators)
    assert "<caption>" in body and body.count('scope="col"') == 8
    row = body.split('<a href="/indikator/elbil">')[1].split("</tr>")[0]
    assert STATUS_TEXT[data.assessments["elbil"].status]["no"] in row
    assert '<a href="/delmal/1.1">' in row
    assert "41,7" in row and ">2024<" in row  # the latest value and its year
    assert "Økning siden 2020" in row and "Statistisk sentralbyrå" in row and "21. februar 2026" in row
    assert "<script" not in body, "the page needs no JavaScript"


def test_english_page_labels_links_and_form_keep_the_language(client) -> None:
    body = page(client, "lang=en")
    assert '<html lang="en"' in body and "All indicators" in body
    assert '<a href="/indikator/elbil?lang=en">' in body
    assert '<input type="hidden" name="lang" value="en">' in body
    assert 'href="/indikatorer"' in body  # the language switch to bokmål


def test_sorting_by_a_column_and_its_header_says_so(client, data) -> None:
    names = {i: d.name.casefold() for i, d in data.catalog.indicators.items()}
    ascending = row_ids(page(client, "sort=name&order=asc"))
    assert ascending == sorted(names, key=names.get)
    body = page(client, "sort=name&order=desc")
    assert row_ids(body) == list(reversed(ascending))
    header = re.search(r'<th scope="col" aria-sort="descending"><a href="([^"]+)">Indikator', body)
    assert header, "the sorted column carries aria-sort"
    assert "sort=name&amp;order=asc" in header.group(1), "its link sorts the other way"
    assert body.count("aria-sort=") == 1


def test_filters_by_status_goal_source_and_text_combine(client, data) -> None:
    status = data.assessments["elbil"].status
    expected = sorted(i for i, a in data.assessments.items() if a.status == status)
    body = page(client, f"status={status}")
    assert sorted(row_ids(body)) == expected
    assert f'name="status" value="{status}" checked' in body, "the form shows the filter in use"
    in_goal_2 = sorted(
        i
        for i, d in data.catalog.indicators.items()
        if any(data.catalog.goal_of(s).id == "2" for s in d.subgoals)
    )
    assert sorted(row_ids(page(client, "goal=2"))) == in_goal_2
    assert '<option selected value="2">' in page(client, "goal=2")
    not_ssb = row_ids(page(client, "source=ssb"))
    assert "utslipp" not in not_ssb and "elbil" in not_ssb
    assert row_ids(page(client, "q=ELBIL")) == ["elbil"]
    assert row_ids(page(client, "q=electric")) == ["elbil"], "the English name is searched too"
    assert row_ids(page(client, f"q=elbil&status={status}&goal=2")) == []
    assert "Ingen indikatorer passer til filteret." in page(client, "q=finnes-ikke")


def test_repeated_statuses_mean_any_of_them(client, data) -> None:
    wanted = {"deterioration", data.assessments["elbil"].status}
    query = "&".join(f"status={s}" for s in wanted)
    assert sorted(row_ids(page(client, query))) == sorted(
        i for i, a in data.assessments.items() if a.status in wanted
    )


HOSTILE = [
    "status=<script>alert(1)</script>",
    "status=unknown&goal=99&source=nobody&sort=drop-table&order=sideways",
    "goal=1&goal=2",
    "q=" + "x" * 5000,
    "q=%00%01%ff%fe<b>&lang=en&lang=no",
    "sort=name&sort=status&order=desc&order=asc",
    "&".join(f"f{n}=1" for n in range(300)),
    "q=" + "y" * 5000 + "&" + "z" * 3000,
    "status[]=1&%ZZ=%&=&&&",
    "unknown=<img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_strings_give_a_sensible_page_and_are_never_echoed(client, query: str) -> None:
    response = client.get("/indikatorer?" + query)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "onerror=alert" not in body and "<b>" not in body
    assert "drop-table" not in body and "sideways" not in body and "x" * 101 not in body
    assert "Traceback" not in body
    assert row_ids(body) or 'class="index__none"' in body


def test_unknown_values_are_ignored_with_a_note(client, data) -> None:
    body = page(client, "status=bogus&sort=bogus")
    assert "ble ikke brukt" in body
    assert sorted(row_ids(body)) == sorted(data.catalog.indicators), "the whole table, in its default order"
    long = page(client, "q=" + "e" * 500)
    assert 'value="' + "e" * 100 + '"' in long and "ble ikke brukt" in long
    assert "ble ikke brukt" not in page(client, "status=deterioration")


def test_the_path_is_known_to_the_router_and_not_found_checks(app, catalog) -> None:
    with app.server.app_context():
        route = routing.resolve("/indikatorer")
        assert route is not None and route.pattern == "/indikatorer"
        assert notfound.find_missing("/indikatorer", catalog) is None
        assert notfound.find_missing("/indikatorer/tull", catalog) is not None
    assert app.server.test_client().get("/indikatorer/tull").status_code == 404
    assert app.server.test_client().get("/indikatorer/").status_code in (200, 308)


@pytest.mark.parametrize("path", ["/", "/mal/1", "/metode", "/om", "/indikatorer"])
def test_every_page_links_to_the_index_in_its_menu(client, path: str) -> None:
    body = client.get(path).get_data(as_text=True)
    menu = body.split('class="site-nav"')[1].split("</nav>")[0]
    assert '<a href="/indikatorer">Alle indikatorer</a>' in menu


def test_the_plain_page_is_remembered_and_conditional_requests_work(client) -> None:
    first = client.get("/indikatorer")
    again = client.get("/indikatorer", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
