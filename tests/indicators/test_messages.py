"""The indicators package's catalogues: every language has every key, and no placeholder the
bokmål text (the one the code is written against) lacks; a translation may leave one out (English
says "it has risen" where bokmål names the subject)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from indicators.messages import LANGS, LOCALE_DIR, MESSAGES, message, read_catalogue


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_every_catalogue_has_every_key_and_only_known_placeholders() -> None:
    keys = {key for texts in MESSAGES.values() for key in texts}
    for lang in LANGS:
        assert set(MESSAGES[lang]) == keys, f"{lang} lacks {sorted(keys - set(MESSAGES[lang]))}"
        for key in keys:
            assert placeholders(MESSAGES[lang][key]) <= placeholders(MESSAGES["no"][key]), (lang, key)


def test_the_catalogues_are_the_files_in_locale() -> None:
    for lang in LANGS:
        assert read_catalogue(LOCALE_DIR / lang / "LC_MESSAGES" / "indicators.po") == MESSAGES[lang]


def test_nynorsk_is_its_own_language_not_a_copy_of_bokmal() -> None:
    differ = [key for key in MESSAGES["no"] if MESSAGES["nn"][key] != MESSAGES["no"][key]]
    assert len(differ) > len(MESSAGES["no"]) // 2
    assert message("status_deterioration", "nn") == "Går feil veg"


@pytest.mark.parametrize("lang", ["se", "", "NO", "../no"])
def test_an_unknown_language_is_refused_by_name(lang: str) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        message("status_target_achieved", lang)


def test_every_list_of_languages_names_the_same_three() -> None:
    # Adding a language touches each of these; a test that names them all keeps them in step.
    from dashboard import i18n
    from indicators import formatting
    from indicators.plan import model

    assert set(LANGS) == set(formatting.LANGS) == set(model.PLAN_LANGS) == set(i18n.LANGS)
    assert set(model.TRANSLATION_LANGS) == set(LANGS)  # any but the plain fields' own (text_language)
    assert set(model.TextLang.__args__) <= set(LANGS) and formatting.MODEL_LANG in LANGS
    assert {path.name for path in LOCALE_DIR.iterdir()} == set(LANGS)
    assert {path.name for path in (Path(i18n.__file__).parent / "locale").iterdir()} == set(LANGS)
