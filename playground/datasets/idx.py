"""MNIST-format IDX files, gzipped or not: full MNIST, Fashion-MNIST, EMNIST.

An IDX file is a 4-byte magic number (two zero bytes, a data-type code, the number of
dimensions), one big-endian uint32 per dimension, then the values, big-endian, row-major.
A dataset is a pair: images ``…-images-idx3-ubyte`` ``(N, H, W)`` uint8 and labels
``…-labels-idx1-ubyte`` ``(N,)``, each optionally ending in ``.gz``.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

import numpy as np

from playground.datasets.dataset import Dataset
from playground.datasets.labels import encode_labels
from playground.datasets.sniff import describe
from playground.errors import DataError

_GZIP_MAGIC = b"\x1f\x8b"
_TYPES = {
    0x08: (">u1", "unsigned bytes"),
    0x09: (">i1", "signed bytes"),
    0x0B: (">i2", "int16"),
    0x0C: (">i4", "int32"),
    0x0D: (">f4", "float32"),
    0x0E: (">f8", "float64"),
}
# "train-images-idx3-ubyte", "t10k-images.idx3-ubyte.gz", "emnist-digits-test-images-idx3-ubyte"
_IMAGES_NAME = re.compile(r"(?P<part>train|t10k|test)-images[-.]idx3-ubyte(\.gz)?$")
IDX_NAME = re.compile(r"idx[0-9]-ubyte(\.gz)?$")
PARTS = ("train", "test")


def read_idx(path: Path) -> np.ndarray:
    """The array an IDX file holds (gzipped or not), in the shape and type of its header."""
    data = path.read_bytes()
    if data.startswith(_GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(f"{path.name}: corrupt gzip data ({exc})") from exc
    if len(data) < 4 or data[:2] != b"\0\0":
        raise DataError(f"{path.name}: not an IDX file (it is {describe(data[:16])})")
    code, ndim = data[2], data[3]
    if code not in _TYPES:
        raise DataError(f"{path.name}: unknown IDX data type code 0x{code:02X}")
    if ndim == 0:
        raise DataError(f"{path.name}: the IDX header gives no dimensions")
    start = 4 + 4 * ndim
    if len(data) < start:
        raise DataError(f"{path.name}: truncated in the IDX header ({len(data)} bytes)")
    dims = tuple(int(d) for d in np.frombuffer(data, ">u4", count=ndim, offset=4))
    dtype, type_name = np.dtype(_TYPES[code][0]), _TYPES[code][1]
    count = int(np.prod(dims, dtype=object))  # Python ints: a forged header cannot overflow
    expected = count * dtype.itemsize
    found = len(data) - start
    if found != expected:
        shape = "x".join(map(str, dims))
        problem = "truncated" if found < expected else f"{found - expected} bytes too long"
        raise DataError(
            f"{path.name}: {problem}: the header promises {shape} {type_name} "
            f"({expected} bytes of data) but the file holds {found}"
        )
    values = np.frombuffer(data, dtype, count=count, offset=start)
    return values.reshape(dims).astype(dtype.newbyteorder("="))


def load_idx(path: Path, part: str | None = None) -> Dataset:
    """MNIST-format images and labels as x ``(N, 1, H, W)`` float32 in [0, 1], y ``(N,)``.

    ``path`` is a folder holding the standard file names (``part`` picks the ``"train"``
    pair, the default, or the ``"test"`` (``t10k``) pair), or one file of a pair, whose
    partner must sit beside it.
    """
    if path.is_dir():
        images = _images_in_folder(path, part or "train")
        name = path.name if part in (None, "train") else f"{path.name} {part}"
    else:
        if part is not None:
            raise DataError(f"{path.name}: part={part!r} applies only to a folder of IDX files")
        images = _partner(path, "labels", "images") if _is_labels_name(path) else path
        name = images.name.removesuffix(".gz")
    labels = _partner(images, "images", "labels")
    return _pair_dataset(name, images, labels)


def has_idx_files(folder: Path) -> bool:
    """Whether ``folder`` holds any file named like an IDX file."""
    return any(IDX_NAME.search(p.name) for p in folder.iterdir() if p.is_file())


def _pair_dataset(name: str, images_path: Path, labels_path: Path) -> Dataset:
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise DataError(
            f"{images_path.name}: expected images of unsigned bytes (count, rows, columns), "
            f"got {images.dtype} of shape {images.shape}"
        )
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise DataError(
            f"{labels_path.name}: expected one integer label per image, "
            f"got {labels.dtype} of shape {labels.shape}"
        )
    if len(images) != len(labels):
        raise DataError(
            f"{images_path.name} holds {len(images)} images but "
            f"{labels_path.name} holds {len(labels)} labels"
        )
    if len(images) == 0:
        raise DataError(f"{images_path.name}: holds no images")
    y, names = encode_labels(labels, labels_path.name, lambda i: f"{labels_path.name} record {i}")
    x = (images.astype(np.float32) / 255.0)[:, None, :, :]
    return Dataset(name, x, y, names)


def _images_in_folder(folder: Path, part: str) -> Path:
    """The images file of ``part`` in ``folder``; the uncompressed one when both are there."""
    if part not in PARTS:
        raise DataError(f"part {part!r} must be one of {', '.join(PARTS)}")
    found: dict[str, list[Path]] = {}
    for p in sorted(folder.iterdir()):
        match = _IMAGES_NAME.search(p.name)
        if match and p.is_file() and (match["part"] == "train") == (part == "train"):
            found.setdefault(p.name.removesuffix(".gz"), []).append(p)
    if not found:
        raise DataError(
            f"{folder.name}: no {part} images in this folder "
            f"(looked for {'train' if part == 'train' else 't10k'}-images-idx3-ubyte[.gz])"
        )
    if len(found) > 1:
        raise DataError(
            f"{folder.name}: several sets of {part} images ({', '.join(sorted(found))}); "
            "choose one images file"
        )
    (candidates,) = found.values()
    return min(candidates, key=lambda p: p.suffix == ".gz")


def _is_labels_name(path: Path) -> bool:
    return "labels" in path.name and "idx1" in path.name


def _partner(path: Path, this: str, other: str) -> Path:
    """The file beside ``path`` whose name has ``other`` for ``this``, gzipped or not."""
    dims = {"images": "idx3", "labels": "idx1"}
    base = path.name.removesuffix(".gz").replace(this, other).replace(dims[this], dims[other])
    if base == path.name.removesuffix(".gz"):
        raise DataError(
            f"{path.name}: cannot tell which file holds its {other}; "
            f"name the pair like train-images-idx3-ubyte and train-labels-idx1-ubyte"
        )
    for candidate in (base, base + ".gz"):
        if (path.parent / candidate).is_file():
            return path.parent / candidate
    raise DataError(f"{path.name}: no {other} file beside it (looked for {base}[.gz])")
