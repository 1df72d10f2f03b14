"""Shared fixtures: a fresh knowledge graph per test, a CLI runner, a temporary store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from l4a_graph import KnowledgeGraph
from l4a_graph.resources import project_root

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
