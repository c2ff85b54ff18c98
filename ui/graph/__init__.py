"""The computational-graph view: a scalar function gate by gate (``GraphView``)."""

from ui.graph.view import GraphView

__all__ = ["GraphView"]
