"""The user's own data: decide what a path holds and hand it to the loader for that kind."""

from __future__ import annotations

from pathlib import Path

from playground.datasets.csv_table import load_csv
from playground.datasets.dataset import Dataset
from playground.datasets.idx import IDX_NAME, has_idx_files, load_idx
from playground.datasets.image_folder import is_image_folder, load_image_folder
from playground.datasets.npz import load_npz
from playground.datasets.sniff import describe, read_head
from playground.errors import DataError

KINDS = (
    "a .csv table, an .npz with x and y, MNIST IDX files (…-images-idx3-ubyte[.gz]) "
    "or a folder of them, or a folder with one sub-folder of images per class"
)


def load_path(
    path: Path, *, part: str | None = None, size: int | tuple[int, int] | None = None
) -> Dataset:
    """The dataset in a file or folder.

    ``part`` (``"train"`` or ``"test"``) picks the pair in a folder of IDX files (the training
    pair by default); ``size`` resizes the images of an image folder. Each is refused for kinds
    it does not apply to.
    """
    try:
        kind = _kind(path)
        if part is not None and kind != "idx folder":
            raise DataError(f"{path.name}: part={part!r} applies only to a folder of IDX files")
        if size is not None and kind != "image folder":
            raise DataError(f"{path.name}: size={size!r} applies only to a folder of images")
        if kind == "idx folder":
            return load_idx(path, part)
        if kind == "image folder":
            return load_image_folder(path, size)
        return {"idx": load_idx, "npz": load_npz, "csv": load_csv}[kind](path)
    except OSError as exc:
        name = Path(exc.filename).name if exc.filename else path.name
        raise DataError(f"{name}: cannot read ({exc.strerror or exc})") from exc


def _kind(path: Path) -> str:
    if path.is_dir():
        if has_idx_files(path):
            return "idx folder"
        if is_image_folder(path):
            return "image folder"
        raise DataError(f"{path.name}: nothing here to load; expected {KINDS}")
    name = path.name.lower()
    if IDX_NAME.search(name):
        return "idx"
    for suffix in ("npz", "csv"):
        if name.endswith("." + suffix):
            return suffix
    raise DataError(
        f"{path.name}: unknown kind of file (it is {describe(read_head(path))}); expected {KINDS}"
    )
