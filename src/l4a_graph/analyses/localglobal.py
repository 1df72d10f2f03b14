"""The local-global dimension: a bonus for pairs that cross world regions or UCLG sections.

UCLG asks every HUB to show its local-global connection; a partner from another region
or section brings what a neighbour cannot. The bonus is configurable: the dimensions
to look at, and whether pairs are rewarded for crossing them or for sharing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from l4a_graph.analyses.graphs import DTYPE, FloatArray, Incidence, Rows

__all__ = ["local_global_bonus"]


def local_global_bonus(
    dimensions: Sequence[Incidence], rows: Rows = None, *, across: bool = True
) -> FloatArray:
    """Share of the dimensions in which a pair of HUBs lies across (or within) groups.

    Parameters
    ----------
    dimensions
        One HUB x group incidence per dimension, e.g. world regions and UCLG sections.
    rows
        Score these HUBs (row indices) against all; None for all.
    across
        True to reward pairs in no common group, False to reward pairs in a common one.

    Returns
    -------
    numpy.ndarray
        ``len(rows) x n`` values in [0, 1]: among the dimensions in which both HUBs are
        placed, the share in which they share no group (with ``across``) or share one.
        Unknown is no evidence either way: a dimension unknown for either HUB is left
        out, and a pair with no dimension known for both gets 0. Symmetric.

    Raises
    ------
    ValueError
        If ``dimensions`` is empty.

    Examples
    --------
    ``a`` is in Europe and section Europe, ``b`` in Asia and section Europe, ``c``
    nowhere known, ``d`` in Asia with no known section.

    >>> regions = Incidence.from_mapping({"a": ["EU"], "b": ["AS"], "d": ["AS"]}, "abcd")
    >>> sections = Incidence.from_mapping({"a": ["europe"], "b": ["europe"]}, "abcd")
    >>> print(local_global_bonus([regions, sections], [0]))
    [[0.  0.5 0.  1. ]]
    >>> print(local_global_bonus([regions, sections], [0], across=False))
    [[1.  0.5 0.  0. ]]

    Notes
    -----
    Worked out once for each pair of distinct profiles (the groups of a HUB in every
    dimension: a handful), then one lookup per pair of HUBs: O(p^2 G + len(rows) n)
    for p profiles and G groups.

    References
    ----------
    .. [1] M. S. Granovetter, "The strength of weak ties", American Journal of Sociology
       78(6), 1360-1380, 1973.
    """
    if not dimensions:
        raise ValueError("local_global_bonus needs at least one dimension")
    codes, table = _profile_table(tuple(dimensions), across)
    chosen = codes if rows is None else codes[np.asarray(rows, dtype=np.intp)]
    return np.take(table[chosen], codes, axis=1)


@lru_cache(maxsize=32)
def _profile_table(
    dimensions: tuple[Incidence, ...], across: bool
) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """The bonus between the distinct profiles (groups in every dimension) of the HUBs.

    HUBs fall into few profiles (a region and a section each), so the bonus is worked
    out once per pair of profiles and looked up per pair of HUBs.
    """
    stacked = np.hstack([d.matrix.toarray() > 0 for d in dimensions])
    profiles, codes = np.unique(stacked, axis=0, return_inverse=True)
    hits = np.zeros((len(profiles), len(profiles)), dtype=DTYPE)
    known = np.zeros_like(hits)
    offset = 0
    for dimension in dimensions:
        groups = profiles[:, offset : offset + dimension.matrix.shape[1]].astype(DTYPE)
        offset += dimension.matrix.shape[1]
        placed = groups.sum(axis=1) > 0
        both = placed[:, None] & placed[None, :]
        same = (groups @ groups.T) > 0
        hits += both & (~same if across else same)
        known += both
    table = np.divide(hits, known, out=np.zeros_like(hits), where=known > 0)
    return np.asarray(codes, dtype=np.intp).ravel(), table
