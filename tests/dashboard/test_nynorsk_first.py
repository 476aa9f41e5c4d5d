"""A nynorsk-first plan (``[plan] text_language = "nn"``): goals.toml's and the definitions'
plain fields are nynorsk, ``translations.no`` gives bokmål. Nynorsk pages show the plain texts
unmarked; bokmål pages show the bokmål translation where given and the nynorsk text marked
``lang="nn"`` where not; the JSON's ``*_i18n`` objects key the plain text by ``nn``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dashboard.app import create_app
from indicators.config import Settings
from indicators.plan.catalog import load_catalog, validate
from tests.dashboard.conftest import FIXTURE, fixed_source, make_snapshot

GOAL_NN, GOAL_NO = "Eit grønare samfunn", "Et grønnere samfunn"
NAME_NN, NAME_NO = "Elbilar, del av personbilane", "Elbiler, andel av personbilene"
SUBGOAL = "Byen er klimanøytral"  # no bokmål given: on bokmål pages marked as nynorsk


def nynorsk_first_folder(root: Path, *, plan_lines: str = 'text_language = "nn"\n') -> Settings:
    """The dashboard fixture's plan, written nynorsk-first, in ``root``."""
    shutil.copytree(FIXTURE, root)
    goals = root / "goals.toml"
    text = goals.read_text(encoding="utf-8")
    text = text.replace(
        "[plan]\n", '[plan]\nlanguages = ["nn", "no"]\ndefault_language = "nn"\n' + plan_lines, 1
    )
    text = text.replace(
        'title = "Et grønnere samfunn"\ntitle_en = "A greener society"\n',
        f'title = "{GOAL_NN}"\ntranslations = {{ no = {{ title = "{GOAL_NO}" }} }}\n',
        1,
    )
    goals.write_text(text, encoding="utf-8")
    elbil = root / "definitions" / "elbil.toml"
    text = elbil.read_text(encoding="utf-8").replace(
        f'name = "{NAME_NO}"\n',
        f'name = "{NAME_NN}"\ntranslations = {{ no = {{ name = "{NAME_NO}" }} }}\n',
        1,
    )
    elbil.write_text(text, encoding="utf-8")
    return Settings.resolve({"definitions": root / "definitions", "goals": goals})


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    s = nynorsk_first_folder(tmp_path_factory.mktemp("nn-first") / "plan")
    catalog = load_catalog(s.definitions, s.goals)
    return create_app(s, source=fixed_source(make_snapshot(catalog))).server.test_client()


def _element_with(text: str, body: str) -> str:
    """The opening tag of the element whose text starts with ``text``."""
    match = re.search(r"<[a-z0-9]+[^<>]*>" + re.escape(text), body)
    assert match, text
    return match.group(0)


def test_nynorsk_pages_show_the_plain_texts_unmarked(client) -> None:
    body = client.get("/").get_data(as_text=True)
    assert '<html lang="nn">' in body
    assert "lang=" not in _element_with(GOAL_NN, body).split(">")[0].replace('<html lang="nn"', "")
    assert GOAL_NO not in body
    page = client.get("/indikator/elbil").get_data(as_text=True)
    assert 'lang="' not in _element_with(NAME_NN, page) and NAME_NO not in page


def test_bokmal_pages_show_the_bokmal_translation_and_mark_the_nynorsk_rest(client) -> None:
    body = client.get("/?lang=no").get_data(as_text=True)
    assert '<html lang="nb">' in body
    assert 'lang="' not in _element_with(GOAL_NO, body), "the bokmål translation is the page's own"
    assert GOAL_NN not in body
    assert 'lang="nn"' in _element_with(SUBGOAL, body), "the untranslated nynorsk title is marked so"
    page = client.get("/indikator/elbil?lang=no").get_data(as_text=True)
    assert 'lang="' not in _element_with(NAME_NO, page)


def test_the_json_keys_the_plain_text_by_its_language(client) -> None:
    status = client.get("/api/status.json").get_json()
    goal = next(g for g in status["goals"] if g["id"] == "1")
    assert goal["title_i18n"] == {"nn": GOAL_NN, "no": GOAL_NO}
    document = client.get("/data/elbil.json").get_json()
    assert document["name_i18n"] == {
        "nn": NAME_NN,
        "no": NAME_NO,
        "en": "Electric cars, share of passenger cars",
    }


def test_a_translation_into_the_plain_fields_own_language_is_refused(tmp_path: Path) -> None:
    s = nynorsk_first_folder(tmp_path / "plan")
    goals = s.goals.read_text(encoding="utf-8").replace("translations = { no =", "translations = { nn =", 1)
    s.goals.write_text(goals, encoding="utf-8")
    _, issues = validate(s.definitions, s.goals)
    assert [(i.field, "already in nn" in i.message) for i in issues] == [("goals[0].translations.nn", True)]


def test_a_bokmal_plan_refuses_translations_no(tmp_path: Path) -> None:
    s = nynorsk_first_folder(tmp_path / "plan", plan_lines="")  # no text_language: bokmål
    _, issues = validate(s.definitions, s.goals)
    fields = sorted(i.field for i in issues)
    assert fields == ["goals[0].translations.no", "translations.no"], issues
    assert all("already in no" in i.message for i in issues)


@pytest.mark.parametrize("value", ['"en"', '"nb"', '"se"', "1", '""', '["nn"]'])
def test_a_bad_text_language_is_a_clear_error(tmp_path: Path, value: str) -> None:
    s = nynorsk_first_folder(tmp_path / "plan", plan_lines=f"text_language = {value}\n")
    _, issues = validate(s.definitions, s.goals)
    assert [i.field for i in issues] == ["plan.text_language"], issues
    assert "'no' or 'nn'" in issues[0].message


def test_the_indicator_list_finds_an_indicator_by_its_name_in_any_language(client) -> None:
    for query in ("q=personbilane&lang=no", "q=personbilene", "q=passenger&lang=no"):
        body = client.get(f"/indikatorer?{query}").get_data(as_text=True)
        assert 'href="/indikator/elbil' in body.split("<tbody>")[1], query
