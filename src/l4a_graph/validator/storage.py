"""Storing an accepted submission as a new version, atomically and with its provenance.

Version ``N`` of the submissions of HUB ``<slug>`` lives in its own named graph
``https://w3id.org/l4a/graph/submission/<slug>/v<N>``; its PROV-O record, in
``https://w3id.org/l4a/graph/provenance``, says when, by whom, from which file, with
which SHA-256, which version it is, which version it revises and whether it is the
current one. Everything is written by ONE SPARQL update (its operations form one
transaction in the store), which also computes ``N`` and flips ``l4a:isCurrentVersion``
of the older versions: a failure anywhere leaves the store as it was, and two
submissions of the same HUB cannot both get the same number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Final

from pyoxigraph import Literal, NamedNode, QuerySolutions

from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError, QueryError, StoreError
from l4a_graph.store import Store
from l4a_graph.validator.intake import Submission
from l4a_graph.validator.report import Report

__all__ = [
    "StoredSubmission",
    "Submitted",
    "store_submission",
    "submission_graph",
    "submission_iri",
]

_HUB_IRI: Final = re.compile(re.escape(ns.ID + "hub/") + r"([a-z0-9]+(?:-[a-z0-9]+)*)")
_AGENT_IRI: Final = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class StoredSubmission:
    """Where an accepted submission went and how it is recorded.

    Parameters
    ----------
    iri
        The submission version, ``https://w3id.org/l4a/id/submission/<slug>/v<N>``.
    graph
        Its named graph, ``https://w3id.org/l4a/graph/submission/<slug>/v<N>``.
    hub
        The HUB it describes.
    version
        ``N``: 1 for the first submission of the HUB.
    """

    iri: str
    graph: str
    hub: str
    version: int


@dataclass(frozen=True)
class Submitted:
    """The outcome of a submit: the stage-2 report, and where it went if it conforms."""

    report: Report
    stored: StoredSubmission | None


def submission_iri(slug: str, version: int) -> str:
    """The IRI of version ``version`` of the submissions of HUB ``slug``."""
    return f"{ns.ID}submission/{slug}/v{version}"


def submission_graph(slug: str, version: int) -> str:
    """The named graph of version ``version`` of the submissions of HUB ``slug``."""
    return f"{ns.GRAPH}submission/{slug}/v{version}"


def store_submission(
    store: Store, submission: Submission, *, by: str | None = None
) -> StoredSubmission:
    """Store ``submission`` (already validated) as the next version of its HUB.

    Parameters
    ----------
    store
        Where to write.
    submission
        A submission that conforms at stage 2.
    by
        Who submits: an IRI (``mailto:``, ``https://orcid.org/...``) or a name.

    Raises
    ------
    InputError
        If the submission does not describe exactly one HUB of the project namespace.
    StoreError
        If the store refuses the write; then nothing was written.
    """
    hub, slug = _hub(submission)
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        store.update(_update(submission, hub, slug, generated, by))
    except (QueryError, StoreError) as error:
        raise StoreError(
            f"the store refused the submission, nothing was written: {error}"
        ) from error
    version = _version(store, hub, generated, submission.sha256)
    return StoredSubmission(
        submission_iri(slug, version), submission_graph(slug, version), hub, version
    )


def _hub(submission: Submission) -> tuple[str, str]:
    hubs = submission.hubs
    match = _HUB_IRI.fullmatch(hubs[0].value) if len(hubs) == 1 else None
    if match is None:
        raise InputError(
            f"{submission.name}: a submission describes exactly one HUB of {ns.ID}hub/"
        )
    return hubs[0].value, match.group(1)


def _update(submission: Submission, hub: str, slug: str, generated: str, by: str | None) -> str:
    """The one SPARQL update that stores the submission and its provenance."""
    prov, hub_term = f"<{ns.GRAPH_PROVENANCE}>", f"<{hub}>"
    triples = "\n".join(f"    {q.subject} {q.predicate} {q.object} ." for q in submission.quads)
    agent = _agent(by)
    return f"""
PREFIX l4a: <{ns.L4A}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE {{ GRAPH {prov} {{ ?old l4a:isCurrentVersion true }} }}
INSERT {{ GRAPH {prov} {{ ?old l4a:isCurrentVersion false }} }}
WHERE {{ GRAPH {prov} {{ ?old l4a:submissionOf {hub_term} ; l4a:isCurrentVersion true }} }} ;
INSERT {{
  GRAPH ?graph {{
{triples}
  }}
  GRAPH {prov} {{
    ?submission a l4a:Submission , prov:Entity ;
        l4a:submissionOf {hub_term} ;
        l4a:versionNumber ?version ;
        l4a:isCurrentVersion true ;
        l4a:stage 2 ;
        l4a:sha256 {Literal(submission.sha256)} ;
        dcterms:source {Literal(PurePath(submission.name).name)} ;
        prov:generatedAtTime "{generated}"^^xsd:dateTime ;
        prov:atLocation ?graph ;
        prov:wasRevisionOf ?previous {agent}.
  }}
}}
WHERE {{
  {{ SELECT (COALESCE(MAX(?n), 0) + 1 AS ?version) WHERE {{
       OPTIONAL {{ GRAPH {prov} {{ ?any l4a:submissionOf {hub_term} ; l4a:versionNumber ?n }} }}
  }} }}
  OPTIONAL {{ GRAPH {prov} {{ ?previous l4a:submissionOf {hub_term} ; l4a:versionNumber ?last }}
             FILTER (?last = ?version - 1) }}
  BIND (IRI(CONCAT("{ns.ID}submission/{slug}/v", STR(?version))) AS ?submission)
  BIND (IRI(CONCAT("{ns.GRAPH}submission/{slug}/v", STR(?version))) AS ?graph)
}}"""


def _agent(by: str | None) -> str:
    """The ``prov:wasAttributedTo`` part of the record: an IRI, or a named agent."""
    if not by:
        return ""
    if _AGENT_IRI.match(by):
        return f"; prov:wasAttributedTo {NamedNode(by)} "
    return f"; prov:wasAttributedTo [ a prov:Agent ; rdfs:label {Literal(by)} ] "


def _version(store: Store, hub: str, generated: str, sha256: str) -> int:
    """The version number the update gave to the submission made at ``generated``."""
    result = store.query(
        f"""PREFIX l4a: <{ns.L4A}>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?version WHERE {{ GRAPH <{ns.GRAPH_PROVENANCE}> {{
              ?s l4a:submissionOf ?hub ; l4a:versionNumber ?version ;
                 prov:generatedAtTime ?time ; l4a:sha256 ?sha }} }}
            ORDER BY DESC(?version) LIMIT 1""",
        bindings={
            "hub": NamedNode(hub),
            "time": Literal(
                generated, datatype=NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
            ),
            "sha": Literal(sha256),
        },
    )
    assert isinstance(result, QuerySolutions)
    row = next(iter(result), None)
    if row is None:
        raise StoreError(f"the submission of {hub} was written but its record cannot be read back")
    return int(row["version"].value)
