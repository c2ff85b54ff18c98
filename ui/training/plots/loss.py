"""``LossPlot`` (``lossPlot``): the loss of every step, smoothed, and validation loss."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QSlider, QWidget

from ui.training.plots.curves import MetricPlot

SMOOTHING_STEPS = 100  # the slider's positions: weights 0.00 … 0.99


class LossPlot(MetricPlot):
    """The loss curves with TensorBoard's smoothing slider and a log-scale toggle."""

    smoothingChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("loss", "Loss", parent=parent)
        self.setObjectName("lossPlot")
        self.smoothing_slider = QSlider(Qt.Orientation.Horizontal)
        self.smoothing_slider.setObjectName("smoothingSlider")
        self.smoothing_slider.setRange(0, SMOOTHING_STEPS - 1)
        self.smoothing_slider.setValue(round(self.smoothing * SMOOTHING_STEPS))
        self.smoothing_slider.setToolTip(
            "Exponential moving average of the training curves, as TensorBoard smooths "
            "(0: none). Validation points are not smoothed."
        )
        self.smoothing_text = QLabel()
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setObjectName("lossLogScale")
        self.toolbar.addWidget(QLabel("Smoothing"))
        self.toolbar.addWidget(self.smoothing_slider, 1)
        self.toolbar.addWidget(self.smoothing_text)
        self.toolbar.addSpacing(12)
        self.toolbar.addWidget(self.log_scale)
        self.smoothing_slider.valueChanged.connect(self._slid)
        self.log_scale.toggled.connect(self.set_log_scale)
        self._slid(self.smoothing_slider.value())

    def _slid(self, position: int) -> None:
        weight = position / SMOOTHING_STEPS
        self.smoothing_text.setText(f"{weight:.2f}")
        self.set_smoothing(weight)
        self.smoothingChanged.emit(weight)
