"""Memory a long-running server must not keep: the stores' buffered writes (issue #11).

An on-disk Oxigraph keeps each write in RocksDB memtables, in this process, until they
are flushed to disk. A checkpoint (the snapshot a write publishes) flushes the public
store; nothing flushed the private one, so every draft sent through the application
form stayed in the server's memory (the 100,000-request load run grew by 1 MB per
1,000 requests). Now every write through the query service flushes both stores.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.store import EmbeddedStore, Store
from l4a_graph.web.service import QueryService
from l4a_graph.web.settings import resolve_settings

MB = 1024 * 1024


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _mallinfo2() -> Callable[[], _MallInfo2] | None:
    name = ctypes.util.find_library("c")
    try:
        function = ctypes.CDLL(name).mallinfo2 if name else None
    except (OSError, AttributeError):
        return None  # not glibc 2.33 or newer
    if function is None:
        return None
    function.restype = _MallInfo2
    return function  # type: ignore[no-any-return]


MALLINFO2 = _mallinfo2()


def _in_use() -> int:
    """Bytes malloc has handed out and not taken back (Oxigraph allocates with malloc)."""
    assert MALLINFO2 is not None
    info = MALLINFO2()
    return int(info.uordblks + info.hblkhd)


def _write(store: Store, n: int) -> None:
    """One write of 40 quads, about the size of a draft application."""
    graph = NamedNode(f"urn:memory:graph:{n}")
    predicate = NamedNode("urn:memory:p")
    store.add(
        Quad(NamedNode(f"urn:memory:{n}:{i}"), predicate, Literal(f"{n} {i}"), graph)
        for i in range(40)
    )


@pytest.mark.skipif(MALLINFO2 is None, reason="needs glibc's mallinfo2")
def test_writes_stay_in_memory_until_flushed(tmp_path: Path) -> None:
    """The mechanism: 300 writes hold megabytes of memtables; a flush gives them back."""
    store = EmbeddedStore(tmp_path / "store")
    try:
        _write(store, -1)
        store.flush()
        before = _in_use()
        for n in range(300):
            _write(store, n)
        held = _in_use() - before
        store.flush()
        kept = _in_use() - before
        assert held > 6 * MB, f"300 writes held only {held / MB:.1f} MB"
        # Relative: RocksDB's background threads allocate a little meanwhile (2.1 MB once
        # in CI, against 15-16 MB held); without the flush, about all of it stays.
        assert kept < held / 4, f"{kept / MB:.1f} of {held / MB:.1f} MB still held after the flush"
        assert store.count() == 301 * 40
    finally:
        store.close()


@pytest.fixture
def service(tmp_path: Path) -> Iterator[QueryService]:
    kg = KnowledgeGraph.open(tmp_path / "store")
    running = QueryService(kg, resolve_settings({"query_workers": 1}, {}))
    try:
        yield running
    finally:
        running.close()
        kg.close()


def test_every_write_of_the_server_is_flushed(
    service: QueryService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drafts and reviews (private writes) and public writes leave no memtable behind."""
    flushed: list[Store] = []
    flush = EmbeddedStore.flush

    def spy(store: EmbeddedStore) -> None:
        flushed.append(store)
        flush(store)

    monkeypatch.setattr(EmbeddedStore, "flush", spy)
    kg = service.kg
    with service.writing_private() as private:
        _write(private, 0)
    assert flushed == [kg.private]
    flushed.clear()
    with service.writing() as public:
        _write(public, 1)
    assert kg.store in flushed and kg.private in flushed
    assert kg.private.count() == 40 and kg.store.count() == 40
