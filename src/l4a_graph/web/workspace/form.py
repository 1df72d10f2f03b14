"""The application form as plain values: what the applicant typed, nothing lost.

:class:`ApplicationForm` holds the answers exactly as typed (strings, lists of codes,
rows of stakeholders and deliverables), so a draft, or a form that failed validation,
comes back as it was. It is read from an HTML form (:meth:`ApplicationForm.from_form`)
and stored as JSON (:meth:`ApplicationForm.to_json`). No Flask and no RDF here: the
mapping to RDF is :mod:`l4a_graph.web.workspace.mapping`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Final, Protocol, Self, TypeVar

__all__ = [
    "LEAD_KINDS",
    "MAX_ROWS",
    "STAKEHOLDER_KINDS",
    "ApplicationForm",
    "DeliverableRow",
    "FormData",
    "StakeholderRow",
]

MAX_ROWS: Final = 50
"""Most stakeholders (and deliverables) a form keeps."""
MAX_TEXT: Final = 300
"""Longest one-line answer kept, in characters."""
MAX_LONG_TEXT: Final = 10_000
"""Longest description kept, in characters."""

LEAD_KINDS: Final = ("LocalGovernment", "RegionalGovernment", "LRGAssociation")
"""Classes (local names in ``l4a:``) a lead may have: a HUB is locally driven."""
STAKEHOLDER_KINDS: Final = (
    *LEAD_KINDS,
    "UniversityOrResearchCentre",
    "CivilSocietyOrganisation",
    "PrivateSectorOrganisation",
    "InternationalOrganisation",
    "Network",
)
"""Classes (local names in ``l4a:``) a stakeholder may have."""

_ROW: Final = re.compile(r"^(stakeholder|deliverable)-(\d{1,3})-(\w+)$")
_TARGET: Final = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}$")
_SLUG: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO2: Final = re.compile(r"^[A-Z]{2}$")


class FormData(Protocol):
    """What :meth:`ApplicationForm.from_form` reads: werkzeug's ``MultiDict`` will do."""

    def get(self, key: str) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...

    def __iter__(self) -> Iterator[str]: ...


@dataclass
class StakeholderRow:
    """One organisation taking part in the HUB besides its lead (stage 2)."""

    existing: str = ""
    """IRI of an organisation the graph knows, or empty for a new one."""
    name: str = ""
    kind: str = ""
    """A class of :data:`STAKEHOLDER_KINDS`, or empty."""
    role: str = ""
    """A role concept's slug: ``partner``, ``supporter`` (or ``lead``)."""

    def is_blank(self) -> bool:
        """True when nothing was typed or chosen in the row."""
        return not (self.existing or self.name.strip() or self.kind or self.role)


@dataclass
class DeliverableRow:
    """One fixed deliverable through which the HUB is monitored (stage 2)."""

    title: str = ""
    due: str = ""
    """The due date as typed (an ISO date is expected)."""
    status: str = ""
    """A monitoring status concept's slug (``planned``...)."""

    def is_blank(self) -> bool:
        """True when nothing was typed or chosen in the row."""
        return not (self.title.strip() or self.due.strip() or self.status)


@dataclass
class ApplicationForm:
    """Every answer of the application form, as typed.

    Stage 1 (eligibility) asks for the texts, the lead, the territory, the agendas and
    the time frame; stage 2 adds the stakeholders and the deliverables.
    """

    text_lang: str = "en"
    """Language of the texts typed (en, fr or es): their RDF language tag."""
    title: str = ""
    description: str = ""
    lead_mode: str = "existing"
    """``existing`` (one of the LRGs the graph knows) or ``new``."""
    lead_existing: str = ""
    lead_name: str = ""
    lead_kind: str = "LocalGovernment"
    country: str = ""
    """ISO 3166-1 alpha-2 code of the lead's country."""
    section: str = ""
    """Slug of the lead's UCLG section."""
    territory: str = ""
    """Name of the city or region the HUB is based in."""
    territory_kind: str = "City"
    call: str = ""
    """IRI of the call for proposals answered, or empty."""
    targets: list[str] = field(default_factory=list)
    """SDG target codes (``11.3``)."""
    axes: list[str] = field(default_factory=list)
    """Pact axis slugs (``people``, ``planet``, ``government``)."""
    start_date: str = ""
    end_date: str = ""
    contact_name: str = ""
    contact_email: str = ""
    stakeholders: list[StakeholderRow] = field(default_factory=list)
    deliverables: list[DeliverableRow] = field(default_factory=list)

    # -- reading ---------------------------------------------------------------------

    @classmethod
    def from_form(cls, data: FormData, *, languages: Iterable[str] = ("en", "fr", "es")) -> Self:
        """The answers of a submitted HTML form (unknown keys are ignored).

        Texts are kept as typed (only cut to a maximum length); codes and slugs that
        cannot be ours (they come from selects and checkboxes) are dropped.

        Examples
        --------
        >>> from werkzeug.datastructures import MultiDict
        >>> form = ApplicationForm.from_form(MultiDict([
        ...     ("title", "Green corridors"), ("targets", "11.3"), ("targets", "x"),
        ...     ("stakeholder-1-name", "Urban Lab"), ("stakeholder-1-role", "partner")]))
        >>> form.title, form.targets, form.stakeholders[0].name
        ('Green corridors', ['11.3'], 'Urban Lab')
        """
        text_lang = _text(data, "text_lang")
        lead_mode = _text(data, "lead_mode")
        return cls(
            text_lang=text_lang if text_lang in tuple(languages) else "en",
            title=_text(data, "title"),
            description=_text(data, "description", MAX_LONG_TEXT),
            lead_mode=lead_mode if lead_mode in ("existing", "new") else "existing",
            lead_existing=_text(data, "lead_existing"),
            lead_name=_text(data, "lead_name"),
            lead_kind=_choice(data, "lead_kind", LEAD_KINDS) or "LocalGovernment",
            country=_match(_text(data, "country"), _ISO2),
            section=_match(_text(data, "section"), _SLUG),
            territory=_text(data, "territory"),
            territory_kind=_choice(data, "territory_kind", ("City", "Region")) or "City",
            call=_text(data, "call"),
            targets=_unique(v for v in data.getlist("targets") if _TARGET.match(v)),
            axes=_unique(v for v in data.getlist("axes") if _SLUG.match(v)),
            start_date=_text(data, "start_date"),
            end_date=_text(data, "end_date"),
            contact_name=_text(data, "contact_name"),
            contact_email=_text(data, "contact_email"),
            stakeholders=_rows(data, "stakeholder", StakeholderRow),
            deliverables=_rows(data, "deliverable", DeliverableRow),
        )

    @classmethod
    def from_json(cls, text: str) -> Self:
        """The form stored by :meth:`to_json` (unknown keys are ignored)."""
        raw: dict[str, Any] = json.loads(text) if text else {}
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in names}
        values["stakeholders"] = [
            StakeholderRow(**_known(StakeholderRow, row)) for row in raw.get("stakeholders", [])
        ]
        values["deliverables"] = [
            DeliverableRow(**_known(DeliverableRow, row)) for row in raw.get("deliverables", [])
        ]
        return cls(**values)

    def to_json(self) -> str:
        """The answers as JSON, for the draft's record."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    # -- editing ---------------------------------------------------------------------

    def without_blank_rows(self) -> ApplicationForm:
        """A copy without the rows left empty."""
        copy = ApplicationForm.from_json(self.to_json())
        copy.stakeholders = [r for r in copy.stakeholders if not r.is_blank()]
        copy.deliverables = [r for r in copy.deliverables if not r.is_blank()]
        return copy


R = TypeVar("R", StakeholderRow, DeliverableRow)


def _text(data: FormData, key: str, limit: int = MAX_TEXT) -> str:
    value = data.get(key) or ""
    return value.replace("\r\n", "\n")[:limit]


def _choice(data: FormData, key: str, allowed: tuple[str, ...]) -> str:
    value = _text(data, key)
    return value if value in allowed else ""


def _match(value: str, pattern: re.Pattern[str]) -> str:
    return value if pattern.match(value) else ""


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _known(cls: type[Any], row: Mapping[str, Any]) -> dict[str, str]:
    names = {f.name for f in fields(cls)}
    return {k: str(v) for k, v in row.items() if k in names}


def _rows(data: FormData, kind: str, cls: type[R]) -> list[R]:
    """The rows ``<kind>-<n>-<field>`` of the form, in the order of ``n``."""
    found: dict[int, dict[str, str]] = {}
    names = {f.name for f in fields(cls)}
    for key in data:
        match = _ROW.match(key)
        if match and match.group(1) == kind and match.group(3) in names:
            found.setdefault(int(match.group(2)), {})[match.group(3)] = _text(data, key)
    rows = [cls(**found[n]) for n in sorted(found)]
    return rows[:MAX_ROWS]
