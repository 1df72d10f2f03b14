"""The IRIs matchmaking writes: its named graphs, its terms and the IRIs of its records.

The ``l4a:`` terms below are declared, with labels and definitions in en/fr/es, in the
"Matchmaking results" section of ``ontology/l4a.ttl``; :data:`TERMS` summarises them.
"""

from __future__ import annotations

from typing import Final, TypeAlias

from pyoxigraph import BlankNode, Literal, NamedNode

from l4a_graph import namespaces as ns

Statement: TypeAlias = tuple[NamedNode | BlankNode, NamedNode, NamedNode | BlankNode | Literal]
"""A triple to be put in a graph."""

GRAPH_FEEDBACK: Final = ns.GRAPH + "match-feedback"
"""Accepted and rejected candidates, one PROV entity per decision."""

SOFTWARE: Final = NamedNode(ns.ID + "software/l4a-graph")
SECRETARIAT: Final = NamedNode(ns.ID + "org/uclg")
"""Who decides on a candidate by default: UCLG (its World Secretariat)."""

TERMS: Final[dict[str, str]] = {
    "MatchRun": "class, subclass of prov:Activity: one run of matchmaking",
    "MatchCandidate": "class, subclass of prov:Entity: one suggested pair of HUBs",
    "MatchFeedback": "class, subclass of prov:Entity: the Secretariat's decision on a pair",
    "forHub": "MatchCandidate or MatchFeedback -> Hub: the HUB candidates were sought for",
    "candidateHub": "MatchCandidate or MatchFeedback -> Hub: the HUB suggested",
    "matchRank": "MatchCandidate -> xsd:integer, 1 for the best",
    "matchScore": "MatchCandidate -> xsd:decimal in [0, 1]",
    "matchMethod": "MatchCandidate or MatchRun -> text: the scoring method",
    "methodVersion": "MatchCandidate or MatchRun -> text: version of the scoring formula",
    "matchWeights": "MatchRun -> text: the weights, as `l4a match --weights` takes them",
    "signal": "MatchCandidate -> node with rdfs:label (signal name) and rdf:value (score)",
    "sharedTarget": "MatchCandidate -> SDG target both HUBs address",
    "sharedGoal": "MatchCandidate -> SDG goal both HUBs address",
    "sharedAxis": "MatchCandidate -> Pact axis both HUBs contribute to",
    "broker": "MatchCandidate -> Stakeholder both HUBs share",
    "complementaryTopic": "MatchCandidate -> ExpertiseTopic one HUB offers, the other seeks",
    "decision": 'MatchFeedback -> "accepted" or "rejected"',
}


def term(name: str) -> NamedNode:
    """The IRI of the ``l4a:`` term ``name`` (one of :data:`TERMS`, or of the ontology)."""
    return NamedNode(ns.L4A + name)


def matches_graph(run_id: str) -> str:
    """The named graph of the candidates of run ``run_id``."""
    return f"{ns.GRAPH}matches/{run_id}"


def run_iri(run_id: str) -> NamedNode:
    """The PROV activity of run ``run_id``."""
    return NamedNode(f"{ns.ID}match-run/{run_id}")


def candidate_iri(run_id: str, rank: int) -> NamedNode:
    """The candidate ranked ``rank`` in run ``run_id``."""
    return NamedNode(f"{ns.ID}match/{run_id}/{rank}")
