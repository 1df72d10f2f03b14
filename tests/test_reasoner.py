"""The reasoner: the fast closure equals owlrl's, rules follow the ontology, checks, why.

How the closures are compared (see :mod:`l4a_graph.reasoner.owlrl_reference`): the
asserted triples ``A`` go through owlrl's ``OWLRL_Semantics``; from its closure minus
``A``, and from ``graph/inferred``, the same normalisation keeps only the triples about
the data: no literal subjects, no blank nodes that owlrl made or that belong to the
ontology's class expressions, no triples about RDF/RDFS/OWL/XSD terms, no schema
predicates (``rdfs:subClassOf``, ``rdfs:domain``, OWL terms but ``owl:sameAs``...),
no ``rdf:type`` to a built-in class (``owl:Thing``, ``rdfs:Resource``...), no
``x owl:sameAs x``. The two sets must be equal; any difference fails, and is printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.cli import cli
from l4a_graph.formats import by_name
from l4a_graph.reasoner import reason
from l4a_graph.reasoner.consistency import check
from l4a_graph.reasoner.engine import ruleset
from l4a_graph.reasoner.explain import Derivation, explain, render
from l4a_graph.reasoner.ontology import Ontology
from l4a_graph.reasoner.owlrl_reference import compare
from l4a_graph.reasoner.rules import compile_rules
from l4a_graph.reasoner.synthetic import hub_graph
from l4a_graph.store import EmbeddedStore, Store

L4A = ns.L4A
XIAN = ns.ID + "hub/xian-youth-education-dialogue"
HEADER = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in ns.PREFIXES.items())
HEADER += "@prefix ex: <urn:ex:> .\n"


def store_with(ontology: str, data: str, data_format: str = "ttl") -> EmbeddedStore:
    """A store with ``ontology`` (Turtle) in the ontology graph and ``data`` in another."""
    store = EmbeddedStore()
    store.load((HEADER + ontology).encode(), by_name("ttl"), ns.GRAPH_ONTOLOGY)
    text = HEADER + data if data_format == "ttl" else data
    store.load(text.encode(), by_name(data_format), ns.GRAPH_SYNTHETIC)
    return store


def shipped_ontology_store(data: str) -> EmbeddedStore:
    """A store with the shipped ontology and N-Triples ``data``."""
    store = EmbeddedStore()
    for path in sorted(KnowledgeGraph().ontology_dir.glob("*.ttl")):
        store.load(path, by_name("ttl"), ns.GRAPH_ONTOLOGY)
    store.load(data.encode(), by_name("nt"), ns.GRAPH_SYNTHETIC)
    return store


def assert_same_closure(store: Store) -> None:
    """Reason with the fast engine; its inferences must be owlrl's (normalised)."""
    report = reason(store, check_consistency=False)
    assert report.inferred > 0
    comparison = compare(store)
    assert comparison.equal, comparison.report()


# -- the fast closure is owlrl's ---------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Iterator[KnowledgeGraph]:
    """The shipped data, reasoned once for the module (owlrl takes seconds on it)."""
    graph = KnowledgeGraph()
    graph.load_shipped(reason=True)
    yield graph
    graph.close()


def test_shipped_closure_equals_owlrl(shipped: KnowledgeGraph) -> None:
    comparison = compare(shipped.store)
    assert comparison.equal, comparison.report()
    assert len(comparison.fast) > 500


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hubs=st.integers(min_value=1, max_value=6), seed=st.integers(min_value=0, max_value=999))
def test_generated_closure_equals_owlrl(hubs: int, seed: int) -> None:
    assert_same_closure(shipped_ontology_store(hub_graph(hubs, seed)))


# Random OWL 2 RL ontologies over a small vocabulary, with random data: they reach
# the constructs the l4a ontology does not use (yet), nested class expressions too.
CLASSES = [f"ex:C{i}" for i in range(5)]
PROPERTIES = [f"ex:p{i}" for i in range(5)]
INDIVIDUALS = [f"ex:i{i}" for i in range(6)]
named_class = st.sampled_from(CLASSES)
prop = st.sampled_from(PROPERTIES)
prop_expression = st.one_of(prop, prop.map(lambda p: f"[ owl:inverseOf {p} ]"))
individual = st.sampled_from(INDIVIDUALS)


def _restriction(kind: str, p: str, filler: str) -> str:
    return f"[ a owl:Restriction ; owl:onProperty {p} ; {kind} {filler} ]"


def _list(kind: str, members: list[str]) -> str:
    return f"[ a owl:Class ; {kind} ( {' '.join(members)} ) ]"


sub_expression = st.recursive(
    named_class,
    lambda inner: st.one_of(
        st.builds(_restriction, st.just("owl:someValuesFrom"), prop, inner),
        st.builds(_restriction, st.just("owl:someValuesFrom"), prop, st.just("owl:Thing")),
        st.builds(_restriction, st.just("owl:hasValue"), prop, individual),
        st.builds(_list, st.just("owl:intersectionOf"), st.lists(inner, min_size=2, max_size=3)),
        st.builds(_list, st.just("owl:unionOf"), st.lists(inner, min_size=2, max_size=3)),
    ),
    max_leaves=3,
)
super_expression = st.recursive(
    named_class,
    lambda inner: st.one_of(
        st.builds(_restriction, st.just("owl:hasValue"), prop, individual),
        st.builds(_restriction, st.just("owl:allValuesFrom"), prop, inner),
        st.builds(_list, st.just("owl:intersectionOf"), st.lists(inner, min_size=2, max_size=2)),
    ),
    max_leaves=3,
)
equivalent_expression = st.one_of(
    named_class,
    st.builds(_restriction, st.just("owl:hasValue"), prop, individual),
    st.builds(
        _list,
        st.just("owl:intersectionOf"),
        st.lists(
            st.one_of(
                named_class,
                st.builds(_restriction, st.just("owl:someValuesFrom"), prop, named_class),
            ),
            min_size=2,
            max_size=2,
        ),
    ),
)
axiom = st.one_of(
    st.builds("{} rdfs:subClassOf {} .".format, sub_expression, super_expression),
    st.builds("{} owl:equivalentClass {} .".format, named_class, equivalent_expression),
    st.builds("{} rdfs:subPropertyOf {} .".format, prop_expression, prop),
    st.builds("{} owl:equivalentProperty {} .".format, prop, prop),
    st.builds("{} owl:inverseOf {} .".format, prop, prop),
    st.builds("{} a owl:SymmetricProperty .".format, prop),
    st.builds("{} a owl:TransitiveProperty .".format, prop),
    st.builds(
        "{} owl:propertyChainAxiom ( {} ) .".format,
        prop,
        st.lists(prop_expression, min_size=2, max_size=3).map(" ".join),
    ),
    st.builds("{} rdfs:domain {} .".format, prop, st.one_of(named_class, super_expression)),
    st.builds("{} rdfs:range {} .".format, prop, st.one_of(named_class, super_expression)),
)
fact = st.one_of(
    st.builds("{} {} {} .".format, individual, prop, individual),
    st.builds("{} a {} .".format, individual, named_class),
)
declarations = "".join(f"{c} a owl:Class .\n" for c in CLASSES) + "".join(
    f"{p} a owl:ObjectProperty .\n" for p in PROPERTIES
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    axioms=st.lists(axiom, min_size=1, max_size=8),
    facts=st.lists(fact, min_size=1, max_size=12),
    same=st.lists(st.builds("{} owl:sameAs {} .".format, individual, individual), max_size=1),
)
def test_random_ontologies_closure_equals_owlrl(
    axioms: list[str], facts: list[str], same: list[str]
) -> None:
    store = store_with(declarations + "\n".join(axioms), "\n".join(facts + same))
    report = reason(store, check_consistency=False)
    comparison = compare(store)
    assert comparison.equal, "\n".join([*axioms, *facts, *same, comparison.report()])
    assert report.unsupported == ()


# -- the rules follow the ontology -------------------------------------------------


def inferred(store: Store, s: str, p: str, o: str) -> bool:
    """True when ``graph/inferred`` holds the triple of the three IRIs."""
    result = store.query(f"ASK {{ GRAPH <{ns.GRAPH_INFERRED}> {{ <{s}> <{p}> <{o}> }} }}")
    return bool(result)


def test_adding_an_axiom_changes_the_inferences_without_code(kg: KnowledgeGraph) -> None:
    leads_in, mentions = "urn:test:leadTerritory", "urn:test:mentions"
    place = ns.ID + "place/xian"
    kg.reason()
    assert not inferred(kg.store, XIAN, leads_in, place)
    assert not inferred(kg.store, XIAN, mentions, ns.SDG + "4")
    kg.store.update(
        f"INSERT DATA {{ GRAPH <{ns.GRAPH_ONTOLOGY}> {{"
        f" <{leads_in}> <{ns.PREFIXES['owl']}propertyChainAxiom>"
        f"   ( <{L4A}hasLead> <{L4A}hasTerritory> ) ."
        f" <{L4A}addresses> <{ns.PREFIXES['rdfs']}subPropertyOf> <{mentions}> }} }}"
    )
    kg.reason()
    assert inferred(kg.store, XIAN, leads_in, place)
    # addressesGoal is a sub-property of addresses: the new axiom reaches it too.
    assert inferred(kg.store, XIAN, mentions, ns.SDG + "4")


def test_rules_are_compiled_from_whatever_ontology_is_given() -> None:
    rules = compile_rules(
        Ontology.from_turtle(
            "@prefix ex: <urn:ex:> . ex:a owl:propertyChainAxiom ( ex:b ex:c ex:d ) ."
        )
    )
    assert [str(r) for r in rules.rules] == [
        "prp-spo2: ?v0 <urn:ex:b> ?v1 . ?v1 <urn:ex:c> ?v2 . ?v2 <urn:ex:d> ?v3"
        " => ?v0 <urn:ex:a> ?v3"
    ]
    assert rules.rules[0].axioms == (
        "<urn:ex:a> owl:propertyChainAxiom (<urn:ex:b> <urn:ex:c> <urn:ex:d>)",
    )


def test_unsupported_constructs_are_listed() -> None:
    onto = Ontology.from_turtle("@prefix ex: <urn:ex:> . ex:C owl:oneOf ( ex:a ex:b ) .")
    assert compile_rules(onto).unsupported == ("owl:oneOf in <urn:ex:C>",)


def test_the_inferred_graph_is_rebuilt_not_added_to() -> None:
    store = store_with("ex:p owl:inverseOf ex:q .", "ex:a ex:p ex:b .")
    assert reason(store).inferred == 1
    store.update(
        f"DELETE DATA {{ GRAPH <{ns.GRAPH_SYNTHETIC}> {{ <urn:ex:a> <urn:ex:p> <urn:ex:b> }} }}"
    )
    assert reason(store).inferred == 0


# -- loads keep the inferred graph up to date -------------------------------------------


def test_a_load_updates_an_existing_inferred_graph(kg: KnowledgeGraph, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(f"<{XIAN}> <{L4A}addressesTarget> <{ns.SDG}6.1> .\n", encoding="utf-8")
    kg.reason()
    kg.load_files([extra])
    assert inferred(kg.store, XIAN, L4A + "addressesGoal", ns.SDG + "6")


def test_a_load_creates_no_inferred_graph_unless_asked(empty_kg: KnowledgeGraph) -> None:
    empty_kg.load_shipped()
    assert ns.GRAPH_INFERRED not in empty_kg.store.named_graphs()
    empty_kg.load_shipped(reason=True)
    assert ns.GRAPH_INFERRED in empty_kg.store.named_graphs()


# -- consistency -------------------------------------------------------------------


def test_shipped_data_are_consistent(shipped: KnowledgeGraph) -> None:
    assert check(shipped.store) == []


def test_a_hub_that_is_also_a_government_is_reported(kg: KnowledgeGraph) -> None:
    kg.store.update(f"INSERT DATA {{ GRAPH <urn:test> {{ <{XIAN}> a <{L4A}LocalGovernment> }} }}")
    violations = kg.reason().violations
    assert violations, "a HUB typed as a local government must be reported"
    assert all(NamedNode(XIAN) in v.resources for v in violations)
    assert any(v.kind == "disjoint classes" and "l4a:Hub" in str(v) for v in violations)


def test_a_functional_property_with_two_values_is_reported(kg: KnowledgeGraph) -> None:
    kg.store.update(
        f"INSERT DATA {{ GRAPH <urn:test> {{ <{XIAN}> <{L4A}startDate>"
        f' "2022-01-01"^^<{ns.PREFIXES["xsd"]}date> }} }}'
    )
    [violation] = kg.reason().violations
    assert violation.kind == "functional property"
    assert violation.resources[0] == NamedNode(XIAN)
    assert "l4a:startDate" in str(violation)


def test_an_irreflexive_property_on_itself_is_reported(kg: KnowledgeGraph) -> None:
    kg.store.update(
        f"INSERT DATA {{ GRAPH <urn:test> {{ <{XIAN}> <{L4A}exchangesWith> <{XIAN}> }} }}"
    )
    assert [v.kind for v in kg.reason().violations] == ["irreflexive property"]


def test_reason_exits_1_with_the_offending_resources(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{XIAN}> a <{L4A}LocalGovernment> .\n", encoding="utf-8")
    assert runner.invoke(cli, ["load"]).exit_code == 0
    assert runner.invoke(cli, ["load", str(bad)]).exit_code == 0
    result = runner.invoke(cli, ["reason"])
    assert result.exit_code == 1, result.output
    assert "hub:xian-youth-education-dialogue" in result.output
    assert "disjoint classes" in result.output
    assert runner.invoke(cli, ["reason", "--no-check"]).exit_code == 0


def test_reason_prints_counts(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--memory", "reason"])
    assert result.exit_code == 0, result.output
    assert "inferred triples" in result.output


# -- explanations ------------------------------------------------------------------


def test_why_explains_a_chain_down_to_asserted_triples(runner: CliRunner, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(f"<{XIAN}> <{L4A}addressesTarget> <{ns.SDG}6.1> .\n", encoding="utf-8")
    assert runner.invoke(cli, ["load", "--no-reason"]).exit_code == 0
    assert runner.invoke(cli, ["load", "--no-reason", str(extra)]).exit_code == 0
    result = runner.invoke(
        cli, ["why", "hub:xian-youth-education-dialogue", "l4a:addressesGoal", "sdg:6"]
    )
    assert result.exit_code == 0, result.output
    assert "no inferred graph yet" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "hub:xian-youth-education-dialogue l4a:addressesGoal sdg:6"
    assert "prp-spo2" in lines[1]
    assert "owl:propertyChainAxiom (l4a:addressesTarget skos:broader)" in lines[1]
    assert (
        "l4a:addressesTarget sdg:6.1  [asserted in <https://w3id.org/l4a/graph/file/extra>]"
        in result.output
    )
    assert (
        "sdg:6.1 skos:broader sdg:6  [asserted in <https://w3id.org/l4a/graph/reference/sdg>]"
        in result.output
    )


def test_why_goes_down_several_steps(shipped: KnowledgeGraph) -> None:
    org = ns.ID + "org/city-of-xian"
    fact = (NamedNode(org), NamedNode(L4A + "takesPartIn"), NamedNode(XIAN))
    derivation = explain(shipped.store, ruleset(shipped.store).rules, fact)
    assert derivation is not None
    assert _depth(derivation) >= 2, render(derivation)
    assert all(leaf.graphs for leaf in _leaves(derivation)), render(derivation)
    assert "owl:inverseOf" in render(derivation)


def _depth(derivation: Derivation) -> int:
    return 1 + max((_depth(p) for p in derivation.premises), default=-1)


def _leaves(derivation: Derivation) -> Iterator[Derivation]:
    if derivation.rule is None:
        yield derivation
    for premise in derivation.premises:
        yield from _leaves(premise)


def test_why_says_when_nothing_entails_a_triple(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["--memory", "why", "hub:xian-youth-education-dialogue", "l4a:addressesGoal", "sdg:13"]
    )
    assert result.exit_code == 1
    assert "neither asserted nor entailed" in result.output


def test_why_rejects_an_unknown_prefix(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--memory", "why", "nope:x", "a", "l4a:Hub"])
    assert result.exit_code == 2
    assert "nope:x" in result.output


# -- the reference engine ----------------------------------------------------------


def test_owlrl_engine_writes_the_full_closure() -> None:
    store = store_with("ex:p owl:inverseOf ex:q .", "ex:a ex:p ex:b .")
    report = reason(store, "owlrl")
    assert report.engine == "owlrl"
    # Full OWL RL: the inverse, and owlrl's tautologies (x owl:sameAs x...) besides.
    assert inferred(store, "urn:ex:b", "urn:ex:q", "urn:ex:a")
    assert report.inferred > 1
