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


class TableNotFound(SsbError):
    """SSB has no table with this id (HTTP 404)."""


class InvalidSelection(SsbError):
    """A selection names a variable, code or expression the table's metadata does not have."""


class UnknownVariable(InvalidSelection):
    """A table's metadata has no variable with the code a definition names."""


class QueryTooLarge(SsbError):
    """A query selects more cells than SSB allows and cannot be split into smaller ones."""


class RateLimited(SsbError):
    """SSB kept answering 429 Too Many Requests after every retry."""


class SsbUnavailable(SsbError):
    """SSB could not be reached or kept failing (5xx, refused or dropped connection, timeout)."""


class BadResponse(SsbError):
    """SSB answered something that is not the JSON or JSON-stat2 the API promises."""


class SsbRequestError(SsbError):
    """SSB refused a request (another 4xx, e.g. an unknown value code); carries SSB's explanation."""

    def __init__(self, message: str, *, status: int, title: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.detail = detail


class CacheError(IndicatorError):
    """The data cache is missing, unreadable or locked."""


class CacheLocked(CacheError):
    """Another refresh holds the cache's lock."""


class CacheFileMissing(CacheError):
    """A file the cache manifest names is gone (a refresh replaced it after the manifest was read)."""


class AssessmentError(IndicatorError):
    """An indicator cannot be assessed as asked (unknown direction or target kind)."""


class ComputeError(IndicatorError):
    """An indicator's series cannot be computed from the cached responses or its csv file."""


class EmbedError(IndicatorError):
    """Embeds cannot be served or exported: a bundled asset is missing, or the export folder is unusable."""
