"""Layer icons, painted in code: a tile in the group's colour with a glyph of what the layer does.

Activations draw their own function curve; the rest draw a small picture of
their operation. A type without a glyph gets its initial, so new layer types
still get an icon.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from ui.editor.layer_info import layer_class

GROUP_COLOURS: dict[str, str] = {
    "core": "#2f6fdb",
    "convolution": "#0f8f7f",
    "activation": "#d9661a",
    "regularisation": "#7b4bd6",
}
_FALLBACK_COLOUR = "#5f6b7a"

_SIZE = 32  # logical pixels; painted at 2x for high-DPI screens
_SCALE = 2

# x in [-3, 3] -> y; leaky_relu's slope is exaggerated so it is visible at icon size.
_CURVES: dict[str, Callable[[float], float]] = {
    "relu": lambda x: max(0.0, x),
    "leaky_relu": lambda x: x if x > 0 else 0.2 * x,
    "sigmoid": lambda x: 3 / (1 + math.exp(-2 * x)) - 1.5,
    "tanh": lambda x: 1.5 * math.tanh(1.5 * x),
}


def group_colour(group: str) -> QColor:
    return QColor(GROUP_COLOURS.get(group, _FALLBACK_COLOUR))


@cache
def layer_icon(type_name: str) -> QIcon:
    """The palette and canvas icon of a registered layer type."""
    return QIcon(layer_pixmap(type_name))


def layer_pixmap(type_name: str) -> QPixmap:
    pixmap = QPixmap(_SIZE * _SCALE, _SIZE * _SCALE)
    pixmap.setDevicePixelRatio(_SCALE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(group_colour(layer_class(type_name).group))
    painter.drawRoundedRect(QRectF(1, 1, _SIZE - 2, _SIZE - 2), 6, 6)
    painter.setPen(QPen(QColor("white"), 1.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    glyph = _GLYPHS.get(type_name)
    if type_name in _CURVES:
        _draw_curve(painter, _CURVES[type_name])
    elif glyph is not None:
        glyph(painter)
    else:
        painter.drawText(QRectF(0, 0, _SIZE, _SIZE), Qt.AlignmentFlag.AlignCenter, type_name[:1])
    painter.end()
    return pixmap


def _draw_curve(painter: QPainter, f: Callable[[float], float]) -> None:
    axis = QPen(QColor(255, 255, 255, 110), 1)
    painter.setPen(axis)
    painter.drawLine(QPointF(6, 16), QPointF(26, 16))
    painter.drawLine(QPointF(16, 6), QPointF(16, 26))
    painter.setPen(QPen(QColor("white"), 2))
    painter.drawPath(_plot(lambda x: 16 - f(x) * 10 / 3))


def _plot(y_of_x: Callable[[float], float]) -> QPainterPath:
    """The graph of ``y_of_x`` over x in [-3, 3], mapped across the tile."""
    xs = [-3 + 6 * i / 40 for i in range(41)]
    path = QPainterPath(QPointF(6, y_of_x(xs[0])))
    for x in xs[1:]:
        path.lineTo(QPointF(16 + x * 10 / 3, y_of_x(x)))
    return path


def _draw_dense(painter: QPainter) -> None:
    left = [QPointF(9, y) for y in (9, 16, 23)]
    right = [QPointF(23, y) for y in (11, 21)]
    painter.setPen(QPen(QColor(255, 255, 255, 150), 1))
    for a in left:
        for b in right:
            painter.drawLine(a, b)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("white"))
    for p in left + right:
        painter.drawEllipse(p, 2.6, 2.6)


def _draw_grid(painter: QPainter, cells: int, filled: set[tuple[int, int]], alpha: int) -> None:
    step = 20 / cells
    for r in range(cells):
        for c in range(cells):
            rect = QRectF(6 + c * step, 6 + r * step, step, step)
            painter.setBrush(QColor(255, 255, 255, alpha) if (r, c) in filled else QBrush())
            painter.drawRect(rect)


def _draw_conv(painter: QPainter) -> None:
    painter.setPen(QPen(QColor(255, 255, 255, 170), 1))
    _draw_grid(painter, 4, {(0, 0), (0, 1), (1, 0), (1, 1)}, 200)


def _draw_maxpool(painter: QPainter) -> None:
    painter.setPen(QPen(QColor("white"), 1.4))
    _draw_grid(painter, 2, {(0, 1)}, 255)


def _draw_avgpool(painter: QPainter) -> None:
    painter.setPen(QPen(QColor("white"), 1.4))
    _draw_grid(painter, 2, {(0, 0), (0, 1), (1, 0), (1, 1)}, 120)


def _draw_flatten(painter: QPainter) -> None:
    painter.setPen(QPen(QColor("white"), 1.4))
    for i in range(3):
        painter.drawRect(QRectF(6 + i * 3, 5 + i * 3, 9, 9))
    for i in range(5):
        painter.drawRect(QRectF(5 + i * 4.4, 21, 4.4, 5))


def _draw_dropout(painter: QPainter) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    dropped = {(0, 1), (1, 2), (2, 0)}
    for r in range(3):
        for c in range(3):
            centre = QPointF(9 + c * 7, 9 + r * 7)
            if (r, c) in dropped:
                painter.setPen(QPen(QColor("white"), 1.2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("white"))
            painter.drawEllipse(centre, 2.6, 2.6)


def _draw_batchnorm(painter: QPainter) -> None:
    path = _plot(lambda x: 24 - 16 * math.exp(-x * x / 1.2))
    painter.setPen(QPen(QColor(255, 255, 255, 110), 1))
    painter.drawLine(QPointF(5, 24), QPointF(27, 24))
    painter.setPen(QPen(QColor("white"), 2))
    painter.drawPath(path)


_GLYPHS: dict[str, Callable[[QPainter], None]] = {
    "dense": _draw_dense,
    "conv2d": _draw_conv,
    "maxpool2d": _draw_maxpool,
    "avgpool2d": _draw_avgpool,
    "flatten": _draw_flatten,
    "dropout": _draw_dropout,
    "batchnorm": _draw_batchnorm,
}
