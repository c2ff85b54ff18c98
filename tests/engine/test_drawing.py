"""Drawing -> 28x28 as MNIST prepared its digits; pen strokes rendered like MNIST's."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from playground import load_dataset
from playground.datasets.pen_digits import HELD_OUT_WRITERS, load_pen_digits
from playground.drawing import BOX, FRAME, fit_to_frame, render_strokes, strokes_to_digit


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def _moved_and_shrunk(image: np.ndarray, factor: float, at: tuple[int, int]) -> np.ndarray:
    """``image`` (28, 28) resized by ``factor`` and pasted at ``at`` on a 200x160 canvas."""
    side = round(FRAME * factor)
    small = Image.fromarray(image, "F").resize((side, side), Image.Resampling.LANCZOS)
    canvas = np.zeros((160, 200), np.float32)
    canvas[at[0] : at[0] + side, at[1] : at[1] + side] = np.clip(np.asarray(small), 0, 1)
    return canvas


def _best_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two 28x28 images, at the best relative shift of at most 1 px."""
    padded = np.pad(b, 1)
    return max(
        np.corrcoef(a.ravel(), padded[1 + dy : 29 + dy, 1 + dx : 29 + dx].ravel())[0, 1]
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    )


@pytest.mark.parametrize(("factor", "at"), [(0.85, (3, 150)), (2.5, (40, 20)), (1.0, (7, 90))])
def test_shifted_and_resized_digit_comes_back_close(digits, factor, at):
    """MNIST's digits are already cropped, scaled and centred: moved and resized on a larger
    canvas, they come back where they were (to the pixel that MNIST's own rounding of the
    centre of mass allows) and in the same shape (resampling twice softens the edges)."""
    originals = digits.x[::250, 0]
    back = np.stack([fit_to_frame(_moved_and_shrunk(o, factor, at))[0] for o in originals])
    assert back.shape == (20, FRAME, FRAME) and back.dtype == np.float32
    aligned = [
        np.corrcoef(b.ravel(), o.ravel())[0, 1] for b, o in zip(back, originals, strict=True)
    ]
    assert np.median(aligned) > 0.9
    assert min(_best_correlation(b, o) for b, o in zip(back, originals, strict=True)) > 0.85
    assert np.abs(back - originals).mean() < 0.05


def test_output_is_mnist_framed():
    tall = [np.array([[50.0, 10.0], [50.0, 300.0]])]  # a vertical stroke, a "1"
    image = strokes_to_digit(tall)
    assert image.shape == (1, 28, 28) and image.dtype == np.float32
    assert 0 <= image.min() and image.max() <= 1
    rows = np.flatnonzero((image[0] > 0.05).any(axis=1))
    assert rows[-1] - rows[0] + 1 in (BOX, BOX + 1)  # the longer side is 20 px
    mass = image[0].sum()
    cy = image[0].sum(axis=1) @ np.arange(FRAME) / mass
    cx = image[0].sum(axis=0) @ np.arange(FRAME) / mass
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5  # where MNIST's are


def test_empty_and_nearly_empty_give_none():
    assert strokes_to_digit([]) is None
    assert strokes_to_digit([[]]) is None
    assert strokes_to_digit([[(5, 5)]]) is None  # one click: no extent
    assert strokes_to_digit([[(5, 5), (6, 5)]], min_extent=10) is None
    assert fit_to_frame(np.zeros((50, 50), np.float32)) is None
    assert fit_to_frame(np.full((50, 50), 0.01, np.float32)) is None


def test_pen_width_is_relative_to_the_drawing():
    stroke = np.array([[0.0, 0.0], [10.0, 30.0], [20.0, 0.0]])
    small, large = strokes_to_digit([stroke]), strokes_to_digit([stroke * 37])
    np.testing.assert_allclose(small, large, atol=0.02)
    thin, thick = strokes_to_digit([stroke], pen_width=0.08), strokes_to_digit([stroke], 0.2)
    assert thick.sum() > 1.5 * thin.sum()


def test_render_strokes_draws_round_pen_inside_the_image():
    ink = render_strokes([[(0, 0), (100, 0)], [(50, 50)]], pen_width=0.1, size=100)
    assert ink.dtype == np.float32 and ink.max() == 1.0
    assert ink.shape[1] > 100 and ink.shape[0] > 50  # the pen's width fits around the points
    assert ink[0].max() == 0 and ink[:, 0].max() == 0  # a margin: nothing is cut off


def test_pen_digits_render_with_mnist_like_ink(digits):
    """The pen width makes drawn digits carry as much ink as MNIST's (within 15%)."""
    pen = load_pen_digits()
    sample = pen.select(held_out=False)
    subset = type(sample)(sample.strokes[::10], sample.labels[::10], sample.writers[::10])
    drawn = subset.render()
    ratio = drawn.x.sum(axis=(1, 2, 3)).mean() / digits.x.sum(axis=(1, 2, 3)).mean()
    assert 0.85 < ratio < 1.15
    assert not set(sample.writers.tolist()) & HELD_OUT_WRITERS


def test_bundled_pen_digits():
    pen = load_pen_digits()
    assert len(pen) == 7494
    assert set(np.unique(pen.writers).tolist()) == set(range(1, 31))
    assert np.bincount(pen.labels).min() > 700
    held = pen.select(held_out=True)
    assert set(held.writers.tolist()) == HELD_OUT_WRITERS
    assert len(held) + len(pen.select(held_out=False)) == len(pen)
    assert all(s.ndim == 2 and s.shape[1] == 2 for digit in pen.strokes[:50] for s in digit)
