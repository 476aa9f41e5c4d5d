"""Reading Dash component trees in tests: the text a reader sees, and components by kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from dash.development.base_component import Component
from markupsafe import Markup


def walk(node: Any) -> Iterator[Any]:
    """Every component and string in the tree, depth first."""
    yield node
    if isinstance(node, Component):
        children = getattr(node, "children", None)
        if children is not None:
            yield from walk(children)
    elif isinstance(node, list | tuple):
        for child in node:
            yield from walk(child)


def text(node: Any) -> str:
    """The visible text of a tree, pieces joined by spaces (NBSPs kept as they are); the server's
    drawings (:class:`markupsafe.Markup`, the charts' SVG) are pictures, not text."""
    parts = [
        str(n) for n in walk(node) if isinstance(n, str | int | float) and not isinstance(n, bool | Markup)
    ]
    return " ".join(" ".join(parts).split(" "))


def find_all(node: Any, kind: str | None = None, where: Callable[[Any], bool] | None = None) -> list[Any]:
    """Components of type name ``kind`` (e.g. "A", "Graph") that satisfy ``where``."""
    found = []
    for n in walk(node):
        if not isinstance(n, Component):
            continue
        if kind is not None and type(n).__name__ != kind:
            continue
        if where is not None and not where(n):
            continue
        found.append(n)
    return found


def hrefs(node: Any) -> list[str]:
    return [a.href for a in find_all(node, "A") if getattr(a, "href", None)]


def prop(node: Any, name: str) -> Any:
    """A component's property, or ``None`` when it was not set (Dash raises instead)."""
    return getattr(node, name, None)
