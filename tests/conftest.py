"""Shared fixtures: a fresh knowledge graph per test, a CLI runner, a temporary store."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from l4a_graph import KnowledgeGraph
from l4a_graph.resources import project_root
from recorder import Recorder, recording

ROOT = project_root()


@pytest.fixture
def kg() -> Iterator[KnowledgeGraph]:
    """A fresh in-memory knowledge graph holding the shipped data."""
    graph = KnowledgeGraph()
    graph.load_shipped()
    yield graph
    graph.close()


@pytest.fixture
def empty_kg() -> Iterator[KnowledgeGraph]:
    """A fresh in-memory knowledge graph with nothing in it."""
    graph = KnowledgeGraph()
    yield graph
    graph.close()


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A directory for an on-disk store, unique to the test."""
    return tmp_path / "store"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """A CLI runner whose default store is a temporary directory."""
    monkeypatch.setenv("L4A_STORE", str(tmp_path / "cli-store"))
    return CliRunner()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``oxigraph serve`` on 127.0.0.1 for the session; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "oxigraph"),
            "serve",
            "--location",
            str(tmp_path_factory.mktemp("oxigraph")),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(params=["embedded", "remote"])
def any_store(request: pytest.FixtureRequest) -> Iterator[KnowledgeGraph]:
    """A fresh, empty knowledge graph on the embedded store and on ``oxigraph serve``."""
    if request.param == "embedded":
        graph = KnowledgeGraph()
    else:
        from l4a_graph.store.remote import RemoteStore

        url = request.getfixturevalue("oxigraph_server")
        store = RemoteStore(f"{url}/query", f"{url}/update", f"{url}/store", timeout=30)
        store.update("DROP SILENT ALL")
        graph = KnowledgeGraph(store)
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    """A fake SPARQL endpoint on 127.0.0.1 that records every request (``recorder.py``)."""
    with recording() as fake:
        yield fake
