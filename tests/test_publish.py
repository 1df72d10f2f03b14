"""Publishing: the VoID/DCAT description, the dumps, and the ontology documentation."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, Dataset, Graph, Literal, Namespace, URIRef

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.cli import cli
from l4a_graph.errors import InputError
from l4a_graph.formats import FORMATS, Format, by_name
from l4a_graph.publish import published_graphs, render_ontology_docs, void_document, write_dumps
from l4a_graph.publish.dataset import DATASET_IRI
from l4a_graph.publish.dumps import MANIFEST_FILE, SUMS_FILE, read_manifest
from l4a_graph.resources import project_root

VOID = Namespace("http://rdfs.org/ns/void#")
DCT = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DATASET = URIRef(DATASET_IRI)
BASE = "http://example.org/l4a"
RESTRICTED = ns.GRAPH + "restricted/secret"
HIDDEN_PREFIXES = (ns.GRAPH + "restricted", ns.GRAPH_STAGING)
EXTRA_TTL = f'<{ns.ID}org/extra> <{SKOS.prefLabel}> "Extra"@en .\n'
PUBLISHED_ONLY = (
    f'FILTER(!STRSTARTS(STR(?g), "{ns.GRAPH}restricted") '
    f'&& !STRSTARTS(STR(?g), "{ns.GRAPH_STAGING}"))'
)
"""A filter on ``?g`` that keeps the published graphs, written independently of the code."""
ROOT = project_root()


@pytest.fixture
def kg_with_hidden(kg: KnowledgeGraph) -> KnowledgeGraph:
    """The shipped data plus a restricted graph and a staging graph, never published."""
    nt = by_name("nt")
    secret = (
        b'<https://w3id.org/l4a/id/org/secret> <http://www.w3.org/2000/01/rdf-schema#label> "s" .\n'
    )
    kg.store.load(secret, nt, RESTRICTED)
    kg.store.load(secret, nt, ns.GRAPH_STAGING + "tmp")
    return kg


def _int(graph: Graph, subject: URIRef, predicate: URIRef) -> int:
    value = graph.value(subject, predicate)
    assert isinstance(value, Literal), f"no {predicate} on {subject}"
    return int(value)


def _published_count(kg: KnowledgeGraph) -> int:
    hidden = [g for g in kg.store.named_graphs() if g.startswith(HIDDEN_PREFIXES)]
    return kg.store.count() - sum(kg.store.count(g) for g in hidden)


def _void(kg: KnowledgeGraph) -> Graph:
    data = void_document(kg, BASE, by_name("ttl"))
    return Graph().parse(data=data.decode("utf-8"), format="turtle")


# -- VoID ----------------------------------------------------------------------------


def test_void_counts_equal_the_store(kg_with_hidden: KnowledgeGraph) -> None:
    kg = kg_with_hidden
    void = _void(kg)
    assert _int(void, DATASET, VOID.triples) == _published_count(kg)
    assert _published_count(kg) < kg.store.count()  # the hidden graphs were left out
    subsets = {
        s for s in void.objects(DATASET, VOID.subset) if (s, RDF.type, VOID.Linkset) not in void
    }
    assert subsets == {URIRef(g) for g in published_graphs(kg)}
    assert URIRef(RESTRICTED) not in subsets
    for subset in subsets:
        assert _int(void, subset, VOID.triples) == kg.store.count(str(subset))
    subjects = kg.select(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {PUBLISHED_ONLY} }}"
    )
    assert _int(void, DATASET, VOID.distinctSubjects) == int(next(iter(subjects))["n"].value)


def test_void_states_licences_citation_and_publisher(kg: KnowledgeGraph) -> None:
    void = _void(kg)
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    assert (DATASET, DCT.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in void
    sdg = URIRef(ns.reference_graph("sdg"))
    citation = kg.select(
        f"SELECT ?c WHERE {{ GRAPH <{sdg}> {{ <{sdg}> dcterms:bibliographicCitation ?c }} }}"
    )
    assert (DATASET, DCT.bibliographicCitation, Literal(next(iter(citation))["c"].value)) in void
    rights = " ".join(str(r) for r in void.objects(DATASET, DCT.rights))
    assert "MIT License" in rights and "GeoNames" in rights
    assert {t.language for t in void.objects(DATASET, DCT.title)} == {"en", "fr", "es"}
    publisher = void.value(DATASET, DCT.publisher)
    assert (
        str(void.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name")))
        == "l4a-graph developers"
    )
    assert (DATASET, VOID.sparqlEndpoint, URIRef(f"{BASE}/sparql")) in void
    assert len(set(void.objects(DATASET, VOID.exampleResource))) == 3
    vocabularies = set(void.objects(DATASET, VOID.vocabulary))
    assert {URIRef(ns.L4A), URIRef(str(SKOS)), URIRef(str(DCT))} <= vocabularies


def test_void_linksets_count_links(kg: KnowledgeGraph) -> None:
    void = _void(kg)
    links = {
        str(void.value(ls, VOID.objectsTarget))
        + " "
        + str(void.value(ls, VOID.linkPredicate)): _int(void, ls, VOID.triples)
        for ls in void.subjects(RDF.type, VOID.Linkset)
    }
    wikidata = kg.select(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s skos:exactMatch ?o "
        'FILTER(STRSTARTS(STR(?o), "http://www.wikidata.org/entity/")) }'
    )
    assert links[f"http://www.wikidata.org/ {SKOS.exactMatch}"] == int(
        next(iter(wikidata))["n"].value
    )
    goals = kg.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?h l4a:addressesGoal ?x } "
        f"FILTER(?g != <{ns.GRAPH_ONTOLOGY}>) }}"
    )
    assert links[f"http://metadata.un.org/sdg {ns.L4A}addressesGoal"] == int(
        next(iter(goals))["n"].value
    )


RDFLIB_FORMATS = {
    "ttl": "turtle",
    "trig": "trig",
    "nt": "nt",
    "nq": "nquads",
    "jsonld": "json-ld",
    "xml": "xml",
}


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_void_serializes_in_every_format(kg: KnowledgeGraph, fmt: Format) -> None:
    dataset = Dataset()
    dataset.parse(data=void_document(kg, BASE, fmt), format=RDFLIB_FORMATS[fmt.name])
    assert any(dataset.quads((DATASET, RDF.type, VOID.Dataset, None)))


# -- dumps ---------------------------------------------------------------------------


@pytest.fixture
def dumps(kg_with_hidden: KnowledgeGraph, tmp_path: Path) -> Path:
    out = tmp_path / "dumps"
    write_dumps(kg_with_hidden, out, BASE)
    return out


def _quads(dataset: Dataset) -> Iterator[tuple[object, object, object, object]]:
    return (
        q
        for q in dataset.quads((None, None, None, None))
        if q[3] != dataset.default_graph.identifier
    )


def test_dumps_parse_and_keep_the_graphs(kg_with_hidden: KnowledgeGraph, dumps: Path) -> None:
    kg = kg_with_hidden
    expected = _published_count(kg)
    for name, fmt in [
        ("l4a.trig.gz", "trig"),
        ("l4a.nq.gz", "nquads"),
        ("l4a.jsonld.gz", "json-ld"),
    ]:
        dataset = Dataset()
        dataset.parse(data=gzip.decompress((dumps / name).read_bytes()), format=fmt)
        quads = list(_quads(dataset))
        assert len(quads) == expected, name
        assert {str(q[3]) for q in quads} == set(published_graphs(kg)), name
    union = Graph().parse(
        data=gzip.decompress((dumps / "l4a.ttl.gz").read_bytes()), format="turtle"
    )
    distinct = kg.select(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        f"{PUBLISHED_ONLY} }} }}"
    )
    assert len(union) == int(next(iter(distinct))["n"].value)
    assert (URIRef("https://w3id.org/l4a/id/org/secret"), None, None) not in union


def test_sha256sums_and_void_checksums(dumps: Path) -> None:
    lines = (dumps / SUMS_FILE).read_text("utf-8").splitlines()
    names = set()
    for line in lines:
        digest, name = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line).groups()  # type: ignore[union-attr]
        assert hashlib.sha256((dumps / name).read_bytes()).hexdigest() == digest
        names.add(name)
    assert names == {"l4a.ttl.gz", "l4a.trig.gz", "l4a.nq.gz", "l4a.jsonld.gz", "void.ttl"}
    void = Graph().parse(dumps / "void.ttl", format="turtle")
    distributions = set(void.objects(DATASET, DCAT.distribution))
    assert distributions == set(void.objects(DATASET, VOID.dataDump))
    assert len(distributions) == 4
    for url in distributions:
        name = str(url).rsplit("/", 1)[-1]
        assert str(url) == f"{BASE}/dumps/{name}"
        content = (dumps / name).read_bytes()
        assert _int(void, url, DCAT.byteSize) == len(content)
        checksum = void.value(url, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(content).hexdigest()
        assert void.value(url, DCAT.mediaType) is not None


def test_dumps_are_reproducible(kg: KnowledgeGraph, tmp_path: Path) -> None:
    first = write_dumps(kg, tmp_path / "a", BASE)
    second = write_dumps(kg, tmp_path / "b", BASE)
    assert first == second
    header = (tmp_path / "a" / "l4a.nq.gz").read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0"  # gzip mtime


def test_rebuild_only_when_the_data_changes(kg: KnowledgeGraph, tmp_path: Path) -> None:
    out = tmp_path / "dumps"
    files = write_dumps(kg, out, BASE)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    kg.store.load(EXTRA_TTL.encode(), by_name("nt"), RESTRICTED)  # not published: no change
    assert write_dumps(kg, out, BASE) == files
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps

    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA_TTL, encoding="utf-8")
    kg.load_files([extra])
    fingerprint = read_manifest(out)
    rebuilt = write_dumps(kg, out, BASE)
    assert rebuilt != files
    assert read_manifest(out) != fingerprint
    void = Graph().parse(out / "void.ttl", format="turtle")
    assert _int(void, DATASET, VOID.triples) == _published_count(kg)


def test_a_missing_file_forces_a_rebuild(kg: KnowledgeGraph, tmp_path: Path) -> None:
    out = tmp_path / "dumps"
    write_dumps(kg, out, BASE)
    (out / "l4a.ttl.gz").unlink()
    write_dumps(kg, out, BASE)
    assert (out / "l4a.ttl.gz").is_file()
    assert (out / MANIFEST_FILE).is_file()


def test_cli_export_dumps(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "site-dumps"
    result = runner.invoke(cli, ["export", "--dumps", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / SUMS_FILE).is_file() and (out / "void.ttl").is_file()
    void = Graph().parse(out / "void.ttl", format="turtle")
    assert (DATASET, VOID.sparqlEndpoint, URIRef("https://w3id.org/l4a/sparql")) in void
    refused = runner.invoke(cli, ["export", "--dumps", str(out), str(tmp_path / "x.trig")])
    assert refused.exit_code == 2


# -- ontology documentation -------------------------------------------------------------

VOID_ELEMENTS = {"meta", "link", "br", "img", "hr", "input"}


class _Checker(HTMLParser):
    """Collects ids and the errors of nesting: an end tag that closes nothing open."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.svg_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]
        if tag == "title" and "svg" in self.open:
            self.svg_title = True
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.errors.append(f"</{tag}> at {self.getpos()} while {self.open[-3:]} are open")


def _ontology_terms() -> dict[str, str]:
    """Local name -> kind of every l4a term declared in ontology/l4a.ttl."""
    graph = Graph().parse(ROOT / "ontology" / "l4a.ttl", format="turtle")
    kinds = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty]
    return {
        str(s)[len(ns.L4A) :]: str(kind)
        for kind in kinds
        for s in graph.subjects(RDF.type, kind)
        if str(s).startswith(ns.L4A)
    }


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    with KnowledgeGraph() as graph:
        graph.load_shipped()
        return {lang: render_ontology_docs(graph, lang) for lang in ("en", "fr", "es")}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_ontology_docs_anchor_every_term(pages: dict[str, str], lang: str) -> None:
    checker = _Checker()
    checker.feed(pages[lang])
    checker.close()
    assert not checker.errors
    assert not checker.open, f"unclosed: {checker.open}"
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    terms = _ontology_terms()
    assert len(terms) > 60
    missing = sorted(set(terms) - set(checker.ids))
    assert not missing
    assert f'<html lang="{lang}">' in pages[lang]
    assert "<svg" in pages[lang] and checker.svg_title


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_ontology_docs_use_the_language(pages: dict[str, str], lang: str) -> None:
    graph = Graph().parse(ROOT / "ontology" / "l4a.ttl", format="turtle")
    hub = URIRef(ns.L4A + "Hub")
    definition = next(d for d in graph.objects(hub, SKOS.definition) if d.language == lang)
    english = next(d for d in graph.objects(hub, SKOS.definition) if d.language == "en")
    section = pages[lang].split('id="Hub"', 1)[1].split("</article>", 1)[0]
    escaped = str(definition).replace("'", "&#39;")
    assert escaped in section
    assert str(english) not in section


def test_ontology_docs_escape_the_data(kg: KnowledgeGraph) -> None:
    note = f'<{ns.L4A}Hub> <{SKOS.scopeNote}> "<script>alert(1)</script>"@en .\n'
    kg.store.load(note.encode(), by_name("nt"), ns.GRAPH_ONTOLOGY)
    html = render_ontology_docs(kg, "en")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_ontology_docs_refuse_unknown_languages(kg: KnowledgeGraph) -> None:
    with pytest.raises(InputError, match="unknown language"):
        render_ontology_docs(kg, "de")


def test_cli_ontology_docs(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "ontology.fr.html"
    result = runner.invoke(cli, ["ontology-docs", "--lang", "fr", str(out)])
    assert result.exit_code == 0, result.output
    assert '<html lang="fr">' in out.read_text("utf-8")
