"""Per-step curves of any length, drawn at a cost that does not grow with the run.

A toy network makes 10,000 steps a second, so a few minutes of training is a
million-point loss curve. pyqtgraph's own downsampling redoes its work over every
visible point at every frame (and its bounds and log mapping over every point), so
a frame costs more the longer the run: 2 ms at 100,000 steps, 10 ms at a million
(``python -m ui.training.plots.frame_cost``), while the GIL it holds is the
trainer's. Here each curve keeps the lowest and highest value of each run of
``2**k`` points (level ``k``), computed once as the points arrive. A frame picks
the level that gives about one run per pixel column of the visible steps and draws
each run as a vertical stroke from its lowest to its highest value, as pyqtgraph's
"peak" downsampling does; zoomed in far enough it draws the points themselves. No
point is dropped: every spike reaches its pixel column, and the item's original
dataset (what "Export…" as CSV writes) is every step.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from ui.training.record import Series


class MinMaxLevels:
    """The lowest and highest value of each complete run of ``2**k`` values of an
    append-only ``Series``, for the levels ``k`` asked for; each kept up to date from
    the values that arrived since it was last asked for (O(new values))."""

    def __init__(self) -> None:
        self.source: Series | None = None
        self._levels: dict[int, tuple[Series, Series]] = {}

    def follow(self, source: Series) -> None:
        """Draw from ``source`` from now on; another series than before (a new record,
        another smoothing) starts over."""
        if source is not self.source:
            self.source, self._levels = source, {}

    def level(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(lows, highs) ``(n // 2**k,)``: the min and max of each complete run of ``2**k``
        values (NaN values skipped: a gap stays a gap, not the whole run)."""
        lows, highs = self._levels.setdefault(k, (Series(), Series()))
        size = 1 << k
        complete, done = len(self.source) // size, len(lows)
        if complete > done:
            runs = self.source.values[done * size : complete * size].reshape(-1, size)
            lows.extend(np.fmin.reduce(runs, axis=1))
            highs.extend(np.fmax.reduce(runs, axis=1))
        return lows.values, highs.values

    def envelope(
        self, x: np.ndarray, first: int, stop: int, columns: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The values from index ``first`` to ``stop`` in at most about ``2 * columns``
        points: ``(x, y)``, each ``(m,)``. Where more than ``columns`` buckets would be
        needed, each bucket of ``2**k`` values becomes two points at its first x, its
        lowest then its highest value. ``x`` ``(n,)`` is the source's x (steps)."""
        values = self.source.values
        count = stop - first
        if count <= 2 * columns:
            return x[first:stop], values[first:stop]
        k = int(np.ceil(np.log2(count / columns)))
        size = 1 << k
        lows, highs = self.level(k)
        start, end = first // size, min(-(-stop // size), len(lows))
        bucket_x = x[start * size : end * size : size]
        low, high = lows[start:end], highs[start:end]
        tail = values[end * size : stop]  # past the last complete bucket: fewer than 2**k
        if len(tail):
            bucket_x = np.append(bucket_x, x[end * size])
            low, high = np.append(low, np.fmin.reduce(tail)), np.append(high, np.fmax.reduce(tail))
        return np.repeat(bucket_x, 2), np.column_stack((low, high)).ravel()


class StepCurve(pg.PlotCurveItem):
    """A curve of one value per step (or per detail report: any increasing x), drawn from
    its ``MinMaxLevels`` for the steps in view at the view's width (redrawn when the
    view's steps or width change), in log10 when its plot's y axis is logarithmic.

    A ``PlotCurveItem`` rather than a ``PlotDataItem``: the data item's per-frame
    bookkeeping (its own downsampling, clipping and mapping, all done here) cost more
    than the drawing. Width-1 pens: wider ones are stroked as polygons, several times
    slower.
    """

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self._levels = MinMaxLevels()
        self._x: Series | None = None
        self._log_y = False
        self._bounds: tuple = ((None, None), (None, None))  # of the points drawn (finite)
        self._drawn_for: tuple = ()  # (x, y, their length, x range, pixel columns, log) drawn
        self._clipped_bounds: QRectF | None = None  # see boundingRect

    def show_series(self, x: Series, y: Series) -> None:
        """Draw ``y`` against ``x`` (increasing; both append-only and of equal length)."""
        self._x = x
        self._levels.follow(y)
        self._draw()

    def setLogMode(self, x_log: bool, y_log: bool) -> None:
        """Called by the plot when its axes change scale (x stays linear: steps)."""
        del x_log
        self._log_y = y_log
        if self._x is not None:
            self._draw()

    def getOriginalDataset(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Every step (not the points drawn): what pyqtgraph's CSV export writes."""
        if self._x is None:
            return None, None
        return self._x.values, self._levels.source.values

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        """The drawn points' finite range, kept from the last redraw (the plot's auto-range
        asks at every frame)."""
        if frac >= 1.0 and orthoRange is None:
            return self._bounds[ax]
        return super().dataBounds(ax, frac, orthoRange)

    def boundingRect(self) -> QRectF:
        """The curve's bounds cut to its view: a step's spike past the view (or a line's
        width at its edge) would otherwise mark the axes beside the view for repainting,
        with all their text, at every frame. Kept until the data or the view change: Qt
        asks for it several times a frame."""
        if self._clipped_bounds is None:
            rect, view = super().boundingRect(), self.viewRect()
            self._clipped_bounds = rect if view is None else rect.intersected(view)
        return self._clipped_bounds

    def invalidateBounds(self) -> None:  # new data, or the view moved
        self._clipped_bounds = None
        super().invalidateBounds()

    def viewRangeChanged(self, *_) -> None:  # zoomed or panned
        super().viewRangeChanged()
        if self._x is not None:
            self._draw()

    def viewTransformChanged(self) -> None:  # resized
        super().viewTransformChanged()
        if self._x is not None:
            self._draw()

    def _draw(self) -> None:
        # x and y grow together, but a redraw for a zoom can come between their updates.
        count = min(len(self._x), len(self._levels.source))
        x = self._x.values[:count]
        box = self.getViewBox()
        if box is None:
            view, columns = (-np.inf, np.inf), 1000
        else:
            view, columns = tuple(box.viewRange()[0]), max(int(box.width()), 1)
        drawn_for = (self._x, self._levels.source, count, view, columns, self._log_y)
        if drawn_for == self._drawn_for:
            return  # nothing new; or only the y range moved (auto-range after our setData)
        self._drawn_for = drawn_for
        # One point either side of the view, so the line runs on to its edges.
        first = max(int(np.searchsorted(x, view[0], side="left")) - 1, 0)
        stop = min(int(np.searchsorted(x, view[1], side="right")) + 1, len(x))
        shown_x, shown_y = self._levels.envelope(x, first, max(stop, first), columns)
        if self._log_y:
            with np.errstate(divide="ignore", invalid="ignore"):
                shown_y = np.log10(shown_y)  # <= 0: not finite, a gap
        finite = shown_y[np.isfinite(shown_y)]
        self._bounds = (
            (float(shown_x[0]), float(shown_x[-1])) if len(shown_x) else (None, None),
            (float(finite.min()), float(finite.max())) if len(finite) else (None, None),
        )
        self.setData(shown_x, shown_y)


class StepDots(StepCurve):
    """A round dot at each point a ``StepCurve`` would draw (the pen's width is the dot's),
    painted in one ``drawPoints`` call. A ``ScatterPlotItem`` for the same few dots took
    a third of the loss and accuracy plots' painting while training (its per-frame
    Python), though they rarely change.
    """

    def getOriginalDataset(self) -> tuple[None, None]:
        """Nothing: dots mark points of another curve, which CSV export writes already."""
        return None, None

    def paint(self, painter: QPainter, *_) -> None:
        finite = np.isfinite(self.yData) if self.xData is not None else np.zeros(0, bool)
        if not finite.any():
            return  # (an empty polygon has no memory to write into)
        points = pg.functions.create_qpolygonf(int(finite.sum()))
        coordinates = pg.functions.ndarray_from_qpolygonf(points)  # (n, 2), shares memory
        coordinates[:, 0] = self.xData[finite]
        coordinates[:, 1] = self.yData[finite]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.opts["pen"])
        painter.drawPoints(points)
