"""Settings, each declared once with its default, environment variable and help text.

The CLI and the web app read the same settings; flags override environment variables,
which override defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal, cast
from urllib.parse import urlsplit

from indicators.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
# An installed wheel carries the checkout's docs/ and data_cache/demo/ here (setup.py); a checkout
# and an editable install have no such folder and read them at the top of the repository.
BUNDLED = Path(__file__).resolve().parent / "_bundled"
INSTALLED = BUNDLED.is_dir()


def shipped(relative: str) -> Path:
    """A folder shipped with the code (``docs``, ``data_cache/demo``): the installed package's
    copy in a wheel install, else the repository's own."""
    return (BUNDLED if INSTALLED else REPO_ROOT) / relative


DEFAULT_SSB_API_URL = "https://data.ssb.no/api/pxwebapi/v2"

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")


@dataclass(frozen=True)
class Setting:
    """One configurable value: its name, environment variable, default and help."""

    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "definitions",
        "INDICATOR_DIR",
        str(REPO_ROOT / "indicators" / "definitions"),
        "folder of indicator definition files (*.toml)",
    ),
    Setting(
        "goals",
        "GOALS_FILE",
        str(REPO_ROOT / "indicators" / "goals.toml"),
        "the plan's goal tree (goals.toml)",
    ),
    Setting(
        "cache_dir",
        "DATA_CACHE_DIR",
        # Installed, the package's folder is site-packages (maybe read-only): the cache goes to
        # ./data_cache, as DESIGN's relative default reads; a checkout keeps its own data_cache/.
        "data_cache" if INSTALLED else str(REPO_ROOT / "data_cache"),
        "the data cache folder",
    ),
    Setting("ssb_api_url", "SSB_API_URL", DEFAULT_SSB_API_URL, "base URL of SSB's PxWebApi v2"),
    Setting(
        "refresh_log_format",
        "REFRESH_LOG_FORMAT",
        "text",
        "how refresh reports: text (a bar on a terminal, a line per table elsewhere) or json "
        "(one JSON object per line, for log collectors)",
    ),
    Setting(
        "refresh_deadline",
        "REFRESH_DEADLINE",
        "3600",
        "seconds a refresh may take in all; tables not done by then count as failed (exit 1) and "
        "keep their data, and no wait for SSB's rate limit or Retry-After goes past it",
    ),
    # Web serving (dashboard/security.py, gunicorn.conf.py); the CLI commands ignore these.
    Setting(
        "embed_frame_ancestors",
        "EMBED_FRAME_ANCESTORS",
        "*",
        "sites allowed to frame /embed/ pages: CSP frame-ancestors sources separated by spaces, "
        "e.g. 'https://www.trondheim.kommune.no' ('*' any site, \"'none'\" no site)",
    ),
    Setting(
        "site_url",
        "SITE_URL",
        "",
        "the dashboard's public address, e.g. https://indikatorer.trondheim.kommune.no: absolute "
        "links (embed code, canonical and og:url) are built from it, never from the request's Host "
        "header (unset: those links are left out or relative)",
    ),
    Setting(
        "max_request_bytes",
        "MAX_REQUEST_BYTES",
        "1048576",
        "largest request body the web app accepts, in bytes (larger: HTTP 413 before it is read)",
    ),
    Setting("port", "PORT", "8050", "port gunicorn listens on when BIND is not set"),
    Setting("bind", "BIND", "", "address gunicorn listens on, e.g. 127.0.0.1:8050 (default 0.0.0.0:$PORT)"),
    Setting(
        "web_concurrency",
        "WEB_CONCURRENCY",
        "auto",
        "gunicorn worker processes, a whole number (unset: one per CPU, at least 2)",
    ),
    Setting("worker_threads", "WORKER_THREADS", "4", "threads per gunicorn worker"),
    Setting("worker_timeout", "WORKER_TIMEOUT", "30", "seconds before gunicorn restarts a stuck worker"),
)


@dataclass(frozen=True)
class Settings:
    """Resolved paths and URLs for one run."""

    definitions: Path
    goals: Path
    cache_dir: Path
    ssb_api_url: str
    refresh_log_format: LogFormat = "text"
    refresh_deadline: int = 3600
    embed_frame_ancestors: str = "*"
    site_url: str = ""
    max_request_bytes: int = 1048576
    port: int = 8050
    bind: str = "0.0.0.0:8050"
    web_concurrency: int = 2
    worker_threads: int = 4
    worker_timeout: int = 30

    @classmethod
    def resolve(cls, overrides: dict[str, str | Path | None] | None = None) -> Settings:
        """Build settings from overrides (e.g. CLI flags), then the environment, then defaults."""
        overrides = overrides or {}
        values: dict[str, str] = {}
        for setting in SETTINGS:
            given = overrides.get(setting.name)
            if given is not None and str(given) != "":
                values[setting.name] = str(given)
            else:
                values[setting.name] = os.environ.get(setting.env) or setting.default
        port = _positive_int("port", values["port"])
        workers = (
            max(2, os.cpu_count() or 1)
            if values["web_concurrency"].strip().lower() == "auto"
            else _positive_int("web_concurrency", values["web_concurrency"])
        )
        return cls(
            definitions=Path(values["definitions"]),
            goals=Path(values["goals"]),
            cache_dir=Path(values["cache_dir"]),
            ssb_api_url=values["ssb_api_url"].rstrip("/"),
            # _choice returns one of LOG_FORMATS or raises, so the cast only tells mypy what it checked.
            refresh_log_format=cast(
                LogFormat, _choice("refresh_log_format", values["refresh_log_format"], LOG_FORMATS)
            ),
            refresh_deadline=_positive_int("refresh_deadline", values["refresh_deadline"]),
            embed_frame_ancestors=values["embed_frame_ancestors"].strip(),
            site_url=_site_url(values["site_url"]),
            max_request_bytes=_positive_int("max_request_bytes", values["max_request_bytes"]),
            port=port,
            bind=values["bind"].strip() or f"0.0.0.0:{port}",
            web_concurrency=workers,
            worker_threads=_positive_int("worker_threads", values["worker_threads"]),
            worker_timeout=_positive_int("worker_timeout", values["worker_timeout"]),
        )


def _positive_int(name: str, text: str) -> int:
    """``text`` as a whole number ≥ 1, or a ConfigError naming the setting and its variable."""
    setting = next(s for s in SETTINGS if s.name == name)
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(
            f"{setting.env}={text!r}: expected a whole number of at least 1 ({setting.help}); "
            f"unset it to use the default {setting.default}"
        )
    return value


def _site_url(text: str) -> str:
    """``SITE_URL`` without a trailing slash ("" when unset), or a ConfigError saying what is wrong."""
    value = text.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            f"SITE_URL={text!r}: expected the dashboard's public address, http(s)://host[:port][/path] "
            "without query or fragment, e.g. https://indikatorer.trondheim.kommune.no"
        )
    return value


def _choice(name: str, text: str, choices: tuple[str, ...]) -> str:
    """``text`` (trimmed, lower case) if it is one of ``choices``, or a ConfigError naming the variable."""
    value = text.strip().lower()
    if value not in choices:
        setting = next(s for s in SETTINGS if s.name == name)
        raise ConfigError(
            f"{setting.env}={text!r}: expected one of {', '.join(choices)} ({setting.help}); "
            f"unset it to use the default {setting.default}"
        )
    return value


def setting_names() -> list[str]:
    """Names of the fields of :class:`Settings`, for the CLI."""
    return [f.name for f in fields(Settings)]
