"""The min/max levels behind the per-step curves, against the plain per-run min and max."""

from __future__ import annotations

import csv
import warnings

import numpy as np
import pyqtgraph as pg
import pytest
from pyqtgraph.exporters import CSVExporter
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from ui.training.plots.envelope import MinMaxLevels, StepCurve, StepDots
from ui.training.record import Series


def grown(values: np.ndarray, levels: MinMaxLevels, chunks: list[int]) -> Series:
    """``values`` appended to a fresh series in pieces of ``chunks`` sizes, every level
    brought up to date after each piece (as frames follow a training run)."""
    series = Series()
    levels.follow(series)
    start = 0
    for size in [*chunks, len(values)]:
        series.extend(values[start : start + size])
        for k in range(1, 14):
            levels.level(k)
        start += size
    return series


def textbook_level(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Min and max of each complete run of ``size`` values."""
    complete = len(values) // size * size
    runs = values[:complete].reshape(-1, size)
    with warnings.catch_warnings():  # a run of NaN alone is NaN, as a gap should be
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmin(runs, axis=1), np.nanmax(runs, axis=1)


@pytest.mark.parametrize("chunks", [[], [1, 1, 1, 5, 2, 13], [999, 1, 1, 4096, 777]])
def test_every_level_is_the_min_and_max_of_its_runs_however_the_values_arrive(chunks):
    values = np.random.default_rng(0).normal(size=10_007)
    values[5000:5003] = np.nan  # a gap in the curve: skipped, the rest of its run counts
    levels = MinMaxLevels()
    grown(values, levels, chunks)
    for k in range(1, 15):  # 2**13 = 8192 <= 10,007 < 2**14: level 14 is empty
        low, high = levels.level(k)
        expected_low, expected_high = textbook_level(values, 2**k)
        np.testing.assert_array_equal(low, expected_low)
        np.testing.assert_array_equal(high, expected_high)


def test_a_new_series_starts_over():
    levels = MinMaxLevels()
    grown(np.arange(100.0), levels, [])
    grown(np.full(10, 7.0), levels, [])
    assert levels.level(1)[0].tolist() == [7.0] * 5
    assert len(levels.level(3)[0]) == 1


@pytest.mark.parametrize(("first", "stop", "columns"), [(0, 10_007, 500), (123, 9_000, 97)])
def test_the_envelope_is_each_buckets_lowest_and_highest_value(first, stop, columns):
    values = np.random.default_rng(1).normal(size=10_007)
    x = np.arange(1.0, len(values) + 1)
    levels = MinMaxLevels()
    grown(values, levels, [3000])
    shown_x, shown_y = levels.envelope(x, first, stop, columns)
    size = 2 ** int(np.ceil(np.log2((stop - first) / columns)))
    assert len(shown_x) == len(shown_y) <= 2 * (columns + 2)
    # Each bucket of ``size`` values from the one holding ``first`` is a (low, high) pair.
    starts = np.arange(first // size * size, stop, size)
    expected = [(values[s : s + size].min(), values[s : s + size].max()) for s in starts]
    np.testing.assert_array_equal(shown_y.reshape(-1, 2), expected)
    np.testing.assert_array_equal(shown_x[::2], x[starts])
    assert shown_y.min() == values[first:stop].min() and shown_y.max() == values[first:stop].max()


def test_a_short_stretch_is_drawn_point_by_point():
    values = np.random.default_rng(2).normal(size=5_000)
    x = np.arange(len(values), dtype=np.float64)
    levels = MinMaxLevels()
    grown(values, levels, [])
    shown_x, shown_y = levels.envelope(x, 100, 300, 100)
    np.testing.assert_array_equal(shown_x, x[100:300])
    np.testing.assert_array_equal(shown_y, values[100:300])


def plotted(qtbot, count: int):
    """A StepCurve of ``count`` steps in a plot about 600 pixels wide, x from 0 to the end."""
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    qtbot.waitExposed(widget)
    steps = Series(np.arange(1.0, count + 1))
    values = Series(np.random.default_rng(3).normal(size=count))
    curve = StepCurve()
    widget.addItem(curve)
    widget.setXRange(0, count, padding=0)
    curve.show_series(steps, values)
    QApplication.processEvents()
    return widget, curve, steps, values


@pytest.fixture
def million_steps(qtbot):
    return plotted(qtbot, 1_000_000)


def test_a_million_steps_draw_as_two_points_per_pixel_column_and_keep_every_spike(million_steps):
    widget, curve, steps, values = million_steps
    x, y = curve.getData()
    width = widget.getViewBox().width()
    assert len(x) <= 2 * (width + 2)
    assert y.min() == values.values.min() and y.max() == values.values.max()


def test_zooming_in_draws_the_steps_themselves(million_steps):
    widget, curve, steps, values = million_steps
    widget.setXRange(500_000, 500_100, padding=0)
    QApplication.processEvents()
    x, y = curve.getData()
    np.testing.assert_array_equal(x, steps.values[499_998:500_101])  # one either side
    np.testing.assert_array_equal(y, values.values[499_998:500_101])


def test_new_steps_are_drawn_and_csv_export_writes_every_step(qtbot, tmp_path):
    widget, curve, steps, values = plotted(qtbot, 20_000)
    assert len(curve.getData()[0]) < 20_000
    steps.extend([20_001.0])
    values.extend([1e6])  # a spike at the last step
    curve.show_series(steps, values)
    assert curve.getData()[1].max() == 1e6
    path = tmp_path / "curve.csv"
    CSVExporter(widget.getPlotItem()).export(str(path))
    with path.open() as f:
        rows = list(csv.reader(f))
    assert len(rows) == 1 + 20_001
    assert float(rows[-1][1]) == 1e6


def test_a_spike_past_the_view_marks_only_the_view_for_repainting(qtbot):
    # The curve's bounds (what Qt repaints when it changes) stay inside the view, so the
    # axes beside it are not repainted with the curve at every frame.
    widget, curve, steps, values = plotted(qtbot, 2_000)
    widget.setYRange(-3, 3, padding=0)
    steps.extend([2_001.0])
    values.extend([1e6])
    curve.show_series(steps, values)
    QApplication.processEvents()
    view = curve.viewRect()
    bounds = curve.boundingRect()
    assert curve.getData()[1].max() == 1e6  # drawn (clipped at the view's edge), not dropped
    assert view.contains(bounds) and bounds.height() > 0.9 * view.height()
    widget.setYRange(-1, 1, padding=0)  # zoomed in: the bounds follow the view
    QApplication.processEvents()
    assert curve.viewRect().contains(curve.boundingRect())


def test_dots_are_painted_at_their_points_and_left_out_of_csv_export(qtbot, tmp_path):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    dots = StepDots(pen=pg.mkPen("r", width=7, cap=Qt.PenCapStyle.RoundCap))
    widget.addItem(dots)
    dots.show_series(Series(np.array([2.0, 5.0, 8.0])), Series(np.array([3.0, np.nan, 7.0])))
    QApplication.processEvents()
    image = widget.grab().toImage()
    box = widget.getViewBox()

    def color_at(x: float, y: float) -> str:
        scene = box.mapViewToScene(QPointF(x, y))
        pixel = widget.mapFromScene(scene)
        return QColor(image.pixel(pixel.x(), pixel.y())).name()

    assert color_at(2, 3) == color_at(8, 7) == "#ff0000"
    assert color_at(5, 5) != "#ff0000"  # no dot for a missing value, nor between dots
    path = tmp_path / "dots.csv"
    CSVExporter(widget.getPlotItem()).export(str(path))
    assert path.read_text().strip() == ""  # nothing to export: the dots are another curve's
