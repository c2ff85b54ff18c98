"""The bundled pen-drawn digits: 7,494 digits by 30 writers, recorded as pen strokes.

Stored compactly in ``resources/data/pen_digits.npz`` (see ``resources/data/README.md``):
``points`` ``(P, 2)`` uint16 (x, y; y down), ``stroke_ends`` ``(S,)`` the end of each stroke in
``points``, ``digit_ends`` ``(N,)`` the end of each digit in ``stroke_ends``, ``labels``
``(N,)`` uint8 and ``writers`` ``(N,)`` uint8 (1-30).

Writers in ``HELD_OUT_WRITERS`` are never used for training or tuning the default model; the
accuracy figures on unseen writers are taken on them. Made from the UCI recordings with
``python -m playground.datasets.pen_digits pen_digits_train.json.gz resources/data/pen_digits.npz``.
"""

from __future__ import annotations

import argparse
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.datasets.dataset import Dataset
from playground.drawing import PEN_WIDTH, strokes_to_digit
from playground.paths import resources_dir

# Every third writer, fixed once: 10 of 30 writers (about 2,500 digits) for measuring only.
HELD_OUT_WRITERS = frozenset(range(3, 31, 3))
FILE = "pen_digits.npz"


@dataclass(frozen=True)
class PenDigits:
    """Digits as strokes: ``strokes[i]`` is a list of ``(K, 2)`` float32 point arrays."""

    strokes: list[list[np.ndarray]]
    labels: np.ndarray  # (N,) int64
    writers: np.ndarray  # (N,) int64, 1-30

    def __len__(self) -> int:
        return len(self.labels)

    def select(self, held_out: bool) -> PenDigits:
        """The held-out writers' digits (``True``) or the training writers' (``False``)."""
        keep = np.isin(self.writers, sorted(HELD_OUT_WRITERS)) == held_out
        index = np.flatnonzero(keep)
        return PenDigits([self.strokes[i] for i in index], self.labels[index], self.writers[index])

    def render(self, pen_width: float = PEN_WIDTH, name: str = "pen digits") -> Dataset:
        """Every digit as the draw pad prepares a drawing: ``(N, 1, 28, 28)`` float32."""
        images = [strokes_to_digit(s, pen_width) for s in self.strokes]
        x = np.stack(images) if images else np.zeros((0, 1, 28, 28), np.float32)
        return Dataset(name, x, self.labels.copy(), tuple(str(d) for d in range(10)))


def load_pen_digits(path: Path | None = None) -> PenDigits:
    """The bundled pen digits (or another file in the same format)."""
    path = path or resources_dir() / "data" / FILE
    with np.load(path, allow_pickle=False) as data:
        points = data["points"].astype(np.float32)
        stroke_ends = data["stroke_ends"]
        digit_ends = data["digit_ends"]
        labels = data["labels"].astype(np.int64)
        writers = data["writers"].astype(np.int64)
    strokes = np.split(points, stroke_ends[:-1])
    starts = np.concatenate([[0], digit_ends[:-1]])
    digits = [strokes[a:b] for a, b in zip(starts, digit_ends, strict=True)]
    return PenDigits(digits, labels, writers)


def convert(source: Path, target: Path) -> int:
    """The UCI recordings as JSON lines (``../shared/data/pen-digits``) -> the compact npz."""
    with gzip.open(source, "rt", encoding="utf-8") as f:
        records = json.load(f)
    strokes = [np.asarray(s, np.uint16).reshape(-1, 2) for r in records for s in r["strokes"]]
    counts = [len(r["strokes"]) for r in records]
    np.savez_compressed(
        target,
        points=np.concatenate(strokes),
        stroke_ends=np.cumsum([len(s) for s in strokes]).astype(np.int32),
        digit_ends=np.cumsum(counts).astype(np.int32),
        labels=np.array([r["label"] for r in records], np.uint8),
        writers=np.array([int(r["writer"].split("-")[1]) for r in records], np.uint8),
    )
    return len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description="Convert the UCI pen-digit recordings.")
    parser.add_argument("source", type=Path, help="pen_digits_train.json.gz")
    parser.add_argument("target", type=Path, help="the .npz to write")
    args = parser.parse_args()
    print(f"{convert(args.source, args.target)} digits written to {args.target}")


if __name__ == "__main__":
    main()
