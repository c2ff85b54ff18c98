"""Distortions for training digits, against plain per-pixel forms."""

from __future__ import annotations

import numpy as np

from playground import load_dataset
from playground.augment import (
    Distortion,
    _bilinear,
    _change_thickness,
    distort_images,
    distort_strokes,
)

NONE = Distortion(
    rotation=0, scale=(1, 1), shear=0, elastic=0, thickness=(0, 0), pen_width=(0.14, 0.14)
)


def test_no_distortion_gives_the_images_back():
    x = load_dataset("digits").x[:8]
    out = distort_images(x, np.random.default_rng(0), NONE)
    assert out.dtype == np.float32 and out.shape == x.shape
    np.testing.assert_allclose(out, x, atol=1e-6)


def test_distortions_are_seeded_and_stay_in_range():
    x = load_dataset("digits").x[:16]
    a = distort_images(x, np.random.default_rng(3), Distortion())
    b = distort_images(x, np.random.default_rng(3), Distortion())
    np.testing.assert_array_equal(a, b)
    assert 0 <= a.min() and a.max() <= 1
    assert not np.allclose(a, x)
    # Mild: the distorted digit still overlaps its original.
    overlap = (a * x).sum(axis=(1, 2, 3)) / np.sqrt((a * a).sum((1, 2, 3)) * (x * x).sum((1, 2, 3)))
    assert overlap.min() > 0.5


def test_bilinear_against_per_pixel_interpolation():
    rng = np.random.default_rng(1)
    images = rng.random((2, 5, 6))
    sx, sy = rng.uniform(-1.5, 6.5, (2, 5, 6)), rng.uniform(-1.5, 5.5, (2, 5, 6))
    fast = _bilinear(images, sx, sy)

    def pixel(img, x, y):
        inside = 0 <= x < img.shape[1] and 0 <= y < img.shape[0]
        return img[y, x] if inside else 0.0

    for n, i, j in np.ndindex(*images.shape):
        x, y = sx[n, i, j], sy[n, i, j]
        x0, y0 = int(np.floor(x)), int(np.floor(y))
        fx, fy = x - x0, y - y0
        want = (
            pixel(images[n], x0, y0) * (1 - fx) * (1 - fy)
            + pixel(images[n], x0 + 1, y0) * fx * (1 - fy)
            + pixel(images[n], x0, y0 + 1) * (1 - fx) * fy
            + pixel(images[n], x0 + 1, y0 + 1) * fx * fy
        )
        # Beyond one pixel outside, both are 0; within it, the border fades to 0 the same way.
        if -1 < x < images.shape[2] and -1 < y < images.shape[1]:
            assert abs(fast[n, i, j] - want) < 1e-12
        else:
            assert fast[n, i, j] == 0


def test_thickness_against_a_plain_max_and_min_filter():
    rng = np.random.default_rng(2)
    images = rng.random((2, 6, 7))
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    grown = np.zeros_like(images)
    shrunk = np.zeros_like(images)
    for n, i, j in np.ndindex(*images.shape):
        window = padded[n, i : i + 3, j : j + 3]
        grown[n, i, j], shrunk[n, i, j] = window.max(), window.min()
    out = _change_thickness(images, np.array([0.5, -1.0]))
    np.testing.assert_allclose(out[0], images[0] + 0.5 * (grown[0] - images[0]))
    np.testing.assert_allclose(out[1], shrunk[1])


def test_stroke_distortion_is_one_linear_map_for_all_strokes():
    strokes = [np.array([[0.0, 0.0], [10.0, 0.0]]), np.array([[0.0, 5.0], [0.0, 20.0]])]
    out = distort_strokes(strokes, np.random.default_rng(4), Distortion())
    matrix = np.linalg.lstsq(np.concatenate(strokes), np.concatenate(out), rcond=None)[0]
    np.testing.assert_allclose(np.concatenate(strokes) @ matrix, np.concatenate(out), atol=1e-9)
    unchanged = distort_strokes(strokes, np.random.default_rng(4), NONE)
    np.testing.assert_allclose(np.concatenate(unchanged), np.concatenate(strokes))
