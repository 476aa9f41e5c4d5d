"""Every UI string exists in every language (bokmål, English, nynorsk), with the same placeholders."""

from __future__ import annotations

import string

import pytest

from dashboard.components import coverage_text
from dashboard.i18n import LANGS, TEXT, parse_lang, t


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_string_has_both_languages_with_the_same_placeholders(key: str) -> None:
    texts = TEXT[key]
    assert set(texts) == set(LANGS), f"{key} lacks a language"
    assert all(texts[lang].strip() for lang in LANGS), f"{key} has an empty text"
    assert _placeholders(texts["no"]) == _placeholders(texts["en"])


def test_bokmal_and_english_differ_where_they_should() -> None:
    assert t("nav_overview", "no") == "Oversikt"
    assert t("nav_overview", "en") == "Overview"
    assert coverage_text(7, 9, "no") == "7 av 9 indikatorer vurdert"
    assert coverage_text(7, 9, "en") == "7 of 9 indicators assessed"


def test_nynorsk_is_its_own_catalogue() -> None:
    assert t("nav_indicators", "nn") == "Alle indikatorar"
    assert coverage_text(7, 9, "nn") == "7 av 9 indikatorar har ei vurdering"
    assert coverage_text(1, 1, "nn") == "1 av 1 indikator har ei vurdering"


def test_coverage_of_one_indicator_is_singular() -> None:
    # A plan's sub-goal with one indicator: "1 av 1 indikator vurdert", never "1 av 1 indikatorer".
    assert coverage_text(1, 1, "no") == "1 av 1 indikator vurdert"
    assert coverage_text(0, 1, "en") == "0 of 1 indicator assessed"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        (["en", "no"], "en"),
        ("no", "no"),
        ("nb", "no"),
        ("nn", "nn"),
        ("NYNORSK", "nn"),
        ("nno", "nn"),
        (["nn", "en"], "nn"),
        ("nn-NO", "no"),
        (None, "no"),
        ("<b>", "no"),
    ],
)
def test_lang_parameter_falls_back_to_bokmal(given: object, expected: str) -> None:
    assert parse_lang(given) == expected


def test_indicator_counts_are_proper_plurals() -> None:
    from dashboard.i18n import indicator_count

    assert [indicator_count(n, "no") for n in (1, 2)] == ["1 indikator", "2 indikatorer"]
    assert [indicator_count(n, "en") for n in (1, 0)] == ["1 indicator", "0 indicators"]


def test_every_catalogue_has_every_key_with_the_same_placeholders() -> None:
    # The .po files themselves, as a translator edits them: a key missing from one language's
    # catalogue, or a {placeholder} renamed in one, would break that language's pages.
    from babel.messages.pofile import read_po

    from dashboard.i18n import LOCALE_DIR

    catalogues: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalogues[lang] = {str(m.id): str(m.string) for m in read_po(fh) if m.id}
    keys = set().union(*(set(c) for c in catalogues.values()))
    assert keys == set(TEXT)
    for lang, catalogue in catalogues.items():
        assert set(catalogue) == keys, f"{lang} lacks {sorted(keys - set(catalogue))}"
        for key, text in catalogue.items():
            assert text.strip(), f"{lang}: {key} is empty"
            assert _placeholders(text) == _placeholders(catalogues["no"][key]), f"{lang}: {key}"


def test_every_listed_language_has_a_catalogue_and_its_aliases_select_it() -> None:
    from dashboard.i18n import HTML_LANG, LANGUAGES, LOCALE_DIR

    for language in LANGUAGES:
        assert (LOCALE_DIR / language.code / "LC_MESSAGES" / "messages.po").is_file()
        assert all(parse_lang(alias.upper()) == language.code for alias in language.aliases)
        assert HTML_LANG[language.code] == language.html_lang
    assert HTML_LANG == {"no": "nb", "en": "en", "nn": "nn"}  # what <html lang> says
