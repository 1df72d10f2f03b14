"""What the form offers to choose from, read from the public graph: LRGs and other
organisations, countries, UCLG sections, places, calls, SDG goals and targets, and the
concepts of the schemes (Pact axes, roles, monitoring statuses, lifecycle stages,
kinds of organisation). Labels are kept in every language; the page picks one.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from pyoxigraph import Literal, NamedNode

from l4a_graph import namespaces as ns
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.web.site.i18n import pick
from l4a_graph.web.workspace.form import STAKEHOLDER_KINDS

__all__ = ["Choice", "Choices", "Org", "Target", "fold", "load_choices"]


@dataclass(frozen=True)
class Choice:
    """Something to choose: its IRI, a short key for the form, labels by language."""

    iri: str
    key: str
    labels: dict[str, str] = field(default_factory=dict)
    order: float = 0.0

    def label(self, lang: str) -> str:
        """The label in ``lang`` (then English, then any), else the key."""
        return pick(self.labels, lang) or self.key


@dataclass(frozen=True)
class Org:
    """An organisation the graph knows, with what a submission must repeat about it."""

    iri: str
    labels: dict[str, str]
    types: tuple[str, ...]
    country: str | None
    section: str | None
    territory: str | None
    aliases: frozenset[str] = frozenset()
    """Other names (``rdfs:label``, ``skos:altLabel``), folded, to recognise it by."""

    @property
    def slug(self) -> str:
        """The last segment of its IRI."""
        return self.iri.rstrip("/").rsplit("/", 1)[-1]

    @property
    def is_lrg(self) -> bool:
        """Whether it may lead a HUB (an LRG or an association of LRGs)."""
        return any(t.removeprefix(ns.L4A) in ("LRGAssociation", *LRG_CLASSES) for t in self.types)

    def label(self, lang: str) -> str:
        """Its name in ``lang`` (then English, then any)."""
        return pick(self.labels, lang) or self.slug


@dataclass(frozen=True)
class Target:
    """An SDG target: IRI, code (``11.3``), goal number and UN text by language."""

    iri: str
    code: str
    goal: str
    labels: dict[str, str]

    def label(self, lang: str) -> str:
        """The UN text in ``lang`` (then English, then any)."""
        return pick(self.labels, lang) or self.code

    def matches(self, words: str, lang: str) -> bool:
        """Whether every word of ``words`` is in the code or the text in ``lang``.

        Case and accents do not matter; a number matches the start of the code.

        Examples
        --------
        >>> t = Target("x", "11.3", "11", {"fr": "urbanisation durable"})
        >>> t.matches("11.3", "fr"), t.matches("Urbanisation", "fr"), t.matches("eau", "fr")
        (True, True, False)
        """
        text = fold(self.label(lang))
        return all(
            self.code.startswith(word) or word in text or word == self.goal
            for word in fold(words).split()
        )


LRG_CLASSES: Final = ("LocalRegionalGovernment", "LocalGovernment", "RegionalGovernment")

_ORGS: Final = """
SELECT ?o ?type ?label ?alias ?country ?section ?territory WHERE {
  ?o a/rdfs:subClassOf* l4a:Stakeholder .
  FILTER(isIRI(?o) && STRSTARTS(STR(?o), "https://w3id.org/l4a/id/org/"))
  OPTIONAL { ?o a ?type . FILTER(STRSTARTS(STR(?type), STR(l4a:))) }
  OPTIONAL { ?o skos:prefLabel ?label }
  OPTIONAL { ?o rdfs:label|skos:altLabel ?alias }
  OPTIONAL { ?o l4a:country ?country }
  OPTIONAL { ?o l4a:memberOfSection ?section }
  OPTIONAL { ?o l4a:hasTerritory ?territory }
}"""
_LABELLED: Final = """
SELECT ?x ?label ?order WHERE {
  ?x a ?class .
  OPTIONAL { ?x skos:prefLabel|dcterms:title ?label }
  OPTIONAL { ?x l4a:order ?order }
}"""
_CLASS_LABELS: Final = """
SELECT ?x ?label WHERE { VALUES ?x { %s } ?x rdfs:label ?label }"""
_TARGETS: Final = """
SELECT ?t ?code ?goal ?label WHERE {
  ?t a sdgo:Target ; skos:notation ?code ; skos:broader ?g .
  ?g a sdgo:Goal ; skos:notation ?goal .
  OPTIONAL { ?t skos:prefLabel ?label }
}"""
_GOALS: Final = """
SELECT ?g ?code ?label ?colour WHERE {
  ?g a sdgo:Goal ; skos:notation ?code .
  { ?g skos:altLabel ?label } UNION
  { ?g skos:prefLabel ?label
    FILTER NOT EXISTS { ?g skos:altLabel ?short FILTER(LANG(?short) = LANG(?label)) } }
  OPTIONAL { ?g l4a:colour ?colour }
}"""
_PLACES: Final = """
SELECT ?p ?label ?country WHERE {
  ?p a/rdfs:subClassOf* l4a:Territory ; skos:prefLabel ?label .
  FILTER(STRSTARTS(STR(?p), "https://w3id.org/l4a/id/place/"))
  OPTIONAL { ?p l4a:country ?country }
}"""


@dataclass(frozen=True)
class Choices:
    """Everything the form offers, read once per data generation."""

    orgs: dict[str, Org]
    countries: list[Choice]
    sections: list[Choice]
    places: list[Choice]
    calls: list[Choice]
    axes: list[Choice]
    roles: list[Choice]
    statuses: list[Choice]
    stages: list[Choice]
    kinds: list[Choice]
    goals: list[Choice]
    goal_colours: dict[str, str]
    targets: list[Target]

    def lrgs(self, lang: str) -> list[Org]:
        """The organisations that may lead a HUB, by name in ``lang``."""
        found = [o for o in self.orgs.values() if o.is_lrg]
        return sorted(found, key=lambda o: fold(o.label(lang)))

    def stakeholders(self, lang: str) -> list[Org]:
        """Every organisation the graph knows, by name in ``lang``."""
        return sorted(self.orgs.values(), key=lambda o: fold(o.label(lang)))

    def targets_of(self, goal: str) -> list[Target]:
        """The targets of goal number ``goal``, in code order."""
        return [t for t in self.targets if t.goal == goal]

    def target(self, code: str) -> Target | None:
        """The target with code ``code``, if the reference data has it."""
        return next((t for t in self.targets if t.code == code), None)

    def org_named(self, name: str) -> Org | None:
        """A known organisation with exactly this name (case and accents aside)."""
        wanted = fold(name)
        if not wanted:
            return None
        return next(
            (
                o
                for o in self.orgs.values()
                if wanted in o.aliases or wanted in {fold(v) for v in o.labels.values()}
            ),
            None,
        )

    def place_named(self, name: str) -> Choice | None:
        """A known place with exactly this name (case and accents aside)."""
        wanted = fold(name)
        if not wanted:
            return None
        return next(
            (p for p in self.places if wanted in {fold(v) for v in p.labels.values()}), None
        )

    def name(self, kind: str, key: str, lang: str) -> str:
        """The label of the choice ``key`` (or IRI) among ``kind`` (``countries``,
        ``sections``, ``axes``, ``roles``, ``statuses``, ``stages``, ``kinds``, ``calls``);
        ``key`` itself when unknown."""
        items: list[Choice] = getattr(self, kind)
        found = next((c for c in items if key in (c.key, c.iri)), None)
        return found.label(lang) if found is not None else key

    def org_label(self, iri: str, lang: str) -> str:
        """The name of the known organisation ``iri`` in ``lang`` (its IRI when unknown)."""
        org = self.orgs.get(iri)
        return org.label(lang) if org is not None else iri

    def sorted(self, items: Iterable[Choice], lang: str) -> list[Choice]:
        """``items`` by their order, then by label in ``lang``."""
        return sorted(items, key=lambda c: (c.order, fold(c.label(lang))))


def fold(text: str) -> str:
    """``text`` without case and accents, for matching what people type.

    >>> fold("Échéance  Économique")
    'echeance  economique'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load_choices(kg: KnowledgeGraph) -> Choices:
    """Read the choices from the public graph (a few queries, ~50 ms on the shipped data)."""
    colours: dict[str, str] = {}
    goals: dict[str, dict[str, str]] = defaultdict(dict)
    goal_codes: dict[str, str] = {}
    for row in kg.select(_GOALS):
        code = row["code"].value
        goal_codes[row["g"].value] = code
        _add_label(goals[row["g"].value], row["label"])
        if row["colour"] is not None:
            colours[code] = row["colour"].value
    targets: dict[str, Target] = {}
    for row in kg.select(_TARGETS):
        iri = row["t"].value
        target = targets.setdefault(iri, Target(iri, row["code"].value, row["goal"].value, {}))
        _add_label(target.labels, row["label"])
    return Choices(
        orgs=_orgs(kg),
        countries=_concepts(kg, ns.L4A + "Country", lambda iri: iri.rsplit("/", 1)[-1]),
        sections=_concepts(kg, ns.L4A + "UCLGSection"),
        places=_places(kg),
        calls=_concepts(kg, ns.L4A + "CallForProposals", lambda iri: iri),
        axes=_concepts(kg, ns.L4A + "PactAxis"),
        roles=_concepts(kg, ns.L4A + "StakeholderRole"),
        statuses=_concepts(kg, ns.L4A + "MonitoringStatus"),
        stages=_concepts(kg, ns.L4A + "LifecycleStage"),
        kinds=_kinds(kg),
        goals=sorted(
            (Choice(i, goal_codes[i], labels, float(goal_codes[i])) for i, labels in goals.items()),
            key=lambda c: c.order,
        ),
        goal_colours=colours,
        targets=sorted(targets.values(), key=lambda t: _code_key(t.code)),
    )


def _code_key(code: str) -> tuple[int, int, str]:
    goal, _, target = code.partition(".")
    return (int(goal), int(target) if target.isdigit() else 1000, target)


def _add_label(labels: dict[str, str], term: object) -> None:
    if isinstance(term, Literal):
        labels.setdefault(term.language or "", term.value)


def _concepts(kg: KnowledgeGraph, cls: str, key: object = None) -> list[Choice]:
    """The instances of ``cls`` with their labels; the key is the IRI's last segment."""
    found: dict[str, Choice] = {}
    for row in kg.select(_LABELLED, {"class": NamedNode(cls)}):
        iri = row["x"].value
        choice = found.get(iri)
        if choice is None:
            slug = key(iri) if callable(key) else iri.rstrip("/").rsplit("/", 1)[-1]
            order = float(row["order"].value) if row["order"] is not None else 0.0
            choice = found[iri] = Choice(iri, str(slug), {}, order)
        _add_label(choice.labels, row["label"])
    return sorted(found.values(), key=lambda c: (c.order, c.key))


def _kinds(kg: KnowledgeGraph) -> list[Choice]:
    values = " ".join(f"l4a:{k}" for k in STAKEHOLDER_KINDS)
    labels: dict[str, dict[str, str]] = {k: {} for k in STAKEHOLDER_KINDS}
    for row in kg.select(_CLASS_LABELS % values):
        _add_label(labels[row["x"].value.removeprefix(ns.L4A)], row["label"])
    return [Choice(ns.L4A + k, k, labels[k], float(n)) for n, k in enumerate(STAKEHOLDER_KINDS)]


def _places(kg: KnowledgeGraph) -> list[Choice]:
    found: dict[str, Choice] = {}
    for row in kg.select(_PLACES):
        iri = row["p"].value
        country = row["country"].value if row["country"] is not None else ""
        choice = found.setdefault(iri, Choice(iri, country, {}))
        _add_label(choice.labels, row["label"])
    return sorted(found.values(), key=lambda c: fold(c.label("en")))


@dataclass
class _OrgFacts:
    labels: dict[str, str] = field(default_factory=dict)
    aliases: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    country: str | None = None
    section: str | None = None
    territory: str | None = None


def _orgs(kg: KnowledgeGraph) -> dict[str, Org]:
    facts: dict[str, _OrgFacts] = defaultdict(_OrgFacts)
    for row in kg.select(_ORGS):
        entry = facts[row["o"].value]
        _add_label(entry.labels, row["label"])
        if row["alias"] is not None:
            entry.aliases.add(fold(row["alias"].value))
        if row["type"] is not None:
            entry.types.add(row["type"].value)
        entry.country = entry.country or _value(row["country"])
        entry.section = entry.section or _value(row["section"])
        entry.territory = entry.territory or _value(row["territory"])
    return {
        iri: Org(
            iri,
            e.labels,
            tuple(sorted(e.types)),
            e.country,
            e.section,
            e.territory,
            frozenset(e.aliases),
        )
        for iri, e in facts.items()
    }


def _value(term: object) -> str | None:
    return term.value if isinstance(term, NamedNode | Literal) else None
