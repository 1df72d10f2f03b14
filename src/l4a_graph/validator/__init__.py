"""HUB submissions: reading them safely, SHACL validation in two stages, reports in
English, French and Spanish, and atomic, versioned storage with PROV-O provenance.

- :mod:`~l4a_graph.validator.intake`: bytes to triples, refusing what is unsafe or unreadable;
- :mod:`~l4a_graph.validator.engine`: pyshacl over the submission and the reference facts;
- :mod:`~l4a_graph.validator.report`: findings as text, JSON or a SHACL report graph;
- :mod:`~l4a_graph.validator.storage`: one atomic update per accepted version;
- :mod:`~l4a_graph.validator.commands`: ``l4a validate`` and ``l4a submit``.

This package imports nothing heavy: pyshacl is loaded by the modules that need it.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("en", "fr", "es")
"""The languages of the messages: UCLG's working languages, those of the real calls."""
