"""The home page, the search page, and the helpful 404 page for browsers."""

from __future__ import annotations

from typing import Final

from flask import Blueprint, Response, render_template, request
from pyoxigraph import Literal
from werkzeug.exceptions import NotFound

from l4a_graph.knowledge_graph import KnowledgeGraph, Stats
from l4a_graph.web.errors import problem
from l4a_graph.web.site.catalogue import hubs
from l4a_graph.web.site.conneg import HTML
from l4a_graph.web.site.describe import label_index
from l4a_graph.web.site.i18n import page_lang
from l4a_graph.web.site.pages import Linker, goals_for
from l4a_graph.web.site.state import site
from l4a_graph.web.state import web

__all__ = ["bp", "not_found"]

bp = Blueprint("site_home", __name__)

AXES: Final = "SELECT ?a WHERE { ?a a l4a:PactAxis . OPTIONAL { ?a l4a:order ?o } } ORDER BY ?o"
SECTIONS: Final = "SELECT ?s WHERE { ?s a l4a:UCLGSection }"
SEARCH_LIMIT: Final = 50
# ?q is bound as a literal (never pasted in); matching is case-insensitive on any label.
SEARCH: Final = f"""
SELECT DISTINCT ?x WHERE {{
  VALUES ?p {{ skos:prefLabel dcterms:title rdfs:label skos:altLabel skos:notation }}
  ?x ?p ?l .
  FILTER(isIRI(?x) && CONTAINS(LCASE(STR(?l)), LCASE(?q)))
}} ORDER BY STRLEN(STR(?x)) ?x LIMIT {SEARCH_LIMIT}"""


def _stats(kg: KnowledgeGraph) -> Stats:
    return site().cached(("stats",), kg.stats)


def _html(body: str, status: int = 200) -> Response:
    response = Response(body, status, content_type=HTML.content_type)
    response.vary.add("Accept-Language")
    return response


@bp.route("/")
def home() -> Response:
    """What the data is, how much of it there is, and where to start."""
    kg = web().kg
    lang = page_lang()
    catalogue = hubs(kg)
    goal_counts = {
        goal.iri: sum(goal.iri in row.get("goals") for row in catalogue.rows)
        for goal in goals_for(kg)
    }
    axes = [row["a"].value for row in kg.select(AXES)]
    sections = [row["s"].value for row in kg.select(SECTIONS)]
    extra = label_index(kg, axes + sections)
    linker = Linker(catalogue.labels, lang, extra)
    return _html(
        render_template(
            "site/home.html",
            stats=_stats(kg),
            rows=catalogue.rows,
            linker=linker,
            goals=goals_for(kg),
            goal_counts=goal_counts,
            axes=[Linker(extra, lang).link(a) for a in axes],
            sections=Linker(extra, lang).links(sections),
        )
    )


@bp.route("/search")
def search() -> Response:
    """Resources whose label contains the words asked for (up to 50)."""
    kg = web().kg
    words = request.args.get("q", "").strip()[:200]
    found = [row["x"].value for row in kg.select(SEARCH, {"q": Literal(words)})] if words else []
    linker = Linker(label_index(kg, found), page_lang())
    links = [link for link in linker.links(found) if site().iris.path(link.iri)]
    return _html(render_template("site/search.html", words=words, results=links))


def not_found(error: NotFound) -> Response:
    """A 404: an HTML page with a search box for browsers, the usual problem otherwise."""
    wanted = request.accept_mimetypes.best_match(["text/html", "text/plain", "application/json"])
    if request.args.get("format") or wanted != "text/html":
        return problem(404, error.description or "not found")
    return _html(render_template("site/not_found.html", path=request.path), 404)
