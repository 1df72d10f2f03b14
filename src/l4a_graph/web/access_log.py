"""The access log: one JSON object per request, written when the answer is sent.

Lines go to the ``l4a_graph.web.access`` logger (``l4a serve`` sends it to stderr or to
the file of the ``access_log`` setting). They hold no request headers, so a bearer
token can never end up in the log. Views add fields (the query, rows, truncation)
with :func:`note`.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Final

from flask import Flask, Response, g, request

__all__ = ["LOGGER", "init_app", "note"]

LOGGER: Final = "l4a_graph.web.access"
QUERY_CHARS: Final = 2000
"""How much of a query the log keeps."""

log = logging.getLogger(LOGGER)


def note(**fields: object) -> None:
    """Add ``fields`` to this request's log line (query text is cut to 2000 characters)."""
    if isinstance(fields.get("query"), str):
        fields["query"] = str(fields["query"])[:QUERY_CHARS]
    g.setdefault("access_log", {}).update(fields)


def init_app(app: Flask) -> None:
    """Log every request of ``app``."""

    @app.before_request
    def start() -> None:
        g.access_start = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        started = g.get("access_start", time.perf_counter())
        entry: dict[str, object] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "client": request.remote_addr,
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "bytes": response.content_length,
            **g.get("access_log", {}),
        }

        def write() -> None:
            # Called when the server has sent the body, so the time includes streaming.
            entry["ms"] = round((time.perf_counter() - started) * 1000, 1)
            log.info(json.dumps(entry, ensure_ascii=False))

        response.call_on_close(write)
        return response
