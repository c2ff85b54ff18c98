"""2-D convolution (cross-correlation) over NCHW images: im2col + GEMM, a few images at a time."""

from __future__ import annotations

import numpy as np

from playground.errors import SpecError
from playground.layers import reference
from playground.layers.base import Field, Layer, Shape, require_image
from playground.layers.chunks import image_chunks
from playground.layers.im2col import (
    ZeroFrames,
    columns,
    conv_output_size,
    full_correlation_shape,
    padded_planes,
    place_gradient,
    wide_windows,
)
from playground.layers.init import init_weights
from playground.layers.parallel import batch_parts


class Conv2D(Layer):
    type_name = "conv2d"
    reference = reference.CONV2D
    group = "convolution"
    has_weights = True
    splits_batches = True
    fields = (
        Field("filters", int, minimum=1, help="Number of output channels."),
        Field("kernel_size", int, minimum=1, help="Height and width of each filter."),
        Field("stride", int, default=1, minimum=1, help="Step between filter positions."),
        Field("padding", int, default=0, minimum=0, help="Zeros added around each side."),
    )
    forward_doc = "Slides each filter over the image: out = Σ W * window + b per position."
    backward_doc = (
        "dW correlates the input with dout; dx is dout 'full-convolved' with the flipped filters."
    )

    def __init__(self, **config) -> None:
        super().__init__(**config)
        self._frames = ZeroFrames()  # padded inputs and gradients, reused between steps

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

    def build(
        self, input_shape: Shape, rng: np.random.Generator, he_init: bool, draw: bool = True
    ) -> None:
        super().build(input_shape, rng, he_init, draw)
        shape = self.param_shapes(input_shape)["W"]
        receptive = self.kernel_size * self.kernel_size
        self.params = {
            "W": init_weights(rng, shape, shape[1] * receptive, shape[0] * receptive, he_init)
            if draw
            else np.empty(shape, np.float32),
            "b": np.zeros(self.filters, np.float32),
        }

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """x ``(N, C, H, W)`` -> out ``(N, F, OH, OW)`` (a view into wide rows)."""
        W, b = self.params["W"], self.params["b"]
        k, s, p = self.kernel_size, self.stride, self.padding
        n, _, h, w = x.shape
        oh, ow = conv_output_size(h, k, s, p), conv_output_size(w, k, s, p)
        planes = padded_planes(x, p, s, self._frames)
        windows = wide_windows(planes, k, s, oh)  # (N, C, k, k, OH*Wp)
        weights = W.reshape(self.filters, -1)  # (F, C*k*k)
        bias = b[:, None]
        wide = np.empty((n, self.filters, windows.shape[-1]), x.dtype)
        per_image = weights.shape[1] * wide.shape[2] * x.itemsize

        def forward_part(images: slice) -> None:
            for part in image_chunks(images, per_image):
                out = wide[part]
                np.matmul(weights, columns(windows[part]), out=out)
                out += bias

        batch_parts(n, weights.size * wide.shape[2], forward_part)
        self._windows, self._x_shape = windows, x.shape
        return wide.reshape(n, self.filters, oh, wide.shape[2] // oh)[..., :ow]

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """dout ``(N, F, OH, OW)`` -> dx ``(N, C, H, W)``; fills dW ``(F, C, k, k)`` and db."""
        W = self.params["W"]
        k, s, f = self.kernel_size, self.stride, self.filters
        n, c, h, w = self._x_shape
        windows = self._windows
        oh, ow = dout.shape[2:]
        # dout in wide rows, zero where the forward pass threw positions away.
        rows = self._frames.get("wide_gradient", (n, f, oh, windows.shape[-1] // oh), dout.dtype)
        wide_rows = rows.reshape(n, f, -1)  # (N, F, OH*Wp)
        cols_per_image = c * k * k * wide_rows.shape[2] * dout.itemsize
        if input_grad:
            shape = full_correlation_shape(self._x_shape, f, k)
            planes = self._frames.get("gradient_planes", shape, dout.dtype)
            dwindows = wide_windows(planes, k, 1, h)  # (N, F, k, k, H*(W+k-1))
            flipped = W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3).reshape(c, -1)  # (C, F*k*k)
            dx = np.empty((n, c, dwindows.shape[-1]), dout.dtype)
            dcols_per_image = flipped.shape[1] * dx.shape[2] * dout.itemsize

        def backward_part(images: slice) -> np.ndarray:
            """Fills dx for ``images``; returns their share of dWᵀ ``(C*k*k, F)``."""
            rows[images, :, :, :ow] = dout[images]
            # dWᵀ = Σ cols · rowsᵀ: in this operand order the GEMM runs about twice as fast.
            dW_t = np.zeros((c * k * k, f), dout.dtype)
            for part in image_chunks(images, cols_per_image):
                cols = columns(windows[part])  # rebuilt from the input: cheaper than keeping them
                dW_t += np.matmul(cols, wide_rows[part].transpose(0, 2, 1)).sum(axis=0)
            if input_grad:
                place_gradient(dout[images], planes[images], k, s, self.padding)
                for part in image_chunks(images, dcols_per_image):
                    np.matmul(flipped, columns(dwindows[part]), out=dx[part])
            return dW_t

        dW_t = sum(batch_parts(n, W.size * wide_rows.shape[2] * 2, backward_part))
        self.grads["W"] = np.ascontiguousarray(dW_t.T).reshape(W.shape)
        self.grads["b"] = dout.sum(axis=(0, 2, 3))
        return dx.reshape(n, c, h, -1)[..., :w] if input_grad else None
