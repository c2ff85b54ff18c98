"""Inverted dropout: active in training only, drawing its mask from the network's generator."""

from __future__ import annotations

import numpy as np

from playground.layers import reference
from playground.layers.base import Field, Layer, Shape


class Dropout(Layer):
    type_name = "dropout"
    reference = reference.DROPOUT
    group = "regularisation"
    fields = (
        Field(
            "rate",
            float,
            default=0.5,
            minimum=0,
            maximum=1,
            max_exclusive=True,
            help="Fraction of inputs zeroed in training.",
        ),
    )
    forward_doc = (
        "Training: zeroes each input with probability rate and scales the rest by "
        "1/(1−rate). Evaluation: passes x through."
    )
    backward_doc = "Passes the gradient through the same mask and scale."

    # After a training forward: 1/(1 − rate) where an input was kept, 0 where dropped;
    # None after an evaluation forward (x passed through).
    mask: np.ndarray | None = None

    def build(
        self, input_shape: Shape, rng: np.random.Generator, he_init: bool, draw: bool = True
    ) -> None:
        super().build(input_shape, rng, he_init, draw)
        self.rng = rng

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        if not train or self.rate == 0:
            self.mask = None
            return x
        keep = 1.0 - self.rate
        mask = self.rng.random(x.shape, dtype=np.float32) < keep
        self.mask = mask.astype(x.dtype) * np.asarray(1.0 / keep, x.dtype)
        return x * self.mask

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        if not input_grad:
            return None
        return dout if self.mask is None else dout * self.mask
