"""Matchmaking and network views: who in the HUB community should meet, and why.

The knowledge graph is read once into a typed networkx graph (:mod:`.graphs`); the
signals each score pairs of HUBs from its bipartite projections (:mod:`.targets`,
:mod:`.pathsim`, :mod:`.complementarity`, :mod:`.brokers`, :mod:`.localglobal`,
:mod:`.timing`); :mod:`.combine` weighs them into one explained ranking. Network views
(communities, brokers, isolated HUBs, coverage gaps) are in :mod:`.network`; the
Secretariat's feedback and the write-back of results as RDF in :mod:`.feedback` and
:mod:`.rdf`.
"""

from __future__ import annotations
