"""Markdown (definitions, the method text) rendered safely into Dash components.

markdown-it-py parses with raw HTML switched off, so ``<script>`` in a definition shows as
text; the syntax tree is then turned into Dash components — never into an HTML string that
the browser would parse. markdown-it's own link validation drops ``javascript:`` links.
"""

from __future__ import annotations

from typing import Any

from dash import html
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from dashboard.aria import aria

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")

_BLOCK_TAGS: dict[str, Any] = {
    "p": html.P,
    "blockquote": html.Blockquote,
    "ul": html.Ul,
    "ol": html.Ol,
    "li": html.Li,
    "table": html.Table,
    "thead": html.Thead,
    "tbody": html.Tbody,
    "tr": html.Tr,
    "th": html.Th,
    "td": html.Td,
    "em": html.Em,
    "strong": html.Strong,
    "s": html.S,
}
_HEADINGS = (html.H1, html.H2, html.H3, html.H4, html.H5, html.H6)


def render_markdown(
    text: str, *, top_level: int = 1, regions: str | None = None, label: str | None = None
) -> list[Any]:
    """Dash components for Markdown ``text``, its highest heading shown at ``top_level``.

    This keeps the page's heading outline intact: under the page's ``h2`` a definition's
    ``## Avgrensning`` becomes an ``h3``, whatever level its author started at.

    With ``regions`` (an id prefix, unique on the page) tables and code blocks scroll in a
    labelled, focusable box (:func:`_scroll_regions`); ``label`` is the id of the heading that
    names those before the text's first heading.
    """
    tree = SyntaxTreeNode(_PARSER.parse(text or ""))
    levels = [int(node.tag[1]) for node in tree.walk() if node.type == "heading"]
    shift = top_level - min(levels) if levels else 0
    out = [_node(child, shift) for child in tree.children]
    return out if regions is None else _scroll_regions(out, regions, label)


def _scroll_regions(blocks: list[Any], prefix: str, label: str | None) -> list[Any]:
    """Top-level tables and code blocks (formulas) wrapped in a box that scrolls sideways on its
    own, focusable and named by the nearest heading above it (``aria-labelledby``; the headings
    get ids ``<prefix>-<n>``), so a keyboard can scroll it and nothing widens the page. A table's
    name adds its header row, so a formula and a table under one heading have different names."""
    out: list[Any] = []
    heading = label
    for number, block in enumerate(blocks, start=1):
        component: Any = block  # Dash components take an id after they are made
        if isinstance(block, _HEADINGS):
            component.id = heading = f"{prefix}-{number}"
        elif isinstance(block, html.Table | html.Pre):
            props: dict[str, Any] = {"className": "scroll-block", "tabIndex": "0"}
            names = [heading] if heading is not None else []
            head = component.children[0] if isinstance(block, html.Table) and component.children else None
            if isinstance(head, html.Thead) and head.children:
                row: Any = head.children[0]
                row.id = f"{prefix}-{number}-head"
                names.append(row.id)
            if names:
                props.update(role="region", **aria(labelledby=" ".join(names)))
            block = html.Div(block, **props)
        out.append(block)
    return out


def first_heading(text: str) -> str | None:
    """The text of the document's first block when it is a level-1 heading, else ``None``."""
    tree = SyntaxTreeNode(_PARSER.parse(text or ""))
    if tree.children and tree.children[0].type == "heading" and tree.children[0].tag == "h1":
        return _plain(tree.children[0])
    return None


def without_first_heading(text: str) -> str:
    """``text`` minus a leading level-1 heading (the page shows it as its own ``h1``)."""
    tokens = _PARSER.parse(text or "")
    if tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1" and tokens[0].map:
        end = tokens[0].map[1]
        return "\n".join((text or "").splitlines()[end:])
    return text


def _plain(node: SyntaxTreeNode) -> str:
    if node.type in {"text", "code_inline"}:
        return node.content
    if node.type in {"softbreak", "hardbreak"}:
        return " "
    return "".join(_plain(child) for child in node.children)


def _children(node: SyntaxTreeNode, shift: int) -> list[Any]:
    out: list[Any] = []
    for child in node.children:
        # An inline node only groups its children; flatten it so text stays plain strings.
        if child.type == "inline" or (child.type == "paragraph" and child.hidden):
            out.extend(_children(child, shift))
        else:
            out.append(_node(child, shift))
    return out


def _node(node: SyntaxTreeNode, shift: int) -> Any:
    kind = node.type
    if kind == "text":
        return node.content
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return html.Br()
    if kind == "code_inline":
        return html.Code(node.content)
    if kind in {"fence", "code_block"}:
        return html.Pre(html.Code(node.content))
    if kind == "hr":
        return html.Hr()
    if kind == "heading":
        level = max(1, min(int(node.tag[1]) + shift, 6))
        return _HEADINGS[level - 1](_children(node, shift))
    if kind == "link":
        return html.A(_children(node, shift), href=str(node.attrs.get("href", "")))
    if kind == "image":
        # Images in definitions would load from anywhere; show the alt text with a link instead.
        return html.A(_plain(node) or str(node.attrs.get("src", "")), href=str(node.attrs.get("src", "")))
    if kind in {"th", "td"}:
        style = node.attrs.get("style")
        align = str(style).removeprefix("text-align:") if style else None
        props: dict[str, Any] = {"style": {"textAlign": align}} if align else {}
        if kind == "th":
            props["scope"] = "col"
        return _BLOCK_TAGS[node.tag](_children(node, shift), **props)
    if kind == "ordered_list":
        start = node.attrs.get("start")
        return html.Ol(_children(node, shift), start=str(int(start)) if start else None)
    component = _BLOCK_TAGS.get(node.tag)
    if component is None:
        # Unknown node kinds (none in CommonMark + tables) degrade to their text.
        return html.Span(_plain(node))
    return component(_children(node, shift))
