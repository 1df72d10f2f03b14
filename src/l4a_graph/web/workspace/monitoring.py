"""The monitoring dashboard (``/workspace/dashboard``) and its CSV exports.

The numbers come from :func:`~l4a_graph.web.workspace.dashboard.build_dashboard`; each
links to the site's query page with the library question and its parameters
(``/sparql?named=...``). Charts are inline SVG drawn by the template: no script, so
they are allowed by the site's Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Final
from urllib.parse import urlencode

from flask import Response, abort, request, url_for

from l4a_graph.queries import load_library
from l4a_graph.web.site.i18n import page_lang
from l4a_graph.web.site.state import site
from l4a_graph.web.state import web
from l4a_graph.web.workspace.dashboard import (
    DEFAULT_DAYS,
    DEFAULT_MONTHS,
    Dashboard,
    build_dashboard,
    csv_tables,
    pipeline,
    to_csv,
)
from l4a_graph.web.workspace.i18n import wt
from l4a_graph.web.workspace.pages import bp, html, workspace
from l4a_graph.web.workspace.secretariat import signed_in_reviewer
from l4a_graph.web.workspace.vocabulary import State

__all__ = ["dashboard", "dashboard_csv"]

TABLES: Final = ("stages", "pipeline", "deliverables", "ending", "coverage")
LIST_LIMIT: Final = 50
"""Rows of a list the page shows; the CSV and the query have them all."""


def _bounded(name: str, default: int, top: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except ValueError:
        return default
    return min(max(value, 1), top)


def _dashboard() -> Dashboard:
    ws = workspace()
    lang = page_lang()
    days = _bounded("days", DEFAULT_DAYS, 3650)
    months = _bounded("months", DEFAULT_MONTHS, 120)

    def link(name: str, params: Mapping[str, str]) -> str:
        return url_for("sparql.query") + "?" + urlencode({"named": name, "lang": lang, **params})

    def public() -> Dashboard:
        return build_dashboard(
            web().kg,
            site().cached(("library",), load_library),
            ws.choices(),
            lang,
            link,
            not_stated=wt("stage_not_stated", lang),
            no_section=wt("no_section", lang),
            days=days,
            months=months,
        )

    # The public panels are kept for the data generation and the day (with the default
    # windows only, so that the cache cannot grow without bound).
    default = (days, months) == (DEFAULT_DAYS, DEFAULT_MONTHS)
    key = ("workspace-dashboard", lang, date.today().isoformat())
    panels = site().cached(key, public) if default else public()
    applications = pipeline(
        ws.store,
        lambda state: url_for("workspace.queue", lang=lang) + f"#{state.value}",
        {state: wt(f"state:{state.value}", lang) for state in State},
    )
    return replace(panels, pipeline=applications)


@bp.get("/dashboard")
def dashboard() -> Response:
    """HUBs per stage, deliverables due, HUBs ending, coverage per section; applications."""
    name = signed_in_reviewer()
    if isinstance(name, Response):
        return name
    return html(
        "dashboard.html",
        d=_dashboard(),
        tables=TABLES,
        list_limit=LIST_LIMIT,
        title=wt("dashboard", page_lang()),
    )


@bp.get("/dashboard/<table>.csv")
def dashboard_csv(table: str) -> Response:
    """One table of the dashboard as CSV (UTF-8, a header row)."""
    name = signed_in_reviewer()
    if isinstance(name, Response):
        return name
    if table not in TABLES:
        abort(404)
    header, rows = csv_tables(_dashboard())[table]
    response = Response(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="l4a-{table}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
