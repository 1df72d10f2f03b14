"""The query page that ``GET /sparql`` shows browsers: YASGUI, the query library, a form.

YASGUI (vendored) edits and runs queries against this same endpoint; the library's
questions (``queries/``) are offered by title in the page's language and put into the
editor ready to run (parameters with defaults bound, the page's language as ``?lang``,
the prefixes they use declared). Without JavaScript, a plain form does the same job:
``?named=<name>`` fills it with a question, and ``&<parameter>=<value>`` binds its
parameters (the workspace dashboard links its numbers this way).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass

from flask import Response, render_template, request

from l4a_graph.errors import InputError
from l4a_graph.namespaces import PREFIXES
from l4a_graph.queries import NamedQuery, load_library
from l4a_graph.sparql import tokens, with_bindings
from l4a_graph.web.negotiation import TABULAR_FORMATS
from l4a_graph.web.site.conneg import HTML
from l4a_graph.web.site.i18n import page_lang, pick
from l4a_graph.web.site.state import site
from l4a_graph.web.state import web

__all__ = ["EXAMPLE", "Question", "query_page"]

EXAMPLE = """SELECT ?hub ?title WHERE {
  ?hub a l4a:Hub ; dcterms:title ?title .
} ORDER BY ?title"""


@dataclass(frozen=True)
class Question:
    """A question of the library as the page offers it."""

    name: str
    title: str
    description: str
    text: str


def editor_text(query: NamedQuery, lang: str, values: Mapping[str, str] | None = None) -> str:
    """The query's text, ready to run: ``values`` (text by parameter name), else the
    defaults (and ``lang``), bound; prefixes declared."""
    # Required parameters stay unbound: the reader fills them in (the header says how).
    given = values or {}
    bindings = {
        p.name: p.term(given.get(p.name) or (lang if p.name == "lang" else p.default or ""))
        for p in query.parameters
        if p.name in given or p.name == "lang" or p.default is not None
    }
    text = with_bindings(query.text, bindings)
    used = {
        t.text.split(":", 1)[0]
        for t in tokens(text)
        if t.kind == "word" and ":" in t.text and t.text.split(":", 1)[0] in PREFIXES
    }
    declarations = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in sorted(used))
    return declarations + text


def questions(lang: str) -> list[Question]:
    """The library's questions, sorted by their title in ``lang``."""
    library = site().cached(("library",), load_library)
    found = [
        Question(q.name, q.label(lang), pick(q.description, lang), editor_text(q, lang))
        for q in library.values()
    ]
    return sorted(found, key=lambda q: q.title.casefold())


def query_page(triples: int, graphs: int) -> Response:
    """The HTML query page (for the SPARQL endpoint's GET without a query)."""
    lang = page_lang()
    offered = questions(lang)
    named = request.args.get("named", "")
    chosen = next((q.text for q in offered if q.name == named), EXAMPLE)
    query = site().cached(("library",), load_library).get(named)
    if query is not None:  # ?named=hubs-by-stage&stage=IRI also binds the parameters
        values = {p.name: v for p in query.parameters if (v := request.args.get(p.name))}
        with suppress(InputError):  # a value of the wrong type is left out
            chosen = editor_text(query, lang, values)
    page = render_template(
        "site/query.html",
        questions=offered,
        chosen=chosen,
        named=named,
        triples=triples,
        graphs=graphs,
        formats=TABULAR_FORMATS,
        settings=web().settings,
    )
    response = Response(page, content_type=HTML.content_type)
    response.vary.add("Accept-Language")
    return response
