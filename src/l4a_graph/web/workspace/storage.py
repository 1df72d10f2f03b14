"""Where applications live: drafts, submitted versions and reviews, in the private store.

One named graph per application, ``<WORKSPACE_GRAPH>application/<id>``, holds its record
(state, lifecycle stage, language, the answers as JSON, the HUB IRI once fixed) and its
history in PROV-O: each submitted version (a ``prov:Entity`` whose triples are in their
own graph ``.../application/<id>/v<N>``) and each review (a ``prov:Activity``: who,
when, the decision, the comment, the lifecycle stages before and after). Every change
is ONE SPARQL update, so it happens whole or not at all; changes that depend on the
current state run under :attr:`WorkspaceStore.lock`.

The applicant's link carries a random token; only its SHA-256 names the application,
so the store never holds the link itself. Nothing here is ever in the public store.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import Final

from pyoxigraph import Literal, NamedNode, QuerySolutions

from l4a_graph import namespaces as ns
from l4a_graph.formats import by_name
from l4a_graph.store import Store
from l4a_graph.validator.intake import Submission
from l4a_graph.web.workspace.form import ApplicationForm
from l4a_graph.web.workspace.vocabulary import (
    DRAFT_STATES,
    PROV,
    WORKSPACE_GRAPH,
    WS,
    Decision,
    State,
    application_graph,
    application_iri,
    lifecycle_iri,
    version_graph,
)

__all__ = ["Application", "Event", "WorkspaceStore", "app_id_of", "now"]

XSD: Final = ns.PREFIXES["xsd"]
RDFS: Final = ns.PREFIXES["rdfs"]
DCT: Final = ns.PREFIXES["dcterms"]
_TOKEN: Final = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_ID: Final = re.compile(r"^[0-9a-f]{32}$")
_AGENT_IRI: Final = re.compile(r"^(mailto:|https?://)[^\s<>\"{}|\\^`]+$")
PREFIXES: Final = f"""PREFIX ws: <{WS}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCT}>
PREFIX rdfs: <{RDFS}>
PREFIX xsd: <{XSD}>
PREFIX l4a: <{ns.L4A}>
"""


def now() -> str:
    """The current time as an ``xsd:dateTime`` text, UTC, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def app_id_of(token: str) -> str | None:
    """The application a draft link's token opens (None for a malformed token).

    Examples
    --------
    >>> app_id_of("not a token") is None, len(app_id_of("a" * 32) or "")
    (True, 32)
    """
    if not _TOKEN.match(token):
        return None
    return hashlib.sha256(token.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Application:
    """An application as its record says now."""

    id: str
    state: State
    lifecycle: str
    """The lifecycle stage concept the HUB is at (an IRI)."""
    lang: str
    form: ApplicationForm
    hub: str | None
    created: str
    modified: str
    versions: int
    """How many versions were submitted."""

    @property
    def iri(self) -> str:
        """The application's IRI."""
        return application_iri(self.id)

    @property
    def graph(self) -> str:
        """The named graph of its record."""
        return application_graph(self.id)

    @property
    def editable(self) -> bool:
        """Whether the applicant may still change and submit it."""
        return self.state in DRAFT_STATES


@dataclass(frozen=True)
class Event:
    """One entry of an application's history: a submitted version or a review."""

    kind: str
    """``submitted`` or ``review``."""
    time: str
    stage: int
    agent: str
    version: int | None = None
    decision: Decision | None = None
    comment: str = ""
    from_stage: str | None = None
    to_stage: str | None = None
    public: str | None = None
    """For the final acceptance: the public submission version it produced."""


def _term(value: str | None) -> str:
    return str(Literal(value or ""))


def _time(value: str) -> str:
    return str(Literal(value, datatype=NamedNode(XSD + "dateTime")))


def _agent(who: str) -> str:
    """An agent as a SPARQL term: an IRI for ``mailto:`` or web IRIs, else a named node."""
    if _AGENT_IRI.match(who):
        return str(NamedNode(who))
    return f"[ a prov:Agent ; rdfs:label {_term(who)} ]"


class WorkspaceStore:
    """The applications of the workspace, in ``store`` (the knowledge graph's private one).

    Parameters
    ----------
    store
        Where to keep them: :attr:`~l4a_graph.knowledge_graph.KnowledgeGraph.private`.
    writing
        The web app's way to be the one writer of the stores
        (:meth:`~l4a_graph.web.service.QueryService.writing_private`), so that a backup
        taken between two writes sees both stores agree; None to write directly.
    """

    def __init__(
        self, store: Store, writing: Callable[[], AbstractContextManager[Store]] | None = None
    ) -> None:
        self.store = store
        self._writing = writing
        self._held = threading.local()
        self.lock = threading.RLock()
        """Held by every change, so that a check of the state and the write after it
        are never split by another request."""

    def _update(self, sparql: str) -> None:
        """Run one update, as the one writer of the stores when ``writing`` was given."""
        if self._writing is None or getattr(self._held, "writer", False):
            self.store.update(sparql)
            return
        with self._writing() as store:
            store.update(sparql)

    @contextmanager
    def writer_held(self) -> Iterator[None]:
        """Declare that this thread already is the stores' one writer (inside the query
        service's ``writing()``): updates then run directly, without taking it again."""
        self._held.writer = True
        try:
            yield
        finally:
            self._held.writer = False

    # -- reading ---------------------------------------------------------------------

    def by_token(self, token: str) -> Application | None:
        """The application a draft link opens, if any."""
        app_id = app_id_of(token)
        return self.get(app_id) if app_id else None

    def get(self, app_id: str) -> Application | None:
        """The application ``app_id``, if it exists."""
        if not _ID.match(app_id):
            return None
        found = self._applications(f"VALUES ?app {{ <{application_iri(app_id)}> }}")
        return found[0] if found else None

    def listing(self, states: Iterable[State]) -> list[Application]:
        """The applications in ``states``, oldest change first."""
        values = " ".join(f"<{s.iri}>" for s in states)
        found = self._applications(f"VALUES ?state {{ {values} }}")
        return sorted(found, key=lambda a: a.modified)

    def counts(self) -> dict[State, int]:
        """How many applications are in each state."""
        result = self.store.query(
            PREFIXES
            + f"""SELECT ?state (COUNT(?app) AS ?n) WHERE {{ GRAPH ?g {{
                   ?app a ws:Application ; ws:state ?state }}
                   FILTER(STRSTARTS(STR(?g), "{WORKSPACE_GRAPH}")) }} GROUP BY ?state"""
        )
        assert isinstance(result, QuerySolutions)
        by_iri = {s.iri: s for s in State}
        counts = dict.fromkeys(State, 0)
        for row in result:
            state = by_iri.get(row["state"].value)
            if state is not None:
                counts[state] = int(row["n"].value)
        return counts

    def _applications(self, restriction: str) -> list[Application]:
        result = self.store.query(
            PREFIXES
            + f"""SELECT ?app ?state ?stage ?lang ?form ?hub ?created ?modified ?versions WHERE {{
              {restriction}
              GRAPH ?g {{
                ?app a ws:Application ; ws:state ?state ; ws:lifecycleStage ?stage ;
                     ws:language ?lang ; ws:form ?form ; ws:versions ?versions ;
                     dcterms:created ?created ; dcterms:modified ?modified .
                OPTIONAL {{ ?app ws:hub ?hub }}
              }}
              FILTER(STRSTARTS(STR(?g), "{WORKSPACE_GRAPH}"))
            }}"""
        )
        assert isinstance(result, QuerySolutions)
        by_iri = {s.iri: s for s in State}
        found = []
        for row in result:
            found.append(
                Application(
                    id=row["app"].value.rsplit("/", 1)[-1],
                    state=by_iri[row["state"].value],
                    lifecycle=row["stage"].value,
                    lang=row["lang"].value,
                    form=ApplicationForm.from_json(row["form"].value),
                    hub=row["hub"].value if row["hub"] is not None else None,
                    created=row["created"].value,
                    modified=row["modified"].value,
                    versions=int(row["versions"].value),
                )
            )
        return found

    def history(self, app: Application) -> list[Event]:
        """What happened to ``app``: its submitted versions and its reviews, in order."""
        result = self.store.query(
            PREFIXES
            + f"""SELECT ?kind ?time ?stage ?agentIri ?agentName ?version ?decision ?comment
                     ?from ?to ?public WHERE {{ GRAPH <{app.graph}> {{
              {{ ?e a ws:SubmittedVersion ; prov:generatedAtTime ?time ; ws:stage ?stage ;
                    ws:versionNumber ?version ; prov:wasAttributedTo ?agent .
                 BIND("submitted" AS ?kind) }}
              UNION
              {{ ?e a ws:Review ; prov:endedAtTime ?time ; ws:reviewStage ?stage ;
                    ws:decision ?decision ; prov:wasAssociatedWith ?agent ;
                    prov:used/ws:versionNumber ?version .
                 OPTIONAL {{ ?e rdfs:comment ?comment }}
                 OPTIONAL {{ ?e ws:fromStage ?from }} OPTIONAL {{ ?e ws:toStage ?to }}
                 OPTIONAL {{ ?e prov:generated ?public }}
                 BIND("review" AS ?kind) }}
              OPTIONAL {{ ?agent rdfs:label ?agentName }}
              BIND(IF(isIRI(?agent), STR(?agent), "") AS ?agentIri)
            }} }} ORDER BY ?time"""
        )
        assert isinstance(result, QuerySolutions)
        events = []
        for row in result:
            decision = row["decision"]
            events.append(
                Event(
                    kind=row["kind"].value,
                    time=row["time"].value,
                    stage=int(row["stage"].value),
                    agent=(row["agentName"] or row["agentIri"]).value,
                    version=int(row["version"].value),
                    decision=(
                        None
                        if decision is None
                        else Decision.ACCEPT
                        if decision.value == Decision.ACCEPT.iri
                        else Decision.REJECT
                    ),
                    comment=row["comment"].value if row["comment"] is not None else "",
                    from_stage=row["from"].value if row["from"] is not None else None,
                    to_stage=row["to"].value if row["to"] is not None else None,
                    public=row["public"].value if row["public"] is not None else None,
                )
            )
        return events

    def version_turtle(self, app: Application, number: int) -> bytes:
        """The triples of submitted version ``number`` of ``app``, as Turtle."""
        out = BytesIO()
        self.store.dump(out, by_name("ttl"), version_graph(app.id, number))
        return out.getvalue()

    # -- writing ---------------------------------------------------------------------

    def create(self, form: ApplicationForm, lang: str) -> tuple[str, Application]:
        """A new draft holding ``form``; returns the token of its link and the draft."""
        token = secrets.token_urlsafe(32)
        app_id = app_id_of(token)
        assert app_id is not None
        time = _time(now())
        self._update(
            PREFIXES
            + f"""INSERT DATA {{ GRAPH <{application_graph(app_id)}> {{
              <{application_iri(app_id)}> a ws:Application , prov:Entity ;
                ws:state <{State.DRAFT_1.iri}> ;
                ws:lifecycleStage <{lifecycle_iri("call-for-proposals")}> ;
                ws:language {_term(lang)} ;
                ws:form {_term(form.to_json())} ;
                ws:versions 0 ;
                dcterms:created {time} ;
                dcterms:modified {time} .
            }} }}"""
        )
        app = self.get(app_id)
        assert app is not None
        return token, app

    def save(self, app: Application, form: ApplicationForm) -> Application | None:
        """Keep ``form`` as the draft's answers; None if it is no longer a draft."""
        with self.lock:
            self._update(
                PREFIXES
                + f"""DELETE {{ GRAPH <{app.graph}> {{
                  ?app ws:form ?form ; dcterms:modified ?m }} }}
                INSERT {{ GRAPH <{app.graph}> {{
                  ?app ws:form {_term(form.to_json())} ; dcterms:modified {_time(now())} }} }}
                WHERE {{ GRAPH <{app.graph}> {{
                  ?app a ws:Application ; ws:state ?state ; ws:form ?form ; dcterms:modified ?m .
                  VALUES ?state {{ {" ".join(f"<{s.iri}>" for s in DRAFT_STATES)} }} }} }}"""
            )
            saved = self.get(app.id)
            return saved if saved is not None and saved.form == form else None

    def set_hub(self, app: Application, hub: str) -> Application:
        """Fix the IRI of the HUB the application describes."""
        with self.lock:
            self._update(
                PREFIXES
                + f"""DELETE {{ GRAPH <{app.graph}> {{ ?app ws:hub ?old }} }}
                INSERT {{ GRAPH <{app.graph}> {{ ?app ws:hub <{hub}> }} }}
                WHERE {{ GRAPH <{app.graph}> {{
                  ?app a ws:Application OPTIONAL {{ ?app ws:hub ?old }} }} }}"""
            )
            fresh = self.get(app.id)
            assert fresh is not None
            return fresh

    def hubs_in_use(self) -> set[str]:
        """The HUB IRIs that applications have fixed."""
        result = self.store.query(
            PREFIXES + "SELECT DISTINCT ?hub WHERE { GRAPH ?g { ?app ws:hub ?hub } }"
        )
        assert isinstance(result, QuerySolutions)
        return {row["hub"].value for row in result}

    def submit(
        self, app: Application, form: ApplicationForm, submission: Submission, *, by: str
    ) -> Application | None:
        """Record ``submission`` as the next version and put the draft up for review.

        Returns None (and changes nothing) if the application is no longer a draft.
        """
        with self.lock:
            current = self.get(app.id)
            if current is None or not current.editable:
                return None
            number = current.versions + 1
            graph = version_graph(app.id, number)
            version = f"<{app.iri}/v{number}>"
            awaiting = State.AWAITING_1 if current.state is State.DRAFT_1 else State.AWAITING_2
            triples = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in submission.quads)
            self._update(
                PREFIXES
                + f"""INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }} ;
                DELETE {{ GRAPH <{app.graph}> {{
                  ?app ws:state ?state ; ws:versions ?n ; ws:form ?form ; dcterms:modified ?m }} }}
                INSERT {{ GRAPH <{app.graph}> {{
                  ?app ws:state <{awaiting.iri}> ; ws:versions {number} ;
                       ws:form {_term(form.to_json())} ; dcterms:modified {_time(now())} .
                  {version} a ws:SubmittedVersion , prov:Entity ;
                    ws:versionOf ?app ; ws:versionNumber {number} ; ws:stage {current.state.stage} ;
                    ws:form {_term(form.to_json())} ;
                    l4a:sha256 {_term(submission.sha256)} ;
                    prov:generatedAtTime {_time(now())} ;
                    prov:atLocation <{graph}> ;
                    prov:wasAttributedTo {_agent(by)} .
                }} }}
                WHERE {{ GRAPH <{app.graph}> {{
                  ?app a ws:Application ; ws:state ?state ; ws:versions ?n ; ws:form ?form ;
                       dcterms:modified ?m .
                  FILTER(?state = <{current.state.iri}>) }} }}"""
            )
            return self.get(app.id)

    def record_review(
        self,
        app: Application,
        *,
        decision: Decision,
        to_state: State,
        to_stage: str,
        reviewer: str,
        comment: str,
        public: str | None = None,
    ) -> Application | None:
        """Record a review of ``app`` (PROV-O) and move it to ``to_state`` and ``to_stage``.

        Returns None (and changes nothing) if the application changed since it was read.
        """
        with self.lock:
            current = self.get(app.id)
            if current is None or current.state is not app.state:
                return None
            review = f"<{app.iri}/review/{secrets.token_hex(8)}>"
            time = _time(now())
            generated = f"; prov:generated <{public}> " if public else ""
            self._update(
                PREFIXES
                + f"""DELETE {{ GRAPH <{app.graph}> {{
                  ?app ws:state ?state ; ws:lifecycleStage ?stage ; dcterms:modified ?m }} }}
                INSERT {{ GRAPH <{app.graph}> {{
                  ?app ws:state <{to_state.iri}> ; ws:lifecycleStage <{to_stage}> ;
                       dcterms:modified {time} .
                  {review} a ws:Review , prov:Activity ;
                    prov:used <{app.iri}/v{current.versions}> ;
                    prov:wasAssociatedWith {_agent(reviewer)} ;
                    prov:startedAtTime {time} ; prov:endedAtTime {time} ;
                    ws:reviewStage {_review_stage(current.state)} ;
                    ws:decision <{decision.iri}> ;
                    rdfs:comment {_term(comment)} ;
                    ws:fromState <{current.state.iri}> ; ws:toState <{to_state.iri}> ;
                    ws:fromStage ?stage ; ws:toStage <{to_stage}> {generated}.
                }} }}
                WHERE {{ GRAPH <{app.graph}> {{
                  ?app a ws:Application ; ws:state ?state ; ws:lifecycleStage ?stage ;
                       dcterms:modified ?m .
                  FILTER(?state = <{current.state.iri}>) }} }}"""
            )
            return self.get(app.id)


def _review_stage(state: State) -> int:
    """1 and 2 for the validations of the two stages, 3 for the labelling."""
    return {State.AWAITING_1: 1, State.AWAITING_2: 2}.get(state, 3)
