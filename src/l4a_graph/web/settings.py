"""The web settings: one table of (name, default, help), resolved in a fixed order.

Defaults come first, then ``L4A_<NAME>`` environment variables, then the mapping given to
:func:`~l4a_graph.web.create_app` (``l4a serve --setting NAME VALUE`` fills it). The
table is what ``l4a settings`` and ``l4a serve --help`` print, so it cannot drift from
the code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final, get_type_hints

from l4a_graph.errors import InputError

__all__ = ["SETTINGS", "Setting", "Settings", "resolve_settings"]

ENV_PREFIX: Final = "L4A_"
SNAPSHOTS: Final = ("auto", "disk", "memory")
MIN_TOKEN_CHARS: Final = 16


def _setting(default: Any, help: str, *, secret: bool = False) -> Any:
    return field(default=default, repr=not secret, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Every knob of the web app, with its default; see :data:`SETTINGS` for the help."""

    query_timeout: float = _setting(
        30.0, "Seconds a query may run; then its worker is killed and the answer is 504."
    )
    query_workers: int = _setting(
        0, "Query worker processes (0: two per CPU); each runs one query at a time."
    )
    worker_memory_mb: int = _setting(
        4096,
        "Memory a query worker may allocate, in MiB (0: no limit); a query needing more "
        "ends its worker, which is replaced, and the answer is 503.",
    )
    queue_timeout: float = _setting(
        10.0, "Seconds a query waits for a free worker before the answer is 503."
    )
    max_rows: int = _setting(
        100_000,
        "Most solutions (or triples) in a result; longer results are cut and flagged "
        "with the header L4A-Truncated: true (0: no limit).",
    )
    max_body_bytes: int = _setting(
        16 * 1024 * 1024, "Largest request body accepted, in bytes; larger ones get 413."
    )
    max_query_chars: int = _setting(
        1_000_000, "Longest query or update text accepted, in characters; longer ones get 413."
    )
    max_update_solutions: int = _setting(
        1_000_000,
        "Most solutions the WHERE clauses of an update may match, counted on a query worker "
        "within query_timeout before it runs; more get 413 (0: no limit).",
    )
    rate_limit: str = _setting(
        "120 per minute",
        "Requests allowed per client address, e.g. '120 per minute' or '10/second;1000/hour' "
        "(empty: no limit).",
    )
    cors_origins: tuple[str, ...] = _setting(
        ("*",), "Origins allowed to read cross-origin (comma-separated; '*' for any)."
    )
    allowed_endpoints: tuple[str, ...] = _setting(
        (),
        "Endpoint IRIs that SERVICE and LOAD may reach (comma-separated); every other "
        "SERVICE or LOAD is refused with 400.",
    )
    read_only: bool = _setting(False, "Refuse every write (/update and writes to /data).")
    snapshots: str = _setting(
        "auto",
        "What the query workers read, for an on-disk store: 'disk' (a checkpoint: a write "
        "publishes in milliseconds), 'memory' (each worker loads a copy: joins up to 10x "
        "faster than on disk, but every write costs a dump and a reload), 'auto' (memory "
        "when read_only, else disk).",
    )
    write_token: str = _setting(
        "",
        f"Bearer token for writes, at least {MIN_TOKEN_CHARS} characters (never printed); "
        "without one, writes are refused.",
        secret=True,
    )
    write_token_file: str = _setting(
        "", "File holding the bearer token for writes, used when write_token is empty."
    )
    threads: int = _setting(8, "Threads of the WSGI server (l4a serve).")
    access_log: str = _setting(
        "-", "Where l4a serve writes the access log (JSON lines): a file, '-' (stderr), '' (none)."
    )
    trusted_proxy: str = _setting(
        "",
        "Address of a reverse proxy whose X-Forwarded-* headers are trusted (l4a serve), "
        "so rate limits apply to the real client.",
    )

    base_iri: str = _setting(
        "https://w3id.org/l4a/",
        "Persistent base IRI that the server's root stands for: GET /id/hub/x describes "
        "<base_iri>id/hub/x (must end with '/').",
    )
    dumps_dir: str = _setting(
        "",
        "Folder of the dumps served at /dumps/ (empty: 'dumps' in the app's instance "
        "folder); rebuilt when the data changes.",
    )

    @property
    def memory_snapshots(self) -> bool:
        """Whether the query workers of an on-disk store read an in-memory copy of it."""
        return self.snapshots == "memory" or (self.snapshots == "auto" and self.read_only)

    @property
    def workers(self) -> int:
        """The number of query worker processes to run.

        Two per CPU by default: the work is CPU-bound either way, but with more workers
        than cores a quick query does not wait behind two slow ones.
        """
        return self.query_workers or 2 * (os.cpu_count() or 1)

    def token(self) -> str:
        """The write token: ``write_token``, else the contents of ``write_token_file``.

        Raises
        ------
        InputError
            If the file cannot be read or the token is shorter than 16 characters.
        """
        token = self.write_token
        if not token and self.write_token_file:
            path = Path(self.write_token_file)
            try:
                token = path.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise InputError(f"cannot read the write token file {path}: {error}") from error
        if token and len(token) < MIN_TOKEN_CHARS:
            raise InputError(
                f"the write token is too short: use at least {MIN_TOKEN_CHARS} random "
                "characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe())')"
            )
        return token


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str
    default: str
    help: str
    env: str


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


SETTINGS: Final[tuple[Setting, ...]] = tuple(
    Setting(
        f.name,
        "(secret)" if f.metadata["secret"] else _show(f.default),
        f.metadata["help"],
        ENV_PREFIX + f.name.upper(),
    )
    for f in fields(Settings)
)
"""The settings table: name, default as text, help and environment variable."""

_TYPES: Final = get_type_hints(Settings)
_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off", ""})


def _convert(name: str, value: Any) -> Any:
    """Convert ``value`` (text from the environment or CLI, or a Python value) for ``name``."""
    kind = _TYPES[name]
    text = value.strip() if isinstance(value, str) else None
    try:
        if kind is bool:
            if text is None:
                return bool(value)
            if text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE
            raise ValueError(text)
        if kind is int:
            return int(text.replace("_", "")) if text is not None else int(value)
        if kind is float:
            return float(text) if text is not None else float(value)
        if kind == tuple[str, ...]:
            items = re.split(r"[,\s]+", text) if text is not None else list(value)
            return tuple(str(item) for item in items if item)
        return text if text is not None else str(value)
    except (TypeError, ValueError) as error:
        raise InputError(f"setting {name}: {value!r} is not a valid {kind}") from error


def resolve_settings(
    config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build the settings: defaults, then ``L4A_*`` variables of ``environ``, then ``config``.

    Parameters
    ----------
    config
        Setting names to values (text or Python values); unknown names are an error.
    environ
        The environment to read (``os.environ`` when None).

    Raises
    ------
    InputError
        If a name is unknown or a value does not convert to the setting's type.

    Examples
    --------
    >>> s = resolve_settings({"max_rows": "10", "cors_origins": "https://a.example, *"}, {})
    >>> s.max_rows, s.cors_origins
    (10, ('https://a.example', '*'))
    """
    environ = os.environ if environ is None else environ
    names = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for name in names:
        variable = ENV_PREFIX + name.upper()
        if variable in environ:
            values[name] = _convert(name, environ[variable])
    for name, value in (config or {}).items():
        if name not in names:
            known = ", ".join(sorted(names))
            raise InputError(f"unknown setting {name!r}; the settings are: {known}")
        values[name] = _convert(name, value)
    settings = replace(Settings(), **values)
    for name in names:
        number = getattr(settings, name)
        if isinstance(number, int | float) and number < 0:
            raise InputError(f"setting {name}: must not be negative, got {number}")
    if settings.snapshots not in SNAPSHOTS:
        raise InputError(
            f"setting snapshots: one of {', '.join(SNAPSHOTS)}, got {settings.snapshots!r}"
        )
    return settings
