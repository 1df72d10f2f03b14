"""Backups of an on-disk store: consistent snapshots taken while it is in use, and restores.

A backup is a directory holding a checkpoint of each of the two stores (``public/``,
``private/``, see :mod:`l4a_graph.knowledge_graph`) and ``backup.json``: when it was
taken, by which version, and how many quads each store held. Oxigraph's checkpoint
hard-links its files when it can, so it is fast and small.

A store in use by ``l4a serve`` cannot be opened by another process (Oxigraph locks it,
and reading it while another process writes is undefined behaviour), so the server
takes the backup itself, between two writes: ``l4a serve`` records its address in
``server.json`` in the store directory, and ``l4a backup`` asks it there
(``POST /admin/backup``, from this machine, with the token). Restoring needs the store
to be idle, checks the backup against its counts first, and keeps the store it
replaces beside it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from l4a_graph import __version__
from l4a_graph.errors import InputError, StoreError
from l4a_graph.store import EmbeddedStore

__all__ = [
    "MANIFEST",
    "SERVER_RECORD",
    "STORES",
    "Manifest",
    "StoreInUseError",
    "backup",
    "backup_stores",
    "restore",
]

STORES: Final = ("public", "private")
MANIFEST: Final = "backup.json"
SERVER_RECORD: Final = "server.json"
"""File in the store directory where ``l4a serve`` says where it listens."""


class StoreInUseError(StoreError):
    """Another process (a server) has the store open."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds: when it was taken and the quads of each store."""

    taken: str
    version: str
    quads: dict[str, int]


def backup(store_dir: Path, target: Path) -> Manifest:
    """Write a copy of the idle store in ``store_dir`` to the new directory ``target``.

    Raises
    ------
    InputError
        If ``target`` exists, or ``store_dir`` holds no store.
    StoreInUseError
        If a server has the store open: ask it instead (see the module's docstring).
    StoreError
        If the copy cannot be written.
    """
    if not (store_dir / "public").is_dir():
        raise InputError(f"{store_dir}: no store here (it has no public/ directory)")
    _check_new(target)
    stores = {name: _open_idle(store_dir / name) for name in STORES}
    try:
        return backup_stores(stores, target)
    finally:
        for store in stores.values():
            store.close()


def backup_stores(stores: Mapping[str, EmbeddedStore], target: Path) -> Manifest:
    """Write a checkpoint of each of ``stores`` (by name) and the manifest to ``target``.

    The caller makes sure nothing writes to the stores meanwhile.
    """
    _check_new(target)
    target.mkdir(parents=True)
    for name, store in stores.items():
        store.backup(target / name)
    quads = {name: store.count() for name, store in stores.items()}
    manifest = Manifest(datetime.now(UTC).isoformat(timespec="seconds"), __version__, quads)
    (target / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n", "utf-8")
    return manifest


def restore(source: Path, store_dir: Path) -> Path | None:
    """Replace the store in ``store_dir`` by the backup in ``source``.

    The backup is checked (it opens, its quad counts match its manifest) before
    anything is touched; the replaced store is kept beside, renamed.

    Returns
    -------
    Path or None
        Where the replaced store was moved, if there was one.

    Raises
    ------
    InputError
        If ``source`` is not a complete backup.
    StoreError
        If the store is in use (a server has it open) or cannot be replaced.
    """
    manifest = read_manifest(source)
    for name in STORES:
        store = EmbeddedStore(source / name, read_only=True)
        try:
            found = store.count()
        finally:
            store.close()
        if found != manifest.quads[name]:
            raise InputError(
                f"{source / name}: holds {found} quads, its manifest says {manifest.quads[name]}"
            )
    _check_idle(store_dir)
    staging = store_dir.with_name(store_dir.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns(MANIFEST))
    kept = None
    if store_dir.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = store_dir.with_name(f"{store_dir.name}.before-restore-{stamp}")
        store_dir.rename(kept)
    staging.rename(store_dir)
    return kept


def read_manifest(source: Path) -> Manifest:
    """The manifest of the backup in ``source``."""
    path = source / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
        return Manifest(data["taken"], data["version"], {s: int(data["quads"][s]) for s in STORES})
    except FileNotFoundError as error:
        raise InputError(f"{source}: not a backup (no {MANIFEST})") from error
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"{path}: not a valid backup manifest ({error})") from error


def _check_new(target: Path) -> None:
    if target.exists():
        raise InputError(f"{target}: already exists; a backup goes to a new directory")


def _open_idle(path: Path) -> EmbeddedStore:
    """Open the store in ``path`` (created if missing), which no other process may hold."""
    try:
        return EmbeddedStore(path)
    except StoreError as error:
        raise StoreInUseError(
            f"{path.parent} is in use (is `l4a serve` running on it?): {error}"
        ) from error


def _check_idle(store_dir: Path) -> None:
    """Raise if a process has a store of ``store_dir`` open."""
    for name in STORES:
        if (store_dir / name).is_dir():
            _open_idle(store_dir / name).close()
