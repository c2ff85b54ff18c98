"""2-D convolution (cross-correlation) over NCHW images, as im2col + one GEMM."""

from __future__ import annotations

import numpy as np

from playground.errors import SpecError
from playground.layers.base import Field, Layer, Shape, require_image
from playground.layers.im2col import col2im, conv_output_size, im2col
from playground.layers.init import init_weights


class Conv2D(Layer):
    type_name = "conv2d"
    group = "convolution"
    has_weights = True
    fields = (
        Field("filters", int, minimum=1, help="Number of output channels."),
        Field("kernel_size", int, minimum=1, help="Height and width of each filter."),
        Field("stride", int, default=1, minimum=1, help="Step between filter positions."),
        Field("padding", int, default=0, minimum=0, help="Zeros added around each side."),
    )
    forward_doc = "Slides each filter over the image: out = Σ W * window + b per position."
    backward_doc = (
        "dW correlates the input with dout; dx is dout 'full-convolved' with the "
        "flipped filters (col2im of dout · W)."
    )

    def output_shape(self, input_shape: Shape) -> Shape:
        c, h, w = require_image(self, input_shape)
        k, s, p = self.kernel_size, self.stride, self.padding
        if k > h + 2 * p or k > w + 2 * p:
            raise SpecError(
                f"kernel_size {k} does not fit input {h}x{w} (padding {p})",
                field="kernel_size",
                value=k,
            )
        return (
            self.filters,
            conv_output_size(h, k, s, p),
            conv_output_size(w, k, s, p),
        )

    def param_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        k = self.kernel_size
        return {"W": (self.filters, input_shape[0], k, k), "b": (self.filters,)}

    def build(self, input_shape: Shape, rng: np.random.Generator, he_init: bool) -> None:
        super().build(input_shape, rng, he_init)
        shape = self.param_shapes(input_shape)["W"]
        receptive = self.kernel_size * self.kernel_size
        self.params = {
            "W": init_weights(rng, shape, shape[1] * receptive, shape[0] * receptive, he_init),
            "b": np.zeros(self.filters, np.float32),
        }

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        W, b = self.params["W"], self.params["b"]
        k, s, p = self.kernel_size, self.stride, self.padding
        n = x.shape[0]
        _, oh, ow = self.output_shape(x.shape[1:])
        cols = im2col(x, k, k, s, p)
        out = cols @ W.reshape(self.filters, -1).T  # (N*OH*OW, F)
        out += b
        self._x_shape, self._cols = x.shape, cols
        return out.reshape(n, oh, ow, self.filters).transpose(0, 3, 1, 2)

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        W = self.params["W"]
        dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, self.filters)  # (N*OH*OW, F)
        self.grads["W"] = (dout_rows.T @ self._cols).reshape(W.shape)
        self.grads["b"] = dout_rows.sum(axis=0)
        if not input_grad:
            return None
        dcols = dout_rows @ W.reshape(self.filters, -1)  # (N*OH*OW, C*k*k)
        k = self.kernel_size
        return col2im(dcols, self._x_shape, k, k, self.stride, self.padding)
