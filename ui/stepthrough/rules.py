"""Each event's local rule: in words, as formulas with this event's actual shapes, and the
textbook code (``playground/layers/reference.py``) of the layer or loss (no Qt).

``FORMULAS`` has one entry per registered layer type and loss, read by ``rule``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from playground.layers import LAYER_TYPES, Layer
from playground.losses import LOSSES
from playground.trace import ForwardStep, LossStep, TraceStep


@dataclass(frozen=True)
class Rule:
    words: str
    formulas: tuple[str, ...]
    code: str  # the source of the textbook function(s) this event's maths is


def dims(shape: tuple[int, ...]) -> str:
    """``(4320, 100)`` -> ``"4320×100"``."""
    return "×".join(str(d) for d in shape)


@dataclass(frozen=True)
class Shapes:
    """The shapes of one layer's event: the batch's input and output, the parameters'."""

    x: tuple[int, ...]
    out: tuple[int, ...]
    params: dict[str, tuple[int, ...]]
    config: dict

    def param(self, name: str) -> str:
        """A parameter's shape as text: ``param("W")`` -> ``"4320×100"``."""
        return dims(self.params[name])


Formulas = Callable[[Shapes, bool], tuple[list[str], list[str]]]


def _dense(s: Shapes, train: bool) -> tuple[list[str], list[str]]:
    n, d = s.x
    m = s.out[1]
    return (
        [f"out = x · W + b:  ({n}×{d})·({d}×{m}) + ({m}) → {n}×{m}"],
        [
            f"dx = dout · Wᵀ:  ({n}×{m})·({m}×{d}) → {n}×{d}",
            f"dW = xᵀ · dout:  ({d}×{n})·({n}×{m}) → {d}×{m}",
            f"db = Σ over the batch of dout:  ({n}×{m}) → {m}",
        ],
    )


def _conv2d(s: Shapes, train: bool) -> tuple[list[str], list[str]]:
    k, stride, pad = s.config["kernel_size"], s.config["stride"], s.config["padding"]
    return (
        [
            f"out[n,f,i,j] = Σ_c,u,v W[f,c,u,v] · x[n,c,{_at(stride)}] + b[f]",
            f"x {dims(s.x)} (padded by {pad}), W {s.param('W')}, b {s.param('b')} "
            f"→ out {dims(s.out)}",
        ],
        [
            f"dW[f,c,u,v] = Σ_n,i,j dout[n,f,i,j] · x[n,c,{_at(stride)}] → {s.param('W')}",
            f"db[f] = Σ_n,i,j dout[n,f,i,j]:  {dims(s.out)} → {s.param('b')}",
            f"dx = each window's dout · W added back onto its {k}×{k} pixels:  "
            f"{dims(s.out)} → {dims(s.x)}",
        ],
    )


def _at(stride: int) -> str:
    """The input a conv tap (u, v) reads for output (i, j): ``"2i+u,2j+v"``."""
    step = "" if stride == 1 else str(stride)
    return f"{step}i+u,{step}j+v"


def _pool(kind: str) -> Formulas:
    def formulas(s: Shapes, train: bool) -> tuple[list[str], list[str]]:
        k, stride = s.config["pool_size"], s.config["stride"]
        step = "" if stride == 1 else str(stride)
        window = f"the {k}×{k} window at ({step}i, {step}j)"
        if kind == "max":
            return (
                [f"out[n,c,i,j] = max of {window}:  {dims(s.x)} → {dims(s.out)}"],
                [f"dx = dout[n,c,i,j] at the window's winner, 0 elsewhere → {dims(s.x)}"],
            )
        return (
            [f"out[n,c,i,j] = mean of {window}:  {dims(s.x)} → {dims(s.out)}"],
            [f"dx = dout[n,c,i,j] / {k * k} on every input of the window → {dims(s.x)}"],
        )

    return formulas


def _flatten(s: Shapes, train: bool) -> tuple[list[str], list[str]]:
    return (
        [f"out = x.reshape(N, -1):  {dims(s.x)} → {dims(s.out)}"],
        [f"dx = dout.reshape(x's shape):  {dims(s.out)} → {dims(s.x)}"],
    )


def _elementwise(forward: str, backward: str) -> Formulas:
    def formulas(s: Shapes, train: bool) -> tuple[list[str], list[str]]:
        alpha = s.config.get("alpha", "")
        return (
            [f"{forward.format(alpha=alpha)}, element by element:  {dims(s.x)} → {dims(s.out)}"],
            [f"{backward.format(alpha=alpha)}:  {dims(s.out)} → {dims(s.x)}"],
        )

    return formulas


def _dropout(s: Shapes, train: bool) -> tuple[list[str], list[str]]:
    rate = s.config["rate"]
    if not train:
        return ([f"out = x (evaluation):  {dims(s.x)}"], [f"dx = dout:  {dims(s.x)}"])
    return (
        [
            f"out = x · mask, mask = 1/(1−{rate:g}) where kept (probability {1 - rate:g}), "
            f"0 where dropped:  {dims(s.x)}"
        ],
        [f"dx = dout · mask (the same mask):  {dims(s.x)}"],
    )


def _batchnorm(s: Shapes, train: bool) -> tuple[list[str], list[str]]:
    stats = "the batch's μ, σ² per channel" if train else "the running μ, σ²"
    forward = [
        f"x̂ = (x − μ) / √(σ² + ε) with {stats};  out = γ · x̂ + β",
        f"x {dims(s.x)}, γ and β {s.param('gamma')} → out {dims(s.out)}",
    ]
    dx = (
        "dx = (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)) / √(σ² + ε), dx̂ = dout · γ"
        if train
        else "dx = dout · γ / √(σ² + ε)"
    )
    return forward, [
        f"dγ = Σ dout · x̂ → {s.param('gamma')};  dβ = Σ dout → {s.param('beta')}",
        f"{dx}:  {dims(s.out)} → {dims(s.x)}",
    ]


LAYER_FORMULAS: dict[str, Formulas] = {
    "dense": _dense,
    "conv2d": _conv2d,
    "maxpool2d": _pool("max"),
    "avgpool2d": _pool("avg"),
    "flatten": _flatten,
    "relu": _elementwise("out = max(0, x)", "dx = dout · [x > 0]"),
    "leaky_relu": _elementwise(
        "out = x if x > 0 else {alpha:g}·x", "dx = dout · (1 if x > 0 else {alpha:g})"
    ),
    "sigmoid": _elementwise("out = 1 / (1 + e^(−x))", "dx = dout · out · (1 − out)"),
    "tanh": _elementwise("out = tanh(x)", "dx = dout · (1 − out²)"),
    "dropout": _dropout,
    "batchnorm": _batchnorm,
}

LOSS_FORMULAS: dict[str, Callable[[tuple[int, ...]], list[str]]] = {
    "softmax_cross_entropy": lambda shape: [
        f"p = softmax(scores) = e^s / Σ e^s, row by row:  {dims(shape)}",
        f"L = −(1/{shape[0]}) Σ log p[n, label n]",
        f"dscores = (p − one_hot(labels)) / {shape[0]}:  {dims(shape)}",
    ],
    "mse": lambda shape: [
        "L = mean of (scores − target)² over every entry (target: one-hot labels)",
        f"dscores = 2 · (scores − target) / {shape[0] * shape[1]}:  {dims(shape)}",
    ],
}


def rule(step: TraceStep, layer: Layer | None = None, train: bool = True) -> Rule:
    """The rule of ``step``; ``layer`` is the network's layer of a forward or backward event."""
    if isinstance(step, LossStep):
        loss = LOSSES[step.loss]
        return Rule(
            f"{loss.forward_doc} {loss.backward_doc}",
            tuple(LOSS_FORMULAS[step.loss](step.scores.shape)),
            _source(loss.reference.forward) + "\n\n" + _source(loss.reference.backward),
        )
    cls = LAYER_TYPES[step.layer_type]
    if isinstance(step, ForwardStep):
        x, out = step.input.shape, step.output.shape
    else:
        x, out = step.dx.shape, step.upstream.shape
    params = {k: v.shape for k, v in layer.params.items()} if layer is not None else {}
    config = layer.config if layer is not None else {}
    forward, backward = LAYER_FORMULAS[step.layer_type](Shapes(x, out, params, config), train)
    if isinstance(step, ForwardStep):
        return Rule(cls.forward_doc, tuple(forward), _source(cls.reference.forward))
    return Rule(cls.backward_doc, tuple(backward), _source(cls.reference.backward))


def _source(function: Callable) -> str:
    return inspect.getsource(function).rstrip()
