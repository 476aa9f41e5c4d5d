"""``/rapport``: the whole plan as one printable report, written on the server: every goal and
sub-goal in a summary table, every indicator named with its status sentence, one SVG chart per
indicator with data, the demo mark when so, and hostile addresses answered sensibly."""

from __future__ import annotations

import re
from html import escape

import pytest

from dashboard import notfound, routing
from indicators.assessment.explain import STATUS_TEXT, explain


def page(client, query: str = "") -> str:
    response = client.get("/rapport" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def with_data(data) -> list[str]:
    return [i for i in data.catalog.indicators if data.frame(i)["value"].notna().any()]


def test_names_every_indicator_with_its_status_sentence_and_one_chart_each(client, data) -> None:
    body = page(client)
    for indicator_id, definition in data.catalog.indicators.items():
        assert f'<a href="/indikator/{indicator_id}">{definition.name}</a>' in body
        assert STATUS_TEXT[data.assessments[indicator_id].status]["no"] in body
    charts = re.findall(
        r'<article id="report-indicator-([^"]+)" class="report-indicator">(.*?)</article>', body, re.S
    )
    # Each chart is drawn twice, at the A4 width and a phone's, and the style sheet shows one.
    drawn = {i for i, block in charts if block.count("<svg") == 2}
    assert drawn == set(with_data(data)), "one SVG chart per indicator with data"
    assert body.count("<svg") == 2 * len(drawn), "an indicator under two sub-goals is drawn once"
    assert (
        body.count("report-chart__variant--wide") == body.count("report-chart__variant--narrow") == len(drawn)
    )
    for indicator_id in drawn:
        sentence = explain(data.assessments[indicator_id], data.catalog.indicators[indicator_id], "no")
        block = dict(charts)[indicator_id]
        assert escape(sentence, quote=False) in block and 'role="img"' in block
    assert "<script" not in body, "the report needs no JavaScript"


def test_summary_table_gives_every_goal_and_subgoal_status_score_and_coverage(client, data) -> None:
    body = page(client)
    table = body.split('class="data-table report-summary"')[1].split("</table>")[0]
    assert "Poeng (−5 til 5)" in table
    ids = [g.id for g in data.catalog.goals] + [s.id for s in data.catalog.subgoals()]
    for item_id in ids:
        anchor = ("report-goal-" if "." not in item_id else "report-subgoal-") + item_id.replace(".", "-")
        assert f'href="#{anchor}"' in table and f'id="{anchor}"' in body
    assert table.count("<tr") == len(ids) + 1
    assert "indikator" in table and "vurdert" in table
    assert body.count('class="report-goal"') == len(data.catalog.goals)
    assert "Statusrapport" in body and "Data hentet" in body


def test_english_report_and_language_switch(client) -> None:
    body = page(client, "lang=en")
    assert '<html lang="en"' in body and "Status report" in body and "Score (−5 to 5)" in body
    assert '<a href="/indikator/elbil?lang=en">' in body
    assert 'href="/rapport"' in body  # the switch back to bokmål


def test_demo_data_is_marked_in_the_banner_each_goal_and_each_chart(app_factory) -> None:
    body = app_factory(demo=True).server.test_client().get("/rapport").get_data(as_text=True)
    assert "banner--demo" in body
    stamps = re.findall(r'<p class="report-stamp">([^<]*)</p>', body)
    assert stamps and all("DEMODATA" in s and "Data hentet" in s for s in stamps)
    assert body.count(">DEMODATA</text>") == body.count("<svg")


@pytest.mark.parametrize("path", ["/rapport/x", "/rapport/../om", "/rapport.pdf", "/rapport/%3Cscript%3E"])
def test_unknown_paths_under_the_report_are_404(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "<script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ["lang=xx", "lang=en&lang=no", "x=<script>alert(1)</script>", "lang=" + "zq" * 3000]
)
def test_hostile_query_strings_give_the_report_and_are_never_echoed(client, query: str) -> None:
    response = client.get("/rapport?" + query)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "alert(1)" not in body and "zqzq" not in body and "Traceback" not in body


def test_the_path_is_known_to_the_router_and_not_found_checks(app, catalog) -> None:
    with app.server.app_context():
        route = routing.resolve("/rapport")
        assert route is not None and route.pattern == "/rapport"
        assert notfound.find_missing("/rapport", catalog) is None
        assert notfound.find_missing("/rapport/x", catalog) is not None


@pytest.mark.parametrize("path", ["/", "/indikatorer", "/rapport"])
def test_the_menu_links_to_the_report(client, path: str) -> None:
    menu = client.get(path).get_data(as_text=True).split('class="site-nav"')[1].split("</nav>")[0]
    assert '<a href="/rapport">Rapport</a>' in menu


def test_remembered_and_conditional_requests_work(client) -> None:
    first = client.get("/rapport")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/rapport", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
