"""The workspace's IRIs: its named graphs, its own small vocabulary and its states.

Everything the workspace writes lives in the private store
(:attr:`~l4a_graph.knowledge_graph.KnowledgeGraph.private`) under
:data:`WORKSPACE_GRAPH`, one named graph per application plus one per submitted version.
Its terms (``ws:``) are private bookkeeping, never published; the facts about HUBs use
the project's ontology (``l4a:``) and PROV-O.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from l4a_graph import namespaces as ns

__all__ = [
    "APPLICATION_BASE",
    "DRAFT_STATES",
    "LIFECYCLE",
    "WORKSPACE_GRAPH",
    "WS",
    "Decision",
    "State",
    "application_graph",
    "application_iri",
    "lifecycle_iri",
    "version_graph",
]

WORKSPACE_GRAPH: Final = ns.GRAPH_WORKSPACE
"""Prefix of every named graph the workspace writes (all in the private store)."""

WS: Final = ns.BASE + "workspace#"
"""The workspace's own terms: states, decisions, form data. Private, never published."""

APPLICATION_BASE: Final = ns.BASE + "workspace/application/"
"""Prefix of the IRIs of applications (drafts and pending submissions)."""

LIFECYCLE: Final = ns.ID + "lifecycle-stage/"
"""Prefix of the lifecycle stage concepts (``ontology/schemes.ttl``)."""

PROV: Final = ns.PREFIXES["prov"]


class State(StrEnum):
    """Where an application is in the workflow of the call for proposals."""

    DRAFT_1 = "draft-stage-1"
    """The applicant fills the first set of questions (eligibility)."""
    AWAITING_1 = "awaiting-stage-1"
    """Submitted; the Secretariat validates stage 1."""
    DRAFT_2 = "draft-stage-2"
    """Eligible: the applicant answers the second set of questions."""
    AWAITING_2 = "awaiting-stage-2"
    """Submitted complete; the Secretariat validates stage 2."""
    AWAITING_LABEL = "awaiting-labelling"
    """Complete and accepted; the Secretariat awards the label (final acceptance)."""
    LABELLED = "labelled"
    """Labelled: the HUB is public (stored with KnowledgeGraph.submit)."""
    REJECTED = "rejected"
    """Rejected at one of the reviews, with a comment."""

    @property
    def iri(self) -> str:
        """The state as an IRI of the workspace vocabulary."""
        return WS + self.value

    @property
    def stage(self) -> int:
        """The validation stage whose questions the application answers in this state."""
        return 1 if self in (State.DRAFT_1, State.AWAITING_1) else 2


DRAFT_STATES: Final = (State.DRAFT_1, State.DRAFT_2)
"""The states in which the applicant may still edit and submit."""


class Decision(StrEnum):
    """What the Secretariat decided at a review."""

    ACCEPT = "accept"
    REJECT = "reject"

    @property
    def iri(self) -> str:
        """The decision as an IRI of the workspace vocabulary."""
        return WS + ("accepted" if self is Decision.ACCEPT else "rejected")


def lifecycle_iri(slug: str) -> str:
    """The lifecycle stage concept ``slug`` (``definition``...)."""
    return LIFECYCLE + slug


def application_iri(app_id: str) -> str:
    """The IRI of the application ``app_id``."""
    return APPLICATION_BASE + app_id


def application_graph(app_id: str) -> str:
    """The named graph of the record of application ``app_id``."""
    return f"{WORKSPACE_GRAPH}application/{app_id}"


def version_graph(app_id: str, number: int) -> str:
    """The named graph of the triples of submitted version ``number`` of ``app_id``."""
    return f"{WORKSPACE_GRAPH}application/{app_id}/v{number}"
