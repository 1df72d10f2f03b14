"""``/dumps/`` and ``/.well-known/void``: the dataset in bulk, and its description.

The files are the ones ``l4a export --dumps`` writes (:func:`l4a_graph.publish.write_dumps`),
built into the site's dumps folder on first request and again whenever the data changes
(``write_dumps`` itself skips the work when its fingerprint matches). They describe the
persistent base, so a dump fetched here is byte-for-byte the one the CLI writes.
Only the files of the last build are served, through ``send_from_directory`` (which
refuses any path outside the folder).
"""

from __future__ import annotations

from typing import Final

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from l4a_graph.formats import by_name as rdf_format
from l4a_graph.publish import DumpFile, void_document, write_dumps
from l4a_graph.publish.dumps import MANIFEST_FILE, SUMS_FILE
from l4a_graph.web.cors import cross_origin
from l4a_graph.web.errors import NotAcceptableError
from l4a_graph.web.negotiation import GRAPH_FORMATS
from l4a_graph.web.protocol import format_choice
from l4a_graph.web.site.conneg import HTML, negotiate
from l4a_graph.web.site.state import site
from l4a_graph.web.state import web

__all__ = ["bp", "dump_files"]

bp = Blueprint("site_downloads", __name__)

PLAIN: Final = {SUMS_FILE: "text/plain; charset=utf-8", MANIFEST_FILE: "application/json"}


def _base_url() -> str:
    return site().iris.base.rstrip("/")


def dump_files() -> list[DumpFile]:
    """The dump files of the current data, built if needed."""
    state = site()
    kg = web().kg
    return state.cached(("dumps",), lambda: write_dumps(kg, state.dumps_dir, _base_url()))


@bp.route("/dumps/")
def listing() -> Response:
    """The files, their sizes and checksums."""
    page = render_template("site/dumps.html", files=dump_files(), sums=SUMS_FILE)
    response = Response(page, content_type=HTML.content_type)
    response.vary.add("Accept-Language")
    return response


@bp.route("/dumps/<name>")
@cross_origin("GET", "HEAD")
def dump(name: str) -> Response:
    """One file of the last build (and SHA256SUMS, manifest.json)."""
    files = {f.name: f for f in dump_files()}
    if name not in files and name not in PLAIN:
        raise NotFound(f"no dump file {name!r}; see /dumps/")
    response = send_from_directory(site().dumps_dir, name, max_age=300)
    if name in PLAIN:
        response.content_type = PLAIN[name]
    elif files[name].compressed:
        # Served as the gzip file it is (no Content-Encoding), so it is saved as is.
        response.content_type = "application/gzip"
    else:
        response.content_type = files[name].media_type
    return response


@bp.route("/dataset")
@cross_origin("GET", "HEAD")
def dataset() -> ResponseReturnValue:
    """The dataset's own IRI: its description in RDF, or the downloads page for a browser."""
    if negotiate() is HTML:
        query = f"?{request.query_string.decode()}" if request.query_string else ""
        return redirect(url_for("site_downloads.listing") + query, 303)
    return void()


@bp.route("/.well-known/void")
@cross_origin("GET", "HEAD")
def void() -> Response:
    """The VoID/DCAT description of the dataset, in the RDF format asked for."""
    fmt = format_choice(GRAPH_FORMATS)
    if fmt is None and not request.values.getlist("format"):
        fmt = GRAPH_FORMATS[0]  # a browser (Accept: text/html) gets Turtle, as text
    if fmt is None or fmt.rdf_name is None:
        types = ", ".join(f.media_type for f in GRAPH_FORMATS)
        raise NotAcceptableError(f"the dataset description is available as {types}")
    files = dump_files()
    kg = web().kg
    name = fmt.rdf_name
    body = site().cached(
        ("void", name), lambda: void_document(kg, _base_url(), rdf_format(name), files)
    )
    response = Response(body, content_type=fmt.content_type)
    response.vary.add("Accept")
    return response
