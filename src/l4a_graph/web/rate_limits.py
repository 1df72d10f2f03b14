"""Per-client rate limits (flask-limiter, counted in memory, keyed by client address)."""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

from l4a_graph.errors import InputError

__all__ = ["init_app"]


def init_app(app: Flask, rate_limit: str) -> Limiter:
    """Limit every route of ``app`` to ``rate_limit`` per client (none when empty).

    Raises
    ------
    InputError
        If ``rate_limit`` is not in the ``limits`` notation (``120 per minute``).
    """
    if rate_limit:
        try:
            parse_many(rate_limit)
        except ValueError as error:
            raise InputError(
                f"setting rate_limit: {rate_limit!r} is not a rate such as '120 per minute'"
            ) from error
    return Limiter(
        get_remote_address,
        app=app,
        default_limits=[rate_limit] if rate_limit else [],
        default_limits_exempt_when=lambda: request.method == "OPTIONS",
        storage_uri="memory://",
        headers_enabled=True,
        enabled=bool(rate_limit),
    )
