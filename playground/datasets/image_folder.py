"""A folder of images in one sub-folder per class, read with Pillow.

The class names are the sub-folder names, sorted; images may sit deeper inside a class folder.
Hidden files and files without an image extension are ignored.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.datasets.dataset import Dataset
from playground.errors import DataError

IMAGE_SUFFIXES = frozenset(
    (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm")
)


def is_image_folder(root: Path) -> bool:
    """Whether any sub-folder of ``root`` holds an image file."""
    return any(_is_image(p, folder) for folder in _class_folders(root) for p in folder.rglob("*"))


def load_image_folder(
    root: Path,
    size: int | tuple[int, int] | None = None,
    class_names: tuple[str, ...] | None = None,
) -> Dataset:
    """Images x ``(N, C, H, W)`` float32 in [0, 1] and y ``(N,)`` int64, the class index.

    C is 1 when every image is grey (R = G = B everywhere), else 3 (RGB; alpha is dropped).
    ``size`` (``(height, width)``, or one number for a square) resizes every image; without
    it all images must already have the same size. ``class_names`` fixes the classes and their
    order (the digits "0"-"9", say): their folders may then be missing or empty.
    """
    if class_names is None:
        classes = _class_folders(root)
        if len(classes) < 2:
            raise DataError(
                f"{root.name}: found {len(classes)} class folder(s); a classifier needs at "
                "least 2 (put the images of each class in a sub-folder named after it)"
            )
    else:
        classes = [root / name for name in class_names]
    target = (size, size) if isinstance(size, int) else size
    if target is not None and min(target) < 1:
        raise DataError(f"size {size!r} must be positive")
    pixels, labels = [], []
    first: Path | None = None
    for index, folder in enumerate(classes):
        files = _images(folder) if folder.is_dir() else []
        if not files and class_names is None:
            raise DataError(f"{root.name}: class folder {folder.name!r} holds no images")
        for file in files:
            image = _read(file, root, target)
            if first is None:
                first = file
            elif image.shape != pixels[0].shape:
                h, w = image.shape[:2]
                ref_h, ref_w = pixels[0].shape[:2]
                raise DataError(
                    f"{_shown(file, root)}: {w}x{h} pixels, but "
                    f"{_shown(first, root)} is {ref_w}x{ref_h}; "
                    "resize the images to one size (the size option does it)"
                )
            pixels.append(image)
            labels.append(index)
    if not pixels:
        raise DataError(f"{root.name}: no images in any class folder")
    x = np.stack(pixels)  # (N, H, W, 3) uint8
    grey = (x[..., 0] == x[..., 1]).all() and (x[..., 1] == x[..., 2]).all()
    x = x[..., :1] if grey else x
    x = np.ascontiguousarray(x.transpose(0, 3, 1, 2)).astype(np.float32) / np.float32(255)
    names = class_names or tuple(f.name for f in classes)
    return Dataset(root.name, x, np.array(labels, np.int64), names)


def _class_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def _images(folder: Path) -> list[Path]:
    """The image files under ``folder``, sorted by path."""
    return sorted(p for p in folder.rglob("*") if _is_image(p, folder))


def _is_image(path: Path, folder: Path) -> bool:
    """Whether ``path`` (under ``folder``) is an image file, not hidden nor in a hidden folder."""
    return (
        path.suffix.lower() in IMAGE_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def _shown(file: Path, root: Path) -> str:
    """``file`` as the user knows it: the dataset folder's name and the path inside it."""
    return str(Path(root.name) / file.relative_to(root))


def _read(file: Path, root: Path, size: tuple[int, int] | None) -> np.ndarray:
    """One image as RGB uint8 ``(H, W, 3)``, resized to ``size`` ``(height, width)`` if given."""
    # Imported here so that only image folders need Pillow; the rest of the engine is NumPy.
    from PIL import Image, ImageOps

    try:
        with Image.open(file) as image:
            # Photos are often stored sideways with an EXIF note to turn them.
            rgb = ImageOps.exif_transpose(image).convert("RGB")
            if size is not None:
                rgb = rgb.resize((size[1], size[0]), Image.Resampling.BILINEAR)
            return np.asarray(rgb)
    # Pillow's decoders fail in many ways (OSError, SyntaxError, struct.error, bomb checks, ...).
    except Exception as exc:
        raise DataError(f"{_shown(file, root)}: cannot read the image ({exc})") from exc
