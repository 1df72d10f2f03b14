"""The one object every interface works through: a store plus the shipped knowledge.

The CLI, the web app and the analyses each receive a :class:`KnowledgeGraph`; none of
them opens a store or reads the shipped files on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from uuid import uuid4

from pyoxigraph import QuerySolutions
from tqdm import tqdm

from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError
from l4a_graph.formats import FORMATS, Format, for_path
from l4a_graph.resources import resource_dir
from l4a_graph.sparql import Term
from l4a_graph.store import EmbeddedStore, QueryResult, Store

BULK_LOAD_BYTES = 64 * 1024 * 1024
"""Files at least this large are bulk-loaded (fast, streamed) into a staging graph."""

RDF_SUFFIXES = frozenset("." + ext for fmt in FORMATS for ext in fmt.extensions)


@dataclass(frozen=True)
class LoadItem:
    """One graph to (re)load from one or more files."""

    graph: str | None
    paths: tuple[Path, ...]
    fmt: Format


@dataclass
class Stats:
    """What the store holds: triples per graph and the main kinds of things."""

    graphs: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        """Triples in all named graphs together."""
        return sum(self.graphs.values())


ENTITY_QUERIES: dict[str, str] = {
    "HUBs": "?x a l4a:Hub",
    "LRGs": "?x a/rdfs:subClassOf* l4a:LocalRegionalGovernment",
    "stakeholders": "?x a/rdfs:subClassOf* l4a:Stakeholder",
    "SDG goals": "?x a sdgo:Goal",
    "SDG targets": "?x a sdgo:Target",
    "SDG indicators": "?x a sdgo:Indicator",
    "countries": "?x a l4a:Country",
    "UCLG sections": "?x a l4a:UCLGSection",
}
"""The entity counts ``l4a stats`` reports, as graph patterns over ``?x``."""


def shipped_graph_for(path: Path, data_dir: Path, ontology_dir: Path) -> str:
    """Return the named graph a shipped file belongs to (see docs/design.md)."""
    if path.parent == ontology_dir:
        return ns.GRAPH_ONTOLOGY
    folder = path.parent.relative_to(data_dir).as_posix()
    if folder == "reference":
        return ns.reference_graph(path.stem)
    if folder == "hubs":
        return ns.hub_graph(path.stem)
    if folder == "program":
        return ns.GRAPH_PROGRAM
    raise InputError(f"{path}: not a shipped data folder (reference, hubs, program)")


class KnowledgeGraph:
    """The Local4Action HUBs knowledge graph over one store.

    Parameters
    ----------
    store
        Where the triples live; an in-memory embedded store when omitted.

    Examples
    --------
    >>> kg = KnowledgeGraph()
    >>> _ = kg.load_shipped()
    >>> kg.stats().entities["SDG goals"]
    17
    """

    def __init__(self, store: Store | None = None) -> None:
        self.store = store if store is not None else EmbeddedStore()
        self.ontology_dir = resource_dir("ontology")
        self.data_dir = resource_dir("data")

    @classmethod
    def open(cls, path: Path | None = None, *, read_only: bool = False) -> KnowledgeGraph:
        """Open the embedded store in directory ``path`` (memory when None)."""
        return cls(EmbeddedStore(path, read_only=read_only))

    def close(self) -> None:
        """Flush and release the store."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- loading -----------------------------------------------------------------

    def shipped_files(self) -> list[tuple[Path, str]]:
        """The ontology, reference data and curated HUBs, each with its named graph."""
        files = sorted(self.ontology_dir.glob("*.ttl"))
        for folder in ("reference", "program", "hubs"):
            files += sorted((self.data_dir / folder).glob("*.ttl"))
        return [(p, shipped_graph_for(p, self.data_dir, self.ontology_dir)) for p in files]

    def load_shipped(self, *, progress: bool = False) -> list[LoadItem]:
        """(Re)load everything the project ships; each graph is replaced atomically."""
        return self._load_plan(_group(self.shipped_files()), progress=progress)

    def load_files(
        self, paths: Iterable[Path], *, graph: str | None = None, progress: bool = False
    ) -> list[LoadItem]:
        """Load user files; each replaces its graph (``graph``, or one named after the file).

        Every file is checked and parsed before anything is swapped in, so a file that
        does not parse leaves the store unchanged.
        """
        files = [f for p in paths for f in _expand(p)]
        return self._load_plan(
            _group([(p, graph or ns.file_graph(p.stem)) for p in files]), progress=progress
        )

    def _load_plan(self, plan: list[LoadItem], *, progress: bool) -> list[LoadItem]:
        for item in plan:
            for path in item.paths:
                _check_readable(path)
        staged: list[tuple[LoadItem, str]] = []
        try:
            for item in _progress(plan, progress):
                staged.append((item, self._stage(item)))
            for item, staging in staged:
                if item.graph is not None:
                    self.store.replace_graph(item.graph, staging)
        finally:
            for _, staging in staged:
                if staging:
                    self.store.drop_graph(staging)
        return plan

    def _stage(self, item: LoadItem) -> str:
        """Parse the files of ``item`` into a fresh staging graph; return its IRI.

        Dataset formats (TriG, N-Quads) name their own graphs: they are added in one
        transaction and nothing is staged ("" is returned).
        """
        staging = "" if item.fmt.has_graphs else f"{ns.GRAPH_STAGING}{uuid4()}"
        for path in item.paths:
            try:
                if path.stat().st_size >= BULK_LOAD_BYTES and staging:
                    self.store.bulk_load(path, item.fmt, staging)
                else:
                    self.store.load(path, item.fmt, staging or None)
            except SyntaxError as error:
                raise InputError(_syntax_message(path, error)) from error
            except UnicodeDecodeError as error:
                raise InputError(f"{path}: not UTF-8 text ({error.reason})") from error
        return staging

    def ensure_loaded(self, *, progress: bool = False) -> bool:
        """Load the shipped data when the store is empty; return True if it did."""
        if not self.store.is_empty():
            return False
        self.load_shipped(progress=progress)
        return True

    # -- reading -----------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs."""
        return self.store.query(sparql, bindings=bindings)

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QuerySolutions:
        """Run a SELECT query; raise if it is another form."""
        result = self.query(sparql, bindings)
        if not isinstance(result, QuerySolutions):
            raise InputError("expected a SELECT query")
        return result

    def stats(self) -> Stats:
        """Triples per named graph and the number of HUBs, LRGs, stakeholders, goals..."""
        graphs = {
            s["g"].value: int(s["n"].value)
            for s in self.select(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
            )
        }
        entities = {
            name: int(
                next(iter(self.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {p} }}")))[
                    "n"
                ].value
            )
            for name, p in ENTITY_QUERIES.items()
        }
        return Stats(graphs, entities)

    def export(self, out: IO[bytes], fmt: Format, graph: str | None = None) -> None:
        """Write the dataset (or one graph) to ``out``; triple formats get the union."""
        self.store.dump(out, fmt, graph)


def _group(files: list[tuple[Path, str]]) -> list[LoadItem]:
    """Group files by target graph, keeping the first-seen order; dataset files stand alone."""
    plan: dict[tuple[str, str], list[Path]] = {}
    singles: list[LoadItem] = []
    for path, graph in files:
        fmt = for_path(path)
        if fmt.has_graphs:
            singles.append(LoadItem(None, (path,), fmt))
        else:
            plan.setdefault((graph, fmt.name), []).append(path)
    grouped = [LoadItem(g, tuple(paths), for_path(paths[0])) for (g, _), paths in plan.items()]
    return grouped + singles


def _expand(path: Path) -> list[Path]:
    """A file stands for itself; a folder for the RDF files below it, sorted."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in RDF_SUFFIXES)
    return [path]


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty")
    for_path(path)


def _syntax_message(path: Path, error: SyntaxError) -> str:
    """``file:line:column: message``, as compilers print it."""
    message = str(error.args[0]) if error.args else str(error)
    if error.lineno:
        return f"{path}:{error.lineno}:{error.offset or 0}: {message}"
    return f"{path}: {message}"


def _progress(plan: list[LoadItem], enabled: bool) -> Iterator[LoadItem]:
    """Iterate over ``plan`` with a progress bar in bytes, shown only on a terminal."""
    sizes = [sum(p.stat().st_size for p in item.paths) for item in plan]
    # disable=None lets tqdm hide the bar when stderr is not a terminal.
    with tqdm(
        total=sum(sizes),
        unit="B",
        unit_scale=True,
        desc="loading",
        disable=None if enabled else True,
    ) as bar:
        for item, size in zip(plan, sizes, strict=True):
            yield item
            bar.update(size)
