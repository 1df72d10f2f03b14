"""Timing: HUBs active at the same time can actually work together.

HUBs are time-bound (two to three years), so a HUB that closed last year is a source
of lessons, not a partner. The signal is the share of the shorter time frame that the
two HUBs run side by side.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from l4a_graph.analyses.graphs import DTYPE, FloatArray, Rows

__all__ = ["ASSUMED_DAYS", "timing_overlap"]

NEVER: Final = 1e30
"""Start of an unknown time frame (and minus its end): far beyond any date."""

ASSUMED_DAYS: Final = 1096
"""Length assumed for a HUB with a start and no end: three years, the programme's longest."""


def timing_overlap(
    start: npt.NDArray[np.datetime64],
    end: npt.NDArray[np.datetime64],
    rows: Rows = None,
    *,
    assumed_days: int = ASSUMED_DAYS,
) -> FloatArray:
    """Share of the shorter HUB's time frame during which both HUBs are active.

    Parameters
    ----------
    start, end
        First and last day of each HUB (``datetime64[D]``; NaT when unknown). Both days
        count as active.
    rows
        Score these HUBs (row indices) against all; None for all.
    assumed_days
        Length of a HUB whose end is unknown.

    Returns
    -------
    numpy.ndarray
        ``len(rows) x n`` values in [0, 1]: days of overlap divided by the length of
        the shorter time frame; 0 when a start is unknown or an end precedes its start.
        Symmetric.

    Examples
    --------
    ``a`` runs through 2021-2022 (730 days), ``b`` starts on 2022-07-02 with no end
    (so runs 1096 days, to 2025-07-02), ``c`` runs through 2024, ``d`` has no dates.
    ``a`` and ``b`` overlap 183 days of ``a``'s 730; ``b`` covers all of ``c``.

    >>> start = np.array(["2021-01-01", "2022-07-02", "2024-01-01", "NaT"], "datetime64[D]")
    >>> end = np.array(["2022-12-31", "NaT", "2024-12-31", "NaT"], "datetime64[D]")
    >>> print(timing_overlap(start, end, [0, 1]).round(3))
    [[1.    0.251 0.    0.   ]
     [0.251 1.    1.    0.   ]]

    Notes
    -----
    Six vectorized passes over two ``len(rows) x n`` arrays.

    References
    ----------
    .. [1] J. F. Allen, "Maintaining knowledge about temporal intervals",
       Communications of the ACM 26(11), 832-843, 1983.
    """
    first, stop = _intervals(start, end, assumed_days)
    chosen = slice(None) if rows is None else np.asarray(rows, dtype=np.intp)
    overlap = np.minimum(stop[chosen, None], stop[None, :])
    other = np.maximum(first[chosen, None], first[None, :])
    np.subtract(overlap, other, out=overlap)
    np.maximum(overlap, 0.0, out=overlap)
    # Known frames last a day or more; unknown ones have no overlap, so 0 / 1 = 0.
    length = np.maximum(stop - first, DTYPE(1.0))
    np.minimum(length[chosen, None], length[None, :], out=other)
    np.divide(overlap, other, out=overlap)
    return overlap


def _intervals(
    start: npt.NDArray[np.datetime64], end: npt.NDArray[np.datetime64], assumed_days: int
) -> tuple[FloatArray, FloatArray]:
    """First day and one past the last as day numbers; unknown or reversed ones are empty.

    An empty frame runs from +NEVER to -NEVER, so it overlaps nothing, whatever the dates.
    """
    first = start.astype("datetime64[D]").astype(np.int64).astype(np.float64)
    last = end.astype("datetime64[D]").astype(np.int64).astype(np.float64)
    stop = np.where(np.isnat(end), first + assumed_days, last + 1)
    usable = ~np.isnat(start) & (stop > first)
    return (
        np.where(usable, first, NEVER).astype(DTYPE),
        np.where(usable, stop, -NEVER).astype(DTYPE),
    )
