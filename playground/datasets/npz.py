"""A NumPy ``.npz`` archive holding samples ``x`` and labels ``y``, loaded without pickle.

``x`` is ``(N, D)`` features, ``(N, H, W)`` greyscale images or ``(N, C, H, W)`` images;
uint8 images are scaled to [0, 1], other images must already be in [0, 1]. ``y`` ``(N,)``
holds whole numbers (class indices) or strings (class names).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from playground.datasets.dataset import Dataset
from playground.datasets.labels import encode_labels
from playground.datasets.sniff import describe, read_head
from playground.errors import DataError
from playground.npy_member import DAMAGED_ZIP_ERRORS, OversizedArray, read_npy_member

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def load_npz(path: Path) -> Dataset:
    """x float32 ``(N, D)`` or ``(N, C, H, W)`` and y ``(N,)`` int64 from an ``.npz`` file."""
    head = read_head(path)
    if not head.startswith(_ZIP_MAGIC):
        raise DataError(f"{path.name}: not an .npz archive (it is {describe(head)})")
    try:
        with zipfile.ZipFile(path) as archive:
            files = [n.removesuffix(".npy") for n in archive.namelist() if n.endswith(".npy")]
            missing = [key for key in ("x", "y") if key not in files]
            if missing:
                holds = ", ".join(files) or "nothing"
                raise DataError(
                    f"{path.name}: no array {' or '.join(map(repr, missing))} (it holds {holds})"
                )
            x, y = _member(path, archive, "x"), _member(path, archive, "y")
    except DAMAGED_ZIP_ERRORS as exc:
        raise DataError(f"{path.name}: corrupt .npz archive ({exc})") from exc
    x = _samples(path.name, x)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.dtype.kind not in "biufUS":
        raise DataError(
            f"{path.name}: y must be one label per sample, numbers or strings; "
            f"got {y.dtype} of shape {y.shape}"
        )
    if len(x) != len(y):
        raise DataError(f"{path.name}: x has {len(x)} samples but y has {len(y)} labels")
    labels, names = encode_labels(y, path.name, lambda i: f"{path.name} y[{i}]")
    return Dataset(path.stem, x, labels, names)


def _member(path: Path, archive: zipfile.ZipFile, key: str) -> np.ndarray:
    """One array of the archive; decoding errors and absurd declared sizes name it."""
    try:
        return read_npy_member(archive, f"{key}.npy")
    except OversizedArray as exc:
        raise DataError(f"{path.name}: {exc}") from exc
    except MemoryError:
        raise DataError(f"{path.name}: not enough memory for {key}") from None
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise DataError(
                f"{path.name}: {key} holds Python objects, which are not loaded (no pickle); "
                "save it as numbers or strings"
            ) from exc
        raise DataError(f"{path.name}: {key} is not a readable array ({exc})") from exc
    except DAMAGED_ZIP_ERRORS as exc:
        raise DataError(f"{path.name}: {key} is corrupt ({exc})") from exc


def _samples(name: str, x: np.ndarray) -> np.ndarray:
    """``x`` as float32 ``(N, D)`` or ``(N, C, H, W)``, checked to be finite (and in [0, 1])."""
    if x.dtype.kind not in "iuf":
        raise DataError(f"{name}: x holds {x.dtype}; expected numbers")
    if x.ndim not in (2, 3, 4):
        raise DataError(
            f"{name}: x has shape {x.shape}; expected (N, D), (N, H, W) or (N, C, H, W)"
        )
    if len(x) == 0:
        raise DataError(f"{name}: x holds no samples")
    if x.ndim == 4 and x.shape[1] > 4 and x.shape[3] <= 4:
        raise DataError(
            f"{name}: x has shape {x.shape}, which looks like (N, H, W, C); "
            "images must be channels first: save x.transpose(0, 3, 1, 2)"
        )
    if x.ndim == 3:
        x = x[:, None]
    if x.dtype == np.uint8:
        return x.astype(np.float32) / np.float32(255)
    with np.errstate(over="ignore"):
        x = x.astype(np.float32)
    finite = np.isfinite(x).reshape(len(x), -1).all(axis=1)
    if not finite.all():
        raise DataError(f"{name}: x[{int(np.argmin(finite))}] holds NaN or Inf")
    if x.ndim == 4 and (x.min() < 0 or x.max() > 1):
        raise DataError(
            f"{name}: images must be uint8 or in [0, 1], but x ranges from "
            f"{x.min():g} to {x.max():g}"
        )
    return x
