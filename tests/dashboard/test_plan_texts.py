"""Pages follow the plan in goals.toml: its years, region, level and (optional) English titles."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dashboard.data import DashboardData, build_data
from dashboard.pages import about, goal, method, overview
from tests.dashboard.helpers import find_all, text


def _with_plan(data: DashboardData, goals_file: Path | None = None, **changes: object) -> DashboardData:
    """``data`` with the plan's [plan] keys changed (and goals.toml said to be ``goals_file``)."""
    plan = data.catalog.plan.model_copy(update=changes)
    catalog = dataclasses.replace(data.catalog, plan=plan, goals_file=goals_file or data.catalog.goals_file)
    return build_data(dataclasses.replace(data.snapshot, catalog=catalog))


def _without_english_titles(data: DashboardData) -> DashboardData:
    goals = [
        g.model_copy(
            update={
                "title_en": None,
                "subgoals": [s.model_copy(update={"title_en": None}) for s in g.subgoals],
            }
        )
        for g in data.catalog.goals
    ]
    catalog = dataclasses.replace(data.catalog, goals=goals)
    return build_data(dataclasses.replace(data.snapshot, catalog=catalog))


def test_the_method_page_states_the_plans_region_and_years(data) -> None:
    other = _with_plan(data, region_name="Bergen", start_year=2021, target_year=2030, name="Bergensløftet")
    for lang, phrases in {
        "no": ["er Bergen på vei mot målet for 2030?", "startåret 2021", "Dashbordet for Bergensløftet"],
        "en": ["is Bergen on its way to the 2030 target?", "base year 2021"],
    }.items():
        body = " ".join(text(method.build(other, lang)).split())
        for phrase in phrases:
            assert phrase in body
        assert "Trondheim" not in body and "2032" not in body and "{" not in body


def test_a_plan_brings_its_own_method_text_with_the_same_placeholders(data, tmp_path: Path) -> None:
    (tmp_path / "metode").mkdir()
    (tmp_path / "metode" / "method.nb.md").write_text(
        "# Vår metode\n\nMålet for {target_year} i {region_noun}. Mengde {x} står.\n", encoding="utf-8"
    )
    own = _with_plan(data, tmp_path / "goals.toml", method_dir="metode", target_year=2030)
    page = method.build(own, "no")
    assert text(find_all(page, "H1")[0]) == "Vår metode"
    assert "Målet for 2030 i kommunen. Mengde {x} står." in text(page)
    # No English text in the plan's folder: the bokmål one, marked lang="nb".
    english = method.build(own, "en")
    marked = [d for d in find_all(english, "Div") if getattr(d, "lang", None) == "nb"]
    assert marked and "Målet for 2030" in text(marked[0])


def test_english_pages_show_an_untranslated_title_marked_as_norwegian(data) -> None:
    bare = _without_english_titles(data)
    first = bare.catalog.goals[0]
    for page in (overview.build(bare, "en"), goal.build(bare, first.id, "en")):
        spans = [s for s in find_all(page, "Span") if getattr(s, "lang", None) == "nb"]
        assert first.title in [text(s) for s in spans]
        assert first.subgoals[0].title in [text(s) for s in spans]
    # Norwegian pages need no mark: the whole page is Norwegian.
    assert not [s for s in find_all(overview.build(bare, "no"), "Span") if getattr(s, "lang", None)]


def test_a_county_plan_speaks_of_the_county(data) -> None:
    county = _with_plan(data, region="F-50", region_codelist="agg_KommFylker", contact=None)
    assert "Kontakt fylkeskommunen som driver nettstedet." in text(about.build(county, "no"))
    assert "Contact the county authority that runs the site." in text(about.build(county, "en"))
    municipality = _with_plan(data, contact=None)
    assert "Kontakt kommunen som driver nettstedet." in text(about.build(municipality, "no"))
