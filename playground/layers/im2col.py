"""im2col for convolution as batched GEMMs, built with stride tricks on "wide" rows.

Pad each image plane and view it flat. For kernel offset (i, j) the inputs
under the output positions are one evenly strided run of that flat plane,
starting at ``i*Wp + j``, provided each output row is taken to be ``Wp`` (the
padded width) wide instead of ``OW``: the extra ``Wp - OW`` positions per row
read whatever follows and are thrown away. So an image's column matrix
``(C*k*k, OH*Wp)`` is a copy of C*k*k runs (contiguous for stride 1, no
per-row gather), and ``W (F, C*k*k) @ cols`` gives ``(F, OH, Wp)``: NCHW with
no transpose after the GEMM, the output being the first ``OW`` columns of
each row. ``stride`` spare zero rows below each plane keep the last runs in
bounds.
"""

from __future__ import annotations

import numpy as np


def conv_output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - kernel) // stride + 1


class ZeroFrames:
    """Zero-initialised scratch arrays kept between calls, one per name, while shape and dtype hold.

    Each user writes the same entries on every call (an image into the middle of
    its padding), so the rest stays zero without clearing, and a training step
    allocates no fresh pages for them.
    """

    def __init__(self) -> None:
        self._frames: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        frame = self._frames.get(name)
        if frame is None or frame.shape != shape or frame.dtype != dtype:
            frame = self._frames[name] = np.zeros(shape, dtype)
        return frame


def padded_planes(x: np.ndarray, padding: int, stride: int, frames: ZeroFrames) -> np.ndarray:
    """x ``(N, C, H, W)`` -> ``(N, C, H + 2p + stride, W + 2p)``, zero-padded.

    The ``stride`` spare rows at the bottom are what the last wide rows read past the end.
    """
    n, c, h, w = x.shape
    shape = (n, c, h + 2 * padding + stride, w + 2 * padding)
    planes = frames.get("planes", shape, x.dtype)
    planes[:, :, padding : padding + h, padding : padding + w] = x
    return planes


def wide_windows(planes: np.ndarray, k: int, stride: int, out_rows: int) -> np.ndarray:
    """A read-only view ``(N, C, k, k, OH*Wp)`` of contiguous ``planes`` ``(N, C, rows, Wp)``.

    Entry ``[n, c, i, j, oh*Wp + ow]`` is the input that kernel tap (i, j) sees at
    output position (oh, ow); positions with ``ow >= OW`` are padding to discard.
    """
    n, c, _, wp = planes.shape
    sn, sc, srow, scol = planes.strides
    # Built directly rather than with as_strided, which costs several microseconds a call;
    # NumPy still checks that the view stays inside the planes.
    windows = np.ndarray(
        (n, c, k, k, out_rows * wp),
        planes.dtype,
        buffer=planes,
        strides=(sn, sc, srow, scol, stride * scol),
    )
    windows.flags.writeable = False
    return windows


def columns(windows: np.ndarray) -> np.ndarray:
    """Windows ``(n, C, k, k, L)`` copied into column matrices ``(n, C*k*k, L)``."""
    n, c, kh, kw, length = windows.shape
    cols = np.empty(windows.shape, windows.dtype)
    np.copyto(cols, windows)
    return cols.reshape(n, c * kh * kw, length)


def full_correlation_shape(x_shape: tuple[int, ...], filters: int, k: int) -> tuple[int, ...]:
    """The shape ``(N, F, H + k, W + k - 1)`` of the planes ``place_gradient`` fills."""
    n, _, h, w = x_shape
    return (n, filters, h + k, w + k - 1)


def place_gradient(dout: np.ndarray, planes: np.ndarray, k: int, stride: int, padding: int) -> None:
    """Lay out the upstream gradient so that dx is a stride-1 correlation of it.

    dout ``(N, F, OH, OW)`` -> planes ``(N, F, H + k, W + k - 1)`` (zero
    elsewhere): dout's values ``stride`` apart, offset by ``k - 1 - padding``,
    plus one spare row. Correlating them with the filters flipped in space, F and
    C swapped, gives dx ``(N, C, H, W)`` (the "full convolution" of the backward
    pass). Values that fall outside (padding > k - 1) only ever reach the padding: dropped.
    """
    oh, ow = dout.shape[2:]
    rows, cols = planes.shape[2] - 1, planes.shape[3]
    rows_to, rows_from = _placement(k - 1 - padding, stride, oh, rows)
    cols_to, cols_from = _placement(k - 1 - padding, stride, ow, cols)
    planes[:, :, rows_to, cols_to] = dout[:, :, rows_from, cols_from]


def _placement(offset: int, stride: int, count: int, size: int) -> tuple[slice, slice]:
    """Where entries ``a`` of ``count`` land at ``offset + stride*a``, kept inside ``size``.

    Returns the destination slice and the source slice of the entries that fit.
    """
    first = max(0, -(offset // stride))  # smallest a with offset + stride*a >= 0
    last = min(count - 1, (size - 1 - offset) // stride)
    start = offset + stride * first
    return slice(start, start + stride * (last - first) + 1, stride), slice(first, last + 1)
