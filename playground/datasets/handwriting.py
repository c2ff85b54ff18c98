"""The user's own digits, saved one at a time from the draw pad ("this was a 7").

They live in ``paths.handwriting_dir()`` as an image folder the loader already reads: one
sub-folder per digit (``0/`` ... ``9/``) of 28x28 grey PNGs, white ink on black, exactly the
image the network read. ``load_dataset("handwriting")`` loads them and
``load_dataset("digits+handwriting")`` adds them to the bundled digits, to fine-tune on.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path

import numpy as np

from playground.datasets.dataset import Dataset
from playground.datasets.image_folder import load_image_folder
from playground.errors import DataError
from playground.paths import handwriting_dir

DIGITS = tuple(str(d) for d in range(10))


def save_handwriting(image: np.ndarray, label: int, folder: Path | None = None) -> Path:
    """Save one drawing ``(1, 28, 28)`` or ``(28, 28)`` in [0, 1] as ``<folder>/<label>/….png``.

    Atomic: written to a hidden temporary file in the class folder, then renamed, so the
    folder never holds half a file. Returns the saved file's path.
    """
    from PIL import Image

    if not 0 <= int(label) <= 9:
        raise DataError(f"label {label!r} is not a digit 0-9")
    pixels = np.asarray(image, np.float32).reshape(-1, *np.shape(image)[-2:])
    if pixels.shape != (1, 28, 28):
        raise DataError(f"a drawing must be 28x28, got {np.shape(image)}")
    target_dir = (folder or handwriting_dir()) / str(int(label))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"{stamp}-{uuid.uuid4().hex[:8]}.png"
    temp = target_dir / f".{target.name}.tmp"
    grey = Image.fromarray(np.round(np.clip(pixels[0], 0, 1) * 255).astype(np.uint8), "L")
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        with temp.open("wb") as f:
            grey.save(f, format="PNG")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):  # the folder itself may be what failed
            temp.unlink()
        raise DataError(f"cannot save the drawing in {target_dir}: {exc.strerror or exc}") from exc
    return target


def load_handwriting(folder: Path | None = None) -> Dataset:
    """The saved digits: x ``(N, 1, 28, 28)`` float32 in [0, 1], y the digit (0-9)."""
    root = folder or handwriting_dir()
    if not root.is_dir():
        raise DataError(
            "no handwriting saved yet: draw a digit on the pad and click the right digit"
        )
    data = load_image_folder(root, class_names=DIGITS)
    if data.sample_shape != (1, 28, 28):
        raise DataError(f"{root}: the saved drawings must be 28x28 grey images")
    return Dataset("handwriting", data.x, data.y, DIGITS)


def with_digits(digits: Dataset, handwriting: Dataset) -> Dataset:
    """The bundled digits followed by the user's own."""
    return Dataset(
        "digits+handwriting",
        np.concatenate([digits.x, handwriting.x]),
        np.concatenate([digits.y, handwriting.y]),
        DIGITS,
    )
