"""Cross-origin reads: CORS headers on the views marked readable, never on writes.

A view opts in with :func:`cross_origin`, naming the methods other origins may use;
preflight requests (OPTIONS) get exactly those, so a browser on another origin can
query but never write (writes also need an ``Authorization`` header, not allowed here).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

from flask import Flask, Response, current_app, request

__all__ = ["cross_origin", "init_app"]

ALLOWED_HEADERS: Final = "Accept, Accept-Language, Content-Type"
EXPOSED_HEADERS: Final = "L4A-Truncated, L4A-Result-Limit, Retry-After, Link"
MAX_AGE: Final = "86400"
_ATTRIBUTE: Final = "cors_methods"

F = TypeVar("F", bound=Callable[..., object])


def cross_origin(*methods: str) -> Callable[[F], F]:
    """Mark a view as readable from other origins with ``methods`` (OPTIONS is implied)."""

    def mark(view: F) -> F:
        setattr(view, _ATTRIBUTE, frozenset(m.upper() for m in methods))
        return view

    return mark


def init_app(app: Flask, origins: tuple[str, ...]) -> None:
    """Add CORS headers to the answers of marked views, for ``origins`` (``*`` for any)."""

    @app.after_request
    def add_headers(response: Response) -> Response:
        view = current_app.view_functions.get(request.endpoint or "")
        methods: frozenset[str] = getattr(view, _ATTRIBUTE, frozenset())
        origin = request.headers.get("Origin")
        if not methods or (request.method not in methods and request.method != "OPTIONS"):
            return response
        if "*" in origins:
            response.headers["Access-Control-Allow-Origin"] = "*"
        elif origin in origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.vary.add("Origin")
        else:
            return response
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = ", ".join(sorted(methods))
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response.headers["Access-Control-Max-Age"] = MAX_AGE
        else:
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
