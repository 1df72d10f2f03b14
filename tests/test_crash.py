"""Crash safety (issue #11): ``kill -9`` at any moment of ``l4a submit``, ``l4a load`` or
``l4a reason`` leaves neither a half submission, nor a half graph, nor a store that will not
open; afterwards the store holds exactly the submissions that were reported as stored
(and, at most, the one a command was storing when it was killed, whole).

How the commands run
--------------------
A fresh ``l4a`` process spends a second or more importing before it touches the store, so
random kills of the console script would mostly land in the imports. A *launcher*
process imports the package once (and builds the SHACL shapes, as any process that has
validated once has them), then forks one child per command; the child runs
``l4a_graph.cli.main`` on the command's arguments, as the console script does, and is
killed with SIGKILL. ``test_the_console_script_itself_killed_mid_submit`` kills the real
console script too.

The moment of the kill is chosen in two ways:

- at random: a seeded list of delays spread evenly over the command's duration, which the
  test measures first on an uninterrupted run;
- at write boundaries: the child kills itself (SIGKILL) just before its n-th write to an
  on-disk store (``EmbeddedStore.update``, ``insert_where``, ``add``, ``load``,
  ``bulk_load``), for every n of the command's own writes and a sample of the reasoning
  ones, which reaches the narrow windows between two writes that a random delay seldom
  hits.

After each kill the test opens the store as every command does (``KnowledgeGraph.open``,
which repairs what the journal lists) and checks the invariants of :func:`problems`. The
repair itself is killed too (``test_the_repair_on_open_killed_at_write_boundaries``).

The six defects these tests first found (a stale inferred graph after a submit or a load
killed at the wrong moment, a staging graph left behind, a new graph of several files
half loaded, orphan bulk-load files, an interrupted first load never completed) each
keep a test that kills at the moment that showed it.

``L4A_CRASH_POINTS=N`` runs N random kill points in each random test instead of the CI
defaults (16 for submit, 6 for load and for reason); ``-m slow`` adds every write boundary
and the bulk-load path (a file of 64 MB and over a million triples, 7 kill points).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, QuerySolutions, RdfFormat, parse

from l4a_graph import KnowledgeGraph, journal
from l4a_graph import namespaces as ns
from l4a_graph.formats import by_name
from l4a_graph.knowledge_graph import BULK_LOAD_BYTES
from l4a_graph.store import EmbeddedStore, Store
from l4a_graph.synthetic import generate, hubs_for_triples
from l4a_graph.validator.contacts import split_contacts
from l4a_graph.validator.intake import read_submission
from l4a_graph.validator.storage import current_version, submission_graph, submission_iri

VALID = Path(__file__).parent / "fixtures" / "submissions" / "valid.ttl"
SLUG = "example-harbour-youth-forum"
HUBS = (SLUG, f"{SLUG}-b")
TITLE = '"Harbour Town Youth Forum (fictional)"@en'
CONTACT = '"Amina Harbourside (fictional)"'
TARGETS = "l4a:addressesTarget sdg:4.7 , sdg:16.7 ;"
GOALS = "l4a:addressesGoal sdg:4 , sdg:16 ;"
STORED = re.compile(r"^stored (\S+) as version (\d+): ", re.MULTILINE)
SEED = 11
"""The seed of every random choice (issue 11): the same fractions of the duration each run."""
L4A = ns.L4A
PROV = "http://www.w3.org/ns/prov#"
GENERATED = PROV + "generatedAtTime"
DELTA = ns.GRAPH + "inferred-delta/"


def points(default: int) -> int:
    """Random kill points per test: ``$L4A_CRASH_POINTS``, or ``default``."""
    return int(os.environ.get("L4A_CRASH_POINTS") or default)


# -- the launcher --------------------------------------------------------------------------

LAUNCHER = r"""
import ctypes, json, os, signal, sys, traceback
from pathlib import Path


def die_with_parent():
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: no orphan outlives the test


die_with_parent()
from l4a_graph.cli import main
from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.store.embedded import EmbeddedStore
from l4a_graph.validator.intake import read_submission
import l4a_graph.reasoner.engine

KnowledgeGraph().validate(read_submission(Path(sys.argv[1])))


def arm(die_before, log_path):
    # Kill this process just before its write number die_before (0 = the first) to an
    # on-disk store; log every write to log_path.
    log = open(log_path, "a", encoding="utf-8") if log_path else None
    done = 0

    def wrap(name):
        original = getattr(EmbeddedStore, name)

        def write(self, *args, **kwargs):
            nonlocal done
            if self.path is None:
                return original(self, *args, **kwargs)
            if die_before is not None and done >= die_before:
                os.kill(os.getpid(), signal.SIGKILL)
            done += 1
            if log:
                what = " ".join(str(args[0]).split())[:160] if name != "add" else ""
                log.write(f"{self.path.name} {name} {what}\n")
                log.flush()
            return original(self, *args, **kwargs)

        setattr(EmbeddedStore, name, write)

    for name in ("update", "insert_where", "add", "load", "bulk_load"):
        wrap(name)


def child(request):
    die_with_parent()
    for fd, path in ((1, request["out"]), (2, request["err"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(0, encoding="utf-8", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
    code = 70
    try:
        arm(request["die_before"], request["log"])
        sys.argv = ["l4a", *request["args"]]
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


print("ready", flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if "wait" in request:
        _, status = os.waitpid(request["wait"], 0)
        if os.WIFSIGNALED(status):
            reply = {"signal": os.WTERMSIG(status)}
        else:
            reply = {"exit": os.WEXITSTATUS(status)}
        print(json.dumps(reply), flush=True)
        continue
    pid = os.fork()
    if pid == 0:
        child(request)
    print(pid, flush=True)
"""
"""Imports l4a_graph once, then forks a child per command it reads on stdin (JSON)."""


def running(pid: int) -> bool:
    """Whether child ``pid`` still runs (it is a zombie once it exits, until reaped)."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@dataclass(frozen=True)
class Outcome:
    """How a command ended."""

    killed: bool
    """SIGKILL ended it (else it exited with ``code`` before the kill)."""
    code: int | None
    stdout: str
    stderr: str
    seconds: float


class Launcher:
    """The launcher process and the commands it runs."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.runs = 0
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(VALID)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=workdir,
        )
        assert self._read() == "ready"

    def _read(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the launcher died (exit {self.process.wait()})")
        return line.strip()

    def _send(self, request: dict[str, object]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def run(
        self,
        *args: str | Path,
        kill_after: float | None = None,
        kill_when: Callable[[], bool] | None = None,
        die_before: int | None = None,
        log: Path | None = None,
    ) -> Outcome:
        """Run ``l4a ARGS``; SIGKILL it ``kill_after`` seconds after it started, or as soon
        as ``kill_when()`` (polled) is true, or just before its write number
        ``die_before``; log its writes to ``log``."""
        self.runs += 1
        out, err = (self.workdir / f"{self.runs}.{name}" for name in ("out", "err"))
        self._send(
            {
                "args": [str(a) for a in args],
                "out": str(out),
                "err": str(err),
                "die_before": die_before,
                "log": str(log) if log else None,
            }
        )
        pid = int(self._read())
        started = time.monotonic()
        if kill_after is not None:
            time.sleep(max(0.0, started + kill_after - time.monotonic()))
            os.kill(pid, signal.SIGKILL)  # our child; reaped only below, so never reused
        elif kill_when is not None:
            while running(pid) and not kill_when():
                time.sleep(0.02)
            os.kill(pid, signal.SIGKILL)
        self._send({"wait": pid})
        reply = json.loads(self._read())
        seconds = time.monotonic() - started
        return Outcome(
            reply.get("signal") == signal.SIGKILL,
            reply.get("exit"),
            out.read_text(encoding="utf-8"),
            err.read_text(encoding="utf-8"),
            seconds,
        )

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def launcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launcher]:
    process = Launcher(tmp_path_factory.mktemp("runs"))
    yield process
    process.close()


@pytest.fixture(scope="module")
def loaded(launcher: Launcher, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store made by ``l4a load``: the shipped data and its entailments."""
    store = tmp_path_factory.mktemp("loaded") / "store"
    outcome = launcher.run("--store", store, "load")
    assert outcome.code == 0, outcome.stderr
    return store


def copy_store(template: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(template, target)
    return target


def spread(rng: random.Random, count: int, duration: float) -> list[float]:
    """``count`` delays, one in each of ``count`` equal slices of ``duration``, shuffled."""
    delays = [(i + rng.random()) * duration / count for i in range(count)]
    rng.shuffle(delays)
    return delays


def sample(writes: list[str], rng: random.Random, reasoning: int | None) -> list[int]:
    """The write boundaries to kill at: every one (``reasoning`` None), or the command's
    own writes and ``reasoning`` of the rebuild's: the first, the last, random others."""
    if reasoning is None:
        return list(range(len(writes)))
    rebuild = [i for i, w in enumerate(writes) if "inferred" in w]
    chosen = {i for i, w in enumerate(writes) if "inferred" not in w}
    chosen |= set(rebuild[:1] + (rebuild[-1:] if reasoning > 1 else []))
    middle = rebuild[1:-1]
    chosen |= set(rng.sample(middle, min(max(0, reasoning - 2), len(middle))))
    return sorted(chosen)


@dataclass
class Figures:
    """What a test did, printed at its end."""

    name: str
    tried: int = 0
    killed: int = 0
    finished: int = 0
    reported: int = 0
    unreported: int = 0
    lost: int = 0
    notes: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        self.tried += 1
        if outcome.killed:
            self.killed += 1
        else:
            self.finished += 1

    def show(self, capsys: pytest.CaptureFixture[str]) -> None:
        line = (
            f"crash safety, {self.name}: {self.tried} kill points, {self.killed} commands "
            f"killed mid-way, {self.finished} finished first"
        )
        if self.reported or self.unreported:
            line += (
                f"; {self.reported} submissions reported stored, {self.unreported} stored by "
                f"a command killed before it said so, {self.lost} lost"
            )
        with capsys.disabled():
            print("\n" + "; ".join([line, *self.notes]))


# -- what the store must hold -----------------------------------------------------------------


def _term(term: object) -> str:
    return "_:b" if isinstance(term, BlankNode) else str(term)


def _nt(s: object, p: object, o: object) -> str:
    """One triple in N-Triples, blank nodes all written ``_:b`` (enough for these data)."""
    return f"{_term(s)} {_term(p)} {_term(o)} ."


def triples(store: Store, graph: str) -> list[str]:
    """The triples of ``graph`` (none if it does not exist), sorted."""
    result = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, QuerySolutions)
    return sorted(_nt(r["s"], r["p"], r["o"]) for r in result)


def graphs(store: Store) -> set[str]:
    """The named graphs that hold at least one triple."""
    result = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(result, QuerySolutions)
    return {r["g"].value for r in result}


@dataclass(frozen=True)
class Version:
    """A submission file and what storing it must write."""

    path: Path
    sha256: str
    public: tuple[str, ...]
    restricted: tuple[str, ...]


def version_of(path: Path) -> Version:
    submission = read_submission(path)
    public, restricted = split_contacts(submission.quads)
    assert public and restricted
    return Version(
        path,
        submission.sha256,
        tuple(sorted(_nt(q.subject, q.predicate, q.object) for q in public)),
        tuple(sorted(_nt(q.subject, q.predicate, q.object) for q in restricted)),
    )


def make_submission(folder: Path, hub: int, version: int) -> Path:
    """Version ``version`` of HUB ``hub``: tests/fixtures/submissions/valid.ttl renamed,
    with a title and a contact that say which version it is, and one SDG target more that
    changes from version to version (so that its entailments do too)."""
    text = VALID.read_text(encoding="utf-8")
    assert TITLE in text and CONTACT in text and TARGETS in text and GOALS in text
    text = text.replace(TARGETS, f"{TARGETS[:-2]}, sdg:11.{version % 7 + 1} ;")
    text = text.replace(GOALS, f"{GOALS[:-2]}, sdg:11 ;")
    text = text.replace(SLUG, HUBS[hub])
    text = text.replace(TITLE, f'"Harbour Town Youth Forum {hub + 1} (fictional), v{version}"@en')
    text = text.replace(CONTACT, f'"Amina Harbourside (fictional) {version}"')
    path = folder / f"{HUBS[hub]}-v{version}.ttl"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Ledger:
    """The submissions the store must hold: per HUB, its versions in order."""

    versions: dict[str, list[Version]] = field(default_factory=lambda: {h: [] for h in HUBS})


Problem = tuple[str, str]
"""(kind, description) of a broken invariant."""


def problems(
    store_dir: Path,
    ledger: Ledger | None = None,
    *,
    expect: dict[str, tuple[tuple[str, ...] | None, ...]] | None = None,
    sizes: dict[str, tuple[int, ...]] | None = None,
    settle: tuple[str, Version, Outcome] | None = None,
) -> list[Problem]:
    """Open the store as every command does and list the invariants it breaks.

    - it opens, and no journal entry remains afterwards;
    - no staging graph of a load, no delta graph of a rebuild is left in the public store;
    - with ``ledger``: each HUB has versions 1..N, exactly those of the ledger, each with
      its exact public triples (in its graph while current, archived in the private store
      once superseded), its contact details in a restricted graph and its PROV record
      (SHA-256, place, revision, only the last one current); no other submission graph;
    - with ``expect``: each named graph holds exactly one of the contents it may hold
      (None: absent); with ``sizes``, one of the numbers of triples it may hold (0: absent);
    - the inferred graph is what a rebuild from the other graphs makes.

    ``settle`` = (HUB, version, outcome) of a submit that ran: if it printed "stored",
    or if it was killed and the store holds its version, it joins the ledger first.
    """
    try:
        kg = KnowledgeGraph.open(store_dir)
    except Exception as error:  # that it does not open is the finding
        return [("open", f"the store does not open: {error!r}")]
    found: list[Problem] = []
    with kg:
        if journal.pending(kg.private):
            found.append(("journal", f"journal entries left: {journal.pending(kg.private)}"))
        public = graphs(kg.store)
        for graph in sorted(public):
            if graph.startswith((ns.GRAPH_STAGING, DELTA)):
                found.append(("leftover", f"{graph} left with {kg.store.count(graph)} triples"))
            if ns.is_private_graph(graph):
                found.append(("leftover", f"private graph {graph} in the public store"))
        if ledger is not None:
            if settle is not None:
                found += _settle(kg, ledger, *settle)
            found += _submissions(kg, ledger, public, graphs(kg.private))
        for graph, allowed in (expect or {}).items():
            content = tuple(triples(kg.store, graph)) if graph in public else None
            if content not in allowed:
                may = ", ".join("absent" if a is None else f"{len(a)} triples" for a in allowed)
                held = "nothing" if content is None else f"{len(content)} triples"
                found.append(("graph", f"{graph} holds {held}, not one of: {may}"))
        for graph, counts in (sizes or {}).items():
            if (count := kg.store.count(graph)) not in counts:
                found.append(("graph", f"{graph} holds {count} triples; may hold: {counts}"))
        found += _inferred(kg)
    return found


def _settle(
    kg: KnowledgeGraph, ledger: Ledger, slug: str, version: Version, outcome: Outcome
) -> list[Problem]:
    versions = ledger.versions[slug]
    hub = f"{ns.ID}hub/{slug}"
    said = STORED.search(outcome.stdout)
    if said:
        if (said.group(1), int(said.group(2))) != (hub, len(versions) + 1):
            return [("submission", f"reported {said.group(0)!r}, expected v{len(versions) + 1}")]
        versions.append(version)
        return []
    if not outcome.killed:
        return [("submission", f"submit exited {outcome.code} unstored: {outcome.stderr}")]
    stored = current_version(kg.store, hub)
    if stored is not None and stored[0] == len(versions) + 1:
        versions.append(version)
    return []


def _submissions(
    kg: KnowledgeGraph, ledger: Ledger, public: set[str], private: set[str]
) -> list[Problem]:
    found: list[Problem] = []
    result = kg.store.query(
        f"""SELECT ?s ?hub ?v ?current ?sha ?at ?rev WHERE {{ GRAPH <{ns.GRAPH_PROVENANCE}> {{
              ?s a <{L4A}Submission> ; <{L4A}submissionOf> ?hub ; <{L4A}versionNumber> ?v ;
                 <{L4A}isCurrentVersion> ?current ; <{L4A}sha256> ?sha ;
                 <{PROV}atLocation> ?at ; <{PROV}generatedAtTime> ?time
              OPTIONAL {{ ?s <{PROV}wasRevisionOf> ?rev }} }} }}"""
    )
    assert isinstance(result, QuerySolutions)
    records: dict[str, list[tuple[str, ...]]] = {}
    for row in result:
        rev = row["rev"].value if row["rev"] is not None else ""
        fields = ("hub", "v", "current", "sha", "at")
        records.setdefault(row["s"].value, []).append((*(row[f].value for f in fields), rev))
    expected_public: set[str] = set()
    expected_private: set[str] = set()
    for slug, versions in ledger.versions.items():
        hub, last = f"{ns.ID}hub/{slug}", len(versions)
        for number, version in enumerate(versions, start=1):
            iri, graph = submission_iri(slug, number), submission_graph(slug, number)
            record = (
                hub,
                str(number),
                "true" if number == last else "false",
                version.sha256,
                graph,
                submission_iri(slug, number - 1) if number > 1 else "",
            )
            if records.pop(iri, None) != [record]:
                found.append(("submission", f"{iri}: no PROV record, or not exactly {record}"))
            if number == last:
                expected_public.add(graph)
                held = triples(kg.store, graph)
            else:
                expected_private.add(ns.archive_graph(slug, number))
                held = triples(kg.private, ns.archive_graph(slug, number))
            if tuple(held) != version.public:
                found.append(("submission", f"{iri}: {len(held)} public triples, not the file's"))
            expected_private.add(ns.restricted_graph(slug, number))
            contacts = triples(kg.private, ns.restricted_graph(slug, number))
            if tuple(contacts) != version.restricted:
                found.append(("submission", f"{iri}: {len(contacts)} contact triples"))
    for iri, rows in records.items():
        found.append(("submission", f"record of an unreported submission {iri}: {rows}"))
    extra = {g for g in public if g.startswith(ns.GRAPH + "submission/")} - expected_public
    extra |= {g for g in private if g.startswith((ns.GRAPH_ARCHIVE, ns.GRAPH_RESTRICTED))}
    extra -= expected_private
    if extra or not expected_public <= public:
        missing = sorted(expected_public - public)
        found.append(("submission", f"submission graphs: extra {sorted(extra)}, missing {missing}"))
    return found


def lost(store_dir: Path, ledger: Ledger) -> int:
    """How many submissions of ``ledger`` (all reported, or found, as stored) have no
    PROV record with their SHA-256 in the store."""
    with KnowledgeGraph.open(store_dir) as kg:
        result = kg.store.query(
            f"SELECT ?s ?sha WHERE {{ GRAPH <{ns.GRAPH_PROVENANCE}> {{ ?s <{L4A}sha256> ?sha }} }}"
        )
        assert isinstance(result, QuerySolutions)
        held = {(r["s"].value, r["sha"].value) for r in result}
    return sum(
        (submission_iri(slug, n), v.sha256) not in held
        for slug, versions in ledger.versions.items()
        for n, v in enumerate(versions, start=1)
    )


_REBUILT: dict[str, frozenset[str]] = {}
"""Rebuilt inferred graphs by a digest of the graphs they are made from (most kill points
of a test leave one of a few states)."""


def _inferred(kg: KnowledgeGraph) -> list[Problem]:
    """The inferred graph against a rebuild, in memory, from a copy of the other graphs."""
    if ns.GRAPH_INFERRED not in graphs(kg.store):
        return []  # a store that never had one: loads keep it only if it exists
    dump = io.BytesIO()
    kg.store.dump(dump, by_name("nq"))
    asserted = [
        q
        for q in parse(dump.getvalue(), format=RdfFormat.N_QUADS)
        if q.graph_name.value != ns.GRAPH_INFERRED
    ]
    # The times of the PROV records differ from run to run and entail nothing.
    digest = hashlib.sha256(
        "\n".join(sorted(str(q) for q in asserted if q.predicate.value != GENERATED)).encode()
    ).hexdigest()
    if digest not in _REBUILT:
        fresh = KnowledgeGraph()
        fresh.store.add(asserted)
        fresh.reason(check=False)
        _REBUILT[digest] = frozenset(triples(fresh.store, ns.GRAPH_INFERRED))
        fresh.close()
    held, rebuilt = set(triples(kg.store, ns.GRAPH_INFERRED)), _REBUILT[digest]
    if held == rebuilt:
        return []
    missing = sorted(rebuilt - held)
    return [
        (
            "inferred",
            f"inferred graph: {len(missing)} entailments missing (e.g. {missing[:1]}), "
            f"{len(held - rebuilt)} extra",
        )
    ]


def tally(found: list[tuple[str, Problem]]) -> list[str]:
    """The problems found, each described with where it was found."""
    return [f"{where}: {text}" for where, (_, text) in found]


def submit(
    launcher: Launcher,
    store: Path,
    ledger: Ledger,
    folder: Path,
    hub: int,
    figures: Figures,
    *,
    kill_after: float | None = None,
    die_before: int | None = None,
) -> tuple[Outcome, list[Problem]]:
    """Submit the next version of HUB ``hub``, killed as asked, then check the store."""
    slug = HUBS[hub]
    number = len(ledger.versions[slug]) + 1
    path = folder / f"{slug}-v{number}.ttl"
    if not path.exists():
        make_submission(folder, hub, number)
    version = version_of(path)
    outcome = launcher.run(
        "--store", store, "submit", path, kill_after=kill_after, die_before=die_before
    )
    found = problems(store, ledger, settle=(slug, version, outcome))
    figures.count(outcome)
    stored = len(ledger.versions[slug]) == number
    said = bool(STORED.search(outcome.stdout))
    figures.reported += stored and said
    figures.unreported += stored and not said
    return outcome, found


# -- submit ------------------------------------------------------------------------------------


def test_submit_killed_at_random_moments(
    launcher: Launcher, loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Successive versions of two HUBs, each submit killed at a random moment (a submit
    that was not stored is submitted again, as its author would)."""
    store = copy_store(loaded, tmp_path / "store")
    ledger, figures, rng = Ledger(), Figures("l4a submit, random moments"), random.Random(SEED)
    durations = []
    for hub in range(len(HUBS)):
        outcome, found = submit(launcher, store, ledger, tmp_path, hub, Figures("calibration"))
        assert outcome.code == 0 and not found, (outcome.stderr, found)
        durations.append(outcome.seconds)
    seen: list[tuple[str, Problem]] = []
    for delay in spread(rng, points(16), max(durations) * 1.1):
        hub = rng.randrange(len(HUBS))
        _, found = submit(launcher, store, ledger, tmp_path, hub, figures, kill_after=delay)
        seen += [(f"killed {delay:.2f} s into a submit", p) for p in found]
    figures.lost = lost(store, ledger)
    figures.notes.append(f"a submit takes {max(durations):.2f} s")
    failures = tally(seen)
    figures.show(capsys)
    assert not failures


def _submit_at_boundaries(
    launcher: Launcher, loaded: Path, tmp_path: Path, reasoning: int | None
) -> tuple[Figures, list[str]]:
    """Version 2 of a HUB submitted, killed before each of its writes in turn."""
    base = copy_store(loaded, tmp_path / "base")
    ledger, figures = Ledger(), Figures("l4a submit, write boundaries")
    outcome, found = submit(launcher, base, ledger, tmp_path, 0, Figures("version 1"))
    assert outcome.code == 0 and not found, (outcome.stderr, found)
    writes = logged_writes(launcher, base, tmp_path, "submit", make_submission(tmp_path, 0, 2))
    seen: list[tuple[str, Problem]] = []
    for n in sample(writes, random.Random(SEED), reasoning):
        store = copy_store(base, tmp_path / "store")
        trial = Ledger({slug: list(v) for slug, v in ledger.versions.items()})
        outcome, found = submit(launcher, store, trial, tmp_path, 0, figures, die_before=n)
        assert outcome.killed
        seen += [(f"killed before write {n} ({writes[n][:70]})", p) for p in found]
    figures.notes.append(f"{len(writes)} writes in a submit of version 2")
    return figures, tally(seen)


def logged_writes(
    launcher: Launcher, template: Path, tmp_path: Path, *command: str | Path
) -> list[str]:
    """The writes ``l4a COMMAND`` makes to a copy of ``template``, in order."""
    log = tmp_path / "writes.log"
    log.unlink(missing_ok=True)
    probe = copy_store(template, tmp_path / "probe")
    outcome = launcher.run("--store", probe, *command, log=log)
    assert outcome.code == 0, outcome.stderr
    return log.read_text(encoding="utf-8").splitlines()


def test_submit_killed_at_write_boundaries(
    launcher: Launcher, loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures, failures = _submit_at_boundaries(launcher, loaded, tmp_path, reasoning=4)
    figures.show(capsys)
    assert not failures


@pytest.mark.slow
def test_submit_killed_at_every_write_boundary(
    launcher: Launcher, loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures, failures = _submit_at_boundaries(launcher, loaded, tmp_path, reasoning=None)
    figures.show(capsys)
    assert not failures


def test_a_submit_killed_just_after_its_public_write_leaves_the_inferred_graph_complete(
    launcher: Launcher, loaded: Path, tmp_path: Path
) -> None:
    store = copy_store(loaded, tmp_path / "store")
    ledger = Ledger()
    outcome, found = submit(launcher, store, ledger, tmp_path, 0, Figures("version 1"))
    assert outcome.code == 0 and not found, (outcome.stderr, found)
    writes = logged_writes(launcher, store, tmp_path, "submit", make_submission(tmp_path, 0, 2))
    public = first_write(writes, "public update")
    outcome, found = submit(
        launcher, store, ledger, tmp_path, 0, Figures("v2"), die_before=public + 1
    )
    assert outcome.killed and len(ledger.versions[SLUG]) == 2  # the version was stored
    assert found == []


def test_the_console_script_itself_killed_mid_submit(
    launcher: Launcher, loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real ``l4a`` console script, in a process of its own, killed twice: once late
    in its validation or writes, once late in its run."""
    store = copy_store(loaded, tmp_path / "store")
    ledger, figures = Ledger(), Figures("the console script l4a submit")
    l4a = str(Path(sys.executable).parent / "l4a")
    durations = []
    for fraction in (None, 0.7, 0.9):
        version_number = len(ledger.versions[SLUG]) + 1
        path = make_submission(tmp_path, 0, version_number)
        version = version_of(path)
        process = subprocess.Popen(
            [l4a, "--store", str(store), "submit", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started = time.monotonic()
        if fraction is not None:
            time.sleep(durations[0] * fraction)
            process.kill()  # SIGKILL, to the process this test started
        stdout, stderr = process.communicate(timeout=120)
        durations.append(time.monotonic() - started)
        outcome = Outcome(
            process.returncode == -signal.SIGKILL, process.returncode, stdout, stderr, 0
        )
        found = problems(store, ledger, settle=(SLUG, version, outcome))
        if fraction is None:
            assert outcome.code == 0 and not found, (stderr, found)
            continue
        figures.count(outcome)
        stored = len(ledger.versions[SLUG]) == version_number
        said = bool(STORED.search(stdout))
        figures.reported += stored and said
        figures.unreported += stored and not said
        assert found == []
    figures.lost = lost(store, ledger)
    figures.notes.append(f"the console script takes {durations[0]:.2f} s to submit")
    figures.show(capsys)


# -- load -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadFiles:
    """Small N-Triples files of synthetic HUBs, and what each holds."""

    old_a: Path
    a: Path
    b: Path
    c: Path
    parts: tuple[Path, Path]
    content: dict[Path, tuple[str, ...]]


def nt_triples(path: Path) -> tuple[str, ...]:
    """The triples of N-Triples file ``path`` as a store gives them back (Oxigraph writes
    some literals in canonical form: ``"48.17040"^^xsd:decimal`` as ``"48.1704"``)."""
    store = EmbeddedStore()
    store.load(path, by_name("nt"), "urn:x-file")
    return tuple(triples(store, "urn:x-file"))


@pytest.fixture(scope="module")
def load_files(tmp_path_factory: pytest.TempPathFactory) -> LoadFiles:
    folder = tmp_path_factory.mktemp("files")
    (folder / "old").mkdir()
    paths = [folder / "old" / "a.nt", folder / "a.nt", folder / "b.nt", folder / "c.nt"]
    paths += [folder / "part1.nt", folder / "part2.nt"]
    for seed, path in enumerate(paths):
        generate(20, seed, path, quads=False)
    content = {path: nt_triples(path) for path in paths}
    return LoadFiles(*paths[:4], (paths[4], paths[5]), content)


@dataclass(frozen=True)
class LoadCase:
    """``l4a load a.nt b.nt c.nt`` over a store where graph/file/a holds an older a.nt:
    a replaces an existing graph (through a staging graph), b and c are new graphs."""

    launcher: Launcher
    template: Path
    files: LoadFiles
    command: tuple[str | Path, ...]
    writes: list[str]
    sizes: dict[str, tuple[int, ...]]
    """Every other graph but the inferred one, with the number of triples it holds."""

    def problems(self, store: Path) -> list[Problem]:
        """a holds the old or the new a.nt, b and c nothing or their file, every other
        graph what it held."""
        content, files = self.files.content, self.files
        return problems(
            store,
            expect={
                ns.file_graph("a"): (content[files.old_a], content[files.a]),
                ns.file_graph("b"): (None, content[files.b]),
                ns.file_graph("c"): (None, content[files.c]),
            },
            sizes=self.sizes,
        )

    def killed_before(self, tmp_path: Path, n: int) -> list[Problem]:
        store = copy_store(self.template, tmp_path / "store")
        assert self.launcher.run("--store", store, *self.command, die_before=n).killed
        return self.problems(store)


@pytest.fixture(scope="module")
def load_case(
    launcher: Launcher,
    loaded: Path,
    tmp_path_factory: pytest.TempPathFactory,
    load_files: LoadFiles,
) -> LoadCase:
    folder = tmp_path_factory.mktemp("with-a")
    template = copy_store(loaded, folder / "store")
    outcome = launcher.run("--store", template, "load", load_files.old_a)
    assert outcome.code == 0, outcome.stderr
    with KnowledgeGraph.open(template) as kg:
        sizes = {
            g: (kg.store.count(g),)
            for g in graphs(kg.store)
            if g not in (ns.GRAPH_INFERRED, ns.file_graph("a"))
        }
    command = ("load", load_files.a, load_files.b, load_files.c)
    writes = logged_writes(launcher, template, folder, *command)
    return LoadCase(launcher, template, load_files, command, writes, sizes)


def test_load_killed_at_random_moments(
    launcher: Launcher, load_case: LoadCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calibration = launcher.run(
        "--store", copy_store(load_case.template, tmp_path / "store"), *load_case.command
    )
    assert calibration.code == 0, calibration.stderr
    figures, seen = Figures("l4a load, random moments"), []
    for delay in spread(random.Random(SEED), points(6), calibration.seconds * 1.1):
        store = copy_store(load_case.template, tmp_path / "store")
        outcome = launcher.run("--store", store, *load_case.command, kill_after=delay)
        figures.count(outcome)
        seen += [(f"killed {delay:.2f} s into a load", p) for p in load_case.problems(store)]
    figures.notes.append(f"the load takes {calibration.seconds:.2f} s")
    failures = tally(seen)
    figures.show(capsys)
    assert not failures


def _load_at_boundaries(
    load_case: LoadCase, tmp_path: Path, reasoning: int | None
) -> tuple[Figures, list[str]]:
    figures, seen, writes = Figures("l4a load, write boundaries"), [], load_case.writes
    for n in sample(writes, random.Random(SEED), reasoning):
        figures.tried += 1
        figures.killed += 1
        found = load_case.killed_before(tmp_path, n)
        seen += [(f"killed before write {n} ({writes[n][:70]})", p) for p in found]
    figures.notes.append(f"{len(writes)} writes in the load")
    return figures, tally(seen)


def test_load_killed_at_write_boundaries(
    load_case: LoadCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures, failures = _load_at_boundaries(load_case, tmp_path, reasoning=1)
    figures.show(capsys)
    assert not failures


@pytest.mark.slow
def test_load_killed_at_every_write_boundary(
    load_case: LoadCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures, failures = _load_at_boundaries(load_case, tmp_path, reasoning=None)
    figures.show(capsys)
    assert not failures


def first_write(writes: list[str], prefix: str) -> int:
    return next(i for i, w in enumerate(writes) if w.startswith(prefix))


def test_a_load_killed_while_replacing_a_graph_leaves_no_staging_graph(
    load_case: LoadCase, tmp_path: Path
) -> None:
    """Killed just before the staging graph is swapped in (``DROP ... ; MOVE ...``)."""
    n = first_write(load_case.writes, "public update DROP SILENT GRAPH")
    found = load_case.killed_before(tmp_path, n)
    assert found == []


def test_a_load_killed_between_two_files_leaves_the_inferred_graph_complete(
    load_case: LoadCase, tmp_path: Path
) -> None:
    """Killed when b.nt is in its graph and c.nt is about to be loaded."""
    n = first_write(load_case.writes, f"public load {load_case.files.c}")
    found = load_case.killed_before(tmp_path, n)
    assert found == []


def test_a_new_graph_of_two_files_is_absent_or_complete_after_a_kill(
    launcher: Launcher, loaded: Path, load_files: LoadFiles, tmp_path: Path
) -> None:
    graph = ns.file_graph("parts")
    part1, part2 = load_files.parts
    command = ("load", "--graph", graph, part1, part2)
    n = first_write(logged_writes(launcher, loaded, tmp_path, *command), f"public load {part2}")
    store = copy_store(loaded, tmp_path / "store")
    assert launcher.run("--store", store, *command, die_before=n).killed
    whole = tuple(sorted(set(load_files.content[part1]) | set(load_files.content[part2])))
    found = problems(store, expect={graph: (None, whole)})
    assert [p for p in found if p[0] == "graph"] == []


def bulk_files(store: Path) -> list[str]:
    """The SST files a bulk load writes into the public store before it ingests them."""
    public = store / "public"
    return [f.name for f in public.glob("bulk-*.sst")] if public.is_dir() else []


def ingested_files(store: Path) -> int:
    """The SST files of the public store proper (``000123.sst``)."""
    public = store / "public"
    return sum(1 for f in public.glob("*.sst") if f.stem.isdigit()) if public.is_dir() else 0


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """N-Triples of synthetic HUBs: at least 64 MB, so that ``l4a load`` bulk-loads it,
    and more than a million triples, so that Oxigraph's bulk loader makes two batches."""
    big = tmp_path_factory.mktemp("big") / "big.nt"
    summary = generate(hubs_for_triples(1_050_000), SEED, big, quads=False)
    assert big.stat().st_size >= BULK_LOAD_BYTES and summary.triples > 1_000_000
    return big, summary.triples


@pytest.mark.slow
def test_a_bulk_loaded_file_is_absent_or_complete_after_a_kill(
    launcher: Launcher,
    big_file: tuple[Path, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``l4a load --no-reason big.nt`` into an empty store, killed at random moments and at
    the moments that matter: once the bulk loader has written its SST files, when it has
    begun to ingest them, half way through the ingestion."""
    big, whole = big_file
    graph, command = ns.file_graph("big"), ("load", "--no-reason", big)
    calibration = launcher.run("--store", tmp_path / "calibration", *command)
    assert calibration.code == 0, calibration.stderr
    baseline = 1  # the SST file an empty store holds
    final = ingested_files(tmp_path / "calibration")
    store = tmp_path / "store"
    moments: list[tuple[str, Callable[[], bool] | float]] = [
        ("all SST files written", lambda: len(bulk_files(store)) >= final - baseline),
        ("ingestion begun", lambda: ingested_files(store) > baseline),
        ("ingestion half done", lambda: ingested_files(store) > (baseline + final) // 2),
    ]
    for delay in spread(random.Random(SEED), 4, calibration.seconds * 1.1):
        moments.append((f"{delay:.1f} s in", delay))
    figures, seen = Figures("l4a load of a file of 64 MB or more (bulk load)"), []
    for label, moment in moments:
        shutil.rmtree(store, ignore_errors=True)
        if isinstance(moment, float):
            outcome = launcher.run("--store", store, *command, kill_after=moment)
        else:
            outcome = launcher.run("--store", store, *command, kill_when=moment)
        figures.count(outcome)
        seen += [(f"killed {label}", p) for p in problems(store, sizes={graph: (0, whole)})]
    size = big.stat().st_size // 2**20
    figures.notes.append(f"{size} MB, {whole} triples, loaded in {calibration.seconds:.1f} s")
    failures = tally(seen)
    figures.show(capsys)
    assert not failures


@pytest.mark.slow
def test_a_killed_bulk_load_leaves_no_orphan_files(
    launcher: Launcher, big_file: tuple[Path, int], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    outcome = launcher.run(
        "--store",
        store,
        "load",
        "--no-reason",
        big_file[0],
        kill_when=lambda: bool(bulk_files(store)),
    )
    assert outcome.killed
    assert problems(store) == []
    assert bulk_files(store) == []


# -- reason -----------------------------------------------------------------------------------


def test_reason_killed_at_random_moments(
    launcher: Launcher, loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``l4a reason`` killed mid-way: on the next open the inferred graph is rebuilt whole."""
    base = copy_store(loaded, tmp_path / "base")
    outcome, found = submit(launcher, base, Ledger(), tmp_path, 0, Figures("a submission"))
    assert outcome.code == 0 and not found, (outcome.stderr, found)
    calibration = launcher.run("--store", copy_store(base, tmp_path / "store"), "reason")
    assert calibration.code == 0, calibration.stderr
    figures, seen, rng = Figures("l4a reason, random moments"), [], random.Random(SEED)
    for delay in spread(rng, points(6), calibration.seconds * 1.1):
        store = copy_store(base, tmp_path / "store")
        outcome = launcher.run("--store", store, "reason", kill_after=delay)
        figures.count(outcome)
        seen += [(f"killed {delay:.2f} s into reason", p) for p in problems(store)]
    figures.notes.append(f"reason takes {calibration.seconds:.2f} s")
    failures = tally(seen)
    figures.show(capsys)
    assert not failures


# -- a repair killed in turn ---------------------------------------------------------------------


def test_the_repair_on_open_killed_at_write_boundaries(
    launcher: Launcher, loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store left by a submit killed before its public write (the private writes to undo)
    and by one killed in its rebuild (the rebuild to redo) is opened by ``l4a stats``,
    itself killed before each write of the repair."""
    base = copy_store(loaded, tmp_path / "base")
    ledger = Ledger()
    outcome, found = submit(launcher, base, ledger, tmp_path, 0, Figures("version 1"))
    assert outcome.code == 0 and not found, (outcome.stderr, found)
    v2 = make_submission(tmp_path, 0, 2)
    writes = logged_writes(launcher, base, tmp_path, "submit", v2)
    public = first_write(writes, "public update")
    figures, seen = Figures("the repair on open (l4a stats), write boundaries"), []
    for left, die_before, stored in (
        ("undo", public, [version_of(tmp_path / f"{SLUG}-v1.ttl")]),
        ("redo", public + 6, [version_of(tmp_path / f"{SLUG}-v1.ttl"), version_of(v2)]),
    ):
        crashed = copy_store(base, tmp_path / f"crashed-{left}")
        assert launcher.run("--store", crashed, "submit", v2, die_before=die_before).killed
        repair = logged_writes(launcher, crashed, tmp_path, "stats")
        for n in sample(repair, random.Random(SEED), 3):
            store = copy_store(crashed, tmp_path / "store")
            outcome = launcher.run("--store", store, "stats", die_before=n)
            figures.count(outcome)
            trial = Ledger({SLUG: list(stored), HUBS[1]: []})
            where = f"{left}: killed before write {n} of the repair ({repair[n][:60]})"
            seen += [(where, p) for p in problems(store, trial)]
        figures.notes.append(f"{len(repair)} writes to {left}")
    failures = tally(seen)
    figures.show(capsys)
    assert not failures


def test_an_interrupted_first_load_of_the_shipped_data_is_completed(
    launcher: Launcher, loaded: Path, tmp_path: Path
) -> None:
    with KnowledgeGraph.open(loaded) as kg:
        shipped = {g: (kg.store.count(g),) for g in graphs(kg.store)}
    store = tmp_path / "store"
    assert launcher.run("--store", store, "stats", die_before=3).killed
    assert launcher.run("--store", store, "stats").code == 0
    assert problems(store, sizes=shipped) == []
