"""HTTP-aware errors and the handlers that turn every failure into a short answer.

Views raise these (or any :class:`~l4a_graph.errors.L4AError`, whose ``http_status`` is
used); werkzeug's own HTTP exceptions (404 for unknown routes, 413, 429 from the rate
limiter) get the same treatment. Anything else is a bug: it is logged with its traceback
under an incident id, and the client gets a 500 that names only the id. No traceback
ever reaches a client.
"""

from __future__ import annotations

import json
import logging
import unicodedata
import uuid
from collections.abc import Mapping
from http import HTTPStatus
from typing import Final

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from l4a_graph.errors import L4AError

__all__ = [
    "BadRequestError",
    "ForbiddenError",
    "MethodNotAllowedError",
    "NotAcceptableError",
    "OverloadedError",
    "PayloadTooLargeError",
    "QueryTimeoutError",
    "UnauthorizedError",
    "UnsupportedMediaTypeError",
    "WebError",
    "WorkerFailedError",
    "init_app",
    "problem",
]

log = logging.getLogger(__name__)

PROBLEM_JSON: Final = "application/problem+json"
_INVISIBLE: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Unicode categories escaped in plain-text errors: controls, format characters, lines."""


class WebError(L4AError):
    """An error with an HTTP status and, optionally, headers to send with it."""

    http_status = 500

    def __init__(
        self, message: str, *, status: int | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        if status is not None:
            self.http_status = status
        self.headers = dict(headers or {})


class BadRequestError(WebError):
    """The request is malformed or asks for something this server refuses to do."""

    http_status = 400


class UnauthorizedError(WebError):
    """A write came without a bearer token."""

    http_status = 401

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": 'Bearer realm="l4a-graph"'})


class ForbiddenError(WebError):
    """A write came with a wrong token, or writes are disabled."""

    http_status = 403


class MethodNotAllowedError(WebError):
    """The method is not offered here (e.g. a write on a read-only server)."""

    http_status = 405

    def __init__(self, message: str, allow: str) -> None:
        super().__init__(message, headers={"Allow": allow})


class NotAcceptableError(WebError):
    """No representation matches the client's Accept header or ``format`` parameter."""

    http_status = 406


class PayloadTooLargeError(WebError):
    """The request body or query text is over the configured limit."""

    http_status = 413


class UnsupportedMediaTypeError(WebError):
    """The request body is in a media type this endpoint does not read."""

    http_status = 415


class OverloadedError(WebError):
    """Every query worker stayed busy for the whole queue timeout."""

    http_status = 503

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})


class WorkerFailedError(WebError):
    """A query worker died while running a query (e.g. killed for lack of memory)."""

    http_status = 503


class QueryTimeoutError(WebError):
    """A query ran over the time limit; its worker was killed."""

    http_status = 504


def problem(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """An error answer: RFC 9457 problem JSON if the client prefers JSON, else plain text."""
    title = _phrase(status)
    wanted = request.accept_mimetypes.best_match(["text/plain", PROBLEM_JSON, "application/json"])
    if wanted in (PROBLEM_JSON, "application/json"):
        body = json.dumps({"title": title, "status": status, "detail": message})
        response = Response(body, status, mimetype=PROBLEM_JSON)
    else:
        # One line, whatever the message quotes (a parser may quote a line break).
        line = "".join(
            ascii(c)[1:-1] if unicodedata.category(c) in _INVISIBLE else c for c in message
        )
        response = Response(f"{status} {title}: {line}\n", status, mimetype="text/plain")
    response.headers.update(headers or {})
    return response


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _l4a_error(error: L4AError) -> Response:
    headers = error.headers if isinstance(error, WebError) else None
    return problem(error.http_status, str(error), headers)


def _http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k.lower() not in ("content-type",)}
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        message = f"the request body is larger than the {limit} bytes this server accepts"
    elif status == 429:
        message = f"too many requests from your address (limit: {error.description}); slow down"
    else:
        message = error.description or _phrase(status)
    return problem(status, message, headers)


def _unexpected(error: Exception) -> Response:
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s: %s %s", incident, request.method, request.path, exc_info=error)
    return problem(500, f"internal error (incident {incident}); the operator can look it up")


def init_app(app: Flask) -> None:
    """Register the error handlers on ``app``."""
    app.register_error_handler(L4AError, _l4a_error)
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(Exception, _unexpected)
