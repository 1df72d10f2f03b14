"""The linked open data site: dereferencing, content negotiation, pages, API, dumps."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from pyoxigraph import BlankNode, Literal, NamedNode

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.validator.jsonld import resolve_contexts
from l4a_graph.web import SETTINGS, create_app
from l4a_graph.web.site.i18n import STRINGS

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
HUB = ns.ID + "hub/xian-youth-education-dialogue"

RESOURCES = {
    "hub": ("/id/hub/xian-youth-education-dialogue", HUB),
    "lrg": ("/id/org/city-of-xian", ns.ID + "org/city-of-xian"),
    "stakeholder": ("/id/org/xian-jiaotong-university", ns.ID + "org/xian-jiaotong-university"),
    "goal": ("/sdg/4", ns.SDG + "4"),
    "target": ("/sdg/11.1", ns.SDG + "11.1"),
    "axis": ("/id/pact-axis/people", ns.ID + "pact-axis/people"),
    "concept": ("/id/lifecycle-stage/implementation", ns.ID + "lifecycle-stage/implementation"),
    "scheme": ("/id/pact-axis", ns.ID + "pact-axis"),
    "country": ("/id/country/ES", ns.ID + "country/ES"),
    "place": ("/id/place/bilbao", ns.ID + "place/bilbao"),
    "section": ("/id/section/europe", ns.ID + "section/europe"),
    "deliverable": (
        "/id/hub/bilbao-city-of-values/deliverable/charter-of-values",
        ns.ID + "hub/bilbao-city-of-values/deliverable/charter-of-values",
    ),
    "ontology": ("/def", ns.ONTOLOGY_IRI),
}
RDF_FORMATS = {
    # name: (Accept, ?format= value, rdflib parser)
    "turtle": ("text/turtle", "ttl", "turtle"),
    "jsonld": ("application/ld+json", "jsonld", "json-ld"),
    "ntriples": ("application/n-triples", "nt", "nt"),
    "rdfxml": ("application/rdf+xml", "rdf", "xml"),
}


# -- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No L4A_* setting leaks in; the dumps go to a temporary folder."""
    dumps = tmp_path_factory.mktemp("dumps")
    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            patch.delenv(setting.env, raising=False)
        patch.delenv("L4A_BASE_IRI", raising=False)
        patch.setenv("L4A_DUMPS_DIR", str(dumps))
        yield dumps


@pytest.fixture(scope="module")
def shipped(site_env: Path) -> Iterator[KnowledgeGraph]:
    kg = KnowledgeGraph()
    kg.load_shipped()
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def app(shipped: KnowledgeGraph) -> Iterator[Flask]:
    application = create_app(shipped, {"rate_limit": ""})
    yield application
    application.extensions["l4a"].service.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# -- helpers ----------------------------------------------------------------------------


def rdflib_term(term: Any) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = None if term.datatype.value == XSD_STRING else term.datatype.value
        return rdflib.Literal(term.value, datatype=datatype)
    raise TypeError(term)


def own_triples(kg: KnowledgeGraph, iri: str) -> set[tuple[Any, ...]]:
    """The resource's own triples in the store (blank-node objects left out)."""
    rows = kg.select("SELECT DISTINCT ?p ?o WHERE { ?r ?p ?o }", {"r": NamedNode(iri)})
    return {
        (rdflib.URIRef(iri), rdflib.URIRef(row["p"].value), rdflib_term(row["o"]))
        for row in rows
        if not isinstance(row["o"], BlankNode)
    }


def lexical(graph: rdflib.Graph) -> set[tuple[str, ...]]:
    """Triples compared by lexical form (parsers normalise some literals differently)."""
    return {
        (str(s), str(p), f"{o}|{getattr(o, 'language', None)}")
        for s, p, o in graph
        if not isinstance(o, rdflib.BNode)
    }


def lexical_set(triples: set[tuple[Any, ...]]) -> set[tuple[str, ...]]:
    return {(str(s), str(p), f"{o}|{getattr(o, 'language', None)}") for s, p, o in triples}


def parse(data: bytes, fmt: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=data, format=fmt)
    return graph


# -- content negotiation ----------------------------------------------------------------


@pytest.mark.parametrize("kind", RESOURCES)
def test_html_page_for_every_kind(client: FlaskClient, kind: str) -> None:
    path, iri = RESOURCES[kind]
    response = client.get(path, headers={"Accept": "text/html,application/xhtml+xml;q=0.9"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert {"Accept", "Accept-Language"} <= set(response.vary)
    assert response.headers["Content-Location"].startswith(path + "?format=html")
    assert 'rel="alternate"; type="text/turtle"' in response.headers["Link"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    if kind != "ontology":
        assert iri in response.text


@pytest.mark.parametrize("via", ["accept", "format"])
@pytest.mark.parametrize("fmt", RDF_FORMATS)
@pytest.mark.parametrize("kind", RESOURCES)
def test_rdf_description_holds_the_resource_triples(
    client: FlaskClient, shipped: KnowledgeGraph, kind: str, fmt: str, via: str
) -> None:
    path, iri = RESOURCES[kind]
    accept, name, parser = RDF_FORMATS[fmt]
    if via == "accept":
        response = client.get(path, headers={"Accept": accept})
    else:  # ?format= wins over an Accept asking for HTML
        response = client.get(path, query_string={"format": name}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == accept
    assert response.headers["Content-Location"].startswith(f"{path}?format=")
    assert 'rel="alternate"; type="text/html"' in response.headers["Link"]
    graph = parse(response.data, parser)
    expected = own_triples(shipped, iri)
    assert expected
    missing = lexical_set(expected) - lexical(graph)
    assert not missing, f"{len(missing)} triples of <{iri}> missing, e.g. {sorted(missing)[:3]}"


def test_profile_includes_labels_and_incoming_links(client: FlaskClient) -> None:
    lrg = parse(
        client.get("/id/org/city-of-xian", headers={"Accept": "text/turtle"}).data, "turtle"
    )
    hub = rdflib.URIRef(HUB)
    assert (
        hub,
        rdflib.URIRef(ns.L4A + "hasLead"),
        rdflib.URIRef(ns.ID + "org/city-of-xian"),
    ) in lrg
    assert (hub, rdflib.URIRef(ns.PREFIXES["dcterms"] + "title"), None) in lrg
    goal = parse(client.get("/sdg/4?format=nt").data, "nt")
    assert (hub, rdflib.URIRef(ns.L4A + "addressesGoal"), rdflib.URIRef(ns.SDG + "4")) in goal
    hub_graph = parse(client.get(RESOURCES["hub"][0] + "?format=ttl").data, "turtle")
    place = rdflib.URIRef(ns.ID + "place/xian")
    assert (place, rdflib.URIRef(ns.PREFIXES["skos"] + "prefLabel"), None) in hub_graph
    # A HUB's participations are part of its description.
    participation = rdflib.URIRef(HUB + "/participation/ikcest")
    assert (participation, rdflib.URIRef(ns.PREFIXES["org"] + "member"), None) in hub_graph


def test_goal_lists_hubs_addressing_it_through_a_target(empty_kg: KnowledgeGraph) -> None:
    empty_kg.load_shipped()
    empty_kg.store.update(
        f"INSERT DATA {{ GRAPH <urn:test> {{ <{HUB}> <{ns.L4A}addressesTarget> <{ns.SDG}11.1> }} }}"
    )
    application = create_app(empty_kg, {"rate_limit": ""})
    try:
        client = application.test_client()
        page = client.get("/sdg/11", headers={"Accept": "text/html"}).text
        assert "Youth Education" in page and "11.1" in page
        graph = parse(client.get("/sdg/11?format=ttl").data, "turtle")
        assert (rdflib.URIRef(HUB), rdflib.URIRef(ns.L4A + "addressesTarget"), None) in graph
        assert "Youth Education" in client.get("/sdg/11.1", headers={"Accept": "text/html"}).text
    finally:
        application.extensions["l4a"].service.close()


def test_ontology_in_rdf_is_the_ontology_graph(
    client: FlaskClient, shipped: KnowledgeGraph
) -> None:
    graph = parse(client.get("/def", headers={"Accept": "text/turtle"}).data, "turtle")
    assert len(graph) == shipped.store.count(ns.GRAPH_ONTOLOGY)
    assert client.get("/def/0.1.0", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/def/9.9.9").status_code == 404


def test_no_acceptable_format_is_406(client: FlaskClient) -> None:
    assert client.get("/id/country/ES", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/country/ES?format=pdf").status_code == 406


def test_unknown_iri_is_a_helpful_404(client: FlaskClient) -> None:
    page = client.get("/id/hub/no-such-hub", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert 'role="search"' in page.text and 'href="/?lang=en"' in page.text
    data = client.get("/id/hub/no-such-hub", headers={"Accept": "text/turtle"})
    assert data.status_code == 404 and data.mimetype != "text/html"
    assert client.get("/sdg/18", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/sdg/C110101").status_code == 404  # indicators have no page
    assert client.get("/sdg/1.1.1").status_code == 404
    assert client.get("/nowhere", headers={"Accept": "text/html"}).status_code == 404


@pytest.mark.parametrize("path", ["%00", "a%20b", "%7F", "%C2%80", "%EF%BF%BE", "%7B%7D"])
def test_a_path_no_iri_can_hold_is_a_404(client: FlaskClient, path: str) -> None:
    """Decoded, a path may hold what no IRI can (NUL, DEL, C1 controls, noncharacters,
    braces): a 404, never an error from the RDF library (DEL was a 500, found by fuzzing)."""
    assert client.get(f"/id/{path}").status_code == 404
    assert client.get(f"/graph/{path}").status_code == 404


def test_base_iri_is_configurable(
    monkeypatch: pytest.MonkeyPatch, empty_kg: KnowledgeGraph
) -> None:
    base = "https://data.example.org/l4a/"
    empty_kg.store.update(
        f"INSERT DATA {{ GRAPH <urn:g> {{ <{base}id/topic/x> a <{ns.PREFIXES['skos']}Concept> ; "
        f'<{ns.PREFIXES["skos"]}prefLabel> "Topic X"@en }} }}'
    )
    monkeypatch.setenv("L4A_BASE_IRI", base)
    application = create_app(empty_kg, {"rate_limit": ""})
    try:
        response = application.test_client().get("/id/topic/x", headers={"Accept": "text/html"})
        assert response.status_code == 200 and "Topic X" in response.text
    finally:
        application.extensions["l4a"].service.close()


# -- pages and languages ----------------------------------------------------------------


def test_every_interface_string_is_in_three_languages() -> None:
    for key, texts in STRINGS.items():
        assert set(texts) == {"en", "fr", "es"}, key


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_language_by_parameter_and_switcher(client: FlaskClient, lang: str) -> None:
    page = client.get(f"/id/hub/bilbao-city-of-values?lang={lang}").text
    assert f'<html lang="{lang}">' in page
    # Bilbao's sources state no SDG: the page says so, in the page's language.
    assert STRINGS["not_stated"][lang] in page
    for other in ("en", "fr", "es"):
        assert f'href="/id/hub/bilbao-city-of-values?lang={other}"' in page
    assert re.search(rf'hreflang="{lang}" aria-current="true"', page)


def test_language_from_accept_language_and_label_fallback(client: FlaskClient) -> None:
    page = client.get(RESOURCES["hub"][0], headers={"Accept-Language": "es-ES,es;q=0.9"}).text
    assert '<html lang="es">' in page
    assert "Xi&#39;an - Youth Education and Dialogue" in page  # the title exists in English only
    assert "Garantizar una educación inclusiva" in page or "Educación de Calidad" in page


def test_hub_page_shows_goals_with_colours_and_timeline(client: FlaskClient) -> None:
    page = client.get(RESOURCES["hub"][0] + "?lang=fr").text
    assert "background-color: #C5192D" in page  # goal 4's official colour
    assert "Éducation de qualité" in page
    assert "<svg" in page and "2021-08" in page
    assert "City of Xi&#39;an" in page and "/id/role/lead" in page


def test_home_page_counts_and_entry_points(client: FlaskClient, shipped: KnowledgeGraph) -> None:
    page = client.get("/?lang=en").text
    stats = shipped.stats()
    assert f"<strong>{stats.entities['HUBs']}</strong>" in page
    for href in ("/map", "/sparql", "/dumps/", "/.well-known/void", "/def", "/api/hubs"):
        assert f'href="{href}' in page
    assert page.count('class="goal"') == 17


class Links(HTMLParser):
    """The link targets (a, link, script, img) of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "link": "href", "script": "src", "img": "src", "form": None}
        if tag in wanted and wanted[tag] is not None:
            self.found += [v for k, v in attrs if k == wanted[tag] and v]


def crawl(client: FlaskClient, *starts: str) -> tuple[set[str], dict[str, int]]:
    """Every internal URL reachable from ``starts``, and those that are not 200."""
    seen: set[str] = set()
    broken: dict[str, int] = {}
    queue = list(starts)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        with client.get(url, headers={"Accept": "text/html"}) as response:
            status, mimetype = response.status_code, response.mimetype
            text = response.text if mimetype == "text/html" else ""
        if status != 200:
            broken[url] = status
            continue
        if mimetype != "text/html":
            continue
        parser = Links()
        parser.feed(text)
        for href in parser.found:
            target = urldefrag(urljoin("http://localhost" + url, href))[0]
            parts = urlsplit(target)
            if parts.netloc != "localhost" or (parts.path == "/sparql" and "query=" in parts.query):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen, broken


def test_crawl_from_home_finds_no_broken_link(client: FlaskClient) -> None:
    """From the home page in each language, following every internal link (and asset)."""
    seen, broken = crawl(client, "/?lang=en", "/?lang=fr", "/?lang=es")
    assert not broken, broken
    for lang in ("en", "fr", "es"):
        assert sum(f"lang={lang}" in u for u in seen) > 100
    assert any(u.startswith("/sdg/") for u in seen) and any("/id/hub/" in u for u in seen)
    assert any("format=jsonld" in u for u in seen) and "/dumps/l4a.ttl.gz" in seen


# -- query UI, map -----------------------------------------------------------------------


def test_query_page_offers_the_library_in_the_page_language(client: FlaskClient) -> None:
    page = client.get("/sparql?lang=fr", headers={"Accept": "text/html"}).text
    assert 'id="yasgui"' in page and "vendor/yasgui/yasgui.min.js" in page
    assert "HUB par objectif de développement durable" in page
    assert '<textarea id="query" name="query"' in page
    filled = client.get("/sparql?named=hubs-by-goal", headers={"Accept": "text/html"}).text
    assert "PREFIX l4a: &lt;https://w3id.org/l4a/def#&gt;" in filled


def test_every_library_question_runs_as_put_in_the_editor(client: FlaskClient) -> None:
    from l4a_graph.web.site import query_ui

    with client.application.test_request_context("/sparql?lang=es"):
        questions = query_ui.questions("es")
    assert len(questions) >= 10
    for question in questions:
        response = client.post("/sparql", data={"query": question.text, "format": "json"})
        assert response.status_code == 200, (question.name, response.text)


def test_map_places_hubs_with_coordinates_and_lists_the_others(client: FlaskClient) -> None:
    page = client.get("/map?lang=en").text
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    placed = {m["iri"] for m in data["markers"]}
    assert HUB in placed
    assert ns.ID + "hub/venice-city-solutions-2030" in placed  # via its territory (Venice)
    unplaced = re.search(r'id="unplaced">(.*?)</ul>', page, re.S)
    for iri in placed:
        assert unplaced is None or iri.rsplit("/", 1)[1] not in unplaced.group(1)
    assert "countries-110m.json" in data["outline"]


# -- JSON API ---------------------------------------------------------------------------


def api(client: FlaskClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/hubs", query_string=params)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/ld+json"
    data: dict[str, Any] = response.json  # type: ignore[assignment]
    return data


def test_api_filters(client: FlaskClient) -> None:
    assert {m["id"] for m in api(client, goal="4")["member"]} == {HUB}
    assert {m["id"] for m in api(client, country="cn")["member"]} == {HUB}
    assert {m["id"] for m in api(client, goal=ns.SDG + "17")["member"]} >= {HUB}
    assert api(client, axis="people")["member"] == []
    assert api(client)["totalItems"] == 6
    assert client.get("/api/hubs?colour=red").status_code == 400


def test_api_cursor_pagination_walks_every_hub_once(client: FlaskClient) -> None:
    seen: list[str] = []
    page = api(client, limit=4)
    while True:
        seen += [m["id"] for m in page["member"]]
        if "next" not in page:
            break
        page = client.get(page["next"]).json  # type: ignore[assignment]
    assert len(seen) == len(set(seen)) == 6
    assert client.get("/api/hubs?cursor=not-a-cursor").status_code == 400
    assert client.get("/api/hubs?limit=0").status_code == 400


def test_api_is_json_ld_with_the_shipped_context(client: FlaskClient) -> None:
    data = api(client, goal="4")
    assert client.get("/context.jsonld").json["@context"]["hasLead"] == {"@type": "@id"}  # type: ignore[index]
    document, changed = resolve_contexts(data, "api")
    assert changed
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    hub = rdflib.URIRef(HUB)
    assert (hub, rdflib.RDF.type, rdflib.URIRef(ns.L4A + "Hub")) in graph
    assert (hub, rdflib.URIRef(ns.L4A + "addressesGoal"), rdflib.URIRef(ns.SDG + "4")) in graph
    start = graph.value(hub, rdflib.URIRef(ns.L4A + "startDate"))
    assert start is not None and str(start.datatype).endswith("gYearMonth")


# -- dumps and VoID ----------------------------------------------------------------------


def fetch(client: FlaskClient, path: str) -> bytes:
    """The body of a file answer (closed at once: files are streamed)."""
    with client.get(path) as response:
        assert response.status_code == 200, path
        return response.data


def test_dumps_are_served_with_matching_checksums(
    client: FlaskClient, shipped: KnowledgeGraph
) -> None:
    page = client.get("/dumps/?lang=fr").text
    names = re.findall(r'href="/dumps/([^"]+)"', page)
    assert {"l4a.ttl.gz", "l4a.trig.gz", "l4a.nq.gz", "l4a.jsonld.gz", "SHA256SUMS"} <= set(names)
    lines = fetch(client, "/dumps/SHA256SUMS").decode().splitlines()
    sums = {name: digest for digest, name in (line.split("  ") for line in lines)}
    for name, digest in sums.items():
        assert hashlib.sha256(fetch(client, f"/dumps/{name}")).hexdigest() == digest
    quads = gzip.decompress(fetch(client, "/dumps/l4a.nq.gz")).decode().strip().splitlines()
    assert len(quads) == sum(shipped.stats().graphs.values())


@pytest.mark.parametrize(
    "path", ["/dumps/..%2fsecret", "/dumps/../app.py", "/dumps/%2e%2e", "/dumps/x"]
)
def test_dumps_refuse_other_paths(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_void_by_content_negotiation(client: FlaskClient) -> None:
    void = "http://rdfs.org/ns/void#"
    for accept, parser in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        response = client.get("/.well-known/void", headers={"Accept": accept})
        assert response.mimetype == accept
        graph = parse(response.data, parser)
        assert (None, rdflib.URIRef(void + "triples"), None) in graph
        assert (None, rdflib.URIRef(void + "sparqlEndpoint"), None) in graph
    assert client.get("/.well-known/void", headers={"Accept": "text/html"}).status_code == 200


def test_search(client: FlaskClient) -> None:
    page = client.get("/search?q=bilbao&lang=es").text
    assert 'href="/id/hub/bilbao-city-of-values"' in page


def test_the_dataset_iri_dereferences(client: FlaskClient) -> None:
    """<https://w3id.org/l4a/dataset>, the subject of the VoID description, answers too."""
    turtle = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    void = rdflib.URIRef("http://rdfs.org/ns/void#Dataset")
    assert (rdflib.URIRef("https://w3id.org/l4a/dataset"), rdflib.RDF.type, void) in graph
    page = client.get("/dataset?lang=fr", headers={"Accept": "text/html"})
    assert page.status_code == 303 and page.headers["Location"].endswith("/dumps/?lang=fr")
