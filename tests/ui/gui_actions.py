"""What a person does on the canvas, as synthesized Qt events (offscreen ``QDrag`` drops nothing).

Drops send the canvas viewport the enter, move and drop events a real drag
sends, carrying the palette's or a block's own MIME data.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from ui.editor.canvas import NetworkCanvas


def _event(cls, pos: QPoint, mime: QMimeData, action: Qt.DropAction):
    args = (action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:
        return cls(QPointF(pos), *args)  # PySide6 6.12
    except TypeError:
        return cls(pos, *args)  # 6.11 takes only QPoint


def gap_position(canvas: NetworkCanvas, index: int) -> QPoint:
    """The viewport point between the block above insertion ``index`` and the one below."""
    blocks = canvas.blocks()
    above, below = blocks[index].sceneBoundingRect(), blocks[index + 1].sceneBoundingRect()
    canvas.ensureVisible(above.united(below), 0, 0)
    scene_point = QPointF(above.center().x(), (above.bottom() + below.top()) / 2)
    return canvas.mapFromScene(scene_point)


def block_position(canvas: NetworkCanvas, key, fraction: float = 0.5) -> QPoint:
    """A viewport point inside a block, ``fraction`` of the way down it."""
    block = next(b for b in canvas.blocks() if b.key == key)
    rect = block.sceneBoundingRect()
    canvas.ensureVisible(rect, 0, 0)
    return canvas.mapFromScene(QPointF(rect.center().x(), rect.top() + rect.height() * fraction))


def hover(canvas: NetworkCanvas, mime: QMimeData, pos: QPoint, action=Qt.DropAction.CopyAction):
    """Drag ``mime`` onto the canvas and hold it over ``pos``; returns the move event."""
    viewport = canvas.viewport()
    enter = _event(QDragEnterEvent, pos, mime, action)
    QApplication.sendEvent(viewport, enter)
    move = _event(QDragMoveEvent, pos, mime, action)
    QApplication.sendEvent(viewport, move)
    return move


def drop(canvas: NetworkCanvas, mime: QMimeData, pos: QPoint, action=Qt.DropAction.CopyAction):
    """A whole drag: enter, move and drop at ``pos``; returns the drop event."""
    hover(canvas, mime, pos, action)
    event = _event(QDropEvent, pos, mime, action)
    QApplication.sendEvent(canvas.viewport(), event)
    return event
