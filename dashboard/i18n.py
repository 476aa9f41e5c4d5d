"""Every UI string of the dashboard, in bokmål and English, and the language helpers.

Language codes follow the progress engine (``"no"`` bokmål, ``"en"`` English); the HTML
``lang`` attribute says ``nb`` for bokmål, as screen readers expect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from babel.messages.pofile import read_po

Lang = Literal["no", "en"]
DEFAULT_LANG: Lang = "no"
LANGS: tuple[Lang, ...] = ("no", "en")
HTML_LANG: dict[Lang, str] = {"no": "nb", "en": "en"}


def parse_lang(value: object) -> Lang:
    """The language a ``?lang=`` value asks for; anything unknown falls back to bokmål."""
    if isinstance(value, list):  # a repeated ?lang= arrives as a list; the first one counts
        value = value[0] if value else None
    text = str(value or "").strip().lower()
    return "en" if text in {"en", "eng", "english"} else DEFAULT_LANG


def other_lang(lang: Lang) -> Lang:
    return "en" if lang == "no" else "no"


def t(key: str, lang: Lang, **values: object) -> str:
    """The UI string ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def indicator_count(count: int, lang: Lang) -> str:
    """``1 indikator``, ``3 indikatorer`` (``1 indicator``, ``3 indicators``)."""
    one, many = ("indikator", "indikatorer") if lang == "no" else ("indicator", "indicators")
    return f"{count} {one if count == 1 else many}"


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


# key -> {"no": bokmål, "en": English}, as before the catalogues; add new strings to every .po file.
TEXT: dict[str, dict[Lang, str]] = _load_text()
