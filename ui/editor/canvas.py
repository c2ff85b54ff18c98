"""The network canvas: the spec drawn as a stack of blocks, and the drop target for layers.

The canvas mirrors the document: every change rebuilds the blocks from the
spec, and every edit made here (drop, reorder, delete, duplicate) goes to the
document as an undoable command. A drop lands between blocks; a marker shows
where while dragging.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QMenu,
    QWidget,
)

from playground.spec import NetworkSpec
from ui.document import Document
from ui.editor.blocks import BLOCK_WIDTH, BlockItem, block_contents
from ui.editor.mime import block_index_from_mime, block_mime_data, layer_type_from_mime
from ui.editor.selection import LOSS_BLOCK, BlockKey

_GAP = 22.0  # between blocks, room for the arrow and the insertion marker
_EMPTY_GAP = 96.0  # between input and loss when there are no layers: the drop hint
_MARGIN = 14.0
_AUTOSCROLL_EDGE = 32
_AUTOSCROLL_STEP = 12
_ACCENT = QColor("#2f6fdb")
_ARROW = QColor("#8a94a3")


class NetworkCanvas(QGraphicsView):
    """Blocks from input to loss; drop layers between them, drag blocks to reorder."""

    selectionChanged = Signal(object)  # the selected BlockKey

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkCanvas")
        self.document = document
        self._scene = QGraphicsScene(self)
        self._scene.setBackgroundBrush(QColor("#eef1f5"))
        self.setScene(self._scene)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumWidth(int(BLOCK_WIDTH + 2 * _MARGIN))

        self._blocks: list[BlockItem] = []
        self._selected: BlockKey = None
        self._marks: dict[str, int] = {}  # kind -> layer index (see set_layer_mark)
        self._press: tuple[QPoint, int] | None = None  # where a drag of a layer block may start
        self._marker: QGraphicsRectItem
        self._drag_pos: QPoint | None = None  # where a drag is held, in viewport coordinates
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setInterval(30)
        self._scroll_timer.timeout.connect(self._autoscroll)
        self._create_actions()

        document.specChanged.connect(self._rebuild)
        document.focusRequested.connect(self.select)
        document.replaced.connect(lambda: self.select(None))  # another network: nothing chosen
        self._rebuild(document.spec)

    # -- actions -------------------------------------------------------------------
    def _create_actions(self) -> None:
        def action(text: str, keys: list[QKeySequence], slot: Callable[[], None]) -> QAction:
            a = QAction(text, self)
            a.setShortcuts(keys)
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        key = QKeySequence
        self.delete_action = action(
            "&Delete layer", [key(Qt.Key.Key_Delete), key(Qt.Key.Key_Backspace)], self._delete
        )
        self.duplicate_action = action("D&uplicate layer", [key("Ctrl+D")], self._duplicate)
        self.move_up_action = action("Move layer &up", [key("Alt+Up")], lambda: self._move_by(-1))
        self.move_down_action = action(
            "Move layer do&wn", [key("Alt+Down")], lambda: self._move_by(1)
        )
        self._update_actions()

    def layer_actions(self) -> list[QAction]:
        """The actions on the selected layer, for the Edit menu and the context menu."""
        return [
            self.duplicate_action,
            self.delete_action,
            self.move_up_action,
            self.move_down_action,
        ]

    def _update_actions(self) -> None:
        index = self.selected_layer
        count = len(self.document.spec.layers)
        self.delete_action.setEnabled(index is not None)
        self.duplicate_action.setEnabled(index is not None)
        self.move_up_action.setEnabled(index is not None and index > 0)
        self.move_down_action.setEnabled(index is not None and index < count - 1)

    def _delete(self) -> None:
        if self.selected_layer is not None:
            self.document.remove_layer(self.selected_layer)

    def _duplicate(self) -> None:
        if self.selected_layer is not None:
            self.document.duplicate_layer(self.selected_layer)

    def _move_by(self, step: int) -> None:
        index = self.selected_layer
        if index is not None and 0 <= index + step < len(self.document.spec.layers):
            self.document.move_layer(index, index + step)

    # -- selection -----------------------------------------------------------------
    @property
    def selected(self) -> BlockKey:
        return self._selected

    @property
    def selected_layer(self) -> int | None:
        """The index of the selected layer, or None when no layer is selected."""
        return self._selected if isinstance(self._selected, int) else None

    def select(self, key: BlockKey, reveal: bool = True) -> None:
        """Select a block by key (a layer index, the input or the loss); None clears."""
        keys = [b.key for b in self._blocks]
        if key not in keys:
            key = None
        for block in self._blocks:
            block.set_selected(block.key == key)
        if key is not None and reveal:
            self.ensureVisible(self._block(key).sceneBoundingRect(), 0, 12)
        if key != self._selected:
            self._selected = key
            self._update_actions()
            self.selectionChanged.emit(key)

    def set_layer_mark(self, index: int | None, kind: str) -> None:
        """Mark one layer for another view (``kind`` "active": the step-through view's
        current layer; "problem": a layer that produced a NaN); None clears that kind."""
        if index is None:
            self._marks.pop(kind, None)
        else:
            self._marks[kind] = index
        self._paint_marks()
        if index is not None and index < len(self.document.spec.layers):
            self.ensureVisible(self._block(index).sceneBoundingRect(), 0, 12)

    def layer_mark(self, index: int) -> str | None:
        """The mark on layer ``index`` (the later kind wins when two mark one layer)."""
        return next((k for k, i in reversed(self._marks.items()) if i == index), None)

    def _paint_marks(self) -> None:
        for block in self._blocks:
            block.set_mark(self.layer_mark(block.key) if isinstance(block.key, int) else None)

    def blocks(self) -> list[BlockItem]:
        """The blocks, input first and loss last."""
        return list(self._blocks)

    def _block(self, key: BlockKey) -> BlockItem:
        return next(b for b in self._blocks if b.key == key)

    # -- building the scene from the spec -------------------------------------------
    def _rebuild(self, spec: NetworkSpec) -> None:
        self._scene.clear()
        self._blocks = []
        self._marker = self._make_marker()
        y = 0.0
        for content in block_contents(spec):
            if self._blocks:
                gap = _EMPTY_GAP if content.key == LOSS_BLOCK and not spec.layers else _GAP
                self._add_arrow(y, y + gap)
                if gap == _EMPTY_GAP:
                    self._add_drop_hint(y, gap)
                y += gap
            block = BlockItem(content)
            block.setPos(-BLOCK_WIDTH / 2, y)
            self._scene.addItem(block)
            self._blocks.append(block)
            y += block.height
        self._scene.setSceneRect(
            QRectF(-BLOCK_WIDTH / 2, 0, BLOCK_WIDTH, y).adjusted(
                -_MARGIN, -_MARGIN, _MARGIN, _MARGIN
            )
        )
        keep = self._selected
        if isinstance(keep, int) and keep >= len(spec.layers):
            keep = len(spec.layers) - 1 if spec.layers else None
        self.select(keep, reveal=False)
        self._paint_marks()
        self._update_actions()

    def _add_arrow(self, top: float, bottom: float) -> None:
        path = QPainterPath(QPointF(0, top + 3))
        path.lineTo(QPointF(0, bottom - 6))
        arrow = QGraphicsPathItem(path)
        arrow.setPen(QPen(_ARROW, 1.5))
        self._scene.addItem(arrow)
        head = QPainterPath()
        head.addPolygon(
            QPolygonF([QPointF(-4, bottom - 8), QPointF(4, bottom - 8), QPointF(0, bottom - 2)])
        )
        tip = QGraphicsPathItem(head)
        tip.setPen(Qt.PenStyle.NoPen)
        tip.setBrush(_ARROW)
        self._scene.addItem(tip)

    def _add_drop_hint(self, top: float, gap: float) -> None:
        rect = QRectF(-BLOCK_WIDTH / 2 + 30, top + 14, BLOCK_WIDTH - 60, gap - 28)
        hint = QGraphicsRectItem(rect)
        hint.setPen(QPen(_ARROW, 1, Qt.PenStyle.DashLine))
        hint.setBrush(QColor("#f7f9fb"))
        self._scene.addItem(hint)
        text = QGraphicsSimpleTextItem("Drag layers here from the palette")
        text.setBrush(QColor("#5d6773"))
        bounds = text.boundingRect()
        text.setPos(rect.center() - QPointF(bounds.width() / 2, bounds.height() / 2))
        self._scene.addItem(text)

    def _make_marker(self) -> QGraphicsRectItem:
        marker = QGraphicsRectItem(QRectF(-BLOCK_WIDTH / 2, -2, BLOCK_WIDTH, 4))
        marker.setPen(Qt.PenStyle.NoPen)
        marker.setBrush(_ACCENT)
        marker.setZValue(10)
        marker.setVisible(False)
        self._scene.addItem(marker)
        return marker

    # -- where a drop lands ------------------------------------------------------------
    def insertion_index(self, scene_y: float) -> int:
        """The layer index a drop at ``scene_y`` inserts at: before the first layer below it."""
        layers = self._blocks[1:-1]
        return sum(1 for b in layers if b.sceneBoundingRect().center().y() < scene_y)

    def marker_index(self) -> int | None:
        """Where the insertion marker shows a drop would land; None when it is hidden."""
        return self._marker.data(0) if self._marker.isVisible() else None

    def _show_marker(self, index: int) -> None:
        above, below = self._blocks[index], self._blocks[index + 1]
        y = (above.sceneBoundingRect().bottom() + below.sceneBoundingRect().top()) / 2
        self._marker.setPos(0, y)
        self._marker.setData(0, index)
        self._marker.setVisible(True)

    def _hide_marker(self) -> None:
        """The drag left or dropped: no marker, no scrolling."""
        self._marker.setVisible(False)
        self._drag_pos = None
        self._scroll_timer.stop()

    def _accepts(self, event: QDropEvent) -> bool:
        mime = event.mimeData()
        if layer_type_from_mime(mime) is not None:
            return True
        index = block_index_from_mime(mime)
        return index is not None and index < len(self.document.spec.layers)

    # -- drag and drop target ------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
            self._hold_drag_at(event.position().toPoint())
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        event.acceptProposedAction()
        self._hold_drag_at(event.position().toPoint())

    def _hold_drag_at(self, pos: QPoint) -> None:
        """A drag is over ``pos``: mark where it would land; scroll while it is near an edge."""
        self._drag_pos = pos
        self._show_marker(self.insertion_index(self.mapToScene(pos).y()))
        if self._scroll_speed() and not self._scroll_timer.isActive():
            self._scroll_timer.start()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._hide_marker()

    def dropEvent(self, event: QDropEvent) -> None:
        self._hide_marker()
        if not self._accepts(event):
            event.ignore()
            return
        index = self.insertion_index(self.mapToScene(event.position().toPoint()).y())
        type_name = layer_type_from_mime(event.mimeData())
        if type_name is not None:
            self.document.add_layer(index, type_name)
        else:
            source = block_index_from_mime(event.mimeData())
            # Inserting before ``index`` means ending up one lower once the source is gone.
            self.document.move_layer(source, index - 1 if index > source else index)
        event.acceptProposedAction()
        self.setFocus()

    def _scroll_speed(self) -> int:
        """Pixels per tick to scroll while a drag is held near the top or bottom edge."""
        if self._drag_pos is None:
            return 0
        if self._drag_pos.y() < _AUTOSCROLL_EDGE:
            return -_AUTOSCROLL_STEP
        if self._drag_pos.y() > self.viewport().height() - _AUTOSCROLL_EDGE:
            return _AUTOSCROLL_STEP
        return 0

    def _autoscroll(self) -> None:
        bar = self.verticalScrollBar()
        before = bar.value()
        bar.setValue(before + self._scroll_speed())  # the bar keeps it within its range
        if bar.value() == before:  # at the end, or the drag left the edge
            self._scroll_timer.stop()
            return
        self._show_marker(self.insertion_index(self.mapToScene(self._drag_pos).y()))

    # -- mouse and keyboard ----------------------------------------------------------------
    def block_at(self, pos: QPoint) -> BlockItem | None:
        """The block under a viewport position."""
        for item in self.items(pos):
            if isinstance(item, BlockItem):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        block = self.block_at(event.position().toPoint())
        self.setFocus()
        if event.button() == Qt.MouseButton.LeftButton:
            self.select(block.key if block else None)
            if block is not None and isinstance(block.key, int):
                self._press = (event.position().toPoint(), block.key)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        start, index = self._press
        if (
            event.position().toPoint() - start
        ).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(block_mime_data(index))
        drag.setPixmap(self._block_pixmap(self._block(index)))
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        event.accept()

    def _block_pixmap(self, block: BlockItem) -> QPixmap:
        rect = self.mapFromScene(block.sceneBoundingRect()).boundingRect()
        pixmap = self.viewport().grab(rect)
        faded = QPixmap(pixmap.size())
        faded.fill(Qt.GlobalColor.transparent)
        painter = QPainter(faded)
        painter.setOpacity(0.75)
        painter.drawPixmap(0, 0, pixmap)
        painter.end()
        return faded

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = [b.key for b in self._blocks]
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers():
            current = keys.index(self._selected) if self._selected in keys else -1
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            self.select(keys[min(max(current + step, 0), len(keys) - 1)])
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        block = self.block_at(event.pos())
        self.select(block.key if block else None)
        if self.selected_layer is None:
            return
        menu = QMenu(self)
        menu.addActions(self.layer_actions())
        menu.exec(event.globalPos())
