"""Datasets: the bundled digits, 2-D toy sets, and the user's own files.

``load_dataset(name_or_path)`` returns a ``Dataset`` with float32 samples (images
NCHW in [0, 1]) and integer labels.
"""

from __future__ import annotations

from pathlib import Path

from playground.datasets.bundled import load_digits
from playground.datasets.dataset import Dataset
from playground.datasets.files import load_path
from playground.datasets.handwriting import load_handwriting, with_digits
from playground.datasets.toy import TOY_SETS
from playground.errors import DataError

# The user's own digits from the draw pad, alone or added to the bundled ones.
HANDWRITING_NAMES = ("handwriting", "digits+handwriting")
BUILTIN_NAMES = ("digits", *HANDWRITING_NAMES, *TOY_SETS)


def load_dataset(
    name_or_path: str | Path,
    *,
    n: int = 400,
    noise: float = 0.05,
    seed: int = 0,
    part: str | None = None,
    size: int | tuple[int, int] | None = None,
) -> Dataset:
    """A bundled set by name, or the user's own file or folder.

    ``n``, ``noise`` and ``seed`` shape the toy sets. For a path: ``part`` (``"train"``, the
    default, or ``"test"``) picks the pair in a folder of MNIST IDX files, and ``size``
    (``(height, width)`` or one number) resizes the images of a folder of class sub-folders.
    """
    key = str(name_or_path)
    if key in BUILTIN_NAMES and (part is not None or size is not None):
        raise DataError(f"{key}: part and size apply only to your own files")
    if key == "digits":
        return load_digits()
    if key == "handwriting":
        return load_handwriting()
    if key == "digits+handwriting":
        return with_digits(load_digits(), load_handwriting())
    if key in TOY_SETS:
        return TOY_SETS[key](n=n, noise=noise, seed=seed)
    path = Path(key).expanduser()
    if not path.exists():
        raise DataError(
            f"no dataset {key!r}: not a built-in ({', '.join(BUILTIN_NAMES)}) and no such file"
        )
    return load_path(path, part=part, size=size)


__all__ = ["BUILTIN_NAMES", "HANDWRITING_NAMES", "Dataset", "load_dataset"]
