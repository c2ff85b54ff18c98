"""Distortions that make more training digits from few: for images, and for pen strokes.

Images get a random small rotation, scaling and shear, an elastic distortion (a smooth random
displacement field) and a thicker or thinner stroke; all of a batch at once, one bilinear
gather. Pen strokes get a random rotation, shear and stretch of their points, and are then
drawn with a random pen width by ``playground.drawing``, exactly as the draw pad draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


@dataclass(frozen=True)
class Distortion:
    """How far each random distortion goes (uniform in +-range unless a pair is given)."""

    rotation: float = 10.0  # degrees
    scale: tuple[float, float] = (0.9, 1.1)
    shear: float = 0.2  # x moves by shear * y
    elastic: float = 0.6  # pixels, standard deviation of the coarse displacement grid
    elastic_grid: int = 4  # coarse grid side: larger is a finer, more wiggly field
    thickness: tuple[float, float] = (-0.3, 0.6)  # < 0 erodes, > 0 dilates (fraction of 1 px)
    pen_width: tuple[float, float] = (0.10, 0.18)  # strokes: pen width / drawing size


def distort_images(x: np.ndarray, rng: np.random.Generator, d: Distortion) -> np.ndarray:
    """Images ``(N, 1, H, W)`` float32 in [0, 1] -> distorted copies of the same shape."""
    n, _, h, w = x.shape
    matrices = _random_matrices(n, rng, d) / rng.uniform(*d.scale, n)[:, None, None]
    # Output pixel p samples the input at A (p - c) + c + elastic(p): the inverse mapping.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx = (h - 1) / 2, (w - 1) / 2
    grid = np.stack([xx - cx, yy - cy])  # (2, H, W): x, y
    src = np.einsum("nij,jhw->nihw", matrices, grid) + np.array([cx, cy])[None, :, None, None]
    src += _elastic_field(n, h, w, rng, d)
    out = _bilinear(x[:, 0], src[:, 0], src[:, 1])
    return _change_thickness(out, rng.uniform(*d.thickness, n))[:, None].astype(np.float32)


def distort_strokes(
    strokes: list[np.ndarray], rng: np.random.Generator, d: Distortion
) -> list[np.ndarray]:
    """One digit's strokes ``[(K, 2), ...]`` rotated, sheared and stretched at random."""
    matrix = _random_matrices(1, rng, d)[0] * np.array([rng.uniform(*d.scale), 1.0])[:, None]
    return [s @ matrix.T for s in strokes]


def _random_matrices(n: int, rng: np.random.Generator, d: Distortion) -> np.ndarray:
    """``(N, 2, 2)`` rotation times shear, acting on (x, y) column vectors."""
    angle = np.deg2rad(rng.uniform(-d.rotation, d.rotation, n))
    shear = rng.uniform(-d.shear, d.shear, n)
    cos, sin = np.cos(angle), np.sin(angle)
    rotation = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    shearing = np.zeros((n, 2, 2))
    shearing[:, 0, 0] = shearing[:, 1, 1] = 1
    shearing[:, 0, 1] = shear
    return rotation @ shearing


def _elastic_field(n: int, h: int, w: int, rng: np.random.Generator, d: Distortion) -> np.ndarray:
    """A smooth displacement ``(N, 2, H, W)``: a coarse random grid, bilinearly upsampled."""
    g = d.elastic_grid
    coarse = rng.normal(0, d.elastic, (n, 2, g, g))
    up_y, up_x = _upsampling(h, g), _upsampling(w, g)
    return np.einsum("hi,ncij,wj->nchw", up_y, coarse, up_x)


def _upsampling(size: int, grid: int) -> np.ndarray:
    """``(size, grid)``: the linear-interpolation weights from ``grid`` knots to ``size``."""
    pos = np.linspace(0, grid - 1, size)
    low = np.minimum(np.floor(pos).astype(int), grid - 2)
    frac = pos - low
    weights = np.zeros((size, grid))
    weights[np.arange(size), low] = 1 - frac
    weights[np.arange(size), low + 1] = frac
    return weights


def _bilinear(images: np.ndarray, sx: np.ndarray, sy: np.ndarray) -> np.ndarray:
    """``images`` ``(N, H, W)`` sampled at ``(sx, sy)`` ``(N, H, W)``; zero outside."""
    n, h, w = images.shape
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    # Positions in the padded image, kept to it: beyond one pixel outside the image, the
    # zero border on either side gives the right answer, 0.
    px = np.clip(sx + 1, 0, w + 1)
    py = np.clip(sy + 1, 0, h + 1)
    x0, y0 = np.floor(px).astype(int), np.floor(py).astype(int)
    fx, fy = px - x0, py - y0
    batch = np.arange(n)[:, None, None]
    x1, y1 = np.minimum(x0 + 1, w + 1), np.minimum(y0 + 1, h + 1)
    top = padded[batch, y0, x0] * (1 - fx) + padded[batch, y0, x1] * fx
    bottom = padded[batch, y1, x0] * (1 - fx) + padded[batch, y1, x1] * fx
    return top * (1 - fy) + bottom * fy


def _change_thickness(images: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """``(N, H, W)``: blend towards the 3x3 grey dilation (amount > 0) or erosion (< 0)."""
    windows = sliding_window_view(np.pad(images, ((0, 0), (1, 1), (1, 1))), (3, 3), axis=(1, 2))
    grown, shrunk = windows.max(axis=(-2, -1)), windows.min(axis=(-2, -1))
    a = amount[:, None, None]
    target = np.where(a > 0, grown, shrunk)
    return np.clip(images + np.abs(a) * (target - images), 0, 1)
