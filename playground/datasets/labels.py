"""Turn the labels found in a user's file into class indices and class names."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from playground.errors import DataError


def encode_labels(
    values: np.ndarray, source: str, where: Callable[[int], str]
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Class indices ``(N,)`` int64 and class names for raw labels ``values`` ``(N,)``.

    Whole numbers >= 0 are kept as the class indices (class ``k`` is named ``"k"``), so that
    separate files of one dataset agree even when one lacks a class. Negative whole numbers and
    strings become class names, sorted, indexed in that order. ``source`` names the file in
    messages about the labels as a whole; ``where(i)`` names the place of the ``i``-th label.
    """
    numbers = _as_numbers(values)
    if numbers is None:
        y, names = _encode_names(values, where)
    else:
        y, names = _encode_numbers(numbers, values, where)
    present = np.unique(y)
    if len(present) < 2:
        raise DataError(
            f"{source}: every label is {names[present[0]]!r}; a classifier needs at least 2 classes"
        )
    return y, names


def _as_numbers(values: np.ndarray) -> np.ndarray | None:
    """``values`` as float64 if every one is a number, else None (they are names)."""
    if values.dtype.kind in "biuf":
        return values.astype(np.float64)
    try:
        return np.char.strip(values.astype(str)).astype(np.float64)
    except ValueError:
        return None


def _encode_numbers(
    numbers: np.ndarray, raw: np.ndarray, where: Callable[[int], str]
) -> tuple[np.ndarray, tuple[str, ...]]:
    whole = np.isfinite(numbers) & (numbers == np.round(numbers))
    if not whole.all():
        i = int(np.argmin(whole))
        raise DataError(f"{where(i)}: label {str(raw[i]).strip()!r} is not a whole number")
    ints = numbers.astype(np.int64)
    if ints.min() >= 0:
        return ints, tuple(str(k) for k in range(int(ints.max()) + 1))
    classes, y = np.unique(ints, return_inverse=True)
    return y.reshape(-1).astype(np.int64), tuple(str(c) for c in classes)


def _encode_names(
    values: np.ndarray, where: Callable[[int], str]
) -> tuple[np.ndarray, tuple[str, ...]]:
    names = np.char.strip(values.astype(str))
    empty = names == ""
    if empty.any():
        raise DataError(f"{where(int(np.argmax(empty)))}: empty label")
    classes, y = np.unique(names, return_inverse=True)
    return y.reshape(-1).astype(np.int64), tuple(str(c) for c in classes)
