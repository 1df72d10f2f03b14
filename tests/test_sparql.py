"""The SPARQL lexer and parameter binding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, QuerySolutions, RdfFormat, Store

from l4a_graph.errors import QueryError
from l4a_graph.sparql import keywords, tokens, with_bindings


def select(store: Store, sparql: str) -> list[dict[str, str]]:
    result = store.query(sparql)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


@pytest.fixture
def store() -> Store:
    s = Store()
    s.load(
        b'<urn:a> <urn:n> 1 . <urn:b> <urn:n> 5 . <urn:a> <urn:t> "x" .', format=RdfFormat.TURTLE
    )
    return s


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        ('SELECT * { ?s ?p "SERVICE" }', {"SELECT"}),
        ("SELECT * { ?s <http://x/LOAD> ?o } # SERVICE", {"SELECT"}),
        ("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }", {"SELECT", "WHERE", "SERVICE"}),
        ("LOAD <http://x/data.ttl>", {"LOAD"}),
        ("SELECT * { ?s ?p '''multi\nline SERVICE''' }", {"SELECT"}),
        ("select * { ?s a ex:Service }", {"SELECT", "A", "EX:SERVICE"}),
    ],
)
def test_keywords_ignore_strings_iris_comments(sparql: str, expected: set[str]) -> None:
    assert keywords(sparql) == expected


def test_filter_in_the_group_sees_the_binding(store: Store) -> None:
    sparql = "SELECT ?s WHERE { ?s <urn:n> ?n FILTER(?n > ?min) }"
    bound = with_bindings(
        sparql,
        {"min": Literal("2", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))},
    )
    assert select(store, bound) == [{"s": "urn:b"}]


def test_construct_binds_in_the_where_clause_not_the_template(store: Store) -> None:
    sparql = "CONSTRUCT { ?s <urn:seen> true } WHERE { ?s <urn:n> ?n }"
    bound = with_bindings(sparql, {"s": NamedNode("urn:a")})
    assert len(list(store.query(bound))) == 1  # type: ignore[arg-type]


def test_binding_after_a_leading_comment(store: Store) -> None:
    sparql = "# WHERE { is in a comment\nSELECT ?t WHERE { # the { here too\n ?s <urn:t> ?t }"
    assert select(store, with_bindings(sparql, {"s": NamedNode("urn:a")})) == [{"t": "x"}]


def test_bad_variable_name() -> None:
    with pytest.raises(QueryError, match="not a SPARQL variable name"):
        with_bindings("SELECT * { ?s ?p ?o }", {"s) {": NamedNode("urn:x")})


def test_no_group_pattern() -> None:
    with pytest.raises(QueryError, match="no graph pattern"):
        with_bindings("DESCRIBE <urn:a>", {"s": NamedNode("urn:x")})


@given(st.text())
def test_any_string_value_stays_a_value(text: str) -> None:
    store = Store()
    sparql = "SELECT ?v WHERE { BIND(STRLEN(?value) AS ?v) }"
    rows = select(store, with_bindings(sparql, {"value": Literal(text)}))
    assert rows == [{"v": str(len(text.encode("utf-16-le")) // 2)}] or rows == [
        {"v": str(len(text))}
    ]


def test_tokens_offsets() -> None:
    first = next(iter(tokens("  SELECT")))
    assert (first.kind, first.text, first.offset) == ("word", "SELECT", 2)
