"""The linked open data site: dereferenceable IRIs, pages in en/fr/es, map, API, dumps.

:func:`init_app` mounts it on the endpoint's app (:func:`l4a_graph.web.create_app`):
one blueprint per concern (:mod:`.resources`, :mod:`.home`, :mod:`.worldmap`, :mod:`.api`,
:mod:`.downloads`), the security headers, the helpful 404 page and the template helpers.
``GET /sparql`` for browsers is :func:`.query_ui.query_page`. See ``docs/site.md``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, request
from pyoxigraph import Literal, NamedNode
from werkzeug.exceptions import NotFound

from l4a_graph.namespaces import PREFIXES
from l4a_graph.web.site import api, downloads, home, resources, security, worldmap
from l4a_graph.web.site.i18n import LANGUAGE_NAMES, LANGUAGES, entity, page_lang, translate
from l4a_graph.web.site.state import EXTENSION, resolve, site

__all__ = ["init_app"]

BLUEPRINTS = (home.bp, resources.bp, worldmap.bp, api.bp, downloads.bp)


def _template_helpers() -> dict[str, Any]:
    lang = page_lang()

    def t(key: str) -> str:
        return translate(key, lang)

    def switch(to: str) -> str:
        """This page's URL in language ``to`` (other parameters kept)."""
        pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        return f"{request.path}?{urlencode([*pairs, ('lang', to)])}"

    return {
        "lang": lang,
        "t": t,
        "switch": switch,
        "href": site().iris.href,
        "entity": lambda name: entity(name, lang),
        "term_kind": _term_kind,
        "languages": LANGUAGES,
        "language_names": LANGUAGE_NAMES,
    }


def _term_kind(term: object) -> str:
    """``literal``, ``iri`` or ``blank``: how a statements table shows a value."""
    if isinstance(term, Literal):
        return "literal"
    return "iri" if isinstance(term, NamedNode) else "blank"


def _curie(iri: str) -> str:
    """``l4a:hasLead`` for a property IRI with a known prefix, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def init_app(app: Flask) -> None:
    """Mount the site on ``app``: its settings, blueprints, headers and error page."""
    app.extensions[EXTENSION] = resolve(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.context_processor(_template_helpers)
    app.add_template_filter(_curie, "curie")
    app.register_error_handler(NotFound, home.not_found)
    security.init_app(app)
