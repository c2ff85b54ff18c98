"""``WeightHistogramPlot`` (``weightHistogramPlot``): one parameter's distribution, now and
at initialisation, and how it moved: a heat map of histogram against step (TensorBoard's
histogram dashboard as a picture). The trainer fixes each parameter's bin edges for a
run, so every column compares with every other."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.spec import NetworkSpec
from ui.training.plots.common import (
    TRAIN_COLOR,
    VALIDATION_COLOR,
    add_legend,
    image_plot,
    new_plot,
    parameter_label,
    parameter_order,
    unchanged,
)
from ui.training.record import RunRecord

MAX_COLUMNS = 400  # the heat map's resolution along the steps


class WeightHistogramPlot(QWidget):
    """A parameter chooser over a histogram (now, filled; initial, dashed) and the heat map
    (x: step, y: weight value, colour: share of the weights in each bin)."""

    def __init__(self, spec: Callable[[], NetworkSpec | None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("weightHistogramPlot")
        self._spec = spec
        self._keys: list[str] = []
        self._listed_for: NetworkSpec | None = None  # the spec the chooser's names come from
        self.chooser = QComboBox()
        self.chooser.setObjectName("histogramParameter")
        self.chooser.setMinimumContentsLength(18)
        self.now_plot = new_plot("Distribution now and at the start", "weight value", "count")
        add_legend(self.now_plot, (-10, 10))
        self.now = self.now_plot.plot(
            stepMode="center",
            fillLevel=0,
            brush=(*TRAIN_COLOR, 90),
            pen=pg.mkPen(TRAIN_COLOR, width=1.5),
            name="now",
        )
        self.initial = self.now_plot.plot(
            stepMode="center",
            pen=pg.mkPen(VALIDATION_COLOR, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
            name="at the start",
        )
        self.heat_plot, self.heat = image_plot("Distribution over time", "step", "weight value")
        self.heat.setColorMap(pg.colormap.get("viridis"))
        graphics = pg.GraphicsLayoutWidget()
        graphics.addItem(self.now_plot, row=0, col=0)
        graphics.addItem(self.heat_plot, row=1, col=0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Parameter"))
        row.addWidget(self.chooser, 1)
        layout.addLayout(row)
        layout.addWidget(graphics, 1)
        self._record: RunRecord | None = None
        self._drawn: tuple = ()  # (record, key, newest histogram of key) drawn
        self.chooser.currentIndexChanged.connect(self._chosen)

    @property
    def key(self) -> str | None:
        """The chosen parameter (``"0.W"``), or None before the first detail report."""
        return self.chooser.currentData()

    def choose(self, key: str) -> None:
        self.chooser.setCurrentIndex(self.chooser.findData(key))

    def refresh(self, record: RunRecord) -> None:
        self._record = record
        keys = sorted(record.histogram_edges, key=parameter_order)
        if keys != self._keys or self._spec() is not self._listed_for:  # names may change
            self._list(keys)
        self._draw()

    def _list(self, keys: list[str]) -> None:
        """Offer ``keys``, keeping the choice if it is still there (else the first weights)."""
        kept = self.key
        self._keys = keys
        spec = self._listed_for = self._spec()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for key in keys:
            self.chooser.addItem(parameter_label(spec, key), key)
        weights = [k for k in keys if k.endswith(".W")] or keys
        self.chooser.setCurrentIndex(
            self.chooser.findData(kept if kept in keys else weights[0]) if keys else -1
        )
        self.chooser.blockSignals(False)

    def _chosen(self) -> None:
        if self._record is not None:
            self._draw()

    def _draw(self) -> None:
        record, key = self._record, self.key
        histograms = record.histograms.get(key) if record is not None else None
        newest = histograms[-1] if histograms else None
        drawn = (record, key, newest)
        if unchanged(self._drawn, drawn):  # histograms come on the detail cadence
            return
        self._drawn = drawn
        if record is None or key is None or key not in record.histograms:
            for curve in (self.now, self.initial):
                curve.setData([], [])
            self.heat.clear()
            self.heat.values = None
            return
        edges = record.histogram_edges[key]
        counts = record.histograms[key]
        self.now.setData(edges, counts[-1])
        self.initial.setData(edges, record.initial_histograms[key])
        columns, values = _columns(record.histogram_steps[key].values, counts)
        shares = values / np.maximum(values.sum(axis=0, keepdims=True), 1)
        width = (columns[1] - columns[0]) if len(columns) > 1 else 1.0
        rect = QRectF(columns[0] - width / 2, edges[0], width * len(columns), edges[-1] - edges[0])
        self.heat.set_picture(shares, values=values, rect=rect, levels=(0, max(shares.max(), 1e-9)))
        # Show the bins in use (the fixed edges reach twice the widest first weight).
        used = np.flatnonzero(values.any(axis=1) | (record.initial_histograms[key] > 0))
        if len(used):
            low = float(edges[max(used[0] - 1, 0)])  # Python floats: pyqtgraph compares them
            high = float(edges[min(used[-1] + 2, len(edges) - 1)])  # with its huge limits
            self.now_plot.setXRange(low, high, padding=0)
            self.heat_plot.setYRange(low, high, padding=0)


def _columns(steps: np.ndarray, counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Histograms at ``steps`` ``(R,)`` (``counts``: R arrays ``(bins,)``) on an even grid of
    steps: (column steps ``(K,)``, float64 counts ``(bins, K)``), each column the latest
    histogram taken at or before its step (reports come at uneven steps: each epoch's end,
    a time limit). Only the K histograms shown are gathered, however many were taken."""
    if len(steps) == 1:
        return steps, np.asarray(counts, np.float64).T
    columns = np.linspace(steps[0], steps[-1], MAX_COLUMNS)
    latest = np.searchsorted(steps, columns, side="right") - 1
    return columns, np.array([counts[i] for i in latest], np.float64).T
