"""``/admin/backup``: the running server backs its own store up, for ``l4a backup``.

Only the server may read a store it has open (see :mod:`l4a_graph.backup`), so the
command asks it. The request must come from this machine and carry the operator's
token; the directory is written by the server process, between two writes.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from flask import Blueprint, Response, jsonify, request

from l4a_graph.web.auth import require_token
from l4a_graph.web.errors import BadRequestError, ForbiddenError
from l4a_graph.web.state import web

__all__ = ["bp"]

bp = Blueprint("admin", __name__)


@bp.route("/admin/backup", methods=["POST"])
def backup() -> Response:
    """Write a backup of the store to the new directory named by ``{"directory": PATH}``."""
    if not _from_this_machine():
        raise ForbiddenError("backups are asked for from the server's own machine")
    require_token("backup")
    body = request.get_json(silent=True)
    directory = body.get("directory") if isinstance(body, dict) else None
    if not isinstance(directory, str) or not Path(directory).is_absolute():
        raise BadRequestError('send {"directory": "/absolute/path/of/a/new/directory"}')
    manifest = web().service.backup(Path(directory))
    return jsonify({"directory": directory, "taken": manifest.taken, "quads": manifest.quads})


def _from_this_machine() -> bool:
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False
