"""``FilterView`` (``filterView``): a conv layer's filters as one mosaic, updating as they learn.

The first conv layer's filters look at the image itself and show what they learned
(edges, strokes); a deeper layer's filters span many input channels, shown one input
channel at a time. Each filter is scaled to its own largest weight (grey is 0).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from playground.errors import SpecError
from playground.project import Project
from ui.training.plots.common import (
    bare_image_plot,
    layer_label,
    mosaic,
    scaled_each,
    unchanged,
)
from ui.training.record import RunRecord


class FilterView(QWidget):
    """A conv layer chooser, an input-channel chooser (layers with several input channels)
    and the mosaic; a plain sentence instead when the network has no conv layer."""

    def __init__(self, project: Callable[[], Project], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("filterView")
        self._project = project
        self._layers: list[int] = []
        self._record: RunRecord | None = None
        self._drawn: tuple = ()  # (detail report, project, layer, channel) drawn
        self.layer_chooser = QComboBox()
        self.layer_chooser.setObjectName("filterLayer")
        self.channel = QSpinBox()
        self.channel.setObjectName("filterChannel")
        self.channel.setPrefix("input channel ")
        self.plot, self.image = bare_image_plot("Filters")
        self.image.setColorMap(pg.colormap.get("CET-L1"))  # black (negative) to white
        graphics = pg.GraphicsLayoutWidget()
        graphics.addItem(self.plot)
        self.message = QLabel()
        self.message.setObjectName("filterMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        shown = QWidget()
        column = QVBoxLayout(shown)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Layer"))
        row.addWidget(self.layer_chooser, 1)
        row.addWidget(self.channel)
        column.addLayout(row)
        column.addWidget(graphics, 1)
        self.pages = QStackedLayout(self)
        self.pages.addWidget(shown)
        self.pages.addWidget(self.message)
        self.layer_chooser.currentIndexChanged.connect(self._redraw)
        self.channel.valueChanged.connect(self._redraw)

    @property
    def layer(self) -> int | None:
        """The index of the conv layer shown, or None."""
        return self.layer_chooser.currentData()

    def refresh(self, record: RunRecord) -> None:
        self._record = record
        spec = self._project().spec
        layers = [i for i, config in enumerate(spec.layers) if config["type"] == "conv2d"]
        if layers != self._layers:
            self._layers = layers
            self.layer_chooser.blockSignals(True)
            self.layer_chooser.clear()
            for i in layers:
                self.layer_chooser.addItem(layer_label(spec, i), i)
            self.layer_chooser.blockSignals(False)
        self._redraw()

    def _redraw(self) -> None:
        details = self._record.latest_details if self._record is not None else None
        drawn = (details, self._project(), self.layer, self.channel.value())
        if unchanged(self._drawn, drawn):  # filters change with a detail report or a project
            return
        self._drawn = drawn
        filters = self._filters()
        if filters is None:
            self.image.clear()
            self.image.values = None
            self.pages.setCurrentWidget(self.message)
            return
        self.pages.setCurrentIndex(0)
        count, channels = filters.shape[:2]
        self.channel.setRange(0, channels - 1)
        self.channel.setVisible(channels > 1)
        tiles = filters[:, min(self.channel.value(), channels - 1)]
        self.plot.setTitle(f"{count} filters {tiles.shape[1]}×{tiles.shape[2]}")
        self.image.set_picture(mosaic(scaled_each(tiles)), values=mosaic(tiles), levels=(-1, 1))

    def _filters(self) -> np.ndarray | None:
        """The chosen layer's filters ``(F, C, kh, kw)``: from the newest detail report (fresher
        than the project's snapshot) while it has that layer's shape, else the project's
        network; None, with the message set, when there are none."""
        if not self._layers:
            self.message.setText("This network has no conv layer, so there are no filters to show.")
            return None
        index = self.layer
        try:
            current = self._project().network.layers[index].params["W"]
        except SpecError as exc:
            self.message.setText(f"The network is not valid, so it has no filters yet: {exc}")
            return None
        details = self._record.latest_details if self._record is not None else None
        reported = (details.filters or {}).get(index) if details is not None else None
        return reported if reported is not None and reported.shape == current.shape else current
