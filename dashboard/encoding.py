"""Accept-Encoding as RFC 9110 §12.5.3 reads it, before flask-compress chooses a coding.

flask-compress 1.25 compresses with gzip for ``gzip;q=0`` (a quality of 0 means "not
acceptable", it takes it as the lowest preference) and for ``gzip;q=0, *`` (the wildcard
overrides the refusal). The middleware hands every handler the header with the refused codings
left out, so a client that refuses gzip gets the plain document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import parse_accept_header

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def acceptable(header: str) -> str:
    """``header`` without the codings it refuses (q=0), and without ``*`` when it refuses one."""
    entries = [(value.lower(), quality) for value, quality in parse_accept_header(header)]
    refused = {value for value, quality in entries if quality <= 0}
    kept = [(v, q) for v, q in entries if q > 0 and not (v == "*" and refused)]
    return ", ".join(f"{value};q={quality:g}" for value, quality in kept)


def honour_refused_encodings(wsgi_app: WsgiApp) -> WsgiApp:
    """Wrap ``wsgi_app`` so that it sees only the codings the client accepts."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        header = environ.get("HTTP_ACCEPT_ENCODING")
        if header:
            environ["HTTP_ACCEPT_ENCODING"] = acceptable(header)
        return wsgi_app(environ, start_response)

    return app
