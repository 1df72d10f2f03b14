"""The Secretariat's side: sign in and out, the review queue, one application's review.

Every page here needs the reviewer: the write token as a bearer header, or the session
the login form opens (:mod:`l4a_graph.web.workspace.security`). A browser that is not
signed in is sent to the login form; any other request gets 401.
"""

from __future__ import annotations

from typing import Final

from flask import Response, abort, request, url_for

from l4a_graph.web.site.i18n import page_lang
from l4a_graph.web.site.state import site
from l4a_graph.web.workspace.i18n import wt
from l4a_graph.web.workspace.mapping import FieldErrors
from l4a_graph.web.workspace.pages import bp, html, read_only, safe_next, see_other, workspace
from l4a_graph.web.workspace.review import LABEL_STAGE, REVIEWABLE
from l4a_graph.web.workspace.security import (
    csrf_ok,
    reviewer,
    sign_in,
    sign_out,
    token_matches,
)
from l4a_graph.web.workspace.storage import Application
from l4a_graph.web.workspace.vocabulary import Decision, State

__all__ = ["login", "logout", "queue", "review", "signed_in_reviewer"]

QUEUE: Final = (State.AWAITING_1, State.AWAITING_2, State.AWAITING_LABEL)
"""The parts of the queue, in the order of the workflow."""
DECIDED: Final = (State.LABELLED, State.REJECTED)
MAX_COMMENT: Final = 5000


def signed_in_reviewer() -> str | Response:
    """The reviewer's name, or the answer to give instead: the login form, or 401."""
    name = reviewer()
    if name is not None:
        return name
    if request.method == "GET":
        return see_other(url_for("workspace.login", lang=page_lang(), next=request.full_path))
    return html("message.html", 401, title=wt("forbidden", page_lang()), text="")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    """The login form; its POST checks the token and keeps the name in the session."""
    lang = page_lang()
    target = safe_next(request.values.get("next")) or url_for("workspace.queue", lang=lang)
    if request.method == "GET":
        return html("login.html", next=target, failed=False, title=wt("login", lang))
    name = request.form.get("name", "").strip()
    if not csrf_ok() or not name or not token_matches(request.form.get("token", "")):
        return html("login.html", 403, next=target, failed=True, title=wt("login", lang))
    sign_in(name)
    return see_other(target)


@bp.post("/logout")
def logout() -> Response:
    """Forget the reviewer (the form carries the CSRF token)."""
    if csrf_ok():
        sign_out()
    return see_other(url_for("workspace.login", lang=page_lang()))


@bp.get("/review")
def queue() -> Response:
    """The applications awaiting stage-1 validation, stage-2 validation and labelling."""
    name = signed_in_reviewer()
    if isinstance(name, Response):
        return name
    store = workspace().store
    waiting = {state: store.listing([state]) for state in QUEUE}
    decided = sorted(store.listing(DECIDED), key=lambda a: a.modified, reverse=True)[:20]
    return html(
        "queue.html",
        waiting=waiting,
        decided=decided,
        reviewer=name,
        choices=workspace().choices(),
        title=wt("review_queue", page_lang()),
    )


@bp.route("/review/<app_id>", methods=["GET", "POST"])
def review(app_id: str) -> Response:
    """One application: its answers, validation, versions and history; the decision form."""
    name = signed_in_reviewer()
    if isinstance(name, Response):
        return name
    ws = workspace()
    app = ws.store.get(app_id)
    if app is None:
        abort(404)
    lang = page_lang()
    if request.method == "GET":
        notice = "decision_done" if request.args.get("done") else None
        return _review_page(app, notice=notice)
    if (refused := read_only()) is not None:
        return refused
    if not csrf_ok():
        return html("message.html", 403, title=wt("forbidden", lang), text="CSRF")
    decision = request.form.get("decision", "")
    if decision not in (d.value for d in Decision) or request.form.get("state") != app.state:
        return _review_page(app, status=409, notice="conflict")
    stages = {c.key for c in ws.choices().stages}
    stage_after = request.form.get("stage_after", LABEL_STAGE)
    outcome = ws.decide(
        app,
        Decision(decision),
        reviewer=name,
        comment=request.form.get("comment", "").strip()[:MAX_COMMENT],
        lang=lang,
        stage_after=stage_after if stage_after in stages else LABEL_STAGE,
    )
    if outcome.done:
        return see_other(url_for("workspace.review", app_id=app.id, lang=lang, done="1"))
    if outcome.errors.checked:
        return _review_page(app, status=422, notice="label_failed", errors=outcome.errors)
    return _review_page(outcome.app or app, status=409, notice="conflict")


def _review_page(
    app: Application,
    *,
    status: int = 200,
    notice: str | None = None,
    errors: FieldErrors | None = None,
) -> Response:
    ws = workspace()
    lang = page_lang()
    built, found = ws.check(app, lang)
    turtle = (
        ws.store.version_turtle(app, app.versions).decode("utf-8")
        if app.versions
        else built.submission.data.decode("utf-8")
    )
    public = site().iris.href(app.hub) if app.hub and app.state is State.LABELLED else None
    return html(
        "review.html",
        status,
        app=app,
        form=app.form,
        choices=ws.choices(),
        errors=errors or found,
        history=ws.store.history(app),
        turtle=turtle,
        reviewable=app.state in REVIEWABLE,
        notice=notice,
        public=public,
        label_stage=LABEL_STAGE,
        title=wt("review_queue", lang),
    )
