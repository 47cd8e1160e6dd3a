"""Knowledge graph builder for Chinese municipal health-commission reports.

>>> import kg
>>> g = kg.build(["seeds"])            # rdflib.Graph, nothing written   # doctest: +SKIP
>>> G = kg.to_networkx(kg.load("output/kg.ttl"))                        # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Graph

__version__ = "0.1.0"


def build(paths: Iterable[str | Path], jobs: int = 1) -> Graph:
    """Run the pipeline over report files/folders and return the graph (no files written)."""
    from kg.pipeline import build as _build

    return _build([Path(p) for p in paths], jobs=jobs).graph()


def load(path: str | Path = "output/kg.ttl") -> Graph:
    """Parse a built Turtle file."""
    from kg.netx import load as _load

    return _load(path)


def to_networkx(graph: Graph) -> Any:
    """The graph as a networkx.MultiDiGraph (see kg.netx)."""
    from kg.netx import to_networkx as _to

    return _to(graph)


__all__ = ["build", "load", "to_networkx"]
