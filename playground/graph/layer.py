"""A small dense layer and its activation, written out as its scalar gates.

The matrix rule dW = xᵀ·dOut, dx = dOut·Wᵀ is many multiply and add gates. For one
example ``x`` ``(in,)``, weights ``W`` ``(in, out)``, bias ``b`` ``(out,)`` and the
gradient ``upstream`` ``(out,)`` arriving at the activation's output from the layer
above, the graph is::

    h1 = x1 * w11 + x2 * w21 + b1        (one line per unit)
    y1 = relu(h1)                        (the activation, if any)
    f = u1 * y1 + u2 * y2                (u = upstream: so that ∂f/∂y = u)

and its gradients are that example's entries of dx, dW and db.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.errors import GraphError
from playground.graph.graph import Graph, GraphRun
from playground.network import Network
from playground.trace import BackwardStep, ForwardStep, TraceStep

MAX_SIZE = 3  # inputs and units: beyond that the picture has too many gates to read
ACTIVATIONS = ("relu", "leaky_relu", "sigmoid", "tanh")


@dataclass(frozen=True)
class LayerGates:
    """The gate graph of a dense layer on one example, with the value of every variable."""

    graph: Graph
    values: dict[str, float]
    inputs: int
    units: int

    def arrays(self, run: GraphRun) -> dict[str, np.ndarray]:
        """The run's gradients as arrays: ``dx`` (in,), ``dW`` (in, out), ``db`` (out,)."""
        g = run.grads
        return {
            "dx": np.array([g[_x(i)] for i in range(self.inputs)]),
            "dW": np.array([[g[_w(i, j)] for j in range(self.units)] for i in range(self.inputs)]),
            "db": np.array([g[_b(j)] for j in range(self.units)]),
        }


def _x(i: int) -> str:
    return f"x{i + 1}"


def _w(i: int, j: int) -> str:
    return f"w{i + 1}{j + 1}"


def _b(j: int) -> str:
    return f"b{j + 1}"


def _activation_text(activation: str | None, h: str, alpha: float) -> str:
    if activation is None:
        return h
    if activation == "leaky_relu":  # alpha ≤ 1, so max picks h where h > 0, alpha·h elsewhere
        return f"max({h}, {alpha!r} * {h})"
    return f"{activation}({h})"


def dense_layer_graph(
    x: Sequence[float] | np.ndarray,
    W: np.ndarray,
    b: Sequence[float] | np.ndarray,
    activation: str | None,
    upstream: Sequence[float] | np.ndarray,
    alpha: float = 0.01,
) -> LayerGates:
    """The scalar gate graph of ``activation(x·W + b)`` with ``upstream`` arriving from above.

    x ``(in,)``, W ``(in, out)``, b ``(out,)``, upstream ``(out,)``; ``activation`` is one of
    ``ACTIVATIONS`` or None (``alpha`` is leaky_relu's slope). Raises GraphError for a
    layer larger than 3 inputs or 3 units, or shapes that do not fit.
    """
    x, W, b, upstream = (np.asarray(a, dtype=np.float64) for a in (x, W, b, upstream))
    if W.ndim != 2:
        raise GraphError(f"W must be (inputs, units), not {W.shape}")
    n_in, n_out = W.shape
    if n_in > MAX_SIZE or n_out > MAX_SIZE:
        raise GraphError(
            f"a dense layer of {n_in} inputs and {n_out} units is too large to draw gate by gate "
            f"(up to {MAX_SIZE} inputs and {MAX_SIZE} units)"
        )
    if x.shape != (n_in,) or b.shape != (n_out,) or upstream.shape != (n_out,):
        raise GraphError(
            f"x {x.shape}, b {b.shape} and upstream {upstream.shape} do not fit W {W.shape}"
        )
    if activation is not None and activation not in ACTIVATIONS:
        raise GraphError(
            f"no gate for the activation {activation!r}; one of {', '.join(ACTIVATIONS)}"
        )
    lines = ["# one example through a dense layer; u is the gradient from the layer above"]
    outputs = []
    for j in range(n_out):
        terms = [f"{_x(i)} * {_w(i, j)}" for i in range(n_in)]
        lines.append(f"h{j + 1} = {' + '.join(terms)} + {_b(j)}")
        if activation is not None:
            lines.append(f"y{j + 1} = {_activation_text(activation, f'h{j + 1}', alpha)}")
        outputs.append(f"u{j + 1} * {'y' if activation else 'h'}{j + 1}")
    lines.append(f"f = {' + '.join(outputs)}")
    values = {_x(i): float(x[i]) for i in range(n_in)}
    values |= {_w(i, j): float(W[i, j]) for i in range(n_in) for j in range(n_out)}
    values |= {_b(j): float(b[j]) for j in range(n_out)}
    values |= {f"u{j + 1}": float(upstream[j]) for j in range(n_out)}
    return LayerGates(Graph.parse("\n".join(lines)), values, n_in, n_out)


def trace_layer_graph(
    network: Network, steps: Sequence[TraceStep], layer_index: int, example: int = 0
) -> LayerGates:
    """The gate graph of dense layer ``layer_index`` (and the activation after it) in a trace.

    ``steps`` is ``network.trace(x, y)``; the graph uses example ``example`` of the batch:
    its input, the layer's weights, and the gradient that arrived at the activation's
    output (or the layer's own output if no activation follows). For a batch of one, the
    gates' gradients equal the trace's dx, dW and db.
    """
    layers = network.layers
    if not 0 <= layer_index < len(layers) or layers[layer_index].type_name != "dense":
        raise GraphError(f"layer {layer_index} is not a dense layer")
    following = layers[layer_index + 1] if layer_index + 1 < len(layers) else None
    activation = following.type_name if following and following.type_name in ACTIVATIONS else None
    last = layer_index + (1 if activation else 0)
    forward = next(s for s in steps if isinstance(s, ForwardStep) and s.index == layer_index)
    backward = next(s for s in steps if isinstance(s, BackwardStep) and s.index == last)
    params = layers[layer_index].params
    return dense_layer_graph(
        forward.input[example].reshape(-1),
        params["W"],
        params["b"],
        activation,
        backward.upstream[example],
        alpha=getattr(following, "alpha", 0.01),
    )
