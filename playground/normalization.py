"""``Normalization``: per-channel (images) or per-feature (vectors) standardisation.

Fitted on the training split and saved with the project, so prediction applies
exactly what training saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.errors import DataError

# A channel or feature this flat (e.g. an always-black border pixel) is only centred.
_MIN_STD = 1e-6


@dataclass(frozen=True, eq=False)
class Normalization:
    """``x -> (x - mean) / std``; mean and std are ``(C,)`` for images, ``(D,)`` for vectors."""

    mean: np.ndarray
    std: np.ndarray

    def __post_init__(self) -> None:
        mean = np.asarray(self.mean, np.float32).reshape(-1)
        std = np.asarray(self.std, np.float32).reshape(-1)
        if mean.shape != std.shape or not mean.size:
            raise DataError(
                f"normalisation needs one mean and one std per channel, "
                f"got {mean.size} and {std.size}"
            )
        if not (np.isfinite(mean).all() and np.isfinite(std).all() and (std > 0).all()):
            raise DataError("normalisation: mean and std must be finite, std > 0")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "std", std)

    @classmethod
    def fit(cls, x: np.ndarray) -> Normalization:
        """Statistics of x ``(N, C, H, W)`` per channel or ``(N, D)`` per feature."""
        if x.ndim not in (2, 4) or not len(x):
            raise DataError(f"cannot fit a normalisation to samples of shape {x.shape}")
        axes = (0, 2, 3) if x.ndim == 4 else (0,)
        mean = x.mean(axis=axes, dtype=np.float64)
        std = x.std(axis=axes, dtype=np.float64)
        return cls(mean, np.where(std < _MIN_STD, 1.0, std))

    def apply(self, x: np.ndarray) -> np.ndarray:
        """x ``(N, C, H, W)`` or ``(N, D)`` -> a new float32 array of the same shape."""
        if x.ndim < 2 or x.shape[1] != self.mean.size:
            raise DataError(
                f"samples of shape {x.shape[1:]} do not match a normalisation "
                f"of {self.mean.size} channels"
            )
        view = (1, -1) + (1,) * (x.ndim - 2)
        out = np.subtract(x, self.mean.reshape(view), dtype=np.float32)
        out /= self.std.reshape(view)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"mean": self.mean.tolist(), "std": self.std.tolist()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Normalization:
        return cls(np.asarray(d["mean"], np.float32), np.asarray(d["std"], np.float32))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Normalization):
            return NotImplemented
        return np.array_equal(self.mean, other.mean) and np.array_equal(self.std, other.std)
