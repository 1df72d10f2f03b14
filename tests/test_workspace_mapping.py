"""The workspace's form -> RDF mapping and SHACL findings -> form fields (no web app)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode
from werkzeug.datastructures import MultiDict

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.queries import get_query
from l4a_graph.web.workspace.choices import Choices, load_choices
from l4a_graph.web.workspace.form import ApplicationForm, DeliverableRow, StakeholderRow
from l4a_graph.web.workspace.mapping import (
    MappingContext,
    build,
    date_literal,
    field_errors,
    prefill,
    slugify,
)

L4A = ns.L4A
HUB = ns.ID + "hub/ville-exemple"
DEFINITION = ns.ID + "lifecycle-stage/definition"
XSD = "http://www.w3.org/2001/XMLSchema#"
VCARD = "http://www.w3.org/2006/vcard/ns#"


@pytest.fixture(scope="module")
def shipped() -> Iterator[KnowledgeGraph]:
    kg = KnowledgeGraph()
    kg.load_shipped()
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def choices(shipped: KnowledgeGraph) -> Choices:
    return load_choices(shipped)


def stage1(**changes: str) -> ApplicationForm:
    form = ApplicationForm(
        text_lang="fr",
        title="Ville d'Exemple – Corridors verts",
        description="Relier les parcs par des corridors verts.",
        lead_mode="new",
        lead_name="Ville d'Exemple",
        lead_kind="LocalGovernment",
        country="FR",
        section="europe",
        territory="Exempleville",
        targets=["11.3", "11.7"],
        axes=["planet"],
        start_date="2025-01-01",
        end_date="2027-06-30",
        contact_name="Ana Martin",
        contact_email="ana@example.org",
    )
    for name, value in changes.items():
        setattr(form, name, value)
    return form


def stage2(**changes: str) -> ApplicationForm:
    form = stage1(**changes)
    form.stakeholders = [
        StakeholderRow(
            name="Université d'Exemple", kind="UniversityOrResearchCentre", role="partner"
        )
    ]
    form.deliverables = [
        DeliverableRow(title="Carte des corridors", due="2026-03-31", status="planned")
    ]
    return form


def context(choices: Choices, stage: int) -> MappingContext:
    return MappingContext(HUB, stage, DEFINITION, choices)


def triples(form: ApplicationForm, choices: Choices, stage: int = 1) -> set[tuple[str, str, str]]:
    built = build(form, context(choices, stage))
    return {
        (
            q.subject.value if isinstance(q.subject, NamedNode) else "_",
            q.predicate.value,
            q.object.value if not isinstance(q.object, BlankNode) else "_",
        )
        for q in built.submission.quads
    }


# -- the form as typed ------------------------------------------------------------------


def test_from_form_keeps_texts_and_drops_foreign_codes() -> None:
    form = ApplicationForm.from_form(
        MultiDict(
            [
                ("title", "  Green  "),
                ("text_lang", "de"),
                ("targets", "11.3"),
                ("targets", "11.3"),
                ("targets", "<script>"),
                ("axes", "planet"),
                ("axes", "Planet!"),
                ("country", "fr"),
                ("lead_kind", "Hub"),
                ("stakeholder-3-name", "B"),
                ("stakeholder-1-name", "A"),
                ("stakeholder-1-role", "partner"),
                ("deliverable-0-title", "Map"),
                ("deliverable-0-evil", "x"),
            ]
        )
    )
    assert form.title == "  Green  "  # kept as typed
    assert form.text_lang == "en"
    assert form.targets == ["11.3"]
    assert form.axes == ["planet"]
    assert form.country == ""
    assert form.lead_kind == "LocalGovernment"
    assert [r.name for r in form.stakeholders] == ["A", "B"]
    assert form.stakeholders[0].role == "partner"
    assert form.deliverables == [DeliverableRow(title="Map")]


def test_json_round_trip_keeps_everything() -> None:
    form = stage2()
    assert ApplicationForm.from_json(form.to_json()) == form


def test_blank_rows_are_dropped() -> None:
    form = stage2()
    form.stakeholders.append(StakeholderRow())
    form.deliverables.insert(0, DeliverableRow(title="  "))
    clean = form.without_blank_rows()
    assert len(clean.stakeholders) == 1 and len(clean.deliverables) == 1


@pytest.mark.parametrize(
    ("text", "datatype"),
    [
        ("2025-01-31", "date"),
        ("2025-01", "gYearMonth"),
        ("2025", "gYear"),
        ("2025-02-30", "string"),
        ("31/01/2025", "string"),
        ("1 mars 2025", "string"),
    ],
)
def test_dates_keep_their_precision_or_stay_text(text: str, datatype: str) -> None:
    literal = date_literal(text)
    assert literal is not None and literal.datatype == NamedNode(XSD + datatype)
    assert literal.value == text


def test_slugs_are_ascii() -> None:
    assert slugify("Ñuñoa – Ciudad Cuidadora", "x") == "nunoa-ciudad-cuidadora"
    assert slugify("x" * 100, "y") == "x" * 60


# -- the form as RDF --------------------------------------------------------------------


def test_stage1_mapping(choices: Choices) -> None:
    found = triples(stage1(), choices)
    lead = ns.ID + "org/ville-d-exemple"
    place = ns.ID + "place/exempleville"
    assert (HUB, ns.PREFIXES["rdf"] + "type", L4A + "Hub") in found
    assert (HUB, ns.PREFIXES["dcterms"] + "title", "Ville d'Exemple – Corridors verts") in found
    assert (HUB, L4A + "hasLead", lead) in found
    assert (lead, ns.PREFIXES["rdf"] + "type", L4A + "LocalGovernment") in found
    assert (lead, L4A + "country", ns.ID + "country/FR") in found
    assert (lead, L4A + "memberOfSection", ns.ID + "section/europe") in found
    assert (HUB, L4A + "hasTerritory", place) in found
    assert (HUB, L4A + "addressesTarget", ns.SDG + "11.7") in found
    assert (HUB, L4A + "contributesToAxis", ns.ID + "pact-axis/planet") in found
    assert (HUB, L4A + "startDate", "2025-01-01") in found
    assert (HUB, L4A + "lifecycleStage", DEFINITION) in found
    assert ("_", VCARD + "hasEmail", "mailto:ana@example.org") in found
    # Stage 1 asks nothing about stakeholders and deliverables.
    assert not any(p == L4A + "hasParticipation" for _, p, _ in found)


def test_texts_carry_the_language_chosen(choices: Choices) -> None:
    built = build(stage1(text_lang="es"), context(choices, 1))
    titles = [q.object for q in built.submission.quads if q.predicate.value.endswith("/title")]
    assert titles == [Literal("Ville d'Exemple – Corridors verts", language="es")]


def test_stage2_mapping(choices: Choices) -> None:
    found = triples(stage2(), choices, stage=2)
    org = ns.ID + "org/universite-d-exemple"
    participation = HUB + "/participation/universite-d-exemple"
    deliverable = HUB + "/deliverable/carte-des-corridors"
    assert (HUB, L4A + "hasParticipation", HUB + "/participation/ville-d-exemple") in found
    assert (participation, ns.PREFIXES["org"] + "member", org) in found
    assert (participation, ns.PREFIXES["org"] + "role", ns.ID + "role/partner") in found
    assert (org, ns.PREFIXES["rdf"] + "type", L4A + "UniversityOrResearchCentre") in found
    assert (deliverable, L4A + "dueDate", "2026-03-31") in found
    assert (deliverable, L4A + "monitoringStatus", ns.ID + "monitoring-status/planned") in found


def test_a_known_lead_is_repeated_from_the_graph(choices: Choices) -> None:
    xian = ns.ID + "org/city-of-xian"
    form = stage1(lead_mode="existing", lead_existing=xian, country="", section="")
    found = triples(form, choices)
    assert (HUB, L4A + "hasLead", xian) in found
    assert (xian, ns.PREFIXES["skos"] + "prefLabel", "City of Xi'an") in found
    assert (xian, L4A + "country", ns.ID + "country/CN") in found
    assert prefill(form, choices).country == "CN"


def test_a_new_lead_named_like_a_known_one_is_the_known_one(choices: Choices) -> None:
    found = triples(stage1(lead_name="city of bilbao"), choices)
    assert (HUB, L4A + "hasLead", ns.ID + "org/city-of-bilbao") in found


def test_a_known_place_is_reused_not_described(choices: Choices) -> None:
    found = triples(stage1(territory="Bilbao"), choices)
    assert (HUB, L4A + "hasTerritory", ns.ID + "place/bilbao") in found
    assert not any(s == ns.ID + "place/bilbao" for s, _, _ in found)


def test_complete_form_conforms_at_both_stages(shipped: KnowledgeGraph, choices: Choices) -> None:
    assert shipped.validate(build(stage1(), context(choices, 1)).submission, stage=1).conforms
    report = shipped.validate(build(stage2(), context(choices, 2)).submission, stage=2)
    assert report.conforms, report.text()


def test_search_targets_by_code_and_words(choices: Choices) -> None:
    by_code = [t.code for t in choices.targets if t.matches("11.", "fr")]
    assert "11.3" in by_code and "1.1" not in by_code
    by_words = [t.code for t in choices.targets if t.matches("urbanisation", "fr")]
    assert "11.3" in by_words
    assert [t.code for t in choices.targets if t.matches("urbanización", "es")]


# -- findings at their fields ------------------------------------------------------------

CASES = [
    # (what is wrong, stage, field, words of the French message)
    ({"end_date": "2029-12-31"}, 1, "end_date", "plus de trois ans"),
    ({"end_date": "2024-01-01"}, 1, "end_date", "postérieure à la date de début"),
    ({"start_date": "1 mars 2025"}, 1, "start_date", "date de début"),
    ({"title": ""}, 1, "title", "titre"),
    ({"description": ""}, 1, "description", "description"),
    ({"lead_name": ""}, 1, "lead_name", "chef de file"),
    ({"country": ""}, 1, "country", "pays"),
    ({"section": ""}, 1, "section", "section de CGLU"),
    ({"axes": []}, 1, "axes", "axe du Pacte"),
    ({"targets": []}, 1, "targets", "cible"),
    ({"contact_email": "ana at example"}, 2, "contact_email", "mailto"),
]


@pytest.mark.parametrize(("change", "stage", "field", "words"), CASES)
def test_findings_go_to_their_field(
    shipped: KnowledgeGraph,
    choices: Choices,
    change: dict[str, object],
    stage: int,
    field: str,
    words: str,
) -> None:
    form = stage2() if stage == 2 else stage1()
    for name, value in change.items():
        setattr(form, name, value)
    built = build(form, context(choices, stage))
    errors = field_errors(shipped.validate(built.submission, stage=stage), built.fields, "fr")
    assert not errors.conforms
    assert field in errors.by_field, (errors.by_field, errors.general)
    assert any(words.casefold() in m.text.casefold() for m in errors.at(field)), errors.at(field)
    assert not errors.general


def test_row_findings_go_to_their_row(shipped: KnowledgeGraph, choices: Choices) -> None:
    form = stage2()
    form.stakeholders.append(StakeholderRow(name="Réseau", kind="Network", role=""))
    form.deliverables.append(DeliverableRow(title="Guide", due="2031-01-01", status=""))
    built = build(form, context(choices, 2))
    errors = field_errors(shipped.validate(built.submission, stage=2), built.fields, "es")
    assert set(errors.by_field) == {
        "stakeholder-1-role",
        "deliverable-1-due",
        "deliverable-1-status",
    }
    assert "fuera del periodo del HUB" in errors.at("deliverable-1-due")[0].text


def test_missing_stakeholders_and_deliverables_at_stage_2(
    shipped: KnowledgeGraph, choices: Choices
) -> None:
    built = build(stage1(), context(choices, 2))
    errors = field_errors(shipped.validate(built.submission, stage=2), built.fields, "en")
    assert set(errors.by_field) == {"stakeholders", "deliverables"}
    assert "at least one deliverable" in errors.at("deliverables")[0].text


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "more than three years"), ("fr", "plus de trois ans"), ("es", "más de tres años")],
)
def test_messages_in_the_applicants_language(
    shipped: KnowledgeGraph, choices: Choices, lang: str, words: str
) -> None:
    built = build(stage1(end_date="2030-01-01"), context(choices, 1))
    errors = field_errors(shipped.validate(built.submission, stage=1), built.fields, lang)
    assert words in errors.at("end_date")[0].text


def test_a_short_time_frame_is_a_warning_at_the_end_date(
    shipped: KnowledgeGraph, choices: Choices
) -> None:
    built = build(stage1(end_date="2026-06-30"), context(choices, 1))
    errors = field_errors(shipped.validate(built.submission, stage=1), built.fields, "en")
    assert errors.conforms
    assert [m.severity for m in errors.at("end_date")] == ["warning"]


# -- the library question behind the coverage panel of the dashboard ---------------------------

QUERIES_FIXTURE = Path(__file__).parent / "fixtures" / "queries.ttl"


def test_section_coverage_on_the_query_fixture() -> None:
    # a (lead in europe): targets 4.1 4.2 11.1, axis people; b (africa): targets 4.x and
    # goal 11 stated, axis planet; c (europe): target 4.1. Worked out by hand.
    kg = KnowledgeGraph()
    kg.load_files([QUERIES_FIXTURE])
    query = get_query("section-coverage")
    ex, section, axis = "http://example.org/", ns.ID + "section/", ns.ID + "pact-axis/"

    def run(**params: str) -> list[tuple[str, ...]]:
        return [
            tuple(s[c].value for c in query.columns)  # type: ignore[union-attr]
            for s in kg.select(query.text, query.bindings(params))
        ]

    assert run() == [
        (section + "africa", axis + "planet", "axis", ex + "b"),
        (section + "africa", ns.SDG + "11", "goal", ex + "b"),
        (section + "africa", ns.SDG + "4", "goal", ex + "b"),
        (section + "europe", axis + "people", "axis", ex + "a"),
        (section + "europe", ns.SDG + "11", "goal", ex + "a"),
        (section + "europe", ns.SDG + "4", "goal", ex + "a"),
        (section + "europe", ns.SDG + "4", "goal", ex + "c"),
    ]
    assert run(section="section:europe", agenda="sdg:4") == [
        (section + "europe", ns.SDG + "4", "goal", ex + "a"),
        (section + "europe", ns.SDG + "4", "goal", ex + "c"),
    ]
    kg.close()


# -- the interface strings ------------------------------------------------------------------


def test_every_workspace_string_is_in_three_languages() -> None:
    from l4a_graph.web.workspace.i18n import WORKSPACE_STRINGS

    for key, texts in WORKSPACE_STRINGS.items():
        assert set(texts) == {"en", "fr", "es"}, key
        assert all(text.strip() for text in texts.values()), key


def test_templates_use_known_strings() -> None:
    import re

    from l4a_graph.web.site.i18n import STRINGS
    from l4a_graph.web.workspace.i18n import WORKSPACE_STRINGS

    folder = Path(__file__).parent.parent / "src/l4a_graph/web/workspace/templates/workspace"
    used: set[str] = set()
    for template in folder.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        # w("key") and t("key"); keys made in the template (w("state:" ~ ...)) left out
        used |= set(re.findall(r"""\b[wt]\(["']([\w:-]+)["']\s*[,)]""", text))
    assert used, "no string found: the pattern is wrong"
    assert used <= set(WORKSPACE_STRINGS) | set(STRINGS), (
        used - set(WORKSPACE_STRINGS) - set(STRINGS)
    )


def test_strings_made_in_templates_exist() -> None:
    from l4a_graph.web.workspace.i18n import WORKSPACE_STRINGS
    from l4a_graph.web.workspace.review import REVIEWABLE
    from l4a_graph.web.workspace.vocabulary import Decision, State

    made = {f"state:{s.value}" for s in State} | {f"accept:{s.value}" for s in REVIEWABLE}
    made |= {f"event:{d.value}" for d in Decision} | {"event:label", "event:submitted"}
    made |= {"submit1", "submit2", "stage1", "stage2", "violation", "warning"}
    assert made <= set(WORKSPACE_STRINGS), made - set(WORKSPACE_STRINGS)


def test_a_stakeholder_named_like_a_known_organisation_is_that_one(choices: Choices) -> None:
    form = stage2()
    form.stakeholders = [StakeholderRow(name="ikcest", role="partner")]  # case aside
    found = triples(form, choices, stage=2)
    ikcest = ns.ID + "org/ikcest"
    assert (HUB + "/participation/ikcest", ns.PREFIXES["org"] + "member", ikcest) in found
    assert any(s == ikcest and p.endswith("prefLabel") for s, p, _ in found)
