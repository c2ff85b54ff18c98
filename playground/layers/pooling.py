"""Max and average pooling over NCHW images, with strided views (no im2col).

Each of the pool_size² window offsets is one strided slice of the input, so
forward and backward loop over those few offsets, never over pixels. Windows
may overlap (stride < pool_size) or skip (stride > pool_size).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from playground.errors import SpecError
from playground.layers import reference
from playground.layers.base import Field, Layer, Shape, require_image
from playground.layers.parallel import in_chunks


class _Pool2D(Layer):
    group = "convolution"
    fields = (
        Field("pool_size", int, default=2, minimum=1, help="Height and width of each window."),
        Field("stride", int, default=2, minimum=1, help="Step between windows."),
    )

    def output_shape(self, input_shape: Shape) -> Shape:
        c, h, w = require_image(self, input_shape)
        k = self.pool_size
        if k > h or k > w:
            raise SpecError(f"pool_size {k} does not fit input {h}x{w}", field="pool_size", value=k)
        return (c, *self._out_hw(h, w))

    def _out_hw(self, h: int, w: int) -> tuple[int, int]:
        k, s = self.pool_size, self.stride
        return (h - k) // s + 1, (w - k) // s + 1

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

    @property
    def _overlapping(self) -> bool:
        """Whether windows share inputs, so that their gradients must be added up."""
        return self.stride < self.pool_size

    def _gradient_buffer(
        self, x_shape: tuple[int, ...], out_hw: tuple[int, int], dtype: np.dtype
    ) -> np.ndarray:
        """dx to scatter into: zeros, unless the windows tile x exactly and write all of it."""
        k, s = self.pool_size, self.stride
        tiles = s == k and x_shape[2:] == (k * out_hw[0], k * out_hw[1])
        return np.empty(x_shape, dtype) if tiles else np.zeros(x_shape, dtype)


class MaxPool2D(_Pool2D):
    type_name = "maxpool2d"
    reference = reference.MAXPOOL2D
    forward_doc = "Keeps the largest value of each window."
    backward_doc = (
        "Routes each window's gradient to the one position that held the maximum "
        "(the first one where values tie); all others get zero."
    )

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """x ``(N, C, H, W)`` -> out ``(N, C, OH, OW)``."""
        out = np.empty((*x.shape[:2], *self._out_hw(*x.shape[2:])), x.dtype)
        in_chunks(self._pool, x, out)
        self._x, self._out = x, out
        return out

    def _pool(self, x: np.ndarray, out: np.ndarray) -> None:
        """The maximum of each window of ``x`` into ``out``."""
        first, *others = self._offsets(out.shape[2:])
        out[...] = x[first]
        for window in others:
            np.maximum(out, x[window], out=out)

    def pieces(self) -> np.ndarray:
        """Each window's winner ``(N, C, OH, OW)``: the index of its first maximum's offset."""
        x, out = self._x, self._out
        winner = np.full(out.shape, -1)
        for index, window in enumerate(self._offsets(out.shape[2:])):
            winner[(winner < 0) & (x[window] == out)] = index
        return winner

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """dout ``(N, C, OH, OW)`` -> dx ``(N, C, H, W)``."""
        if not input_grad:
            return None
        x, out = self._x, self._out
        dx = self._gradient_buffer(x.shape, out.shape[2:], dout.dtype)
        in_chunks(self._route, x, out, dout, dx)
        return dx

    def _route(self, x: np.ndarray, out: np.ndarray, dout: np.ndarray, dx: np.ndarray) -> None:
        """Put each window's gradient ``dout`` on the input that held its maximum, in ``dx``."""
        routed = np.zeros(out.shape, bool)  # windows whose gradient already has a home
        for window in self._offsets(out.shape[2:]):
            winner = x[window] == out
            np.greater(winner, routed, out=winner)  # winner and not routed: ties go to the first
            routed |= winner
            if self._overlapping:
                dx[window] += dout * winner
            else:
                np.multiply(dout, winner, out=dx[window])


class AvgPool2D(_Pool2D):
    type_name = "avgpool2d"
    reference = reference.AVGPOOL2D
    forward_doc = "Averages each window."
    backward_doc = "Spreads each window's gradient evenly over its pool_size² inputs."

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """x ``(N, C, H, W)`` -> out ``(N, C, OH, OW)``."""
        offsets = self._offsets(self._out_hw(*x.shape[2:]))
        out = x[next(offsets)].copy()
        for window in offsets:
            out += x[window]
        out *= 1.0 / self.pool_size**2
        self._x_shape = x.shape
        return out

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """dout ``(N, C, OH, OW)`` -> dx ``(N, C, H, W)``."""
        if not input_grad:
            return None
        dx = self._gradient_buffer(self._x_shape, dout.shape[2:], dout.dtype)
        share = dout * (1.0 / self.pool_size**2)
        for window in self._offsets(dout.shape[2:]):
            if self._overlapping:
                dx[window] += share
            else:
                dx[window] = share
        return dx
