"""``Dataset``: samples and integer labels, with a deterministic train/validation split."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from playground.errors import DataError


@dataclass(frozen=True)
class Dataset:
    """x ``(N, *sample_shape)`` float32 (images NCHW in [0, 1]); y ``(N,)`` int64."""

    name: str
    x: np.ndarray
    y: np.ndarray
    class_names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.x.dtype != np.float32:
            raise DataError(f"{self.name}: samples must be float32, got {self.x.dtype}")
        if self.y.shape != (len(self.x),):
            raise DataError(
                f"{self.name}: {len(self.x)} samples but labels of shape {self.y.shape}"
            )
        if not self.class_names:
            count = int(self.y.max()) + 1 if len(self.y) else 0
            object.__setattr__(self, "class_names", tuple(str(i) for i in range(count)))

    def __len__(self) -> int:
        return len(self.x)

    @property
    def sample_shape(self) -> tuple[int, ...]:
        return tuple(self.x.shape[1:])

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def is_image(self) -> bool:
        return self.x.ndim == 4

    def subset(self, indices: np.ndarray, name: str | None = None) -> Dataset:
        return Dataset(name or self.name, self.x[indices], self.y[indices], self.class_names)

    def split(self, validation_fraction: float, seed: int = 0) -> tuple[Dataset, Dataset]:
        """Stratified split: the same ``(fraction, seed)`` always gives the same samples."""
        if not 0 <= validation_fraction < 1:
            raise DataError(f"validation fraction {validation_fraction!r} must be in [0, 1)")
        rng = np.random.default_rng(seed)
        val_parts = []
        for label in np.unique(self.y):
            members = np.flatnonzero(self.y == label)
            rng.shuffle(members)
            val_parts.append(members[: int(round(len(members) * validation_fraction))])
        val = np.sort(np.concatenate(val_parts)) if val_parts else np.zeros(0, np.int64)
        train = np.setdiff1d(np.arange(len(self)), val)
        return self.subset(train, f"{self.name} (train)"), self.subset(
            val, f"{self.name} (validation)"
        )
