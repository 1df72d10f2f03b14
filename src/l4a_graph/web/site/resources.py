"""Dereferencing: ``/id/...``, ``/graph/...``, ``/def`` and ``/sdg/<code>``.

Each path stands for an IRI (the persistent base mapped to this server, see
:mod:`~l4a_graph.web.site.iris`); the answer is the resource's page or its description
in RDF (:mod:`~l4a_graph.web.site.conneg`). An IRI the store does not know is a 404.
"""

from __future__ import annotations

import io

from flask import Blueprint, Response, render_template, request
from pyoxigraph import NamedNode
from werkzeug.exceptions import NotFound

from l4a_graph import namespaces as ns
from l4a_graph.formats import by_name as rdf_format
from l4a_graph.publish import render_ontology_docs
from l4a_graph.web.site import pages
from l4a_graph.web.site.conneg import HTML, negotiate, rdf_body, with_alternates
from l4a_graph.web.site.describe import describe
from l4a_graph.web.site.i18n import page_lang
from l4a_graph.web.site.iris import SDG_CODE
from l4a_graph.web.site.state import site
from l4a_graph.web.state import web

__all__ = ["bp"]

bp = Blueprint("site_resources", __name__)


@bp.route("/id/<path:rest>")
def identified(rest: str) -> Response:
    """A HUB, organisation, place, country, section, concept scheme or concept."""
    return _resource(site().iris.iri("id/" + rest))


@bp.route("/graph/<path:rest>")
def named_graph(rest: str) -> Response:
    """What a named graph says about itself (title, licence, sources)."""
    return _resource(site().iris.iri("graph/" + rest))


@bp.route("/sdg/<code>")
def sdg(code: str) -> Response:
    """An SDG goal or target: the UN's IRI, described with the HUBs that address it."""
    if not SDG_CODE.fullmatch(code):
        raise NotFound(f"{code!r} is not an SDG goal or target code")
    return _resource(ns.SDG + code, only={"goal", "target"})


def _resource(iri: str, only: set[str] | None = None) -> Response:
    """The answer for ``iri``; a 404 if unknown or not of a kind in ``only``."""
    fmt = negotiate()
    if not _is_iri(iri):
        raise NotFound("no resource: the path holds characters an IRI cannot hold")
    kg = web().kg
    d = describe(kg, iri)
    kind = pages.kind_of(kg, iri) if d.triples else None
    if kind is None or (only is not None and kind not in only):
        raise NotFound(f"no resource <{iri}> in the knowledge graph")
    lang = page_lang()
    if fmt is HTML:
        body = render_template(
            f"site/{kind if kind in pages.BUILDERS else 'resource'}.html",
            d=d,
            kind=kind,
            title=pages.title(d, lang),
            linker=pages.Linker(d, lang),
            is_literal=pages.is_literal,
            **pages.build(kg, kind, d, lang),
        )
        response = Response(body, content_type=HTML.content_type)
    else:
        response = Response(rdf_body(d.triples, fmt), content_type=fmt.content_type)
    return with_alternates(response, request.path, fmt, lang)


@bp.route("/def")
@bp.route("/def/<path:version>")
def ontology(version: str | None = None) -> Response:
    """The ontology: its generated documentation, or the ontology graph in RDF."""
    if version is not None and site().iris.iri(f"def/{version}") not in _versions():
        raise NotFound(f"no version {version!r} of the ontology")
    fmt = negotiate()
    kg = web().kg
    lang = page_lang()
    if fmt is HTML:
        page = site().cached(("ontology-docs", lang), lambda: render_ontology_docs(kg, lang))
        response = Response(page, content_type=HTML.content_type)
    else:
        assert fmt.rdf_name is not None
        buffer = io.BytesIO()
        kg.export(buffer, rdf_format(fmt.rdf_name), ns.GRAPH_ONTOLOGY)
        response = Response(buffer.getvalue(), content_type=fmt.content_type)
    return with_alternates(response, request.path, fmt, lang)


def _versions() -> set[str]:
    """The ontology's version IRIs (``owl:versionIRI``)."""
    sparql = "SELECT ?v WHERE { GRAPH ?g { ?o a owl:Ontology ; owl:versionIRI ?v } }"
    return {row["v"].value for row in web().kg.select(sparql)}


def _is_iri(text: str) -> bool:
    """True when ``text`` is an IRI by RFC 3987 (a decoded path may hold anything: NUL,
    DEL, C1 controls, noncharacters); the RDF library's own check decides."""
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True
