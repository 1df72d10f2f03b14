"""``sdg.ttl``: the 17 SDGs, their 169 targets and the indicators, with UN KOS IRIs.

Inputs (read at build time, never copied into the repository) are the UN SDG KOS
snapshot and the Open SDG translation files described in ``shared/data/sdg/SOURCE.md``.
The KOS gives the IRIs, the hierarchy, the exact matches and most labels; Open SDG gives
the short goal names, labels the KOS lacks, and the indicators of the 2020 comprehensive
review that the KOS snapshot predates.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from l4a_graph.errors import InputError
from l4a_graph.namespaces import ID
from l4a_graph.reference.common import (
    L4A_NS,
    LANGUAGES,
    SDGO_NS,
    ReferenceDataset,
    normalize_space,
)
from l4a_graph.reference.turtle import natural_key

KOS_FILE: Final = Path("un-sdg-kos/sdg-kos-goals-targets-indicators.ttl")
VOID_FILE: Final = Path("un-sdg-kos/void.ttl")
OPEN_SDG_DIR: Final = Path("open-sdg-translations")

SCHEME: Final = URIRef("http://metadata.un.org/sdg")
OWN_INDICATOR: Final = ID + "sdg-indicator/"
"""Namespace for indicators that have no IRI in the KOS snapshot."""

KOS_SOURCE: Final = URIRef(
    "https://github.com/UNStats/LOD4Stats/tree/0ae578bacb1f4339596f5a6a19338457e4b22ba3/sdg-data"
)
OPEN_SDG_SOURCE: Final = URIRef(
    "https://github.com/open-sdg/sdg-translations/tree/0cda585851a5c6f04040a9a2755fbb4496c4eead/translations"
)

KOS_TITLE: Final = (
    "A Knowledge Organization System for the United Nations Sustainable Development Goals"
)
CITATION: Final = (
    "Amit Joshi, Luis Gonzalez Morales, Szymon Klarman, and Aaron Helton. 2019. "
    "A Knowledge Organization System for the United Nations Sustainable Development Goals. "
    "New York, NY. http://metadata.un.org/sdg"
)
"""The citation the UN SDG KOS licence requires wherever its data is republished."""

KOS_RIGHTS: Final = (
    "The SDG Knowledge Organization System, accessible at http://metadata.un.org/sdg, is made "
    "available free of charge and may be copied freely, duplicated and further distributed with "
    "the following citation: " + CITATION
)
OPEN_SDG_CREDIT: Final = (
    "Short goal names, and the labels of indicators and languages missing from the KOS, come "
    "from Open SDG sdg-translations (titles of the UN Global Indicator Framework after the 2020 "
    "review), MIT License, Copyright (c) 2019 Open SDG."
)

GOAL_COLOURS: Final[dict[str, str]] = {
    "1": "#E5243B", "2": "#DDA63A", "3": "#4C9F38", "4": "#C5192D", "5": "#FF3A21",
    "6": "#26BDE2", "7": "#FCC30B", "8": "#A21942", "9": "#FD6925", "10": "#DD1367",
    "11": "#FD9D24", "12": "#BF8B2E", "13": "#3F7E44", "14": "#0A97D9", "15": "#56C02B",
    "16": "#00689D", "17": "#19486A",
}  # fmt: skip
"""Official goal colours of the UN SDG communication guidelines (see FACTS.md)."""

REVIEW_2020_ONLY: Final = (
    "2.2.3", "3.d.2", "4.1.2", "10.4.2", "10.7.3", "10.7.4", "13.2.2", "16.3.3",
)  # fmt: skip
"""Indicators of the 2020 review absent from the KOS snapshot (SOURCE.md); checked at build."""

KINDS: Final = {"goals": SDGO_NS.Goal, "targets": SDGO_NS.Target, "indicators": SDGO_NS.Indicator}


@dataclass
class OpenSdg:
    """The Open SDG titles: ``titles[lang][code]`` and ``shorts[lang][goal code]``."""

    titles: dict[str, dict[str, str]] = field(default_factory=dict)
    shorts: dict[str, dict[str, str]] = field(default_factory=dict)
    indicator_codes: set[str] = field(default_factory=set)


@dataclass
class Concept:
    """One goal, target or indicator as it will be written."""

    iri: URIRef
    kind: URIRef
    codes: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    broader: list[URIRef] = field(default_factory=list)
    exact: list[URIRef] = field(default_factory=list)
    alt_labels: list[Literal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_sdg(sdg_dir: Path) -> ReferenceDataset:
    """Build the SDG concept scheme from the KOS snapshot and the Open SDG files in ``sdg_dir``.

    Raises
    ------
    InputError
        If a source file is missing or does not have the expected content.
    """
    kos = _read_kos(sdg_dir)
    open_sdg = _read_open_sdg(sdg_dir)
    concepts = [_kos_concept(kos, iri, kind, open_sdg) for iri, kind in _kos_members(kos)]
    concepts += _review_2020_concepts(concepts, open_sdg)
    dataset = ReferenceDataset(
        name="sdg",
        title="Sustainable Development Goals, targets and indicators",
        sources=[
            f"UN SDG KOS, {KOS_SOURCE} ({KOS_FILE}, {VOID_FILE})",
            f"Open SDG translations, {OPEN_SDG_SOURCE} ({OPEN_SDG_DIR}/{{en,fr,es}}/global_*.yml)",
            f"Citation required by the KOS licence: {CITATION}",
            "Goal colours: UN SDG communication guidelines.",
        ],
    )
    dataset.describe(source=[KOS_SOURCE, OPEN_SDG_SOURCE], rights=[KOS_RIGHTS, OPEN_SDG_CREDIT])
    dataset.graph.add((dataset.node, DCTERMS.bibliographicCitation, Literal(CITATION)))
    _add_scheme(dataset, kos, concepts)
    for concept in concepts:
        _add_concept(dataset.graph, concept, open_sdg)
    return dataset


def _read_kos(sdg_dir: Path) -> Graph:
    """Parse the KOS and check that its licence still carries the citation we reproduce."""
    void = Graph()
    kos = Graph()
    try:
        void.parse(sdg_dir / VOID_FILE, format="turtle")
        kos.parse(sdg_dir / KOS_FILE, format="turtle")
    except (OSError, SyntaxError) as error:
        raise InputError(f"cannot read the UN SDG KOS under {sdg_dir}: {error}") from error
    licences = {str(o) for o in void.objects(None, DCTERMS.license)}
    if KOS_RIGHTS not in licences:
        raise InputError(f"{sdg_dir / VOID_FILE}: the licence text differs from the expected one")
    return kos


def _read_open_sdg(sdg_dir: Path) -> OpenSdg:
    """Read ``global_{goals,targets,indicators}.yml`` of each language into code-keyed maps."""
    result = OpenSdg()
    for lang in LANGUAGES:
        titles: dict[str, str] = {}
        shorts: dict[str, str] = {}
        for part in ("goals", "targets", "indicators"):
            path = sdg_dir / OPEN_SDG_DIR / lang / f"global_{part}.yml"
            try:
                entries = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as error:
                raise InputError(f"cannot read {path}: {error}") from error
            for key, text in entries.items():
                # Keys look like "11-title", "11-short", "11-1-title", "11-1-1-title".
                stem, _, suffix = str(key).rpartition("-")
                code = stem.replace("-", ".")
                target = shorts if suffix == "short" else titles
                target[code] = normalize_space(str(text))
                if part == "indicators":
                    result.indicator_codes.add(code)
        result.titles[lang] = titles
        result.shorts[lang] = shorts
    return result


def _kos_members(kos: Graph) -> list[tuple[URIRef, URIRef]]:
    """Every goal, target and indicator IRI of the KOS with its sdgo class."""
    members = []
    for kind in KINDS.values():
        for subject in kos.subjects(RDF.type, kind):
            if isinstance(subject, URIRef):
                members.append((subject, kind))
    return sorted(members, key=lambda member: natural_key(str(member[0])))


def _kos_concept(kos: Graph, iri: URIRef, kind: URIRef, open_sdg: OpenSdg) -> Concept:
    """Collect what we keep of one KOS concept, fixing its labels."""
    codes = sorted(
        (str(n) for n in kos.objects(iri, SKOS.notation) if _is_compact(n)), key=natural_key
    )
    if not codes:
        raise InputError(f"KOS concept {iri} has no compact notation")
    concept = Concept(
        iri=iri,
        kind=kind,
        codes=codes,
        broader=_iris(kos.objects(iri, SKOS.broader)),
        exact=_iris(kos.objects(iri, SKOS.exactMatch)),
        alt_labels=[
            Literal(normalize_space(str(o)), lang=_lang(o))
            for o in kos.objects(iri, SKOS.altLabel)
            if _lang(o) in LANGUAGES
        ],
    )
    for lang in LANGUAGES:
        raw = [str(o) for o in kos.objects(iri, SKOS.prefLabel) if _lang(o) == lang]
        reference = _open_sdg_title(open_sdg, lang, codes)
        concept.labels[lang] = _choose_label(raw, reference, iri, lang)
        note = _label_note(raw, lang)
        if note:
            concept.notes.append(note)
    return concept


def _is_compact(notation: Node) -> bool:
    return isinstance(notation, Literal) and notation.datatype == SDGO_NS.SDGCodeCompact


def _lang(term: Node) -> str | None:
    return term.language if isinstance(term, Literal) else None


def _iris(nodes: Iterable[Node]) -> list[URIRef]:
    """Sorted IRIs among ``nodes``."""
    return sorted((n for n in nodes if isinstance(n, URIRef)), key=lambda n: natural_key(str(n)))


def _open_sdg_title(open_sdg: OpenSdg, lang: str, codes: list[str]) -> str | None:
    """The Open SDG title of the first of ``codes`` that has one in ``lang``."""
    titles = open_sdg.titles[lang]
    return next((titles[code] for code in codes if code in titles), None)


def _choose_label(raw: list[str], reference: str | None, iri: URIRef, lang: str) -> str:
    """Pick the one prefLabel a concept keeps in ``lang``.

    The KOS labels win. Whitespace variants collapse into one. When real variants remain
    (the KOS has stray labels on 12.3 and rewordings on C200303 and C200304), the one
    closest to the Open SDG 2020-review title is kept; when the KOS has none, that title
    is used.
    """
    candidates = sorted({normalize_space(text) for text in raw})
    if len(candidates) == 1:
        return candidates[0]
    if reference is None:
        raise InputError(f"{iri}: no usable {lang} label in the KOS nor in Open SDG")
    if not candidates:
        return reference
    return max(candidates, key=lambda text: difflib.SequenceMatcher(None, text, reference).ratio())


def _label_note(raw: list[str], lang: str) -> str | None:
    """An editorial note saying how duplicate KOS prefLabels were resolved, if there were any."""
    if len(raw) < 2:
        return None
    if len({normalize_space(text) for text in raw}) == 1:
        return (
            f"The UN SDG KOS snapshot gives {len(raw)} {lang} prefLabels that differ only by "
            "whitespace; l4a-graph keeps one, with its whitespace normalised."
        )
    return (
        f"The UN SDG KOS snapshot gives {len(raw)} different {lang} prefLabels; l4a-graph keeps "
        "the one closest to the Open SDG 2020-review title."
    )


def _review_2020_concepts(concepts: list[Concept], open_sdg: OpenSdg) -> list[Concept]:
    """Concepts, in our namespace, for the 2020-review indicators the KOS snapshot lacks."""
    known = {code for concept in concepts for code in concept.codes}
    missing = sorted(open_sdg.indicator_codes - known, key=natural_key)
    if missing != sorted(REVIEW_2020_ONLY, key=natural_key):
        raise InputError(f"unexpected indicators missing from the KOS: {missing}")
    targets = {code: c.iri for c in concepts if c.kind == SDGO_NS.Target for code in c.codes}
    note = (
        "Indicator of the 2020 comprehensive review. The UN SDG KOS snapshot used here "
        "(LOD4Stats, 2020-05-28) has no IRI for it, so l4a-graph mints this one; its labels "
        "are the Open SDG 2020-review titles."
    )
    return [
        Concept(
            iri=URIRef(OWN_INDICATOR + code),
            kind=SDGO_NS.Indicator,
            codes=[code],
            labels={lang: open_sdg.titles[lang][code] for lang in LANGUAGES},
            broader=[targets[code.rpartition(".")[0]]],
            notes=[note],
        )
        for code in missing
    ]


def _add_scheme(dataset: ReferenceDataset, kos: Graph, concepts: list[Concept]) -> None:
    """Describe the UN KOS concept scheme, with its citation and the Open SDG credit."""
    g = dataset.graph
    g.add((SCHEME, RDF.type, SKOS.ConceptScheme))
    for label in kos.objects(SCHEME, SKOS.prefLabel):
        g.add((SCHEME, SKOS.prefLabel, label))
    g.add((SCHEME, DCTERMS.title, Literal(KOS_TITLE, lang="en")))
    g.add((SCHEME, DCTERMS.source, KOS_SOURCE))
    g.add((SCHEME, DCTERMS.source, OPEN_SDG_SOURCE))
    g.add((SCHEME, DCTERMS.bibliographicCitation, Literal(CITATION)))
    g.add((SCHEME, DCTERMS.rights, Literal(KOS_RIGHTS, lang="en")))
    g.add((SCHEME, DCTERMS.rights, Literal(OPEN_SDG_CREDIT, lang="en")))
    for concept in concepts:
        if concept.kind == SDGO_NS.Goal:
            g.add((SCHEME, SKOS.hasTopConcept, concept.iri))
            g.add((concept.iri, SKOS.topConceptOf, SCHEME))
    dataset.lead.append(SCHEME)


def _add_concept(g: Graph, concept: Concept, open_sdg: OpenSdg) -> None:
    """Write one concept; narrower links are the inverse of the broader ones."""
    iri = concept.iri
    g.add((iri, RDF.type, SKOS.Concept))
    g.add((iri, RDF.type, concept.kind))
    g.add((iri, SKOS.inScheme, SCHEME))
    for code in concept.codes:
        g.add((iri, SKOS.notation, Literal(code)))
    for lang, text in concept.labels.items():
        g.add((iri, SKOS.prefLabel, Literal(text, lang=lang)))
    for parent in concept.broader:
        g.add((iri, SKOS.broader, parent))
        g.add((parent, SKOS.narrower, iri))
    for match in concept.exact:
        g.add((iri, SKOS.exactMatch, match))
    for alt in concept.alt_labels:
        g.add((iri, SKOS.altLabel, alt))
    for note in concept.notes:
        g.add((iri, SKOS.editorialNote, Literal(note, lang="en")))
    if concept.kind == SDGO_NS.Goal:
        _add_goal_extras(g, concept, open_sdg)
    if str(iri).startswith(OWN_INDICATOR):
        g.add((iri, DCTERMS.source, OPEN_SDG_SOURCE))


def _add_goal_extras(g: Graph, concept: Concept, open_sdg: OpenSdg) -> None:
    """Short names (Open SDG) as altLabels, and the official colour."""
    code = concept.codes[0]
    for lang in LANGUAGES:
        g.add((concept.iri, SKOS.altLabel, Literal(open_sdg.shorts[lang][code], lang=lang)))
    g.add((concept.iri, L4A_NS.colour, Literal(GOAL_COLOURS[code])))
