"""A plan publishes the languages goals.toml names (``[plan] languages``, ``default_language``):
the site answers a page without ``?lang=`` in the default, the switch offers only the plan's other
languages, links name the language whenever it is not the default, and a language the plan does
not publish (or any odd value) gives the default, never an error."""

from __future__ import annotations

import dataclasses

import pytest

from dashboard.app import create_app
from indicators.plan.catalog import load_catalog
from tests.dashboard.conftest import fixed_source, make_snapshot, settings


@pytest.fixture(scope="module")
def nynorsk_first():
    """The fixture plan, published in nynorsk (the default) and bokmål only."""
    s = settings()
    catalog = load_catalog(s.definitions, s.goals)
    plan = catalog.plan.model_copy(update={"languages": ["nn", "no"], "default_language": "nn"})
    snap = make_snapshot(dataclasses.replace(catalog, plan=plan))
    return create_app(s, source=fixed_source(snap)).server.test_client()


PAGES = ["/", "/mal/1", "/delmal/1.1", "/indikator/elbil", "/metode", "/om", "/indikatorer", "/rapport"]


@pytest.mark.parametrize("path", [*PAGES, "/embed/indikator/elbil"])
def test_a_page_without_lang_is_in_the_plans_default_language(nynorsk_first, path: str) -> None:
    response = nynorsk_first.get(path)
    assert response.status_code == 200
    assert '<html lang="nn">' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_the_switch_offers_only_the_plans_other_languages(nynorsk_first, path: str) -> None:
    body = nynorsk_first.get(path).get_data(as_text=True)
    switch = body.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    assert ">Norsk (bokmål)<" in switch and "lang=no" in switch
    assert ">English<" not in switch and ">Nynorsk<" not in switch


def test_links_on_a_bokmal_page_keep_bokmal_and_the_default_needs_no_lang(nynorsk_first) -> None:
    bokmal = nynorsk_first.get("/?lang=no").get_data(as_text=True)
    assert '<html lang="nb">' in bokmal
    assert 'href="/indikatorer?lang=no"' in bokmal and 'href="/metode?lang=no"' in bokmal
    nynorsk = nynorsk_first.get("/").get_data(as_text=True)
    assert 'href="/indikatorer"' in nynorsk and 'href="/metode"' in nynorsk


@pytest.mark.parametrize("value", ["en", "eng", "english", "se", "", "nn-NO", "<script>", "no%00"])
def test_a_language_the_plan_does_not_publish_gives_the_default(nynorsk_first, value: str) -> None:
    for path in ("/", "/indikatorer", "/embed/indikator/elbil", "/indikator/finst-ikkje"):
        response = nynorsk_first.get(f"{path}?lang={value}")
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 404), (path, value)
        assert '<html lang="nn">' in body, (path, value)
        assert "Traceback" not in body


def test_downloads_follow_the_plans_default(nynorsk_first) -> None:
    every = nynorsk_first.get("/data/all.csv").get_data(as_text=True).lstrip("\ufeff")
    assert every.splitlines()[0].split(";")[:2] == ["indikator", "indikatornamn"]
    package = nynorsk_first.get("/data/datapackage.json").get_json()
    assert package["title"].endswith("indikatorar")
    assert nynorsk_first.get("/api/status.json").get_json()["languages"] == ["nn", "no"]


def test_the_default_plan_publishes_all_three(client) -> None:
    body = client.get("/mal/1").get_data(as_text=True)
    switch = body.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    assert ">English<" in switch and ">Nynorsk<" in switch
