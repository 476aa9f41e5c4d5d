"""The document around every page the server writes itself: the one place for ``<html lang>``,
``<title>``, meta tags, the style sheet and scripts.

Used by Dash's index page (:class:`dashboard.app.DashboardDash`), the embed page
(:mod:`dashboard.embed_html`), the 404 and 503 pages (:mod:`dashboard.notfound`), the 500 page
(:mod:`dashboard.observability`) and the static export (:mod:`dashboard.export`); the body is
a Dash component tree from :mod:`dashboard.components`, and :mod:`dashboard.prerender` writes
the whole document (escaping happens there only).

Content-Security-Policy: these documents carry no inline script or style of their own, so the
policy that :mod:`dashboard.security` sends needs no hash or nonce for them; the writer refuses
an inline script, and ``style`` props are never written. Scripts come from files (``defer``),
data in ``<script type="application/json">`` blocks. The one exception is Dash's index page:
Dash writes its scripts (clientside callbacks, the renderer's start-up line) itself, they
reach the document as :class:`markupsafe.Markup`, unchanged, and the policy allows them by the
hashes Dash computes of exactly those texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import html

from dashboard import prerender
from dashboard.i18n import HTML_LANG, Lang, t
from dashboard.prerender import Element

OG_LOCALE: dict[Lang, str] = {"no": "nb_NO", "en": "en_GB", "nn": "nn_NO"}


@dataclass(frozen=True)
class Head:
    """What a document says about itself.

    ``title`` is the page's own title; with ``site`` the tab reads ``title – site``.
    ``preview_title`` (link previews: Open Graph and Twitter) adds those tags, with
    ``description``; ``page_url`` (``og:url``) and ``canonical_url`` are absolute or empty.
    ``marks`` are ``data-`` attributes of ``<html>`` (``{"static-export": "1"}``). ``extra`` is
    further head content, after the tags above: elements, or :class:`markupsafe.Markup` that
    another writer made (Dash's style sheet links on its index page).
    """

    lang: Lang
    title: str
    site: str = ""
    description: str = ""
    preview_title: str = ""
    page_url: str = ""
    canonical_url: str = ""
    image_url: str = ""  # absolute: the chart's PNG for link previews (og:image, large card)
    stylesheet: str = ""
    scripts: Sequence[str] = ()
    marks: tuple[tuple[str, str], ...] = ()
    extra: Sequence[Any] = ()

    @property
    def full_title(self) -> str:
        return t("page_title", self.lang, page=self.title, site=self.site) if self.site else self.title


def html_document(head: Head, body: Any) -> str:
    """The whole HTML document: ``head``'s tags, then ``body`` (a component tree)."""
    attributes: dict[str, str | bool | None] = {"lang": HTML_LANG[head.lang]}
    attributes.update({f"data-{name}": value for name, value in head.marks})
    root = Element("html", attributes, [Element("head", {}, head_tags(head)), Element("body", {}, body)])
    return prerender.document(root, strict=True)


def head_tags(head: Head) -> list[Any]:
    tags: list[Any] = [
        Element("meta", {"charset": "utf-8"}),
        Element("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
        Element("link", {"rel": "icon", "href": prerender.EMPTY_DATA_URL}),  # no favicon request
        html.Title(head.full_title),
    ]
    if head.description:
        tags.append(Element("meta", {"name": "description", "content": head.description}))
    if head.preview_title:
        tags += _preview_tags(head)
    if head.canonical_url:
        tags.append(Element("link", {"rel": "canonical", "href": head.canonical_url}))
    if head.stylesheet:
        tags.append(Element("link", {"rel": "stylesheet", "href": head.stylesheet}))
    tags += [Element("script", {"src": src, "defer": True}) for src in head.scripts]
    tags += head.extra
    return tags


def _preview_tags(head: Head) -> list[Element]:
    """Open Graph and Twitter card tags, for link previews in chats and social media."""
    properties = [
        ("og:type", "website"),
        ("og:title", head.preview_title),
        ("og:description", head.description),
        ("og:site_name", head.site),
        ("og:locale", OG_LOCALE[head.lang]),
    ]
    names = [
        ("twitter:card", "summary_large_image" if head.image_url else "summary"),
        ("twitter:title", head.preview_title),
        ("twitter:description", head.description),
    ]
    tags = [Element("meta", {"property": key, "content": value}) for key, value in properties]
    tags += [Element("meta", {"name": key, "content": value}) for key, value in names]
    if head.page_url:
        tags.append(Element("meta", {"property": "og:url", "content": head.page_url}))
    if head.image_url:
        tags += [
            Element("meta", {"property": "og:image", "content": head.image_url}),
            Element("meta", {"property": "og:image:type", "content": "image/png"}),
            Element("meta", {"property": "og:image:alt", "content": head.preview_title}),
            Element("meta", {"name": "twitter:image", "content": head.image_url}),
        ]
    return tags
