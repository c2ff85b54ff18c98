"""``DecisionBoundaryPlot`` (``decisionBoundaryPlot``): what a network trained on 2-D points
decides at every place of the plane, and what each unit of a hidden layer computes there.

The project's network runs on a grid over the data (with the project's normalisation,
as training saw the points): each place is coloured by its predicted class, paler
where the network is less sure, under the data points. Beside it, TensorFlow
Playground's neuron thumbnails: each unit of the chosen hidden layer over the same
plane. The grid is evaluated on the GUI thread (a toy network takes a few
milliseconds) whenever the document's project changes, at most ``MAX_RATE`` times a
second, and less often for a network that takes longer (``BUSY_FACTOR``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

from playground.datasets import Dataset
from playground.errors import DataError, SpecError
from playground.project import Project
from ui.training.plots.common import (
    bare_image_plot,
    color,
    image_plot,
    layer_label,
    mosaic,
    scaled_each,
)

GRID = 120  # places per side of the boundary image
THUMBNAIL = 40  # places per side of a unit's thumbnail
MAX_UNITS = 64  # thumbnails shown at most
MAX_RATE = 4.0  # evaluations per second at most
BUSY_FACTOR = 10  # evaluations wait at least this many times as long as the last one took
MARGIN = 0.1  # the plane reaches this share of the data's extent beyond it


def is_plane(dataset: Dataset | None) -> bool:
    """Whether ``dataset`` holds 2-D points (the toy sets), which this plot draws."""
    return (
        dataset is not None and len(dataset) > 0 and dataset.x.ndim == 2 and dataset.x.shape[1] == 2
    )


class DecisionBoundaryPlot(QWidget):
    """The boundary with the data points, and the chosen hidden layer's unit thumbnails."""

    def __init__(
        self,
        project: Callable[[], Project],
        dataset: Callable[[], Dataset | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("decisionBoundaryPlot")
        self._project = project
        self._dataset = dataset
        self._drawn: tuple = (None, None, None)  # (project, dataset, layer) last drawn
        self.plane = QRectF(-1, -1, 2, 2)  # the part of the plane drawn (the data's, padded)
        self._last = -math.inf  # perf_counter() of the last evaluation
        self._interval = 1 / MAX_RATE  # seconds between evaluations
        self._labels: list[str] = []  # the hidden layers offered
        self.plot, self.image = image_plot("Decision boundary", "x₁", "x₂")
        self.points = pg.ScatterPlotItem(size=6, pen=pg.mkPen("w", width=0.8))
        self.plot.addItem(self.points)
        self.units_plot, self.units = bare_image_plot("Units")
        self.units.setColorMap(pg.colormap.get("CET-D1"))  # blue (negative), white, red
        graphics = pg.GraphicsLayoutWidget()
        graphics.addItem(self.plot, row=0, col=0)
        graphics.addItem(self.units_plot, row=0, col=1)
        graphics.ci.layout.setColumnStretchFactor(0, 3)
        graphics.ci.layout.setColumnStretchFactor(1, 2)
        self.layer_chooser = QComboBox()
        self.layer_chooser.setObjectName("boundaryLayer")
        self.message = QLabel()
        self.message.setObjectName("boundaryMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        shown = QWidget()
        column = QVBoxLayout(shown)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Units of"))
        row.addWidget(self.layer_chooser, 1)
        column.addLayout(row)
        column.addWidget(graphics, 1)
        self.pages = QStackedLayout(self)
        self.pages.addWidget(shown)
        self.pages.addWidget(self.message)
        self.layer_chooser.currentIndexChanged.connect(lambda: self.refresh(force=True))

    @property
    def shown_project(self) -> Project | None:
        """The project whose network the picture shows (None before the first)."""
        return self._drawn[0]

    @property
    def layer(self) -> int | None:
        """The hidden layer whose units are shown, or None."""
        return self.layer_chooser.currentData()

    def refresh(self, record: object = None, force: bool = False) -> None:
        """Evaluate again if the project, the data or the chosen layer changed, and the
        last evaluation is 1/``MAX_RATE`` s old (``force``: now)."""
        del record  # the boundary follows the document's project, not the report
        project, dataset, layer = self._project(), self._dataset(), self.layer
        drawn_project, drawn_dataset, drawn_layer = self._drawn
        if project is drawn_project and dataset is drawn_dataset and layer == drawn_layer:
            return
        now = time.perf_counter()
        if not force and now - self._last < self._interval:
            return
        self._last = now
        if project is not drawn_project:
            self._list_layers(project)
        if dataset is not drawn_dataset and is_plane(dataset):
            self._draw_points(dataset)
        self._drawn = (project, dataset, self.layer)
        problem = self._problem(project, dataset)
        if problem:
            self.message.setText(problem)
            self.pages.setCurrentWidget(self.message)
            return
        self.pages.setCurrentIndex(0)
        self._evaluate(project)
        # A big network on 2-D points takes longer: leave the window at least 90% of its time.
        self._interval = max(1 / MAX_RATE, BUSY_FACTOR * (time.perf_counter() - now))

    def _problem(self, project: Project, dataset: Dataset | None) -> str | None:
        if not is_plane(dataset):
            return "The decision boundary is drawn for 2-D points (the toy data sets)."
        if not project.spec.is_valid:
            return "The network is not valid, so it has no decision boundary yet."
        if project.spec.input_shape != (2,):
            return "The network does not take 2-D points, so it has no decision boundary."
        return None

    def _list_layers(self, project: Project) -> None:
        """Offer every hidden layer with one value per unit (not the output layer); keep the
        choice, else take the last hidden activation (what the next layer reads)."""
        spec = project.spec
        try:
            shapes = spec.infer_shapes()
        except SpecError:
            shapes = []
        layers = [i for i, shape in enumerate(shapes[:-1]) if len(shape) == 1]
        labels = [f"{layer_label(spec, i)}, {shapes[i][0]} units" for i in layers]
        if labels == self._labels:
            return
        kept, self._labels = self.layer, labels
        self.layer_chooser.blockSignals(True)
        self.layer_chooser.clear()
        for i, label in zip(layers, labels, strict=True):
            self.layer_chooser.addItem(label, i)
        activations = [i for i in layers if spec.layers[i]["type"] not in ("dense", "dropout")]
        choice = kept if kept in layers else (activations or layers or [None])[-1]
        self.layer_chooser.setCurrentIndex(self.layer_chooser.findData(choice))
        self.layer_chooser.blockSignals(False)

    def _draw_points(self, dataset: Dataset) -> None:
        """The data points, one colour per class, and the plane they span."""
        brushes = [pg.mkBrush(color(label)) for label in range(int(dataset.y.max()) + 1)]
        self.points.setData(pos=dataset.x, brush=[brushes[label] for label in dataset.y.tolist()])
        low, high = dataset.x.min(axis=0), dataset.x.max(axis=0)
        pad = MARGIN * np.maximum(high - low, 1e-6)
        self.plane = QRectF(*(low - pad), *(high - low + 2 * pad))
        self.plot.setRange(self.plane, padding=0)

    def _evaluate(self, project: Project) -> None:
        """Run the network over the grid: the boundary image and the unit thumbnails."""
        plane = self.plane
        xs = np.linspace(plane.left(), plane.right(), GRID, dtype=np.float32)
        ys = np.linspace(plane.top(), plane.bottom(), GRID, dtype=np.float32)
        points = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)  # row = y, column = x
        try:
            if project.normalization is not None:
                points = project.normalization.apply(points)
            scores, units = _forward(project, points, self.layer)
        except (DataError, SpecError) as exc:
            self.message.setText(f"Cannot evaluate the network on the plane: {exc}")
            self.pages.setCurrentWidget(self.message)
            return
        probabilities = project.network.loss_fn.probabilities(scores)
        predicted = probabilities.argmax(axis=1)
        classes = probabilities.shape[1]
        certainty = (probabilities.max(axis=1) - 1 / classes) / (1 - 1 / classes)
        colours = np.array([color(c) for c in range(classes)], np.float32)[predicted]
        strength = 0.15 + 0.6 * np.clip(certainty, 0, 1)[:, None]  # never fully white
        picture = 255 - strength * (255 - colours)
        self.image.set_picture(
            picture.reshape(GRID, GRID, 3).astype(np.uint8),
            values=predicted.reshape(GRID, GRID),
            rect=plane,
            levels=(0, 255),
        )
        self._draw_units(units, project)

    def _draw_units(self, outputs: np.ndarray | None, project: Project) -> None:
        """Each unit of the chosen layer (``outputs`` ``(GRID*GRID, units)``) over the plane,
        scaled to its own largest value."""
        index = self.layer
        if outputs is None:
            self.units.clear()
            self.units.values = None
            self.units_plot.setTitle("No hidden layer")
            return
        every = GRID // THUMBNAIL
        values = outputs.reshape(GRID, GRID, -1)[::every, ::every, :MAX_UNITS]
        tiles = values.transpose(2, 0, 1)[:, ::-1]  # row 0 at the top: the largest x₂
        units = outputs.shape[1]
        shown = f"first {MAX_UNITS} of {units}" if units > MAX_UNITS else f"{units}"
        self.units_plot.setTitle(f"{shown} units of {layer_label(project.spec, index)}")
        self.units.set_picture(
            mosaic(scaled_each(tiles), gap=2), values=mosaic(tiles, gap=2), levels=(-1, 1)
        )


def _forward(
    project: Project, points: np.ndarray, keep: int | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Run the project's cached network over ``points`` ``(N, 2)`` in evaluation mode
    (its caches change, never its weights): (scores ``(N, C)``, the output of layer
    ``keep`` ``(N, units)`` or None)."""
    out, kept = points.astype(project.network.dtype, copy=False), None
    for i, layer in enumerate(project.network.layers):
        out = layer.forward(out, train=False)
        if i == keep:
            kept = out
    return out, kept
