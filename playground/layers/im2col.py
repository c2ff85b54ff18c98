"""im2col / col2im for convolution as one matrix product, built with stride tricks.

Rows of the column matrix are output positions in (n, oh, ow) order and columns
are (c, kh, kw), so a GEMM with the ``(C*kh*kw, F)`` weight matrix yields the
output in NHWC order, which the conv layer exposes as an NCHW view (no copy).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - kernel) // stride + 1


def pad_image(x: np.ndarray, padding: int) -> np.ndarray:
    """Zero-pad the two spatial axes of ``(N, C, H, W)``."""
    if padding == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def im2col(x: np.ndarray, kh: int, kw: int, stride: int, padding: int) -> np.ndarray:
    """x ``(N, C, H, W)`` -> cols ``(N*OH*OW, C*kh*kw)``, a fresh C-contiguous array."""
    n, c = x.shape[:2]
    windows = sliding_window_view(pad_image(x, padding), (kh, kw), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride]  # (N, C, OH, OW, kh, kw)
    oh, ow = windows.shape[2:4]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)


def col2im(
    dcols: np.ndarray, x_shape: tuple[int, ...], kh: int, kw: int, stride: int, padding: int
) -> np.ndarray:
    """Sum column gradients ``(N*OH*OW, C*kh*kw)`` back onto the input ``x_shape``.

    One strided slice-add per kernel offset (kh*kw of them), never per pixel.
    """
    n, c, h, w = x_shape
    oh = conv_output_size(h, kh, stride, padding)
    ow = conv_output_size(w, kw, stride, padding)
    d = dcols.reshape(n, oh, ow, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)  # (N,C,kh,kw,OH,OW)
    dx = np.zeros((n, c, h + 2 * padding, w + 2 * padding), dcols.dtype)
    for i in range(kh):
        for j in range(kw):
            dx[:, :, i : i + stride * oh : stride, j : j + stride * ow : stride] += d[:, :, i, j]
    if padding:
        dx = dx[:, :, padding : padding + h, padding : padding + w]
    return dx
