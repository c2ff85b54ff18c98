"""Arrays as pictures: grey images, signed maps, feature-map mosaics and bar strips.

Each picture is made with NumPy in one go and shown by one ``PixelView`` (one image per
view, scaled without smoothing so that every pixel stays visible).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

POSITIVE = np.array([215, 48, 39], np.float32)  # red: more of this pixel raises the score
NEGATIVE = np.array([49, 104, 176], np.float32)  # blue: it lowers the score
WHITE = np.array([255, 255, 255], np.float32)


def grey_image(values: np.ndarray) -> QImage:
    """``(H, W)`` in [0, 1] -> white ink on black, like the network's input."""
    pixels = np.ascontiguousarray(np.round(np.clip(values, 0, 1) * 255).astype(np.uint8))
    h, w = pixels.shape
    return QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def signed_image(values: np.ndarray, under: np.ndarray | None = None) -> QImage:
    """``(H, W)`` -> red for positive, blue for negative, pale for 0, scaled to the largest
    magnitude; ``under`` ``(H, W)`` in [0, 1] (the drawing) shows faintly grey beneath."""
    scale = float(np.abs(values).max()) or 1.0
    t = np.clip(values / scale, -1, 1)[..., None]
    base = np.broadcast_to(WHITE, (*values.shape, 3))
    if under is not None:
        base = base * (1 - 0.3 * np.clip(under, 0, 1))[..., None]
    target = np.where(t > 0, POSITIVE, NEGATIVE)
    return _rgb_image(base + np.abs(t) * (target - base))


def mosaic(maps: np.ndarray, gap: int = 1) -> np.ndarray:
    """Feature maps ``(C, H, W)`` tiled in a near-square grid ``(rows*(H+gap), cols*(W+gap))``
    with each layer's values scaled together to [0, 1]; gaps are NaN."""
    c, h, w = maps.shape
    cols = math.ceil(math.sqrt(c))
    rows = math.ceil(c / cols)
    low, high = float(maps.min()), float(maps.max())
    scaled = (maps - low) / (high - low) if high > low else np.zeros_like(maps)
    tiles = np.full((rows * cols, h + gap, w + gap), np.nan, np.float32)
    tiles[:c, :h, :w] = scaled
    grid = tiles.reshape(rows, cols, h + gap, w + gap).transpose(0, 2, 1, 3)
    return grid.reshape(rows * (h + gap), cols * (w + gap))[:-gap, :-gap]


def mosaic_image(maps: np.ndarray) -> QImage:
    """Feature maps as a grey mosaic on a light grid."""
    tiled = mosaic(maps)
    grey = np.nan_to_num(tiled, nan=0.0)[..., None] * WHITE
    rgb = np.where(np.isnan(tiled)[..., None], np.float32(225), grey)
    return _rgb_image(rgb)


def bars_image(values: np.ndarray, height: int = 40, width: int = 200) -> QImage:
    """``(D,)`` values as one bar each, up for positive and down for negative; each bar is
    as many pixels wide as fit in about ``width`` (10 outputs get broad bars)."""
    scale = float(np.abs(values).max()) or 1.0
    half = height // 2
    size = np.round(np.clip(values / scale, -1, 1) * half).astype(int)  # (D,)
    rows = np.arange(height)[:, None] - half  # -half (top) .. half-1
    up = (rows < 0) & (rows >= -size[None, :])
    down = (rows >= 0) & (rows < -size[None, :])
    rgb = np.broadcast_to(WHITE, (height, len(values), 3)).copy()
    rgb[up] = POSITIVE
    rgb[down] = NEGATIVE
    rgb[half] = np.minimum(rgb[half], 200)  # the zero line
    return _rgb_image(np.repeat(rgb, max(1, width // len(values)), axis=1))


def _rgb_image(rgb: np.ndarray) -> QImage:
    pixels = np.ascontiguousarray(np.round(rgb).astype(np.uint8))
    h, w, _ = pixels.shape
    return QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class PixelView(QWidget):
    """One image, scaled to fit with its aspect kept and without smoothing."""

    def __init__(self, object_name: str, empty_text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self._image = QImage()
        self._empty_text = empty_text
        self._hint = QSize(168, 168)
        self.setMinimumSize(56, 40)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def image(self) -> QImage:
        return self._image

    def set_image(self, image: QImage | None) -> None:
        self._image = image if image is not None else QImage()
        self.update()

    def set_size_hint(self, size: QSize) -> None:
        self._hint = size
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return self._hint

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._image.isNull():
            painter.setPen(QColor("#5d6773"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._empty_text)
            return
        w, h = self._image.width(), self._image.height()
        scale = min(self.width() / w, self.height() / h)
        target = QRectF((self.width() - w * scale) / 2, 0, w * scale, h * scale)
        painter.drawImage(target, self._image)
        painter.end()
