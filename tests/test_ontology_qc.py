"""QC of the l4a ontology (ontology/l4a.ttl) and its concept schemes (ontology/schemes.ttl).

Each check of :mod:`l4a_graph.ontology_qc` runs on the real files and, to show
that it can fail, on a small bad graph. The last tests check with owlrl that
the OWL 2 RL closure yields the intended entailments and detects the intended
inconsistencies.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import owlrl
import pytest
from rdflib import OWL, RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import GEO, SKOS
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"

try:
    from l4a_graph import ontology_qc as qc
except ImportError:  # a source checkout that is not installed yet
    sys.path.insert(0, str(ROOT / "src"))
    from l4a_graph import ontology_qc as qc

L4A = qc.L4A
ID = Namespace("https://w3id.org/l4a/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SDG = Namespace("http://metadata.un.org/sdg/")
SYN = Namespace("https://w3id.org/l4a/synthetic/test/")
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")

PREFIXES = """
@prefix l4a: <https://w3id.org/l4a/def#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/> .
@prefix syn: <https://w3id.org/l4a/synthetic/test/> .
@prefix sdg: <http://metadata.un.org/sdg/> .
"""


def turtle(data: str) -> Graph:
    """Parse a Turtle snippet with the usual prefixes."""
    return Graph().parse(data=PREFIXES + data, format="turtle")


def turtle_file(path: Path) -> Graph:
    """Parse a Turtle file (from its text, so that no file handle is left open)."""
    return Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")


def show(issues: list[qc.QCIssue]) -> str:
    return "\n".join(str(issue) for issue in issues)


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return turtle_file(ONTOLOGY_DIR / "l4a.ttl")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return turtle_file(ONTOLOGY_DIR / "schemes.ttl")


@pytest.fixture(scope="module")
def combined(ontology: Graph, schemes: Graph) -> Graph:
    graph = Graph()
    for prefix, namespace in ontology.namespaces():
        graph.bind(prefix, namespace, replace=True)
    for source in (ontology, schemes):
        for triple in source:
            graph.add(triple)
    return graph


# ---------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["l4a.ttl", "schemes.ttl"])
def test_file_parses_and_is_not_empty(name: str) -> None:
    graph = turtle_file(ONTOLOGY_DIR / name)
    assert len(graph) > 50


def test_qc_report_is_clean(combined: Graph) -> None:
    issues = qc.qc_report(combined)
    assert not issues, show(issues)


# ---------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------


def test_header_is_complete(ontology: Graph) -> None:
    issues = qc.header_problems(ontology)
    assert not issues, show(issues)
    assert ontology.value(qc.ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        "https://w3id.org/l4a/def/0.1.0"
    )
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (qc.ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/license"), licence) in ontology


def test_header_check_reports_gaps() -> None:
    bad = turtle("""
        <https://w3id.org/l4a/def> a owl:Ontology ;
            dcterms:title "Only English"@en ;
            owl:versionInfo "0.2.0" ;
            owl:versionIRI <https://w3id.org/l4a/def/0.1.0> .
    """)
    messages = {issue.message for issue in qc.header_problems(bad)}
    assert "no dcterms:title in 'fr'" in messages
    assert "no dcterms:description in 'es'" in messages
    assert "no dcterms:license" in messages
    assert "no dcterms:creator" in messages
    assert any(m.startswith("no vann:preferredNamespacePrefix") for m in messages)
    assert any("does not match" in m for m in messages)
    assert qc.header_problems(Graph()) == [
        qc.QCIssue("header", "<https://w3id.org/l4a/def>", "not declared as an owl:Ontology")
    ]


# ---------------------------------------------------------------------------
# Labels, definitions, declarations
# ---------------------------------------------------------------------------


def test_terms_and_concepts_have_labels_and_definitions(combined: Graph) -> None:
    issues = qc.missing_annotations(combined)
    assert not issues, show(issues)


def test_annotation_check_reports_gaps() -> None:
    bad = turtle("""
        l4a:Thing1 a owl:Class ; rdfs:label "thing"@en , "chose"@fr , "cosa"@es , "objet"@fr ;
            skos:definition "A thing."@en .
        <https://w3id.org/l4a/id/topic/x> a skos:Concept ; skos:prefLabel "X"@en .
    """)
    found = {(i.check, i.subject, i.message) for i in qc.missing_annotations(bad)}
    assert ("label", "l4a:Thing1", "2 values of rdfs:label in 'fr'") in found
    assert ("definition", "l4a:Thing1", "no skos:definition in 'fr'") in found
    assert ("defined-by", "l4a:Thing1", "no rdfs:isDefinedBy") in found
    topic = "<https://w3id.org/l4a/id/topic/x>"
    assert ("label", topic, "no skos:prefLabel in 'es'") in found
    assert ("definition", topic, "no skos:definition in 'en'") in found


def test_no_duplicate_labels(combined: Graph) -> None:
    issues = qc.duplicate_labels(combined)
    assert not issues, show(issues)


def test_duplicate_label_check_reports_clash() -> None:
    bad = turtle("""
        l4a:A rdfs:label "Same label"@en , "un"@fr .
        l4a:B rdfs:label "same  LABEL"@en , "deux"@fr .
        <https://w3id.org/l4a/id/role/x> a skos:Concept ; skos:prefLabel "un"@fr .
    """)
    issues = qc.duplicate_labels(bad)
    assert [(i.subject, i.message) for i in issues] == [
        ("<https://w3id.org/l4a/id/role/x>, l4a:A", "share the label 'un'@fr"),
        ("l4a:A, l4a:B", "share the label 'same label'@en"),
    ]


def test_every_term_has_an_owl_declaration(combined: Graph) -> None:
    undeclared = qc.undeclared_terms(combined, combined, where="ontology/")
    assert not undeclared, show(undeclared)
    declared = qc.declared_terms(combined)
    typed = {
        s for s in combined.subjects() if isinstance(s, URIRef) and str(s).startswith(str(L4A))
    }
    assert typed <= declared


def test_design_md_terms_are_declared(ontology: Graph) -> None:
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    named = {L4A[name] for name in re.findall(r"\bl4a:([A-Za-z][A-Za-z0-9]*)", design)}
    assert len(named) > 50
    missing = sorted(str(term) for term in named - qc.declared_terms(ontology))
    assert not missing, f"named in docs/design.md but not declared: {missing}"


def test_undeclared_check_reports_typos(combined: Graph) -> None:
    data = turtle("syn:h a l4a:Hubb ; l4a:hasLead syn:o ; l4a:adresses sdg:4 .")
    issues = qc.undeclared_terms(combined, data, where="sample")
    assert [i.subject for i in issues] == ["l4a:Hubb", "l4a:adresses"]
    assert all("(used in sample)" in i.message for i in issues)


def _rdf_files(*folders: str) -> list[Path]:
    patterns = ("*.ttl", "*.trig", "*.jsonld")
    return sorted(
        path
        for folder in folders
        for pattern in patterns
        for path in (ROOT / folder).rglob(pattern)
        if path.is_file()
    )


def _parse_quads(path: Path) -> list[tuple[Node | None, ...]]:
    """Triples (Turtle, JSON-LD) or quads (TriG) of an RDF file."""
    # Parse from text: rdflib leaves a file it opens itself unclosed (ResourceWarning).
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".trig":
        dataset = Dataset()
        dataset.parse(data=text, format="trig")
        return list(dataset.quads())
    formats = {".ttl": "turtle", ".jsonld": "json-ld"}
    return list(Graph().parse(data=text, format=formats[path.suffix]))


def test_data_and_shapes_use_only_declared_terms(combined: Graph) -> None:
    files = _rdf_files("data", "shapes")
    if not files:
        pytest.skip("no RDF files under data/ or shapes/ yet")
    issues: list[qc.QCIssue] = []
    for path in files:
        try:
            quads = _parse_quads(path)
        except Exception as error:  # report every file, not only the first
            issues.append(qc.QCIssue("parse", str(path.relative_to(ROOT)), str(error)))
            continue
        issues += qc.undeclared_terms(combined, quads, where=str(path.relative_to(ROOT)))
    assert not issues, show(issues)


# ---------------------------------------------------------------------------
# OWL 2 RL profile
# ---------------------------------------------------------------------------


def test_ontology_is_in_owl2_rl(combined: Graph) -> None:
    issues = qc.rl_violations(combined)
    assert not issues, show(issues)


RL_BAD = {
    "union on superclass side": (
        "ex:A rdfs:subClassOf [ owl:unionOf ( ex:B ex:C ) ] .",
        "owl:unionOf is not allowed on the superclass side",
    ),
    "union as domain": (
        "ex:p a owl:ObjectProperty ; rdfs:domain [ owl:unionOf ( ex:B ex:C ) ] .",
        "owl:unionOf is not allowed on the superclass side",
    ),
    "some on superclass side": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;"
        " owl:someValuesFrom ex:B ] .",
        "owl:someValuesFrom is not allowed on the superclass side",
    ),
    "some in equivalence": (
        "ex:A owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ;"
        " owl:someValuesFrom ex:B ] .",
        "owl:someValuesFrom is not allowed on the equivalence side",
    ),
    "all on subclass side": (
        "[ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom ex:B ]"
        " rdfs:subClassOf ex:A .",
        "owl:allValuesFrom is not allowed on the subclass side",
    ),
    "complement on subclass side": (
        "[ owl:complementOf ex:B ] rdfs:subClassOf ex:A .",
        "owl:complementOf is not allowed on the subclass side",
    ),
    "union nested in superclass intersection": (
        "ex:A rdfs:subClassOf [ owl:intersectionOf ( ex:B [ owl:unionOf ( ex:C ex:D ) ] ) ] .",
        "owl:unionOf is not allowed on the superclass side",
    ),
    "oneOf on superclass side": (
        "ex:A rdfs:subClassOf [ owl:oneOf ( ex:a ex:b ) ] .",
        "owl:oneOf is not allowed on the superclass side",
    ),
    "named class defined by a union": (
        "ex:A owl:unionOf ( ex:B ex:C ) .",
        "owl:unionOf is not allowed on the equivalence side",
    ),
    "min cardinality": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;"
        ' owl:minCardinality "1"^^xsd:nonNegativeInteger ] .',
        "owl:minCardinality 1 is not allowed (OWL 2 RL allows only max 0 or max 1"
        " cardinalities on the superclass side)",
    ),
    "exact cardinality": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;"
        ' owl:cardinality "1"^^xsd:nonNegativeInteger ] .',
        "owl:cardinality 1 is not allowed (OWL 2 RL allows only max 0 or max 1"
        " cardinalities on the superclass side)",
    ),
    "max 2": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;"
        ' owl:maxCardinality "2"^^xsd:nonNegativeInteger ] .',
        "owl:maxCardinality 2 is not allowed (only 0 or 1)",
    ),
    "max 1 on subclass side": (
        "[ a owl:Restriction ; owl:onProperty ex:p ;"
        ' owl:maxCardinality "1"^^xsd:nonNegativeInteger ] rdfs:subClassOf ex:A .',
        "owl:maxCardinality is not allowed on the subclass side",
    ),
    "hasSelf": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:hasSelf true ] .",
        "owl:hasSelf is not allowed in OWL 2 RL",
    ),
    "reflexive property": (
        "ex:p a owl:ObjectProperty , owl:ReflexiveProperty .",
        "owl:ReflexiveProperty is not allowed in OWL 2 RL",
    ),
    "disjoint union": (
        "ex:A owl:disjointUnionOf ( ex:B ex:C ) .",
        "owl:disjointUnionOf is not allowed in OWL 2 RL",
    ),
    "owl:Thing as subclass": (
        "owl:Thing rdfs:subClassOf ex:A .",
        "owl:Thing is not allowed on the subclass side",
    ),
    "xsd:date range": (
        "ex:d a owl:DatatypeProperty ; rdfs:range xsd:date .",
        "datatype xsd:date is not an OWL 2 RL datatype; name it with schema:rangeIncludes"
        " and enforce it in SHACL",
    ),
    "data union range": (
        "ex:d a owl:DatatypeProperty ; rdfs:range [ a rdfs:Datatype ;"
        " owl:unionOf ( xsd:string xsd:integer ) ] .",
        "data unions (owl:unionOf of datatypes) are not allowed",
    ),
    "datatype restriction": (
        "ex:d a owl:DatatypeProperty ; rdfs:range [ a rdfs:Datatype ; owl:onDatatype xsd:integer ;"
        " owl:withRestrictions ( [ xsd:minInclusive 1 ] ) ] .",
        "datatype restrictions (owl:withRestrictions) are not allowed",
    ),
    "anonymous union type assertion": (
        "ex:x a [ owl:unionOf ( ex:B ex:C ) ] .",
        "owl:unionOf is not allowed on the superclass side",
    ),
}


@pytest.mark.parametrize("case", sorted(RL_BAD))
def test_rl_checker_reports_non_rl_construct(case: str) -> None:
    snippet, expected = RL_BAD[case]
    messages = [issue.message for issue in qc.rl_violations(turtle(snippet))]
    assert expected in messages, messages


RL_GOOD = {
    "some on subclass side": (
        "[ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ]"
        " rdfs:subClassOf ex:A ."
    ),
    "union on subclass side": "[ owl:unionOf ( ex:B ex:C ) ] rdfs:subClassOf ex:A .",
    "all on superclass side": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;"
        " owl:allValuesFrom ex:B ] ."
    ),
    "max 1 on superclass side": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ;"
        ' owl:maxQualifiedCardinality "1"^^xsd:nonNegativeInteger ; owl:onClass ex:B ] .'
    ),
    "complement on superclass side": "ex:A rdfs:subClassOf [ owl:complementOf ex:B ] .",
    "hasValue in equivalence": (
        "ex:A owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ; owl:hasValue ex:v ] ."
    ),
    "intersection in equivalence": (
        "ex:A owl:equivalentClass [ owl:intersectionOf ( ex:B ex:C ) ] ."
    ),
    "property chain, inverse, keys": (
        "ex:p owl:propertyChainAxiom ( ex:q ex:r ) ; owl:inverseOf ex:s ."
        " ex:A owl:hasKey ( ex:d ) . ex:d a owl:DatatypeProperty ; rdfs:range xsd:string ."
    ),
}


@pytest.mark.parametrize("case", sorted(RL_GOOD))
def test_rl_checker_accepts_rl_construct(case: str) -> None:
    issues = qc.rl_violations(turtle(RL_GOOD[case]))
    assert not issues, show(issues)


# ---------------------------------------------------------------------------
# Concept schemes (contract of docs/design.md)
# ---------------------------------------------------------------------------

SCHEMES = {
    "pact-axis": (L4A.PactAxis, ["people", "planet", "government"]),
    "lifecycle-stage": (
        L4A.LifecycleStage,
        [
            "call-for-proposals",
            "definition",
            "connection",
            "implementation",
            "monitoring",
            "closure",
            "new-stage",
        ],
    ),
    "monitoring-status": (
        L4A.MonitoringStatus,
        ["planned", "in-progress", "delayed", "completed", "cancelled"],
    ),
    "role": (L4A.StakeholderRole, ["lead", "partner", "supporter"]),
}


def _members(graph: Graph, scheme: URIRef) -> set[URIRef]:
    return {c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_scheme_has_the_design_concepts(schemes: Graph, name: str) -> None:
    cls, slugs = SCHEMES[name]
    scheme = ID[name]
    expected = {URIRef(f"{scheme}/{slug}") for slug in slugs}
    assert (scheme, RDF.type, SKOS.ConceptScheme) in schemes
    assert _members(schemes, scheme) == expected
    for concept in expected:
        assert (concept, RDF.type, cls) in schemes
        assert (concept, RDF.type, SKOS.Concept) in schemes
        assert (concept, SKOS.topConceptOf, scheme) in schemes
        assert (scheme, SKOS.hasTopConcept, concept) in schemes


def test_topic_scheme(schemes: Graph) -> None:
    scheme = ID["topic"]
    topics = _members(schemes, scheme)
    assert 15 <= len(topics) <= 20
    for topic in topics:
        assert str(topic).startswith(f"{scheme}/")
        assert (topic, RDF.type, L4A.ExpertiseTopic) in schemes
        assert (topic, SKOS.topConceptOf, scheme) in schemes


@pytest.mark.parametrize("name", ["lifecycle-stage", "pact-axis", "monitoring-status", "role"])
def test_ordered_schemes_follow_the_design_order(schemes: Graph, name: str) -> None:
    _, slugs = SCHEMES[name]

    def position(concept: URIRef) -> int:
        return int(str(schemes.value(concept, L4A.order)))

    by_order = sorted(_members(schemes, ID[name]), key=position)
    assert by_order == [URIRef(f"{ID[name]}/{slug}") for slug in slugs]


def test_pact_axes_carry_the_plenary_titles_with_sources(schemes: Graph) -> None:
    titles = {
        "people": "Equality and Care",
        "planet": "Transforming our Relationship with our Ecosystems",
        "government": "Governing Local & Global Realities as One",
    }
    source = URIRef("http://purl.org/dc/terms/source")
    for slug, title in titles.items():
        axis = ID[f"pact-axis/{slug}"]
        assert Literal(title, lang="en") in set(schemes.objects(axis, SKOS.altLabel))
        assert len(set(schemes.objects(axis, source))) >= 1
    assert len(set(schemes.objects(ID["pact-axis"], source))) == 3


# ---------------------------------------------------------------------------
# Reasoning with owlrl (the reference OWL 2 RL reasoner)
# ---------------------------------------------------------------------------

SAMPLE = """
syn:hub-a a l4a:Hub ;
    l4a:hasLead syn:city-a ;
    l4a:addressesTarget sdg:4.1 ;
    l4a:exchangesWith syn:hub-b ;
    l4a:hasTerritory syn:place-a ;
    l4a:startDate "2021-08"^^xsd:gYearMonth .
syn:hub-b a l4a:Hub .
syn:city-a a l4a:LocalGovernment .
syn:uni-a a l4a:UniversityOrResearchCentre .
syn:hub-a-uni a l4a:Participation ;
    org:member syn:uni-a ;
    org:organization syn:hub-a ;
    org:role <https://w3id.org/l4a/id/role/partner> .
sdg:4.1 skos:broader sdg:4 .
syn:place-a a l4a:City ; l4a:partOf syn:region-a .
syn:region-a a l4a:Region ; l4a:partOf syn:country-a ; l4a:country syn:country-a .
syn:country-a a l4a:Country ; l4a:iso3166Alpha2 "XA" ; l4a:partOf syn:continent-a .
syn:continent-a a l4a:WorldRegion .
syn:deliverable-a l4a:deliverableOf syn:hub-a .
syn:new-topic skos:inScheme <https://w3id.org/l4a/id/topic> .
"""


def closure(combined: Graph, data: str) -> Graph:
    graph = Graph()
    for triple in combined:
        graph.add(triple)
    graph += turtle(data)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def owlrl_errors(graph: Graph) -> list[str]:
    return sorted(str(message) for message in graph.objects(None, OWLRL_ERROR))


@pytest.fixture(scope="module")
def entailed(combined: Graph) -> Graph:
    return closure(combined, SAMPLE)


ENTAILMENTS = {
    "participation gives a stakeholder": (SYN["hub-a"], L4A.hasStakeholder, SYN["uni-a"]),
    "participation inverse of org:organization": (
        SYN["hub-a"],
        L4A.hasParticipation,
        SYN["hub-a-uni"],
    ),
    "takesPartIn inverse": (SYN["uni-a"], L4A.takesPartIn, SYN["hub-a"]),
    "lead is a stakeholder": (SYN["hub-a"], L4A.hasStakeholder, SYN["city-a"]),
    "leads inverse of hasLead": (SYN["city-a"], L4A.leads, SYN["hub-a"]),
    "lead typed stakeholder (range)": (SYN["city-a"], RDF.type, L4A.Stakeholder),
    "target gives its goal": (SYN["hub-a"], L4A.addressesGoal, SDG["4"]),
    "goal is addressed": (SYN["hub-a"], L4A.addresses, SDG["4"]),
    "target is addressed": (SYN["hub-a"], L4A.addresses, SDG["4.1"]),
    "exchange is symmetric": (SYN["hub-b"], L4A.exchangesWith, SYN["hub-a"]),
    "partOf is transitive": (SYN["place-a"], L4A.partOf, SYN["continent-a"]),
    "partOf within GeoSPARQL": (SYN["place-a"], GEO.sfWithin, SYN["region-a"]),
    "country propagates down partOf": (SYN["place-a"], L4A.country, SYN["country-a"]),
    "hasDeliverable inverse": (SYN["hub-a"], L4A.hasDeliverable, SYN["deliverable-a"]),
    "deliverable typed (domain)": (SYN["deliverable-a"], RDF.type, L4A.Deliverable),
    "hub is an ORG organisation": (SYN["hub-a"], RDF.type, ORG.Organization),
    "hub is an agent": (SYN["hub-a"], RDF.type, FOAF.Agent),
    "local government is an LRG": (SYN["city-a"], RDF.type, L4A.LocalRegionalGovernment),
    "concept in topic scheme is a topic": (SYN["new-topic"], RDF.type, L4A.ExpertiseTopic),
    "role concept is an org:Role": (ID["role/partner"], RDF.type, ORG.Role),
    "axis concept is in its scheme": (ID["pact-axis/people"], SKOS.inScheme, ID["pact-axis"]),
}


@pytest.mark.parametrize("case", sorted(ENTAILMENTS))
def test_owlrl_entailment(entailed: Graph, case: str) -> None:
    assert ENTAILMENTS[case] in entailed


def test_owlrl_sample_is_consistent(entailed: Graph) -> None:
    assert owlrl_errors(entailed) == []


def test_owlrl_does_not_overreach(combined: Graph, entailed: Graph) -> None:
    # The participant is not a HUB, the goal is not a target, a HUB is no stakeholder.
    assert (SYN["uni-a"], RDF.type, L4A.Hub) not in entailed
    assert (SYN["hub-a"], L4A.addressesTarget, SDG["4"]) not in entailed
    assert (SYN["hub-a"], RDF.type, L4A.Stakeholder) not in entailed
    # No two distinct resources are merged.
    assert [(a, b) for a, b in entailed.subject_objects(OWL.sameAs) if a != b] == []
    # Membership of some other organisation does not make it a HUB.
    other = closure(
        combined,
        "syn:m a org:Membership ; org:member syn:x ; org:organization syn:network .",
    )
    assert (SYN["network"], RDF.type, L4A.Hub) not in other


INCONSISTENT = {
    "a HUB is not a stakeholder": (
        "syn:x a l4a:Hub , l4a:LocalGovernment .",
        "Disjoint classes https://w3id.org/l4a/def#Hub and https://w3id.org/l4a/def#Stakeholder",
    ),
    "an LRG is not a university": (
        "syn:x a l4a:LocalGovernment , l4a:UniversityOrResearchCentre .",
        "Disjoint classes https://w3id.org/l4a/def#LocalRegionalGovernment"
        " and https://w3id.org/l4a/def#UniversityOrResearchCentre",
    ),
    "a HUB is not a territory": (
        "syn:x a l4a:Hub , l4a:City .",
        "Disjoint classes https://w3id.org/l4a/def#Hub and https://w3id.org/l4a/def#Territory",
    ),
    "a Pact axis is not a topic": (
        "syn:h l4a:offersExpertise <https://w3id.org/l4a/id/pact-axis/people> .",
        "Disjoint classes https://w3id.org/l4a/def#PactAxis"
        " and https://w3id.org/l4a/def#ExpertiseTopic",
    ),
    "a HUB does not exchange with itself": (
        "syn:h l4a:exchangesWith syn:h .",
        "Irreflexive property",
    ),
}


@pytest.mark.parametrize("case", sorted(INCONSISTENT))
def test_owlrl_detects_inconsistency(combined: Graph, case: str) -> None:
    data, expected = INCONSISTENT[case]
    errors = owlrl_errors(closure(combined, data))
    assert any(expected in error for error in errors), errors


def test_owlrl_keeps_distinct_countries_apart(combined: Graph) -> None:
    # Guards against owl:hasKey with one property: owlrl 7.6.2's rule prp-key then
    # makes every pair of instances of the class owl:sameAs.
    assert not list(combined.subjects(OWL.hasKey, None))
    graph = closure(
        combined,
        'syn:c1 a l4a:Country ; l4a:iso3166Alpha2 "XB" .'
        ' syn:c2 a l4a:Country ; l4a:iso3166Alpha2 "XC" .',
    )
    assert (SYN["c1"], OWL.sameAs, SYN["c2"]) not in graph
