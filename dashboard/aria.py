"""ARIA attributes for Dash components, typed.

Dash takes ``aria-*`` props only spread from a dict (a hyphen is no keyword), and a
``dict[str, str]`` spread that way is checked against every keyword of the component.
``html.Section(children, **aria(labelledby="method"))`` says the same, once, in a form mypy
accepts.
"""

from __future__ import annotations

from typing import Any


def aria(**attributes: str) -> dict[str, Any]:
    """``aria(labelledby="x", current="page")`` → ``{"aria-labelledby": "x", "aria-current": "page"}``."""
    return {f"aria-{name.replace('_', '-')}": value for name, value in attributes.items()}
