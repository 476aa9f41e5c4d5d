"""The dashboard's UI languages and strings: ``t(key, lang)`` over the gettext catalogues.

Language codes follow the progress engine (``"no"`` bokmål, ``"en"`` English, ``"nn"``
nynorsk); the HTML ``lang`` attribute says ``nb`` for bokmål, as screen readers expect. The strings themselves are
in ``dashboard/locale/<lang>/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import flask
from babel.messages.pofile import read_po

from dashboard import data as data_module
from indicators.errors import IndicatorError

Lang = Literal["no", "en", "nn"]


@dataclass(frozen=True)
class Language:
    """One UI language: its code in URLs and catalogues, its HTML ``lang``, its own name."""

    code: Lang
    html_lang: str  # BCP 47, what screen readers and hyphenation go by
    name: str  # in the language itself, as the language switch shows it
    aliases: frozenset[str]  # other ?lang= spellings that mean this language


# The languages as data: adding one is a row here, a catalogue in dashboard/locale/ and one in
# indicators/locale/, its code in indicators.plan.model (PLAN_LANGS, TRANSLATION_LANGS) and its
# number style in indicators.formatting.STYLES (tests/indicators/test_messages.py checks that they
# agree; tests/dashboard/test_nynorsk.py shows what a new one must pass).
LANGUAGES: tuple[Language, ...] = (
    Language("no", "nb", "Norsk (bokmål)", frozenset({"no", "nb", "nob"})),
    Language("en", "en", "English", frozenset({"en", "eng", "english"})),
    Language("nn", "nn", "Nynorsk", frozenset({"nn", "nno", "nynorsk"})),
)
DEFAULT_LANG: Lang = "no"
LANGS: tuple[Lang, ...] = tuple(language.code for language in LANGUAGES)
HTML_LANG: dict[Lang, str] = {language.code: language.html_lang for language in LANGUAGES}
_BY_ALIAS: dict[str, Lang] = {alias: lang.code for lang in LANGUAGES for alias in lang.aliases}


def published() -> tuple[tuple[Lang, ...], Lang]:
    """The languages the plan of the app serving this request publishes (goals.toml's
    ``languages``), and its ``default_language``; every language and bokmål outside a request.
    Read once per request (``flask.g``): links ask for it hundreds of times a page."""
    if not flask.has_app_context():
        return LANGS, DEFAULT_LANG
    found = flask.g.get(_PUBLISHED)
    if found is None:
        source = flask.current_app.extensions.get(data_module.EXTENSION_KEY)
        try:
            plan = source.get().catalog.plan if source is not None else None
        except IndicatorError:  # a broken plan is the page's own error to show; its words stay
            plan = None
        found = (tuple(plan.languages), plan.default_language) if plan is not None else (LANGS, DEFAULT_LANG)
        flask.g.setdefault(_PUBLISHED, found)
    return found


_PUBLISHED = "plan_languages"


def default_lang() -> Lang:
    """The language of a page asked for without ``?lang=``: the plan's default."""
    return published()[1]


def parse_lang(value: object) -> Lang:
    """The language a ``?lang=`` value asks for; anything unknown, or a language the plan does
    not publish, falls back to the plan's default."""
    if isinstance(value, list):  # a repeated ?lang= arrives as a list; the first one counts
        value = value[0] if value else None
    text = str(value or "").strip().lower()
    languages, default = published()
    asked = _BY_ALIAS.get(text)
    return asked if asked in languages else default


def other_langs(lang: Lang) -> tuple[Language, ...]:
    """The plan's other languages, in LANGUAGES' order: what the language switch offers."""
    languages = published()[0]
    return tuple(language for language in LANGUAGES if language.code != lang and language.code in languages)


def text_attrs(written: str, lang: Lang) -> dict[str, Any]:
    """``lang="nb"`` (the written language's HTML code) for an element holding a text written in
    another language than the page's — a plan title it gives in bokmål only, on a nynorsk or
    English page — so screen readers and hyphenation treat it right; nothing where it is the page's own."""
    return {} if written == lang else {"lang": HTML_LANG[written]}  # type: ignore[index]


def model_text(item: Any, field: str, lang: Lang) -> tuple[str, dict[str, Any]]:
    """A plan's or a definition's ``field`` in ``lang`` (or bokmål) and the attributes that mark it."""
    return item.text(field, lang), text_attrs(item.text_lang(field, lang), lang)


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
