"""Complementarity: what one HUB offers (expertise, deliverables) that another seeks.

Shared interests make peers; complementary ones make exchanges. Each HUB's needs are
compared with the other's offers, both ways, so a pair that can help each other scores
twice what a one-way match does. A need few HUBs can meet weighs more when met.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import sparse

from l4a_graph.analyses.graphs import FloatArray, Incidence, Rows, row_products, unit_rows
from l4a_graph.analyses.targets import rarity_weights

__all__ = ["complementarity"]


def complementarity(offers: Incidence, seeks: Incidence, rows: Rows = None) -> FloatArray:
    """Reciprocal, rarity-weighted match of what HUBs seek with what others offer.

    Parameters
    ----------
    offers, seeks
        HUB x topic incidences over the same rows and columns: the topics each HUB
        offers (its expertise and the subjects of its deliverables) and seeks.
    rows
        Score these HUBs (row indices) against all; None for all.

    Returns
    -------
    numpy.ndarray
        ``len(rows) x n`` scores ``(cos(S_u, O_v) + cos(S_v, O_u)) / 2`` in [0, 1], the
        vectors weighted by the rarity of each topic among offers (smoothed IDF, as in
        :func:`~l4a_graph.analyses.targets.rarity_weights`). 1 when each HUB offers
        exactly what the other seeks, 0.5 for a perfect one-way match. Symmetric.

    Raises
    ------
    ValueError
        If ``offers`` and ``seeks`` do not share rows and columns.

    Examples
    --------
    ``a`` seeks water and offers housing; ``b`` offers water; ``c`` seeks housing.

    >>> offers = Incidence.from_mapping({"a": ["housing"], "b": ["water"]}, "abc")
    >>> seeks = Incidence.from_mapping({"a": ["water"], "c": ["housing"]}, "abc", offers.cols)
    >>> print(complementarity(offers, seeks))
    [[0.  0.5 0.5]
     [0.5 0.  0. ]
     [0.5 0.  0. ]]

    Rarity: ``a`` seeks water, which ``b``, ``c`` and ``d`` offer (IDF weight
    ``1 + ln(6/4) = 1.405``), and energy, which only ``e`` offers (``1 + ln(6/2) =
    2.099``): ``e`` meets ``2.099 / sqrt(1.405^2 + 2.099^2) = 0.831`` of ``a``'s needs,
    ``b`` 0.556; halved, as neither meets a need of ``a``'s in return.

    >>> offers = Incidence.from_mapping(
    ...     {"b": ["water"], "c": ["water"], "d": ["water"], "e": ["energy"]}, "abcde"
    ... )
    >>> seeks = Incidence.from_mapping({"a": ["water", "energy"]}, "abcde", offers.cols)
    >>> print(complementarity(offers, seeks, [0]).round(3))
    [[0.    0.278 0.278 0.278 0.415]]

    Notes
    -----
    One product of ``len(rows) x 2T`` by ``2T x n`` (T topics):
    ``[S O]_u . [O S]_v = cos(S_u, O_v) + cos(O_u, S_v)`` with unit rows.

    References
    ----------
    .. [1] L. Pizzato, T. Rej, T. Chung, I. Koprinska and J. Kay, "RECON: a reciprocal
       recommender for online dating", Proceedings of the 4th ACM Conference on
       Recommender Systems (RecSys), 207-214, 2010.
    .. [2] K. Spärck Jones, "A statistical interpretation of term specificity and its
       application in retrieval", Journal of Documentation 28(1), 11-21, 1972.
    """
    if offers.rows != seeks.rows or offers.cols != seeks.cols:
        raise ValueError("offers and seeks must have the same HUBs and topics")
    left, right = _sides(offers, seeks)
    met = row_products(left, right, rows)
    np.clip(met, 0.0, 1.0, out=met)
    return met


@lru_cache(maxsize=32)
def _sides(offers: Incidence, seeks: Incidence) -> tuple[Incidence, Incidence]:
    """``[S O] / 2`` and ``[O S]`` with rarity-weighted unit rows, once per pair of incidences."""
    weights = rarity_weights(offers.degrees, offers.matrix.shape[0], "idf")
    needs, gifts = unit_rows(seeks, weights).matrix, unit_rows(offers, weights).matrix
    both = (*offers.cols, *offers.cols)
    left = Incidence(offers.rows, both, sparse.csr_array(sparse.hstack([needs, gifts]) * 0.5))
    right = Incidence(offers.rows, both, sparse.csr_array(sparse.hstack([gifts, needs])))
    return left, right
