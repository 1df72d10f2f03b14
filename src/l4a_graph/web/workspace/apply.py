"""The application form: ``/workspace/apply`` and the draft link ``/workspace/application/<token>``.

Plain POST forms, server-rendered, so everything works without JavaScript; with it,
``static/workspace.js`` filters the SDG targets as one types and adds rows in place.
A POST always keeps what was typed: it is saved to the draft before anything else
(validation, submission), and a form refused for its CSRF token comes back filled in.

Buttons of the form (``action``): ``save``, ``check`` (validate and show the findings
at the fields), ``submit``, ``search`` (filter the targets without JavaScript),
``add-stakeholder``, ``add-deliverable``, ``remove-stakeholder-<n>``,
``remove-deliverable-<n>``.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlencode

from flask import Response, abort, request, url_for

from l4a_graph.web.site.i18n import page_lang
from l4a_graph.web.site.state import site
from l4a_graph.web.workspace.form import ApplicationForm, DeliverableRow, StakeholderRow
from l4a_graph.web.workspace.i18n import wt
from l4a_graph.web.workspace.mapping import FieldErrors
from l4a_graph.web.workspace.pages import bp, html, read_only, see_other, workspace
from l4a_graph.web.workspace.security import csrf_ok
from l4a_graph.web.workspace.storage import Application
from l4a_graph.web.workspace.vocabulary import State

__all__ = ["application", "apply", "index"]

_REMOVE: Final = re.compile(r"^remove-(stakeholder|deliverable)-(\d{1,3})$")
BLANK_ROWS: Final = 1
"""Empty rows shown after the filled ones (stage 2)."""


@bp.get("/")
def index() -> Response:
    """Where to start: the application form, and the Secretariat's pages."""
    return html("index.html")


@bp.route("/apply", methods=["GET", "POST"])
def apply() -> Response:
    """A new application: an empty form; its first POST creates the draft."""
    lang = page_lang()
    if request.method == "GET":
        return _form_page(None, ApplicationForm(text_lang=lang))
    if (refused := read_only()) is not None:
        return refused
    form = _posted_form()
    if not csrf_ok():
        return _form_page(None, form, status=400, notice="csrf_failed")
    ws = workspace()
    token, app = ws.store.create(ws.normalise(form), lang)
    return _act(app, token, request.form.get("action", "save"))


@bp.route("/application/<token>", methods=["GET", "POST"])
def application(token: str) -> Response:
    """A draft (the form, filled in) or, once submitted, where the application stands."""
    ws = workspace()
    app = ws.store.by_token(token)
    if app is None:
        abort(404)
    if request.method == "GET":
        if "lang" not in request.args:
            return see_other(_url(token, app.lang))
        if not app.editable:
            return _status_page(app, token)
        return _form_page(app, app.form, token=token, notice=_notice())
    if (refused := read_only()) is not None:
        return refused
    form = _posted_form()
    if not app.editable:
        return _status_page(app, token, status=409, notice="not_editable")
    if not csrf_ok():
        return _form_page(app, form, token=token, status=400, notice="csrf_failed")
    saved = ws.store.save(app, ws.normalise(form))
    if saved is None:  # submitted or decided in between
        return _status_page(app, token, status=409, notice="not_editable")
    return _act(saved, token, request.form.get("action", "save"))


def _act(app: Application, token: str, action: str) -> Response:
    """Do what the button pressed asks, the answers being saved already."""
    ws = workspace()
    lang = page_lang()
    if action == "check":
        _, errors = ws.check(app, lang)
        return _form_page(app, app.form, token=token, errors=errors)
    if action == "submit":
        outcome = ws.submit(app, lang, by=app.form.contact_name.strip() or "applicant")
        if outcome.done:
            return see_other(_url(token, lang))
        current = outcome.app or app
        return _form_page(current, current.form, token=token, errors=outcome.errors, status=422)
    if action == "search":
        words = request.form.get("q", "").strip()[:100]
        return see_other(_url(token, lang, q=words, anchor="targets"))
    if action in ("add-stakeholder", "add-deliverable"):
        kind = action.removeprefix("add-")
        return see_other(_url(token, lang, add=kind, anchor=kind + "s"))
    if match := _REMOVE.match(action):  # the row was left out when the form was read
        return see_other(_url(token, lang, anchor=match.group(1) + "s"))
    return see_other(_url(token, lang, saved="1"))


def _posted_form() -> ApplicationForm:
    """The answers posted, without the row whose "remove" button was pressed."""
    data = request.form.copy()
    if match := _REMOVE.match(request.form.get("action", "")):
        prefix = f"{match.group(1)}-{match.group(2)}-"
        for key in [k for k in data if k.startswith(prefix)]:
            del data[key]
    return ApplicationForm.from_form(data)


def _url(token: str, lang: str, *, anchor: str = "", **params: str) -> str:
    query = urlencode({"lang": lang, **params})
    path = url_for("workspace.application", token=token)
    return f"{path}?{query}" + (f"#{anchor}" if anchor else "")


def _notice() -> str | None:
    return "saved" if request.args.get("saved") else None


def _form_page(
    app: Application | None,
    form: ApplicationForm,
    *,
    token: str | None = None,
    errors: FieldErrors | None = None,
    status: int = 200,
    notice: str | None = None,
) -> Response:
    """The form, filled with ``form``, findings at their fields."""
    ws = workspace()
    lang = page_lang()
    choices = ws.choices()
    stage = app.state.stage if app is not None else 1
    add = request.args.get("add", "")
    stakeholders = list(form.stakeholders) + [
        StakeholderRow() for _ in range(BLANK_ROWS + (add == "stakeholder"))
    ]
    deliverables = list(form.deliverables) + [
        DeliverableRow() for _ in range(BLANK_ROWS + (add == "deliverable"))
    ]
    words = request.args.get("q", "").strip()
    selected = set(form.targets)
    shown = [
        t for t in choices.targets if not words or t.code in selected or t.matches(words, lang)
    ]
    action = (_url(token, lang) if token else url_for("workspace.apply", lang=lang)).split("#")[0]
    return html(
        "form.html",
        status,
        app=app,
        form=form,
        stage=stage,
        errors=errors or FieldErrors(),
        choices=choices,
        stakeholders=stakeholders,
        deliverables=deliverables,
        words=words,
        shown=shown,
        selected=selected,
        notice=notice,
        action=action,
        draft_url=_url(token, lang) if token else None,
        draft_link=(request.url_root.rstrip("/") + _url(token, lang)) if token else None,
        history=ws.store.history(app) if app is not None else [],
        blank_stakeholder=StakeholderRow(),
        blank_deliverable=DeliverableRow(),
        title=wt("apply", lang),
    )


def _status_page(
    app: Application, token: str, *, status: int = 200, notice: str | None = None
) -> Response:
    """Where a submitted application stands, its answers and its history."""
    ws = workspace()
    lang = page_lang()
    public = site().iris.href(app.hub) if app.hub and app.state is State.LABELLED else None
    return html(
        "status.html",
        status,
        app=app,
        form=app.form,
        choices=ws.choices(),
        history=ws.store.history(app),
        notice=notice,
        public=public,
        draft_link=request.url_root.rstrip("/") + _url(token, lang),
        title=wt("apply", lang),
    )
