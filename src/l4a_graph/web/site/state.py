"""The site's state and caches, kept on the app beside the endpoint's state.

Its two settings, ``base_iri`` and ``dumps_dir``, are in the app's one settings table
(:mod:`l4a_graph.web.settings`).

Caches (dumps, ontology documentation, matchmaking) are keyed by the generation of the
query service's snapshot: every write through the app publishes a new snapshot, so a
new generation is exactly "the data changed".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from flask import Flask, current_app

from l4a_graph.errors import InputError
from l4a_graph.web.site.iris import IriMap
from l4a_graph.web.state import web

__all__ = ["SiteState", "generation", "site"]

EXTENSION: Final = "l4a_site"

T = TypeVar("T")


@dataclass
class SiteState:
    """The IRI mapping, the dumps folder and the per-generation caches of one app."""

    iris: IriMap
    dumps_dir: Path
    _cache: dict[tuple[object, ...], object] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _building: dict[tuple[object, ...], threading.Lock] = field(default_factory=dict)

    def cached(self, key: tuple[object, ...], build: Callable[[], T]) -> T:
        """The value for ``key`` in the current generation, built once.

        Each key is built under its own lock: requests that need a value being built
        wait for it, the others do not (one lock for all would queue every page
        behind the slowest build after each write).
        """
        full = (generation(), *key)
        with self._lock:
            if full in self._cache:
                return self._cache[full]  # type: ignore[return-value]
            building = self._building.setdefault(full, threading.Lock())
        with building:
            with self._lock:
                if full in self._cache:
                    return self._cache[full]  # type: ignore[return-value]
            value = build()
            with self._lock:
                # Older generations are dead: drop them so the cache does not grow.
                for old in [k for k in self._cache if _older(k, full)]:
                    del self._cache[old]
                for old in [k for k in self._building if _older(k, full)]:
                    del self._building[old]
                self._cache[full] = value
                self._building.pop(full, None)
            return value


def _older(key: tuple[object, ...], than: tuple[object, ...]) -> bool:
    """Whether ``key`` belongs to a generation before that of ``than``."""
    return isinstance(key[0], int) and isinstance(than[0], int) and key[0] < than[0]


def resolve(app: Flask) -> SiteState:
    """The site's state from the app's settings.

    Raises
    ------
    InputError
        If the base IRI is not absolute or does not end with ``/``.
    """
    settings = web(app).settings
    base = settings.base_iri
    if not base.endswith("/") or "://" not in base:
        raise InputError(
            f"the base_iri setting must be an absolute IRI ending with '/', got {base!r}"
        )
    dumps = Path(settings.dumps_dir) if settings.dumps_dir else Path(app.instance_path) / "dumps"
    return SiteState(IriMap(base), dumps)


def site() -> SiteState:
    """The :class:`SiteState` of the current app."""
    state: SiteState = current_app.extensions[EXTENSION]
    return state


def generation() -> int:
    """The generation of the data the app serves; it grows with every write."""
    return web().service.snapshot.location.generation
