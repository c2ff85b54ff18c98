"""The gates a scalar function is built from, each with its backward rule stated as data.

A gate takes one or two float64 inputs (and, for ``pow``, a constant exponent ``k``).
``forward`` gives its output; ``local`` gives ∂output/∂input for each input, from the
inputs and the output the forward pass cached. The texts are what the graph view shows:
``rule`` in the lecture's words ("mul: swaps"), ``forward_text`` and ``local_text`` as
templates over the inputs' names ``{a}``/``{b}``, the output ``{out}`` and ``{k}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Floats = tuple[float, ...]


@dataclass(frozen=True)
class Gate:
    name: str  # "mul"
    symbol: str  # drawn in the gate's circle
    arity: int
    rule: str  # the backward rule in words: "swaps"
    forward_text: str  # the output as a formula: "{a} × {b}"
    local_text: tuple[str, ...]  # ∂out/∂input, one formula per input: ("{b}", "{a}")
    forward: Callable[[Floats, float], float] = field(repr=False)  # (inputs, k) -> output
    local: Callable[[Floats, float, float], Floats] = field(repr=False)  # ∂out/∂inputs


def _sigmoid(a: float) -> float:
    # Either branch only ever exponentiates a negative number, so neither overflows.
    if a >= 0:
        return 1.0 / (1.0 + np.exp(-a))
    e = np.exp(a)
    return e / (1.0 + e)


_GATES = (
    Gate(
        "add", "+", 2, "distributes", "{a} + {b}", ("1", "1"),
        lambda x, k: x[0] + x[1],
        lambda x, out, k: (1.0, 1.0),
    ),
    Gate(
        "sub", "−", 2, "distributes, negated to the right", "{a} − {b}", ("1", "−1"),
        lambda x, k: x[0] - x[1],
        lambda x, out, k: (1.0, -1.0),
    ),
    Gate(
        "mul", "×", 2, "swaps", "{a} × {b}", ("{b}", "{a}"),
        lambda x, k: x[0] * x[1],
        lambda x, out, k: (x[1], x[0]),
    ),
    Gate(
        "div", "/", 2, "1/b to a, −a/b² to b", "{a} / {b}", ("1/{b}", "−{a}/{b}²"),
        lambda x, k: x[0] / x[1],
        lambda x, out, k: (1.0 / x[1], -x[0] / (x[1] * x[1])),
    ),
    Gate(
        "neg", "−x", 1, "flips the sign", "−({a})", ("−1",),
        lambda x, k: -x[0],
        lambda x, out, k: (-1.0,),
    ),
    Gate(
        "pow", "xᵏ", 1, "brings the power down", "{a}^{k}", ("{k}·{a}^({k} − 1)",),
        lambda x, k: x[0] ** k,
        lambda x, out, k: (k * x[0] ** (k - 1.0),),
    ),
    Gate(
        "exp", "exp", 1, "multiplies by its output", "exp({a})", ("exp({a})",),
        lambda x, k: np.exp(x[0]),
        lambda x, out, k: (out,),
    ),
    Gate(
        "log", "log", 1, "divides by its input", "log({a})", ("1/{a}",),
        lambda x, k: np.log(x[0]),
        lambda x, out, k: (1.0 / x[0],),
    ),
    Gate(
        "sigmoid", "σ", 1, "(1 − σ)·σ", "σ({a})", ("(1 − σ)·σ",),
        lambda x, k: _sigmoid(x[0]),
        lambda x, out, k: ((1.0 - out) * out,),
    ),
    Gate(
        "tanh", "tanh", 1, "1 − tanh²", "tanh({a})", ("1 − tanh²",),
        lambda x, k: np.tanh(x[0]),
        lambda x, out, k: (1.0 - out * out,),
    ),
    Gate(
        "relu", "relu", 1, "passes if positive, blocks otherwise", "max(0, {a})", ("[{a} > 0]",),
        lambda x, k: max(x[0], 0.0),
        lambda x, out, k: (float(x[0] > 0),),
    ),
    Gate(
        "max", "max", 2, "routes to the larger", "max({a}, {b})", ("[{a} ≥ {b}]", "[{b} > {a}]"),
        lambda x, k: max(x[0], x[1]),
        lambda x, out, k: (float(x[0] >= x[1]), float(x[1] > x[0])),
    ),
    Gate(
        "min", "min", 2, "routes to the smaller", "min({a}, {b})", ("[{a} ≤ {b}]", "[{b} < {a}]"),
        lambda x, k: min(x[0], x[1]),
        lambda x, out, k: (float(x[0] <= x[1]), float(x[1] < x[0])),
    ),
)  # fmt: skip

GATES: dict[str, Gate] = {gate.name: gate for gate in _GATES}

# The gates written as a function call in the text, e.g. ``max(a, b)``.
FUNCTIONS = ("exp", "log", "sigmoid", "tanh", "relu", "max", "min")
# The gates of the infix operators.
OPERATORS = {"+": "add", "-": "sub", "*": "mul", "/": "div"}
