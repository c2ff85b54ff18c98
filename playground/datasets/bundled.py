"""The bundled MNIST subset (5,000 digits, 500 per class), shipped as uint8 in resources/."""

from __future__ import annotations

import numpy as np

from playground.datasets.dataset import Dataset
from playground.paths import resources_dir


def load_digits() -> Dataset:
    """5,000 images ``(5000, 1, 28, 28)`` float32 in [0, 1] and labels 0-9; works offline."""
    with np.load(resources_dir() / "data" / "digits.npz", allow_pickle=False) as data:
        images, labels = data["images"], data["labels"]
    x = (images.astype(np.float32) / 255.0)[:, None, :, :]
    return Dataset("digits", x, labels.astype(np.int64), tuple(str(d) for d in range(10)))
