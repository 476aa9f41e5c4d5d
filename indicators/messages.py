"""The indicators package's own words in every language: ``message(key, lang)``.

Status words, the progress engine's sentences and the ``status`` report live in gettext catalogues,
``indicators/locale/<lang>/LC_MESSAGES/indicators.po`` (``no`` bokmål, ``en`` English, ``nn``
nynorsk), with the key as ``msgid``, read with Babel once at import. They are the domain's own set,
beside the dashboard's ``dashboard/locale``: the ``status`` command, ``check`` and the JSON must
speak every language without importing the web app (the domain never imports ``dashboard``), and a
translator edits both sets with the same tools.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

LANGS: tuple[str, ...] = ("no", "en", "nn")
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "indicators"


def read_catalogue(path: Path) -> dict[str, str]:
    """The ``msgid -> msgstr`` pairs of one ``.po`` file (its header and empty entries left out)."""
    with path.open("rb") as fh:
        catalogue = read_po(fh)
    return {str(m.id): str(m.string) for m in catalogue if m.id and isinstance(m.id, str) and m.string}


def _load() -> dict[str, dict[str, str]]:
    """lang -> {key: text}, from every language's catalogue."""
    return {lang: read_catalogue(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po") for lang in LANGS}


MESSAGES: dict[str, dict[str, str]] = _load()


def check_lang(lang: str) -> str:
    """``lang`` itself when it is one of :data:`LANGS`; a ValueError naming them otherwise."""
    if lang not in MESSAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def message(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang``, with its ``{placeholders}`` filled from ``values``."""
    text = MESSAGES[check_lang(lang)][key]
    return text.format(**values) if values else text
