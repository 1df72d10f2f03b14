"""The private store: contact details, superseded versions and the journal stay out of
every public route, and interrupted operations are repaired on open."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from l4a_graph import KnowledgeGraph, journal
from l4a_graph import namespaces as ns
from l4a_graph.cli import cli
from l4a_graph.errors import StoreError
from l4a_graph.knowledge_graph import REASON
from l4a_graph.validator.intake import read_submission
from l4a_graph.validator.storage import SUBMIT
from l4a_graph.web import create_app

FIXTURES = Path(__file__).parent / "fixtures" / "submissions"
HUB = f"{ns.ID}hub/example-harbour-youth-forum"
TOKEN = "private-test-token-0123456789"
SECRETS = ("Amina Harbourside", "youth-forum@harbour-region.example")
"""The contact in tests/fixtures/submissions/valid.ttl: no public byte may hold them."""
CONTACTS = ns.restricted_graph("example-harbour-youth-forum", 1)


@pytest.fixture(scope="module")
def dumps_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    dumps = tmp_path_factory.mktemp("dumps")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("L4A_DUMPS_DIR", str(dumps))
        patch.delenv("L4A_BASE_IRI", raising=False)
        yield dumps


@pytest.fixture(scope="module")
def with_contacts(dumps_dir: Path) -> Iterator[KnowledgeGraph]:
    """The shipped data and one submission naming a contact person."""
    kg = KnowledgeGraph()
    kg.load_shipped(reason=True)
    assert kg.submit(read_submission(FIXTURES / "valid.ttl")).stored is not None
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def app(with_contacts: KnowledgeGraph) -> Iterator[Flask]:
    application = create_app(
        with_contacts, {"rate_limit": "", "query_workers": 1, "write_token": TOKEN}
    )
    yield application
    application.extensions["l4a"].service.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in ("href", "src") and v]


def _body(data: bytes, url: str) -> str:
    return (gzip.decompress(data) if url.endswith(".gz") else data).decode("utf-8", "replace")


def _assert_public(url: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{url} shows {secret!r}"


def test_the_contact_is_stored_privately(with_contacts: KnowledgeGraph) -> None:
    stored = with_contacts.private.count(CONTACTS)
    assert stored == 4
    assert CONTACTS not in with_contacts.store.named_graphs()


def test_no_page_nor_file_of_the_site_shows_the_contact(client: FlaskClient) -> None:
    """A crawl from the home page and the HUB page in three languages; every answer
    (pages, RDF alternates, dumps decompressed, VoID, API) is searched for the contact."""
    queue = [f"/?lang={lang}" for lang in ("en", "fr", "es")]
    queue += ["/id/hub/example-harbour-youth-forum", "/api/hubs", "/.well-known/void"]
    queue += [f"/api/match?hub={HUB}", "/dumps/"]
    seen: set[str] = set()
    while queue:
        url = queue.pop()
        if url in seen or len(seen) > 3000:
            continue
        seen.add(url)
        with client.get(url) as response:
            _assert_public(url, _body(response.data, url))
            page = response.text if response.mimetype == "text/html" else ""
        links = _Links()
        links.feed(page)
        for href in links.found:
            target = urlsplit(urldefrag(urljoin("http://localhost" + url, href))[0])
            if target.netloc == "localhost" and "query=" not in target.query:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    assert any(u.startswith("/dumps/l4a") for u in seen) and len(seen) > 100


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o }",
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
        f"SELECT * FROM <{CONTACTS}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{CONTACTS}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{CONTACTS}> {{ ?s ?p ?o }} }}",
        f"DESCRIBE <{HUB}>",
    ],
)
def test_the_endpoint_never_answers_with_the_contact(client: FlaskClient, query: str) -> None:
    formats = ("csv", "json") if query.startswith("SELECT") else ("nt", "jsonld")
    for fmt in formats:
        response = client.get("/sparql", query_string={"query": query, "format": fmt})
        assert response.status_code == 200
        _assert_public(query, response.text)
        dataset = client.get(
            "/sparql", query_string={"query": query, "default-graph-uri": CONTACTS, "format": fmt}
        )
        _assert_public(query, dataset.text)


def test_graph_store_serves_the_contact_to_the_token_holder_only(client: FlaskClient) -> None:
    union = client.get("/data?default", headers={"Accept": "application/n-triples"})
    assert union.status_code == 200
    _assert_public("/data?default", union.text)
    anonymous = client.get("/data", query_string={"graph": CONTACTS})
    assert anonymous.status_code == 401
    _assert_public("/data", anonymous.text)
    wrong = client.get(
        "/data", query_string={"graph": CONTACTS}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 403
    holder = client.get(
        "/data",
        query_string={"graph": CONTACTS},
        headers={"Authorization": f"Bearer {TOKEN}", "Accept": "text/turtle"},
    )
    assert holder.status_code == 200 and all(s in holder.text for s in SECRETS)
    assert holder.headers["Cache-Control"] == "no-store"


def test_a_private_graph_written_through_data_stays_private(
    client: FlaskClient, with_contacts: KnowledgeGraph
) -> None:
    graph = f"{ns.GRAPH_RESTRICTED}notes"
    body = b'<urn:x:person> <http://www.w3.org/2006/vcard/ns#fn> "Private Person" .'
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}
    put = client.put("/data", query_string={"graph": graph}, data=body, headers=headers)
    assert put.status_code == 201
    assert with_contacts.private.count(graph) == 1
    assert graph not in with_contacts.store.named_graphs()
    answer = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }", "format": "csv"})
    assert "Private Person" not in answer.text
    delete = client.delete("/data", query_string={"graph": graph}, headers=headers)
    assert delete.status_code == 204 and graph not in with_contacts.private.named_graphs()


def test_an_update_naming_a_private_graph_is_refused(client: FlaskClient) -> None:
    update = f'INSERT DATA {{ GRAPH <{ns.GRAPH_RESTRICTED}x> {{ <urn:a> <urn:b> "leak" }} }}'
    response = client.post(
        "/update",
        data=update.encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 400 and "private graph" in response.text


def test_an_update_computing_a_private_graph_iri_is_swept_out(
    client: FlaskClient, with_contacts: KnowledgeGraph
) -> None:
    """The IRI is built at run time, so no check of the text can see it."""
    update = (
        'INSERT { GRAPH ?g { <urn:a> <urn:b> "computed secret" } } WHERE { '
        f'BIND (IRI(CONCAT("{ns.GRAPH}", "restr", "icted/computed")) AS ?g) }}'
    )
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    assert client.post("/update", data=update.encode(), headers=headers).status_code == 204
    graph = f"{ns.GRAPH_RESTRICTED}computed"
    assert graph not in with_contacts.store.named_graphs()
    assert with_contacts.private.count(graph) == 1
    answer = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }", "format": "csv"})
    assert "computed secret" not in answer.text


# -- layout, load routing, journal --------------------------------------------------------


def test_store_directory_holds_a_public_and_a_private_store(store_dir: Path) -> None:
    with KnowledgeGraph.open(store_dir) as kg:
        kg.submit(read_submission(FIXTURES / "valid.ttl"))
    assert (store_dir / "public").is_dir() and (store_dir / "private").is_dir()
    with KnowledgeGraph.open(store_dir, read_only=True) as kg:
        assert kg.private.count(CONTACTS) == 4


def test_a_store_of_the_earlier_layout_gets_a_clear_message(tmp_path: Path) -> None:
    from l4a_graph.store import EmbeddedStore

    EmbeddedStore(tmp_path / "old").close()
    with pytest.raises(StoreError, match="earlier layout"):
        KnowledgeGraph.open(tmp_path / "old")


def test_load_puts_a_restricted_graph_in_the_private_store(
    runner: CliRunner, tmp_path: Path
) -> None:
    people = tmp_path / "people.ttl"
    people.write_text('<urn:x:p> <http://www.w3.org/2006/vcard/ns#fn> "Someone" .\n')
    graph = f"{ns.GRAPH_RESTRICTED}people"
    result = runner.invoke(cli, ["load", "--no-reason", "--graph", graph, str(people)])
    assert result.exit_code == 0, result.output
    exported = runner.invoke(cli, ["export", "--format", "nt"])
    assert "Someone" not in exported.output
    private = runner.invoke(cli, ["export", "--format", "nt", "--graph", graph])
    assert "Someone" in private.output


def test_an_unfinished_submission_is_undone_on_open(store_dir: Path) -> None:
    """Killed after writing the contacts, before the public write: only a journal entry
    and the contacts remain; opening the store removes both."""
    with KnowledgeGraph.open(store_dir) as kg:
        journal.begin(kg.private, SUBMIT, HUB, 1)
        kg.private.update(f'INSERT DATA {{ GRAPH <{CONTACTS}> {{ <urn:p> <urn:n> "x" }} }}')
    with KnowledgeGraph.open(store_dir) as kg:
        assert CONTACTS not in kg.private.named_graphs()
        assert journal.pending(kg.private) == []


def test_a_finished_submission_is_kept_on_open(store_dir: Path) -> None:
    """Killed after the public write, before the journal entry was removed."""
    with KnowledgeGraph.open(store_dir) as kg:
        assert kg.submit(read_submission(FIXTURES / "valid.ttl")).stored is not None
        journal.begin(kg.private, SUBMIT, HUB, 1)
    with KnowledgeGraph.open(store_dir) as kg:
        assert kg.private.count(CONTACTS) == 4 and journal.pending(kg.private) == []


def test_an_interrupted_reasoning_is_run_again_on_open(store_dir: Path) -> None:
    with KnowledgeGraph.open(store_dir) as kg:
        kg.load_shipped(reason=True)
        complete = kg.store.count(ns.GRAPH_INFERRED)
        kg.store.drop_graph(ns.GRAPH_INFERRED)
        journal.begin(kg.private, REASON, ns.GRAPH_INFERRED)
    with KnowledgeGraph.open(store_dir) as kg:
        assert kg.store.count(ns.GRAPH_INFERRED) == complete
        assert journal.pending(kg.private) == []
