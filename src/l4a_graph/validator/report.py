"""What a validation found, in a form a person can act on and a program can read.

A :class:`Finding` is one SHACL validation result: the node, the property path, the
value, the rule (the IRI of the shape that fired), the constraint component, the
severity, and the rule's message in English, French and Spanish. A :class:`Report`
prints them as text, JSON or the SHACL report graph (Turtle).

Messages come from the shapes graph, with their language tags. pyshacl fills the
``{?var}`` placeholders of SPARQL-based messages but drops the language tag while
doing so; the values are recovered by matching each filled message against its
template, then every language is filled with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from pyoxigraph import NamedNode
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from l4a_graph.output import short
from l4a_graph.validator import LANGUAGES
from l4a_graph.validator.shapes import L4ASH, Shapes

__all__ = ["Finding", "Report", "Severity", "findings_from"]

_PLACEHOLDER: Final = re.compile(r"\{[?$](\w+)\}")
_IRI: Final = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s\"<>]+$")


class Severity(StrEnum):
    """The SHACL severities, most serious first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"


_SEVERITIES: Final[dict[Node | None, Severity]] = {
    SH.Violation: Severity.VIOLATION,
    SH.Warning: Severity.WARNING,
}

_WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "stage": "stage",
        "conforms": "conforms",
        "not": "does not conform",
        "Violation": "Violation",
        "Warning": "Warning",
        "Info": "Information",
        "violations": "violation(s)",
        "warnings": "warning(s)",
        "node": "node",
        "property": "property",
        "value": "value",
        "rule": "rule",
    },
    "fr": {
        "stage": "étape",
        "conforms": "conforme",
        "not": "non conforme",
        "Violation": "Violation",
        "Warning": "Avertissement",
        "Info": "Information",
        "violations": "violation(s)",
        "warnings": "avertissement(s)",
        "node": "nœud",
        "property": "propriété",
        "value": "valeur",
        "rule": "règle",
    },
    "es": {
        "stage": "etapa",
        "conforms": "conforme",
        "not": "no conforme",
        "Violation": "Infracción",
        "Warning": "Advertencia",
        "Info": "Información",
        "violations": "infracción(es)",
        "warnings": "advertencia(s)",
        "node": "nodo",
        "property": "propiedad",
        "value": "valor",
        "rule": "regla",
    },
}
"""The few words of the report's frame, in each language of the messages."""


@dataclass(frozen=True)
class Finding:
    """One validation result.

    Parameters
    ----------
    severity
        Violation (the submission is refused) or Warning (accepted, to be confirmed).
    node
        The focus node: the HUB, an organisation, a deliverable... or ``l4ash:submission``
        for the rules about the submission as a whole.
    path
        The property concerned, if any.
    value
        The offending value, if any.
    rule
        The IRI of the shape that fired: each rule is one shape.
    component
        The SHACL constraint component (``sh:MinCountConstraintComponent``...).
    templates
        The rule's message in each language, with ``{?var}`` placeholders.
    variables
        The values of the placeholders for this result.
    node_labels
        A readable name of ``node`` in each language, when the shapes give one.
    """

    severity: Severity
    node: Node
    path: Node | None
    value: Node | None
    rule: URIRef
    component: URIRef
    templates: Mapping[str, str]
    variables: Mapping[str, str] = field(default_factory=dict)
    node_labels: Mapping[str, str] = field(default_factory=dict)

    def message(self, lang: str = "en", *, compact: bool = True) -> str:
        """The message in ``lang`` (English when the rule has none in it).

        With ``compact``, IRIs in the message are written with the usual prefixes.
        """
        template = self.templates.get(lang) or self.templates.get("en") or ""

        def fill(match: re.Match[str]) -> str:
            value = self.variables.get(match.group(1), match.group(0))
            return _compact(value) if compact else value

        return _PLACEHOLDER.sub(fill, template)

    def as_json(self, lang: str) -> dict[str, Any]:
        """The finding as plain JSON values (full IRIs, message in ``lang``)."""
        return {
            "severity": self.severity.value,
            "node": _plain(self.node),
            "path": _plain(self.path),
            "value": _plain(self.value),
            "rule": str(self.rule),
            "component": str(self.component),
            "message": self.message(lang),
        }

    def text(self, lang: str) -> str:
        """The finding for a person: the message first, then where and which rule."""
        words = _WORDS.get(lang, _WORDS["en"])
        node = self.node_labels.get(lang) or self.node_labels.get("en") or _show(self.node)
        rows = [(words["node"], node)]
        if self.path is not None:
            rows.append((words["property"], _show(self.path)))
        if self.value is not None:
            rows.append((words["value"], _show(self.value)))
        rows.append((words["rule"], f"{_show(self.rule)} ({_show(self.component)})"))
        width = max(len(label) for label, _ in rows) + 1
        lines = [f"{words[self.severity.value]}: {self.message(lang)}"]
        lines += [f"   {(label + ':').ljust(width)} {text}" for label, text in rows]
        return "\n".join(lines)


@dataclass(frozen=True)
class Report:
    """The findings of one validation of one submission at one stage.

    Parameters
    ----------
    source
        The submission's name (its file).
    stage
        1 (eligibility) or 2 (complete).
    findings
        What fired, violations first.
    """

    source: str
    stage: int
    findings: tuple[Finding, ...]

    @classmethod
    def collect(cls, source: str, stage: int, findings: Iterable[Finding]) -> Report:
        """A report of ``findings`` in reading order: violations first, then by node."""
        return cls(source, stage, tuple(sorted(findings, key=_order)))

    @property
    def violations(self) -> int:
        """How many results are Violations."""
        return sum(f.severity is Severity.VIOLATION for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many results are Warnings."""
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def conforms(self) -> bool:
        """True when nothing is a Violation: warnings do not stop a submission."""
        return self.violations == 0

    @property
    def rules(self) -> set[str]:
        """The local names of the rules that fired (``HubLeadCount``...), for tests and logs."""
        return {str(f.rule).removeprefix(str(L4ASH)) for f in self.findings}

    def summary(self, lang: str = "en") -> str:
        """One line: the file, the stage, whether it conforms, how many findings."""
        words = _WORDS.get(lang, _WORDS["en"])
        head = f"{self.source}: {words['stage']} {self.stage}: "
        counts = f"{self.violations} {words['violations']}, {self.warnings} {words['warnings']}"
        return head + (words["conforms"] if self.conforms else words["not"]) + f" ({counts})"

    def text(self, lang: str = "en") -> str:
        """The report for a person, in ``lang``."""
        blocks = [self.summary(lang)]
        blocks += [
            f"{n}. " + finding.text(lang) for n, finding in enumerate(self.findings, start=1)
        ]
        return "\n\n".join(blocks) + "\n"

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        """The report as plain JSON values, messages in ``lang``."""
        return {
            "source": self.source,
            "stage": self.stage,
            "conforms": self.conforms,
            "violations": self.violations,
            "warnings": self.warnings,
            "language": lang,
            "findings": [f.as_json(lang) for f in self.findings],
        }

    def graph(self) -> Graph:
        """The SHACL validation report graph, messages in every language.

        ``sh:conforms`` follows :attr:`conforms` (warnings allowed), as pyshacl's
        ``allow_warnings`` does.
        """
        graph = Graph()
        graph.bind("sh", SH)
        graph.bind("l4ash", L4ASH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for finding in self.findings:
            graph.add((report, SH.result, _result(graph, finding)))
        return graph


def findings_from(results: Graph, shapes: Shapes) -> list[Finding]:
    """The findings in a pyshacl results graph, with their messages from ``shapes``."""
    # Only the report's own results: nested sh:detail results explain them, they are
    # not findings of their own.
    return [
        _finding(results, result, shapes)
        for report in results.subjects(RDF.type, SH.ValidationReport)
        for result in results.objects(report, SH.result)
    ]


def _finding(results: Graph, result: Node, shapes: Shapes) -> Finding:
    rule = results.value(result, SH.sourceShape)
    component = results.value(result, SH.sourceConstraintComponent)
    node = results.value(result, SH.focusNode)
    assert isinstance(rule, URIRef) and isinstance(component, URIRef) and node is not None
    constraint = results.value(result, SH.sourceConstraint)
    templates = _templates(shapes.graph, constraint) or _templates(shapes.graph, rule)
    messages = [str(m) for m in results.objects(result, SH.resultMessage)]
    value = results.value(result, SH.value)
    return Finding(
        severity=_SEVERITIES.get(results.value(result, SH.resultSeverity), Severity.INFO),
        node=node,
        path=results.value(result, SH.resultPath),
        # A node shape's value node is its focus node: saying it twice helps nobody.
        value=None if value == node else value,
        rule=rule,
        component=component,
        templates=templates or {"en": messages[0] if messages else str(rule)},
        variables=_variables(templates.values(), messages),
        node_labels={lang: label for lang in LANGUAGES if (label := shapes.label(node, lang))},
    )


def _templates(graph: Graph, node: Node | None) -> dict[str, str]:
    if node is None:
        return {}
    return {
        m.language: str(m)
        for m in graph.objects(node, SH.message)
        if isinstance(m, Literal) and m.language
    }


def _variables(templates: Iterable[str], messages: list[str]) -> dict[str, str]:
    """The placeholder values pyshacl put in ``messages``, found by matching templates."""
    for template in templates:
        if not _PLACEHOLDER.search(template):
            continue
        pattern = _pattern(template)
        for message in messages:
            if match := pattern.fullmatch(message):
                return match.groupdict()
    return {}


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching ``template`` filled with any values."""
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        name = match.group(1)
        parts.append(re.escape(template[position : match.start()]))
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


def _order(finding: Finding) -> tuple[int, str, str, str]:
    rank = list(Severity).index(finding.severity)
    return rank, str(finding.node), str(finding.path or ""), str(finding.rule)


def _result(graph: Graph, finding: Finding) -> BNode:
    result = BNode()
    graph.add((result, RDF.type, SH.ValidationResult))
    graph.add((result, SH.focusNode, finding.node))
    graph.add((result, SH.resultSeverity, URIRef(str(SH) + finding.severity.value)))
    graph.add((result, SH.sourceShape, finding.rule))
    graph.add((result, SH.sourceConstraintComponent, finding.component))
    if finding.path is not None:
        graph.add((result, SH.resultPath, finding.path))
    if finding.value is not None:
        graph.add((result, SH.value, finding.value))
    for lang in finding.templates:
        graph.add(
            (result, SH.resultMessage, Literal(finding.message(lang, compact=False), lang=lang))
        )
    return result


def _compact(value: str) -> str:
    return short(NamedNode(value)) if _IRI.match(value) else value


def _show(node: Node) -> str:
    """A compact, readable form of an RDF term."""
    if isinstance(node, URIRef):
        if str(node).startswith(str(L4ASH)):
            return "l4ash:" + str(node)[len(str(L4ASH)) :]
        return short(NamedNode(str(node)))
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        if node.language:
            return f'"{node}"@{node.language}'
        if node.datatype is not None:
            return f'"{node}"^^{_show(node.datatype)}'
        return f'"{node}"'
    return str(node)


def _plain(node: Node | None) -> str | None:
    """A term as a JSON string: IRIs and literals as they are, blank nodes as ``_:id``."""
    if node is None:
        return None
    return f"_:{node}" if isinstance(node, BNode) else str(node)
