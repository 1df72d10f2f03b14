"""The errors of the analyses, each a kind of :class:`~l4a_graph.errors.L4AError`.

They inherit the exit code (2) and the HTTP status of the project error they refine,
so the CLI and the web app report them like any other user error.
"""

from __future__ import annotations

from l4a_graph.errors import InputError, L4AError, NotFoundError

__all__ = ["EmptyGraphError", "FeedbackError", "MatchError", "UnknownEntityError", "WeightsError"]


class MatchError(L4AError):
    """Base class of the errors raised by matchmaking and the network views."""


class UnknownEntityError(MatchError, NotFoundError):
    """A HUB, organisation, territory or match that is not in the knowledge graph."""


class EmptyGraphError(MatchError, NotFoundError):
    """The knowledge graph holds no HUB (or too few) for the analysis asked for."""


class WeightsError(MatchError, InputError):
    """A weight specification that cannot be parsed or gives no usable score."""


class FeedbackError(MatchError, InputError):
    """Feedback on a candidate pair that cannot be recorded as given."""
