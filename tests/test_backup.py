"""``l4a backup`` and ``l4a restore``: round trips, a backup taken while a real
``l4a serve`` writes to the store, and refusals that change nothing."""

from __future__ import annotations

import json
import os
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
from l4a_graph import namespaces as ns
from l4a_graph.backup import MANIFEST
from l4a_graph.cli import cli
from l4a_graph.formats import by_name
from l4a_graph.store import Store
from l4a_graph.validator.intake import parse_submission, read_submission

VALID = Path(__file__).parent / "fixtures" / "submissions" / "valid.ttl"
TOKEN = "backup-test-token-0123456789"


def _content(store: Store) -> list[bytes]:
    """Every quad of ``store``, sorted, blank nodes included as written."""
    import io

    out = io.BytesIO()
    store.dump(out, by_name("nq"))
    return sorted(out.getvalue().splitlines())


def _contents(store_dir: Path) -> tuple[list[bytes], list[bytes]]:
    with KnowledgeGraph.open(store_dir, read_only=True) as kg:
        return _content(kg.store), _content(kg.private)


def _second_version() -> bytes:
    return VALID.read_bytes().replace(b"Youth Forum (fictional)", b"Youth Forum II (fictional)")


@pytest.fixture
def filled(store_dir: Path) -> Path:
    """A store with the shipped data, their entailments and one submission with a contact."""
    with KnowledgeGraph.open(store_dir) as kg:
        kg.load_shipped(reason=True)
        assert kg.submit(read_submission(VALID)).stored is not None
    return store_dir


def test_backup_then_restore_gives_back_the_store(filled: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    before = _contents(filled)
    result = runner.invoke(cli, ["--store", str(filled), "backup", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "b" / MANIFEST).read_text())
    assert manifest["quads"] == {"public": len(before[0]), "private": len(before[1])}
    with KnowledgeGraph.open(filled) as kg:
        second = parse_submission(_second_version(), by_name("ttl"), name="v2.ttl")
        assert kg.submit(second).stored is not None
    assert _contents(filled) != before
    result = runner.invoke(cli, ["--store", str(filled), "restore", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert _contents(filled) == before
    kept = [p for p in filled.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and f"kept in {kept[0]}" in result.output


def test_backup_refuses_an_existing_directory(filled: Path, tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    result = CliRunner().invoke(cli, ["--store", str(filled), "backup", str(tmp_path / "b")])
    assert result.exit_code == 2 and "already exists" in result.output


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(
    filled: Path, tmp_path: Path
) -> None:
    before = _contents(filled)
    runner = CliRunner()
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["--store", str(filled), "restore", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "not a backup" in result.output
    assert (
        runner.invoke(cli, ["--store", str(filled), "backup", str(tmp_path / "b")]).exit_code == 0
    )
    manifest = tmp_path / "b" / MANIFEST
    data = json.loads(manifest.read_text())
    data["quads"]["public"] += 1
    manifest.write_text(json.dumps(data))
    result = runner.invoke(cli, ["--store", str(filled), "restore", str(tmp_path / "b")])
    assert result.exit_code == 2 and "its manifest says" in result.output
    assert _contents(filled) == before


def test_memory_and_remote_stores_have_nothing_to_back_up(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--memory", "backup", str(tmp_path / "b")])
    assert result.exit_code == 2 and "in-memory" in result.output


# -- while a server runs ---------------------------------------------------------------------


@pytest.fixture
def served(filled: Path) -> Iterator[str]:
    """``l4a serve`` on ``filled``, with a write token; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "L4A_WRITE_TOKEN": TOKEN, "L4A_RATE_LIMIT": "", "L4A_QUERY_WORKERS": "1"}
    server = subprocess.Popen(
        [
            *(sys.executable, "-c", "from l4a_graph.cli import main; main()"),
            *("--store", str(filled), "serve", "--port", str(port)),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("l4a serve did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(30)


def _put(url: str, graph: str, body: bytes) -> int:
    request = urllib.request.Request(
        f"{url}/data?graph={graph}",
        data=body,
        method="PUT",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def test_backup_while_the_server_writes(filled: Path, served: str, tmp_path: Path) -> None:
    """The server, which holds the store, writes the backup when `l4a backup` asks it:
    writes acknowledged before are in it; restore waits for the server to stop."""
    graph = f"{ns.GRAPH}file/while-serving"
    assert _put(served, graph, b'<urn:x:a> <urn:x:b> "written while serving" .') == 201
    runner = CliRunner()
    args = ["--store", str(filled), "backup", str(tmp_path / "b")]
    no_token = runner.invoke(cli, args, env={"L4A_WRITE_TOKEN": ""})
    assert no_token.exit_code != 0 and "refused the backup" in no_token.output
    result = runner.invoke(cli, args, env={"L4A_WRITE_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    refused = runner.invoke(cli, ["--store", str(filled), "restore", str(tmp_path / "b")])
    assert refused.exit_code != 0 and "in use" in refused.output
    restored = tmp_path / "restored"
    result = runner.invoke(cli, ["--store", str(restored), "restore", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    with KnowledgeGraph.open(restored, read_only=True) as kg:
        assert kg.store.count(graph) == 1
        assert kg.private.count(ns.restricted_graph("example-harbour-youth-forum", 1)) == 4


def test_admin_backup_answers_only_this_machine_with_the_token(tmp_path: Path) -> None:
    from l4a_graph.web import create_app

    app = create_app(KnowledgeGraph(), {"rate_limit": "", "write_token": TOKEN})
    client = app.test_client()
    body = {"directory": str(tmp_path / "b")}
    headers = {"Authorization": f"Bearer {TOKEN}"}
    remote = client.post(
        "/admin/backup", json=body, headers=headers, environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert remote.status_code == 403
    assert client.post("/admin/backup", json=body).status_code == 401
    relative = client.post("/admin/backup", json={"directory": "b"}, headers=headers)
    assert relative.status_code == 400
    memory = client.post("/admin/backup", json=body, headers=headers)
    assert memory.status_code == 409 and "in memory" in memory.text
    assert not (tmp_path / "b").exists()
    app.extensions["l4a"].service.close()
