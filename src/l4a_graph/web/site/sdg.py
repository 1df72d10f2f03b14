"""The SDG goals as pages show them: number, official colour, short and full UN labels.

The 17 goals are read once per data generation; targets are looked up per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from pyoxigraph import Literal, NamedNode

from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.web.site.i18n import pick
from l4a_graph.web.site.state import site

__all__ = ["Goal", "Target", "all_goals", "goal_of", "targets"]

_GOALS: Final = """
SELECT ?g ?n ?c ?p ?a WHERE {
  ?g a sdgo:Goal ; skos:notation ?n .
  OPTIONAL { ?g l4a:colour ?c }
  OPTIONAL { ?g skos:prefLabel ?p }
  OPTIONAL { ?g skos:altLabel ?a }
}"""

_TARGETS: Final = """
SELECT ?t ?n ?g ?p WHERE {
  VALUES ?t { %s }
  ?t skos:notation ?n .
  OPTIONAL { ?t skos:broader ?g . ?g a sdgo:Goal }
  OPTIONAL { ?t skos:prefLabel ?p }
}"""

NEUTRAL: Final = "#5A6270"
"""Square colour when the data gives none (never the case for the shipped goals)."""


@dataclass(frozen=True)
class Goal:
    """An SDG goal, ready to draw as a coloured square with its number and label."""

    iri: str
    number: str
    colour: str
    short: dict[str, str]
    """The short names ("Quality education"), by language."""
    full: dict[str, str]
    """The UN goal texts, by language."""

    def name(self, lang: str) -> str:
        """The short name in ``lang`` (en, then any, as fallbacks), else the full text."""
        return pick(self.short, lang) or pick(self.full, lang)

    def text(self, lang: str) -> str:
        """The full UN text in ``lang``, with the same fallbacks."""
        return pick(self.full, lang) or self.name(lang)

    @property
    def ink(self) -> str:
        """Black or white, whichever reads better on the square's colour."""
        red, green, blue = (int(self.colour[i : i + 2], 16) for i in (1, 3, 5))
        return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 186 else "#FFFFFF"


@dataclass(frozen=True)
class Target:
    """An SDG target with its code, its UN texts and its goal."""

    iri: str
    code: str
    full: dict[str, str]
    goal: Goal | None

    def text(self, lang: str) -> str:
        """The UN text in ``lang`` (en, then any, as fallbacks)."""
        return pick(self.full, lang) or self.code


def _language(value: object) -> str:
    return value.language or "" if isinstance(value, Literal) else ""


def _read_goals(kg: KnowledgeGraph) -> dict[str, Goal]:
    rows: dict[str, tuple[str, str, dict[str, str], dict[str, str]]] = {}
    for row in kg.select(_GOALS):
        iri = row["g"].value
        number, colour, full, short = rows.setdefault(iri, (row["n"].value, NEUTRAL, {}, {}))
        if row["c"] is not None:
            colour = row["c"].value
        if row["p"] is not None:
            full[_language(row["p"])] = row["p"].value
        if row["a"] is not None:
            short[_language(row["a"])] = row["a"].value
        rows[iri] = (number, colour, full, short)
    goals = [Goal(iri, n, c, s, f) for iri, (n, c, f, s) in rows.items()]
    return {g.iri: g for g in sorted(goals, key=lambda g: int(g.number))}


def all_goals(kg: KnowledgeGraph) -> dict[str, Goal]:
    """Every SDG goal by IRI, in goal order."""
    return site().cached(("goals",), lambda: _read_goals(kg))


def goal_of(kg: KnowledgeGraph, iri: str) -> Goal | None:
    """The goal ``iri``, or None if it is not one."""
    return all_goals(kg).get(iri)


def targets(kg: KnowledgeGraph, iris: Iterable[str]) -> list[Target]:
    """The targets ``iris`` with their goals, in code order (unknown IRIs left out)."""
    wanted = sorted(set(iris))
    if not wanted:
        return []
    goals = all_goals(kg)
    # IRIs written by the RDF library: they cannot break out of the VALUES block.
    sparql = _TARGETS % " ".join(str(NamedNode(i)) for i in wanted)
    found: dict[str, tuple[str, str | None, dict[str, str]]] = {}
    for row in kg.select(sparql):
        code, goal, full = found.setdefault(row["t"].value, (row["n"].value, None, {}))
        if row["g"] is not None:
            goal = row["g"].value
        if row["p"] is not None:
            full[_language(row["p"])] = row["p"].value
        found[row["t"].value] = (code, goal, full)
    result = [
        Target(iri, code, full, goals.get(goal) if goal else None)
        for iri, (code, goal, full) in found.items()
    ]
    return sorted(result, key=lambda t: code_key(t.code))


def code_key(code: str) -> list[tuple[int, str]]:
    """Sort key for SDG codes: ``4.2`` before ``4.10``, ``4.10`` before ``4.a``.

    Examples
    --------
    >>> sorted(["4.a", "4.10", "4.2", "11.1"], key=code_key)
    ['4.2', '4.10', '4.a', '11.1']
    """
    return [(0, f"{int(part):04d}") if part.isdigit() else (1, part) for part in code.split(".")]
