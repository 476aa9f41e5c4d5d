"""Texts in several languages: ``translations = { nn = { … } }`` beside the bokmål fields, with the
``*_en`` fields kept as aliases of ``translations.en``; wrong languages or fields are clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.plan.catalog import load_catalog, validate
from tests.indicators.plan.test_plan_file import GOALS, PLAN

DEFINITION = """
name = "Elbiler, andel"
subgoals = ["1.1"]
unit = "prosent"
direction = "increase"
{extra}

[series.a]
table = "07849"
"""


def _write(tmp_path: Path, goals: str, definition: str | None = None) -> tuple[Path, Path]:
    (tmp_path / "goals.toml").write_text(goals, encoding="utf-8")
    definitions = tmp_path / "definitions"
    definitions.mkdir(exist_ok=True)
    if definition is not None:
        (definitions / "elbil.toml").write_text(definition, encoding="utf-8")
    return definitions, tmp_path / "goals.toml"


def _issues(tmp_path: Path, goals: str, definition: str | None = None) -> list[tuple[str, str]]:
    _, issues = validate(*_write(tmp_path, goals, definition))
    return [(i.field, i.message) for i in issues]


NN_GOALS = GOALS.replace(
    'title = "Et grønnere Bergen"\n',
    'title = "Et grønnere Bergen"\ntranslations = { nn = { title = "Eit grønare Bergen" } }\n',
)
NN_PLAN = (
    PLAN
    + '\n[plan.translations.nn]\nname = "Bergensløftet"\nsubtitle = "Kommuneplanens samfunnsdel 2021–2030 (nynorsk)"\n'
)


def test_a_goal_a_plan_and_a_definition_in_nynorsk(tmp_path: Path) -> None:
    extra = '[translations.nn]\nname = "Elbilar, del"\ndescription = "Kor stor del."\n\n[translations.en]\nname = "Electric cars, share"'
    catalog = load_catalog(
        *_write(tmp_path, NN_PLAN.replace("[[goals]]", "") + NN_GOALS, DEFINITION.format(extra=extra))
    )
    goal = catalog.goals[0]
    assert goal.text("title", "nn") == "Eit grønare Bergen" and goal.text_lang("title", "nn") == "nn"
    assert goal.text("title", "en") == "Et grønnere Bergen" and goal.text_lang("title", "en") == "no"
    assert goal.texts("title") == {"no": "Et grønnere Bergen", "nn": "Eit grønare Bergen"}
    assert catalog.plan.text("subtitle", "nn").endswith("(nynorsk)")
    d = catalog.indicators["elbil"]
    assert d.text("name", "nn") == "Elbilar, del" and d.text("unit", "nn") == "prosent"
    assert d.text_lang("unit", "nn") == "no"
    # translations.en is name_en: the old field still answers, and says the same.
    assert d.name_en == "Electric cars, share" == d.text("name", "en")


def test_the_en_fields_are_translations_en(tmp_path: Path) -> None:
    extra = 'name_en = "Electric cars, share"\nunit_en = "per cent"'
    catalog = load_catalog(*_write(tmp_path, PLAN + GOALS, DEFINITION.format(extra=extra)))
    d = catalog.indicators["elbil"]
    assert d.texts("name") == {"no": "Elbiler, andel", "en": "Electric cars, share"}
    assert d.text("unit", "en") == "per cent"
    assert d.text("name", "nn") == "Elbiler, andel" and d.text_lang("name", "nn") == "no"


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        (
            '[translations.se]\nname = "Elbiilat"',
            "translations.se.[key]",
            "must be one of 'no', 'en' or 'nn'; got 'se'",
        ),
        # A bokmål plan's plain fields are bokmål: translations.no would be a second bokmål.
        ('[translations.no]\nname = "Elbiler"', "translations.no", "already in no"),
        ('[translations.nn]\nnamn = "Elbilar"', "translations.nn.namn", "unknown key"),
        ('[translations.nn]\nname = ""', "translations.nn.name", "must not be empty"),
        ("[translations.nn]\nname = 3", "translations.nn.name", "must be text"),
        ('translations = "nn"', "translations", "dictionary"),
        (
            'name_en = "Cars"\n[translations.en]\nname = "Electric cars"',
            "-",
            "name_en and translations.en.name say different things",
        ),
    ],
)
def test_a_wrong_translation_is_a_clear_error(tmp_path: Path, extra: str, field: str, words: str) -> None:
    issues = _issues(tmp_path, PLAN + GOALS, DEFINITION.format(extra=extra))
    assert issues, extra
    found, message = issues[0]
    assert found == field, issues
    assert words in message, issues


def test_a_goal_translated_into_an_unknown_language_is_refused(tmp_path: Path) -> None:
    goals = GOALS.replace(
        'title = "Mindre utslipp"\n',
        'title = "Mindre utslipp"\ntranslations = { fi = { title = "Vähemmän" } }\n',
    )
    issues = _issues(tmp_path, PLAN + goals)
    assert [field for field, _ in issues] == ["goals[0].subgoals[0].translations.fi.[key]"], issues


def test_a_plan_publishes_every_language_in_bokmal_by_default(tmp_path: Path) -> None:
    plan = load_catalog(*_write(tmp_path, PLAN + GOALS)).plan
    assert plan.languages == ["no", "en", "nn"] and plan.default_language == "no"


def test_a_plan_chooses_its_languages_and_default(tmp_path: Path) -> None:
    text = PLAN.replace("[plan]\n", '[plan]\nlanguages = ["nn", "no"]\ndefault_language = "nn"\n')
    plan = load_catalog(*_write(tmp_path, text + GOALS)).plan
    assert plan.languages == ["nn", "no"] and plan.default_language == "nn"


@pytest.mark.parametrize(
    ("lines", "field", "words"),
    [
        ('languages = ["no", "se"]', "plan.languages[1]", "'no', 'en' or 'nn'"),
        ("languages = []", "plan.languages", "must not be empty"),
        ('languages = "no"', "plan.languages", "list"),
        ('languages = ["no", "no"]', "plan.languages", "more than once"),
        ('default_language = "nb"', "plan.default_language", "'no', 'en' or 'nn'"),
        ('languages = ["no"]\ndefault_language = "en"', "plan", "not among languages (no)"),
    ],
)
def test_wrong_languages_are_clear_errors(tmp_path: Path, lines: str, field: str, words: str) -> None:
    issues = _issues(tmp_path, PLAN.replace("[plan]\n", f"[plan]\n{lines}\n") + GOALS)
    assert len(issues) == 1, issues
    assert issues[0][0] == field and words in issues[0][1], issues
