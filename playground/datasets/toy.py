"""2-D toy classification sets in the spirit of TensorFlow Playground, generated from a seed.

Each returns ``x`` ``(n, 2)`` float32 (roughly within [-1, 1]) and ``y`` ``(n,)`` int64.
``noise`` is the standard deviation of Gaussian jitter relative to the data's scale.
"""

from __future__ import annotations

import numpy as np

from playground.datasets.dataset import Dataset
from playground.errors import DataError, SpecError
from playground.layers import Field

# The options every toy set takes, checked before any generator runs (a negative noise
# is NumPy's "scale < 0", a negative count its "negative dimensions").
TOY_OPTIONS = {
    f.name: f
    for f in (
        Field("n", int, minimum=2, maximum=1_000_000, help="Points in the set."),
        Field("noise", float, minimum=0, maximum=10, help="Standard deviation of the jitter."),
        Field("seed", int, minimum=0, help="Seed of the generator."),
    )
}


def _finish(name: str, x: np.ndarray, y: np.ndarray, classes: int) -> Dataset:
    return Dataset(
        name, x.astype(np.float32), y.astype(np.int64), tuple(str(c) for c in range(classes))
    )


def spiral(n: int = 400, noise: float = 0.05, seed: int = 0, classes: int = 2) -> Dataset:
    """Interleaved arms winding 1.75 turns out from the centre, one per class."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    r = rng.uniform(0.05, 1.0, n)
    theta = 3.5 * np.pi * r + 2 * np.pi * y / classes
    x = np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1)
    x += rng.normal(0, noise, x.shape)
    return _finish("spiral", x, y, classes)


def circles(n: int = 400, noise: float = 0.05, seed: int = 0) -> Dataset:
    """A disc (class 0) inside a ring (class 1)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    r = np.where(y == 0, rng.uniform(0, 0.45, n), rng.uniform(0.65, 1.0, n))
    theta = rng.uniform(0, 2 * np.pi, n)
    x = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1)
    x += rng.normal(0, noise, x.shape)
    return _finish("circles", x, y, 2)


def xor(n: int = 400, noise: float = 0.05, seed: int = 0) -> Dataset:
    """Points in the four quadrants; the label is whether x₁·x₂ > 0."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    x += np.sign(x) * 0.05  # a small margin around the axes
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    x += rng.normal(0, noise, x.shape)
    return _finish("xor", x, y, 2)


def gaussians(n: int = 400, noise: float = 0.05, seed: int = 0) -> Dataset:
    """Two Gaussian blobs at (±0.5, ±0.5); noise widens them."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    centres = np.where(y[:, None] == 0, 0.5, -0.5)
    x = centres + rng.normal(0, 0.15 + noise, (n, 2))
    return _finish("gaussians", x, y, 2)


def moons(n: int = 400, noise: float = 0.05, seed: int = 0) -> Dataset:
    """Two interleaving half circles."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    x = np.where(y[:, None] == 0, upper, lower)
    x = (x - [0.5, 0.25]) / 1.25
    x += rng.normal(0, noise, x.shape)
    return _finish("moons", x, y, 2)


TOY_SETS = {
    "spiral": spiral,
    "circles": circles,
    "xor": xor,
    "gaussians": gaussians,
    "moons": moons,
}


def toy_set(name: str, **options: float) -> Dataset:
    """The toy set ``name`` with ``options`` (n, noise, seed) checked first.

    Raises DataError naming the set, the option and the value.
    """
    for key, value in options.items():
        try:
            TOY_OPTIONS[key].validate(value)
        except SpecError as exc:
            raise DataError(f"{name}: {exc.detail}") from None
    return TOY_SETS[name](**options)
