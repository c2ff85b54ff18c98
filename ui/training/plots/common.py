"""What every training plot shares: layer names, colours, plot set-up, mosaics, image CSV export.

Plots export through pyqtgraph's own Export dialog (right-click any plot, "Export…"):
its image exporters take any item, its CSV exporter only curves. ``ImageCsvExporter``
adds "CSV of image data" for the heat maps and mosaics, registered with pyqtgraph
when this module is imported, so the same dialog covers every plot.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import Exporter
from PySide6.QtCore import QRectF

from playground.spec import NetworkSpec

# The plots sit on the app's light panels (pyqtgraph reads these when each item is made).
pg.setConfigOptions(background="w", foreground="#333")

# Distinct on white and for most colour-blind readers (Okabe and Ito's palette, darkened).
PALETTE = (
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (230, 159, 0),
    (120, 120, 120),
    (170, 150, 0),
    (0, 0, 0),
)
TRAIN_COLOR = PALETTE[0]
FAINT_TRAIN_COLOR = (178, 208, 230)  # the raw curve, opaque: blending a dense curve is slow
VALIDATION_COLOR = PALETTE[1]


def color(index: int) -> tuple[int, int, int]:
    """The colour of layer or class ``index``, the same in every plot."""
    return PALETTE[index % len(PALETTE)]


def layer_label(spec: NetworkSpec | None, index: int) -> str:
    """``"layer 3 (dense)"``; just ``"layer 3"`` when the spec no longer has that layer."""
    if spec is not None and 0 <= index < len(spec.layers):
        return f"layer {index} ({spec.layers[index]['type']})"
    return f"layer {index}"


def parameter_label(spec: NetworkSpec | None, key: str) -> str:
    """``"0.W"`` -> ``"layer 0 (dense) W"``."""
    index, _, name = key.partition(".")
    return f"{layer_label(spec, int(index))} {name}" if index.isdigit() else key


def parameter_order(key: str) -> tuple[int, str]:
    """Sort ``"10.W"`` after ``"2.b"``: by layer index, then by name."""
    index, _, name = key.partition(".")
    return (int(index) if index.isdigit() else -1, name)


def unchanged(drawn: tuple, now: tuple) -> bool:
    """Whether what a plot drew from (``drawn``) is what it would draw from ``now``: equal
    numbers and names, and otherwise the same objects (reports, records, arrays: ``==``
    would compare their arrays)."""
    return len(drawn) == len(now) and all(
        a is b or (isinstance(a, int | str) and a == b) for a, b in zip(drawn, now, strict=True)
    )


class ValueAxis(pg.AxisItem):
    """An axis that, on a log scale, labels only the ticks at 1, 2 and 5 times a power of
    ten (pyqtgraph labels every minor tick of a short range, and they overlap)."""

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = super().logTickStrings(values, scale, spacing)
        mantissas = [10 ** (v * scale % 1) for v in values]
        return [
            text if any(abs(m - keep) < 1e-6 * keep for keep in (1, 2, 5, 10)) else ""
            for text, m in zip(strings, mantissas, strict=True)
        ]


def new_plot(title: str | None, x_label: str = "step", y_label: str = "") -> pg.PlotItem:
    """A PlotItem with a grid and labelled axes (and a title row unless ``title`` is None);
    its context menu keeps "Export…"."""
    plot = pg.PlotItem(title=title, axisItems={"left": ValueAxis("left")})
    plot.showGrid(x=True, y=True, alpha=0.25)
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)  # "(x0.001)" on a log axis misleads
    plot.setLabel("bottom", x_label)
    if y_label:
        plot.setLabel("left", y_label)
    return plot


def add_legend(plot: pg.PlotItem, offset: tuple[int, int] = (-5, 5)) -> pg.LegendItem:
    """A legend on a light backing, readable over the curves it names."""
    return plot.addLegend(offset=offset, labelTextSize="8pt", brush=(255, 255, 255, 200))


def fast_curves(plot: pg.PlotItem) -> None:
    """For plots redrawn at every frame (per-step curves, see ``envelope.StepCurve``): no
    grid, and ticks outside the view. Grid lines and inward ticks belong to the axes, so
    a curve drawn over them repaints the axes with all their text at every frame (a
    third of the frame)."""
    plot.showGrid(x=False, y=False)
    for side in ("left", "bottom"):
        plot.getAxis(side).setStyle(tickLength=5)


# Round ends for a step axis: the curves fill at least 80% of its width.
_ROUND_ENDS = (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def round_up(value: float) -> float:
    """The smallest of 1, 1.25, 1.5, 2 … 8 times a power of ten that is >= ``value`` (> 0)."""
    scale = 10 ** math.floor(math.log10(max(value, 1)))
    return next(end * scale for end in _ROUND_ENDS if end * scale >= value)


class FollowSteps:
    """Keeps the x axis of per-step plots at [0, a round number at or past the last step].

    pyqtgraph's auto-range would move the axis at every frame, and an axis that moves
    is laid out and drawn again with all its text (the larger part of a frame); this
    one moves only when the curves outgrow it. Plots that ``join`` share the axis
    (zooming one zooms all). Zooming or panning with the mouse stops the following;
    a plot's "A" button (auto-range) starts it again.
    """

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plots: list[pg.PlotItem] = []
        self.following = True
        self.end = 0.0
        self.join(plot)

    def join(self, plot: pg.PlotItem) -> FollowSteps:
        """Share the step axis with ``plot``."""
        if self.plots:
            plot.setXLink(self.plots[0])
        self.plots.append(plot)
        plot.enableAutoRange(x=False)
        plot.getViewBox().sigRangeChangedManually.connect(self._moved_by_hand)
        return self

    def _moved_by_hand(self, *_) -> None:
        self.following = False

    def update(self, last_step: float) -> None:
        for plot in self.plots:
            box = plot.getViewBox()
            if box.autoRangeEnabled()[0]:  # the "A" button
                box.enableAutoRange(x=False)
                self.following, self.end = True, 0.0
        end = round_up(last_step)
        if self.following and end != self.end:
            self.end = end
            self.plots[0].setXRange(0, end, padding=0.02)


def nice_step(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is >= ``value`` (> 0)."""
    scale = 10 ** math.floor(math.log10(value))
    return next(end * scale for end in (1, 2, 2.5, 5, 10) if end * scale >= value)


class FollowValues:
    """Keeps a plot's y axis on round numbers around the curves ``items()`` draw (their
    finite bounds, in the plot's coordinates: log10 on a log scale).

    The axis moves only when a curve leaves it or fills less than ``FILL`` of it (a
    falling loss). pyqtgraph's auto-range would move it at every frame: the axis is then
    laid out and drawn again with all its text, and the plot painted twice. Zooming or
    panning the values by hand stops the following; the plot's "A" button (and the log
    toggle, which turns pyqtgraph's auto-range on) starts it again.
    """

    FILL = 0.5

    def __init__(self, plot: pg.PlotItem, items: Callable[[], Iterable[pg.GraphicsObject]]):
        self.plot, self.items = plot, items
        self.following = True
        self.range: tuple[float, float] | None = None
        plot.enableAutoRange(y=False)
        plot.getViewBox().sigRangeChangedManually.connect(self._moved_by_hand)

    def _moved_by_hand(self, changed: list[bool]) -> None:
        if changed[1]:
            self.following = False

    def update(self) -> None:
        box = self.plot.getViewBox()
        if box.autoRangeEnabled()[1]:
            box.enableAutoRange(y=False)
            self.following, self.range = True, None
        if not self.following:
            return
        bounds = [item.dataBounds(1) for item in self.items() if item.isVisible()]
        bounds = [b for b in bounds if b[0] is not None]
        if not bounds:
            target = (0.0, 1.0)
        else:
            low, high = min(b[0] for b in bounds), max(b[1] for b in bounds)
            if self.range is not None:
                bottom, top = self.range
                if bottom <= low and high <= top and high - low >= self.FILL * (top - bottom):
                    return
            step = nice_step(max(high - low, 1e-9 * max(abs(high), 1.0)) / 4)
            target = (math.floor(low / step) * step, math.ceil(high / step) * step)
        if target != self.range:
            self.range = target
            self.plot.setYRange(*target, padding=0.02)


def image_plot(
    title: str, x_label: str = "", y_label: str = ""
) -> tuple[pg.PlotItem, DataImageItem]:
    """A PlotItem holding one ``DataImageItem`` (heat maps, mosaics)."""
    plot = new_plot(title, x_label, y_label)
    plot.showGrid(x=False, y=False)
    image = DataImageItem()
    plot.addItem(image)
    return plot, image


def bare_image_plot(title: str) -> tuple[pg.PlotItem, DataImageItem]:
    """An image with no axes, pixels square, row 0 at the top (filters, thumbnails)."""
    plot, image = image_plot(title)
    for side in ("left", "bottom"):
        plot.hideAxis(side)
    plot.setAspectLocked(True)
    plot.invertY(True)
    return plot, image


class DataImageItem(pg.ImageItem):
    """An ImageItem (``image[row, column]``, row-major) that keeps the numbers it shows.

    ``values`` ``(rows, columns)`` is what "CSV of image data" writes: the image itself,
    or the data behind a coloured picture (counts behind a heat map, weights behind a
    normalised mosaic, the predicted class behind a decision boundary's colours).
    """

    def __init__(self) -> None:
        super().__init__(axisOrder="row-major")
        self.values: np.ndarray | None = None

    def set_picture(
        self,
        image: np.ndarray,
        values: np.ndarray | None = None,
        rect: QRectF | None = None,
        **options,
    ) -> None:
        """Draw ``image`` ``(rows, columns)`` or ``(rows, columns, 3)``; place it over
        ``rect`` in plot coordinates (default: one unit per pixel)."""
        self.values = image if values is None else values
        self.setImage(image, **options)
        if rect is not None:
            self.setRect(rect)


def mosaic(tiles: np.ndarray, columns: int | None = None, gap: int = 1) -> np.ndarray:
    """Tiles ``(n, h, w)`` -> one image ``(rows*(h+gap)-gap, columns*(w+gap)-gap)``, row by
    row, NaN in the gaps and empty places (drawn transparent). One image item draws them
    all (many items are slow)."""
    n, h, w = tiles.shape
    columns = columns or max(1, math.ceil(math.sqrt(n)))
    rows = max(1, math.ceil(n / columns))
    padded = np.full((rows * columns, h + gap, w + gap), np.nan, np.float32)
    padded[:n, :h, :w] = tiles
    grid = padded.reshape(rows, columns, h + gap, w + gap).transpose(0, 2, 1, 3)
    return grid.reshape(rows * (h + gap), columns * (w + gap))[
        : rows * (h + gap) - gap, : columns * (w + gap) - gap
    ]


def scaled_each(tiles: np.ndarray) -> np.ndarray:
    """Tiles ``(n, ...)`` each divided by its own largest magnitude, into [-1, 1]."""
    flat = tiles.reshape(len(tiles), -1)
    peak = np.abs(flat).max(axis=1, initial=0)
    return (flat / np.where(peak > 0, peak, 1)[:, None]).reshape(tiles.shape)


class ImageCsvExporter(Exporter):
    """pyqtgraph exporter "CSV of image data": every ``DataImageItem`` of the chosen plot as
    a table, a header of column centres (plot x) and each row's centre (plot y) first."""

    Name = "CSV of image data"

    def parameters(self) -> None:
        return None

    def export(self, fileName: str | None = None, toBytes: bool = False, copy: bool = False):
        if fileName is None:
            self.fileSaveDialog(filter=["*.csv"])
            return
        items = self.item.items if isinstance(self.item, pg.PlotItem) else self.item.allChildren()
        images = [i for i in items if isinstance(i, DataImageItem) and i.values is not None]
        if not images:
            raise TypeError("CSV of image data: the chosen plot shows no image")
        with open(fileName, "w", newline="") as f:
            writer = csv.writer(f)
            for image in images:
                write_image_table(writer, image)


def write_image_table(writer, image: DataImageItem) -> None:
    """One image's ``values`` with the plot coordinates of each column and row centre."""
    values = np.asarray(image.values, np.float64)
    rows, columns = values.shape[:2]
    box = image.mapRectToParent(QRectF(0, 0, image.width() or columns, image.height() or rows))
    xs = box.left() + (np.arange(columns) + 0.5) * box.width() / columns
    ys = box.top() + (np.arange(rows) + 0.5) * box.height() / rows
    writer.writerow(["y \\ x", *(f"{x:.6g}" for x in xs)])
    for y, row in zip(ys, values.reshape(rows, -1), strict=True):
        writer.writerow([f"{y:.6g}", *("" if math.isnan(v) else f"{v:.9g}" for v in row)])
    writer.writerow([])


ImageCsvExporter.register()
