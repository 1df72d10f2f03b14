"""``l4a backup`` and ``l4a restore``: snapshots of the on-disk store (see l4a_graph.backup)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import asdict
from pathlib import Path

import click

from l4a_graph import backup as backups
from l4a_graph.cli import State, cli, pass_state
from l4a_graph.errors import InputError, StoreError


def _store_dir(state: State) -> Path:
    if state.endpoints is not None:
        raise InputError(
            "a remote store is backed up with its server's own tools; "
            "l4a backs up the embedded store (--store)"
        )
    if state.store_dir is None:
        raise InputError("an in-memory store (--memory) has nothing to back up or restore")
    return state.store_dir


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@pass_state
def backup(state: State, directory: Path) -> None:
    """Write a consistent snapshot of the store to the new DIRECTORY.

    While `l4a serve` has the store open, the server writes the backup itself, between
    two writes: run this on the same machine, with the write token in L4A_WRITE_TOKEN
    or L4A_WRITE_TOKEN_FILE. Files are hard-linked when DIRECTORY is on the same disk.
    """
    store_dir = _store_dir(state)
    try:
        quads = asdict(backups.backup(store_dir, directory))["quads"]
    except backups.StoreInUseError as error:
        quads = _ask_server(store_dir, directory.absolute(), error)
    counts = ", ".join(f"{n} {store}" for store, n in quads.items())
    click.echo(f"backed up {counts} quads to {directory}")


@cli.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@pass_state
def restore(state: State, directory: Path) -> None:
    """Replace the store by the backup in DIRECTORY (made by `l4a backup`).

    The backup is checked before anything changes; the store must not be in use (stop
    `l4a serve` first). The replaced store is kept beside it, renamed.
    """
    store_dir = _store_dir(state)
    kept = backups.restore(directory, store_dir)
    click.echo(f"restored {store_dir} from {directory}")
    if kept is not None:
        click.echo(f"the replaced store is kept in {kept}; delete it when you no longer need it")


def _ask_server(store_dir: Path, directory: Path, in_use: StoreError) -> dict[str, int]:
    """Have the server that holds ``store_dir`` write the backup (needs the token)."""
    from l4a_graph.web.settings import resolve_settings

    try:
        url = json.loads((store_dir / backups.SERVER_RECORD).read_text("utf-8"))["url"]
    except (OSError, ValueError, KeyError) as error:
        raise in_use from error
    token = resolve_settings({}).token()
    request = urllib.request.Request(
        f"{url}/admin/backup",
        data=json.dumps({"directory": str(directory)}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=3600) as response:
            quads: dict[str, int] = json.load(response)["quads"]
            return quads
    except urllib.error.HTTPError as error:
        raise StoreError(
            f"the server at {url} holds the store and refused the backup: "
            f"{error.read().decode('utf-8', 'replace').strip()}"
        ) from error
    except OSError as error:
        raise StoreError(
            f"the server at {url} holds the store and cannot be reached: {error}"
        ) from error
