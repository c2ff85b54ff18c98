"""The events of one recorded forward and backward pass, for the step-through view.

``Network.trace`` records them in order: each layer's forward, the loss, each
layer's backward from the last layer to the first. Every array is a copy
owned by the event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ForwardStep:
    index: int
    layer_type: str
    input: np.ndarray  # (N, *input shape of the layer)
    output: np.ndarray  # (N, *output shape)
    train: bool  # the mode the layer ran in (dropout and batchnorm differ)
    # The random generator's state as this layer's forward began: dropout's mask is the
    # one a generator in this state draws (``gradcheck.check_layer`` takes it).
    rng_state: dict[str, Any]

    @property
    def title(self) -> str:
        return f"forward · layer {self.index} ({self.layer_type})"

    def arrays(self) -> dict[str, np.ndarray]:
        """What arrived and what left, by the names the textbook code uses."""
        return {"x": self.input, "out": self.output}


@dataclass(frozen=True)
class LossStep:
    loss: str  # the loss's name, e.g. "softmax_cross_entropy"
    value: float
    scores: np.ndarray  # (N, C)
    labels: np.ndarray  # (N,) integer labels, or (N, C) targets for mse
    probabilities: np.ndarray  # (N, C): softmax of the scores (mse: the scores themselves)
    dscores: np.ndarray  # (N, C): the gradient that starts the backward pass

    @property
    def title(self) -> str:
        return f"loss · {self.loss}"

    def arrays(self) -> dict[str, np.ndarray]:
        return {"scores": self.scores, "probabilities": self.probabilities, "dscores": self.dscores}


@dataclass(frozen=True)
class BackwardStep:
    index: int
    layer_type: str
    upstream: np.ndarray  # dL/d(output of this layer), (N, *output shape)
    dx: np.ndarray  # dL/d(input of this layer), (N, *input shape)
    param_grads: dict[str, np.ndarray]  # keyed like the layer's params ("W", "b", …)

    @property
    def title(self) -> str:
        return f"backward · layer {self.index} ({self.layer_type})"

    def arrays(self) -> dict[str, np.ndarray]:
        """The upstream gradient, the gradient passed down, and ``d<param>`` for each parameter."""
        grads = {f"d{name}": g for name, g in self.param_grads.items()}
        return {"dout": self.upstream, "dx": self.dx, **grads}


TraceStep = ForwardStep | LossStep | BackwardStep
