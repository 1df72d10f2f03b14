"""The one object every interface works through: a store plus the shipped knowledge.

The CLI, the web app and the analyses each receive a :class:`KnowledgeGraph`; none of
them opens a store or reads the shipped files on its own.

A knowledge graph has two stores. The public one holds the dataset everybody may read:
the endpoint's workers query snapshots of it, the dumps and pages are made from it. The
private one holds what must never be public: contact details of people
(``graph/restricted/...``), superseded submission versions (``graph/archive/...``), the
Secretariat's workspace (``graph/workspace/...``) and the journal of unfinished
operations. Keeping them apart, rather than filtering one dataset, means no query,
however written, can reach private data through a public route.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING
from uuid import uuid4

from pyoxigraph import QuerySolutions, parse
from tqdm import tqdm

from l4a_graph import journal
from l4a_graph import namespaces as ns
from l4a_graph.errors import InputError, StoreError
from l4a_graph.formats import FORMATS, Format, for_path
from l4a_graph.resources import resource_dir
from l4a_graph.sparql import Term
from l4a_graph.store import EmbeddedStore, QueryResult, Store

BULK_LOAD_BYTES = 64 * 1024 * 1024
"""Files at least this large are bulk-loaded: streamed and fast, but not one transaction."""

if TYPE_CHECKING:  # the validator imports pyshacl, slow: it is loaded only when used
    from l4a_graph.reasoner import ReasoningReport
    from l4a_graph.validator.intake import Submission
    from l4a_graph.validator.report import Report
    from l4a_graph.validator.storage import Submitted

REASON = "reason"
"""The journal's name for a rebuild of the inferred graph."""
LOAD = "load"
"""The journal's name for a new graph being loaded in place."""
SHIPPED = "load-shipped"
"""The journal's name for the first load of the shipped data into an empty store."""

RDF_SUFFIXES = frozenset("." + ext for fmt in FORMATS for ext in fmt.extensions)


@dataclass(frozen=True)
class Staged:
    """A graph being loaded into ``target``: itself, or a staging graph to swap in."""

    graph: str
    target: str
    entry: journal.Entry | None
    """The journal's record of a new graph loaded in place."""


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
        The public store; an in-memory embedded store when omitted.
    private
        The private store (see the module's docstring); in memory when omitted.

    Examples
    --------
    >>> kg = KnowledgeGraph()
    >>> _ = kg.load_shipped()
    >>> kg.stats().entities["SDG goals"]
    17
    """

    def __init__(self, store: Store | None = None, private: Store | None = None) -> None:
        self.store = store if store is not None else EmbeddedStore()
        self.private = private if private is not None else EmbeddedStore()
        self.ontology_dir = resource_dir("ontology")
        self.data_dir = resource_dir("data")

    @classmethod
    def open(cls, path: Path | None = None, *, read_only: bool = False) -> KnowledgeGraph:
        """Open the stores in directory ``path`` (memory when None) and repair what an
        interrupted process left unfinished.

        ``path/public`` and ``path/private`` are two Oxigraph stores.
        """
        if path is None:
            return cls()
        if (path / "CURRENT").exists():
            raise StoreError(
                f"{path} is a store of an earlier layout (one Oxigraph directory); "
                "move it aside and run `l4a load` again"
            )
        kg = cls(
            EmbeddedStore(path / "public", read_only=read_only),
            private_store(path, read_only=read_only),
        )
        if not read_only:
            kg.recover()
        return kg

    def close(self) -> None:
        """Flush and release the stores."""
        self.store.close()
        self.private.close()

    def recover(self) -> list[journal.Entry]:
        """Finish or undo the operations an interrupted process left unfinished.

        Staging graphs of an interrupted replacement are dropped. A submission whose
        public record was written is complete; one whose record is missing never
        happened, and what it wrote to the private store is removed. A new graph whose
        load did not finish is dropped; an interrupted first load of the shipped data
        is done again; an inferred graph that may lag behind the data is rebuilt. Every
        repair can itself be interrupted and redone. Returns the entries repaired.
        """
        from l4a_graph.validator.storage import SUBMIT, current_version, undo_submission

        for store in (self.store, self.private):
            for graph in store.named_graphs():
                if graph.startswith(ns.GRAPH_STAGING):
                    store.drop_graph(graph)
        entries = journal.pending(self.private)
        operations = {entry.operation for entry in entries}
        for entry in entries:
            if entry.operation == SUBMIT:
                stored = current_version(self.store, entry.subject)
                if stored is None or stored[0] < entry.version:
                    undo_submission(self.private, entry.subject, entry.version)
            elif entry.operation == LOAD:
                self.store_for(entry.subject).drop_graph(entry.subject)
        if SHIPPED in operations:
            self.load_shipped(reason=True)
        elif REASON in operations:
            self.reason(check=False)
        for entry in entries:
            journal.end(self.private, entry)
        return entries

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

    def load_shipped(self, *, progress: bool = False, reason: bool = False) -> list[LoadItem]:
        """(Re)load everything the project ships; each graph is replaced atomically.

        The inferred graph is rebuilt afterwards if it exists or ``reason`` is true.
        """
        return self._load_plan(_group(self.shipped_files()), progress=progress, reason=reason)

    def load_files(
        self,
        paths: Iterable[Path],
        *,
        graph: str | None = None,
        progress: bool = False,
        reason: bool = False,
    ) -> list[LoadItem]:
        """Load user files; each replaces its graph (``graph``, or one named after the file).

        A private graph (``graph/restricted/...``, see
        :func:`~l4a_graph.namespaces.is_private_graph`) goes to the private store.

        Every file is checked strictly before anything is swapped in (see
        :meth:`_stage_checked`), so a file that does not parse leaves the store
        unchanged. The inferred graph is rebuilt afterwards if it exists or ``reason``
        is true.
        """
        files = [f for p in paths for f in _expand(p)]
        return self._load_plan(
            _group([(p, graph or ns.file_graph(p.stem)) for p in files]),
            progress=progress,
            reason=reason,
        )

    def _load_plan(
        self, plan: list[LoadItem], *, progress: bool, reason: bool = False
    ) -> list[LoadItem]:
        for item in plan:
            for path in item.paths:
                _check_readable(path)
        # A dataset file writes the graphs it names in place: checked before it is loaded.
        for item in plan:
            if item.graph is None:
                _check_syntax(item.paths[0], item.fmt)
        existing = set(self.store.named_graphs()) | set(self.private.named_graphs())
        public = any(item.graph is None or not ns.is_private_graph(item.graph) for item in plan)
        with self._inferred_follows(force=reason, changes=public):
            named = [item for item in plan if item.graph is not None]
            self._swap_in(self._stage_checked(named, existing, progress=progress))
            for item in plan:
                if item.graph is None:
                    _load_file(self.store, item.paths[0], item.fmt, None, lenient=True)
        return plan

    def store_for(self, graph: str | None) -> Store:
        """The store that holds named graph ``graph`` (the public one for None)."""
        return self.private if graph and ns.is_private_graph(graph) else self.store

    def _stage_checked(
        self, plan: list[LoadItem], existing: set[str], *, progress: bool
    ) -> list[Staged]:
        """Load every graph of ``plan`` while a second thread checks its files strictly.

        A new graph is written in place (journalled: an interrupted load is dropped on
        the next open); an existing one is rebuilt in a staging graph, swapped in later
        by :meth:`_swap_in` so nobody ever sees it half old, half new. (Swapping is slow
        on disk, which is why new graphs skip it.) The loads skip the checks the other
        thread makes: together they take about the time of the longer one, not of both
        (1M triples: 5.4-6.1 -> 3.5-3.6 s, BENCHMARKS.md "Pipeline"). If any file fails its check,
        everything loaded is removed again and the store is as it was.
        """
        staged: dict[str, Staged] = {}
        with ThreadPoolExecutor(max_workers=1) as pool:
            checked = pool.submit(_check_files, [(p, i.fmt) for i in plan for p in i.paths])
            try:
                for item in _progress(plan, progress):
                    assert item.graph is not None
                    # One graph may come in several formats, hence several items.
                    if item.graph not in staged:
                        staged[item.graph] = self._stage(item.graph, item.graph in existing)
                    store, target = self.store_for(item.graph), staged[item.graph].target
                    for path in item.paths:
                        _load_file(store, path, item.fmt, target, lenient=True)
                checked.result()
            except BaseException as error:
                self._unstage(list(staged.values()))
                refused = checked.exception()
                if isinstance(refused, InputError) and refused is not error:
                    raise refused from None
                raise
        return list(staged.values())

    def _stage(self, graph: str, replace: bool) -> Staged:
        if replace:
            return Staged(graph, f"{ns.GRAPH_STAGING}{uuid4()}", None)
        return Staged(graph, graph, journal.begin(self.private, LOAD, graph))

    def _swap_in(self, staged: list[Staged]) -> None:
        for each in staged:
            if each.target != each.graph:
                self.store_for(each.graph).replace_graph(each.graph, each.target)
            if each.entry:
                journal.end(self.private, each.entry)

    def _unstage(self, staged: list[Staged]) -> None:
        for each in staged:
            self.store_for(each.graph).drop_graph(each.target)
            if each.entry:
                journal.end(self.private, each.entry)

    def ensure_loaded(self, *, progress: bool = False) -> bool:
        """Load the shipped data (and its entailments) when the store is empty; True if it did."""
        if not self.store.is_empty():
            return False
        # Journalled: once part of it is in, the store is no longer empty.
        entry = journal.begin(self.private, SHIPPED, ns.GRAPH_ONTOLOGY)
        self.load_shipped(progress=progress, reason=True)
        journal.end(self.private, entry)
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
        """Write the public dataset (or one graph, maybe private) to ``out``.

        Triple formats get the union of the public graphs.
        """
        self.store_for(graph).dump(out, fmt, graph)

    # -- submissions (l4a_graph.validator) -----------------------------------------------

    def validate(self, submission: Submission, *, stage: int = 2) -> Report:
        """Check ``submission`` against the SHACL shapes of ``stage`` (1 or 2).

        Only the shipped shapes and reference data are read, never the store.
        """
        from l4a_graph.validator.engine import validator_for

        validator = validator_for(resource_dir("shapes"), self.ontology_dir, self.data_dir)
        return validator.validate(submission, stage)

    def submit(self, submission: Submission, *, by: str | None = None) -> Submitted:
        """Validate ``submission`` at stage 2; store it as a new version only if it conforms.

        The inferred graph, if the store has one, is rebuilt to include the new version.
        """
        from l4a_graph.validator.storage import Submitted, store_submission

        report = self.validate(submission, stage=2)
        if not report.conforms:
            return Submitted(report, None)
        with self._inferred_follows(force=False):
            stored = store_submission(self.store, self.private, submission, by=by)
        return Submitted(report, stored)

    # -- reasoning (l4a_graph.reasoner) ------------------------------------------------

    def reason(self, engine: str = "fast", *, check: bool = True) -> ReasoningReport:
        """Drop and rebuild ``graph/inferred`` with ``engine`` (fast or owlrl).

        With ``check``, the report lists the violations of what the ontology forbids.
        """
        from l4a_graph.reasoner import reason

        # Journalled: the rebuild drops the graph first, so an interrupted one is redone.
        entry = journal.begin(self.private, REASON, ns.GRAPH_INFERRED)
        report = reason(self.store, engine, check_consistency=check)
        journal.end(self.private, entry)
        return report

    @contextmanager
    def _inferred_follows(self, *, force: bool, changes: bool = True) -> Iterator[None]:
        """Around a write that ``changes`` the public data: afterwards, rebuild the inferred
        graph if there is one (or if ``force``).

        The rebuild is journalled before the write starts, so a process killed anywhere
        in the block, or a write that fails half-way, leaves an entry that
        :meth:`recover` acts on: the inferred graph never silently lags behind.
        """
        if not changes or not (force or ns.GRAPH_INFERRED in self.store.named_graphs()):
            yield
            return
        entry = journal.begin(self.private, REASON, ns.GRAPH_INFERRED)
        yield
        from l4a_graph.reasoner import reason

        reason(self.store, "fast", check_consistency=False)
        journal.end(self.private, entry)


def private_store(path: Path, *, read_only: bool = False) -> EmbeddedStore:
    """The private store of the store directory ``path`` (empty, in memory, when a
    read-only open finds none)."""
    if read_only and not (path / "private").exists():
        return EmbeddedStore()
    return EmbeddedStore(path / "private", read_only=read_only)


def _load_file(
    store: Store, path: Path, fmt: Format, graph: str | None, *, lenient: bool = False
) -> None:
    if path.stat().st_size >= BULK_LOAD_BYTES:
        store.bulk_load(path, fmt, graph, lenient=lenient)
    else:
        store.load(path, fmt, graph, lenient=lenient)


def _group(files: list[tuple[Path, str]]) -> list[LoadItem]:
    """Group files by target graph, keeping the first-seen order; dataset files stand alone."""
    plan: dict[tuple[str, str], list[Path]] = {}
    singles: list[LoadItem] = []
    for path, graph in files:
        fmt = for_path(path)
        if fmt.names_own_graphs:
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


def _check_files(files: list[tuple[Path, Format]]) -> None:
    for path, fmt in files:
        _check_syntax(path, fmt)


def _check_syntax(path: Path, fmt: Format) -> None:
    """Parse ``path`` without storing it, so a bad file is refused before any write."""
    try:
        for _ in parse(path=str(path), format=fmt.rdf_format):
            pass
    except SyntaxError as error:
        raise InputError(_syntax_message(path, error)) from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text ({error.reason})") from error


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
