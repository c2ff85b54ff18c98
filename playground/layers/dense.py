"""Fully connected layer: ``out = x @ W + b``."""

from __future__ import annotations

import numpy as np

from playground.layers import reference
from playground.layers.base import Field, Layer, Shape, require_flat
from playground.layers.init import init_weights
from playground.layers.parallel import batch_parts, worth_splitting


def dense_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x ``(N, D)``, W ``(D, M)``, b ``(M,)`` -> out ``(N, M)``."""
    if len(x) == 1:
        # The draw pad's one sample: np.dot of a vector is BLAS's gemv with the least
        # NumPy overhead (0.7 us less per layer than @ or a 1-row matrix).
        out = np.dot(x[0], W)
        out += b
        return out[None]
    if not worth_splitting(len(x), W.size):
        out = x @ W
        out += b
        return out
    out = np.empty((len(x), W.shape[1]), np.result_type(x, W))

    def forward_part(rows: slice) -> None:
        np.matmul(x[rows], W, out=out[rows])
        out[rows] += b

    batch_parts(len(x), W.size, forward_part)
    return out


def dense_backward(
    dout: np.ndarray, x: np.ndarray, W: np.ndarray, input_grad: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """dout ``(N, M)`` -> dx ``(N, D)`` (or None), dW ``(D, M)``, db ``(M,)``."""
    if not worth_splitting(len(x), W.size):
        dW = (dout.T @ x).T  # column-major, like W
        db = dout.sum(axis=0)
        dx = dout @ W.T if input_grad else None
        return dx, dW, db
    dWt = np.empty(W.shape[::-1], np.result_type(x, dout))
    dout_t = dout.T

    def weight_part(rows: slice) -> None:
        np.matmul(dout_t[rows], x, out=dWt[rows])

    batch_parts(len(dWt), x.size, weight_part)  # split over M: no partial sums
    dW = dWt.T
    db = dout.sum(axis=0)
    if not input_grad:
        return None, dW, db
    dx = np.empty(x.shape, dW.dtype)
    wt = W.T

    def input_part(rows: slice) -> None:
        np.matmul(dout[rows], wt, out=dx[rows])

    batch_parts(len(x), W.size, input_part)
    return dx, dW, db


class Dense(Layer):
    type_name = "dense"
    reference = reference.DENSE
    group = "core"
    has_weights = True
    fields = (Field("units", int, minimum=1, help="Number of output features."),)
    forward_doc = "out = x · W + b: every output is a weighted sum of all inputs."
    backward_doc = "dW = xᵀ · dout, db = Σ dout over the batch, dx = dout · Wᵀ."

    def output_shape(self, input_shape: Shape) -> Shape:
        require_flat(self, input_shape)
        return (self.units,)

    def param_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        return {"W": (input_shape[0], self.units), "b": (self.units,)}

    def build(
        self, input_shape: Shape, rng: np.random.Generator, he_init: bool, draw: bool = True
    ) -> None:
        super().build(input_shape, rng, he_init, draw)
        fan_in = input_shape[0]
        # Column-major W: a single sample's x @ W then runs BLAS's dot-product gemv
        # kernel, 13% faster than the row-major one on the 784x256 layer.
        shape = (fan_in, self.units)
        W = (
            init_weights(rng, shape, fan_in, self.units, he_init)
            if draw
            else np.empty(shape, np.float32)
        )
        self.params = {
            "W": np.asfortranarray(W),
            "b": np.zeros(self.units, np.float32),
        }

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        self._x = x
        return dense_forward(x, self.params["W"], self.params["b"])

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        dx, self.grads["W"], self.grads["b"] = dense_backward(
            dout, self._x, self.params["W"], input_grad
        )
        return dx
