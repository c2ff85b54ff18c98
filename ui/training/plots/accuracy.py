"""``AccuracyPlot`` (``accuracyPlot``): training accuracy per step, smoothed, and validation."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.training.plots.common import FollowSteps
from ui.training.plots.curves import MetricPlot


class AccuracyPlot(MetricPlot):
    """Accuracy in [0, 1] on a fixed axis (no auto-range repaint); the smoothing follows
    the loss plot's control, and ``steps_axis`` shares the loss plot's steps (the view
    connects them)."""

    def __init__(
        self, steps_axis: FollowSteps | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("accuracy", "Accuracy", steps_axis, (0.0, 1.0), parent)
        self.setObjectName("accuracyPlot")
