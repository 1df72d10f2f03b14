"""Reading SPARQL Protocol requests: the query or update text and the dataset parameters."""

from __future__ import annotations

from typing import Final

from flask import request
from pyoxigraph import NamedNode

from l4a_graph.web.errors import BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError
from l4a_graph.web.negotiation import MediaFormat, choose

__all__ = ["FORM", "format_choice", "graph_iris", "sparql_text"]

FORM: Final = "application/x-www-form-urlencoded"


def sparql_text(field: str, direct_type: str, max_chars: int) -> str | None:
    """The query (``field="query"``) or update of this request, or None if it has none.

    GET takes it from the URL; POST from a form field or, with ``direct_type``
    (``application/sparql-query`` or ``-update``), from the whole body in UTF-8.

    Raises
    ------
    BadRequestError
        If the field is repeated, empty, or the body is not UTF-8.
    UnsupportedMediaTypeError
        If a POST body is neither a form nor ``direct_type``.
    PayloadTooLargeError
        If the text is longer than ``max_chars``.
    """
    if request.method == "POST":
        if request.mimetype == direct_type:
            try:
                values = [request.get_data().decode("utf-8")]
            except UnicodeDecodeError as error:
                raise BadRequestError(f"the {field} is not UTF-8 text: {error.reason}") from error
        elif request.mimetype == FORM:
            values = request.form.getlist(field)
        else:
            raise UnsupportedMediaTypeError(
                f"POST the {field} as {FORM} ({field}=...) or as {direct_type}, "
                f"not {request.mimetype or 'a body without Content-Type'}"
            )
    else:
        values = request.args.getlist(field)
    if not values:
        return None
    if len(values) > 1:
        raise BadRequestError(f"give one {field}, not {len(values)}")
    text = values[0]
    if not text.strip():
        raise BadRequestError(f"the {field} is empty")
    if len(text) > max_chars:
        raise PayloadTooLargeError(f"the {field} is longer than {max_chars} characters")
    return text


def graph_iris(name: str) -> tuple[str, ...]:
    """The IRIs given as parameter ``name`` (in the URL or the form), each checked.

    Raises
    ------
    BadRequestError
        If one is not an absolute IRI.
    """
    iris = tuple(request.values.getlist(name))
    for iri in iris:
        try:
            NamedNode(iri)
        except ValueError as error:
            raise BadRequestError(f"{name} {iri!r} is not a valid absolute IRI: {error}") from error
    return iris


def format_choice(offered: tuple[MediaFormat, ...]) -> MediaFormat | None:
    """The format asked for among ``offered``: by ``format`` (or ``output``), else Accept."""
    requested = request.values.getlist("format") or request.values.getlist("output")
    return choose(request.accept_mimetypes, requested, offered)
