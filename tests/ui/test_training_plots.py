"""The live training plots, fed by real training runs (toy spiral; SimpleConvNet for filters)."""

from __future__ import annotations

import csv
import dataclasses
import itertools
import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from pyqtgraph.exporters import CSVExporter
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from playground import Project
from playground.datasets import Dataset
from ui import dialogs
from ui.training.plots import TrainingPlotsView
from ui.training.plots.boundary import GRID
from ui.training.plots.common import ImageCsvExporter, mosaic, nice_step
from ui.training.plots.frame_cost import RecordSource  # stands in for the training session
from ui.training.plots.histogram import MAX_COLUMNS
from ui.training.plots.smoothing import smooth
from ui.training.record import RunRecord


def trained(preset: str, steps: int | None = None, **config) -> tuple[Project, list, Dataset]:
    """A real run: (the project with what it trained, its reports, its data)."""
    project = Project.from_preset(preset)
    project.config = project.config.replace(**config)
    data = project.load_data()
    trainer = project.trainer(dataset=data, detail_every=5)
    reports = list(itertools.islice(trainer.run(), steps))
    return project.with_training(trainer), reports, data


@pytest.fixture(scope="module")
def spiral_run():
    return trained("toy_spiral", epochs=3)


@pytest.fixture(scope="module")
def convnet_run():
    return trained("simple_convnet", steps=6, batch_size=16, validation_fraction=0.05)


def make_view(qtbot, run) -> TrainingPlotsView:
    project, reports, data = run
    session = RecordSource(project, data)
    session.record.add(reports)
    view = TrainingPlotsView(session)
    qtbot.addWidget(view)
    view.resize(700, 650)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def spiral_view(qtbot, spiral_run) -> TrainingPlotsView:
    return make_view(qtbot, spiral_run)


def test_every_plot_has_its_object_name(spiral_view):
    assert set(spiral_view.plots) == {
        "lossPlot",
        "accuracyPlot",
        "weightHistogramPlot",
        "filterView",
        "gradientPlot",
        "confusionMatrixView",
        "decisionBoundaryPlot",
    }
    for name, plot in spiral_view.plots.items():
        assert spiral_view.findChild(type(plot), name) is plot


def test_loss_and_accuracy_keep_every_step_and_validation_at_each_report(spiral_view):
    record = spiral_view.source.record
    for name, metric in (("lossPlot", "loss"), ("accuracyPlot", "accuracy")):
        plot = spiral_view.show_plot(name)
        x, y = plot.raw.getOriginalDataset()
        assert list(x) == list(range(1, record.steps + 1))
        np.testing.assert_array_equal(y, getattr(record, metric).values)
        assert len(plot.smooth.getOriginalDataset()[1]) == record.steps
        np.testing.assert_array_equal(plot.raw.getData()[1], y)  # few enough to draw each
        vx, vy = plot.validation.getData()
        assert list(vx) == list(record.val_step.values) and len(vx) >= 3
        np.testing.assert_array_equal(vy, getattr(record, f"val_{metric}").values)


def test_the_smoothing_control_smooths_both_curves_as_tensorboard_does(spiral_view):
    loss = spiral_view.show_plot("lossPlot")
    accuracy = spiral_view.plots["accuracyPlot"]
    record = spiral_view.source.record
    loss.smoothing_slider.setValue(0)
    np.testing.assert_allclose(loss.smoothed_values(), record.loss.values)
    loss.smoothing_slider.setValue(90)
    expected = textbook_smoothing(record.loss.values, 0.9)
    np.testing.assert_allclose(loss.smoothed_values(), expected, rtol=1e-9)
    assert not np.allclose(loss.smoothed_values(), record.loss.values)
    spiral_view.show_plot("accuracyPlot")
    np.testing.assert_allclose(
        accuracy.smoothed_values(), textbook_smoothing(record.accuracy.values, 0.9), rtol=1e-9
    )


def textbook_smoothing(values, weight):
    """TensorBoard's smoothing loop, one value at a time."""
    out, last = [], 0.0
    for count, value in enumerate(values, start=1):
        last = last * weight + (1 - weight) * value
        out.append(last / (1 - weight**count))
    return np.array(out)


@pytest.mark.parametrize("weight", [0.0, 0.01, 0.3, 0.6, 0.9, 0.99])
def test_vectorised_smoothing_matches_the_loop_in_pieces_of_any_size(weight):
    values = np.random.default_rng(1).lognormal(size=10_000)
    expected = textbook_smoothing(values, weight)
    np.testing.assert_allclose(smooth(values, weight)[0], expected, rtol=1e-9)
    pieces, state = [], (0.0, 0)
    for start, end in ((0, 1), (1, 700), (700, 9000), (9000, 10_000)):
        piece, state = smooth(values[start:end], weight, state)
        pieces.append(piece)
    np.testing.assert_allclose(np.concatenate(pieces), expected, rtol=1e-9)


def test_the_log_toggle_puts_the_loss_on_a_log_scale(spiral_view):
    loss = spiral_view.show_plot("lossPlot")
    assert not loss.plot.getAxis("left").logMode
    loss.log_scale.setChecked(True)
    assert loss.plot.getAxis("left").logMode
    record = spiral_view.source.record
    np.testing.assert_allclose(loss.raw.getData()[1], np.log10(record.loss.values))
    dots = loss.validation_dots.getData()[1]
    np.testing.assert_allclose(dots, np.log10(record.val_loss.values))
    loss.log_scale.setChecked(False)
    assert not loss.plot.getAxis("left").logMode
    np.testing.assert_allclose(loss.raw.getData()[1], record.loss.values)


def test_weight_histograms_now_at_the_start_and_over_time_for_the_chosen_layer(spiral_view):
    plot = spiral_view.show_plot("weightHistogramPlot")
    record = spiral_view.source.record
    labels = [plot.chooser.itemText(i) for i in range(plot.chooser.count())]
    assert labels == [
        "layer 0 (dense) W",
        "layer 0 (dense) b",
        "layer 2 (dense) W",
        "layer 2 (dense) b",
        "layer 4 (dense) W",
        "layer 4 (dense) b",
    ]
    assert plot.key == "0.W"
    plot.choose("2.W")
    edges, counts = plot.now.getData()
    np.testing.assert_array_equal(counts, record.histograms["2.W"][-1])
    np.testing.assert_array_equal(plot.initial.getData()[1], record.initial_histograms["2.W"])
    assert plot.heat.image.shape == (len(record.histogram_edges["2.W"]) - 1, MAX_COLUMNS)
    assert (plot.heat.values.sum(axis=0) == 32 * 32).all()  # every weight in every column
    # the last column is the newest histogram, the first the one at initialisation
    np.testing.assert_array_equal(plot.heat.values[:, -1], record.histograms["2.W"][-1])
    np.testing.assert_array_equal(plot.heat.values[:, 0], record.initial_histograms["2.W"])


def test_gradient_norms_update_ratios_and_dead_units_per_layer(spiral_view):
    plot = spiral_view.show_plot("gradientPlot")
    record = spiral_view.source.record
    assert sorted(plot.norms) == sorted(plot.bars) == sorted(plot.ratios) == [0, 2, 4]
    for index, line in plot.norms.items():
        x, y = line.getOriginalDataset()  # getData() gives log10 on a log scale
        assert len(x) == record.steps
        np.testing.assert_array_equal(y, record.grad_norms[index].values)
        assert plot.bars[index].getOriginalDataset()[1][0] == record.latest.grad_norms[index]
        assert len(plot.ratios[index].getOriginalDataset()[0]) == len(record.detail_step)
    low, high = plot.bars_plot.viewRange()[0]
    assert low < -0.4 and high > 2.4  # every bar in sight
    assert sorted(plot.inactive) == [1, 3]  # the ReLU layers
    legend = [label.text for _, label in plot.inactive_plot.legend.items]
    assert legend == ["layer 1 (relu)", "layer 3 (relu)"]
    assert plot.norms_plot.getAxis("left").logMode and plot.ratio_plot.getAxis("left").logMode


def test_the_confusion_matrix_shows_the_validation_counts(spiral_view):
    view = spiral_view.show_plot("confusionMatrixView")
    matrix = spiral_view.source.record.latest_details.confusion
    np.testing.assert_array_equal(view.matrix, matrix)
    assert [t.toPlainText() for t in view.counts] == [str(n) for n in matrix.ravel()]


def test_the_decision_boundary_is_the_networks_prediction_over_the_plane(spiral_view, spiral_run):
    project, _, data = spiral_run
    plot = spiral_view.show_plot("decisionBoundaryPlot")
    assert spiral_view.tabs.isTabVisible(spiral_view.tabs.indexOf(plot))
    assert plot.image.image.shape == (GRID, GRID, 3)
    plane = plot.plane
    assert plane.contains(*data.x.min(axis=0)) and plane.contains(*data.x.max(axis=0))
    xs = np.linspace(plane.left(), plane.right(), GRID, dtype=np.float32)
    ys = np.linspace(plane.top(), plane.bottom(), GRID, dtype=np.float32)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    expected = project.predict(grid).argmax(axis=1).reshape(GRID, GRID)  # normalised as trained
    np.testing.assert_array_equal(plot.image.values, expected)
    assert len(plot.points.data) == len(data)
    # the last hidden ReLU's 32 units as thumbnails, 6 by 6
    assert plot.layer == 3
    assert plot.units.image.shape == mosaic(np.zeros((32, 40, 40)), gap=2).shape
    plot.layer_chooser.setCurrentIndex(plot.layer_chooser.findData(0))
    assert plot.layer == 0 and "layer 0 (dense)" in plot.units_plot.titleLabel.text


def test_a_network_without_conv_layers_says_so(spiral_view):
    view = spiral_view.show_plot("filterView")
    assert view.pages.currentWidget() is view.message
    assert "no conv layer" in view.message.text()


def test_conv_filters_as_one_mosaic_from_the_latest_report(qtbot, convnet_run):
    view = make_view(qtbot, convnet_run)
    filters = view.show_plot("filterView")
    record = view.source.record
    latest = record.latest_details.filters[0]  # (30, 1, 5, 5)
    assert filters.layer_chooser.currentText() == "layer 0 (conv2d)"
    assert not filters.channel.isVisible()
    assert filters.image.image.shape == mosaic(latest[:, 0]).shape == (5 * 6 - 1, 6 * 6 - 1)
    np.testing.assert_array_equal(filters.image.values, mosaic(latest[:, 0]))
    assert np.nanmax(np.abs(filters.image.image)) == pytest.approx(1)  # each filter scaled
    confusion = view.show_plot("confusionMatrixView")
    assert confusion.matrix.shape == (10, 10)
    assert not view.tabs.isTabVisible(view.tabs.indexOf(view.plots["decisionBoundaryPlot"]))


def test_a_deeper_conv_layer_channel_by_channel(qtbot):
    project = Project.from_preset("deep_cnn")  # untrained: the project's own weights
    session = RecordSource(project, None)
    view = TrainingPlotsView(session)
    qtbot.addWidget(view)
    view.show()
    filters = view.show_plot("filterView")
    convs = [i for i, c in enumerate(project.spec.layers) if c["type"] == "conv2d"]
    assert filters.layer_chooser.count() == len(convs) >= 2
    filters.layer_chooser.setCurrentIndex(1)
    weights = project.network.layers[convs[1]].params["W"]
    assert filters.channel.isVisible() and filters.channel.maximum() == weights.shape[1] - 1
    filters.channel.setValue(2)
    np.testing.assert_array_equal(filters.image.values, mosaic(weights[:, 2]))


def test_plots_redraw_only_when_the_record_changed(spiral_view, spiral_run, monkeypatch):
    loss = spiral_view.show_plot("lossPlot")
    drawn = []
    monkeypatch.setattr(loss, "refresh", lambda record: drawn.append(record.version))
    spiral_view.refresh()
    spiral_view.refresh()
    assert drawn == []
    record = spiral_view.source.record
    record.add([])  # nothing new: the version stays
    spiral_view.refresh()
    assert drawn == []
    _, reports, _ = spiral_run
    record.add(reports[-3:])  # a resume from three steps back
    spiral_view.refresh()
    assert drawn == [record.version]


def test_a_replaced_record_empties_the_plots(spiral_view):
    loss = spiral_view.show_plot("lossPlot")
    session = spiral_view.source
    session.record = RunRecord()
    session.recordReplaced.emit()
    x, _ = loss.raw.getData()
    assert x is None or len(x) == 0
    histogram = spiral_view.show_plot("weightHistogramPlot")
    assert histogram.key is None and histogram.heat.values is None


def test_an_empty_record_forgets_the_last_runs_loss_range(spiral_view, spiral_run):
    loss = spiral_view.show_plot("lossPlot")
    box = loss.plot.getViewBox()
    _, reports, _ = spiral_run
    huge = [dataclasses.replace(r, loss=r.loss * 1e6) for r in reports]
    session = spiral_view.source
    session.record = RunRecord()
    session.record.add(huge)
    session.recordReplaced.emit()
    QApplication.processEvents()
    assert box.viewRange()[1][1] > 1e4
    session.record = RunRecord()
    session.recordReplaced.emit()
    QApplication.processEvents()
    assert loss.values_axis.range == (0, 1)
    assert box.viewRange()[1] == pytest.approx([-0.02, 1.02])  # with a little padding
    session.record.add(huge)  # the next run's range is its own again
    spiral_view.refresh()
    QApplication.processEvents()
    assert box.viewRange()[1][1] > 1e4


def test_the_history_csv_has_every_step(spiral_view, tmp_path):
    record = spiral_view.source.record
    path = tmp_path / "history.csv"
    spiral_view.export_history_csv(path)
    with path.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == record.steps
    assert [int(r["step"]) for r in rows] == list(range(1, record.steps + 1))
    np.testing.assert_allclose([float(r["loss"]) for r in rows], record.loss.values)
    validated = [int(r["step"]) for r in rows if r["val_loss"]]
    assert validated == list(record.val_step.values)
    assert {
        "grad_norm layer 0 (dense)",
        "update_ratio layer 4 (dense)",
        "inactive layer 1 (relu)",
        "lr",
        "accuracy",
        "val_accuracy",
    } <= set(rows[0])
    assert float(rows[-1]["grad_norm layer 2 (dense)"]) == record.grad_norms[2].values[-1]


def test_a_history_export_that_cannot_be_written_says_why(
    spiral_view, monkeypatch, dialog_script, tmp_path
):
    target = tmp_path / "missing" / "history.csv"
    monkeypatch.setattr(dialogs, "choose_export_path", lambda parent, *how: target)
    spiral_view.export_button.click()
    assert len(dialog_script.errors) == 1
    title, text = dialog_script.errors[0]
    assert str(target) in text and "No such file" in text
    assert not target.exists()


def test_every_plot_exports_its_picture_and_data_through_pyqtgraph(spiral_view, tmp_path):
    assert ImageCsvExporter in pg.exporters.listExporters()
    curves = spiral_view.show_plot("lossPlot").plot
    CSVExporter(curves).export(str(tmp_path / "loss.csv"))
    header = (tmp_path / "loss.csv").read_text().splitlines()[0]
    assert "training (each step)_x" in header
    view = spiral_view.show_plot("confusionMatrixView")
    ImageCsvExporter(view.plot).export(str(tmp_path / "confusion.csv"))
    with (tmp_path / "confusion.csv").open() as f:
        table = [row for row in csv.reader(f) if row]
    classes = len(view.matrix)
    assert table[0][1:] == [str(i) for i in range(classes)]  # column centres: predicted class
    assert [[int(v) for v in row[1:]] for row in table[1:]] == view.matrix.tolist()
    pictures = {
        "lossPlot": "plot",
        "weightHistogramPlot": "heat_plot",
        "gradientPlot": "ratio_plot",
        "confusionMatrixView": "plot",
        "decisionBoundaryPlot": "units_plot",
    }
    for name, item in pictures.items():
        plot_item = getattr(spiral_view.show_plot(name), item)
        path = tmp_path / f"{name}.png"
        pg.exporters.ImageExporter(plot_item).export(str(path))
        assert path.stat().st_size > 1000
        menu = plot_item.getViewBox().menu  # right-click on a plot: the view box's menu …
        scene = plot_item.scene()  # … to which the scene adds "Export..."
        assert any(a.text() == "Export..." for a in scene.contextMenu)
        assert menu is not None and plot_item.getViewBox().menuEnabled()
    for name, item in (("decisionBoundaryPlot", "plot"), ("weightHistogramPlot", "heat_plot")):
        plot_item = getattr(spiral_view.show_plot(name), item)
        path = tmp_path / f"{name}.csv"
        ImageCsvExporter(plot_item).export(str(path))
        rows = [row for row in csv.reader(path.open()) if row]
        assert len(rows) > 10 and all(math.isfinite(float(v)) for v in rows[1][1:])


def test_the_boundary_page_shows_only_for_two_dimensional_points(qtbot, spiral_run):
    project, _, data = spiral_run
    session = RecordSource(project, None)
    view = TrainingPlotsView(session)
    qtbot.addWidget(view)
    page = view.tabs.indexOf(view.plots["decisionBoundaryPlot"])
    assert not view.tabs.isTabVisible(page)
    session._dataset = data
    session.document.set_project(project.untrained())
    assert view.tabs.isTabVisible(page)


def test_the_export_button_writes_the_chosen_file(spiral_view, monkeypatch, tmp_path):
    target = tmp_path / "run.csv"
    monkeypatch.setattr(dialogs, "choose_export_path", lambda parent, *how: Path(target))
    spiral_view.export_button.click()
    assert len(target.read_text().splitlines()) == spiral_view.source.record.steps + 1


def test_training_in_the_window_fills_every_plot(window):
    from test_training import wait_until  # the lead's wait that leaves the worker the GIL

    assert window.load_preset("toy_spiral")
    view = window.findChild(TrainingPlotsView)
    session = window.session
    assert view.source is session
    session.train()
    wait_until(lambda: session.record.steps > 200 and session.record.latest_details is not None)
    session.pause()
    wait_until(lambda: session.state == "idle")
    steps = session.record.steps
    assert len(view.show_plot("lossPlot").raw.getOriginalDataset()[0]) == steps
    assert len(view.show_plot("accuracyPlot").smooth.getOriginalDataset()[0]) == steps
    assert view.show_plot("weightHistogramPlot").heat.values is not None
    assert len(view.show_plot("gradientPlot").norms) == 3
    assert view.show_plot("confusionMatrixView").matrix.shape == (2, 2)
    boundary = view.show_plot("decisionBoundaryPlot")
    assert boundary.image.image.shape == (GRID, GRID, 3)
    # drawn from the trained weights the session handed to the document
    assert boundary.shown_project is window.document.project
    assert "no conv layer" in view.show_plot("filterView").message.text()


def test_the_step_axis_follows_the_run_until_the_user_zooms(qtbot, spiral_view, spiral_run):
    loss, accuracy = spiral_view.show_plot("lossPlot"), spiral_view.plots["accuracyPlot"]
    record = spiral_view.source.record
    assert record.steps == 36 and loss.steps_axis.end == 40  # a round end past the last step
    assert accuracy.plot.viewRange()[0] == pytest.approx(loss.plot.viewRange()[0])
    # a turn of the mouse wheel over the loss plot zooms both plots and stops the following
    graphics = loss.graphics
    centre = graphics.mapFromScene(loss.plot.getViewBox().sceneBoundingRect().center())
    wheel = QWheelEvent(
        QPointF(centre),
        QPointF(graphics.viewport().mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(graphics.viewport(), wheel)
    zoomed = loss.plot.viewRange()[0]
    assert not loss.steps_axis.following and zoomed[1] - zoomed[0] < 40
    assert accuracy.plot.viewRange()[0] == pytest.approx(zoomed)
    _, reports, _ = spiral_run
    more = [dataclasses.replace(r, step=r.step + 36) for r in reports[:10]]
    record.add(more)  # 46 steps: past the old end, but the user's zoom stays
    spiral_view.refresh()
    assert loss.plot.viewRange()[0] == pytest.approx(zoomed)
    loss.plot.autoBtnClicked()  # the "A" button: follow again
    record.add([dataclasses.replace(r, step=r.step + 46) for r in reports[:1]])
    spiral_view.refresh()
    assert loss.steps_axis.following and loss.steps_axis.end == 50


def tenth(report):
    """``report`` with a tenth of its training and validation loss."""
    val_loss = None if report.val_loss is None else report.val_loss / 10
    return dataclasses.replace(report, loss=report.loss / 10, val_loss=val_loss)


def test_the_loss_axis_moves_on_round_numbers_only_when_the_curve_outgrows_it(
    spiral_view, spiral_run
):
    _, reports, _ = spiral_run
    loss = spiral_view.show_plot("lossPlot")
    follow = loss.values_axis
    record = spiral_view.source.record
    low, high = loss.smooth.dataBounds(1)
    bottom, top = follow.range
    assert bottom <= low and high <= top and high - low >= 0.5 * (top - bottom)
    step = (top - bottom) / round((top - bottom) / nice_step((high - low) / 4))
    assert bottom / step == pytest.approx(round(bottom / step))  # on round numbers
    drawn = follow.range
    for report in record.latest, record.latest:  # more steps within the range: it stays
        record.add([dataclasses.replace(report, step=record.steps + 1)])
        spiral_view.refresh()
        assert follow.range == drawn
    # the loss falls below the axis: it reaches down to hold the curve
    fallen = [
        dataclasses.replace(record.latest, step=record.steps + i, loss=bottom - 1)
        for i in range(1, 400)
    ]
    record.add(fallen)
    spiral_view.refresh()
    assert follow.range[0] <= loss.smooth.dataBounds(1)[0] < bottom
    # a run whose curve fills less than half of the axis: it shrinks around it
    spiral_view.source.record = small = RunRecord()
    small.add([tenth(r) for r in reports])
    spiral_view.source.recordReplaced.emit()
    low, high = loss.smooth.dataBounds(1)
    assert loss.validation.dataBounds(1)[1] <= high
    assert follow.range[0] <= low and high <= follow.range[1] < top / 5
    record = small
    # zooming the values by hand stops the following; the "A" button starts it again
    loss.plot.getViewBox().scaleBy(y=0.5)
    loss.plot.getViewBox().sigRangeChangedManually.emit([False, True])
    zoomed = loss.plot.viewRange()[1]
    record.add([dataclasses.replace(record.latest, step=record.steps + 1, loss=100.0)])
    spiral_view.refresh()
    assert loss.plot.viewRange()[1] == pytest.approx(zoomed)
    loss.plot.autoBtnClicked()
    record.add([dataclasses.replace(record.latest, step=record.steps + 1)])
    spiral_view.refresh()
    assert follow.following and follow.range[1] >= loss.smooth.dataBounds(1)[1]


def test_histograms_and_filters_redraw_for_a_new_report_at_the_same_step(qtbot, convnet_run):
    """A resumed run (or one after Reset) reports again at steps already drawn: the plots
    see new reports by identity, never by comparing their arrays."""
    view = make_view(qtbot, convnet_run)
    filters = view.show_plot("filterView")
    last = view.source.record.latest_details
    again = dataclasses.replace(last, filters={0: last.filters[0] * 2})
    view.source.record.add([again])  # the same step once more
    view.refresh()
    np.testing.assert_array_equal(filters.image.values, mosaic(2 * last.filters[0][:, 0]))
    histogram = view.show_plot("weightHistogramPlot")
    counts = last.weight_histograms["0.W"][0][::-1].copy()
    again = dataclasses.replace(
        again,
        weight_histograms={
            **last.weight_histograms,
            "0.W": (counts, last.weight_histograms["0.W"][1]),
        },
    )
    view.source.record.add([again])
    view.refresh()
    np.testing.assert_array_equal(histogram.now.getData()[1], counts)


def test_the_boundary_says_why_it_cannot_be_drawn(qtbot, spiral_run):
    _, _, data = spiral_run
    session = RecordSource(Project.from_preset("simple_convnet"), data)
    view = TrainingPlotsView(session)
    qtbot.addWidget(view)
    view.show()
    boundary = view.show_plot("decisionBoundaryPlot")
    assert boundary.pages.currentWidget() is boundary.message
    assert "does not take 2-D points" in boundary.message.text()
    spiral = Project.from_preset("toy_spiral")
    invalid = spiral.spec.with_layers([{"type": "conv2d", "filters": 2, "kernel_size": 3}])
    session.document.set_project(spiral.with_spec(invalid))
    boundary.refresh(force=True)
    assert "not valid" in boundary.message.text()
    session.document.set_project(spiral)
    boundary.refresh(force=True)
    assert boundary.pages.currentIndex() == 0 and boundary.image.image.shape == (GRID, GRID, 3)


def test_a_run_opened_from_a_file_shows_its_saved_curves(qtbot, spiral_run):
    project, _, data = spiral_run  # its history: loss and accuracy per step, validation
    session = RecordSource(project, data)
    session.record = RunRecord(project.history)
    view = TrainingPlotsView(session)
    qtbot.addWidget(view)
    view.show()
    for name in view.plots:
        view.show_plot(name)  # the plots without per-layer data stay empty, quietly
    loss = view.show_plot("lossPlot")
    assert len(loss.raw.getData()[0]) == project.history.steps
    assert list(loss.validation.getData()[0]) == project.history.val_step
    assert view.show_plot("gradientPlot").norms == {}


def test_names_follow_an_edit_of_the_network(spiral_view):
    """After an edit the curves stay (the history is kept); legends and choices take the
    new names of the layers at their indices."""
    document = spiral_view.source.document
    spec = document.project.spec
    layers = list(spec.layers)
    layers[1] = {"type": "tanh"}  # layer 1 was a relu
    document.set_project(document.project.with_spec(spec.with_layers(layers)))
    gradients = spiral_view.show_plot("gradientPlot")
    legend = [label.text for _, label in gradients.inactive_plot.legend.items]
    assert legend == ["layer 1 (tanh)", "layer 3 (relu)"]
    boundary = spiral_view.show_plot("decisionBoundaryPlot")
    boundary.refresh(force=True)
    names = [boundary.layer_chooser.itemText(i) for i in range(boundary.layer_chooser.count())]
    assert "layer 1 (tanh), 32 units" in names


def test_without_a_validation_split_the_confusion_page_says_so(qtbot):
    view = make_view(qtbot, trained("toy_spiral", steps=12, validation_fraction=0.0))
    assert view.source.record.latest_details is not None
    confusion = view.show_plot("confusionMatrixView")
    assert confusion.pages.currentWidget() is confusion.message
    assert "No validation split" in confusion.message.text() and confusion.matrix is None
    loss = view.show_plot("lossPlot")
    assert (
        len(loss.validation.getData()[0] if loss.validation.getData()[0] is not None else []) == 0
    )
