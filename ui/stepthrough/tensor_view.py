"""One array of an event, drawn in the form that suits it, with its statistics and a hover value.

Images and feature maps ``(C, H, W)`` become a tile per channel, filters
``(F, C, k, k)`` a tile per filter and channel, matrices a heat map, vectors
bars; up to ``MAX_NUMBERS`` values are also written out. The colours are
diverging around zero (blue negative, white zero, red positive) with limits
symmetric about zero, so that sign and size read the same in every view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.stepthrough.rules import dims

MAX_NUMBERS = 16
GAP = 1  # pixels between tiles
_COLORS = pg.colormap.get("CET-D1")
_BAR, _HIGHLIGHT = pg.mkBrush("#d2553a"), pg.mkBrush("#2563eb")


@dataclass(frozen=True)
class Tiles:
    """Where the tiles of a mosaic sit: tile t is at row t // columns, column t % columns."""

    count: int
    height: int
    width: int
    columns: int
    names: tuple[str, ...]  # what each tile is, e.g. "channel 3" or "filter 2, channel 0"

    def locate(self, x: float, y: float) -> tuple[int, int, int] | None:
        """The tile and the (row, column) in it under mosaic position (x, y), or None."""
        if x < 0 or y < 0:
            return None
        col, dx = divmod(int(x), self.width + GAP)
        row, dy = divmod(int(y), self.height + GAP)
        tile = row * self.columns + col
        if col >= self.columns or dx >= self.width or dy >= self.height or tile >= self.count:
            return None
        return tile, dy, dx


def mosaic(tiles: np.ndarray, columns: int) -> np.ndarray:
    """tiles ``(T, h, w)`` -> one image ``(rows·(h+1)−1, columns·(w+1)−1)``, NaN between tiles."""
    count, h, w = tiles.shape
    rows = math.ceil(count / columns)
    image = np.full((rows * (h + GAP) - GAP, columns * (w + GAP) - GAP), np.nan, np.float32)
    for t in range(count):  # one slice assignment per tile (at most a few hundred)
        r, c = divmod(t, columns)
        image[r * (h + GAP) : r * (h + GAP) + h, c * (w + GAP) : c * (w + GAP) + w] = tiles[t]
    return image


def summary(array: np.ndarray) -> str:
    """min, max, mean and norm of ``array``."""
    if not array.size:
        return "empty"
    a = array.astype(np.float64)
    return f"min {a.min():.3g}  max {a.max():.3g}  mean {a.mean():.3g}  ‖·‖ {np.linalg.norm(a):.3g}"


class TensorView(QWidget):
    """Shows one named array; ``show_array`` replaces what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.stats = QLabel()
        self.numbers = QLabel()
        self.hover = QLabel(" ")
        self.hover.setAlignment(Qt.AlignmentFlag.AlignRight)
        for label in (self.title, self.stats, self.numbers, self.hover):
            label.setWordWrap(True)  # narrow beside the canvas: wrap rather than widen the view
            label.setMinimumWidth(120)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for label in (self.stats, self.numbers, self.hover):
            label.setStyleSheet("color: #3c4650; font-family: monospace; font-size: 10px;")
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumSize(100, 60)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(_COLORS)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=_BAR, pen=None)
        self.plot.addItem(self.image)
        self.plot.addItem(self.bars)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        heading = QHBoxLayout()  # the name, and the value under the pointer beside it
        heading.addWidget(self.title, 1)
        heading.addWidget(self.hover, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        layout.addLayout(heading)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.stats)
        layout.addWidget(self.numbers)
        self.array = np.zeros(0, np.float32)
        self.form = "empty"
        self._tiles: Tiles | None = None

    def show_array(
        self, name: str, array: np.ndarray, note: str = "", highlight: int | None = None
    ) -> None:
        """Show ``array`` titled ``name`` (and ``note``, e.g. which sample of the batch);
        as bars, entry ``highlight`` (e.g. the label's score) stands out in another colour."""
        self.array = a = np.asarray(array, np.float32)
        self.title.setText(f"<b>{name}</b>  {dims(a.shape)}{'  · ' + note if note else ''}")
        self.stats.setText(summary(a))
        small = 0 < a.size <= MAX_NUMBERS
        self.numbers.setVisible(small)
        if small:
            self.numbers.setText("  ".join(f"{v:.4g}" for v in a.reshape(-1)))
        self.hover.setText(" ")
        if a.ndim == 1 or (a.ndim == 2 and 1 in a.shape and a.size > 1):
            self._show_bars(a.reshape(-1), highlight)
        elif a.ndim in (3, 4):
            self._show_tiles(a)
        elif a.ndim == 2:
            self._show_heat_map(a)
        else:  # a scalar
            self._show_bars(a.reshape(-1))

    # -- forms ---------------------------------------------------------------------------
    def _show_bars(self, values: np.ndarray, highlight: int | None = None) -> None:
        self.form, self._tiles = "bars", None
        self.image.setVisible(False)
        self.bars.setVisible(True)
        brushes = [_HIGHLIGHT if i == highlight else _BAR for i in range(len(values))]
        self.bars.setOpts(x=np.arange(len(values)), height=values, width=0.8, brushes=brushes)
        self.plot.showAxis("left")
        self.plot.showAxis("bottom")
        self.plot.getViewBox().invertY(False)
        self.plot.setAspectLocked(False)
        low, high = min(0.0, float(values.min(initial=0))), max(0.0, float(values.max(initial=0)))
        pad = 0.05 * (high - low or 1.0)
        self.plot.setRange(xRange=(-0.6, len(values) - 0.4), yRange=(low - pad, high + pad))

    def _show_image(self, image: np.ndarray) -> None:
        self.image.setVisible(True)
        self.bars.setVisible(False)
        finite = image[np.isfinite(image)]
        limit = float(np.abs(finite).max()) if finite.size else 0.0
        limit = limit or 1.0
        self.image.setImage(image, levels=(-limit, limit), autoLevels=False)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.getViewBox().invertY(True)  # row 0 at the top, as images are read
        self.plot.setAspectLocked(True)
        self.plot.setRange(xRange=(0, image.shape[1]), yRange=(0, image.shape[0]), padding=0.02)

    def _show_heat_map(self, matrix: np.ndarray) -> None:
        self.form, self._tiles = "heat map", None
        self._show_image(matrix)
        self.plot.setAspectLocked(False)  # 4320×100 must stay readable

    def _show_tiles(self, a: np.ndarray) -> None:
        if a.ndim == 3:  # (C, H, W): a tile per channel
            tiles, names = a, tuple(f"channel {c}" for c in range(len(a)))
            columns = math.ceil(math.sqrt(len(a)))
        else:  # (F, C, k, k): a row of C tiles per filter (or a square when C is large)
            f, c = a.shape[:2]
            tiles = a.reshape(f * c, *a.shape[2:])
            names = tuple(f"filter {i}, channel {j}" for i in range(f) for j in range(c))
            columns = c if 1 < c <= 8 else math.ceil(math.sqrt(f * c))
        self.form = "tiles"
        self._tiles = Tiles(len(tiles), tiles.shape[1], tiles.shape[2], columns, names)
        self._show_image(mosaic(tiles, columns))

    # -- hover -------------------------------------------------------------------------
    def value_at(self, x: float, y: float) -> str:
        """The text for the view's position (x, y) (plot coordinates), or "" outside the data."""
        a = self.array
        if self.form == "bars":
            i = int(round(x))
            flat = a.reshape(-1)
            return f"[{i}] = {flat[i]:.6g}" if 0 <= i < flat.size else ""
        if self.form == "heat map":
            row, col = int(y), int(x)
            if 0 <= row < a.shape[0] and 0 <= col < a.shape[1]:
                return f"[{row}, {col}] = {a[row, col]:.6g}"
            return ""
        if self.form == "tiles" and self._tiles is not None:
            found = self._tiles.locate(x, y)
            if found is None:
                return ""
            tile, row, col = found
            value = a.reshape(self._tiles.count, self._tiles.height, self._tiles.width)[
                tile, row, col
            ]
            return f"{self._tiles.names[tile]}, row {row}, column {col}: {value:.6g}"
        return ""

    def _on_mouse_moved(self, position: QPointF) -> None:
        point = self.plot.getViewBox().mapSceneToView(position)
        self.hover.setText(self.value_at(point.x(), point.y()) or " ")
