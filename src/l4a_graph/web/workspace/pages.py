"""What every view of the workspace shares: the blueprint, its state, page rendering.

Pages extend the site's layout (``site/base.html``) in the page's language (``?lang=``,
else the browser's) and are served with ``Cache-Control: no-store`` and
``X-Robots-Tag: noindex``: they hold private answers and links.
"""

from __future__ import annotations

from typing import Any, Final

from flask import Blueprint, Response, current_app, render_template

from l4a_graph.web.errors import WebError
from l4a_graph.web.site.i18n import page_lang
from l4a_graph.web.state import web
from l4a_graph.web.workspace.i18n import wt
from l4a_graph.web.workspace.review import Workspace
from l4a_graph.web.workspace.security import CSRF_FIELD, csrf_token, reviewer

__all__ = ["EXTENSION", "bp", "html", "read_only", "safe_next", "see_other", "workspace"]

EXTENSION: Final = "l4a_workspace"

bp = Blueprint(
    "workspace",
    __name__,
    url_prefix="/workspace",
    template_folder="templates",
    static_folder="static",
)


def workspace() -> Workspace:
    """The :class:`~l4a_graph.web.workspace.review.Workspace` of the current app."""
    state: Workspace = current_app.extensions[EXTENSION]
    return state


@bp.context_processor
def _helpers() -> dict[str, Any]:
    lang = page_lang()
    return {
        "w": lambda key, **values: wt(key, lang, **values),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token,
        "signed_in": _who,
    }


def _who() -> str | None:
    """The reviewer, for the menu; a wrong bearer token shows as nobody (no error)."""
    try:
        return reviewer()
    except WebError:
        return None


def html(template: str, status: int = 200, **context: Any) -> Response:
    """A workspace page: private, never cached, never indexed."""
    response = Response(
        render_template(f"workspace/{template}", **context),
        status,
        content_type="text/html; charset=utf-8",
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def read_only() -> Response | None:
    """The answer to any change on a read-only server (None when changes are allowed)."""
    if not web().settings.read_only:
        return None
    return html("message.html", 403, title=wt("read_only", page_lang()), text="")


def see_other(url: str) -> Response:
    """A 303 redirect to ``url`` (after a POST, the browser GETs the result)."""
    response = Response(status=303)
    response.headers["Location"] = url
    response.headers["Cache-Control"] = "no-store"
    return response


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path of the workspace (no open redirect), else None.

    >>> safe_next("/workspace/review"), safe_next("//evil.example/"), safe_next(None)
    ('/workspace/review', None, None)
    """
    if not target or not target.isprintable():  # a line break in Location would be a 500
        return None
    if target.startswith("/workspace/") and not target.startswith("//"):
        return target
    return None
