"""Who may review, and proof that a form was sent from our own page.

The Secretariat signs in with the operator's write token, either on each request
(``Authorization: Bearer TOKEN``, for scripts) or once, on the login form, which keeps
the reviewer's name in the signed session cookie. Without a configured token, nobody
can review: there are no open writes.

Every state-changing form carries a CSRF token bound to the session
(:func:`csrf_token`, :func:`csrf_ok`); requests authenticated by the bearer header
need none, since a browser never adds that header on its own. The session cookie is
``HttpOnly`` and ``SameSite=Lax``; its signing key is derived from the write token, so
changing the token signs everybody out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

from flask import Flask, request, session

from l4a_graph.web.auth import require_token
from l4a_graph.web.state import web

__all__ = [
    "CSRF_FIELD",
    "bearer_present",
    "csrf_ok",
    "csrf_token",
    "init_app",
    "reviewer",
    "sign_in",
    "sign_out",
    "token_matches",
]

CSRF_FIELD: Final = "csrf_token"
_CSRF_KEY: Final = "ws_csrf"
_REVIEWER_KEY: Final = "ws_reviewer"
MAX_NAME: Final = 120


def init_app(app: Flask, write_token: str) -> None:
    """Give ``app`` a session signing key and safe session cookie settings."""
    if not app.secret_key:
        app.secret_key = (
            hashlib.sha256(b"l4a-workspace-session\0" + write_token.encode()).digest()
            if write_token
            else secrets.token_bytes(32)
        )
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get(_CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[_CSRF_KEY] = token
    return token


def csrf_ok() -> bool:
    """Whether this POST carries the session's CSRF token (or the bearer token)."""
    if bearer_present():
        return True
    sent = request.form.get(CSRF_FIELD, "")
    expected = session.get(_CSRF_KEY)
    return (
        isinstance(expected, str)
        and bool(expected)
        and hmac.compare_digest(sent.encode(), expected.encode())
    )


def bearer_present() -> bool:
    """Whether the request carries a valid ``Authorization: Bearer`` write token.

    A wrong or missing token raises (401 or 403) when the header is there at all.
    """
    if not request.headers.get("Authorization"):
        return False
    require_token()
    return True


def token_matches(given: str) -> bool:
    """Whether ``given`` is the write token (constant time; False when none is set)."""
    expected = web().write_token
    if not expected or not given:
        return False
    digest = hashlib.sha256(given.strip().encode()).digest()
    return hmac.compare_digest(digest, hashlib.sha256(expected.encode()).digest())


def sign_in(name: str) -> None:
    """Remember the reviewer ``name`` in the session (a fresh CSRF token too)."""
    session.clear()
    session[_REVIEWER_KEY] = name.strip()[:MAX_NAME]
    session.permanent = False
    csrf_token()


def sign_out() -> None:
    """Forget the reviewer."""
    session.pop(_REVIEWER_KEY, None)


def reviewer() -> str | None:
    """The reviewer of this request: from the session, or the bearer token's holder.

    With the bearer header, the name is the ``reviewer`` form field or the
    ``L4A-Reviewer`` header, else "Secretariat (token)". None: not signed in.
    """
    if bearer_present():  # raises 403 when the server has no token
        name = request.form.get("reviewer") or request.headers.get("L4A-Reviewer") or ""
        return name.strip()[:MAX_NAME] or "Secretariat (token)"
    remembered = session.get(_REVIEWER_KEY)
    if not web().write_token:  # writes were turned off since the sign-in
        return None
    return remembered if isinstance(remembered, str) and remembered else None
