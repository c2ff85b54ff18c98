"""What a network makes of one input, and why: probabilities, every layer's output, saliency.

Used by the draw pad on its own copy of the network (``read`` runs the layers and keeps their
caches, which ``saliency`` then backpropagates through), and usable headless.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.network import Network
from playground.normalization import Normalization


@dataclass(frozen=True)
class LayerOutput:
    """One layer's output for the input: ``values`` without the batch axis (copied)."""

    index: int
    type_name: str
    values: np.ndarray  # (C, H, W) for conv/pool layers, (D,) for dense ones


@dataclass(frozen=True)
class Reading:
    """``probabilities`` ``(classes,)`` and ``layers``, each layer's output in order."""

    probabilities: np.ndarray
    layers: tuple[LayerOutput, ...]

    @property
    def top(self) -> int:
        return int(np.argmax(self.probabilities))


def read(net: Network, x: np.ndarray, normalization: Normalization | None) -> Reading:
    """Run one input ``x`` ``(*input_shape)`` (as ``load_dataset`` gives samples) through
    ``net`` in evaluation mode, layer by layer. Leaves the layers' caches for ``saliency``."""
    batch = np.asarray(x)[None]
    if normalization is not None:
        batch = normalization.apply(batch)
    out = batch.astype(net.dtype, copy=False)
    layers = []
    for i, layer in enumerate(net.layers):
        out = layer.forward(out, False)
        layers.append(LayerOutput(i, layer.type_name, out[0].copy()))
    net.scores = out
    probabilities = net.loss_fn.probabilities(out)[0]
    return Reading(probabilities, tuple(layers))


def saliency(net: Network, cls: int, normalization: Normalization | None) -> np.ndarray:
    """d(score of class ``cls``)/d(input) ``(*input_shape)`` for the input last ``read``.

    The gradient of the class's raw score (before the softmax) through the engine's backward
    pass, in the units of the input as drawn (pixels in [0, 1]): the normalisation
    ``(x - mean) / std`` is undone by the chain rule, a division by ``std``.
    """
    if net.scores is None:
        raise ValueError("saliency needs a forward pass first (call read)")
    dscores = np.zeros_like(net.scores)
    dscores[0, cls] = 1
    grad = net.backward(dscores)[0]
    if normalization is not None:
        grad = grad / normalization.std.reshape((-1,) + (1,) * (grad.ndim - 1))
    return grad
