"""The project's own exceptions.

Core code raises these; each edge (CLI, web) turns them into one clear message.
"""

from __future__ import annotations


class IndicatorError(Exception):
    """Base class for every error this project raises on purpose."""


class ConfigError(IndicatorError):
    """A setting (flag, environment variable, file path) is wrong."""


class CatalogError(IndicatorError):
    """The goal tree or the indicator definitions are invalid.

    ``issues`` holds every problem found, so a caller can print them all.
    """

    def __init__(self, issues: list) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class FormulaError(IndicatorError):
    """A formula does not follow the formula grammar."""


class SsbError(IndicatorError):
    """Base class for failures talking to SSB's PxWebApi."""


class CacheError(IndicatorError):
    """The data cache is missing, unreadable or locked."""
