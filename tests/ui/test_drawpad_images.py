"""Arrays as pictures for the draw pad view: mosaics, bar strips, signed maps."""

from __future__ import annotations

import numpy as np

from ui.drawpad.images import NEGATIVE, POSITIVE, bars_image, grey_image, mosaic, signed_image


def _rgb(image) -> np.ndarray:
    rgb = image.convertToFormat(image.Format.Format_RGB888)  # kept alive while read
    bits = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    return bits[:, : 3 * rgb.width()].reshape(rgb.height(), rgb.width(), 3).copy()


def test_mosaic_tiles_maps_in_a_near_square_grid():
    maps = np.arange(5 * 3 * 2, dtype=np.float32).reshape(5, 3, 2)
    tiled = mosaic(maps)
    assert tiled.shape == (2 * 4 - 1, 3 * 3 - 1)  # 2 rows x 3 columns of 3x2 tiles, 1 px gaps
    np.testing.assert_allclose(tiled[:3, :2], maps[0] / maps.max())  # scaled together
    np.testing.assert_allclose(tiled[4:7, 3:5], maps[4] / maps.max())  # row 2, column 2
    assert np.isnan(tiled[3]).all() and np.isnan(tiled[:, 2]).all()  # the gaps
    assert np.isnan(tiled[4:7, 6:8]).all()  # the empty sixth tile


def test_bars_go_up_for_positive_and_down_for_negative():
    rgb = _rgb(bars_image(np.array([1.0, -0.5, 0.0]), height=40, width=30))
    assert rgb.shape == (40, 30, 3)  # each of 3 bars 10 px wide
    assert (rgb[0:20, 0:10] == POSITIVE).all()  # full height up
    assert (rgb[20:30, 10:20] == NEGATIVE).all() and (rgb[31:, 10:20] == 255).all()  # half down
    assert (rgb[:20, 20:] == 255).all()


def test_signed_map_colours_and_grey_input():
    values = np.array([[2.0, -2.0, 0.0]])
    rgb = _rgb(signed_image(values))
    assert (rgb[0, 0] == POSITIVE).all() and (rgb[0, 1] == NEGATIVE).all()
    assert (rgb[0, 2] == 255).all()
    under = _rgb(signed_image(values, under=np.ones((1, 3))))
    assert (under[0, 2] < 255).all() and (under[0, 0] == POSITIVE).all()
    grey = grey_image(np.array([[0.0, 1.0]]))
    assert grey.width() == 2 and grey.pixelColor(1, 0).red() == 255
