"""``DrawPad``: a square to draw on with mouse, pen or finger; a thick, round, smooth ink.

The pad keeps the strokes as points in units of its side (0-1, y down), so a resize keeps
the drawing; ``strokes()`` hands them to ``playground.drawing``, which draws them again with
the pen width MNIST's digits have. What the person sees is thicker ink, drawn for them.
Clear: ``clear()``, Esc or a right click. Undo: ``undo()`` (Ctrl+Z while it has focus).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

INK_WIDTH = 0.07  # the ink the person sees, as a fraction of the pad's side
INK = QColor("#1b1f24")
PAPER = QColor("#ffffff")


class DrawPad(QWidget):
    """The drawing area. ``changed`` fires for every point added and on undo and clear;
    ``strokeFinished`` when the pen lifts."""

    changed = Signal()
    strokeFinished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("drawPad")
        self.setAccessibleName("Draw pad")
        self.setToolTip("Draw a digit. Right click or Esc clears, Ctrl+Z undoes the last stroke.")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(160, 160)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._strokes: list[list[tuple[float, float]]] = []
        self._drawing = False
        self._finished = QImage()  # the finished strokes, painted once

    # -- the drawing ----------------------------------------------------------------
    def strokes(self) -> list[np.ndarray]:
        """Each stroke as ``(K, 2)`` points (x, y) in units of the pad's side, y down."""
        return [np.asarray(s, np.float32) for s in self._strokes]

    def is_empty(self) -> bool:
        return not self._strokes

    def clear(self) -> None:
        """Remove every stroke."""
        self._drawing = False
        if self._strokes:
            self._strokes.clear()
            self._repaint_finished()
            self.changed.emit()

    def undo(self) -> None:
        """Remove the last stroke."""
        self._drawing = False
        if self._strokes:
            self._strokes.pop()
            self._repaint_finished()
            self.changed.emit()

    # -- geometry ---------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(360, 360)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def _square(self) -> QRectF:
        """The drawing square: the largest one centred in the widget."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_pad(self, pos: QPointF) -> tuple[float, float]:
        square = self._square()
        x = (pos.x() - square.x()) / square.width()
        y = (pos.y() - square.y()) / square.height()
        return min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)

    def _to_widget(self, point: tuple[float, float]) -> QPointF:
        square = self._square()
        return QPointF(
            square.x() + point[0] * square.width(), square.y() + point[1] * square.height()
        )

    # -- pen down, move, up (mouse, tablet and touch all come here) --------------------
    def _press(self, pos: QPointF) -> None:
        self._drawing = True
        self._strokes.append([self._to_pad(pos)])
        self._update_around(self._strokes[-1][-1], self._strokes[-1][-1])
        self.changed.emit()

    def _move(self, pos: QPointF) -> None:
        if not self._drawing:
            return
        stroke = self._strokes[-1]
        point = self._to_pad(pos)
        if point == stroke[-1]:
            return
        stroke.append(point)
        self._update_around(stroke[-2], point)
        self.changed.emit()

    def _release(self) -> None:
        if not self._drawing:
            return
        self._drawing = False
        self._paint_strokes(self._finished, self._strokes[-1:])
        self.update()
        self.strokeFinished.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self.clear()
        elif event.button() == Qt.MouseButton.LeftButton:
            self._press(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._move(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._release()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._press(event.position())
        elif kind == QEvent.Type.TabletMove:
            self._move(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._release()
        event.accept()  # no mouse events synthesised from the pen as well

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            points = event.points()
            if points:
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._press(pos)
                elif kind == QEvent.Type.TouchUpdate:
                    self._move(pos)
                else:
                    self._release()
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self._release()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
        elif event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        else:
            super().keyPressEvent(event)

    # -- painting ---------------------------------------------------------------------
    def _pen(self) -> QPen:
        pen = QPen(INK, INK_WIDTH * self._square().width())
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _draw_stroke(self, painter: QPainter, stroke: list[tuple[float, float]]) -> None:
        if len(stroke) == 1:  # a dot: a wide round-capped pen draws a point as a disc
            painter.drawPoint(self._to_widget(stroke[0]))
            return
        path = QPainterPath(self._to_widget(stroke[0]))
        for point in stroke[1:]:
            path.lineTo(self._to_widget(point))
        painter.drawPath(path)

    def _paint_strokes(self, image: QImage, strokes: list[list[tuple[float, float]]]) -> None:
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen())
        for stroke in strokes:
            self._draw_stroke(painter, stroke)
        painter.end()

    def _repaint_finished(self) -> None:
        """Redraw the image of finished strokes (after a resize, undo or clear)."""
        self._finished = QImage(self.size(), QImage.Format.Format_RGB32)
        self._finished.fill(self.palette().window().color())  # around the square
        painter = QPainter(self._finished)
        painter.fillRect(self._square(), PAPER)
        painter.setPen(QPen(QColor("#c9ced6"), 1))
        painter.drawRect(self._square().adjusted(0, 0, -1, -1))
        painter.end()
        done = self._strokes[:-1] if self._drawing else self._strokes
        self._paint_strokes(self._finished, done)
        self.update()

    def _update_around(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        """Repaint only the newest segment's neighbourhood: the pen never waits for the pad."""
        margin = INK_WIDTH * self._square().width() / 2 + 2
        rect = QRectF(self._to_widget(a), self._to_widget(b)).normalized()
        self.update(rect.adjusted(-margin, -margin, margin, margin).toAlignedRect())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._repaint_finished()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawImage(event.rect(), self._finished, event.rect())
        if self._drawing and self._strokes:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(self._pen())
            self._draw_stroke(painter, self._strokes[-1])
        painter.end()
