"""The workflow: validate and submit applications, and the Secretariat's decisions.

An application goes through the two stages of the real calls, then the label:

==================  =========================  ==========================================
state               lifecycle stage of the HUB  who acts
==================  =========================  ==========================================
draft-stage-1       call-for-proposals          the applicant answers stage 1, submits
awaiting-stage-1    call-for-proposals          the Secretariat accepts (-> definition) or rejects
draft-stage-2       definition                  the applicant answers stage 2, submits
awaiting-stage-2    definition                  the Secretariat accepts or rejects
awaiting-labelling  definition                  the Secretariat labels it (-> connection, or
                                                the stage it chooses) or rejects
labelled            (as chosen)                 public: stored by KnowledgeGraph.submit
rejected            (unchanged)                 -
==================  =========================  ==========================================

Every validation goes through :meth:`~l4a_graph.knowledge_graph.KnowledgeGraph.validate`
(the final one through :meth:`~l4a_graph.knowledge_graph.KnowledgeGraph.submit`) under
:data:`VALIDATION_LOCK`: pyshacl is not known to be thread-safe and the app is served
by a threaded server. The final acceptance writes the public store inside
:meth:`~l4a_graph.web.service.QueryService.writing`, so the endpoint's workers see the
new HUB at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from pyoxigraph import NamedNode, QueryBoolean

from l4a_graph import namespaces as ns
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.validator.intake import Submission
from l4a_graph.validator.report import Report
from l4a_graph.web.service import QueryService
from l4a_graph.web.workspace.choices import Choices
from l4a_graph.web.workspace.form import ApplicationForm
from l4a_graph.web.workspace.mapping import (
    Built,
    FieldErrors,
    MappingContext,
    build,
    field_errors,
    prefill,
    slugify,
)
from l4a_graph.web.workspace.storage import Application, WorkspaceStore
from l4a_graph.web.workspace.vocabulary import Decision, State, lifecycle_iri

__all__ = [
    "LABEL_STAGE",
    "VALIDATION_LOCK",
    "Outcome",
    "Workspace",
    "validate",
]

VALIDATION_LOCK: Final = threading.Lock()
"""Serializes every SHACL validation of the process (pyshacl may not be thread-safe)."""

LABEL_STAGE: Final = "connection"
"""The lifecycle stage a labelled HUB moves to unless the Secretariat chooses another."""

SUBMISSION_NAME: Final = "application-form.ttl"
"""The name a form's submission has (``dcterms:source`` of the public version record)."""

REVIEWABLE: Final = (State.AWAITING_1, State.AWAITING_2, State.AWAITING_LABEL)


def validate(kg: KnowledgeGraph, submission: Submission, stage: int) -> Report:
    """``kg.validate`` under :data:`VALIDATION_LOCK`."""
    with VALIDATION_LOCK:
        return kg.validate(submission, stage=stage)


@dataclass(frozen=True)
class Outcome:
    """What an action did: the application as it is now, and the findings to show."""

    app: Application | None
    errors: FieldErrors = field(default_factory=FieldErrors)
    done: bool = False
    """Whether the action took effect (a submission recorded, a decision applied)."""
    public: str | None = None
    """After the final acceptance: the public submission version's IRI."""


class Workspace:
    """The workspace of one web app: its knowledge graph, query service and store.

    Parameters
    ----------
    kg
        The knowledge graph (its public store receives labelled HUBs).
    service
        The app's query service: public writes happen in its ``writing()`` block.
    store
        The applications, in the private store.
    choices
        What the form offers, read from the public graph (cached by the caller).
    """

    def __init__(
        self,
        kg: KnowledgeGraph,
        service: QueryService,
        store: WorkspaceStore,
        choices: Callable[[], Choices],
    ) -> None:
        self.kg = kg
        self.service = service
        self.store = store
        self.choices = choices

    # -- the applicant ---------------------------------------------------------------

    def hub_iri(self, app: Application, form: ApplicationForm) -> str:
        """The HUB's IRI: fixed once stage 1 is submitted, until then made from the title."""
        return app.hub or f"{ns.ID}hub/{slugify(form.title, 'application-' + app.id[:8])}"

    def context(
        self,
        app: Application,
        *,
        lifecycle: str | None = None,
        award: bool = False,
        hub: str | None = None,
    ) -> MappingContext:
        """How to map ``app``'s form: its HUB IRI, stage and lifecycle stage."""
        return MappingContext(
            hub=hub or self.hub_iri(app, app.form),
            stage=app.state.stage,
            lifecycle=lifecycle or app.lifecycle,
            choices=self.choices(),
            award_date=datetime.now(UTC).date() if award else None,
        )

    def normalise(self, form: ApplicationForm) -> ApplicationForm:
        """The form as it is kept: empty rows dropped, a known lead's facts filled in."""
        return prefill(form.without_blank_rows(), self.choices())

    def check(
        self, app: Application, lang: str, *, hub: str | None = None
    ) -> tuple[Built, FieldErrors]:
        """Validate ``app``'s answers at its stage; findings placed at the fields."""
        built = build(app.form, self.context(app, hub=hub), name=SUBMISSION_NAME)
        report = validate(self.kg, built.submission, app.state.stage)
        return built, field_errors(report, built.fields, lang)

    def submit(self, app: Application, lang: str, *, by: str) -> Outcome:
        """Validate and, if it conforms, submit ``app`` for review."""
        if not app.editable:
            return Outcome(app)
        hub = app.hub or self._free_hub(app)
        built, errors = self.check(app, lang, hub=hub)
        if not errors.conforms:
            return Outcome(app, errors)
        if app.hub is None:  # fixed once the first submission conforms
            app = self.store.set_hub(app, hub)
        submitted = self.store.submit(app, app.form, built.submission, by=by)
        return Outcome(submitted, errors, done=submitted is not None)

    def _free_hub(self, app: Application, avoid: str | None = None) -> str:
        """A HUB IRI made from the title that no public HUB nor other application uses."""
        base = f"{ns.ID}hub/{slugify(app.form.title, 'application-' + app.id[:8])}"
        taken = self.store.hubs_in_use() - {app.hub or ""}
        if avoid:
            taken.add(avoid)
        iri, n = base, 1
        while iri in taken or self._public_hub(iri):
            n += 1
            iri = f"{base}-{n}"
        return iri

    def _public_hub(self, iri: str) -> bool:
        result = self.kg.store.query("ASK { ?hub ?p ?o }", bindings={"hub": NamedNode(iri)})
        assert isinstance(result, QueryBoolean)
        return bool(result)

    # -- the Secretariat -------------------------------------------------------------

    def decide(
        self,
        app: Application,
        decision: Decision,
        *,
        reviewer: str,
        comment: str,
        lang: str,
        stage_after: str | None = None,
    ) -> Outcome:
        """Apply the Secretariat's ``decision`` on ``app`` (awaiting a review).

        Accepting stage 1 moves the HUB to the definition stage and opens stage 2;
        accepting stage 2 puts it up for labelling; labelling stores it in the public
        graph with :meth:`KnowledgeGraph.submit` (inside the query service's write
        block) at ``stage_after`` (default :data:`LABEL_STAGE`). Rejecting ends the
        application. Each decision is recorded with PROV-O.
        """
        if app.state not in REVIEWABLE:
            return Outcome(app)
        if decision is Decision.REJECT:
            moved = self.store.record_review(
                app,
                decision=decision,
                to_state=State.REJECTED,
                to_stage=app.lifecycle,
                reviewer=reviewer,
                comment=comment,
            )
            return Outcome(moved, done=moved is not None)
        if app.state is State.AWAITING_1:
            to_state, to_stage = State.DRAFT_2, lifecycle_iri("definition")
        elif app.state is State.AWAITING_2:
            to_state, to_stage = State.AWAITING_LABEL, app.lifecycle
        else:
            return self._label(app, reviewer, comment, lang, stage_after or LABEL_STAGE)
        moved = self.store.record_review(
            app,
            decision=decision,
            to_state=to_state,
            to_stage=to_stage,
            reviewer=reviewer,
            comment=comment,
        )
        return Outcome(moved, done=moved is not None)

    def _label(
        self, app: Application, reviewer: str, comment: str, lang: str, stage_after: str
    ) -> Outcome:
        """The final acceptance: the HUB goes public, the label is recorded."""
        with self.store.lock:
            if app.hub is None or self._public_hub(app.hub):
                app = self.store.set_hub(app, self._free_hub(app, avoid=app.hub))
            lifecycle = lifecycle_iri(stage_after)
            built = build(
                app.form,
                self.context(app, lifecycle=lifecycle, award=True),
                name=SUBMISSION_NAME,
            )
            # One write for both stores: the public version and the private record are
            # made while this thread is the one writer (a backup never sees one alone).
            with self.service.writing(), self.store.writer_held():
                with VALIDATION_LOCK:
                    submitted = self.kg.submit(built.submission, by=built.lead or reviewer)
                if submitted.stored is None:
                    return Outcome(app, field_errors(submitted.report, built.fields, lang))
                moved = self.store.record_review(
                    app,
                    decision=Decision.ACCEPT,
                    to_state=State.LABELLED,
                    to_stage=lifecycle,
                    reviewer=reviewer,
                    comment=comment,
                    public=submitted.stored.iri,
                )
            return Outcome(moved, done=True, public=submitted.stored.iri)
