"""What each kind of page shows, read from a resource's :class:`Description`.

No Flask here beyond the site state: each builder takes the knowledge graph, the
description and the language, and returns plain data for a template. A fact the data
does not state is None or an empty list; the templates say "not stated in the public
sources" for it, nothing is filled in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from pyoxigraph import Literal, NamedNode

from l4a_graph import namespaces as ns
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.web.site.describe import Description, label_index
from l4a_graph.web.site.related import related
from l4a_graph.web.site.sdg import Goal, Target, all_goals, code_key, targets
from l4a_graph.web.site.state import site

__all__ = ["KINDS", "Link", "Linker", "build", "kind_of"]

P = ns.PREFIXES
L4A = ns.L4A
SKOS = P["skos"]
DCT = P["dcterms"]
ORG = P["org"]
WGS = P["wgs"]
RDFS = P["rdfs"]

KINDS: Final = (
    ("hub", L4A + "Hub"),
    ("goal", ns.SDGO + "Goal"),
    ("target", ns.SDGO + "Target"),
    ("section", L4A + "UCLGSection"),
    ("org", ORG + "Organization"),
    ("territory", L4A + "Territory"),
    ("axis", L4A + "PactAxis"),
    ("scheme", SKOS + "ConceptScheme"),
    ("concept", SKOS + "Concept"),
)
"""Page kinds by the class that makes a resource one, checked in this order."""

_SUPERCLASSES: Final = "SELECT DISTINCT ?k WHERE { ?r a/rdfs:subClassOf* ?k }"
_COUNTRY: Final = (
    "SELECT DISTINCT ?c WHERE { ?r l4a:hasTerritory ?t . "
    "{ ?t l4a:country ?c } UNION { ?t a l4a:Country BIND(?t AS ?c) } }"
)
_ORG_HUBS: Final = """
SELECT DISTINCT ?hub ?role WHERE {
  { ?hub l4a:hasParticipation ?p . ?p org:member ?r . OPTIONAL { ?p org:role ?role } }
  UNION { ?hub l4a:hasStakeholder ?r }
  UNION { ?hub l4a:hasLead ?r }
  ?hub a l4a:Hub .
}"""
_DATE: Final = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True)
class Link:
    """Something to link to: its IRI, its label and where the link goes."""

    iri: str
    label: str
    href: str


class Linker:
    """Makes :class:`Link` objects with labels from a description (and more if needed)."""

    def __init__(self, d: Description, lang: str, extra: Description | None = None) -> None:
        self.d = d
        self.lang = lang
        self.extra = extra

    def link(self, iri: str) -> Link:
        """The link to ``iri`` with its best label in the page's language."""
        known = self.d.values(SKOS + "prefLabel", iri) or self.d.values(DCT + "title", iri)
        source = self.d if known or self.extra is None else self.extra
        return Link(iri, source.label(iri, self.lang), site().iris.href(iri))

    def links(self, iris: Iterable[str]) -> list[Link]:
        """Links to ``iris``, sorted by label."""
        return sorted((self.link(i) for i in set(iris)), key=lambda k: k.label.casefold())


@dataclass(frozen=True)
class Timeline:
    """A HUB's time frame, drawn as a bar over a scale of years (positions in %)."""

    start: str | None
    end: str | None
    years: list[tuple[int, float]] = field(default_factory=list)
    left: float = 0.0
    width: float = 0.0


@dataclass(frozen=True)
class Member:
    """A stakeholder of a HUB with its roles there."""

    org: Link
    roles: list[Link]


@dataclass(frozen=True)
class Deliverable:
    """A deliverable of a HUB: title, description, status and due date as stated."""

    link: Link
    description: str | None
    status: Link | None
    due: str | None


def kind_of(kg: KnowledgeGraph, iri: str) -> str:
    """The page kind of ``iri`` (see :data:`KINDS`), or ``resource``."""
    classes = {row["k"].value for row in kg.select(_SUPERCLASSES, {"r": NamedNode(iri)})}
    if iri == ns.ONTOLOGY_IRI:
        return "ontology"
    return next((kind for kind, cls in KINDS if cls in classes), "resource")


def _year_fraction(text: str | None, *, end: bool) -> float | None:
    """A date, year-month or year as a fractional year (its last day when ``end``)."""
    match = _DATE.fullmatch(text or "")
    if not match:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    months = int(month) - (0 if end and not day else 1) if month else (12 if end else 0)
    days = (int(day) / 31) if day else 0.0
    return int(year) + (months + days) / 12


def timeline(start: str | None, end: str | None) -> Timeline:
    """Place ``start`` and ``end`` on a scale of whole years.

    Examples
    --------
    >>> t = timeline("2021-06-28", "2023-03")
    >>> [y for y, _ in t.years], round(t.left, 1), round(t.width, 1)
    ([2021, 2022, 2023, 2024], 16.4, 58.6)
    """
    first = _year_fraction(start, end=False)
    last = _year_fraction(end, end=True)
    if first is None and last is None:
        return Timeline(start, end)
    low = int(first if first is not None else last or 0)
    high = int(last if last is not None else first or 0) + 1
    if last is None:
        high = max(high, low + 2)  # room to show the bar running on
    span = high - low
    years = [(y, (y - low) / span * 100) for y in range(low, high + 1)]
    left = ((first if first is not None else low) - low) / span * 100
    right = ((last if last is not None else high) - low) / span * 100
    return Timeline(start, end, years, left, right - left)


def _hub(kg: KnowledgeGraph, d: Description, lang: str) -> dict[str, Any]:
    linker = Linker(d, lang)
    member_roles: dict[str, list[str]] = {}
    for part in d.iris(L4A + "hasParticipation"):
        for org in d.iris(ORG + "member", part):
            member_roles.setdefault(org, []).extend(d.iris(ORG + "role", part))
    for org in d.iris(L4A + "hasStakeholder"):
        member_roles.setdefault(org, [])
    role_labels = label_index(kg, (r for roles in member_roles.values() for r in roles))
    members = [
        Member(linker.link(org), Linker(role_labels, lang).links(roles))
        for org, roles in member_roles.items()
    ]
    members.sort(key=lambda m: (not m.roles, m.org.label.casefold()))
    goals = all_goals(kg)
    addressed = d.iris(L4A + "addressesGoal") + d.iris(L4A + "addresses")
    target_list = targets(kg, d.iris(L4A + "addressesTarget") + addressed)
    goal_iris = {g for g in addressed if g in goals} | {
        t.goal.iri for t in target_list if t.goal is not None
    }
    deliverables = []
    status_labels = label_index(
        kg, (s for x in d.iris(L4A + "hasDeliverable") for s in d.iris(L4A + "monitoringStatus", x))
    )
    for item in d.iris(L4A + "hasDeliverable"):
        status = d.iris(L4A + "monitoringStatus", item)
        due = d.literal(L4A + "dueDate", item)
        deliverables.append(
            Deliverable(
                linker.link(item),
                d.text(DCT + "description", lang, item),
                Linker(status_labels, lang).link(status[0]) if status else None,
                due.value if due is not None else None,
            )
        )
    territory = d.iris(L4A + "hasTerritory")
    countries = [row["c"].value for row in kg.select(_COUNTRY, {"r": NamedNode(d.iri)})]
    extra = label_index(kg, countries + d.iris(L4A + "lifecycleStage"))
    start, end = d.literal(L4A + "startDate"), d.literal(L4A + "endDate")
    return {
        "description": d.text(DCT + "description", lang),
        "comment": d.text(RDFS + "comment", lang),
        "leads": linker.links(d.iris(L4A + "hasLead")),
        "territory": linker.links(territory),
        "countries": Linker(extra, lang).links(countries),
        "members": members,
        "goals": [goals[g] for g in goals if g in goal_iris],
        "targets": [t for t in target_list if t.iri not in goals],
        "axes": linker.links(d.iris(L4A + "contributesToAxis")),
        "stage": Linker(d, lang, extra).links(d.iris(L4A + "lifecycleStage")),
        "timeline": timeline(start.value if start else None, end.value if end else None),
        "deliverables": sorted(deliverables, key=lambda x: x.link.label.casefold()),
        "processes": linker.links(d.iris(L4A + "connectedToProcess")),
        "calls": linker.links(d.iris(L4A + "respondsToCall")),
        "sources": d.iris(DCT + "source"),
        "related": related(kg, d.iri, lang),
    }


def _org(kg: KnowledgeGraph, d: Description, lang: str) -> dict[str, Any]:
    rows = list(kg.select(_ORG_HUBS, {"r": NamedNode(d.iri)}))
    roles: dict[str, set[str]] = {}
    for row in rows:
        roles.setdefault(row["hub"].value, set())
        if row["role"] is not None:
            roles[row["hub"].value].add(row["role"].value)
    labels = label_index(kg, [*roles, *(r for rs in roles.values() for r in rs)])
    linker = Linker(labels, lang)
    return {
        "leads": Linker(d, lang).links(d.referrers(L4A + "hasLead")),
        "hubs": [(linker.link(h), linker.links(rs)) for h, rs in sorted(roles.items())],
        "territory": Linker(d, lang).links(d.iris(L4A + "hasTerritory")),
        "countries": Linker(d, lang).links(d.iris(L4A + "country")),
        "sections": Linker(d, lang).links(d.iris(L4A + "memberOfSection")),
    }


def _goal(kg: KnowledgeGraph, d: Description, lang: str) -> dict[str, Any]:
    linker = Linker(d, lang)
    direct = set(d.referrers(L4A + "addressesGoal")) | set(d.referrers(L4A + "addresses"))
    through: dict[str, list[str]] = {}
    for target in d.referrers(SKOS + "broader"):
        for hub in d.referrers(L4A + "addressesTarget", target):
            through.setdefault(hub, []).append(target)
    hubs = [
        (linker.link(h), h in direct, linker.links(through.get(h, [])))
        for h in direct | set(through)
    ]
    narrower = d.iris(SKOS + "narrower")
    return {
        "goal": all_goals(kg).get(d.iri),
        "hubs": sorted(hubs, key=lambda h: h[0].label.casefold()),
        "targets": sorted(
            (linker.link(t) for t in narrower if _notation(d, t)),
            key=lambda k: code_key(_notation(d, k.iri)),
        ),
        "codes": {t: _notation(d, t) for t in narrower},
    }


def _notation(d: Description, iri: str) -> str:
    value = d.literal(SKOS + "notation", iri)
    return value.value if value is not None else ""


def _target(kg: KnowledgeGraph, d: Description, lang: str) -> dict[str, Any]:
    linker = Linker(d, lang)
    found: list[Target] = targets(kg, [d.iri])
    hubs = set(d.referrers(L4A + "addressesTarget")) | set(d.referrers(L4A + "addresses"))
    return {
        "target": found[0] if found else None,
        "hubs": linker.links(hubs),
        "indicators": [(linker.link(i), _notation(d, i)) for i in d.iris(SKOS + "narrower")],
    }


def _concept(kg: KnowledgeGraph, d: Description, lang: str) -> dict[str, Any]:
    linker = Linker(d, lang)
    return {
        "definition": d.text(SKOS + "definition", lang),
        "alt": d.text(SKOS + "altLabel", lang),
        "schemes": linker.links(d.iris(SKOS + "inScheme")),
        "hubs": linker.links(
            d.referrers(L4A + "contributesToAxis")
            + d.referrers(L4A + "lifecycleStage")
            + d.referrers(L4A + "offersExpertise")
            + d.referrers(L4A + "seeksExpertise")
        ),
        "broader": linker.links(d.iris(SKOS + "broader")),
        "narrower": linker.links(d.iris(SKOS + "narrower")),
    }


def _scheme(kg: KnowledgeGraph, d: Description, lang: str) -> dict[str, Any]:
    linker = Linker(d, lang)
    concepts = set(d.iris(SKOS + "hasTopConcept")) | set(d.referrers(SKOS + "inScheme"))

    def order(link: Link) -> tuple[int, str]:
        value = d.literal(L4A + "order", link.iri)
        return (int(value.value) if value is not None else 10**6, link.label.casefold())

    return {
        "definition": d.text(SKOS + "definition", lang),
        "concepts": sorted((linker.link(c) for c in concepts), key=order),
    }


def _territory(kg: KnowledgeGraph, d: Description, lang: str) -> dict[str, Any]:
    linker = Linker(d, lang)
    lat, long = d.literal(WGS + "lat"), d.literal(WGS + "long")
    return {
        "part_of": linker.links(d.iris(L4A + "partOf")),
        "countries": linker.links(d.iris(L4A + "country")),
        "parts": linker.links(d.referrers(L4A + "partOf")),
        "based_here": linker.links(d.referrers(L4A + "hasTerritory")),
        "in_country": linker.links(
            set(d.referrers(L4A + "country")) - set(d.referrers(L4A + "partOf"))
        ),
        "coordinates": (lat.value, long.value) if lat is not None and long is not None else None,
        "codes": [
            v.value
            for p in (L4A + "iso3166Alpha2", L4A + "iso3166Alpha3")
            if (v := d.literal(p)) is not None
        ],
    }


def _section(kg: KnowledgeGraph, d: Description, lang: str) -> dict[str, Any]:
    linker = Linker(d, lang)
    return {
        "members": linker.links(d.referrers(L4A + "memberOfSection")),
        "unit_of": linker.links(d.iris(ORG + "unitOf")),
    }


BUILDERS: Final = {
    "hub": _hub,
    "org": _org,
    "goal": _goal,
    "target": _target,
    "axis": _concept,
    "concept": _concept,
    "scheme": _scheme,
    "territory": _territory,
    "section": _section,
}


def build(kg: KnowledgeGraph, kind: str, d: Description, lang: str) -> dict[str, Any]:
    """The template variables of a page of ``kind`` (none for a generic resource)."""
    builder = BUILDERS.get(kind)
    return builder(kg, d, lang) if builder is not None else {}


def title(d: Description, lang: str) -> str:
    """The page title: the resource's label in ``lang``."""
    return d.label(d.iri, lang)


def is_literal(value: object) -> bool:
    """For templates: True for a literal (shown as text), False for an IRI or blank node."""
    return isinstance(value, Literal)


def goals_for(kg: KnowledgeGraph) -> list[Goal]:
    """Every goal, in order (for the home page's grid)."""
    return list(all_goals(kg).values())
