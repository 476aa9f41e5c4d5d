"""The dashboard's UI languages and strings: ``t(key, lang)`` over the gettext catalogues.

Language codes follow the progress engine (``"no"`` bokmål, ``"en"`` English, ``"nn"``
nynorsk); the HTML ``lang`` attribute says ``nb`` for bokmål, as screen readers expect. The strings themselves are
in ``dashboard/locale/<lang>/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from babel.messages.pofile import read_po

Lang = Literal["no", "en", "nn"]


@dataclass(frozen=True)
class Language:
    """One UI language: its code in URLs and catalogues, its HTML ``lang``, its own name."""

    code: Lang
    html_lang: str  # BCP 47, what screen readers and hyphenation go by
    name: str  # in the language itself, as the language switch shows it
    aliases: frozenset[str]  # other ?lang= spellings that mean this language


# The languages as data: adding one is a row here and a catalogue in dashboard/locale/ (and a
# row in every lang-keyed table: tests/dashboard/test_nynorsk.py shows what a new one must pass).
LANGUAGES: tuple[Language, ...] = (
    Language("no", "nb", "Norsk (bokmål)", frozenset({"no", "nb", "nob"})),
    Language("en", "en", "English", frozenset({"en", "eng", "english"})),
    Language("nn", "nn", "Nynorsk", frozenset({"nn", "nno", "nynorsk"})),
)
DEFAULT_LANG: Lang = "no"
LANGS: tuple[Lang, ...] = tuple(language.code for language in LANGUAGES)
HTML_LANG: dict[Lang, str] = {language.code: language.html_lang for language in LANGUAGES}
_BY_ALIAS: dict[str, Lang] = {alias: lang.code for lang in LANGUAGES for alias in lang.aliases}


def parse_lang(value: object) -> Lang:
    """The language a ``?lang=`` value asks for; anything unknown falls back to the default."""
    if isinstance(value, list):  # a repeated ?lang= arrives as a list; the first one counts
        value = value[0] if value else None
    text = str(value or "").strip().lower()
    return _BY_ALIAS.get(text, DEFAULT_LANG)


def other_langs(lang: Lang) -> tuple[Language, ...]:
    """Every language but ``lang``, in LANGUAGES' order: what the language switch offers."""
    return tuple(language for language in LANGUAGES if language.code != lang)


# Model texts (plan titles, indicator names, explanations) exist in Norwegian and English only
# (the ``*_en`` fields); a nynorsk page shows the Norwegian ones, which are bokmål.
PROSE_LANG: dict[Lang, Lang] = {"no": "no", "nn": "no", "en": "en"}


def prose_lang(lang: Lang) -> Lang:
    """The language a model text (no nynorsk field) is written in on a ``lang`` page."""
    return PROSE_LANG[lang]


def prose_attrs(lang: Lang) -> dict[str, Any]:
    """``lang="nb"`` for an element holding such a text on a page in another language (nynorsk),
    so screen readers and hyphenation treat it as bokmål; nothing where it is the page's own."""
    written = PROSE_LANG[lang]
    return {} if written == lang else {"lang": HTML_LANG[written]}


def t(key: str, lang: Lang, **values: object) -> str:
    """The UI string ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def indicator_count(count: int, lang: Lang) -> str:
    """``1 indikator``, ``3 indikatorer`` (``1 indicator``, ``3 indicators``)."""
    return t("count_indicator_one" if count == 1 else "count_indicator_other", lang, count=count)


# The UI strings live in gettext catalogues, dashboard/locale/<lang>/LC_MESSAGES/messages.po,
# with the key as msgid. They are read with Babel once, at import: no compile step, so a fresh
# clone, an installed package and the Docker image work as they are (the .po files ship as
# package data). tests/dashboard/test_i18n.py checks that every catalogue has every key with
# the same placeholders.
LOCALE_DIR = Path(__file__).with_name("locale")


def _read_catalogue(lang: str) -> dict[str, str]:
    """The ``msgid -> msgstr`` pairs of one language's catalogue (header and empty ones left out)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh)
    return {str(m.id): str(m.string) for m in catalogue if m.id and isinstance(m.id, str) and m.string}


def _load_text() -> dict[str, dict[Lang, str]]:
    """key -> {lang: text}, from every language's catalogue."""
    by_lang = {lang: _read_catalogue(lang) for lang in LANGS}
    keys = {key for texts in by_lang.values() for key in texts}
    return {key: {lang: by_lang[lang][key] for lang in LANGS if key in by_lang[lang]} for key in keys}


# key -> {"no": bokmål, "nn": nynorsk, "en": English}, as before the catalogues; add new strings to every .po file.
TEXT: dict[str, dict[Lang, str]] = _load_text()
