"""``/map``: the HUBs on a world outline, and the list that works without JavaScript.

A HUB is placed at its territory's ``wgs:lat``/``wgs:long``, else at its lead's
territory's; a HUB with neither is listed as "location not available", never placed at a
guess. Leaflet draws the Natural Earth outline (no tiles: they cannot be fetched
offline) and, when the matchmaking analysis is installed, a line per suggested pair.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, url_for

from l4a_graph.web.site.catalogue import hubs
from l4a_graph.web.site.conneg import HTML
from l4a_graph.web.site.i18n import page_lang
from l4a_graph.web.site.pages import Linker
from l4a_graph.web.site.related import related
from l4a_graph.web.state import web

__all__ = ["bp"]

bp = Blueprint("site_map", __name__)


@bp.route("/map")
def world() -> Response:
    """The map page, its data embedded as JSON for the script."""
    kg = web().kg
    lang = page_lang()
    catalogue = hubs(kg)
    linker = Linker(catalogue.labels, lang)
    placed = [row for row in catalogue.rows if row.coordinates is not None]
    unplaced = [row for row in catalogue.rows if row.coordinates is None]
    where = {row.iri: row.coordinates for row in placed}
    lines: set[tuple[str, str]] = set()
    for row in placed:
        for candidate in related(kg, row.iri, lang) or ():
            if candidate.hub in where:
                a, b = sorted((row.iri, candidate.hub))
                lines.add((a, b))
    data: dict[str, Any] = {
        "outline": url_for("static", filename="vendor/world-atlas/countries-110m.json"),
        "markers": [
            {
                "iri": row.iri,
                "label": linker.link(row.iri).label,
                "href": linker.link(row.iri).href,
                "lat": row.coordinates[0],
                "long": row.coordinates[1],
            }
            for row in placed
            if row.coordinates is not None
        ],
        "lines": [[where[a], where[b]] for a, b in sorted(lines)],
    }
    page = render_template(
        "site/map.html",
        placed=[(linker.link(r.iri), r.coordinates) for r in placed],
        unplaced=[linker.link(r.iri) for r in unplaced],
        data=data,
    )
    response = Response(page, content_type=HTML.content_type)
    response.vary.add("Accept-Language")
    return response
