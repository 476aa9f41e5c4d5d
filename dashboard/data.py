"""What the pages show: the snapshot, every indicator's assessment and the roll-up.

Loaded once per cache version: :class:`DataSource` asks ``snapshot.cache_version`` (a cheap
stat of the manifest) on each use and reloads only when it changed, so a refresh is picked
up without a restart. The memo is keyed by that version, so every gunicorn worker answers
the same for the same cache; nothing else in the app is mutable.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import flask
import pandas as pd

from indicators.assessment import history as history_module
from indicators.assessment.history import History
from indicators.assessment.progress import Assessment, Rollup, assess_all, rollup
from indicators.config import Settings
from indicators.store.snapshot import Snapshot, cache_version, load_snapshot, real_dir

if TYPE_CHECKING:
    from indicators.plan.catalog import Catalog
    from indicators.plan.model import Definition

SERIES_COLUMNS = ("region", "region_name", "year", "value", "status")
MEMO_SIZE = 256  # built pages kept per cache version: every page in both languages, and more
T = TypeVar("T")
EXTENSION_KEY = "dashboard_data"


@dataclass(frozen=True)
class DashboardData:
    """One consistent view of the cache: snapshot, assessments and roll-up."""

    snapshot: Snapshot
    assessments: dict[str, Assessment]
    rollups: dict[str, Rollup]
    history: History = history_module.EMPTY  # the assessments of earlier data releases
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _home: dict[str, pd.Series] = field(default_factory=dict, repr=False)
    _built: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict, repr=False)
    _built_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def catalog(self) -> Catalog:
        return self.snapshot.catalog

    def definition(self, indicator_id: str) -> Definition | None:
        return self.catalog.indicators.get(indicator_id)

    def frame(self, indicator_id: str) -> pd.DataFrame:
        """The indicator's tidy series (home region and peers); empty when there is none."""
        frame = self._frames.get(indicator_id)
        if frame is None:
            frame = self.snapshot.series.get(indicator_id)
            frame = empty_frame() if frame is None else frame
            # Remembered for this cache version; two threads may build it at once, alike.
            self._frames[indicator_id] = frame
        return frame

    def home_values(self, indicator_id: str) -> pd.Series:
        """The home region's values by year (NaN where SSB has no figure)."""
        values = self._home.get(indicator_id)
        if values is None:
            values = home_series(self.frame(indicator_id), self.catalog.plan.region)
            self._home[indicator_id] = values
        return values

    def problem(self, indicator_id: str) -> str | None:
        """What is wrong with the indicator's data, as clients may read it (pages, downloads):
        the snapshot's message with server paths replaced (:func:`public_problem`)."""
        problem = self.snapshot.problems.get(indicator_id)
        return None if problem is None else public_problem(problem)

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, remembered under ``key`` for as long as this data (one cache version)
        is current: a page is the same for everyone until the cache changes. Bounded, so odd
        requests cannot fill the memory."""
        with self._built_lock:
            if key in self._built:
                self._built.move_to_end(key)
                return self._built[key]
        value = build()
        with self._built_lock:
            self._built[key] = value
            while len(self._built) > MEMO_SIZE:
                self._built.popitem(last=False)
        return value


# An absolute path on the server (POSIX, or C:\\… on Windows), where a message names a file:
# at the start, after a space, quote or bracket, so the path part of an https:// link is not one.
_SERVER_PATH = re.compile(r"""(?:(?<=^)|(?<=[\s'"(`\[]))(?:/|[A-Za-z]:\\)[^\s'"`)\]]+""")
_CACHE_RESPONSE = re.compile(r"[/\\]responses[/\\]([^/\\]+)[/\\]")


def public_problem(message: str) -> str:
    """``message`` without the server's absolute paths: a cached SSB response becomes "the
    stored response of table 06944", any other path "a file on the server". The full message
    stays in the snapshot (the CLI's ``status`` and the logs show it to the operator)."""

    def describe(found: re.Match[str]) -> str:
        path = found.group(0)
        trailing = path[len(path.rstrip(".,;:")) :]
        table = _CACHE_RESPONSE.search(path)
        name = f"the stored response of table {table.group(1)}" if table else "a file on the server"
        return name + trailing

    return _SERVER_PATH.sub(describe, message)


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": pd.Series([], dtype=object),
            "region_name": pd.Series([], dtype=object),
            "year": pd.Series([], dtype="int64"),
            "value": pd.Series([], dtype=float),
            "status": pd.Series([], dtype=object),
        }
    )


def home_series(frame: pd.DataFrame, region: str) -> pd.Series:
    home = frame[frame["region"] == region]
    return pd.Series(home["value"].to_numpy(dtype=float), index=home["year"].astype(int), name="value")


def build_data(snapshot: Snapshot, history: History = history_module.EMPTY) -> DashboardData:
    """Assess every indicator of the snapshot and roll the results up.

    Assessed on the snapshot's arrays where it has them; the tidy frames a page shows are
    built on first use (:meth:`DashboardData.frame`), so a worker with a large catalogue starts
    without building a DataFrame per indicator.
    """
    catalog = snapshot.catalog
    assessments = assess_all(catalog, snapshot.assessable())
    return DashboardData(
        snapshot=snapshot, assessments=assessments, rollups=rollup(catalog, assessments), history=history
    )


def read_history(settings: Settings) -> History:
    """The real cache's assessment history (empty when missing or damaged: never raises)."""
    return history_module.read_history(real_dir(settings))


class DataSource:
    """Loads :class:`DashboardData` for a set of settings, again whenever the cache changes."""

    def __init__(
        self,
        settings: Settings,
        *,
        load: Callable[[Settings], Snapshot] = load_snapshot,
        version: Callable[[Settings], str] = cache_version,
        history: Callable[[Settings], History] = read_history,
    ) -> None:
        self.settings = settings
        self._load = load
        self._history = history
        self._version = version
        self._lock = threading.Lock()
        self._memo: tuple[str, DashboardData] | None = None

    def get(self) -> DashboardData:
        """The data for the cache as it is now (raises CatalogError / CacheError unchanged)."""
        version = self._version(self.settings)
        memo = self._memo
        if memo is not None and memo[0] == version:
            return memo[1]
        with self._lock:  # one load per new version, even with threaded workers
            memo = self._memo
            if memo is None or memo[0] != version:
                snapshot = self._load(self.settings)
                # Demo figures are no release of real data: they have no history to compare with.
                past = history_module.EMPTY if snapshot.demo else self._history(self.settings)
                memo = (version, build_data(snapshot, past))
                self._memo = memo
            return memo[1]


def install(server: flask.Flask, source: DataSource) -> None:
    """Make ``source`` the data of this Flask app (read back with :func:`current`)."""
    server.extensions[EXTENSION_KEY] = source


def current() -> DashboardData:
    """The data of the app handling the current request."""
    source: DataSource = flask.current_app.extensions[EXTENSION_KEY]
    return source.get()
