"""Careless ``[plan] languages``/``default_language`` and ``translations`` in TOML: other types,
other spellings, nesting. Each is one ``PATH: FIELD: MESSAGE`` problem, never a crash (DESIGN §11);
the cases the translations tests already hold are not repeated here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.indicators.plan.test_translations import DEFINITION, GOALS, PLAN, _issues

CHOICES = "must be one of 'no', 'en' or 'nn'"


@pytest.mark.parametrize(
    ("lines", "field", "words"),
    [
        ("languages = [1]", "plan.languages[0]", CHOICES),
        ('languages = ["NO"]', "plan.languages[0]", CHOICES),  # codes are lower case, as in ?lang=
        ('languages = ["nno"]', "plan.languages[0]", CHOICES),  # ?lang= aliases are not plan codes
        ('languages = [["no"]]', "plan.languages[0]", CHOICES),
        ("languages = { no = 1 }", "plan.languages", "list"),
        ('languages = ["no", "en", "nn", "se"]', "plan.languages[3]", CHOICES),
        ("default_language = 1", "plan.default_language", CHOICES),
        ('default_language = ""', "plan.default_language", CHOICES),
        ('default_language = ["no"]', "plan.default_language", CHOICES),
        ('default_language = "NN"', "plan.default_language", CHOICES),
        ('languages = ["en"]', "plan", "default_language 'no' is not among languages (en)"),
    ],
)
def test_odd_plan_languages_are_one_clear_problem(tmp_path: Path, lines: str, field: str, words: str) -> None:
    issues = _issues(tmp_path, PLAN.replace("[plan]\n", f"[plan]\n{lines}\n") + GOALS)
    assert len(issues) == 1, issues
    assert issues[0][0] == field and words in issues[0][1], issues


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ('translations = { nn = "Elbilar" }', "translations.nn", "dictionary"),
        ("translations = []", "translations", "dictionary"),
        ('translations = { nn = { name = ["Elbilar"] } }', "translations.nn.name", "must be text"),
        ('translations = { "" = { name = "Elbilar" } }', "translations..[key]", "'en' or 'nn'"),
        ('translations = { NN = { name = "Elbilar" } }', "translations.NN.[key]", "'en' or 'nn'"),
    ],
)
def test_odd_translations_are_one_clear_problem(tmp_path: Path, extra: str, field: str, words: str) -> None:
    issues = _issues(tmp_path, PLAN + GOALS, DEFINITION.format(extra=extra))
    assert len(issues) == 1, issues
    assert issues[0][0] == field and words in issues[0][1], issues


@pytest.mark.parametrize("extra", ["translations = {}", "translations = { nn = {} }"])
def test_an_empty_translations_table_is_no_translation(tmp_path: Path, extra: str) -> None:
    assert _issues(tmp_path, PLAN + GOALS, DEFINITION.format(extra=extra)) == []
