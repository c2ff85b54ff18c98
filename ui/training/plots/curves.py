"""``MetricPlot``: one metric of the run against the step, as TensorBoard draws a scalar.

The training value of every step (faint), the same smoothed (a moving average with
debiasing, see ``smoothing``), and the validation value at each detail report. The
loss and accuracy plots are two of these (``loss``, ``accuracy``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsView, QHBoxLayout, QVBoxLayout, QWidget

from ui.training.plots.common import (
    FAINT_TRAIN_COLOR,
    TRAIN_COLOR,
    VALIDATION_COLOR,
    FollowSteps,
    FollowValues,
    fast_curves,
    new_plot,
)
from ui.training.plots.envelope import StepCurve, StepDots
from ui.training.plots.smoothing import SmoothedSeries
from ui.training.record import RunRecord, Series

AXIS_WIDTH = 64  # px: the loss and accuracy plots' steps line up, one above the other
MAX_DOTS = 100  # more merge into a thick line


class MetricPlot(QWidget):
    """Training (raw and smoothed) and validation curves of ``metric`` ("loss" or
    "accuracy", the ``RunRecord`` attribute names; validation is ``val_<metric>``)."""

    def __init__(
        self,
        metric: str,
        title: str,
        steps_axis: FollowSteps | None = None,
        value_range: tuple[float, float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``steps_axis``: another plot's, to share its step axis (default: its own);
        ``value_range``: a fixed y range (default: one that follows the curves)."""
        super().__init__(parent)
        self.metric = metric
        self.smoothing = 0.6  # TensorBoard's default
        self._smoothed = SmoothedSeries()
        self._record: RunRecord | None = None
        self.plot = new_plot(None, "step", metric)  # the title heads the legend's row
        fast_curves(self.plot)
        self.plot.getAxis("left").setWidth(AXIS_WIDTH)  # stacked plots line up
        # The y range follows the smoothed curve, not each step's spikes (as TensorBoard's
        # "ignore outliers" does).
        self.raw = StepCurve(pen=pg.mkPen(FAINT_TRAIN_COLOR), name="training (each step)")
        self.plot.addItem(self.raw, ignoreBounds=True)
        self.smooth = StepCurve(pen=pg.mkPen(TRAIN_COLOR), name="training (smoothed)")
        self.plot.addItem(self.smooth)
        self.validation = StepCurve(pen=pg.mkPen(VALIDATION_COLOR), name="validation")
        self.plot.addItem(self.validation)
        # A dot per report while they are few (a lone one has no line).
        dot = pg.mkPen(VALIDATION_COLOR, width=5, cap=Qt.PenCapStyle.RoundCap)
        self.validation_dots = StepDots(pen=dot)
        self.plot.addItem(self.validation_dots)
        self.steps_axis = steps_axis.join(self.plot) if steps_axis else FollowSteps(self.plot)
        self.values_axis: FollowValues | None = None
        if value_range is None:
            self.values_axis = FollowValues(self.plot, lambda: (self.smooth, self.validation))
        else:
            self.plot.setYRange(*value_range, padding=0.02)
            self.plot.enableAutoRange(y=False)
        # The title and the legend in a row above the plot: a legend over the curves would
        # be painted again with them at every frame.
        self.legend = pg.LegendItem(colCount=3, labelTextSize="8pt", horSpacing=16)
        for item in (self.raw, self.smooth, self.validation):
            self.legend.addItem(item, item.name())
        self.graphics = pg.GraphicsLayoutWidget()
        # Qt grows each repainted area by 2 px for antialiased edges, which reaches the
        # axis below the view: it would repaint with all its text at every frame. The
        # curves are clipped to the view, so nothing is drawn past its edges to grow for.
        self.graphics.setOptimizationFlag(
            QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True
        )
        self.graphics.addLabel(title, row=0, col=0, size="11pt", justify="left")
        self.graphics.addItem(self.legend, row=0, col=1)
        self.graphics.addItem(self.plot, row=1, col=0, colspan=2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toolbar = QHBoxLayout()  # where a plot puts its own controls
        layout.addLayout(self.toolbar)
        layout.addWidget(self.graphics, 1)

    def set_smoothing(self, weight: float) -> None:
        """The smoothing weight in [0, 1) (0: none); redraws the smoothed curve now."""
        self.smoothing = weight
        if self._record is not None:
            self._draw_smoothed(self._record)
            self._follow_values()

    def set_log_scale(self, on: bool) -> None:
        """Values on a log10 scale (the curves redraw mapped) or a linear one."""
        self.plot.setLogMode(y=on)  # which turns pyqtgraph's auto-range on: follow again
        if self._record is not None:
            self.steps_axis.update(self._record.steps)
            self._follow_values()

    def _follow_values(self) -> None:
        if self.values_axis is not None:
            self.values_axis.update()

    def refresh(self, record: RunRecord) -> None:
        self._record = record
        values = getattr(record, self.metric)
        self.steps_axis.update(record.steps)  # first: the curves draw the steps in view
        self.raw.show_series(record.step, values)
        self._draw_smoothed(record)
        validation: Series = getattr(record, f"val_{self.metric}")
        self.validation.show_series(record.val_step, validation)
        self.validation_dots.setVisible(len(validation) <= MAX_DOTS)
        self.validation_dots.show_series(record.val_step, validation)
        self._follow_values()

    def _draw_smoothed(self, record: RunRecord) -> None:
        smoothed = self._smoothed.of(getattr(record, self.metric), self.smoothing)
        self.smooth.show_series(record.step, smoothed)

    def smoothed_values(self) -> np.ndarray:
        """The smoothed curve as drawn ``(steps,)`` (for tests and automation)."""
        return self.smooth.getOriginalDataset()[1]
