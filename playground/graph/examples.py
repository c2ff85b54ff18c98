"""The built-in graphs: the lectures' worked examples, as text and values the view and tests share.

CS231n lecture 4 (f = (x + y)·z; the sigmoid neuron; the max, add and multiply gates
as router, distributor and switcher) and "Deep Learning from Scratch" appendix A
(Softmax-with-Loss for three classes, whose backward pass arrives at y − t).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Example:
    key: str
    title: str
    text: str
    values: Mapping[str, float]
    note: str  # what to watch for, in one sentence


_SIGMOID_VALUES = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0}

_EXAMPLES = (
    Example(
        "lecture",
        "(x + y) · z",
        "q = x + y\nf = q * z",
        {"x": -2.0, "y": 5.0, "z": -4.0},
        "q = 3, f = −12; ∂f/∂z = q = 3, ∂f/∂q = z = −4, and add gives −4 to both x and y.",
    ),
    Example(
        "sigmoid_gates",
        "Sigmoid neuron, gate by gate",
        "f = 1 / (1 + exp(-(w0 * x0 + w1 * x1 + w2)))",
        _SIGMOID_VALUES,
        "f ≈ 0.73; ∂f/∂w0 ≈ −0.20, ∂f/∂x0 ≈ 0.39, ∂f/∂w1 ≈ −0.39, ∂f/∂x1 ≈ −0.59, ∂f/∂w2 ≈ 0.20.",
    ),
    Example(
        "sigmoid_gate",
        "Sigmoid neuron, one sigmoid gate",
        "f = sigmoid(w0 * x0 + w1 * x1 + w2)",
        _SIGMOID_VALUES,
        "One gate with local gradient (1 − σ)·σ = 0.2 does the work of the four before it.",
    ),
    Example(
        "max_routes",
        "Max routes, add distributes, multiply swaps",
        "f = 2 * (x * y + max(z, w))",
        {"x": 3.0, "y": -4.0, "z": 2.0, "w": -1.0},
        "max sends all of its gradient to z (the larger) and none to w.",
    ),
    Example(
        "mul_swaps",
        "Multiply swaps",
        "f = x * y",
        {"x": 3.0, "y": -4.0},
        "∂f/∂x is y's value and ∂f/∂y is x's: the gate swaps its inputs.",
    ),
    Example(
        "reuse",
        "A value used twice",
        "f = x * y + x",
        {"x": 3.0, "y": -4.0},
        "x feeds two gates; its gradient is the sum of both: y + 1 = −3.",
    ),
    Example(
        "softmax_loss",
        "Softmax-with-Loss, three classes",
        (
            "# scores a, one-hot labels t\n"
            "e1 = exp(a1)\ne2 = exp(a2)\ne3 = exp(a3)\n"
            "S = e1 + e2 + e3\n"
            "y1 = e1 / S\ny2 = e2 / S\ny3 = e3 / S\n"
            "L = -(t1 * log(y1) + t2 * log(y2) + t3 * log(y3))"
        ),
        {"a1": 0.3, "a2": 2.9, "a3": 4.0, "t1": 0.0, "t2": 0.0, "t3": 1.0},
        "The gradients arriving at a1, a2, a3 are y − t: 0.018, 0.245, −0.263.",
    ),
)

EXAMPLES: Mapping[str, Example] = MappingProxyType({e.key: e for e in _EXAMPLES})


def example(key: str) -> Example:
    """The built-in example ``key`` (one of ``EXAMPLES``); KeyError names the choices."""
    try:
        return EXAMPLES[key]
    except KeyError:
        raise KeyError(f"no example {key!r}; the examples are {', '.join(EXAMPLES)}") from None
