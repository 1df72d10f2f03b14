"""Who may write, or read restricted graphs: the bearer token the operator configured,
compared in constant time."""

from __future__ import annotations

import hashlib
import hmac

from flask import request

from l4a_graph.web.errors import ForbiddenError, UnauthorizedError
from l4a_graph.web.state import web

__all__ = ["require_token"]


def require_token(what: str = "write") -> None:
    """Return if this request carries the operator's token; raise otherwise.

    ``what`` names the action in the error messages ("write", "read of a restricted
    graph").

    Both sides are hashed first, so the comparison takes the same time whatever the
    length and content of the token sent. The token is never logged or echoed.

    Raises
    ------
    ForbiddenError
        If no token is configured (writes are off) or the token sent is wrong.
    UnauthorizedError
        If the request has no ``Authorization: Bearer`` header.
    """
    expected = web().write_token
    if not expected:
        raise ForbiddenError(
            f"this {what} is disabled: the server is read-only or the operator has "
            "configured no token (L4A_WRITE_TOKEN or L4A_WRITE_TOKEN_FILE)"
        )
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise UnauthorizedError(f"this {what} needs the token: Authorization: Bearer TOKEN")
    digest = hashlib.sha256(given.strip().encode()).digest()
    if not hmac.compare_digest(digest, hashlib.sha256(expected.encode()).digest()):
        raise ForbiddenError(f"the bearer token is not valid for this {what}")
