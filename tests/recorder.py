"""A fake SPARQL endpoint on 127.0.0.1 that records every request: proof of a fetch.

The security tests use it to show that a query or a document would make the engine fetch
(the threat is real) and that the application refuses before anything is sent.
"""

from __future__ import annotations

import http.server
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

ROW = "remote"
"""The one value the endpoint answers, as ``?x``."""


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        row = b'{"x":{"type":"literal","value":"' + ROW.encode() + b'"}}'
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[' + row + b"]}}"
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815 (the names http.server calls)

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Recorder:
    base: str
    """``http://127.0.0.1:PORT/``"""
    hits: list[str]
    """The paths requested so far, oldest first."""

    @property
    def url(self) -> str:
        return self.base + "sparql"


@contextmanager
def recording() -> Iterator[Recorder]:
    """Serve the fake endpoint on a free port for the duration of the block."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Recorder(f"http://127.0.0.1:{server.server_address[1]}/", _Handler.hits)
    finally:
        server.shutdown()
        server.server_close()
