"""From the form to RDF, and from the SHACL report back to the form's fields.

:func:`build` turns an :class:`~l4a_graph.web.workspace.form.ApplicationForm` into a
:class:`~l4a_graph.validator.intake.Submission`: the triples a file submission would
hold, serialized to Turtle and read back through the same intake
(:func:`~l4a_graph.validator.intake.parse_submission`), so the form is checked by the
same shapes, through :meth:`~l4a_graph.knowledge_graph.KnowledgeGraph.validate`, as any
file. While it writes the triples, it notes which field each (node, property) came
from; :func:`field_errors` uses that index to put each finding of the report next to
the field it concerns, in the applicant's language. Nothing here knows the rules: a
rule changed in ``shapes/`` changes the form's errors too.

No Flask and no store access here: what the graph knows comes in as
:class:`~l4a_graph.web.workspace.choices.Choices`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from l4a_graph import namespaces as ns
from l4a_graph.formats import by_name
from l4a_graph.validator.intake import Submission, parse_submission
from l4a_graph.validator.report import Report, Severity
from l4a_graph.web.workspace.choices import Choices, Org, fold
from l4a_graph.web.workspace.form import ApplicationForm

__all__ = [
    "Built",
    "FieldErrors",
    "FieldIndex",
    "MappingContext",
    "Message",
    "build",
    "date_literal",
    "field_errors",
    "slugify",
]

P = ns.PREFIXES
L4A = ns.L4A
RDF_TYPE: Final = NamedNode(P["rdf"] + "type")
XSD: Final = P["xsd"]
VCARD: Final = "http://www.w3.org/2006/vcard/ns#"
DCAT_CONTACT: Final = NamedNode("http://www.w3.org/ns/dcat#contactPoint")
UCLG: Final = NamedNode(ns.ID + "org/uclg")

TITLE: Final = NamedNode(P["dcterms"] + "title")
DESCRIPTION: Final = NamedNode(P["dcterms"] + "description")
PREF_LABEL: Final = NamedNode(P["skos"] + "prefLabel")
MEMBER: Final = NamedNode(P["org"] + "member")
ORGANIZATION: Final = NamedNode(P["org"] + "organization")
ROLE: Final = NamedNode(P["org"] + "role")

TURTLE_PREFIXES: Final = {
    k: P[k] for k in ("l4a", "dcterms", "skos", "org", "xsd", "prov", "sdg", "hub", "lorg", "place")
} | {"vcard": VCARD, "country": ns.ID + "country/", "section": ns.ID + "section/"}

_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_MONTH: Final = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR: Final = re.compile(r"^\d{4}$")
_EMAIL: Final = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")

FieldIndex = Mapping[tuple[str, str | None], str]
"""(focus node IRI, property IRI or None) -> the form field it came from."""


def l4a(name: str) -> NamedNode:
    """The term ``l4a:<name>``."""
    return NamedNode(L4A + name)


@dataclass(frozen=True)
class MappingContext:
    """What the mapping needs besides the form.

    Parameters
    ----------
    hub
        The HUB's IRI (assigned once per application, see :func:`hub_iri_for`).
    stage
        1: the eligibility questions only; 2: stakeholders and deliverables too.
    lifecycle
        The HUB's lifecycle stage concept, set by the workflow, never typed.
    choices
        What the graph knows: organisations, places, targets...
    award_date
        At the final acceptance: the date the label is awarded.
    """

    hub: str
    stage: int
    lifecycle: str
    choices: Choices
    award_date: date | None = None


@dataclass(frozen=True)
class Built:
    """A form as RDF: the submission and where each of its statements came from."""

    submission: Submission
    fields: FieldIndex
    hub: str
    lead: str | None


def slugify(text: str, fallback: str, limit: int = 60) -> str:
    """A slug for an IRI: lower-case ASCII letters, digits and hyphens.

    Examples
    --------
    >>> slugify("Ville d'Exemple – Corridors verts", "x")
    'ville-d-exemple-corridors-verts'
    >>> slugify("!!!", "hub-1")
    'hub-1'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    return slug or fallback


def date_literal(text: str) -> Literal | None:
    """The RDF literal for a date as typed: ``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear``.

    Anything else stays a plain string, so that the shapes (not this code) say what is
    wrong with it; an empty text gives no literal at all.

    Examples
    --------
    >>> date_literal("2025-01-31").datatype.value.rsplit("#")[1]
    'date'
    >>> date_literal("2025-02-30").datatype.value.rsplit("#")[1], date_literal(" ")
    ('string', None)
    """
    text = text.strip()
    if not text:
        return None
    if _DATE.match(text):
        try:
            date.fromisoformat(text)
        except ValueError:
            return Literal(text)
        return Literal(text, datatype=NamedNode(XSD + "date"))
    if _YEAR_MONTH.match(text):
        return Literal(text, datatype=NamedNode(XSD + "gYearMonth"))
    if _YEAR.match(text):
        return Literal(text, datatype=NamedNode(XSD + "gYear"))
    return Literal(text)


class _Builder:
    """Collects the triples and the field index while the form is mapped."""

    def __init__(self) -> None:
        self.triples: list[Triple] = []
        self.fields: dict[tuple[str, str | None], str] = {}
        self.taken: set[str] = set()

    def add(
        self, s: NamedNode | BlankNode, p: NamedNode, o: NamedNode | BlankNode | Literal
    ) -> None:
        self.triples.append(Triple(s, p, o))

    def text(self, s: NamedNode, p: NamedNode, value: str, lang: str) -> None:
        if value.strip():
            self.add(s, p, Literal(value.strip(), language=lang))

    def note(self, node: NamedNode, path: NamedNode | None, name: str) -> None:
        self.fields.setdefault((node.value, path.value if path else None), name)

    def note_path(self, path: NamedNode, name: str) -> None:
        """Findings on ``path`` go to field ``name`` whatever their node (a blank node)."""
        self.fields.setdefault(("", path.value), name)

    def unique(self, base: str, slug: str, known: Iterable[str] = ()) -> NamedNode:
        """``base + slug``, with ``-2``, ``-3``... if that IRI is known or already used."""
        used = self.taken | set(known)
        iri, n = base + slug, 1
        while iri in used:
            n += 1
            iri = f"{base}{slug}-{n}"
        self.taken.add(iri)
        return NamedNode(iri)


def build(form: ApplicationForm, ctx: MappingContext, *, name: str = "application") -> Built:
    """The submission the form describes, and the index of fields.

    Raises
    ------
    InputError
        Never for what a person types (wrong values become findings of the shapes); only
        if the produced Turtle could not be read back, which would be a bug.
    """
    b = _Builder()
    lang = form.text_lang
    hub = NamedNode(ctx.hub)
    b.taken.add(ctx.hub)
    b.add(hub, RDF_TYPE, l4a("Hub"))
    b.text(hub, TITLE, form.title, lang)
    b.note(hub, TITLE, "title")
    b.text(hub, DESCRIPTION, form.description, lang)
    b.note(hub, DESCRIPTION, "description")
    if any(c.iri == form.call for c in ctx.choices.calls):
        b.add(hub, l4a("respondsToCall"), NamedNode(form.call))
    b.note(hub, l4a("respondsToCall"), "call")
    place = _territory(b, form, ctx.choices)
    if place is not None:
        b.add(hub, l4a("hasTerritory"), place)
    b.note(hub, l4a("hasTerritory"), "territory")
    lead = _lead(b, form, ctx.choices, hub, place)
    for code in form.targets:
        b.add(hub, l4a("addressesTarget"), NamedNode(ns.SDG + code))
    b.note(hub, l4a("addressesTarget"), "targets")
    b.note(hub, l4a("addressesGoal"), "targets")
    for slug in form.axes:
        b.add(hub, l4a("contributesToAxis"), NamedNode(ns.ID + "pact-axis/" + slug))
    b.note(hub, l4a("contributesToAxis"), "axes")
    for prop, value, field_name in (
        ("startDate", form.start_date, "start_date"),
        ("endDate", form.end_date, "end_date"),
    ):
        literal = date_literal(value)
        if literal is not None:
            b.add(hub, l4a(prop), literal)
        b.note(hub, l4a(prop), field_name)
    b.add(hub, l4a("lifecycleStage"), NamedNode(ctx.lifecycle))
    _contact(b, form, hub)
    if ctx.stage >= 2:
        if lead is not None:
            _participation(b, hub, lead, NamedNode(ns.ID + "role/lead"), None)
        _stakeholders(b, form, ctx.choices, hub, lead)
        _deliverables(b, form, hub)
    if ctx.award_date is not None:
        award = NamedNode(ctx.hub + "/label-award")
        b.add(hub, l4a("hasLabelAward"), award)
        b.add(award, RDF_TYPE, l4a("LabelAward"))
        b.add(
            award,
            l4a("awardDate"),
            Literal(ctx.award_date.isoformat(), datatype=NamedNode(XSD + "date")),
        )
        b.add(award, NamedNode(P["prov"] + "wasAssociatedWith"), UCLG)
    data = serialize(_grouped(b.triples), format=RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)
    assert data is not None, "serialize returns bytes when given no output"
    submission = parse_submission(data, by_name("ttl"), name=name)
    return Built(submission, dict(b.fields), ctx.hub, lead.value if lead else None)


def _grouped(triples: list[Triple]) -> list[Triple]:
    """The triples grouped by subject (in order of first appearance), for readable Turtle."""
    first: dict[object, int] = {}
    for triple in triples:
        first.setdefault(triple.subject, len(first))
    return sorted(triples, key=lambda t: first[t.subject])


def _lead(
    b: _Builder, form: ApplicationForm, choices: Choices, hub: NamedNode, place: NamedNode | None
) -> NamedNode | None:
    """The lead: a known LRG chosen or named, or a new one described from the form."""
    known: Org | None = None
    if form.lead_mode == "existing":
        known = choices.orgs.get(form.lead_existing)
        b.note(hub, l4a("hasLead"), "lead_existing")
        name_field = "lead_existing"
    else:
        named = choices.org_named(form.lead_name)
        known = named if named is not None and named.is_lrg else None
        b.note(hub, l4a("hasLead"), "lead_kind" if form.lead_name.strip() else "lead_name")
        name_field = "lead_name"
    if known is not None:
        lead = NamedNode(known.iri)
        _describe_known(b, known)
    elif form.lead_mode == "new" and form.lead_name.strip():
        slug = slugify(form.lead_name, "lead")
        lead = b.unique(ns.ID + "org/", slug, choices.orgs)
        b.add(lead, RDF_TYPE, l4a(form.lead_kind))
        b.text(lead, PREF_LABEL, form.lead_name, form.text_lang)
        if place is not None:
            b.add(lead, l4a("hasTerritory"), place)
    else:
        return None
    b.taken.add(lead.value)
    b.add(hub, l4a("hasLead"), lead)
    b.note(lead, None, name_field)
    b.note(lead, PREF_LABEL, name_field)
    country = form.country or (known.country.rsplit("/", 1)[-1] if known and known.country else "")
    if country:
        b.add(lead, l4a("country"), NamedNode(ns.ID + "country/" + country))
    b.note(lead, l4a("country"), "country")
    section = form.section or (known.section.rsplit("/", 1)[-1] if known and known.section else "")
    if section:
        b.add(lead, l4a("memberOfSection"), NamedNode(ns.ID + "section/" + section))
    b.note(lead, l4a("memberOfSection"), "section")
    return lead


def _describe_known(b: _Builder, org: Org) -> None:
    """Repeat what the graph says of a known organisation that the shapes need."""
    node = NamedNode(org.iri)
    for kind in org.types:
        b.add(node, RDF_TYPE, NamedNode(kind))
    for lang, label in org.labels.items():
        b.add(node, PREF_LABEL, Literal(label, language=lang) if lang else Literal(label))
    b.taken.add(org.iri)


def _territory(b: _Builder, form: ApplicationForm, choices: Choices) -> NamedNode | None:
    """The HUB's city or region: a known place of that name, or a new one."""
    name = form.territory.strip()
    if not name:
        return None
    known = choices.place_named(name)
    if known is not None:
        place = NamedNode(known.iri)
    else:
        place = b.unique(ns.ID + "place/", slugify(name, "place"), (p.iri for p in choices.places))
        b.add(place, RDF_TYPE, l4a(form.territory_kind))
        b.text(place, PREF_LABEL, name, form.text_lang)
        if form.country:
            b.add(place, l4a("country"), NamedNode(ns.ID + "country/" + form.country))
    b.note(place, None, "territory")
    b.note(place, PREF_LABEL, "territory")
    return place


def _contact(b: _Builder, form: ApplicationForm, hub: NamedNode) -> None:
    """The contact person, as a vCard: it goes to the restricted graph when stored.

    An e-mail that does not look like one stays text, for the shapes to report.
    """
    name, email = form.contact_name.strip(), form.contact_email.strip()
    fn, has_email = NamedNode(VCARD + "fn"), NamedNode(VCARD + "hasEmail")
    b.note_path(fn, "contact_name")
    b.note_path(has_email, "contact_email")
    if not (name or email):
        return
    contact = BlankNode()
    b.add(hub, DCAT_CONTACT, contact)
    b.add(contact, RDF_TYPE, NamedNode(VCARD + "Individual"))
    if name:
        b.add(contact, fn, Literal(name))
    if email:
        b.add(contact, has_email, _email(email))


def _email(text: str) -> NamedNode | Literal:
    if _EMAIL.match(text):
        try:
            return NamedNode("mailto:" + text)
        except ValueError:
            pass
    return Literal(text)


def _participation(
    b: _Builder, hub: NamedNode, org: NamedNode | None, role: NamedNode | None, slug: str | None
) -> NamedNode:
    base = hub.value + "/participation/"
    if slug is None:
        slug = org.value.rsplit("/", 1)[-1] if org is not None else "member"
    participation = b.unique(base, slug)
    b.add(hub, l4a("hasParticipation"), participation)
    b.add(participation, RDF_TYPE, l4a("Participation"))
    b.add(participation, ORGANIZATION, hub)
    if org is not None:
        b.add(participation, MEMBER, org)
    if role is not None:
        b.add(participation, ROLE, role)
    return participation


def _stakeholders(
    b: _Builder, form: ApplicationForm, choices: Choices, hub: NamedNode, lead: NamedNode | None
) -> None:
    b.note(hub, l4a("hasParticipation"), "stakeholders")
    b.note(hub, l4a("hasStakeholder"), "stakeholders")
    for i, row in enumerate(form.stakeholders):
        if row.is_blank():
            continue
        name_field, role_field = f"stakeholder-{i}-name", f"stakeholder-{i}-role"
        known = choices.orgs.get(row.existing) or choices.org_named(row.name)
        org: NamedNode | None
        if known is not None:
            org = NamedNode(known.iri)
            if known.iri != (lead.value if lead else None):
                _describe_known(b, known)
        elif row.name.strip():
            org = b.unique(ns.ID + "org/", slugify(row.name, f"org-{i + 1}"), choices.orgs)
            b.add(org, RDF_TYPE, l4a(row.kind or "Stakeholder"))
            b.text(org, PREF_LABEL, row.name, form.text_lang)
        else:
            org = None
        role = NamedNode(ns.ID + "role/" + row.role) if row.role else None
        slug = None if org is not None else f"member-{i + 1}"
        participation = _participation(b, hub, org, role, slug)
        b.note(participation, None, name_field)
        b.note(participation, MEMBER, name_field)
        b.note(participation, ROLE, role_field)
        if org is not None:
            b.note(org, None, name_field)
            b.note(org, PREF_LABEL, name_field)


def _deliverables(b: _Builder, form: ApplicationForm, hub: NamedNode) -> None:
    b.note(hub, l4a("hasDeliverable"), "deliverables")
    base = hub.value + "/deliverable/"
    for i, row in enumerate(form.deliverables):
        if row.is_blank():
            continue
        node = b.unique(base, slugify(row.title, f"deliverable-{i + 1}"))
        b.add(hub, l4a("hasDeliverable"), node)
        b.add(node, RDF_TYPE, l4a("Deliverable"))
        b.text(node, TITLE, row.title, form.text_lang)
        due = date_literal(row.due)
        if due is not None:
            b.add(node, l4a("dueDate"), due)
        if row.status:
            b.add(
                node, l4a("monitoringStatus"), NamedNode(ns.ID + "monitoring-status/" + row.status)
            )
        for path, suffix in (
            (None, "title"),
            (TITLE, "title"),
            (l4a("dueDate"), "due"),
            (l4a("monitoringStatus"), "status"),
        ):
            b.note(node, path, f"deliverable-{i}-{suffix}")


# -- from the report to the fields ----------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One message to show: ``violation`` or ``warning``, in the applicant's language."""

    severity: str
    text: str


@dataclass
class FieldErrors:
    """The findings of a validation, placed at the fields of the form."""

    by_field: dict[str, list[Message]] = field(default_factory=dict)
    general: list[Message] = field(default_factory=list)
    checked: bool = False
    """Whether a validation ran (an empty result then means "no finding")."""
    conforms: bool = True

    def at(self, name: str) -> list[Message]:
        """The messages of field ``name``."""
        return self.by_field.get(name, [])

    def prefixed(self, prefix: str) -> bool:
        """Whether a field whose name starts with ``prefix`` has a message."""
        return any(name.startswith(prefix) for name in self.by_field)

    @property
    def count(self) -> int:
        """How many messages there are, at fields and in general."""
        return sum(len(v) for v in self.by_field.values()) + len(self.general)


def field_errors(report: Report, fields: FieldIndex, lang: str) -> FieldErrors:
    """Place each finding of ``report`` at its field, with its message in ``lang``.

    A finding goes to the field noted for its (focus node, path), else to the one noted
    for its focus node, else to the one noted for its path alone (blank nodes, such as
    the contact's vCard, have no stable name), else to the form as a whole. The same
    message is shown once per field (SHACL may report one problem under two constraints).
    """
    errors = FieldErrors(checked=True, conforms=report.conforms)
    for finding in report.findings:
        node = str(finding.node)
        path = str(finding.path) if finding.path is not None else None
        name = (
            fields.get((node, path))
            or fields.get((node, None))
            or (fields.get(("", path)) if path is not None else None)
        )
        severity = "violation" if finding.severity is Severity.VIOLATION else "warning"
        message = Message(severity, finding.message(lang))
        target = errors.general if name is None else errors.by_field.setdefault(name, [])
        if message not in target:
            target.append(message)
    return errors


def prefill(form: ApplicationForm, choices: Choices) -> ApplicationForm:
    """``form`` with the country and section of a chosen known lead filled in when empty.

    What the graph already knows is shown to the applicant rather than asked again; a
    value the applicant chose is never replaced.
    """
    known = choices.orgs.get(form.lead_existing) if form.lead_mode == "existing" else None
    if known is None:
        return form
    filled = ApplicationForm.from_json(form.to_json())
    if not filled.country and known.country:
        filled.country = known.country.rsplit("/", 1)[-1]
    if not filled.section and known.section:
        filled.section = known.section.rsplit("/", 1)[-1]
    return filled
