"""The dashboard's pages (DESIGN §9), registered with Dash Pages by :func:`register_all`.

Each page module has a plain ``build(...)`` function (tested without a browser) and a thin
``layout(**kwargs)`` that Dash calls with the path variables and the query string.
"""

from __future__ import annotations

from dashboard.pages import about, goal, indicator, method, not_found, overview, subgoal

PAGE_MODULES = (overview, goal, subgoal, indicator, method, about, not_found)


def register_all() -> None:
    """Register every page with Dash Pages (call after the Dash app exists)."""
    for module in PAGE_MODULES:
        module.register()
