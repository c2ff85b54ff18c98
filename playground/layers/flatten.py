"""Flatten an image ``(N, C, H, W)`` into vectors ``(N, C*H*W)``."""

from __future__ import annotations

import math

import numpy as np

from playground.layers import reference
from playground.layers.base import Layer, Shape


class Flatten(Layer):
    type_name = "flatten"
    reference = reference.FLATTEN
    group = "core"
    forward_doc = "Reshapes each C×H×W image into one vector (channel-major)."
    backward_doc = "Reshapes the gradient back to the image shape."

    def output_shape(self, input_shape: Shape) -> Shape:
        return (math.prod(input_shape),)

    def build(
        self, input_shape: Shape, rng: np.random.Generator, he_init: bool, draw: bool = True
    ) -> None:
        super().build(input_shape, rng, he_init, draw)
        self._width = math.prod(input_shape)

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        self._x_shape = x.shape
        # The explicit width (not -1) lets an empty batch through: (0, C, H, W) -> (0, C*H*W).
        return x.reshape(len(x), self._width)

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        return dout.reshape(self._x_shape) if input_grad else None
