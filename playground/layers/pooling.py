"""Max and average pooling over NCHW images, with strided views (no im2col).

Each of the pool_size² window offsets is one strided slice of the input, so
forward and backward loop over those few offsets, never over pixels. Windows
may overlap (stride < pool_size) or skip (stride > pool_size).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from playground.errors import SpecError
from playground.layers.base import Field, Layer, Shape, require_image


class _Pool2D(Layer):
    group = "convolution"
    fields = (
        Field("pool_size", int, default=2, minimum=1, help="Height and width of each window."),
        Field("stride", int, default=2, minimum=1, help="Step between windows."),
    )

    def output_shape(self, input_shape: Shape) -> Shape:
        c, h, w = require_image(self, input_shape)
        k, s = self.pool_size, self.stride
        if k > h or k > w:
            raise SpecError(f"pool_size {k} does not fit input {h}x{w}", field="pool_size", value=k)
        return (c, (h - k) // s + 1, (w - k) // s + 1)

    def _offsets(self, out_hw: tuple[int, int]) -> Iterator[tuple[slice, slice, slice, slice]]:
        """For each window offset, the input slice it reads: (:, :, rows, cols)."""
        oh, ow = out_hw
        k, s = self.pool_size, self.stride
        for i in range(k):
            for j in range(k):
                yield (
                    slice(None),
                    slice(None),
                    slice(i, i + s * (oh - 1) + 1, s),
                    slice(j, j + s * (ow - 1) + 1, s),
                )


class MaxPool2D(_Pool2D):
    type_name = "maxpool2d"
    forward_doc = "Keeps the largest value of each window."
    backward_doc = (
        "Routes each window's gradient to the one position that held the maximum "
        "(the first one where values tie); all others get zero."
    )

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        out_hw = self.output_shape(x.shape[1:])[1:]
        offsets = self._offsets(out_hw)
        out = x[next(offsets)].copy()
        for window in offsets:
            np.maximum(out, x[window], out=out)
        self._x, self._out = x, out
        return out

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        if not input_grad:
            return None
        x, out = self._x, self._out
        dx = np.zeros(x.shape, dout.dtype)
        routed = np.zeros(out.shape, bool)  # windows whose gradient already has a home
        for window in self._offsets(out.shape[2:]):
            winner = x[window] == out
            winner &= ~routed
            routed |= winner
            dx[window] += dout * winner
        return dx


class AvgPool2D(_Pool2D):
    type_name = "avgpool2d"
    forward_doc = "Averages each window."
    backward_doc = "Spreads each window's gradient evenly over its pool_size² inputs."

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        out_hw = self.output_shape(x.shape[1:])[1:]
        offsets = self._offsets(out_hw)
        out = x[next(offsets)].copy()
        for window in offsets:
            out += x[window]
        out *= 1.0 / self.pool_size**2
        self._x_shape = x.shape
        return out

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        if not input_grad:
            return None
        dx = np.zeros(self._x_shape, dout.dtype)
        share = dout * (1.0 / self.pool_size**2)
        for window in self._offsets(dout.shape[2:]):
            dx[window] += share
        return dx
