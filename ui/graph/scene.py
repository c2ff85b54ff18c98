"""The drawing of a gate graph as the lecture draws it, and of the numbers known at a step.

Inputs on the left, gates as circles with their operation, edges left to right; at the
start of each node's output line its name, its forward value above (green) and its
gradient below (red), summed over its uses where the line splits. ``show_state`` shows
what a ``RunState`` knows and marks the gate of the current step (blue going forward,
red going backward).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
)

from playground.graph import ForwardEvent, Graph, Node, NodeKind, RunState, format_number
from ui.graph.layout import layout

COLUMN_WIDTH = 136.0
ROW_HEIGHT = 78.0
GATE_RADIUS = 20.0
LEAF_HEIGHT = 26.0
TRUNK = 54.0  # the straight start of a node's output line, where its numbers stand

VALUE_COLOUR = QColor("#1a7f37")  # forward values
GRAD_COLOUR = QColor("#c62828")  # gradients
FORWARD_MARK = QColor("#1f5fd6")
INK = QColor("#2b2f36")
QUIET = QColor("#6b7380")
GATE_FILL = QColor("#eef3fb")
DONE_FILL = QColor("#dff0e3")  # a gate whose value is known
LEAF_FILL = QColor("#fff8e1")
CONSTANT_FILL = QColor("#f2f2f2")


def _text(text: str, colour: QColor, size: float, bold: bool = False, italic: bool = False):
    item = QGraphicsSimpleTextItem(text)
    font = QFont()
    font.setPointSizeF(size)
    font.setBold(bold)
    font.setItalic(italic)
    item.setFont(font)
    item.setBrush(colour)
    return item


def _place(item: QGraphicsSimpleTextItem, point: QPointF, anchor: str) -> None:
    """Put ``item`` so that its ``anchor`` ("above", "below", "centre", "left") is at ``point``."""
    rect = item.boundingRect()
    x = point.x() - rect.width() / 2
    y = {
        "above": point.y() - rect.height() - 1,
        "below": point.y() + 1,
        "centre": point.y() - rect.height() / 2,
        "left": point.y() - rect.height() / 2,
    }[anchor]
    if anchor == "left":
        x = point.x()
    item.setPos(x, y)


def _arrow(scene: QGraphicsScene, path: QPainterPath) -> None:
    """An arrowhead at the end of ``path``, along its last direction."""
    end = path.pointAtPercent(1.0)
    direction = end - path.pointAtPercent(0.97)
    length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-9)
    ux, uy = direction.x() / length, direction.y() / length
    tip = QPolygonF(
        [
            end,
            QPointF(end.x() - 9 * ux - 4 * uy, end.y() - 9 * uy + 4 * ux),
            QPointF(end.x() - 9 * ux + 4 * uy, end.y() - 9 * uy - 4 * ux),
        ]
    )
    scene.addPolygon(tip, QPen(INK, 1), QBrush(INK))


class _OutputLabels:
    """A node's output line: its name, its value above (green), its gradient below (red).

    The gradient is the node's, summed over all its uses: where a value feeds several
    gates its line splits at a dot after the numbers, and what arrives there is the sum.
    """

    def __init__(self, scene: QGraphicsScene, start: QPointF, name: str) -> None:
        self.start = start
        self.name = _text(name, QUIET, 8.5, italic=True) if name else None
        self.value = _text("", VALUE_COLOUR, 9)
        self.grad = _text("", GRAD_COLOUR, 9)
        if self.name:
            _place(self.name, start + QPointF(3, -8), "left")
        for item in (self.name, self.value, self.grad):
            if item is not None:
                item.setZValue(2)
                scene.addItem(item)

    def show(self, value: float | None, grad: float | None, fresh_value: bool, fresh_grad: bool):
        indent = self.name.boundingRect().width() + 6 if self.name else 4
        self._set(self.value, value, fresh_value, self.start + QPointF(indent, -8))
        self._set(self.grad, grad, fresh_grad, self.start + QPointF(4, 9))

    @staticmethod
    def _set(item: QGraphicsSimpleTextItem, number: float | None, fresh: bool, at: QPointF):
        item.setText("" if number is None else format_number(number))
        font = item.font()
        font.setBold(fresh)
        item.setFont(font)
        _place(item, at, "left")


class GraphScene(QGraphicsScene):
    """Draws one ``Graph`` (``set_graph``) and the numbers of one step (``show_state``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.graph: Graph | None = None
        self._nodes: dict[int, QGraphicsItem] = {}
        self._labels: dict[int, _OutputLabels] = {}  # per node but constants

    def set_graph(self, graph: Graph) -> None:
        self.clear()
        self.graph = graph
        self._nodes, self._labels = {}, {}
        places = layout(graph)
        centre = {
            i: QPointF(places.columns[i] * COLUMN_WIDTH, places.rows[i] * ROW_HEIGHT)
            for i in places.columns
        }
        for node in graph.nodes:
            self._nodes[node.index] = self._add_node(node, centre[node.index])
        output_end = QPointF(places.output_column * COLUMN_WIDTH - 24, centre[graph.output].y())
        for node in graph.nodes:
            start = QPointF(
                self._nodes[node.index].sceneBoundingRect().right(), centre[node.index].y()
            )
            fork = start + QPointF(TRUNK, 0)
            ends = [
                output_end if slot < 0 else self._entry(graph.nodes[c], slot, centre[c])
                for c, slot in graph.consumers[node.index]
            ]
            for end in ends:
                path = QPainterPath(start)
                path.lineTo(fork)
                bend = max((end.x() - fork.x()) * 0.5, 12.0)
                path.cubicTo(fork + QPointF(bend, 0), end - QPointF(bend, 0), end)
                self.addPath(path, QPen(INK, 1.3))
                _arrow(self, path)
            if len(ends) > 1:
                self.addEllipse(QRectF(fork.x() - 3, fork.y() - 3, 6, 6), QPen(INK), QBrush(INK))
            if node.kind is not NodeKind.CONSTANT:
                named = node.kind is NodeKind.GATE and node.index != graph.output
                self._labels[node.index] = _OutputLabels(
                    self, start, graph.label(node.index) if named else ""
                )
        name = _text(graph.output_name, INK, 12, bold=True, italic=True)
        _place(name, output_end + QPointF(6, 0), "left")
        self.addItem(name)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.show_state(None)

    def show_state(self, state: RunState | None) -> None:
        """Show the values and gradients ``state`` knows (none for None) and mark its gate."""
        graph = self.graph
        if graph is None:
            return
        values = state.values if state else {}
        grads = state.node_grads if state else {}
        current = state.current if state else None
        forward = isinstance(current, ForwardEvent)
        fed = set(graph.nodes[current.node].inputs) if current and not forward else set()
        for index, labels in self._labels.items():
            fresh_value = forward and current.node == index
            labels.show(values.get(index), grads.get(index), fresh_value, index in fed)
        for node in graph.gates:
            circle = self._nodes[node.index]
            circle.setBrush(DONE_FILL if node.index in values else GATE_FILL)
            marked = current is not None and current.node == node.index
            colour = FORWARD_MARK if forward else GRAD_COLOUR
            circle.setPen(QPen(colour, 3) if marked else QPen(INK, 1.3))

    def node_rect(self, index: int) -> QRectF:
        """Where node ``index`` is drawn, in scene coordinates."""
        return self._nodes[index].sceneBoundingRect()

    # -- drawing -----------------------------------------------------------------------
    def _add_node(self, node: Node, centre: QPointF) -> QGraphicsItem:
        if node.kind is NodeKind.GATE:
            r = GATE_RADIUS
            item = self.addEllipse(QRectF(-r, -r, 2 * r, 2 * r), QPen(INK, 1.3), QBrush(GATE_FILL))
            symbol = node.gate.symbol if node.gate.name != "pow" else f"**{node.exponent:g}"
            label = _text(symbol, INK, 12 if len(symbol) == 1 else 9, bold=True)
            item.setToolTip(f"{node.gate.name}: {node.gate.rule}")
        else:
            constant = node.kind is NodeKind.CONSTANT
            label = _text(node.name, INK if not constant else QUIET, 10, bold=not constant)
            width = max(label.boundingRect().width() + 14, 34)
            path = QPainterPath()
            path.addRoundedRect(QRectF(-width / 2, -LEAF_HEIGHT / 2, width, LEAF_HEIGHT), 6, 6)
            pen = QPen(QUIET if constant else INK, 1.2)
            if constant:
                pen.setStyle(Qt.PenStyle.DashLine)
            item = self.addPath(path, pen, QBrush(CONSTANT_FILL if constant else LEAF_FILL))
            item.setToolTip("a number in the text" if constant else f"the input {node.name}")
        label.setParentItem(item)
        _place(label, QPointF(0, 0), "centre")
        item.setPos(centre)
        item.setZValue(1)
        return item

    def _entry(self, node: Node, slot: int, centre: QPointF) -> QPointF:
        """Where input ``slot`` meets the node: the left of its circle, the first input above."""
        count = len(node.inputs)
        angle = 0.0 if count == 1 else (-0.6 + 1.2 * slot / (count - 1))
        offset = QPointF(-GATE_RADIUS * math.cos(angle), GATE_RADIUS * math.sin(angle))
        return centre + offset
