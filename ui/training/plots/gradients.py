"""``GradientPlot`` (``gradientPlot``): is the network learning, layer by layer?

Four panels: each layer's gradient norm now (bars) and over the steps (lines), both
on a log scale; the update-to-weight ratio per layer against the ~1e-3 band of
CS231n's rule of thumb (far below: the learning rate is too low; far above: too
high); and the share of dead ReLU or saturated sigmoid/tanh units per activation
layer. Colours follow the layer index, the same in every panel.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from playground.spec import NetworkSpec
from ui.training.plots.common import (
    FollowSteps,
    FollowValues,
    add_legend,
    color,
    fast_curves,
    layer_label,
    new_plot,
)
from ui.training.plots.envelope import StepCurve
from ui.training.record import RunRecord, Series

HEALTHY_RATIO = (10**-3.5, 10**-2.5)  # about 1e-3, half a decade either side


class GradientPlot(QWidget):
    """Gradient norms (bars now, lines over time), update ratios, inactive units."""

    def __init__(self, spec: Callable[[], NetworkSpec | None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("gradientPlot")
        self._spec = spec
        self.bars_plot = new_plot("Gradient norm now", "layer", "‖grad‖")
        self.norms_plot = new_plot("Gradient norm per step", "step", "‖grad‖")
        self.ratio_plot = new_plot("Update / weight", "step", "‖ΔW‖ / ‖W‖")
        self.inactive_plot = new_plot("Dead or saturated units", "step", "share of units")
        for plot in (self.bars_plot, self.norms_plot, self.ratio_plot):
            plot.setLogMode(y=True)
        self.bars_plot.enableAutoRange(x=False, y=False)  # set where the bars change
        fast_curves(self.norms_plot)
        for plot in (self.bars_plot, self.ratio_plot, self.inactive_plot):
            plot.showGrid(x=False, y=False)  # redrawn every step too: see fast_curves
        self.steps_axis = FollowSteps(self.norms_plot)  # one step axis: zoom all three at once
        for plot in (self.ratio_plot, self.inactive_plot):
            self.steps_axis.join(plot)
        self.values_axes = (
            FollowValues(self.norms_plot, lambda: self.norms.values()),
            FollowValues(self.ratio_plot, lambda: self.ratios.values()),
        )
        self.inactive_plot.setYRange(0, 1, padding=0.02)
        self.inactive_plot.enableAutoRange(y=False)
        low, high = (math.log10(v) for v in HEALTHY_RATIO)  # log-mode plots place in log10
        band = pg.LinearRegionItem(
            (low, high), orientation="horizontal", movable=False, brush=(0, 158, 115, 40)
        )
        band.setToolTip("Healthy: about 1e-3 (CS231n's rule of thumb)")
        self.ratio_plot.addItem(band)
        self.ratio_plot.addLine(
            y=-3, pen=pg.mkPen((0, 158, 115), style=pg.QtCore.Qt.PenStyle.DashLine)
        )
        for plot in (self.norms_plot, self.ratio_plot, self.inactive_plot):
            add_legend(plot)
        # layer index -> its item, rebuilt when the layers change
        self.bars: dict[int, pg.PlotDataItem] = {}
        self._decades: tuple[int, int] | tuple[()] = ()  # the bars' y range, in powers of ten
        self._named_for: NetworkSpec | None = None  # the spec the legends' names come from
        self.norms: dict[int, StepCurve] = {}
        self.ratios: dict[int, StepCurve] = {}
        self.inactive: dict[int, StepCurve] = {}
        graphics = pg.GraphicsLayoutWidget()
        graphics.addItem(self.bars_plot, row=0, col=0)
        graphics.addItem(self.norms_plot, row=0, col=1)
        graphics.addItem(self.ratio_plot, row=1, col=0)
        graphics.addItem(self.inactive_plot, row=1, col=1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(graphics)

    def refresh(self, record: RunRecord) -> None:
        spec = self._spec()
        if spec is not self._named_for:  # an edit may have renamed layers: new legends
            self._named_for = spec
            for plot, items in (
                (self.bars_plot, self.bars),
                (self.norms_plot, self.norms),
                (self.ratio_plot, self.ratios),
                (self.inactive_plot, self.inactive),
            ):
                for item in items.values():
                    plot.removeItem(item)  # and from its legend
                items.clear()
        self.steps_axis.update(record.steps)  # first: the norms draw the steps in view
        self._draw_lines(
            self.norms_plot, self.norms, record.grad_norm_steps, record.grad_norms, spec
        )
        self._draw_lines(
            self.ratio_plot, self.ratios, record.detail_step, record.update_ratios, spec
        )
        self._draw_lines(
            self.inactive_plot, self.inactive, record.detail_step, record.inactive, spec
        )
        self._draw_bars(record.latest.grad_norms if record.latest else {}, spec)
        for axis in self.values_axes:
            axis.update()

    def _draw_lines(
        self,
        plot: pg.PlotItem,
        items: dict[int, StepCurve],
        steps: Series,
        curves: dict[int, Series],
        spec: NetworkSpec | None,
    ) -> None:
        """One line per layer of ``curves`` against ``steps``; new items when layers change."""
        if set(items) != set(curves):
            for item in items.values():
                plot.removeItem(item)
            items.clear()
            for index in sorted(curves):
                items[index] = StepCurve(pen=pg.mkPen(color(index)), name=layer_label(spec, index))
                plot.addItem(items[index])
        for index, item in items.items():
            # A layer of zero weights has an infinite update ratio: drawn as a gap.
            item.show_series(steps, curves[index])

    def _draw_bars(self, norms: dict[int, float], spec: NetworkSpec | None) -> None:
        """A bar per layer at x = its position among the layers with parameters."""
        if set(self.bars) != set(norms):
            for item in self.bars.values():
                self.bars_plot.removeItem(item)
            self.bars.clear()
            for index in sorted(norms):
                self.bars[index] = self.bars_plot.plot(
                    stepMode="center", pen=None, brush=color(index)
                )
            self._decades = ()
            ticks = [(x, str(index)) for x, index in enumerate(sorted(norms))]
            self.bars_plot.setXRange(-0.5, max(len(norms), 1) - 0.5, padding=0.02)
            self.bars_plot.getAxis("bottom").setTicks([ticks])
        if not norms:
            return
        # Whole decades around the bars: the axis (and its text) moves only when a bar
        # leaves them, not at every frame.
        positive = [v for v in norms.values() if v > 0] or [1.0]
        decades = (math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive))))
        if decades != self._decades:
            self._decades = decades
            low, high = decades[0], max(decades[1], decades[0] + 1)
            self.bars_plot.setYRange(low, high, padding=0)  # log10 coordinates
            for bar in self.bars.values():
                bar.setFillLevel(low)
        for x, index in enumerate(sorted(norms)):
            self.bars[index].setData([x - 0.4, x + 0.4], [max(norms[index], min(positive))])
