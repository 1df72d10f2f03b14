"""The project's JSON-LD @context, resolved locally: nothing is ever fetched.

A JSON-LD submission may name the context by its persistent IRI, :data:`CONTEXT_IRI`;
that reference is replaced by the context shipped in this package. Any other remote
context (a string ``@context`` or an ``@import``) is refused, so that reading a
submission never touches the network and never depends on a third party's server.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any, Final

from l4a_graph.errors import InputError

__all__ = ["CONTEXT_IRI", "context_document", "resolve_contexts"]

CONTEXT_IRI: Final = "https://w3id.org/l4a/context.jsonld"
"""The persistent IRI of the context; the web app serves :func:`context_document` there."""


@cache
def context_document() -> str:
    """The text of the shipped context document (``{"@context": {...}}``).

    Examples
    --------
    >>> json.loads(context_document())["@context"]["hasLead"]
    {'@type': '@id'}
    """
    return files("l4a_graph.validator").joinpath("context.jsonld").read_text(encoding="utf-8")


def resolve_contexts(document: Any, name: str) -> tuple[Any, bool]:
    """Replace every reference to :data:`CONTEXT_IRI` by the shipped context.

    Parameters
    ----------
    document
        A parsed JSON-LD document (dicts, lists and scalars from :func:`json.loads`).
    name
        The submission's name, for error messages.

    Returns
    -------
    tuple
        The document with local contexts inlined, and whether anything was replaced.

    Raises
    ------
    InputError
        If the document refers to any other remote context or uses ``@import``.

    Examples
    --------
    >>> doc, changed = resolve_contexts({"@context": CONTEXT_IRI, "@id": "hub:x"}, "x.jsonld")
    >>> changed, "hasLead" in doc["@context"]
    (True, True)
    >>> resolve_contexts({"@context": "https://ex.org/c"}, "x.jsonld")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    l4a_graph.errors.InputError: x.jsonld: remote JSON-LD @context 'https://ex.org/c' refused: ...
    """
    changed = False

    def walk(node: Any) -> Any:
        nonlocal changed
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "@context":
                value, replaced = _context(value, name)
                changed = changed or replaced
            elif key == "@import":
                raise InputError(
                    f"{name}: JSON-LD @import {value!r} refused: nothing is fetched from the "
                    "network; write the imported terms inline"
                )
            out[key] = walk(value)
        return out

    return walk(document), changed


def _context(value: Any, name: str) -> tuple[Any, bool]:
    """One ``@context`` value with the project's IRI inlined (a context may be a list)."""
    if isinstance(value, list):
        items = [_context(item, name) for item in value]
        return [item for item, _ in items], any(replaced for _, replaced in items)
    if isinstance(value, str):
        if value != CONTEXT_IRI:
            raise InputError(
                f"{name}: remote JSON-LD @context {value!r} refused: nothing is fetched from the "
                f'network; use "{CONTEXT_IRI}" (resolved locally) or an inline context'
            )
        return json.loads(context_document())["@context"], True
    return value, False
