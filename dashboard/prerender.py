"""Dash component trees as HTML: every page arrives ready to read, before any script runs.

A Dash page is drawn in the browser: scripts, then the layout, then the page's callback, then
plotly.js — about a second and a half on a cold visit, with a blank page meanwhile. The server
already builds the very component tree Dash will draw, so it also writes that tree as HTML
into the index page (``#prerendered``). The reader sees the page at first paint, readers
without JavaScript get the whole page, and when Dash has drawn the same page (hidden until
then) ``assets/prerender.js`` removes the server's copy so ids stay unique.

Rules: text and attributes are escaped; ``style`` props are dropped (the Content-Security-Policy
forbids inline styles, so pages style through classes); ``dcc.Graph`` becomes the same chart as
a server-drawn SVG (:mod:`dashboard.static_chart`); ``dcc.Store`` is data, not markup. A
component this module does not know is an error in tests (``strict``) and left out, with a
warning in the log, when serving.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html import escape
from typing import Any

from dash.development.base_component import Component

from dashboard import figures, static_chart

log = logging.getLogger(__name__)

WRAPPER_ID = "prerendered"
# HTML elements without an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Props that are Dash's bookkeeping, not attributes.
SKIPPED_PROPS = {
    "children",
    "n_clicks",
    "n_clicks_timestamp",
    "disable_n_clicks",
    "key",
    "loading_state",
    "setProps",
}
RENAMED_PROPS = {"className": "class", "htmlFor": "for"}
BOOLEAN_PROPS = {
    "hidden", "open", "disabled", "readonly", "required", "checked", "selected", "multiple",
    "autofocus", "novalidate", "controls", "loop", "muted", "defer", "async", "allowfullscreen",
}  # fmt: skip
# The server cannot know the chart's box, so it draws the chart for a few widths and the style
# sheet shows the one for the screen (`.static-graph__variant--<width>`): text keeps about its
# size, the box keeps Plotly's height, and nothing moves when Plotly's drawing replaces it.
GRAPH_WIDTHS = (340, 490, 720, 1120)
_SAFE_ATTRIBUTE = re.compile(r"^[A-Za-z][A-Za-z0-9_:.-]*$")
# Addresses that could run code when followed; Dash refuses them in links too. Browsers ignore
# control characters and spaces inside a scheme, so those are removed before comparing.
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")


def _safe_url(attribute: str, value: str) -> bool:
    """Whether ``value`` may stand in ``attribute``: no script addresses; ``data:`` only for
    pictures (the small charts are SVG data addresses)."""
    compact = _IGNORED_IN_SCHEME.sub("", value)
    if compact.lower().startswith("data:image/") and attribute == "src":
        return True
    return not _UNSAFE_SCHEME.match(compact)


class PrerenderError(Exception):
    """A component the prerenderer cannot write as HTML (raised only in strict mode)."""


def page_html(layout: Any, *, strict: bool = False) -> str:
    """The page's component tree as HTML, wrapped in ``<div id="prerendered">``."""
    body = "".join(_html(layout, strict))
    return f'<div id="{WRAPPER_ID}" class="prerendered">{body}</div>'


def to_html(node: Any, *, strict: bool = False) -> str:
    """One component (or string, number, list) as HTML."""
    return "".join(_html(node, strict))


def _html(node: Any, strict: bool) -> Iterator[str]:
    if node is None or isinstance(node, bool):
        return
    if isinstance(node, str | int | float):
        yield escape(str(node), quote=False)
        return
    if isinstance(node, list | tuple):
        for child in node:
            yield from _html(child, strict)
        return
    if not isinstance(node, Component):
        raise PrerenderError(f"cannot write {type(node).__name__} as HTML: {node!r:.80}")
    namespace, kind = node._namespace, node._type
    if namespace == "dash_html_components":
        yield from _element(kind.lower(), node, strict)
    elif namespace == "dash_core_components" and kind in _CORE:
        yield from _CORE[kind](node, strict)
    elif strict:
        raise PrerenderError(f"no HTML for {namespace}.{kind} (id {getattr(node, 'id', None)!r})")
    else:
        log.warning("prerender: %s.%s left out of the server's copy of the page", namespace, kind)


def _element(tag: str, node: Component, strict: bool) -> Iterator[str]:
    props = node.to_plotly_json()["props"]
    yield f"<{tag}{_attributes(props)}>"
    if tag in VOID:
        return
    yield from _html(props.get("children"), strict)
    yield f"</{tag}>"


def _attributes(props: dict[str, Any]) -> str:
    parts = []
    for name, value in props.items():
        if name in SKIPPED_PROPS or value is None or name == "style":
            continue
        attribute = name if name.startswith(("aria-", "data-")) else RENAMED_PROPS.get(name, name.lower())
        if not _SAFE_ATTRIBUTE.match(attribute):
            continue  # no attribute name from data can break out of the tag
        if attribute in BOOLEAN_PROPS or isinstance(value, bool):
            if value is True or (attribute in BOOLEAN_PROPS and value not in (False, "false")):
                parts.append(f" {attribute}")
            elif attribute.startswith("aria-"):
                parts.append(f' {attribute}="false"')
            continue
        if attribute in URL_ATTRIBUTES and not _safe_url(attribute, str(value)):
            log.warning("prerender: %s=%r left out (not a web address)", attribute, str(value)[:80])
            continue
        parts.append(f' {attribute}="{escape(str(value), quote=True)}"')
    return "".join(parts)


# --- dash core components --------------------------------------------------------------------


def _graph(node: Component, strict: bool) -> Iterator[str]:
    figure = node.to_plotly_json()["props"].get("figure") or {}
    height = int((figure.get("layout") or {}).get("height") or figures.FULL_HEIGHT)
    classes = " ".join(filter(None, ["dash-graph", getattr(node, "className", None), "static-graph"]))
    graph_id = getattr(node, "id", None)
    id_attribute = f' id="{escape(str(graph_id), quote=True)}"' if graph_id else ""
    yield f'<div{id_attribute} class="{escape(classes, quote=True)}">'
    # The box around the chart carries its name (role="img", aria-label); the drawings are
    # hidden from screen readers so that it is not read four times.
    yield static_chart.svg_variants(figure, GRAPH_WIDTHS, height=height, css_class="static-graph__variant")
    yield "</div>"


def _textarea(node: Component, strict: bool) -> Iterator[str]:
    props = dict(node.to_plotly_json()["props"])
    value = props.pop("value", "") or ""
    yield f"<textarea{_attributes(props)}>{escape(str(value), quote=False)}</textarea>"


def _link(node: Component, strict: bool) -> Iterator[str]:
    props = dict(node.to_plotly_json()["props"])
    props.pop("refresh", None)  # Dash's client-side routing switch, not an attribute
    yield f"<a{_attributes(props)}>"
    yield from _html(props.get("children"), strict)
    yield "</a>"


def _nothing(node: Component, strict: bool) -> Iterator[str]:
    return iter(())


_CORE = {
    "Graph": _graph,
    "Textarea": _textarea,
    "Link": _link,
    "Store": _nothing,
    "Location": _nothing,
}
