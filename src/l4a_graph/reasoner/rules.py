"""Compiling the ontology's axioms into rules (the OWL 2 RL rules of the W3C profile).

Nothing here names an l4a property or class: every rule comes from an axiom found in
the ontology, so adding an axiom changes what is inferred without changing code.

What is compiled (rule names as in OWL 2 Profiles, section 4.3):

- property axioms: ``rdfs:subPropertyOf`` (prp-spo1), ``owl:equivalentProperty``
  (prp-eqp1/2), ``owl:inverseOf`` (prp-inv1/2), ``owl:SymmetricProperty`` (prp-symp),
  ``owl:TransitiveProperty`` (prp-trp), ``owl:propertyChainAxiom`` of any length, with
  ``[ owl:inverseOf p ]`` members too (prp-spo2), ``rdfs:domain`` (prp-dom),
  ``rdfs:range`` (prp-rng);
- class axioms: ``rdfs:subClassOf`` (cax-sco), ``owl:equivalentClass`` (cax-eqc1/2) and
  the class expressions of OWL 2 RL: ``owl:intersectionOf`` (cls-int1/2),
  ``owl:unionOf`` as a subclass (cls-uni), ``owl:someValuesFrom`` as a subclass
  (cls-svf1/2), ``owl:hasValue`` (cls-hv1/2), ``owl:allValuesFrom`` as a superclass
  (cls-avf), nested to any depth.

Named classes and properties are materialized, so a rule only needs to take one step
along the hierarchy: ``LocalGovernment => LocalRegionalGovernment`` and then
``LocalRegionalGovernment => Stakeholder``, not also ``LocalGovernment =>
Stakeholder``, which would derive every triple twice. Anonymous class expressions are
never materialized: a rule walks through them (``C rdfs:subClassOf [ owl:hasValue ...
]`` gives ``?x a C => ?x p v``), and the subsumptions between restrictions that OWL 2
RL derives (scm-svf, scm-hv, scm-avf, scm-int, scm-uni) are computed here.

Each rule keeps the axioms it comes from, for ``l4a why``. The equality rules (eq-*)
do not depend on the ontology: :data:`EQUALITY_RULES`. Constructs the fast engine does
not compile are listed in :attr:`RuleSet.unsupported`; ``owl:hasKey`` and the
characteristics that only make data inconsistent (functional, irreflexive,
disjoint...) are checked by :mod:`l4a_graph.reasoner.consistency`.

Examples
--------
>>> from l4a_graph.reasoner.ontology import Ontology
>>> rules = compile_rules(Ontology.from_turtle('''
...     l4a:LocalGovernment rdfs:subClassOf l4a:LocalRegionalGovernment .
...     l4a:LocalRegionalGovernment rdfs:subClassOf l4a:Stakeholder .
...     l4a:addressesGoal owl:propertyChainAxiom ( l4a:addressesTarget skos:broader ) .
... '''))
>>> for rule in rules.rules:
...     print(rule)
prp-spo2: ?v0 l4a:addressesTarget ?v1 . ?v1 skos:broader ?v2 => ?v0 l4a:addressesGoal ?v2
cax-sco: ?v0 a l4a:LocalGovernment => ?v0 a l4a:LocalRegionalGovernment
cax-sco: ?v0 a l4a:LocalRegionalGovernment => ?v0 a l4a:Stakeholder
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeAlias, TypeVar

from pyoxigraph import BlankNode, Literal, NamedNode

from l4a_graph.output import short
from l4a_graph.reasoner.ontology import Ontology
from l4a_graph.reasoner.terms import OWL, RDF, RDFS, Value


@dataclass(frozen=True)
class Var:
    """A rule variable."""

    name: str

    def __str__(self) -> str:
        return f"?{self.name}"


RuleTerm: TypeAlias = Var | NamedNode | Literal
"""A term of a rule: a variable or a constant from the ontology."""


@dataclass(frozen=True)
class Atom:
    """A triple pattern of a rule."""

    s: RuleTerm
    p: RuleTerm
    o: RuleTerm

    def __str__(self) -> str:
        p = "a" if self.p == RDF.type else _show(self.p)
        return f"{_show(self.s)} {p} {_show(self.o)}"

    @property
    def terms(self) -> tuple[RuleTerm, RuleTerm, RuleTerm]:
        """Subject, predicate and object."""
        return self.s, self.p, self.o


@dataclass(frozen=True)
class Rule:
    """If every ``body`` atom matches, ``head`` holds.

    Attributes
    ----------
    kind
        The OWL 2 RL rule(s) applied, e.g. ``prp-spo2`` or ``cax-sco``.
    axioms
        The ontology axioms the rule was compiled from, for people.
    """

    kind: str
    body: tuple[Atom, ...]
    head: Atom
    axioms: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.kind}: {' . '.join(map(str, self.body))} => {self.head}"


@dataclass(frozen=True)
class RuleSet:
    """The rules compiled from one ontology, and what could not be compiled."""

    rules: tuple[Rule, ...]
    unsupported: tuple[str, ...] = ()


@dataclass(frozen=True)
class Inverse:
    """The property expression ``[ owl:inverseOf prop ]``."""

    prop: NamedNode


PropertyExpression: TypeAlias = NamedNode | Inverse


@dataclass(frozen=True)
class Axiom:
    """One ontology axiom and the OWL 2 RL rule that applies it."""

    rule: str
    text: str


Path: TypeAlias = tuple[Axiom, ...]
"""The axioms along one chain of subsumptions, for explanations."""

_X, _Y, _Z = Var("x"), Var("y"), Var("z")

EQUALITY_RULES: tuple[Rule, ...] = (
    Rule("eq-sym", (Atom(_X, OWL.sameAs, _Y),), Atom(_Y, OWL.sameAs, _X)),
    Rule(
        "eq-trans",
        (Atom(_X, OWL.sameAs, _Y), Atom(_Y, OWL.sameAs, _Z)),
        Atom(_X, OWL.sameAs, _Z),
    ),
    Rule("eq-rep-s", (Atom(_X, OWL.sameAs, _Y), Atom(_X, Var("p"), _Z)), Atom(_Y, Var("p"), _Z)),
    Rule("eq-rep-p", (Atom(_X, OWL.sameAs, _Y), Atom(Var("s"), _X, _Z)), Atom(Var("s"), _Y, _Z)),
    Rule(
        "eq-rep-o",
        (Atom(_X, OWL.sameAs, _Y), Atom(Var("s"), Var("p"), _X)),
        Atom(Var("s"), Var("p"), _Y),
    ),
)
"""The OWL 2 RL equality rules; the reasoner adds them only when the data uses owl:sameAs."""

UNSUPPORTED_PREDICATES = (
    OWL.oneOf,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.cardinality,
    OWL.minCardinality,
    OWL.hasSelf,
)
"""Constructs the fast engine does not compile (the l4a ontology uses none of them)."""


def compile_rules(ontology: Ontology) -> RuleSet:
    """The rules of ``ontology``, each once, in a stable order."""
    return _Compiler(ontology).compile()


def _show(term: RuleTerm) -> str:
    return str(term) if isinstance(term, Var) else short(term)


N = TypeVar("N", Value, PropertyExpression)
"""A node of a hierarchy: a class (expression) or a property expression."""
Alternative: TypeAlias = tuple[tuple[Atom, ...], Path]
"""One way of matching a class expression: body atoms and the rules that justify it."""
Head: TypeAlias = tuple[tuple[Atom, ...], Atom, Path]
"""One consequence of membership: extra body atoms, the head and its justification."""

_RESTRICTIONS = {
    OWL.someValuesFrom: "scm-svf",
    OWL.allValuesFrom: "scm-avf",
    OWL.hasValue: "scm-hv",
}


class _Compiler:
    """One compilation: the schema closure, then the rules."""

    def __init__(self, ontology: Ontology) -> None:
        self.onto = ontology
        self.unsupported: list[str] = []
        self._fresh = itertools.count()
        # Full closures answer schema questions. The rules follow direct edges only,
        # walking on through anonymous classes (never materialized): every named
        # class and property is materialized, and its own rules take over from there.
        self.prop_sup = _closure(self._property_edges(), stop=_always)
        self.prop_hierarchy = _closure(
            (e1, e2, axiom)
            for e1, e2, axiom in self._told_property_edges()
            if axiom.rule in ("prp-spo1", "prp-eqp")
        )
        expressions = [
            s
            for p in (OWL.onProperty, OWL.intersectionOf, OWL.unionOf)
            for s, _ in ontology.pairs(p)
        ]
        told = list(self._told_class_edges())
        edges = told + list(self._restriction_edges(_closure(told)))
        self.class_all = _closure(edges, expressions)
        self.class_sup = _closure(edges, expressions, stop=_is_named)
        self.class_sub = _reverse(self.class_sup)

    def compile(self) -> RuleSet:
        rules = [*self._property_rules(), *self._domain_range_rules(), *self._class_rules()]
        for predicate in UNSUPPORTED_PREDICATES:
            for s, _ in self.onto.pairs(predicate):
                self.unsupported.append(f"{short(predicate)} in {self.onto.render(s)}")
        return RuleSet(_deduplicate(rules), tuple(dict.fromkeys(self.unsupported)))

    def _text(self, s: Value, predicate: NamedNode, o: Value) -> str:
        return f"{self.onto.render(s)} {short(predicate)} {self.onto.render(o)}"

    # -- properties --------------------------------------------------------------

    def _property(self, node: Value) -> PropertyExpression | None:
        """The property expression at ``node``: a property or ``[ owl:inverseOf p ]``."""
        if isinstance(node, NamedNode):
            return node
        inverse = self.onto.value(node, OWL.inverseOf) if isinstance(node, BlankNode) else None
        if isinstance(inverse, NamedNode):
            return Inverse(inverse)
        self.unsupported.append(f"property expression {self.onto.render(node)}")
        return None

    def _property_edges(
        self,
    ) -> Iterator[tuple[PropertyExpression, PropertyExpression, Axiom]]:
        """Sub-property edges between property expressions, in both orientations."""
        for e1, e2, axiom in self._told_property_edges():
            yield e1, e2, axiom
            yield _invert(e1), _invert(e2), axiom

    def _told_property_edges(
        self,
    ) -> Iterator[tuple[PropertyExpression, PropertyExpression, Axiom]]:
        for predicate, rule in (
            (RDFS.subPropertyOf, "prp-spo1"),
            (OWL.equivalentProperty, "prp-eqp"),
            (OWL.inverseOf, "prp-inv"),
        ):
            for s, o in self.onto.pairs(predicate):
                if isinstance(s, BlankNode) and predicate == OWL.inverseOf:
                    continue  # [ owl:inverseOf p ] is an expression, not an axiom
                e1, e2 = self._property(s), self._property(o)
                if e1 is None or e2 is None:
                    continue
                e2 = _invert(e2) if predicate == OWL.inverseOf else e2
                axiom = Axiom(rule, self._text(s, predicate, o))
                yield e1, e2, axiom
                if predicate != RDFS.subPropertyOf:
                    yield e2, e1, axiom
        for p in self.onto.subjects(RDF.type, OWL.SymmetricProperty):
            if isinstance(p, NamedNode):
                yield (
                    p,
                    Inverse(p),
                    Axiom("prp-symp", self._text(p, RDF.type, OWL.SymmetricProperty)),
                )

    def _atom(self, e: PropertyExpression, x: RuleTerm, y: RuleTerm) -> Atom:
        return Atom(y, e.prop, x) if isinstance(e, Inverse) else Atom(x, e, y)

    def _property_rules(self) -> Iterator[Rule]:
        yield from self._chain_rules()
        for p in self.onto.subjects(RDF.type, OWL.TransitiveProperty):
            if isinstance(p, NamedNode):
                axiom = Axiom("prp-trp", self._text(p, RDF.type, OWL.TransitiveProperty))
                yield _rule((Atom(_X, p, _Y), Atom(_Y, p, _Z)), Atom(_X, p, _Z), (axiom,))
        for e1, supers in self.prop_sup.items():
            for e2, path in supers.items():
                if e1 != e2 and isinstance(e1, NamedNode | Inverse):
                    assert isinstance(e2, NamedNode | Inverse)
                    yield _rule((self._atom(e1, _X, _Y),), self._atom(e2, _X, _Y), path)

    def _chain_rules(self) -> Iterator[Rule]:
        for p, head in self.onto.pairs(OWL.propertyChainAxiom):
            nodes = self.onto.items(head)
            chain = [e for e in map(self._property, nodes) if e is not None]
            if not isinstance(p, NamedNode) or not chain or len(chain) < len(nodes):
                self.unsupported.append(f"property chain of {self.onto.render(p)}")
                continue
            xs = [Var(f"x{i}") for i in range(len(chain) + 1)]
            body = tuple(self._atom(e, xs[i], xs[i + 1]) for i, e in enumerate(chain))
            members = " ".join(map(self.onto.render, nodes))
            axiom = Axiom("prp-spo2", f"{short(p)} owl:propertyChainAxiom ({members})")
            yield _rule(body, Atom(xs[0], p, xs[-1]), (axiom,))

    def _domain_range_rules(self) -> Iterator[Rule]:
        for predicate, rule in ((RDFS.domain, "prp-dom"), (RDFS.range, "prp-rng")):
            for p, cls in self.onto.pairs(predicate):
                prop = self._property(p)
                if prop is None or self._inherited(predicate, prop, cls):
                    continue
                s, o = (_X, _Y) if predicate == RDFS.domain else (_Y, _X)
                axiom = Axiom(rule, self._text(p, predicate, cls))
                for sup, path in self._implied(cls).items():
                    for extra, head, more in self._heads(sup, _X):
                        yield _rule((self._atom(prop, s, o), *extra), head, (axiom, *path, *more))

    def _inherited(self, predicate: NamedNode, prop: PropertyExpression, cls: Value) -> bool:
        """True when a strict super-property of ``prop`` gives ``cls`` (or a subclass).

        Its triples are all materialized, so the super-property's rule types whatever
        this one would (``l4a:addressesGoal rdfs:domain l4a:Hub`` adds nothing to
        ``l4a:addresses rdfs:domain l4a:Hub``), and the data are not scanned twice.
        """
        for q in self.prop_hierarchy.get(prop, {}):
            if not isinstance(q, NamedNode) or q == prop or prop in self.prop_hierarchy[q]:
                continue  # not a strict super-property
            if any(cls in self.class_all.get(c, {c: ()}) for c in self.onto.objects(q, predicate)):
                return True
        return False

    # -- classes -----------------------------------------------------------------

    def _told_class_edges(self) -> Iterator[tuple[Value, Value, Axiom]]:
        for s, o in self.onto.pairs(RDFS.subClassOf):
            yield s, o, Axiom("cax-sco", self._text(s, RDFS.subClassOf, o))
        for s, o in self.onto.pairs(OWL.equivalentClass):
            axiom = Axiom("cax-eqc", self._text(s, OWL.equivalentClass, o))
            yield s, o, axiom
            yield o, s, axiom
        for s, head in self.onto.pairs(OWL.intersectionOf):
            for member in self.onto.items(head):
                yield s, member, Axiom("cls-int2", "")
        for s, head in self.onto.pairs(OWL.unionOf):
            for member in self.onto.items(head):
                yield member, s, Axiom("cls-uni", "")

    def _restriction_edges(
        self, told: dict[Value, dict[Value, Path]]
    ) -> Iterator[tuple[Value, Value, Axiom]]:
        """Subsumptions between restrictions on related properties (scm-svf, scm-hv, scm-avf).

        As in OWL 2 RL, properties are compared along ``rdfs:subPropertyOf`` and
        ``owl:equivalentProperty``, fillers along the ``told`` class hierarchy (which
        leaves out subsumptions between restrictions nested in other restrictions).
        """
        found = [(node, self._restriction(node)) for node, _ in self.onto.pairs(OWL.onProperty)]
        restrictions = [(n, r) for n, r in found if r is not None]
        for (n1, (k1, p1, f1)), (n2, (k2, p2, f2)) in itertools.permutations(restrictions, 2):
            if k1 != k2:
                continue
            # allValuesFrom is contravariant in the property, the others covariant.
            sub, sup = (p2, p1) if k1 == OWL.allValuesFrom else (p1, p2)
            fillers = (
                f1 == f2 if k1 == OWL.hasValue else f2 == OWL.Thing or f2 in told.get(f1, {f1: ()})
            )
            if fillers and sup in self.prop_hierarchy.get(sub, {sub: ()}):
                yield (
                    n1,
                    n2,
                    Axiom(
                        _RESTRICTIONS[k1],
                        f"{self.onto.render(n1)} is narrower than {self.onto.render(n2)}",
                    ),
                )

    def _restriction(self, node: Value) -> tuple[NamedNode, PropertyExpression, Value] | None:
        """The restriction at ``node`` as (kind, property, filler), or None."""
        if not isinstance(node, NamedNode | BlankNode):
            return None
        prop = self.onto.value(node, OWL.onProperty)
        for kind in _RESTRICTIONS:
            filler = self.onto.value(node, kind)
            if prop is not None and filler is not None:
                e = self._property(prop)
                return (kind, e, filler) if e is not None else None
        return None

    def _implied(self, node: Value) -> dict[Value, Path]:
        """The classes whose consequences membership of ``node`` brings in one step."""
        if isinstance(node, NamedNode):
            return {node: ()}
        return self.class_sup.get(node, {node: ()})

    def _fresh_var(self) -> Var:
        return Var(f"v{next(self._fresh)}")

    def _structural(self, node: Value, x: Var, stack: frozenset[Value]) -> list[Alternative]:
        """Ways of matching ``x`` against the class expression defined at ``node``."""
        if not isinstance(node, BlankNode | NamedNode) or node in stack:
            return []
        stack = stack | {node}
        head = self.onto.value(node, OWL.intersectionOf)
        if head is not None:
            parts = [self._match(m, x, stack) for m in self.onto.items(head)]
            return [
                (
                    tuple(a for atoms, _ in combo for a in atoms),
                    (Axiom("cls-int1", ""), *(a for _, p in combo for a in p)),
                )
                for combo in itertools.product(*parts)
            ]
        head = self.onto.value(node, OWL.unionOf)
        if head is not None:
            return [
                (atoms, (Axiom("cls-uni", ""), *p))
                for m in self.onto.items(head)
                for atoms, p in self._match(m, x, stack)
            ]
        restriction = self._restriction(node)
        if restriction is None:
            return []
        kind, prop, filler = restriction
        if kind == OWL.hasValue and isinstance(filler, NamedNode | Literal):
            return [((self._atom(prop, x, filler),), (Axiom("cls-hv2", ""),))]
        if kind == OWL.someValuesFrom:
            v = self._fresh_var()
            first = self._atom(prop, x, v)
            if filler == OWL.Thing:
                return [((first,), (Axiom("cls-svf2", ""),))]
            return [
                ((first, *atoms), (Axiom("cls-svf1", ""), *p))
                for atoms, p in self._match(filler, v, stack)
            ]
        return []

    def _base(self, node: Value, x: Var, stack: frozenset[Value]) -> list[Alternative]:
        """Ways of matching ``x`` as a member of ``node`` by its own definition."""
        if isinstance(node, NamedNode):
            return [((Atom(x, RDF.type, node),), ())]
        return self._structural(node, x, stack)

    def _match(self, node: Value, x: Var, stack: frozenset[Value]) -> list[Alternative]:
        """Ways of matching ``x`` as a member of ``node``, its subclasses included."""
        if isinstance(node, NamedNode):
            return self._base(node, x, stack)
        subs = self.class_sub.get(node, {node: ()})
        return [
            (atoms, (*p, *path))
            for sub, path in subs.items()
            for atoms, p in self._base(sub, x, stack)
        ]

    def _heads(self, node: Value, x: RuleTerm) -> list[Head]:
        """What membership of ``x`` in ``node`` implies."""
        heads: list[Head] = []
        if isinstance(node, NamedNode) and node not in (OWL.Thing, RDFS.Resource):
            heads.append(((), Atom(x, RDF.type, node), ()))
        restriction = self._restriction(node) if isinstance(node, NamedNode | BlankNode) else None
        if restriction is None:
            return heads
        kind, prop, filler = restriction
        if kind == OWL.hasValue and isinstance(filler, NamedNode | Literal):
            heads.append(((), self._atom(prop, x, filler), (Axiom("cls-hv1", ""),)))
        elif kind == OWL.allValuesFrom:
            v = self._fresh_var()
            for sup, path in self._implied(filler).items():
                for extra, head, more in self._heads(sup, v):
                    step = (Axiom("cls-avf", ""), *path, *more)
                    heads.append(((self._atom(prop, x, v), *extra), head, step))
        return heads

    def _class_rules(self) -> Iterator[Rule]:
        for node, supers in self.class_sup.items():
            if isinstance(node, NamedNode):
                yield from self._definition_rules(node)
            if not isinstance(node, NamedNode | BlankNode):
                continue
            for atoms, justification in self._base(node, _X, frozenset()):
                for sup, path in supers.items():
                    if self._subsumed(atoms, node, sup):
                        continue
                    for extra, head, more in self._heads(sup, _X):
                        body = (*atoms, *extra)
                        if head not in body:
                            yield _rule(body, head, (*justification, *path, *more))

    def _subsumed(self, atoms: tuple[Atom, ...], node: Value, sup: Value) -> bool:
        """True when a named class in ``atoms`` already implies ``sup`` by a simpler rule."""
        return len(atoms) > 1 and any(
            a.s == _X
            and a.p == RDF.type
            and isinstance(a.o, NamedNode)
            and a.o != node
            and sup in self.class_all.get(a.o, {})
            for a in atoms
        )

    def _definition_rules(self, node: NamedNode) -> Iterator[Rule]:
        """A named class defined by an expression: matching the expression types the member."""
        definition = Axiom("", f"{short(node)} is {self.onto.expression(node)}")
        for atoms, justification in self._structural(node, _X, frozenset()):
            yield _rule(atoms, Atom(_X, RDF.type, node), (*justification, definition))


def _rule(body: tuple[Atom, ...], head: Atom, path: Path) -> Rule:
    """A rule named after the OWL 2 RL rules it applies, with the texts of its axioms."""
    kind = "+".join(dict.fromkeys(a.rule for a in path if a.rule)) or "axiom"
    return Rule(kind, body, head, tuple(dict.fromkeys(a.text for a in path if a.text)))


def _invert(e: PropertyExpression) -> PropertyExpression:
    return e.prop if isinstance(e, Inverse) else Inverse(e)


def _always(node: object) -> bool:
    return True


def _is_named(node: object) -> bool:
    return isinstance(node, NamedNode)


def _closure(
    edges: Iterable[tuple[N, N, Axiom]],
    nodes: Iterable[N] = (),
    stop: Callable[[N], bool] = lambda _: False,
) -> dict[N, dict[N, Path]]:
    """Reflexive-transitive closure of ``edges``: node -> reachable node -> axioms on the way.

    Paths end at the first node (after the start) for which ``stop`` is true.
    Every one of ``nodes`` is included, even without an edge.
    """
    graph: dict[N, list[tuple[N, Axiom]]] = {n: [] for n in nodes}
    for s, o, axiom in edges:
        graph.setdefault(s, []).append((o, axiom))
        graph.setdefault(o, [])
    closure: dict[N, dict[N, Path]] = {}
    for start in graph:
        reached: dict[N, Path] = {start: ()}
        queue: deque[N] = deque([start])
        while queue:  # breadth first, so the shortest chain of axioms is kept
            current: N = queue.popleft()
            if current != start and stop(current):
                continue
            for nxt, axiom in graph[current]:
                if nxt not in reached:
                    reached[nxt] = (*reached[current], axiom)
                    queue.append(nxt)
        closure[start] = reached
    return closure


def _reverse(closure: dict[N, dict[N, Path]]) -> dict[N, dict[N, Path]]:
    reverse: dict[N, dict[N, Path]] = defaultdict(dict)
    for node, reached in closure.items():
        for other, path in reached.items():
            reverse[other][node] = path
    return dict(reverse)


def _canonical(rule: Rule) -> Rule:
    """``rule`` with its variables renamed in order of appearance (v0, v1, ...)."""
    names: dict[Var, Var] = {}

    def rename(term: RuleTerm) -> RuleTerm:
        return names.setdefault(term, Var(f"v{len(names)}")) if isinstance(term, Var) else term

    body = tuple(Atom(*map(rename, a.terms)) for a in rule.body)
    return Rule(rule.kind, body, Atom(*map(rename, rule.head.terms)), rule.axioms)


def _deduplicate(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """Canonical rules, each once (the first found keeps its axioms)."""
    unique: dict[tuple[tuple[Atom, ...], Atom], Rule] = {}
    for rule in map(_canonical, rules):
        unique.setdefault((rule.body, rule.head), rule)
    return tuple(unique.values())
