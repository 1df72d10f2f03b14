"""The description of one resource: what ``/id/...`` answers in RDF, and what pages read.

The profile (documented in ``docs/site.md``) is, for a resource R:

1. every triple whose subject is R (from all graphs), blank-node objects expanded one
   level (a geometry, for instance);
2. the same for R's *parts*: the resources R links to whose IRI extends R's with ``/``
   (a HUB's participations and deliverables, a scheme's concepts);
3. the labels (``skos:prefLabel``, ``dcterms:title``, ``rdfs:label``, ``skos:notation``)
   and display colour of every IRI those triples link to, so a client can show them;
4. the incoming links that matter (:data:`INCOMING`): the HUBs an LRG leads, those that
   address a goal or a target, the places in a country..., with the labels of their
   subjects; for an SDG goal also the HUBs addressing it *through one of its targets*.

Nothing else: no inferred closure of types, no whole neighbourhood. The page of R and its
RDF come from the same :class:`Description`, so they never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from pyoxigraph import BlankNode, Literal, NamedNode, QueryTriples, Triple

from l4a_graph import namespaces as ns
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.web.site.i18n import pick

__all__ = ["INCOMING", "LABELS", "Description", "describe"]

P = ns.PREFIXES
RDF_TYPE: Final = P["rdf"] + "type"
LABELS: Final = (P["skos"] + "prefLabel", P["dcterms"] + "title", P["rdfs"] + "label")
"""Label properties, best first."""
NOTATION: Final = P["skos"] + "notation"
COLOUR: Final = ns.L4A + "colour"

INCOMING: Final = tuple(
    f"{P[prefix]}{name}"
    for prefix, name in (
        ("l4a", "hasLead"),
        ("l4a", "hasStakeholder"),
        ("l4a", "addresses"),
        ("l4a", "addressesGoal"),
        ("l4a", "addressesTarget"),
        ("l4a", "contributesToAxis"),
        ("l4a", "lifecycleStage"),
        ("l4a", "monitoringStatus"),
        ("l4a", "hasTerritory"),
        ("l4a", "country"),
        ("l4a", "partOf"),
        ("l4a", "memberOfSection"),
        ("l4a", "respondsToCall"),
        ("l4a", "connectedToProcess"),
        ("l4a", "exchangesWith"),
        ("l4a", "involvesHub"),
        ("l4a", "reportsOn"),
        ("l4a", "submissionOf"),
        ("l4a", "offersExpertise"),
        ("l4a", "seeksExpertise"),
        ("org", "member"),
        ("org", "role"),
        ("org", "unitOf"),
        ("skos", "inScheme"),
    )
)
"""Properties whose links *to* a resource belong to its description."""

_VALUES_INCOMING: Final = " ".join(f"<{p}>" for p in INCOMING)
_VALUES_LABELS: Final = " ".join(f"<{p}>" for p in (*LABELS, NOTATION, COLOUR))

# ?r is bound by a VALUES block (KnowledgeGraph.query's bindings), never pasted in.
_OWN: Final = f"""
CONSTRUCT {{ ?r ?p ?o . ?o ?bp ?bo . ?o ?lp ?l }}
WHERE {{
  ?r ?p ?o .
  OPTIONAL {{ FILTER(isBlank(?o)) ?o ?bp ?bo }}
  OPTIONAL {{ FILTER(isIRI(?o)) VALUES ?lp {{ {_VALUES_LABELS} }} ?o ?lp ?l }}
}}"""

_IN: Final = f"""
CONSTRUCT {{ ?s ?ip ?r . ?s ?lp ?l }}
WHERE {{
  VALUES ?ip {{ {_VALUES_INCOMING} }}
  ?s ?ip ?r .
  OPTIONAL {{ VALUES ?lp {{ {_VALUES_LABELS} }} ?s ?lp ?l }}
}}"""

_THROUGH_TARGET: Final = f"""
CONSTRUCT {{ ?s l4a:addressesTarget ?t . ?t skos:broader ?r . ?s ?lp ?l . ?t ?tp ?tl }}
WHERE {{
  ?r a sdgo:Goal .
  ?s l4a:addressesTarget ?t . ?t skos:broader ?r .
  OPTIONAL {{ VALUES ?lp {{ {_VALUES_LABELS} }} ?s ?lp ?l }}
  OPTIONAL {{ VALUES ?tp {{ {_VALUES_LABELS} }} ?t ?tp ?tl }}
}}"""

_EXISTS: Final = "ASK { { ?r ?p ?o } UNION { ?s ?p ?r } }"


@dataclass
class Description:
    """The triples describing one resource, indexed for the pages that read them."""

    iri: str
    triples: list[Triple]
    _out: dict[str, dict[str, list[NamedNode | BlankNode | Literal]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)), repr=False
    )
    _in: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)), repr=False
    )

    def __post_init__(self) -> None:
        for t in self.triples:
            subject = _key(t.subject)
            obj = t.object
            if isinstance(obj, NamedNode | BlankNode | Literal):
                self._out[subject][t.predicate.value].append(obj)
            if isinstance(obj, NamedNode) and isinstance(t.subject, NamedNode):
                self._in[obj.value][t.predicate.value].append(t.subject.value)

    def values(
        self, predicate: str, subject: str | None = None
    ) -> list[NamedNode | BlankNode | Literal]:
        """The objects of ``subject`` (this resource by default) for ``predicate``."""
        found = self._out.get(subject or self.iri, {}).get(predicate, [])
        return sorted(found, key=str)

    def iris(self, predicate: str, subject: str | None = None) -> list[str]:
        """The IRI objects of ``subject`` for ``predicate``, sorted."""
        return [v.value for v in self.values(predicate, subject) if isinstance(v, NamedNode)]

    def literal(self, predicate: str, subject: str | None = None) -> Literal | None:
        """One literal value of ``predicate`` (the smallest, for stable pages), or None."""
        found = [v for v in self.values(predicate, subject) if isinstance(v, Literal)]
        return found[0] if found else None

    def text(self, predicate: str, lang: str, subject: str | None = None) -> str | None:
        """The text of ``predicate`` in ``lang``, else English, else any; None if absent."""
        found = {
            (v.language or ""): v.value
            for v in self.values(predicate, subject)
            if isinstance(v, Literal)
        }
        return pick(found, lang) if found else None

    def referrers(self, predicate: str, obj: str | None = None) -> list[str]:
        """The subjects linking to ``obj`` (this resource by default) with ``predicate``."""
        return sorted(set(self._in.get(obj or self.iri, {}).get(predicate, [])))

    def properties(
        self, subject: str | None = None
    ) -> dict[str, list[NamedNode | BlankNode | Literal]]:
        """Every property of ``subject`` with its values."""
        return {
            p: sorted(v, key=str) for p, v in sorted(self._out.get(subject or self.iri, {}).items())
        }

    def incoming(self) -> list[tuple[str, str]]:
        """(subject, property) pairs of the links to this resource, sorted."""
        return sorted(
            (s, p) for p, subjects in self._in.get(self.iri, {}).items() for s in subjects
        )

    @property
    def types(self) -> set[str]:
        """The rdf:type IRIs of the resource."""
        return set(self.iris(RDF_TYPE))

    def label(self, iri: str, lang: str) -> str:
        """A human label for ``iri``: the first label property in ``lang``, en, or any.

        Falls back to ``skos:notation`` and then to the end of the IRI, so a link always
        has some text.
        """
        for wanted in (lang, "en", None):
            for predicate in LABELS:
                for value in self.values(predicate, iri):
                    if isinstance(value, Literal) and (wanted is None or value.language == wanted):
                        return value.value
        notation = self.literal(NOTATION, iri)
        if notation is not None:
            return notation.value
        return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def colour(self, iri: str) -> str | None:
        """The display colour of ``iri`` (an SDG goal), if the data gives one."""
        value = self.literal(COLOUR, iri)
        return value.value if value is not None else None


def _key(node: object) -> str:
    return node.value if isinstance(node, NamedNode) else str(node)


def exists(kg: KnowledgeGraph, iri: str) -> bool:
    """True when ``iri`` occurs in the store as a subject or an object."""
    return bool(kg.query(_EXISTS, {"r": NamedNode(iri)}))


def _construct(kg: KnowledgeGraph, sparql: str, iri: str) -> Iterable[Triple]:
    result = kg.query(sparql, {"r": NamedNode(iri)})
    assert isinstance(result, QueryTriples)
    return result


def describe(kg: KnowledgeGraph, iri: str) -> Description:
    """The description of ``iri`` by the profile above (empty when it is unknown)."""
    own = set(_construct(kg, _OWN, iri))
    parts = sorted(
        {
            t.object.value
            for t in own
            if t.subject == NamedNode(iri)
            and isinstance(t.object, NamedNode)
            and t.object.value.startswith(iri + "/")
        }
    )
    triples = own
    for part in parts:
        triples |= set(_construct(kg, _OWN, part))
    triples |= set(_construct(kg, _IN, iri))
    triples |= set(_construct(kg, _THROUGH_TARGET, iri))
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return Description(iri, ordered)


def label_index(kg: KnowledgeGraph, iris: Iterable[str]) -> Description:
    """A :class:`Description` of the labels of ``iris`` only (for :meth:`~Description.label`)."""
    wanted = sorted(set(iris))
    if not wanted:
        return Description("", [])
    # The IRIs come from the store and are written by the RDF library (NamedNode), so
    # they cannot break out of the VALUES block.
    values = " ".join(str(NamedNode(iri)) for iri in wanted)
    sparql = (
        f"CONSTRUCT {{ ?x ?p ?l }} WHERE {{ VALUES ?x {{ {values} }} "
        f"VALUES ?p {{ {_VALUES_LABELS} }} ?x ?p ?l }}"
    )
    result = kg.query(sparql)
    assert isinstance(result, QueryTriples)
    return Description("", list(result))
