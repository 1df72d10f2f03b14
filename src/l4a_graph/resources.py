"""Where the shipped files are: the ontology, shapes, data and queries.

In a source checkout (``pip install -e .``) they are the folders at the repository root;
in an installed wheel they are packaged under ``l4a_graph/resources/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def resource_dir(name: str) -> Path:
    """Return the folder of shipped resource ``name`` (``ontology``, ``shapes``, ``data``, ...)."""
    packaged = _PACKAGE / "resources" / name
    return packaged if packaged.is_dir() else _CHECKOUT / name


def project_root() -> Path:
    """The repository root of a source checkout (where ``pyproject.toml`` is)."""
    return _CHECKOUT
