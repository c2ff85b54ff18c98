"""``MetricPlot``: one metric of the run against the step, as TensorBoard draws a scalar.

The training value of every step (faint), the same smoothed (a moving average with
debiasing, see ``smoothing``), and the validation value at each detail report. The
loss and accuracy plots are two of these (``loss``, ``accuracy``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.training.plots.common import (
    FAINT_TRAIN_COLOR,
    TRAIN_COLOR,
    VALIDATION_COLOR,
    FollowSteps,
    add_legend,
    fast_curves,
    new_plot,
)
from ui.training.plots.envelope import StepCurve
from ui.training.plots.smoothing import SmoothedSeries
from ui.training.record import RunRecord, Series

AXIS_WIDTH = 64  # px: the loss and accuracy plots' steps line up, one above the other
MAX_SYMBOLS = 100  # scatter symbols are redrawn one by one: slow by the thousand


class MetricPlot(QWidget):
    """Training (raw and smoothed) and validation curves of ``metric`` ("loss" or
    "accuracy", the ``RunRecord`` attribute names; validation is ``val_<metric>``)."""

    def __init__(
        self,
        metric: str,
        title: str,
        steps_axis: FollowSteps | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``steps_axis``: another plot's, to share its step axis (default: its own)."""
        super().__init__(parent)
        self.metric = metric
        self.smoothing = 0.6  # TensorBoard's default
        self._smoothed = SmoothedSeries()
        self._record: RunRecord | None = None
        self.plot = new_plot(title, "step", metric)
        fast_curves(self.plot)
        self.legend = add_legend(self.plot, (-10, 10))
        self.plot.getAxis("left").setWidth(AXIS_WIDTH)  # stacked plots line up
        # The y range follows the smoothed curve, not each step's spikes (as TensorBoard's
        # "ignore outliers" does).
        self.raw = StepCurve(pen=pg.mkPen(FAINT_TRAIN_COLOR), name="training (each step)")
        self.plot.addItem(self.raw, ignoreBounds=True)
        self.smooth = StepCurve(pen=pg.mkPen(TRAIN_COLOR), name="training (smoothed)")
        self.plot.addItem(self.smooth)
        self.validation = StepCurve(
            pen=pg.mkPen(VALIDATION_COLOR),
            symbolSize=5,
            symbolBrush=VALIDATION_COLOR,
            symbolPen=None,
            name="validation",
        )
        self.plot.addItem(self.validation)
        self.steps_axis = steps_axis.join(self.plot) if steps_axis else FollowSteps(self.plot)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.addItem(self.plot)
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

    def refresh(self, record: RunRecord) -> None:
        self._record = record
        values = getattr(record, self.metric)
        box = self.plot.getViewBox()
        if not record.steps and box.autoRangeEnabled()[1]:
            # Auto-range keeps the last range when there is no data: forget the last run's.
            box.setYRange(0, 1, padding=0)
            box.enableAutoRange(y=True)
        self.steps_axis.update(record.steps)  # first: the curves draw the steps in view
        self.raw.show_series(record.step, values)
        self._draw_smoothed(record)
        validation: Series = getattr(record, f"val_{self.metric}")
        # A dot per report while they are few (a lone one has no line); a plain line after.
        symbol = "o" if len(validation) <= MAX_SYMBOLS else None
        if symbol != self.validation.opts["symbol"]:
            self.validation.setSymbol(symbol)
        self.validation.show_series(record.val_step, validation)

    def _draw_smoothed(self, record: RunRecord) -> None:
        smoothed = self._smoothed.of(getattr(record, self.metric), self.smoothing)
        self.smooth.show_series(record.step, smoothed)

    def smoothed_values(self) -> np.ndarray:
        """The smoothed curve as drawn ``(steps,)`` (for tests and automation)."""
        return self.smooth.getOriginalDataset()[1]
