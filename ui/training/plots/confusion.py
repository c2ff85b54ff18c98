"""``ConfusionMatrixView`` (``confusionMatrixView``): the validation set's confusion matrix.

Rows are the true classes, columns the predicted ones; each cell shows its count and
is shaded by the share of its row (so a rare class reads as clearly as a common one).
Updated on the detail cadence, when a report brings a new matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from ui.training.plots.common import image_plot
from ui.training.record import RunRecord

DARK_SHARE = 0.55  # cells shaded darker than this get white numbers


class ConfusionMatrixView(QWidget):
    """The matrix as one image item with a count on every cell; a sentence when the run has
    no validation split."""

    def __init__(
        self, class_names: Callable[[int], Sequence[str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrixView")
        self._class_names = class_names
        self._shown = None  # the report whose matrix is drawn
        self.plot, self.image = image_plot("Validation confusion matrix", "predicted", "true")
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.image.setColorMap(_blues())
        self.counts: list[pg.TextItem] = []  # one per cell, row by row
        self._written: list[tuple[str, str]] = []  # (count, colour) each cell shows
        graphics = pg.GraphicsLayoutWidget()
        graphics.addItem(self.plot)
        self.message = QLabel(
            "No validation split yet: the matrix appears at the first detail report of a run "
            "with a validation fraction above 0."
        )
        self.message.setObjectName("confusionMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedLayout(self)
        self.pages.addWidget(graphics)
        self.pages.addWidget(self.message)
        self.pages.setCurrentWidget(self.message)

    @property
    def matrix(self) -> np.ndarray | None:
        """The counts drawn ``(C, C)``, or None."""
        return self.image.values

    def refresh(self, record: RunRecord) -> None:
        report = record.latest_details
        if report is self._shown:
            return
        self._shown = report
        if report is None or report.confusion is None:
            self.image.clear()
            self.image.values = None
            self.pages.setCurrentWidget(self.message)
            return
        self.pages.setCurrentIndex(0)
        matrix = report.confusion
        classes = len(matrix)
        shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        self.image.set_picture(
            shares, values=matrix, rect=QRectF(-0.5, -0.5, classes, classes), levels=(0, 1)
        )
        if len(self.counts) != classes * classes:
            self._make_counts(classes)
        cells = zip(self.counts, matrix.ravel(), shares.ravel(), strict=True)
        for i, (text, count, share) in enumerate(cells):
            written = (str(int(count)), "w" if share > DARK_SHARE else "k")
            if written != self._written[i]:  # most cells keep their count from frame to frame
                text.setText(*written)
                self._written[i] = written

    def _make_counts(self, classes: int) -> None:
        """One text item per cell and the class names on both axes."""
        for text in self.counts:
            self.plot.removeItem(text)
        self.counts = []
        self._written = [("", "")] * (classes * classes)
        for row in range(classes):
            for column in range(classes):
                text = pg.TextItem(anchor=(0.5, 0.5))
                text.setPos(column, row)
                self.plot.addItem(text)
                self.counts.append(text)
        names = list(self._class_names(classes))
        ticks = [[(i, name) for i, name in enumerate(names)]]
        self.plot.getAxis("bottom").setTicks(ticks)
        self.plot.getAxis("left").setTicks(ticks)


def _blues() -> pg.ColorMap:
    """White (no samples) to deep blue (the whole row)."""
    return pg.ColorMap([0.0, 1.0], [(255, 255, 255), (8, 69, 148)])
