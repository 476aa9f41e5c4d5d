"""Page builders, without a browser: what a reader finds on each page."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from markupsafe import Markup

from dashboard import components, ids
from dashboard.data import build_data
from dashboard.pages import about, goal, indicator, method, overview, subgoal
from indicators import sources
from indicators.assessment.explain import STATUS_TEXT, explain
from tests.dashboard.conftest import make_snapshot
from tests.dashboard.helpers import find_all, hrefs, prop, text, walk


def _main(page):
    return find_all(page, "Main")[0]


def test_overview_answers_where_each_goal_stands(data) -> None:
    page = overview.build(data, "no")
    body = text(page)
    assert "Testløftet" in body and "2020–2032" in body
    for goal_ in data.catalog.goals:
        summary = data.rollups[goal_.id]
        section = find_all(page, "Section", lambda s, g=goal_: prop(s, "aria-labelledby") == f"goal-{g.id}")[
            0
        ]
        assert STATUS_TEXT[summary.status]["no"] in text(section)
        assert f"{summary.assessed} av {summary.indicators} indikatorer vurdert" in text(section)
    assert "Poeng 2,2 av 5" in body  # goal 1: mean of its sub-goals' scores, Norwegian decimals
    assert "Data hentet 5. mars 2026" in body


def test_overview_lists_each_sub_goal_with_status_and_sparkline(data) -> None:
    page = overview.build(data, "no")
    rows = find_all(page, "Li", lambda li: prop(li, "className") == "subgoal-row")
    assert len(rows) == 4
    first = rows[0]
    assert "1.1" in text(first) and STATUS_TEXT[data.rollups["1.1"].status]["no"] in text(first)
    sparkline = find_all(first, "Img")[0]
    assert sparkline.src.startswith("data:image/svg+xml") and "opp er bedre" in sparkline.alt
    working = rows[3]
    assert "arbeidstittel" in text(working)
    assert "Ingen tidsserie ennå." in text(working)


def test_overview_in_english_keeps_english_links(data) -> None:
    page = overview.build(data, "en")
    assert "A greener society" in text(page)
    internal = [h for h in hrefs(page) if h.startswith("/") and not h.startswith("/?") and h != "/"]
    assert internal and all(h.endswith("lang=en") for h in internal)
    switch = find_all(page, "A", lambda a: prop(a, "id") == ids.LANG_SWITCH)[0]
    assert switch.href == "/" and switch.lang == "nb"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"demo": True}, "Demodata"),
        ({"stale": True}, "Dataene kan være utdaterte"),
        ({"failed": True}, "Siste oppdatering fra SSB feilet for 1 indikator;"),
    ],
)
def test_banner_on_every_page_when_data_is_demo_stale_or_failed(catalog, options, expected) -> None:
    data = build_data(make_snapshot(catalog, **options))
    for page in (
        overview.build(data, "no"),
        goal.build(data, "1", "no"),
        subgoal.build(data, "1.1", "no"),
        indicator.build(data, "elbil", "no"),
        about.build(data, "no"),
    ):
        assert expected in text(_main(page))


def test_demo_data_gets_the_demo_banner_only_even_when_old(catalog) -> None:
    page = overview.build(build_data(make_snapshot(catalog, demo=True, stale=True)), "en")
    banners = find_all(page, "P", lambda p: "banner" in (prop(p, "className") or ""))
    assert [text(b)[:9] for b in banners] == ["Demo data"]


def test_the_public_demo_banner_tells_readers_no_command(catalog) -> None:
    # Readers cannot run anything; operators learn the command from the CLI and /healthz.
    data = build_data(make_snapshot(catalog, demo=True))
    for lang in ("no", "en"):
        banners = find_all(
            overview.build(data, lang), "P", lambda p: "banner" in (prop(p, "className") or "")
        )
        words = " ".join(text(b) for b in banners)
        assert ("syntetiske" if lang == "no" else "synthetic") in words
        assert "python" not in words and "refresh" not in words


def test_no_banner_for_fresh_real_data(data) -> None:
    assert not find_all(overview.build(data, "no"), "P", lambda p: "banner" in (prop(p, "className") or ""))


def test_every_page_has_skip_link_landmarks_and_one_h1(data) -> None:
    pages = [
        overview.build(data, "no"),
        goal.build(data, "2", "en"),
        subgoal.build(data, "2.2", "no"),
        indicator.build(data, "utslipp", "en"),
        method.build(data, "no"),
        about.build(data, "en"),
    ]
    for page in pages:
        assert find_all(page, "A")[0].href == f"#{ids.MAIN}"
        assert len(find_all(page, "Header")) == 1 and len(find_all(page, "Footer")) == 1
        assert _main(page).id == ids.MAIN
        assert len(find_all(page, "H1")) == 1


def test_goal_page_shows_each_indicator_with_chart_value_status_and_sentence(data) -> None:
    page = goal.build(data, "1", "no")
    cards = find_all(page, "Article")
    # goal 1: elbil and utslipp under 1.1, befolkning under 1.2
    assert len(cards) == 3
    elbil = cards[0]
    assert "Siste verdi: 41,7\u00a0% (2024)" in text(elbil)
    assert STATUS_TEXT[data.assessments["elbil"].status]["no"] in text(elbil)
    assert explain(data.assessments["elbil"], data.catalog.indicators["elbil"], "no") in text(elbil)
    picture = find_all(elbil, "Img")[0]
    assert picture.src.startswith("data:image/svg+xml") and picture.alt == explain(
        data.assessments["elbil"], data.catalog.indicators["elbil"], "no"
    )
    table, targets = find_all(elbil, "Table")  # the series, then the target
    assert prop(targets, "className") == "data-table data-table--targets"
    # the table holds what the small chart draws: the home region's values
    assert [text(th) for th in find_all(table, "Th", lambda th: prop(th, "scope") == "col")] == [
        "År",
        "Trondheim",
    ]
    # small charts are pictures: no live Plotly graph to load on a goal page
    assert not find_all(page, "Graph")


def test_indicator_without_data_has_no_picture_but_says_no_data(data) -> None:
    card = find_all(subgoal.build(data, "2.1", "en"), "Article", lambda a: "Voter turnout" in text(a))[0]
    assert not find_all(card, "Img") and "No data" in text(card)


def test_sub_goal_page_marks_working_titles_and_says_when_it_has_no_indicators(data) -> None:
    page = subgoal.build(data, "2.2", "en")
    body = text(page)
    assert "working title" in body and "The plan's own wording of this sub-goal is not available" in body
    assert "No indicators are defined for this sub-goal yet." in body
    assert "/mal/2?lang=en" in hrefs(page)


def drawing(node) -> str:
    """The server's SVG drawings in a tree (markup, not text)."""
    return "".join(str(n) for n in walk(node) if isinstance(n, Markup))


def test_indicator_page_has_chart_table_status_method_source_downloads_embed(data) -> None:
    page = indicator.build(data, "elbil", "no", origin="https://indikatorer.example")
    body = text(page)
    a = data.assessments["elbil"]
    assert STATUS_TEXT[a.status]["no"] in body
    (chart,) = find_all(page, "Div", lambda d: prop(d, "id") == ids.INDICATOR_CHART)
    assert prop(chart, "role") == "img" and "<svg" in drawing(chart)  # the server's drawing
    table = find_all(page, "Table")[0]
    assert "Trondheim" in text(table) and "41,7\u00a0%" in text(table) and "mangler (..)" in text(table)
    for figure in ("20,1\u00a0% i 2020", "41,7\u00a0% i 2024", "60,0\u00a0% i 2032", "Testplanens klimamål"):
        assert figure in body
    assert "https://www.ssb.no/statbank/table/07849" in hrefs(page)
    assert "oppdatert av SSB 21. februar 2026" in body
    assert "/data/elbil.csv" in hrefs(page) and "/data/elbil.json" in hrefs(page)
    code = find_all(page, "Textarea", lambda x: prop(x, "id") == ids.EMBED_CODE)[0].value
    assert code.startswith('<iframe src="https://indikatorer.example/embed/indikator/elbil" title="Elbiler')
    assert 'width="100%"' in code and 'height="' in code
    assert "/embed/indikator/elbil" in hrefs(page)


def test_indicator_definition_is_markdown_without_raw_html(data) -> None:
    page = indicator.build(data, "elbil", "no")
    definition = find_all(page, "Div", lambda d: prop(d, "className") == "definition")[0]
    assert '<script>alert("x")</script>' in text(definition)
    assert find_all(definition, "Strong") and find_all(definition, "H3")


def test_indicator_without_data_says_so_and_why(data) -> None:
    page = indicator.build(data, "deltakelse", "en")
    body = text(page)
    assert STATUS_TEXT["not_available"]["en"] in body
    assert "no values for Trondheim" in body
    assert "not computed" in body


def test_csv_only_indicator_credits_its_publisher_and_has_no_peers(data) -> None:
    page = indicator.build(data, "utslipp", "no")
    source = find_all(page, "Section", lambda s: "source" in str(prop(s, "aria-labelledby")))[0]
    shown = " ".join(text(source).replace(" ,", ",").split())
    assert "Miljødirektoratet: utslipp.csv, lisens NLOD 2.0" in shown
    assert "SSB" not in text(source) and "data/utslipp.csv" not in text(source)
    links = [prop(a, "href") for a in find_all(source, "A")]
    assert "https://www.miljodirektoratet.no/tjenester/klimagassutslipp-kommuner/" in links
    assert not any(
        "til sammenligning" in tr["name"] for g in find_all(page, "Graph") for tr in g.figure["data"]
    )


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda d: goal.build(d, "9", "no"), "Det finnes ikke noe mål med dette nummeret."),
        (lambda d: subgoal.build(d, "1.9", "no"), "Det finnes ikke noe delmål med dette nummeret."),
        (lambda d: indicator.build(d, "finnes-ikke", "en"), "There is no indicator with this id."),
    ],
)
def test_unknown_ids_build_a_helpful_not_found_page(data, build, expected) -> None:
    page = build(data)
    assert expected in text(page)
    assert "/mal/1" in " ".join(hrefs(page))


def test_method_page_renders_the_method_text_in_the_page_language(data, tmp_path: Path) -> None:
    (tmp_path / "method.nb.md").write_text(
        "# Slik vurderer vi\n\nVi bruker **SSBs** tall.\n", encoding="utf-8"
    )
    page = method.build(data, "no", docs=tmp_path)
    assert text(find_all(page, "H1")[0]) == "Slik vurderer vi"
    assert find_all(page, "Strong")
    missing = method.build(data, "en", docs=tmp_path)
    assert "docs/method.en.md" in text(missing)


def test_about_page_has_licence_contact_and_accessibility_statement(data) -> None:
    page = about.build(data, "no")
    body = text(page)
    for expected in ("CC BY 4.0", "Tilgjengelighetserklæring", "WCAG 2.1 nivå AA"):
        assert expected in body
    # The contact and the feedback route come from goals.toml's [plan], as mail links.
    assert (
        "Skriv til Testkommunen, post@test.example.org, og merk e-posten «Indikatorer for Testløftet»"
        in " ".join(body.replace(" ,", ",").split())
    )
    assert hrefs(page).count("mailto:post@test.example.org") == 2


DIGDIR_HEADINGS = {
    "no": [
        "I hvilken grad er nettstedet i samsvar med kravene til universell utforming?",
        "Innhold som ikke er universelt utformet",
        "Slik har vi testet",
        "Meld fra om brudd på kravene",
        "Klage og tilsyn",
    ],
    "en": [
        "To what extent does the site meet the requirements for universal design?",
        "Content that is not universally designed",
        "How we tested",
        "Report a breach of the requirements",
        "Complaints and supervision",
    ],
    "nn": [
        "I kva grad er nettstaden i samsvar med krava til universell utforming?",
        "Innhald som ikkje er universelt utforma",
        "Slik har vi testa",
        "Meld frå om brot på krava",
        "Klage og tilsyn",
    ],
}


@pytest.mark.parametrize("lang", ["no", "en", "nn"])
def test_accessibility_statement_follows_digdirs_structure_and_is_dated(data, lang: str) -> None:
    page = about.build(data, lang)
    statement = find_all(page, "Section", lambda s: prop(s, "aria-labelledby") == "accessibility")[0]
    assert [text(h) for h in find_all(statement, "H3")] == DIGDIR_HEADINGS[lang]
    body = " ".join(text(statement).split())
    updated = {
        "no": "oppdatert 3. desember 2026",
        "en": "updated on 3 December 2026",
        "nn": "oppdatert 3. desember 2026",
    }
    tested = {
        "no": "Sist testet 3. desember 2026",
        "en": "Last tested on 3 December 2026",
        "nn": "Sist testa 3. desember 2026",
    }
    assert updated[lang] in body and tested[lang] in body
    assert "WCAG 2.1" in body and "axe-core" in body
    links = hrefs(statement)
    assert "https://www.uutilsynet.no/" in links  # the supervisory authority
    assert "https://www.diskrimineringsnemnda.no/" in links  # where complaints go
    assert "mailto:post@test.example.org" in links  # feedback: goals.toml's contact


def test_about_page_lists_every_source_table_with_its_title_and_link(data) -> None:
    tables = sorted({tb for d in data.catalog.indicators.values() for tb in sources.tables(d)})
    titled = dataclasses.replace(
        data.snapshot, table_labels={tables[0]: f"{tables[0]}: Befolkning, etter region"}
    )
    page = about.build(build_data(titled), "no")
    items = [item for item in find_all(page, "Li") if "statbank/table/" in " ".join(hrefs(item))]
    assert [text(item) for item in items] == [f"{tables[0]}: Befolkning, etter region"] + [
        f"Tabell {table}"
        for table in tables[1:]  # no title known yet: the id, never an empty link
    ]
    assert [hrefs(item) for item in items] == [
        [f"https://www.ssb.no/statbank/table/{table}"] for table in tables
    ]


def test_about_page_without_a_contact_in_goals_toml_says_whom_to_ask(data) -> None:
    import dataclasses

    plan = data.catalog.plan.model_copy(update={"contact": None})
    catalog = dataclasses.replace(data.catalog, plan=plan)
    snapshot = dataclasses.replace(data.snapshot, catalog=catalog)
    body = text(about.build(build_data(snapshot), "en"))
    assert "Contact the municipality that runs the site." in body
    assert "mailto:" not in body and "{contact}" not in body


def test_local_date_is_the_oslo_calendar_day() -> None:
    from datetime import UTC, datetime

    assert components.local_date(datetime(2026, 3, 4, 23, 30, tzinfo=UTC), "no") == "5. mars 2026"


def test_every_chart_of_the_demo_snapshot_says_demodata(catalog) -> None:
    demo, real = build_data(make_snapshot(catalog, demo=True)), build_data(make_snapshot(catalog))

    def marks(page) -> tuple[list[str], int]:
        (chart,) = find_all(page, "Div", lambda d: prop(d, "id") == ids.INDICATOR_CHART)
        annotations = ["DEMODATA"] if ">DEMODATA</text>" in drawing(chart) else []
        tags = find_all(page, "Span", lambda s: prop(s, "className") == "demo-tag")
        return annotations, len(tags)

    assert marks(indicator.build(demo, "elbil", "no", origin="")) == (["DEMODATA"], 0)
    assert marks(indicator.build(real, "elbil", "en", origin="")) == ([], 0)
    for build, pictures in (
        (lambda d: goal.build(d, "1", "en"), "Img"),
        (lambda d: overview.build(d, "en"), "Img"),
    ):
        shown = len(find_all(build(demo), pictures))
        tags = find_all(build(demo), "Span", lambda s: prop(s, "className") == "demo-tag")
        assert shown and len(tags) == shown and text(tags[0]) == "DEMO DATA"
        assert not find_all(build(real), "Span", lambda s: prop(s, "className") == "demo-tag")


def test_indicator_page_gives_the_target_with_its_source_and_the_milestones(data) -> None:
    page = indicator.build(data, "utslipp", "no")
    (target,) = find_all(page, "P", lambda p: prop(p, "className") == "indicator__target")
    assert re.sub(" +", " ", text(target)) == (
        "Mål: 290\u00a0000\u00a0tonn CO2-ekvivalenter i 2030 (−50\u00a0% fra 2020). "
        "Kilde for målet: Testplanens klimamål (2024)."
    )
    (section,) = find_all(page, "Section", lambda s: prop(s, "aria-labelledby") == "milestones")
    assert text(find_all(section, "H2")[0]) == "Etappemål"
    lines = [text(li) for li in find_all(section, "Li")]
    assert lines == [
        "2021: 562\u00a0600\u00a0tonn CO2-ekvivalenter (−3\u00a0%) – nådd",
        "2022: 522\u00a0000\u00a0tonn CO2-ekvivalenter (−10\u00a0%) – ikke nådd",
        "2025: 435\u00a0000\u00a0tonn CO2-ekvivalenter (−25\u00a0%) – ikke kjent ennå; med dagens utvikling "
        "blir det 485\u00a0112\u00a0tonn CO2-ekvivalenter (nås ikke)",
    ]
    english = indicator.build(data, "utslipp", "en")
    (target_en,) = find_all(english, "P", lambda p: prop(p, "className") == "indicator__target")
    assert text(target_en).startswith("Target: 290,000\u00a0tonnes CO2 equivalent by 2030 (−50% on 2020).")
    (section_en,) = find_all(english, "Section", lambda s: prop(s, "aria-labelledby") == "milestones")
    assert text(find_all(section_en, "H2")[0]) == "Milestones"
    assert [text(li) for li in find_all(section_en, "Li")][1] == (
        "2022: 522,000\u00a0tonnes CO2 equivalent (−10%) – missed"
    )
    # a value target without milestones: the target, no list; no target: neither
    elbil = indicator.build(data, "elbil", "no")
    assert text(find_all(elbil, "P", lambda p: prop(p, "className") == "indicator__target")[0]).startswith(
        "Mål: 60\u00a0% i 2032."
    )
    assert not find_all(elbil, "Section", lambda s: prop(s, "aria-labelledby") == "milestones")
    befolkning = indicator.build(data, "befolkning", "no")
    assert not find_all(befolkning, "P", lambda p: prop(p, "className") == "indicator__target")


def test_the_chart_tables_list_the_target_and_milestones(data) -> None:
    page = indicator.build(data, "utslipp", "en")
    (chart,) = find_all(page, "Figure")
    _series, targets = find_all(chart, "Table")
    assert text(find_all(targets, "Caption")[0]) == "Greenhouse-gas emissions: target and milestones"
    assert [text(th) for th in find_all(targets, "Th", lambda th: prop(th, "scope") == "col")] == [
        "Year",
        "Target",
        "Change on 2020",
        "Status",
    ]
    rows = [[text(cell) for cell in row.children] for row in find_all(targets, "Tr")[1:]]
    assert rows[0] == ["2021", "562,600\u00a0tonnes CO2 equivalent", "−3%", "met"]
    assert rows[1][-1] == "missed"
    assert rows[2][-1].startswith("not known yet (at the current pace: 485,112")
    assert rows[3][0] == "2030 (final target)" and rows[3][1] == "290,000\u00a0tonnes CO2 equivalent"
    assert all(prop(th, "scope") == "row" for th in find_all(targets, "Th") if text(th)[:1].isdigit())
    assert not find_all(find_all(indicator.build(data, "befolkning", "en"), "Figure")[0], "Table")[1:]
