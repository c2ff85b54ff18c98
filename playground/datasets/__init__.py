"""Datasets: the bundled digits, 2-D toy sets, and the user's own files.

``load_dataset(name_or_path)`` returns a ``Dataset`` with float32 samples (images
NCHW in [0, 1]) and integer labels.
"""

from __future__ import annotations

from pathlib import Path

from playground.datasets.bundled import load_digits
from playground.datasets.dataset import Dataset
from playground.datasets.toy import TOY_SETS
from playground.errors import DataError

BUILTIN_NAMES = ("digits", *TOY_SETS)


def load_dataset(
    name_or_path: str | Path, *, n: int = 400, noise: float = 0.05, seed: int = 0
) -> Dataset:
    """A bundled set by name (``n``, ``noise``, ``seed`` shape toy sets) or a file/folder."""
    key = str(name_or_path)
    if key == "digits":
        return load_digits()
    if key in TOY_SETS:
        return TOY_SETS[key](n=n, noise=noise, seed=seed)
    path = Path(key)
    if not path.exists():
        raise DataError(
            f"no dataset {key!r}: not a built-in ({', '.join(BUILTIN_NAMES)}) and no such file"
        )
    raise DataError(f"{path}: loading your own files is not available yet")


__all__ = ["BUILTIN_NAMES", "Dataset", "load_dataset"]
