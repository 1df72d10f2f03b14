"""Turning a query answer into an HTTP response, streamed when it is large."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import BinaryIO, Final

from flask import Response

from l4a_graph.web.access_log import note
from l4a_graph.web.negotiation import by_name
from l4a_graph.web.service import Answer

__all__ = ["CHUNK_BYTES", "empty", "send_answer"]

CHUNK_BYTES: Final = 64 * 1024


def send_answer(answer: Answer, max_rows: int) -> Response:
    """The response for ``answer``: its media type, size and the truncation headers.

    ``L4A-Truncated`` is ``true`` when the result had more than ``max_rows`` rows and
    was cut; ``L4A-Result-Limit`` gives the limit in force (absent when there is none).
    A large result is sent from its spool file in chunks, never read whole.
    """
    done = answer.done
    fmt = by_name(done.fmt)
    if isinstance(answer.body, bytes):
        response = Response(answer.body, content_type=fmt.content_type)
    else:
        stream = _Chunks(answer.body)
        response = Response(stream, content_type=fmt.content_type, direct_passthrough=True)
        response.content_length = done.size
    response.headers["L4A-Truncated"] = "true" if done.truncated else "false"
    if max_rows:
        response.headers["L4A-Result-Limit"] = str(max_rows)
    response.vary.add("Accept")
    note(rows=done.rows, truncated=done.truncated, form=done.kind)
    return response


class _Chunks:
    """A file in chunks, closed at its end or when the server closes the response first.

    (A generator would not close it if never started, as for a HEAD request.)
    """

    def __init__(self, file: BinaryIO) -> None:
        self._file = file

    def __iter__(self) -> Iterator[bytes]:
        with self._file:
            while chunk := self._file.read(CHUNK_BYTES):
                yield chunk

    def close(self) -> None:
        self._file.close()


def empty(status: int = 204, headers: Mapping[str, str] | None = None) -> Response:
    """A response without a body (and so without a Content-Type)."""
    response = Response(status=status, headers=dict(headers or {}))
    del response.headers["Content-Type"]
    return response
