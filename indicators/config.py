"""Settings, each declared once with its default, environment variable and help text.

The CLI and the web app read the same settings; flags override environment variables,
which override defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_SSB_API_URL = "https://data.ssb.no/api/pxwebapi/v2"


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
    Setting("cache_dir", "DATA_CACHE_DIR", str(REPO_ROOT / "data_cache"), "the data cache folder"),
    Setting("ssb_api_url", "SSB_API_URL", DEFAULT_SSB_API_URL, "base URL of SSB's PxWebApi v2"),
)


@dataclass(frozen=True)
class Settings:
    """Resolved paths and URLs for one run."""

    definitions: Path
    goals: Path
    cache_dir: Path
    ssb_api_url: str

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
        return cls(
            definitions=Path(values["definitions"]),
            goals=Path(values["goals"]),
            cache_dir=Path(values["cache_dir"]),
            ssb_api_url=values["ssb_api_url"].rstrip("/"),
        )


def setting_names() -> list[str]:
    """Names of the fields of :class:`Settings`, for the CLI."""
    return [f.name for f in fields(Settings)]
