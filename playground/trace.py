"""The steps of one recorded forward and backward pass, for the step-through view.

Every array is a copy owned by the step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ForwardStep:
    index: int
    layer_type: str
    input: np.ndarray
    output: np.ndarray


@dataclass(frozen=True)
class LossStep:
    loss: str
    value: float
    scores: np.ndarray
    dscores: np.ndarray  # the gradient that starts the backward pass


@dataclass(frozen=True)
class BackwardStep:
    index: int
    layer_type: str
    upstream: np.ndarray  # dL/d(output of this layer)
    dx: np.ndarray  # dL/d(input of this layer)
    param_grads: dict[str, np.ndarray]


TraceStep = ForwardStep | LossStep | BackwardStep
