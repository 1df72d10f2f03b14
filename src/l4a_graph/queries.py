"""The query library: one ``.rq`` file per question in ``queries/``, with a YAML header.

The header (the leading ``#`` comment lines) gives the title and description in en, fr
and es, the parameters and the columns::

    # title: {en: HUBs by SDG goal, fr: ..., es: ...}
    # description: {en: ..., fr: ..., es: ...}
    # parameters:
    #   goal: {type: iri, required: false, description: {en: ..., fr: ..., es: ...}}
    #   days: {type: integer, default: 30, minimum: 0, description: {...}}
    # columns:
    #   hub: {en: HUB, fr: HUB, es: HUB}

Parameters are bound as RDF terms (see :func:`l4a_graph.sparql.with_bindings`), never
pasted into the text, so a value cannot change what a query does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import yaml
from pyoxigraph import Literal, NamedNode

from l4a_graph.errors import InputError, NotFoundError
from l4a_graph.namespaces import PREFIXES
from l4a_graph.resources import resource_dir
from l4a_graph.sparql import Term

LANGUAGES: Final = ("en", "fr", "es")
XSD: Final = "http://www.w3.org/2001/XMLSchema#"


def _iri(value: str) -> NamedNode:
    """A full IRI, or a prefixed name with one of the predeclared prefixes."""
    prefix, _, local = value.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return NamedNode(PREFIXES[prefix] + local)
    if "://" not in value and not value.startswith("urn:"):
        raise ValueError(f"{value!r} is neither an IRI nor a known prefixed name")
    return NamedNode(value)


def _integer(value: str) -> Literal:
    return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))


def _date(value: str) -> Literal:
    return Literal(date.fromisoformat(value).isoformat(), datatype=NamedNode(XSD + "date"))


def _language(value: str) -> Literal:
    if value not in LANGUAGES:
        raise ValueError(f"{value!r} is not one of {', '.join(LANGUAGES)}")
    return Literal(value)


PARAMETER_TYPES: Final[dict[str, Callable[[str], Term]]] = {
    "iri": _iri,
    "string": Literal,
    "integer": _integer,
    "date": _date,
    "language": _language,
}


@dataclass(frozen=True)
class Parameter:
    """A parameter of a named query."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    description: Mapping[str, str] = field(default_factory=dict)
    minimum: int | None = None

    def term(self, value: str) -> Term:
        """Convert the text ``value`` to the RDF term this parameter binds.

        Raises
        ------
        InputError
            If ``value`` does not fit the parameter's type or is below its minimum.
        """
        try:
            term = PARAMETER_TYPES[self.type](value)
        except ValueError as error:
            raise InputError(f"parameter {self.name} ({self.type}): {error}") from error
        if self.minimum is not None and int(value) < self.minimum:
            raise InputError(f"parameter {self.name} must be {self.minimum} or more, not {value}")
        return term


@dataclass(frozen=True)
class NamedQuery:
    """A question of the library, ready to bind and run."""

    name: str
    path: Path
    text: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    parameters: tuple[Parameter, ...]
    columns: Mapping[str, Mapping[str, str]]

    def bindings(self, values: Mapping[str, str]) -> dict[str, Term]:
        """The RDF terms for ``values`` (text by parameter name), defaults filled in.

        Raises
        ------
        InputError
            On an unknown parameter, a missing required one, or a value of the wrong type.
        """
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise InputError(
                f"query {self.name} has no parameter {', '.join(unknown)}; "
                f"its parameters: {', '.join(known) or '(none)'}"
            )
        bound: dict[str, Term] = {}
        for parameter in self.parameters:
            value = values.get(parameter.name, parameter.default)
            if value is None:
                if parameter.required:
                    raise InputError(f"query {self.name} needs --param {parameter.name}=...")
                continue
            bound[parameter.name] = parameter.term(str(value))
        return bound

    def label(self, lang: str = "en") -> str:
        """The title in ``lang``, falling back to English."""
        return self.title.get(lang) or self.title["en"]


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file of the library.

    Raises
    ------
    InputError
        If its header is missing, not YAML, or lacks a title in en, fr and es.
    """
    text = path.read_text(encoding="utf-8")
    header_lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header_lines.append(line[2:] if line.startswith("# ") else line[1:])
    try:
        header: dict[str, Any] = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as error:
        raise InputError(f"{path}: the header is not valid YAML: {error}") from error
    for key in ("title", "description"):
        missing = [lang for lang in LANGUAGES if not (header.get(key) or {}).get(lang)]
        if missing:
            raise InputError(f"{path}: the header lacks {key} in {', '.join(missing)}")
    parameters = tuple(
        Parameter(
            name=name,
            type=spec.get("type", "string"),
            required=bool(spec.get("required", False)),
            default=None if spec.get("default") is None else str(spec["default"]),
            description=spec.get("description", {}),
            minimum=_minimum(path, name, spec),
        )
        for name, spec in (header.get("parameters") or {}).items()
    )
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        title=header["title"],
        description=header["description"],
        parameters=parameters,
        columns=header.get("columns") or {},
    )


def _minimum(path: Path, name: str, spec: Mapping[str, Any]) -> int | None:
    """The ``minimum`` of an integer parameter, if the header gives one."""
    minimum = spec.get("minimum")
    if minimum is None:
        return None
    if spec.get("type") != "integer" or not isinstance(minimum, int):
        raise InputError(f"{path}: parameter {name}: a minimum is an integer, on an integer")
    return minimum


def load_library(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in ``folder`` (the shipped ``queries/`` by default), by name."""
    folder = folder or resource_dir("queries")
    return {path.stem: parse_query_file(path) for path in sorted(folder.glob("*.rq"))}


def get_query(name: str, folder: Path | None = None) -> NamedQuery:
    """The named query ``name``.

    Raises
    ------
    NotFoundError
        If the library has no such query; the message lists those it has.
    """
    library = load_library(folder)
    if name not in library:
        raise NotFoundError(f"no query named {name!r}; known: {', '.join(library)}")
    return library[name]
