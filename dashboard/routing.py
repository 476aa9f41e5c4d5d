"""Which page or route a path is: one lookup, derived from what the app has registered.

The paths that exist are the pages registered with Dash Pages (each page's ``path`` or
``path_template``) and the Flask server's own routes (embeds, downloads, ``/healthz``);
nothing here keeps a list of its own. :mod:`dashboard.urls` builds the links.

A path variable says what its value names: ``<goal_id>``, ``<subgoal_id>``, ``<indicator_id>``.
:data:`ID_KINDS` says once per kind how such an id is checked against the catalogue, so a new
page or route with ``<indicator_id>`` in its path answers 404 for an unknown id, with
suggestions, without further wiring (``tests/dashboard/test_http.py`` walks every page and
route to hold that).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import dash
import flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map

from dashboard import urls
from dashboard.i18n import DEFAULT_LANG
from indicators.plan.catalog import Catalog

# Dash's router shows the page whose module name ends so for paths no page serves; it is the
# not-found content, not a path of its own.
NOT_FOUND_MODULE = "not_found_404"
# Dash's catch-all Flask rule for its HTML shell (``<prefix><path:path>``); a path that only it
# matches is no page.
DASH_SHELL_ARGUMENT = "<path:path>"
_VARIABLE = re.compile(r"<([^<>]+)>")


@dataclass(frozen=True)
class IdKind:
    """What a path variable names, and how its ids are checked against the catalogue."""

    name: str  # "goal" | "subgoal" | "indicator": what a 404 page says is missing
    ids: Callable[[Catalog], Iterable[str]]  # every id that exists
    page: Callable[[str], str]  # the path of that thing's own page, for "did you mean"

    def known(self, catalog: Catalog, value: str) -> bool:
        return value in set(self.ids(catalog))


ID_KINDS: Mapping[str, IdKind] = MappingProxyType(
    {
        "goal_id": IdKind(
            "goal", lambda catalog: [g.id for g in catalog.goals], lambda i: urls.goal(i, DEFAULT_LANG)
        ),
        "subgoal_id": IdKind(
            "subgoal",
            lambda catalog: [s.id for s in catalog.subgoals()],
            lambda i: urls.subgoal(i, DEFAULT_LANG),
        ),
        "indicator_id": IdKind(
            "indicator", lambda catalog: list(catalog.indicators), lambda i: urls.indicator(i, DEFAULT_LANG)
        ),
    }
)


@dataclass(frozen=True)
class Route:
    """A path the app serves: the pattern it matched and the values of the pattern's variables.

    ``page`` is the Dash Pages entry (its ``layout``, ``title``, ``module``) for a Dash page,
    ``None`` for a Flask route. Ids are not checked when resolving: see :meth:`unknown_id`.
    """

    pattern: str  # "/mal/<goal_id>", "/data/<indicator_id>.csv", "/om"
    variables: Mapping[str, str] = field(default_factory=dict)
    page: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def unknown_id(self, catalog: Catalog) -> tuple[IdKind, str] | None:
        """The first id in the path that the catalogue does not know, with its kind."""
        for name, value in self.variables.items():
            kind = ID_KINDS.get(name)
            if kind is not None and not kind.known(catalog, value):
                return kind, value
        return None


def resolve(path: str, url_map: Map | None = None) -> Route | None:
    """The page or route serving ``path``; ``None`` when nothing does.

    Dash pages first, tried as Dash's router tries them, then the routes of ``url_map``
    (default: the current Flask app's, when there is one) other than Dash's catch-all.
    """
    found = dash_page(path)
    if found is not None:
        return found
    if url_map is None and flask.has_app_context():
        url_map = flask.current_app.url_map
    return flask_route(path, url_map) if url_map is not None else None


def dash_page(path: str) -> Route | None:
    """The Dash page serving ``path`` (from ``dash.page_registry``), if any."""
    stripped = path.strip("/")
    for module, page in dash.page_registry.items():
        if module.split(".")[-1] == NOT_FOUND_MODULE:
            continue
        template = page.get("path_template")
        if template:
            variables = template_variables(str(template), stripped)
            if variables is not None:
                return Route(str(template), variables, page)
        elif stripped == str(page["path"]).strip("/"):
            return Route(str(page["path"]), {}, page)
    return None


def template_variables(template: str, stripped_path: str) -> dict[str, str] | None:
    """The variables of a Dash Pages ``path_template`` in a path (both without outer slashes),
    as Dash reads them: a variable takes any text, slashes too; ``None`` when it does not fit."""
    parts = _VARIABLE.split(template.strip("/"))
    pattern = "".join(f"(?P<{part}>.*)" if i % 2 else re.escape(part) for i, part in enumerate(parts))
    found = re.fullmatch(pattern, stripped_path, flags=re.S)
    return found.groupdict() if found else None


def flask_route(path: str, url_map: Map) -> Route | None:
    """The Flask route serving ``path`` for GET, other than Dash's catch-all for its shell."""
    try:
        rule, values = url_map.bind("").match(path, method="GET", return_rule=True)
    except HTTPException:  # no route, wrong method, or a redirect to the slashed path
        return None
    if rule.rule.endswith(DASH_SHELL_ARGUMENT) and rule.endpoint == rule.rule:
        return None
    return Route(rule.rule, {name: str(value) for name, value in values.items()})
