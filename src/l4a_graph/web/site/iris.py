"""Where an IRI lives on this server: the persistent base mapped to the server's root.

The data keeps its persistent IRIs (``https://w3id.org/l4a/id/hub/x``); the server at
``http://host/`` stands for the base, so ``/id/hub/x`` is that HUB. The UN's SDG goals
and targets are not ours, but they get pages at ``/sdg/<code>`` (their IRIs stay the
UN's in every RDF answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from l4a_graph import namespaces as ns

__all__ = ["SDG_CODE", "IriMap"]

SDG_CODE: Final = re.compile(r"(?:[1-9]|1[0-7])(?:\.(?:[0-9]{1,2}|[a-z]))?")
"""A goal number (``4``) or a target code (``11.1``, ``4.a``); indicators are left out."""


@dataclass(frozen=True)
class IriMap:
    """Maps IRIs to paths on this server and back.

    Examples
    --------
    >>> m = IriMap("https://w3id.org/l4a/")
    >>> m.iri("id/hub/x")
    'https://w3id.org/l4a/id/hub/x'
    >>> m.path("https://w3id.org/l4a/def#Hub"), m.path("http://metadata.un.org/sdg/11.1")
    ('/def#Hub', '/sdg/11.1')
    >>> m.path("http://metadata.un.org/sdg/C110101") is None
    True
    """

    base: str
    """The persistent base, ending with ``/``."""

    def iri(self, path: str) -> str:
        """The IRI a local ``path`` (without the leading ``/``) stands for."""
        return self.base + path

    def path(self, iri: str) -> str | None:
        """The local path that describes ``iri``, or None when it lives elsewhere."""
        if iri.startswith(self.base):
            return "/" + iri[len(self.base) :]
        if iri.startswith(ns.SDG) and SDG_CODE.fullmatch(iri[len(ns.SDG) :]):
            return "/sdg/" + iri[len(ns.SDG) :]
        return None

    def href(self, iri: str) -> str:
        """Where a page links to for ``iri``: its local path, else the IRI itself."""
        return self.path(iri) or iri
