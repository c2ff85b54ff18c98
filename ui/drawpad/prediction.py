"""``PredictionView``: the ten class probabilities as bars, the top guess large.

Below ``NOT_SURE`` the guess says "not sure". Clicking a class's bar emits ``classChosen``
(the draw pad view then shows why the network would say that class).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

NOT_SURE = 0.6  # a top probability below this is shown as a guess the network is not sure of
BAR = QColor("#4c78a8")
TOP_BAR = QColor("#f58518")
CHOSEN = QColor("#1b1f24")
MUTED = QColor("#5d6773")


class PredictionView(QWidget):
    """Probabilities ``(10,)`` as bars; ``prediction()`` is the top class or None."""

    classChosen = Signal(int)
    updated = Signal()  # new probabilities (or none) are shown

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("predictionView")
        self.setAccessibleName("Prediction")
        self.setToolTip("Click a digit's bar to see why the network would call it that digit.")
        self.setMinimumSize(200, 300)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._probabilities: np.ndarray | None = None
        self._chosen: int | None = None
        self._nothing = "Draw a digit"

    def sizeHint(self) -> QSize:
        return QSize(240, 380)

    # -- the model's side -------------------------------------------------------------
    def set_probabilities(
        self, probabilities: np.ndarray | None, nothing: str = "Draw a digit"
    ) -> None:
        """Show ``probabilities`` ``(classes,)``, or none with the text ``nothing`` says."""
        self._probabilities = None if probabilities is None else np.asarray(probabilities)
        self._nothing = nothing
        self.update()
        self.updated.emit()

    def set_chosen(self, cls: int | None) -> None:
        """Mark the class whose saliency is shown (None: the top guess)."""
        self._chosen = cls
        self.update()

    def nothing_text(self) -> str | None:
        """What is said instead of a guess (None while there is one)."""
        return self._nothing if self._probabilities is None else None

    def prediction(self) -> int | None:
        """The top class, or None while there is nothing to read."""
        p = self._probabilities
        return None if p is None else int(np.argmax(p))

    def probabilities(self) -> np.ndarray | None:
        return None if self._probabilities is None else self._probabilities.copy()

    def is_sure(self) -> bool:
        p = self._probabilities
        return p is not None and float(p.max()) >= NOT_SURE

    # -- layout -------------------------------------------------------------------------
    def _headline_height(self) -> float:
        return min(110.0, self.height() * 0.3)

    def _row_rect(self, cls: int) -> QRectF:
        top = self._headline_height()
        classes = len(self._probabilities) if self._probabilities is not None else 10
        row = (self.height() - top) / classes
        return QRectF(0, top + cls * row, self.width(), row)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._probabilities is None:
            return
        for cls in range(len(self._probabilities)):
            if self._row_rect(cls).contains(event.position()):
                self.classChosen.emit(cls)
                return

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        p = self._probabilities
        head = QRectF(0, 0, self.width(), self._headline_height())
        if p is None:
            painter.setPen(MUTED)
            painter.drawText(head, Qt.AlignmentFlag.AlignCenter, self._nothing)
        else:
            self._paint_headline(painter, head, p)
        self._paint_bars(painter, p)
        painter.end()

    def _paint_headline(self, painter: QPainter, head: QRectF, p: np.ndarray) -> None:
        top = int(np.argmax(p))
        sure = float(p[top]) >= NOT_SURE
        digit_font = QFont(self.font())
        digit_font.setPixelSize(int(head.height() * 0.62))
        digit_font.setBold(True)
        painter.setFont(digit_font)
        painter.setPen(CHOSEN if sure else MUTED)
        upper = QRectF(head.x(), head.y(), head.width(), head.height() * 0.72)
        painter.drawText(upper, Qt.AlignmentFlag.AlignCenter, str(top))
        painter.setFont(self.font())
        lower = QRectF(head.x(), upper.bottom(), head.width(), head.height() * 0.28)
        text = f"{p[top]:.0%} sure" if sure else f"not sure ({p[top]:.0%})"
        painter.drawText(lower, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_bars(self, painter: QPainter, p: np.ndarray | None) -> None:
        painter.setFont(self.font())
        label_width = 28.0
        text_width = 46.0
        top = None if p is None else int(np.argmax(p))
        for cls in range(10 if p is None else len(p)):
            row = self._row_rect(cls)
            bar_space = row.width() - label_width - text_width - 8
            painter.setPen(CHOSEN if cls == self._chosen else MUTED)
            painter.drawText(
                QRectF(row.x(), row.y(), label_width, row.height()),
                Qt.AlignmentFlag.AlignCenter,
                str(cls),
            )
            track = QRectF(
                row.x() + label_width, row.y() + row.height() * 0.2, bar_space, row.height() * 0.6
            )
            painter.fillRect(track, QColor("#eef0f3"))
            if p is None:
                continue
            value = float(p[cls])
            bar = QRectF(track.x(), track.y(), max(1.0, bar_space * value), track.height())
            painter.fillRect(bar, TOP_BAR if cls == top else BAR)
            if cls == self._chosen:
                painter.setPen(CHOSEN)
                painter.drawRect(track)
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(track.right() + 4, row.y(), text_width, row.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"{value:.0%}",
            )
