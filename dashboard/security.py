"""Security headers on every response, and who may put the dashboard in a frame.

``install(app, settings)`` adds, to every response the Flask server sends:

* ``Content-Security-Policy``: scripts, styles, images, fonts and requests from this origin
  only. Every page is written on the server with scripts from files only (Dash's index page,
  with its inline scripts, is never sent), so scripts need no hash: no ``'unsafe-inline'``, no
  ``'unsafe-eval'``, and only what :func:`allow_inline_script` registered. Styles come from
  style sheet files only (``style-src 'self'``): the page writer never writes a ``style``
  attribute, and no Dash component or plotly.js runs in the browser to inject a ``<style>``
  element (the scripts place tooltips through the CSSOM, which the policy does not govern).
* the frame policy: pages under ``/embed/`` may be framed by the sites in the
  ``EMBED_FRAME_ANCESTORS`` setting (default ``*``, any site); every other response says
  ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``, so the dashboard itself cannot be
  framed (click-jacking).
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``, ``Permissions-Policy`` (no camera,
  microphone, location, …), ``Cross-Origin-Opener-Policy`` and, over HTTPS,
  ``Strict-Transport-Security``.

It also turns requests Dash would answer with a crash (HTTP 500) into the client errors they
are: an unknown file under ``/_dash-component-suites/`` is a 404. Dash's renderer endpoints
(``/_dash-layout``, ``/_dash-dependencies``, ``/_dash-update-component``) are 404s: every page
is written whole on the server and no page loads the renderer, so nothing asks for them, and
they would only build layouts for whoever posts to them. Request bodies are bounded
(``MAX_REQUEST_BYTES``, Flask's ``MAX_CONTENT_LENGTH``): a larger one is refused with 413 from
its ``Content-Length``, before any of it is read, on every path.

The ``Host`` header is never trusted for links: absolute addresses (the embed code, canonical
and ``og:url`` links, all publicly cached) come from the ``SITE_URL`` setting, read with
:func:`site_url`; without it they are relative or left out.

The app sets no cookies; should a future feature use Flask's session, its cookie is ``Secure``,
``HttpOnly`` and ``SameSite=Lax``.

Other modules that must write an inline script (prefer a file under ``assets/``) register its
exact text with :func:`allow_inline_script`; JSON data blocks (``<script type="application/json">``)
are not executed and need nothing.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

import dash
import flask
from dash.exceptions import DependencyException
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from indicators.config import Settings
from indicators.errors import ConfigError

EMBED_PREFIX = "/embed/"
logger = logging.getLogger(__name__)
INLINE_KEY = "dashboard_inline_script_hashes"
SITE_URL_KEY = "DASHBOARD_SITE_URL"

REFERRER_POLICY = "strict-origin-when-cross-origin"
# Only features browsers recognise: an unknown name is logged as an error in the console.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
HSTS = "max-age=31536000; includeSubDomains"
RESOURCE_CSP = "default-src 'none'"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_KEYWORDS = {"*", "'self'", "'none'"}
# A scheme ("https:") or a host source with optional scheme, wildcard subdomain, port and path.
_SOURCE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*:"  # a scheme alone, e.g. https:
    r"|(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9.-]+(?::(?:\d+|\*))?(?:/[a-z0-9._~%!$&()*+=:@/-]*)?)$"
)


def parse_frame_ancestors(value: str) -> str:
    """The ``frame-ancestors`` source list of the ``EMBED_FRAME_ANCESTORS`` setting, checked.

    Sources are separated by spaces or commas: ``*``, ``'self'``, ``'none'``, a scheme
    (``https:``) or a host (``https://www.trondheim.kommune.no``, ``https://*.example.no``).
    Anything else (a ``;`` would smuggle in another directive) is a ConfigError.
    """
    sources = [s for s in re.split(r"[\s,]+", value.strip()) if s]
    if not sources:
        raise ConfigError(
            "EMBED_FRAME_ANCESTORS is empty: give the sites that may frame /embed/ pages, "
            "e.g. 'https://www.trondheim.kommune.no', or '*' for any site"
        )
    normalised = []
    for source in sources:
        lowered = source.lower()
        if lowered in {"self", "none"}:
            lowered = f"'{lowered}'"  # a common slip: the quotes are part of the keyword
        if lowered not in _KEYWORDS and not _SOURCE.match(lowered):
            raise ConfigError(
                f"EMBED_FRAME_ANCESTORS: {source!r} is not a CSP source; use '*', \"'self'\", "
                "\"'none'\", a scheme such as 'https:' or an origin such as 'https://www.example.no'"
            )
        normalised.append(lowered)
    if "'none'" in normalised and len(normalised) > 1:
        raise ConfigError("EMBED_FRAME_ANCESTORS: \"'none'\" cannot be combined with other sources")
    return " ".join(dict.fromkeys(normalised))


def script_hash(source: str) -> str:
    """The CSP source that allows one inline script (or style) with exactly this text."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script_hashes: Iterable[str], frame_ancestors: str) -> str:
    """The CSP header value: everything from this origin, inline scripts only as listed."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *dict.fromkeys(script_hashes)]),
        "style-src": "'self'",
        # data: for the small charts and sparklines, SVG pictures written into the page.
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


@dataclass(frozen=True)
class Policy:
    """The security headers of one app: its registered inline scripts and the frame rule."""

    app: dash.Dash
    embed_frame_ancestors: str

    def script_hashes(self) -> list[str]:
        # Not Dash's own (Dash.csp_hashes): its index page and its inline scripts are never sent.
        return list(self.app.server.extensions.get(INLINE_KEY, ()))

    def headers(self, path: str, *, html: bool, secure: bool) -> dict[str, str]:
        """The security headers of a response to ``path`` (``html``: is it a web page?)."""
        framable = path.startswith(EMBED_PREFIX)
        ancestors = self.embed_frame_ancestors if framable else "'none'"
        if html:
            csp = content_security_policy(self.script_hashes(), ancestors)
        else:
            # A script, style sheet, image or JSON is not a page: the policy only has to stop it
            # from acting as one when opened directly (an SVG with a script, say).
            csp = f"{RESOURCE_CSP}; frame-ancestors {ancestors}"
        headers = {
            "Content-Security-Policy": csp,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": REFERRER_POLICY,
            "Permissions-Policy": PERMISSIONS_POLICY,
        }
        if not framable:
            headers["X-Frame-Options"] = "DENY"
            # Cut the link to a window that opened us; an embed keeps it (its host page).
            headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if secure:
            headers["Strict-Transport-Security"] = HSTS
        return headers


def install(app: dash.Dash, settings: Settings) -> None:
    """Add the security headers to every response of ``app``'s server (see the module docstring).

    Raises ConfigError when ``EMBED_FRAME_ANCESTORS`` is not a valid source list.
    """
    server = app.server
    policy = Policy(app, parse_frame_ancestors(settings.embed_frame_ancestors))
    # No feature uses Flask's session; should one, its cookie must not travel unprotected.
    server.config.update(
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # The app takes no uploads and no request bodies at all (no page posts anything).
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
    )
    server.config[SITE_URL_KEY] = settings.site_url
    if not settings.site_url:
        logger.warning(
            "SITE_URL is not set: the embed code's address is relative and embeds carry no "
            "canonical or og:url link; set it to the dashboard's public address"
        )

    _install_guards(app)

    @server.after_request
    def add_security_headers(response: flask.Response) -> flask.Response:
        html = response.mimetype in HTML_TYPES
        for name, value in policy.headers(
            flask.request.path, html=html, secure=flask.request.is_secure
        ).items():
            response.headers[name] = value
        return response


def site_url() -> str:
    """The dashboard's public address from the ``SITE_URL`` setting, without a trailing slash
    (``""`` when unset or outside an app): what absolute links start with, never the request's
    ``Host`` header, which any client can set and which would end up in cached pages."""
    if not flask.has_app_context():
        return ""
    return str(flask.current_app.config.get(SITE_URL_KEY) or "")


def allow_inline_script(server: flask.Flask, source: str) -> None:
    """Allow one inline ``<script>`` with exactly this text (call once, at app creation).

    For a module that cannot load its script from ``assets/``; the text must match byte for
    byte what the page contains between ``<script>`` and ``</script>``.
    """
    hashes: list[str] = server.extensions.setdefault(INLINE_KEY, [])
    digest = script_hash(source)
    if digest not in hashes:
        hashes.append(digest)


# --- requests Dash would crash on ----------------------------------------------------------

# Dash's renderer's own endpoints. Dash registers them with every app; no page asks for them
# since every page is written whole on the server (no dash-renderer, no callbacks of ours).
RENDERER_ENDPOINTS = ("_dash-layout", "_dash-dependencies", "_dash-update-component")


def _install_guards(app: dash.Dash) -> None:
    server = app.server
    renderer_paths = {f"{app.config.routes_pathname_prefix}{name}" for name in RENDERER_ENDPOINTS}

    @server.before_request
    def refuse_large_bodies_and_renderer_endpoints() -> None:
        limit = server.config.get("MAX_CONTENT_LENGTH")
        length = flask.request.content_length
        if limit is not None and length is not None and length > limit:
            raise RequestEntityTooLarge()  # from the header alone, whatever the path
        if flask.request.path in renderer_paths:
            raise NotFound()

    @server.errorhandler(DependencyException)
    def unknown_component_file(_error: DependencyException) -> flask.Response:
        # Dash raises this for a file it does not serve; its message lists the server's packages.
        return server.handle_http_exception(NotFound())
