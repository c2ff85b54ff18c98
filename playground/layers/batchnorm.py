"""Batch normalisation after a dense layer (per feature) or a conv layer (per channel)."""

from __future__ import annotations

import numpy as np

from playground.errors import SpecError
from playground.layers import reference
from playground.layers.base import Field, Layer, Shape, shape_text


class BatchNorm(Layer):
    type_name = "batchnorm"
    reference = reference.BATCHNORM
    group = "regularisation"
    fields = (
        Field(
            "momentum",
            float,
            default=0.9,
            minimum=0,
            maximum=1,
            max_exclusive=True,
            help="Weight of the old running statistics in each update.",
        ),
        Field(
            "eps",
            float,
            default=1e-5,
            minimum=0,
            min_exclusive=True,
            help="Added to the variance for stability.",
        ),
    )
    forward_doc = (
        "Training: normalises with the batch's mean and variance, then out = γ·x̂ + β "
        "and updates the running statistics. Evaluation: uses the running statistics."
    )
    backward_doc = (
        "dγ = Σ dout·x̂, dβ = Σ dout; dx accounts for the batch mean and variance "
        "depending on every input."
    )

    def output_shape(self, input_shape: Shape) -> Shape:
        if len(input_shape) not in (1, 3):
            raise SpecError(f"needs features or an image, got input {shape_text(input_shape)}")
        return input_shape

    def param_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        return {"gamma": (input_shape[0],), "beta": (input_shape[0],)}

    def build(
        self, input_shape: Shape, rng: np.random.Generator, he_init: bool, draw: bool = True
    ) -> None:
        super().build(input_shape, rng, he_init, draw)
        c = input_shape[0]
        self.params = {"gamma": np.ones(c, np.float32), "beta": np.zeros(c, np.float32)}
        self.state = {
            "running_mean": np.zeros(c, np.float32),
            "running_var": np.ones(c, np.float32),
        }

    def _axes_and_view(self, ndim: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Reduction axes, and the shape that broadcasts per-channel vectors over x."""
        if ndim == 2:
            return (0,), (1, -1)
        return (0, 2, 3), (1, -1, 1, 1)

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        axes, view = self._axes_and_view(x.ndim)
        gamma = self.params["gamma"].reshape(view)
        beta = self.params["beta"].reshape(view)
        if train:
            mean = x.mean(axis=axes)
            centered = x - mean.reshape(view)
            var = np.square(centered).mean(
                axis=axes
            )  # from the centred batch: x.var would centre again
            m = self.momentum
            for name, batch_value in (("running_mean", mean), ("running_var", var)):
                running = self.state[name]
                running *= m
                running += (1 - m) * batch_value.astype(running.dtype)
        else:
            centered = x - self.state["running_mean"].reshape(view)
            var = self.state["running_var"]
        inv_std = (1.0 / np.sqrt(var + self.eps)).astype(x.dtype)
        x_hat = centered * inv_std.reshape(view)
        self._x_hat, self._inv_std, self._train = x_hat, inv_std, train
        return x_hat * gamma + beta

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        axes, view = self._axes_and_view(dout.ndim)
        x_hat = self._x_hat
        self.grads["beta"] = dout.sum(axis=axes)
        self.grads["gamma"] = (dout * x_hat).sum(axis=axes)
        if not input_grad:
            return None
        dx_hat = dout * self.params["gamma"].reshape(view)
        if not self._train:  # running statistics are constants
            return dx_hat * self._inv_std.reshape(view)
        # dx = (1/N)·inv_std·(N·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)), the training-mode gradient.
        mean_dx_hat = dx_hat.mean(axis=axes).reshape(view)
        mean_dx_hat_x_hat = (dx_hat * x_hat).mean(axis=axes).reshape(view)
        return (dx_hat - mean_dx_hat - x_hat * mean_dx_hat_x_hat) * self._inv_std.reshape(view)
