"""``/api/hubs``: the HUBs as JSON-LD, filtered, with cursor pagination; ``/context.jsonld``.

Filters (each repeatable; values of one filter are alternatives, filters combine):
``goal`` (``4`` or an IRI; a HUB addressing one of its targets counts), ``target``
(``11.1``), ``axis`` (``people``), ``country`` (``ES``; the HUB's territory or its
lead's), ``section`` (``europe``; of its lead or a stakeholder), ``stage``
(``implementation``). ``limit`` (1 to 100, default 20) and ``cursor`` page through the
HUBs in IRI order; the cursor is opaque (it encodes the last IRI sent), and the answer's
``next`` (and ``Link: rel="next"``) gives the following page.

The items use the shipped JSON-LD context (:mod:`l4a_graph.validator.jsonld`), the one
submissions use, served at ``/context.jsonld``; only statements of the data (and the
ontology's entailment from targets to goals) are written.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, Final

from flask import Blueprint, Response, request, url_for
from pyoxigraph import Literal

from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError
from l4a_graph.validator.jsonld import context_document
from l4a_graph.web.cors import cross_origin
from l4a_graph.web.site.catalogue import HubRow, hubs
from l4a_graph.web.site.describe import Description
from l4a_graph.web.site.state import site
from l4a_graph.web.state import web

__all__ = ["FILTERS", "bp"]

bp = Blueprint("site_api", __name__)

JSON_LD: Final = "application/ld+json"
DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 100
HYDRA: Final = "http://www.w3.org/ns/hydra/core#"
XSD: Final = ns.PREFIXES["xsd"]
DCT: Final = ns.PREFIXES["dcterms"]


def _sdg(code: str) -> str:
    return ns.SDG + code


def _ours(folder: str, upper: bool = False) -> Callable[[str], str]:
    def iri(value: str) -> str:
        return site().iris.iri(f"id/{folder}/{value.upper() if upper else value}")

    return iri


FILTERS: Final[dict[str, tuple[str, Callable[[str], str]]]] = {
    "goal": ("goals", _sdg),
    "target": ("targets", _sdg),
    "axis": ("axes", _ours("pact-axis")),
    "country": ("countries", _ours("country", upper=True)),
    "section": ("sections", _ours("section")),
    "stage": ("stages", _ours("lifecycle-stage")),
}
"""Filter name → (catalogue fact, how a short value becomes an IRI)."""

PAGE_CONTEXT: Final = {
    "hydra": HYDRA,
    "member": {"@id": "hydra:member", "@container": "@set"},
    "next": {"@id": "hydra:next", "@type": "@id"},
    "totalItems": "hydra:totalItems",
}
"""Terms of the page itself, added to the shipped context."""

ITEM_FACTS: Final = (
    ("hasLead", "leads"),
    ("hasTerritory", "territories"),
    ("addressesGoal", "goals"),
    ("addressesTarget", "targets"),
    ("contributesToAxis", "axes"),
    ("lifecycleStage", "stages"),
    ("source", "sources"),
)
"""Context term → catalogue fact, for the IRI-valued facts of an item."""

DATE_TYPES: Final = {10: "date", 7: "gYearMonth", 4: "gYear"}
"""Length of a lexical date → its XSD datatype (as the data states them)."""


def _wanted(name: str, to_iri: Callable[[str], str]) -> set[str]:
    return {v if "://" in v else to_iri(v.strip()) for v in request.args.getlist(name) if v}


def _cursor_after() -> str | None:
    cursor = request.args.get("cursor")
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = data["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InputError("cursor: not one this API gave; start again without it") from None
    if not isinstance(after, str):
        raise InputError("cursor: not one this API gave; start again without it")
    return after


def _cursor(after: str) -> str:
    raw = json.dumps({"after": after}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _limit() -> int:
    text = request.args.get("limit", str(DEFAULT_LIMIT))
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise InputError(f"limit: a whole number from 1 to {MAX_LIMIT}")
    return int(text)


def _texts(labels: Description, predicate: str, iri: str) -> dict[str, str]:
    return {
        v.language or "und": v.value
        for v in labels.values(predicate, iri)
        if isinstance(v, Literal)
    }


def _item(row: HubRow, labels: Description) -> dict[str, Any]:
    item: dict[str, Any] = {"id": row.iri, "type": "Hub"}
    for key, predicate in (("title", DCT + "title"), ("description", DCT + "description")):
        if texts := _texts(labels, predicate, row.iri):
            item[key] = texts
    for term, fact in ITEM_FACTS:
        if values := row.get(fact):
            item[term] = values
    for term in ("start", "end"):
        for value in row.get(term):
            kind = DATE_TYPES.get(len(value), "date")
            item[f"{term}Date"] = {"@value": value, "@type": XSD + kind}
    return item


@bp.route("/api/hubs")
@cross_origin("GET", "HEAD")
def hub_list() -> Response:
    """One page of HUBs matching the filters, as JSON-LD."""
    unknown = sorted(set(request.args) - {*FILTERS, "cursor", "limit"})
    if unknown:
        raise InputError(
            f"unknown parameter {', '.join(unknown)}; use {', '.join(FILTERS)}, limit, cursor"
        )
    catalogue = hubs(web().kg)
    wanted = {fact: _wanted(name, to_iri) for name, (fact, to_iri) in FILTERS.items()}
    matching = [
        row
        for row in catalogue.rows
        if all(not values or values & set(row.get(fact)) for fact, values in wanted.items())
    ]
    after, limit = _cursor_after(), _limit()
    remaining = [row for row in matching if after is None or row.iri > after]
    page = remaining[:limit]
    context = site().iris.iri("context.jsonld")
    body: dict[str, Any] = {
        "@context": [context, PAGE_CONTEXT],
        "id": request.url,
        "type": "hydra:Collection",
        "totalItems": len(matching),
        "member": [_item(row, catalogue.labels) for row in page],
    }
    response = Response(content_type=JSON_LD)
    if len(remaining) > limit:
        args: dict[str, Any] = {k: request.args.getlist(k) for k in request.args if k != "cursor"}
        args["cursor"] = _cursor(page[-1].iri)
        body["next"] = url_for("site_api.hub_list", _external=True, **args)
        response.headers["Link"] = f'<{body["next"]}>; rel="next"'
    response.set_data(json.dumps(body, ensure_ascii=False, indent=1))
    return response


@bp.route("/context.jsonld")
@cross_origin("GET", "HEAD")
def context() -> Response:
    """The shipped JSON-LD context (the one submissions and ``/api/hubs`` use)."""
    return Response(context_document(), content_type=JSON_LD)
