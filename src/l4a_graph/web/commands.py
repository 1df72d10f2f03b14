"""``l4a serve`` and ``l4a settings``: run the endpoint under waitress, list its settings."""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Final

import click

from l4a_graph.backup import SERVER_RECORD
from l4a_graph.cli import State, cli, pass_state
from l4a_graph.output import table
from l4a_graph.web.access_log import LOGGER
from l4a_graph.web.settings import ENV_PREFIX, SETTINGS, Settings, resolve_settings

__all__ = ["serve", "settings"]

MALLOC_ARENAS: Final = 2
"""glibc malloc arenas the server's threads share (glibc's default: 8 per CPU).

With one arena per busy thread, memory one thread freed stays with its arena: in the
load test (waitress's 8 threads, RocksDB's), the server held 85-100 MB of freed memory
after 10,000 requests (245-254 MB resident). With two arenas it held 15-30 MB (183-189 MB
resident). ``MALLOC_ARENA_MAX`` in the environment overrides it.
"""
M_ARENA_MAX: Final = -8
"""mallopt's parameter number for the arena limit (glibc's malloc.h)."""

SETTINGS_EPILOG: Final = (
    "\b\nSettings (--setting NAME VALUE, or the environment variable "
    f"{ENV_PREFIX}NAME):\n"
    + "\n".join(f"  {s.name} [{s.default}]" for s in SETTINGS)
    + "\n\nl4a settings describes them."
)


@cli.command(epilog=SETTINGS_EPILOG)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the on-disk store (as l4a --store).",
)
@click.option("--read-only", is_flag=True, help="Refuse every write (the read_only setting).")
@click.option("--threads", type=click.IntRange(1, 1024), help="Threads of the HTTP server.")
@click.option(
    "--setting",
    "-s",
    "pairs",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="Set a setting (repeatable).",
)
@pass_state
@click.pass_context
def serve(
    ctx: click.Context,
    state: State,
    host: str,
    port: int,
    store_dir: Path | None,
    read_only: bool,
    threads: int | None,
    pairs: tuple[tuple[str, str], ...],
) -> None:
    """Serve the SPARQL endpoint (/sparql, /update, /data, /health) until Ctrl-C.

    The store is the embedded one (loaded with the shipped data if empty). Queries run
    in worker processes with a time limit; writes need the bearer token from
    L4A_WRITE_TOKEN or L4A_WRITE_TOKEN_FILE. The server is waitress, never Flask's
    development server.
    """
    import waitress

    from l4a_graph.web.app import create_app

    _limit_malloc_arenas()  # before the store's and waitress's threads start

    config: dict[str, object] = dict(pairs)
    if read_only:
        config["read_only"] = True
    if threads:
        config["threads"] = threads
    settings = resolve_settings(config)
    if store_dir is not None:
        state.store_dir = store_dir
    app = create_app(state.loaded_kg(ctx), config)
    service = app.extensions["l4a"].service
    _configure_logging(settings)
    proxy: dict[str, object] = {}
    if settings.trusted_proxy:
        proxy = {
            "trusted_proxy": settings.trusted_proxy,
            "trusted_proxy_headers": "x-forwarded-for x-forwarded-host x-forwarded-proto",
        }
    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=settings.threads,
        max_request_body_size=settings.max_body_bytes,
        clear_untrusted_proxy_headers=True,
        ident="l4a-graph",
        **proxy,
    )
    # SIGTERM (a service manager stopping us) ends the loop like Ctrl-C, so workers and
    # snapshots are cleaned up in ``finally``.
    signal.signal(signal.SIGTERM, _exit)
    record: Path | None = None
    try:
        service.start()
        address = f"[{host}]" if ":" in host else host
        url = f"http://{address}:{server.effective_port}/"
        token = app.extensions["l4a"].write_token
        mode = (
            "read-only"
            if settings.read_only
            else ("writes need the token" if token else "writes off: no token")
        )
        click.echo(
            f"l4a: serving {url}sparql ({settings.workers} query workers, "
            f"{settings.threads} threads, {mode}); Ctrl-C stops",
            err=True,
        )
        record = _record_server(state, host, server.effective_port)
        server.run()
    except KeyboardInterrupt:
        click.echo("l4a: stopping", err=True)
    finally:
        server.task_dispatcher.shutdown()  # lets running requests end before the sockets close
        server.close()
        service.close()
        if record is not None:
            record.unlink(missing_ok=True)


def _limit_malloc_arenas() -> None:
    """Make glibc's malloc use :data:`MALLOC_ARENAS` arenas (nothing elsewhere)."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return  # the operator's choice, already read by glibc
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return  # not glibc: no mallopt, or not this one
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def _record_server(state: State, host: str, port: int) -> Path | None:
    """Say in the store directory where this server listens, for ``l4a backup``."""
    if state.store_dir is None or state.endpoints is not None:
        return None
    local = "[::1]" if ":" in host else "127.0.0.1"
    record = state.store_dir / SERVER_RECORD
    record.write_text(json.dumps({"url": f"http://{local}:{port}", "pid": os.getpid()}), "utf-8")
    return record


def _exit(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _configure_logging(settings: Settings) -> None:
    """Access log to the ``access_log`` setting; errors and waitress warnings to stderr."""
    formatter = logging.Formatter("%(message)s")
    access = logging.getLogger(LOGGER)
    access.setLevel(logging.INFO)
    access.propagate = False
    if settings.access_log:
        handler: logging.Handler = (
            logging.StreamHandler(sys.stderr)
            if settings.access_log == "-"
            else logging.FileHandler(settings.access_log, encoding="utf-8")
        )
        handler.setFormatter(formatter)
        access.addHandler(handler)
    else:
        access.disabled = True
    logging.basicConfig(level=logging.WARNING, format="l4a: %(levelname)s %(name)s: %(message)s")


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def settings(fmt: str) -> None:
    """The settings of l4a serve: name, default and what each does.

    Set them with l4a serve --setting NAME VALUE or the environment variable L4A_NAME
    (for instance L4A_QUERY_TIMEOUT=10).
    """
    if fmt == "json":
        rows = [s.__dict__ for s in SETTINGS]
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(table(["name", "default", "help"], [[s.name, s.default, s.help] for s in SETTINGS]))
