"""The site's settings and caches, kept on the app beside the endpoint's state.

Two settings, read from the environment when the app is built, in the same
(name, default, help) shape as :data:`l4a_graph.web.settings.SETTINGS` so they can move
into that table: ``L4A_BASE_IRI`` and ``L4A_DUMPS_DIR``.

Caches (dumps, ontology documentation, matchmaking) are keyed by the generation of the
query service's snapshot: every write through the app publishes a new snapshot, so a
new generation is exactly "the data changed".
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from flask import Flask, current_app

from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError
from l4a_graph.web.site.iris import IriMap
from l4a_graph.web.state import web

__all__ = ["SITE_SETTINGS", "SiteState", "generation", "site"]

EXTENSION: Final = "l4a_site"

SITE_SETTINGS: Final = (
    (
        "base_iri",
        ns.BASE,
        "Persistent base IRI that the server's root stands for: GET /id/hub/x describes "
        "<base_iri>id/hub/x (must end with '/').",
    ),
    (
        "dumps_dir",
        "",
        "Folder of the dumps served at /dumps/ (empty: 'dumps' in the app's instance "
        "folder); rebuilt when the data changes.",
    ),
)
"""(name, default, help) of the site settings; ``L4A_<NAME>`` sets each."""

T = TypeVar("T")


@dataclass
class SiteState:
    """The IRI mapping, the dumps folder and the per-generation caches of one app."""

    iris: IriMap
    dumps_dir: Path
    _cache: dict[tuple[object, ...], object] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def cached(self, key: tuple[object, ...], build: Callable[[], T]) -> T:
        """The value for ``key`` in the current generation, built once (under a lock)."""
        full = (generation(), *key)
        with self._lock:
            if full not in self._cache:
                # Older generations are dead: drop them so the cache does not grow.
                for old in [k for k in self._cache if k[0] != full[0]]:
                    del self._cache[old]
                self._cache[full] = build()
            value: T = self._cache[full]  # type: ignore[assignment]
            return value


def resolve(app: Flask, environ: Mapping[str, str] | None = None) -> SiteState:
    """Read the site settings from ``environ`` (``os.environ`` when None).

    Raises
    ------
    InputError
        If the base IRI does not end with ``/``.
    """
    environ = os.environ if environ is None else environ
    values = {
        name: environ.get(f"L4A_{name.upper()}", default) for name, default, _ in SITE_SETTINGS
    }
    base = values["base_iri"]
    if not base.endswith("/") or "://" not in base:
        raise InputError(f"L4A_BASE_IRI must be an absolute IRI ending with '/', got {base!r}")
    dumps = Path(values["dumps_dir"]) if values["dumps_dir"] else Path(app.instance_path) / "dumps"
    return SiteState(IriMap(base), dumps)


def site() -> SiteState:
    """The :class:`SiteState` of the current app."""
    state: SiteState = current_app.extensions[EXTENSION]
    return state


def generation() -> int:
    """The generation of the data the app serves; it grows with every write."""
    return web().service.snapshot.location.generation
