"""Matchmaking and network views: who in the HUB community should meet, and why.

The knowledge graph is modelled as a typed networkx graph (:mod:`.graphs`); the
signals each score pairs of HUBs from its bipartite projections (:mod:`.targets`,
:mod:`.pathsim`, :mod:`.complementarity`, :mod:`.brokers`, :mod:`.localglobal`,
:mod:`.timing`); :mod:`.combine` weighs them into one explained ranking. Matching reads
the same projections straight from the store (:mod:`.store_views`), without building
the networkx graph, which the network views (communities, brokers, isolated HUBs,
coverage gaps, :mod:`.network`) use. The Secretariat's feedback and the write-back of
results as RDF are in :mod:`.feedback` and :mod:`.rdf`.
"""

from __future__ import annotations
