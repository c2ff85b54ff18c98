"""Scalar computational graphs, gate by gate: the lecture's worked examples (no Qt).

``Graph.parse(text)`` reads a function (raising ``GraphError``, a ``ValueError`` naming
the position); ``graph.run(values)`` gives ``.value``, ``.grads`` and the forward and
backward events in order. ``EXAMPLES`` are the built-in ones; ``dense_layer_graph``
expands a small dense layer and its activation into its scalar gates.
"""

from playground.errors import GraphError
from playground.graph.examples import EXAMPLES, Example, example
from playground.graph.gates import GATES, Gate
from playground.graph.graph import (
    BackwardEvent,
    Event,
    ForwardEvent,
    Graph,
    GraphRun,
    RunState,
)
from playground.graph.layer import LayerGates, dense_layer_graph, trace_layer_graph
from playground.graph.nodes import Node, NodeKind, format_number

__all__ = [
    "EXAMPLES",
    "GATES",
    "BackwardEvent",
    "Event",
    "Example",
    "ForwardEvent",
    "Gate",
    "Graph",
    "GraphError",
    "GraphRun",
    "LayerGates",
    "Node",
    "NodeKind",
    "RunState",
    "dense_layer_graph",
    "example",
    "format_number",
    "trace_layer_graph",
]
