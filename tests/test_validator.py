"""HUB submissions: the shapes, the two stages, the reports, bad input, atomic storage.

The invalid fixtures (tests/fixtures/submissions/invalid/) each break one rule: most are
a SPARQL update applied to valid.ttl, so that each shows exactly what is wrong; a few
are whole files. Their header names the rule, the stage to check (2 by default), the
severity (Violation by default) and a fragment of the message in en, fr and es.
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from pyoxigraph import DefaultGraph, RdfFormat, Store
from rdflib import RDF, RDFS, SH, Graph, Literal, URIRef

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.cli import cli
from l4a_graph.errors import InputError, StoreError
from l4a_graph.formats import by_name
from l4a_graph.resources import project_root, resource_dir
from l4a_graph.store import EmbeddedStore
from l4a_graph.validator.contacts import split_contacts
from l4a_graph.validator.engine import SubmissionValidator, validator_for
from l4a_graph.validator.intake import Submission, parse_submission, read_submission
from l4a_graph.validator.jsonld import CONTEXT_IRI, context_document
from l4a_graph.validator.report import LANGUAGES
from l4a_graph.validator.shapes import L4ASH, load_shapes
from l4a_graph.validator.storage import store_submission, submission_graph

ROOT = project_root()
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"
VALID = FIXTURES / "valid.ttl"
EXAMPLES = (ROOT / "examples" / "submission.ttl", ROOT / "examples" / "submission.jsonld")
HUB = "https://w3id.org/l4a/id/hub/example-harbour-youth-forum"

UPDATE_PREFIXES = {
    "l4a": ns.L4A,
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sdg": ns.SDG,
    "sdgo": ns.SDGO,
    "hub": ns.ID + "hub/",
    "lorg": ns.ID + "org/",
    "country": ns.ID + "country/",
    "section": ns.ID + "section/",
    "axis": ns.ID + "pact-axis/",
    "stage": ns.ID + "lifecycle-stage/",
    "mstatus": ns.ID + "monitoring-status/",
    "role": ns.ID + "role/",
    "part": HUB + "/participation/",
    "dlv": HUB + "/deliverable/",
}


# -- the library of fixtures --------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One invalid fixture and what it must make fire."""

    path: Path
    rule: str
    stage: int = 2
    severity: str = "Violation"
    messages: dict[str, str] = field(default_factory=dict)

    def submission(self) -> Submission:
        """The fixture as a submission: valid.ttl with the update applied, or the file."""
        if self.path.suffix != ".ru":
            return read_submission(self.path)
        store = Store()
        store.load(path=str(VALID), format=RdfFormat.TURTLE)
        store.update(self.path.read_text(encoding="utf-8"), prefixes=UPDATE_PREFIXES)
        data = store.dump(format=RdfFormat.TURTLE, from_graph=DefaultGraph())
        assert data is not None
        return parse_submission(data, by_name("ttl"), name=self.path.name)


def _case(path: Path) -> Case:
    header = dict(re.findall(r"^# (\w+): (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE))
    return Case(
        path,
        rule=header["rule"],
        stage=int(header.get("stage", 2)),
        severity=header.get("severity", "Violation"),
        messages={lang: header[lang] for lang in LANGUAGES},
    )


CASES = [_case(p) for p in sorted((FIXTURES / "invalid").iterdir())]


@pytest.fixture(scope="module")
def validator() -> SubmissionValidator:
    return validator_for(resource_dir("shapes"), resource_dir("ontology"), resource_dir("data"))


@pytest.mark.parametrize("case", CASES, ids=[c.path.stem for c in CASES])
def test_exactly_the_rule_fires(validator: SubmissionValidator, case: Case) -> None:
    report = validator.validate(case.submission(), case.stage)
    assert report.rules == {case.rule}, report.text()
    assert {f.severity.value for f in report.findings} == {case.severity}
    assert report.conforms == (case.severity == "Warning")
    for lang, fragment in case.messages.items():
        assert any(fragment in f.message(lang) for f in report.findings), (
            lang,
            [f.message(lang) for f in report.findings],
        )


def _rules() -> set[str]:
    """Every rule of the shapes: a shape with messages of its own or on its SPARQL."""
    graph = load_shapes(resource_dir("shapes")).graph
    rules = {s for s in graph.subjects(SH.message) if isinstance(s, URIRef)}
    rules |= {s for s, c in graph.subject_objects(SH.sparql) if (c, SH.message, None) in graph}
    return {str(r).removeprefix(str(L4ASH)) for r in rules if isinstance(r, URIRef)}


def test_every_rule_has_an_invalid_fixture() -> None:
    assert _rules() == {case.rule for case in CASES}


@pytest.mark.parametrize("path", [VALID, FIXTURES / "valid-minimal.ttl", *EXAMPLES])
@pytest.mark.parametrize("stage", [1, 2])
def test_valid_submissions_conform(validator: SubmissionValidator, path: Path, stage: int) -> None:
    report = validator.validate(read_submission(path), stage)
    assert report.findings == (), report.text()


def test_examples_say_they_are_fictional() -> None:
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        assert "fictional" in text and "hub:example-" in text


def test_json_ld_example_equals_the_turtle_one() -> None:
    turtle, jsonld = (read_submission(path) for path in EXAMPLES)
    assert _graph(turtle) == _graph(jsonld)


def _graph(submission: Submission) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in submission.quads}


# -- the shapes themselves ----------------------------------------------------------


def test_every_rule_speaks_english_french_and_spanish() -> None:
    graph = load_shapes(resource_dir("shapes")).graph
    for node in {*graph.subjects(SH.message), *graph.objects(None, SH.sparql)}:
        messages = [m for m in graph.objects(node, SH.message) if isinstance(m, Literal)]
        if not messages:
            continue
        assert sorted(m.language or "" for m in messages) == sorted(LANGUAGES), node
        placeholders = {m.language: set(re.findall(r"\{[?$]\w+\}", str(m))) for m in messages}
        assert len({frozenset(p) for p in placeholders.values()}) == 1, (node, placeholders)


def test_shapes_with_a_target_have_a_stage_and_the_others_a_label() -> None:
    graph = load_shapes(resource_dir("shapes")).graph
    targets = [SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.target]
    targeted = {s for t in targets for s in graph.subjects(t)}
    assert {s for s in targeted if isinstance(s, URIRef)} == set(graph.subjects(L4ASH.stage))
    assert {int(v) for v in graph.objects(None, L4ASH.stage) if isinstance(v, Literal)} == {1, 2}
    rules = {URIRef(str(L4ASH) + r) for r in _rules()}
    for shape in {*graph.subjects(SH.property), *graph.objects(None, SH.node)} - rules:
        labels = {
            lbl.language for lbl in graph.objects(shape, RDFS.label) if isinstance(lbl, Literal)
        }
        assert labels == set(LANGUAGES), shape


def test_the_time_frame_warning_is_a_warning_and_documented() -> None:
    graph = load_shapes(resource_dir("shapes")).graph
    assert graph.value(L4ASH.TimeFrameShort, SH.severity) == SH.Warning
    text = (ROOT / "shapes" / "hub-timeframe.ttl").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for source in (text, readme):
        words = " ".join(source.replace("#", " ").split())
        assert "2 to 3 years" in words and "1 to 3" in words


# -- stages and reports -------------------------------------------------------------


def test_stage_one_is_eligibility_only(validator: SubmissionValidator) -> None:
    submission = read_submission(FIXTURES / "valid-stage1.ttl")
    assert validator.validate(submission, 1).conforms
    stage2 = validator.validate(submission, 2)
    assert stage2.rules == {"HubOtherStakeholder", "HubDeliverable", "HubLifecycleStage"}


def test_stages_split_the_rules() -> None:
    shapes = load_shapes(resource_dir("shapes"))
    stage_one = {
        s.removeprefix(str(L4ASH))
        for s in map(str, shapes.graph.subjects(L4ASH.stage))
        if shapes.stage_of(URIRef(s)) == 1
    }
    assert {"HubLeadShape", "HubAgendaShape", "HubTimeFrameShape", "HubTextShape"} <= stage_one
    assert not {"ParticipationShape", "DeliverableShape", "HubLifecycleShape"} & stage_one


def test_unknown_stage_is_refused(validator: SubmissionValidator) -> None:
    with pytest.raises(InputError, match="unknown stage 3"):
        validator.validate(read_submission(VALID), 3)


@pytest.fixture
def broken() -> Submission:
    """A submission with a violation (no lead) and a warning (a short time frame)."""
    store = Store()
    store.load(path=str(VALID), format=RdfFormat.TURTLE)
    store.update(
        "DELETE WHERE { hub:example-harbour-youth-forum l4a:hasLead ?lead ; l4a:endDate ?end } ;"
        ' INSERT DATA { hub:example-harbour-youth-forum l4a:endDate "2025-12-31"^^xsd:date }',
        prefixes=UPDATE_PREFIXES,
    )
    data = store.dump(format=RdfFormat.TURTLE, from_graph=DefaultGraph())
    assert data is not None
    return parse_submission(data, by_name("ttl"), name="broken.ttl")


def test_text_report_names_node_property_rule_and_severity(
    validator: SubmissionValidator, broken: Submission
) -> None:
    report = validator.validate(broken, 1)
    text = report.text("es")
    assert text.startswith("broken.ttl: etapa 1: no conforme (1 infracción(es), 1 advertencia(s))")
    assert "1. Infracción: Un HUB tiene exactamente una entidad líder" in text
    assert "   nodo:      hub:example-harbour-youth-forum" in text
    assert "   propiedad: l4a:hasLead" in text
    assert "l4ash:HubLeadCount (sh:MinCountConstraintComponent)" in text
    assert "2. Advertencia: El periodo del HUB dura 671 días" in text


def test_json_report(validator: SubmissionValidator, broken: Submission) -> None:
    report = json.loads(json.dumps(validator.validate(broken, 1).as_json("fr")))
    assert (report["conforms"], report["violations"], report["warnings"]) == (False, 1, 1)
    first = report["findings"][0]
    assert first == {
        "severity": "Violation",
        "node": HUB,
        "path": ns.L4A + "hasLead",
        "value": None,
        "rule": str(L4ASH.HubLeadCount),
        "component": str(SH.MinCountConstraintComponent),
        "message": first["message"],
    }
    assert first["message"].startswith("Un HUB a exactement un chef de file")


def test_ttl_report_is_a_shacl_report_in_three_languages(
    validator: SubmissionValidator, broken: Submission
) -> None:
    graph = Graph().parse(data=validator.validate(broken, 1).graph().serialize(), format="turtle")
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == 2
    warning = next(r for r in results if graph.value(r, SH.resultSeverity) == SH.Warning)
    messages = {m.language: str(m) for m in graph.objects(warning, SH.resultMessage)}
    assert set(messages) == set(LANGUAGES)
    assert "671" in messages["fr"] and "jours" in messages["fr"]


def test_warnings_alone_conform(validator: SubmissionValidator) -> None:
    warning_only = next(c for c in CASES if c.severity == "Warning")
    report = validator.validate(warning_only.submission(), 1)
    assert report.conforms and report.warnings == 1
    assert Literal(True) in set(report.graph().objects(None, SH.conforms))


# -- the command line ---------------------------------------------------------------


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, ["--memory", *args], catch_exceptions=False)


def test_cli_exit_codes() -> None:
    assert _invoke("validate", str(VALID)).exit_code == 0
    blank_hub = FIXTURES / "invalid" / "hub-blank-node.ttl"
    result = _invoke("validate", str(blank_hub), "--stage", "1", "--lang", "fr")
    assert result.exit_code == 1
    assert "et non un nœud anonyme" in result.output
    stage1 = FIXTURES / "valid-stage1.ttl"
    assert _invoke("validate", str(stage1), "--stage", "1").exit_code == 0
    assert _invoke("validate", str(stage1), "--stage", "2").exit_code == 1


@pytest.mark.parametrize("fmt", ["text", "json", "ttl"])
def test_cli_formats(fmt: str) -> None:
    result = _invoke("validate", str(FIXTURES / "valid-stage1.ttl"), "--format", fmt)
    assert result.exit_code == 1
    if fmt == "json":
        assert json.loads(result.output)["violations"] == 3
    elif fmt == "ttl":
        assert (
            len(
                list(
                    Graph()
                    .parse(data=result.output, format="turtle")
                    .subjects(predicate=SH.resultSeverity)
                )
            )
            == 3
        )
    else:
        assert "HubDeliverable" in result.output


# -- bad input ----------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


BAD = FIXTURES / "bad"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("syntax-error.ttl", r"syntax-error\.ttl:6:5: syntax error: A dot is expected"),
        ("json-syntax-error.jsonld", r"json-syntax-error\.jsonld:5:1: JSON syntax error"),
        ("relative-iri.ttl", r"relative-iri\.ttl:2:1: syntax error"),
        ("empty.ttl", r"empty\.ttl: the file is empty$"),
        ("blank.ttl", r"blank\.ttl: the file holds no RDF statement$"),
        ("latin1.ttl", r"latin1\.ttl:2:63: not UTF-8 text \(byte 0xe9"),
        ("utf16.ttl", r"utf16\.ttl: the file is UTF-16 text: save it as UTF-8$"),
        ("remote-context.jsonld", r"remote JSON-LD @context 'https://schema\.org/.*' refused"),
        (
            "remote-scoped-context.jsonld",
            r"remote JSON-LD @context 'http://example\.org/.*' refused",
        ),
        ("import-context.jsonld", r"JSON-LD @import 'http://example\.org/remote\.jsonld' refused"),
        ("external-entity.rdf", r"RDF/XML with external or parameter entities is refused"),
        ("entity-expansion.rdf", r"RDF/XML with nested entities is refused"),
        ("dataset.trig", r"a submission is one graph, not a dataset"),
    ],
)
@pytest.mark.usefixtures("no_network")
def test_bad_input_is_one_line_and_exit_code_2(name: str, message: str) -> None:
    for command in ("validate", "submit"):
        result = CliRunner().invoke(cli, ["--memory", command, str(BAD / name)])
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("l4a: error: "), result.output
        assert re.search(message, lines[0]), lines[0]


def test_size_limit_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _invoke("validate", str(VALID), "--max-bytes", "1000")
    assert result.exit_code == 2
    assert re.search(r"valid\.ttl: \d+ bytes, over the limit of 1000 bytes", result.output)
    monkeypatch.setenv("L4A_MAX_SUBMISSION_BYTES", "1000")
    assert CliRunner().invoke(cli, ["--memory", "validate", str(VALID)]).exit_code == 2


def test_missing_file() -> None:
    result = _invoke("validate", "no-such-file.ttl")
    assert result.exit_code == 2 and "no-such-file.ttl: no such file" in result.output


def test_external_entity_expansion_over_the_limit() -> None:
    value = "x" * 1000
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY big "{value}">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="urn:x"><rdf:value>{"&big;" * 3000}</rdf:value>'
        "</rdf:Description></rdf:RDF>"
    ).encode()
    with pytest.raises(InputError, match="entities expand to 3000000 bytes"):
        parse_submission(xml, by_name("xml"), name="big.rdf")


@pytest.mark.usefixtures("no_network")
def test_the_project_context_is_resolved_locally() -> None:
    assert json.loads(context_document())["@context"]["@vocab"] == ns.L4A
    submission = read_submission(EXAMPLES[1])
    assert f'"{CONTEXT_IRI}"' in submission.data.decode()
    assert [h.value for h in submission.hubs] == [ns.ID + "hub/example-city-green-corridors"]


# -- storing: atomic, versioned, traceable ------------------------------------------


PROVENANCE = f"""
PREFIX l4a: <{ns.L4A}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?version ?current ?sha ?source ?time ?previous ?graph ?agent WHERE {{
  GRAPH <{ns.GRAPH_PROVENANCE}> {{
    ?s a l4a:Submission , prov:Entity ; l4a:submissionOf <{HUB}> ; l4a:versionNumber ?version ;
       l4a:isCurrentVersion ?current ; l4a:sha256 ?sha ; dcterms:source ?source ;
       prov:generatedAtTime ?time ; prov:atLocation ?graph ; l4a:stage 2 .
    OPTIONAL {{ ?s prov:wasRevisionOf ?previous }}
    OPTIONAL {{ ?s prov:wasAttributedTo ?who . OPTIONAL {{ ?who <{RDFS.label}> ?label }} }}
    BIND (COALESCE(?label, ?who) AS ?agent)
  }}
}} ORDER BY ?version"""


def _versions(store: EmbeddedStore) -> list[dict[str, str | None]]:
    rows = store.query(PROVENANCE)
    names = ["version", "current", "sha", "source", "time", "previous", "graph", "agent"]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in rows]  # type: ignore[union-attr]


def _snapshot(store: EmbeddedStore) -> bytes:
    out = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return b"".join(sorted(str(t).encode() for t in out))  # type: ignore[union-attr]


def test_submit_stores_versions_with_their_provenance(store_dir: Path) -> None:
    first = read_submission(VALID)
    second = parse_submission(
        VALID.read_bytes().replace(b"Harbour Town Youth Forum", b"Harbour Town Youth Forum II"),
        by_name("ttl"),
        name="second.ttl",
    )
    with KnowledgeGraph.open(store_dir) as kg:
        one = kg.submit(first, by="Harbour Region")
        two = kg.submit(second, by="mailto:intake@example.org")
    assert one.stored is not None and two.stored is not None
    assert (one.stored.version, two.stored.version) == (1, 2)
    assert two.stored.graph == submission_graph("example-harbour-youth-forum", 2)
    with KnowledgeGraph.open(store_dir, read_only=True) as kg:
        store = kg.store
        assert isinstance(store, EmbeddedStore)
        v1, v2 = _versions(store)
        # Only the current version is public; the superseded one is archived, privately.
        assert store.count(one.stored.graph) == 0
        public, restricted = split_contacts(second.quads)
        assert store.count(two.stored.graph) == len(public)
        archived = ns.archive_graph("example-harbour-youth-forum", 1)
        assert kg.private.count(archived) == len(split_contacts(first.quads)[0])
        # The contact person is stored apart, with the version it came with.
        contacts = ns.restricted_graph("example-harbour-youth-forum", 2)
        assert kg.private.count(contacts) == len(restricted) == 4
        assert not list(kg.select("SELECT * WHERE { ?s <http://www.w3.org/2006/vcard/ns#fn> ?n }"))
        title = f"<{ns.PREFIXES['dcterms']}title>"
        titles = kg.select(f"SELECT ?t {{ <{HUB}> {title} ?t FILTER(LANG(?t) = 'en') }}")
        assert [row["t"].value for row in titles] == ["Harbour Town Youth Forum II (fictional)"]
    assert (v1["version"], v1["current"], v2["current"]) == ("1", "false", "true")
    assert v1["previous"] is None and v2["previous"] == one.stored.iri
    assert (v1["sha"], v2["sha"]) == (first.sha256, second.sha256)
    assert (v1["source"], v2["source"]) == ("valid.ttl", "second.ttl")
    assert (v1["graph"], v2["graph"]) == (one.stored.graph, two.stored.graph)
    assert (v1["agent"], v2["agent"]) == ("Harbour Region", "mailto:intake@example.org")
    assert v1["time"] is not None and v1["time"].endswith("Z")


def test_a_refused_submission_changes_nothing(store_dir: Path) -> None:
    with KnowledgeGraph.open(store_dir) as kg:
        kg.load_shipped()
        kg.submit(read_submission(VALID))
        assert isinstance(kg.store, EmbeddedStore)
        before = _snapshot(kg.store)
        outcome = kg.submit(read_submission(FIXTURES / "valid-stage1.ttl"))
        assert outcome.stored is None and not outcome.report.conforms
        assert _snapshot(kg.store) == before


def test_a_failure_in_the_middle_of_the_write_leaves_nothing(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write fails after its first operations ran: the transaction is rolled back."""
    with KnowledgeGraph.open(store_dir) as kg:
        kg.submit(read_submission(VALID))
        store = kg.store
        assert isinstance(store, EmbeddedStore)
        before = _snapshot(store)
        real_update = store.update

        def failing_update(sparql: str) -> None:
            # One more operation after the submission's own: it fails because the graph
            # of version 2 exists, once the deletes and inserts before it have run.
            real_update(
                sparql + f" ; CREATE GRAPH <{submission_graph('example-harbour-youth-forum', 2)}>"
            )

        private_before = _snapshot(kg.private)  # type: ignore[arg-type]
        monkeypatch.setattr(store, "update", failing_update)
        with pytest.raises(StoreError, match="nothing was written"):
            store_submission(store, kg.private, read_submission(VALID))
        assert _snapshot(store) == before
        assert _snapshot(kg.private) == private_before  # type: ignore[arg-type]
    with KnowledgeGraph.open(store_dir, read_only=True) as kg:
        assert isinstance(kg.store, EmbeddedStore)
        assert _snapshot(kg.store) == before
        assert [v["version"] for v in _versions(kg.store)] == ["1"]


def test_submit_brings_the_inferred_graph_up_to_date() -> None:
    """valid-minimal.ttl gives target 6.5 and no goal: the reasoner adds goal 6."""
    ask = f"""ASK {{ GRAPH <{ns.GRAPH_INFERRED}> {{
        <{ns.ID}hub/example-valley-water-alliance> <{ns.L4A}addressesGoal> <{ns.SDG}6> }} }}"""
    with KnowledgeGraph() as kg:
        kg.load_shipped(reason=True)
        assert not bool(kg.query(ask))
        assert kg.submit(read_submission(FIXTURES / "valid-minimal.ttl")).stored is not None
        assert bool(kg.query(ask))


def test_cli_submit(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["submit", str(VALID), "--by", "Harbour Region"])
    assert result.exit_code == 0, result.output
    assert f"stored {HUB} as version 1" in result.output
    refused = runner.invoke(cli, ["submit", str(FIXTURES / "valid-stage1.ttl"), "--lang", "fr"])
    assert refused.exit_code == 1
    assert "Un HUB a au moins un livrable" in refused.output
    again = runner.invoke(cli, ["submit", str(EXAMPLES[1])])
    assert again.exit_code == 0 and "as version 1" in again.output


# -- the six real HUBs --------------------------------------------------------------


def _report_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "real_hubs_validation", ROOT / "scripts" / "real_hubs_validation.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_real_hubs_report_is_current() -> None:
    doc = (ROOT / "docs" / "real-hubs-validation.md").read_text(encoding="utf-8")
    assert _report_script().render() == doc, "run python scripts/real_hubs_validation.py"


def test_real_hub_gaps_are_findings(validator: SubmissionValidator) -> None:
    reports = {
        path.stem: {stage: validator.validate(read_submission(path), stage) for stage in (1, 2)}
        for path in sorted((ROOT / "data" / "hubs").glob("*.ttl"))
    }
    assert len(reports) == 6
    assert not any(r[2].conforms for r in reports.values())
    venice = reports["venice-city-solutions-2030"]
    assert {"HubLeadCount", "HubStartDate", "HubEndDate"} <= venice[1].rules
    assert "HubDeliverable" in venice[2].rules
    assert "DeliverableDueDate" in reports["bilbao-city-of-values"][2].rules
    assert "TimeFrameShort" in reports["bilbao-city-of-values"][1].rules
    assert all("HubTarget" in r[1].rules for r in reports.values())
