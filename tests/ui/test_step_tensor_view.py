"""Tensor views pick the form that suits the array and read the value under the pointer."""

from __future__ import annotations

import numpy as np
import pytest

from ui.stepthrough.tensor_view import MAX_NUMBERS, TensorView, mosaic, summary


@pytest.fixture
def panel(qtbot) -> TensorView:
    view = TensorView()
    qtbot.addWidget(view)
    return view


def test_feature_maps_become_a_tile_per_channel(panel):
    maps = np.arange(3 * 4 * 5, dtype=np.float32).reshape(3, 4, 5)
    panel.show_array("out", maps)
    assert panel.form == "tiles"
    assert panel.image.image.shape == (2 * 5 - 1, 2 * 6 - 1)  # 2x2 grid of 4x5 tiles, 1px gaps
    # channel 2 sits in the second row, first column: row 1 of it is image row 5 + 1
    assert panel.value_at(x=3.5, y=6.5) == f"channel 2, row 1, column 3: {maps[2, 1, 3]:.6g}"
    assert panel.value_at(x=5.5, y=0.5) == ""  # the gap between tiles
    assert panel.value_at(x=6.5, y=5.5) == ""  # the empty fourth tile


def test_filters_are_tiled_filter_by_channel(panel):
    filters = np.random.default_rng(0).standard_normal((4, 3, 2, 2)).astype(np.float32)
    panel.show_array("dW", filters)
    assert panel.form == "tiles" and panel._tiles.columns == 3  # one row of channels per filter
    assert panel.value_at(x=3.5, y=3.5).startswith("filter 1, channel 1, row 0, column 0")


def test_a_matrix_is_a_heat_map_and_a_vector_bars(panel):
    matrix = np.arange(12, dtype=np.float32).reshape(3, 4) - 6
    panel.show_array("dW", matrix)
    assert panel.form == "heat map"
    assert panel.value_at(x=2.2, y=1.7) == "[1, 2] = 0"
    assert panel.image.levels.tolist() == [-6, 6]  # symmetric about zero
    vector = np.linspace(-1, 2, 40, dtype=np.float32)
    panel.show_array("db", vector)
    assert panel.form == "bars"
    assert panel.value_at(x=3.2, y=0) == f"[3] = {vector[3]:.6g}"
    assert panel.value_at(x=40.4, y=0) == ""


def test_small_arrays_also_show_their_numbers(panel):
    panel.show_array("scores", np.array([0.5, -2.0, 3.25], np.float32))
    assert not panel.numbers.isHidden()
    assert panel.numbers.text() == "0.5  -2  3.25"
    panel.show_array("x", np.zeros(MAX_NUMBERS + 1, np.float32))
    assert panel.numbers.isHidden()


def test_statistics_and_the_mosaic_helper():
    assert summary(np.array([3.0, -4.0])) == "min -4  max 3  mean -0.5  ‖·‖ 5"
    image = mosaic(np.ones((3, 2, 2), np.float32), columns=2)
    assert image.shape == (5, 5)
    assert np.isnan(image[2]).all() and np.isnan(image[3:, 3:]).all()
