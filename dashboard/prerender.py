"""The one HTML writer: Dash component trees as HTML, and whole documents around them.

Every HTML document the server writes goes through here: the dashboard's pages (every page
registered with Dash Pages is written on the server, :class:`dashboard.app.DashboardDash`), the
embed page, ``/indikatorer``, ``/rapport``, the 404 and 503 pages and the static export (the
document around them comes from :mod:`dashboard.document`). Escaping happens here and nowhere
else. Dash's renderer never draws a page: the browser gets this HTML, a style sheet and two
small script files (hover and keys on the charts, the embed code's copy button).

Rules: text and attributes are escaped; ``style`` props are dropped (the Content-Security-Policy
forbids inline styles, so pages style through classes); charts are the server's SVG drawings
(:mod:`dashboard.static_chart`), passed in as markup; ``dcc.Store`` and ``dcc.Location`` are
not markup. A component this module does not know (``dcc.Graph`` among them: plotly.js is not
loaded) is an error in tests (``strict``) and left out, with a warning in the log, when serving.

Besides Dash components the writer knows two nodes: :class:`Element`, an element Dash has no
component for (``<html>``, ``<head>``, ``<meta property>``), and :class:`markupsafe.Markup`,
markup that the server's own drawers made (the chart SVG of :mod:`dashboard.static_chart`),
written as it is. ``<script>`` holds only JSON data blocks (``type="application/json"``,
written with :func:`script_text`) or nothing: the Content-Security-Policy runs no inline
script, so the writer refuses one.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

from dash.development.base_component import Component
from markupsafe import Markup

log = logging.getLogger(__name__)

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
_SAFE_ATTRIBUTE = re.compile(r"^[A-Za-z][A-Za-z0-9_:.-]*$")
# Addresses that could run code when followed; Dash refuses them in links too. Browsers ignore
# control characters and spaces inside a scheme, so those are removed before comparing.
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")
# The empty data address: a page's "no favicon" link, which saves a request that would 404.
EMPTY_DATA_URL = "data:,"
# Script elements that hold data, not code.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# JSON inside <script> must not close the element or open a comment; U+2028/2029 are escaped
# because older JavaScript parsers read them as line breaks.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _safe_url(attribute: str, value: str) -> bool:
    """Whether ``value`` may stand in ``attribute``: no script addresses; ``data:`` only for
    pictures (the small charts are SVG data addresses)."""
    compact = _IGNORED_IN_SCHEME.sub("", value)
    if compact.lower().startswith("data:image/") and attribute == "src":
        return True
    if compact == EMPTY_DATA_URL:
        return True
    return not _UNSAFE_SCHEME.match(compact)


class PrerenderError(Exception):
    """A component the prerenderer cannot write as HTML (raised only in strict mode), or an
    inline script (raised always)."""


@dataclass(frozen=True)
class Element:
    """An HTML element Dash has no component for: ``<html>``, ``<head>``, ``<meta property>``.

    ``attributes`` are HTML attribute names (``charset``, ``property``) with text values
    (``True`` for a boolean attribute); ``children`` is anything the writer writes.
    """

    tag: str
    attributes: Mapping[str, str | bool | None] = field(default_factory=dict)
    children: Any = None


def script_text(value: Any) -> str:
    """JSON that can sit inside ``<script type="application/json">`` whatever the strings hold."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, allow_nan=False)
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def document(root: Element, *, strict: bool = False) -> str:
    """A whole HTML document: the doctype, then ``root`` (the ``<html>`` element)."""
    return "<!DOCTYPE html>\n" + "".join(_html(root, strict)) + "\n"


def to_html(node: Any, *, strict: bool = False) -> str:
    """One component (or string, number, list) as HTML."""
    return "".join(_html(node, strict))


def _html(node: Any, strict: bool) -> Iterator[str]:
    if node is None or isinstance(node, bool):
        return
    if isinstance(node, Markup):  # the server's own drawing, already markup
        yield str(node)
        return
    if isinstance(node, str | int | float):
        yield escape(str(node), quote=False)
        return
    if isinstance(node, list | tuple):
        for child in node:
            yield from _html(child, strict)
        return
    if isinstance(node, Element):
        yield from _tag(node.tag, dict(node.attributes), node.children, strict)
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
    yield from _tag(tag, props, props.get("children"), strict)


def _tag(tag: str, props: dict[str, Any], children: Any, strict: bool) -> Iterator[str]:
    if tag == "script":
        yield from _script(props, children)
        return
    yield f"<{tag}{_attributes(props)}>"
    if tag in VOID:
        return
    yield from _html(children, strict)
    yield f"</{tag}>"


def _script(props: dict[str, Any], children: Any) -> Iterator[str]:
    """A script from a file (no text), or a JSON data block; never code in the page."""
    kind = str(props.get("type") or "").strip().lower()
    if children not in (None, "") and kind not in DATA_SCRIPT_TYPES:
        raise PrerenderError("no inline scripts: the Content-Security-Policy would refuse them")
    if children is not None and not isinstance(children, str):
        raise PrerenderError("a <script> data block holds text (JSON), not elements")
    yield f"<script{_attributes(props)}>{script_text(children or '')}</script>"


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
    "Textarea": _textarea,
    "Link": _link,
    "Store": _nothing,
    "Location": _nothing,
}
