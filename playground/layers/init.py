"""Weight initialisation: He for weights feeding a ReLU-family activation, Glorot otherwise."""

from __future__ import annotations

import numpy as np


def init_weights(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    fan_in: int,
    fan_out: int,
    he_init: bool,
) -> np.ndarray:
    """Normal weights of ``shape`` (float32): std √(2/fan_in) (He) or √(2/(fan_in+fan_out))."""
    std = np.sqrt(2.0 / fan_in) if he_init else np.sqrt(2.0 / (fan_in + fan_out))
    return (rng.standard_normal(shape) * std).astype(np.float32)
