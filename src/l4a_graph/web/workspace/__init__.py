"""The Secretariat workspace: the two-stage application form, the review queue and the
monitoring dashboard (issue #12). See ``docs/workspace.md``.

- :mod:`.form`: the answers as typed; :mod:`.mapping`: answers to RDF, findings to fields;
- :mod:`.choices`: what the form offers, from the public graph;
- :mod:`.storage`: drafts, submitted versions and reviews in the private store;
- :mod:`.review`: the workflow, validations and the final acceptance;
- :mod:`.dashboard`: the monitoring numbers from the query library;
- :mod:`.security`: the reviewer's sign-in and CSRF tokens;
- :mod:`.apply`, :mod:`.secretariat`, :mod:`.monitoring`: the pages (one blueprint).

:func:`init_app` mounts it on the app of :func:`l4a_graph.web.create_app`.
"""

from __future__ import annotations

from flask import Flask

from l4a_graph.web.site.state import site
from l4a_graph.web.state import web
from l4a_graph.web.workspace import (  # noqa: F401 (apply, monitoring, secretariat: routes)
    apply,
    monitoring,
    secretariat,
    security,
)
from l4a_graph.web.workspace.choices import Choices, load_choices
from l4a_graph.web.workspace.pages import EXTENSION, bp
from l4a_graph.web.workspace.review import Workspace
from l4a_graph.web.workspace.storage import WorkspaceStore

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    """Mount the workspace on ``app`` (built by ``create_app``, after the site)."""
    with app.app_context():
        state = web()
    security.init_app(app, state.write_token)

    def choices() -> Choices:
        return site().cached(("workspace-choices",), lambda: load_choices(state.kg))

    store = WorkspaceStore(state.kg.private, state.service.writing_private)
    app.extensions[EXTENSION] = Workspace(state.kg, state.service, store, choices)
    app.register_blueprint(bp)
