"""Storing an accepted submission as a new version, atomically and with its provenance.

Version ``N`` of the submissions of HUB ``<slug>`` lives in its own named graph
``https://w3id.org/l4a/graph/submission/<slug>/v<N>``; its PROV-O record, in
``https://w3id.org/l4a/graph/provenance``, says when, by whom, from which file, with
which SHA-256, which version it is, which version it revises and whether it is the
current one. The public part is written by ONE SPARQL update (one transaction in the
store), which also flips ``l4a:isCurrentVersion`` of the older versions and removes the
previous version's graph from the public dataset (it is archived in the private store
first, with the contact details of people; see :mod:`l4a_graph.validator.contacts`).
Versions are numbered by the one writer of a store: the web app's write lock, or the
lock an on-disk store takes for the process that opens it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Final

from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions

from l4a_graph import journal
from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError, QueryError, StoreError
from l4a_graph.store import Store
from l4a_graph.store.base import copy_graph, write_graph
from l4a_graph.validator.contacts import split_contacts
from l4a_graph.validator.intake import Submission
from l4a_graph.validator.report import Report

__all__ = [
    "SUBMIT",
    "StoredSubmission",
    "Submitted",
    "current_version",
    "store_submission",
    "submission_graph",
    "submission_iri",
    "undo_submission",
]

_HUB_IRI: Final = re.compile(re.escape(ns.ID + "hub/") + r"([a-z0-9]+(?:-[a-z0-9]+)*)")
XSD_DATETIME: Final = "http://www.w3.org/2001/XMLSchema#dateTime"
SUBMIT: Final = "submit"
"""The journal's name for a submission in progress."""
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
    store: Store, private: Store, submission: Submission, *, by: str | None = None
) -> StoredSubmission:
    """Store ``submission`` (already validated) as the next version of its HUB.

    The contact details of people go to a restricted graph of ``private``; the previous
    version, if any, is archived in ``private`` and leaves the public dataset, so that
    queries see each HUB once. The steps are journalled (see :mod:`l4a_graph.journal`):
    a process killed between them leaves either the whole new version or none of it
    once :meth:`~l4a_graph.knowledge_graph.KnowledgeGraph.recover` has run.

    Parameters
    ----------
    store
        The public store.
    private
        The private store (restricted, archived and journal graphs).
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
    public, restricted = split_contacts(submission.quads)
    previous = current_version(store, hub)
    version = previous[0] + 1 if previous else 1
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    entry = journal.begin(private, SUBMIT, hub, version)
    try:
        if previous:
            copy_graph(store, previous[1], private, ns.archive_graph(slug, previous[0]))
        if restricted:
            write_graph(private, ns.restricted_graph(slug, version), restricted)
        store.update(_update(public, submission, hub, slug, version, previous, generated, by))
    except (QueryError, StoreError) as error:
        undo_submission(private, hub, version)
        journal.end(private, entry)
        raise StoreError(
            f"the store refused the submission, nothing was written: {error}"
        ) from error
    journal.end(private, entry)
    _check_recorded(store, hub, version, generated, submission.sha256)
    return StoredSubmission(
        submission_iri(slug, version), submission_graph(slug, version), hub, version
    )


def current_version(store: Store, hub: str) -> tuple[int, str] | None:
    """The number and graph of the latest stored version of ``hub``, if there is one."""
    result = store.query(
        f"""PREFIX l4a: <{ns.L4A}>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?version ?graph WHERE {{ GRAPH <{ns.GRAPH_PROVENANCE}> {{
              ?s l4a:submissionOf ?hub ; l4a:versionNumber ?version ; prov:atLocation ?graph
            }} }} ORDER BY DESC(?version) LIMIT 1""",
        bindings={"hub": NamedNode(hub)},
    )
    assert isinstance(result, QuerySolutions)
    row = next(iter(result), None)
    return (int(row["version"].value), row["graph"].value) if row else None


def undo_submission(private: Store, hub: str, version: int) -> None:
    """Remove what an unfinished submission of ``version`` wrote to the private store.

    Only the restricted contacts of the new version and the archive copy of the previous
    one: the public store still holds the previous version itself.
    """
    slug = _HUB_IRI.fullmatch(hub)
    if slug is None:
        return
    private.drop_graph(ns.restricted_graph(slug.group(1), version))
    if version > 1:
        private.drop_graph(ns.archive_graph(slug.group(1), version - 1))


def _hub(submission: Submission) -> tuple[str, str]:
    hubs = submission.hubs
    match = _HUB_IRI.fullmatch(hubs[0].value) if len(hubs) == 1 else None
    if match is None:
        raise InputError(
            f"{submission.name}: a submission describes exactly one HUB of {ns.ID}hub/"
        )
    return hubs[0].value, match.group(1)


def _update(
    quads: list[Quad],
    submission: Submission,
    hub: str,
    slug: str,
    version: int,
    previous: tuple[int, str] | None,
    generated: str,
    by: str | None,
) -> str:
    """The one SPARQL update that stores the public part and its provenance."""
    prov, hub_term = f"<{ns.GRAPH_PROVENANCE}>", f"<{hub}>"
    triples = "\n".join(f"    {q.subject} {q.predicate} {q.object} ." for q in quads)
    revises = f"; prov:wasRevisionOf <{submission_iri(slug, previous[0])}> " if previous else ""
    supersede = f"DROP SILENT GRAPH <{previous[1]}> ;" if previous else ""
    return f"""
PREFIX l4a: <{ns.L4A}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE {{ GRAPH {prov} {{ ?old l4a:isCurrentVersion true }} }}
INSERT {{ GRAPH {prov} {{ ?old l4a:isCurrentVersion false }} }}
WHERE {{ GRAPH {prov} {{ ?old l4a:submissionOf {hub_term} ; l4a:isCurrentVersion true }} }} ;
{supersede}
INSERT DATA {{
  GRAPH <{submission_graph(slug, version)}> {{
{triples}
  }}
  GRAPH {prov} {{
    <{submission_iri(slug, version)}> a l4a:Submission , prov:Entity ;
        l4a:submissionOf {hub_term} ;
        l4a:versionNumber {version} ;
        l4a:isCurrentVersion true ;
        l4a:stage 2 ;
        l4a:sha256 {Literal(submission.sha256)} ;
        dcterms:source {Literal(PurePath(submission.name).name)} ;
        prov:generatedAtTime "{generated}"^^xsd:dateTime ;
        prov:atLocation <{submission_graph(slug, version)}> {revises}{_agent(by)}.
  }}
}}"""


def _agent(by: str | None) -> str:
    """The ``prov:wasAttributedTo`` part of the record: an IRI, or a named agent."""
    if not by:
        return ""
    if _AGENT_IRI.match(by):
        return f"; prov:wasAttributedTo {NamedNode(by)} "
    return f"; prov:wasAttributedTo [ a prov:Agent ; rdfs:label {Literal(by)} ] "


def _check_recorded(store: Store, hub: str, version: int, generated: str, sha256: str) -> None:
    """Check that the record of version ``version`` is ours: another writer may have raced."""
    result = store.query(
        f"""PREFIX l4a: <{ns.L4A}>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT (COUNT(*) AS ?records) (SUM(IF(?time = ?ours && ?sha = ?digest, 1, 0)) AS ?mine)
            WHERE {{ GRAPH <{ns.GRAPH_PROVENANCE}> {{
              ?s l4a:submissionOf ?hub ; l4a:versionNumber ?version ;
                 prov:generatedAtTime ?time ; l4a:sha256 ?sha }} }}""",
        bindings={
            "hub": NamedNode(hub),
            "version": Literal(version),
            "ours": Literal(generated, datatype=NamedNode(XSD_DATETIME)),
            "digest": Literal(sha256),
        },
    )
    assert isinstance(result, QuerySolutions)
    row = next(iter(result))
    if (int(row["records"].value), int(row["mine"].value)) != (1, 1):
        raise StoreError(
            f"version {version} of {hub} was written, but another writer stored a version "
            "at the same moment: check the provenance graph"
        )
