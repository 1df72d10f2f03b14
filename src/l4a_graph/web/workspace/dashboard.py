"""The monitoring dashboard: every number comes from a question of the query library.

HUBs per lifecycle stage (``hubs-by-stage``), deliverables overdue or due soon
(``deliverables-due``), HUBs ending soon (``hubs-ending-soon``) and the coverage of
SDG goals and Pact axes per UCLG section (``section-coverage``) are run over the public
graph with the library's own text and parameters, so each number can link to the query
that produced it (the site's query page opens a library question with its parameters).
The applications in the workspace, per state, are counted in the private store and
link to the review queue instead: they are not public.

No Flask here: links are made by a function the caller passes.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from pyoxigraph import Literal

from l4a_graph.knowledge_graph import KnowledgeGraph
from l4a_graph.queries import NamedQuery
from l4a_graph.web.site.i18n import pick
from l4a_graph.web.workspace.choices import Choice, Choices
from l4a_graph.web.workspace.storage import WorkspaceStore
from l4a_graph.web.workspace.vocabulary import State

__all__ = [
    "DEFAULT_DAYS",
    "DEFAULT_MONTHS",
    "Count",
    "Dashboard",
    "Linker",
    "SectionRow",
    "build_dashboard",
    "csv_tables",
    "pipeline",
    "to_csv",
]

DEFAULT_DAYS: Final = 30
"""Deliverables due within this many days count as due soon."""
DEFAULT_MONTHS: Final = 6
"""HUBs ending within this many months count as ending soon."""

Linker = Callable[[str, Mapping[str, str]], str]
"""Makes the link to library question ``name`` with parameters (text by name)."""

_LABELS: Final = """
SELECT ?x ?label WHERE { VALUES ?x { %s } ?x dcterms:title|skos:prefLabel ?label }"""


@dataclass(frozen=True)
class Count:
    """A number on the dashboard, with what it counts and the query behind it."""

    key: str
    label: str
    value: int
    href: str
    colour: str = ""


@dataclass(frozen=True)
class Item:
    """A row of a list on the dashboard (a deliverable, a HUB ending soon)."""

    hub: str
    hub_label: str
    label: str
    date: str
    state: str


@dataclass(frozen=True)
class SectionRow:
    """A UCLG section with its HUBs per SDG goal and per Pact axis."""

    section: Count
    goals: list[Count]
    axes: list[Count]


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard page and its CSV exports show."""

    stages: list[Count]
    pipeline: list[Count]
    overdue: Count
    due_soon: Count
    deliverables: list[Item]
    ending: Count
    ending_hubs: list[Item]
    coverage: list[SectionRow]
    goals: list[Choice]
    axes: list[Choice]
    days: int
    months: int

    @property
    def max_stage(self) -> int:
        """The largest count of HUBs at one stage (at least 1, for drawing)."""
        return max([c.value for c in self.stages] + [1])

    @property
    def max_pipeline(self) -> int:
        """The largest count of applications in one state (at least 1)."""
        return max([c.value for c in self.pipeline] + [1])

    @property
    def max_coverage(self) -> int:
        """The largest cell of the coverage table (at least 1)."""
        return max([c.value for row in self.coverage for c in row.goals + row.axes] + [1])


def _run(kg: KnowledgeGraph, query: NamedQuery, params: Mapping[str, str]) -> list[dict[str, str]]:
    rows = []
    for solution in kg.select(query.text, query.bindings(params)):
        row = {}
        for column in query.columns:
            term = solution[column]
            if term is not None:
                row[column] = term.value
        rows.append(row)
    return rows


def _labels(kg: KnowledgeGraph, iris: Iterable[str], lang: str) -> dict[str, str]:
    found: dict[str, dict[str, str]] = defaultdict(dict)
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    for row in kg.select(_LABELS % " ".join(f"<{i}>" for i in wanted)):
        label = row["label"]
        if isinstance(label, Literal):
            found[row["x"].value].setdefault(label.language or "", label.value)
    return {iri: pick(found[iri], lang) or iri.rsplit("/", 1)[-1] for iri in wanted}


def build_dashboard(
    kg: KnowledgeGraph,
    library: Mapping[str, NamedQuery],
    choices: Choices,
    lang: str,
    link: Linker,
    *,
    not_stated: str,
    no_section: str,
    days: int = DEFAULT_DAYS,
    months: int = DEFAULT_MONTHS,
) -> Dashboard:
    """Run the library's questions over the public graph and count, for ``lang``.

    The result depends only on the public data and the day, so it can be kept for a data
    generation; the applications (private, changing without a new generation) are
    counted apart, by :func:`pipeline`.

    Parameters
    ----------
    library
        The query library (:func:`~l4a_graph.queries.load_library`).
    link
        The link to a library question with parameters.
    not_stated, no_section
        What to call a missing lifecycle stage, a missing section.
    """
    by_stage: dict[str, set[str]] = defaultdict(set)
    for row in _run(kg, library["hubs-by-stage"], {}):
        by_stage[row.get("lifecycleStage", "")].add(row["hub"])
    stages = [
        Count(
            s.iri,
            s.label(lang),
            len(by_stage.get(s.iri, ())),
            link("hubs-by-stage", {"stage": s.iri}),
        )
        for s in choices.sorted(choices.stages, lang)
    ]
    if by_stage.get(""):
        stages.append(Count("", not_stated, len(by_stage[""]), link("hubs-by-stage", {})))

    due_params = {"days": str(days)}
    due = _run(kg, library["deliverables-due"], due_params)
    ending_params = {"months": str(months)}
    ending_rows = _run(kg, library["hubs-ending-soon"], ending_params)
    hub_labels = _labels(kg, [r["hub"] for r in due + ending_rows], lang)
    deliverables = [
        Item(
            r["hub"],
            hub_labels[r["hub"]],
            r.get("title", r["deliverable"]),
            r["dueDate"],
            r["state"],
        )
        for r in due
    ]
    overdue = sum(item.state == "overdue" for item in deliverables)
    due_link = link("deliverables-due", due_params)

    coverage = _coverage(kg, library["section-coverage"], choices, lang, link, no_section)
    return Dashboard(
        stages=stages,
        pipeline=[],
        overdue=Count("overdue", "overdue", overdue, due_link),
        due_soon=Count("due soon", "due soon", len(deliverables) - overdue, due_link),
        deliverables=deliverables,
        ending=Count("ending", "ending", len(ending_rows), link("hubs-ending-soon", ending_params)),
        ending_hubs=[
            Item(r["hub"], hub_labels[r["hub"]], "", r["endDate"], "") for r in ending_rows
        ],
        coverage=coverage,
        goals=choices.goals,
        axes=choices.sorted(choices.axes, lang),
        days=days,
        months=months,
    )


def pipeline(
    store: WorkspaceStore, queue_link: Callable[[State], str], labels: Mapping[State, str]
) -> list[Count]:
    """The applications in each workflow state, linking to the review queue.

    Parameters
    ----------
    queue_link
        The link to the part of the review queue that lists a state.
    labels
        The name of each state in the page's language.
    """
    counts = store.counts()
    return [Count(s.value, labels[s], counts[s], queue_link(s)) for s in State]


def _coverage(
    kg: KnowledgeGraph,
    query: NamedQuery,
    choices: Choices,
    lang: str,
    link: Linker,
    not_stated: str,
) -> list[SectionRow]:
    hubs: dict[tuple[str, str], set[str]] = defaultdict(set)
    per_section: dict[str, set[str]] = defaultdict(set)
    for row in _run(kg, query, {}):
        section = row.get("leadSection", "")
        hubs[(section, row["agenda"])].add(row["hub"])
        per_section[section].add(row["hub"])
    sections = [(s.iri, s.label(lang)) for s in choices.sorted(choices.sections, lang)]
    if per_section.get(""):
        sections.append(("", not_stated))
    rows = []
    for iri, label in sections:
        params = {"section": iri} if iri else {}
        rows.append(
            SectionRow(
                Count(iri, label, len(per_section.get(iri, ())), link("section-coverage", params)),
                [
                    _cell(hubs, iri, params, g, lang, link, choices.goal_colours.get(g.key, ""))
                    for g in choices.goals
                ],
                [
                    _cell(hubs, iri, params, a, lang, link)
                    for a in choices.sorted(choices.axes, lang)
                ],
            )
        )
    return rows


def _cell(
    hubs: Mapping[tuple[str, str], set[str]],
    section: str,
    params: Mapping[str, str],
    agenda: Choice,
    lang: str,
    link: Linker,
    colour: str = "",
) -> Count:
    """One cell of the coverage table: the HUBs of ``section`` for one goal or axis."""
    return Count(
        agenda.iri,
        agenda.label(lang),
        len(hubs.get((section, agenda.iri), ())),
        link("section-coverage", {**params, "agenda": agenda.iri}),
        colour,
    )


def csv_tables(dashboard: Dashboard) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The dashboard's tables for export: name -> (header, rows)."""
    goal_names = [f"SDG {g.key}" for g in dashboard.goals]
    axis_names = [a.key for a in dashboard.axes]
    return {
        "stages": (
            ["stage", "label", "hubs"],
            [[c.key, c.label, str(c.value)] for c in dashboard.stages],
        ),
        "pipeline": (
            ["state", "label", "applications"],
            [[c.key, c.label, str(c.value)] for c in dashboard.pipeline],
        ),
        "deliverables": (
            ["hub", "hub_title", "deliverable", "due", "state"],
            [[i.hub, i.hub_label, i.label, i.date, i.state] for i in dashboard.deliverables],
        ),
        "ending": (
            ["hub", "hub_title", "end"],
            [[i.hub, i.hub_label, i.date] for i in dashboard.ending_hubs],
        ),
        "coverage": (
            ["section", "label", "hubs", *goal_names, *axis_names],
            [
                [r.section.key, r.section.label, str(r.section.value)]
                + [str(c.value) for c in r.goals + r.axes]
                for r in dashboard.coverage
            ],
        ),
    }


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    """RFC 4180 CSV text (CRLF line ends), a header row first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
