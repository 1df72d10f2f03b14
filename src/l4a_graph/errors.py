"""The exceptions of l4a-graph.

Each carries the exit code the CLI uses and the HTTP status the web app answers with,
so both interfaces report a problem the same way.
"""

from __future__ import annotations


class L4AError(Exception):
    """Base class of every error l4a-graph raises on purpose."""

    exit_code = 2
    http_status = 500


class InputError(L4AError):
    """Input that cannot be read: missing, empty, too large, wrongly encoded or unparsable.

    The message names the file and, when the parser knows it, the line and column.
    """

    exit_code = 2
    http_status = 400


class QueryError(L4AError):
    """A SPARQL query or update that does not parse or cannot run."""

    exit_code = 2
    http_status = 400


class NotFoundError(L4AError):
    """A resource, graph or named query that does not exist."""

    exit_code = 2
    http_status = 404


class StoreError(L4AError):
    """The store cannot be opened or written (locked, read-only, unreachable)."""

    exit_code = 2
    http_status = 503
