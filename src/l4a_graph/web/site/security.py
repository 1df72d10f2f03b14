"""Security headers on every HTML answer, under which the vendored scripts still run.

The policy allows only this origin's scripts (no inline script, no eval): page data
reaches the scripts as ``<script type="application/json">`` blocks, which are never run.
Styles allow ``'unsafe-inline'`` because Leaflet and YASGUI position their elements
with style attributes; images allow ``data:`` for their icons. ``tests/test_browser.py``
checks in Chromium that the query editor and the map work under it.
"""

from __future__ import annotations

from typing import Final

from flask import Flask, Response

__all__ = ["CONTENT_SECURITY_POLICY", "init_app"]

CONTENT_SECURITY_POLICY: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def init_app(app: Flask) -> None:
    """Add the headers to HTML answers (and ``nosniff`` to every answer).

    HTML: the policy above, ``Referrer-Policy`` and ``X-Frame-Options: DENY`` (no page is
    framed by another site: clickjacking).
    """

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
            # frame-ancestors 'none' says it to current browsers; this, to older ones.
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response
