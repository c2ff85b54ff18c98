"""``TrainingPlotsView``: the live training plots, one page at a time, sized to sit beside
the network canvas (about 700×650 px).

The view reads its source (the training session): ``source.record``, the run's
``RunRecord`` (replaced as a whole: ``source.recordReplaced``), ``source.document``
(its ``project``, ``projectChanged``) and ``source.dataset()``. Every widget is
created once; a 25 Hz timer redraws the plots of the page in sight, and only when
the record's version moved since they were drawn (a page coming into sight catches
up at once). The decision boundary page is there only for 2-D data.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from playground.datasets import Dataset
from playground.project import Project
from playground.spec import NetworkSpec
from ui import dialogs
from ui.document import Document
from ui.training.plots.accuracy import AccuracyPlot
from ui.training.plots.boundary import DecisionBoundaryPlot, is_plane
from ui.training.plots.confusion import ConfusionMatrixView
from ui.training.plots.filters import FilterView
from ui.training.plots.gradients import GradientPlot
from ui.training.plots.histogram import WeightHistogramPlot
from ui.training.plots.history_csv import write_history_csv
from ui.training.plots.loss import LossPlot
from ui.training.record import RunRecord

FRAME_MS = 40  # at most 25 redraws a second: smooth to the eye, and the GIL is shared


class PlotSource(Protocol):
    """What the view reads (the training session provides it)."""

    recordReplaced: Signal
    record: RunRecord
    document: Document

    def dataset(self) -> Dataset | None: ...


class TrainingPlotsView(QWidget):
    """Pages of plots: Curves (loss over accuracy), Weights, Filters, Gradients, Confusion,
    Boundary; and a button that exports the whole history as CSV."""

    def __init__(self, source: PlotSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPlotsView")
        self.source = source
        self.loss = LossPlot()
        self.accuracy = AccuracyPlot(self.loss.steps_axis)  # zoom into steps on both at once
        self.accuracy.set_smoothing(self.loss.smoothing)
        self.loss.smoothingChanged.connect(self.accuracy.set_smoothing)
        self.histogram = WeightHistogramPlot(self._spec)
        self.filters = FilterView(self._project)
        self.gradients = GradientPlot(self._spec)
        self.confusion = ConfusionMatrixView(self._class_names)
        self.boundary = DecisionBoundaryPlot(self._project, source.dataset)

        curves = QSplitter(Qt.Orientation.Vertical)
        curves.addWidget(self.loss)
        curves.addWidget(self.accuracy)
        curves.setSizes([360, 240])
        self.tabs = QTabWidget()
        self.tabs.setObjectName("trainingPlotTabs")
        self._pages: list[tuple[QWidget, tuple[QWidget, ...]]] = [
            (curves, (self.loss, self.accuracy)),
            (self.histogram, (self.histogram,)),
            (self.filters, (self.filters,)),
            (self.gradients, (self.gradients,)),
            (self.confusion, (self.confusion,)),
            (self.boundary, (self.boundary,)),
        ]
        for (page, _), title in zip(
            self._pages,
            ("Curves", "Weights", "Filters", "Gradients", "Confusion", "Boundary"),
            strict=True,
        ):
            self.tabs.addTab(page, title)
        self.export_button = QPushButton("Export history as CSV…")
        self.export_button.setObjectName("exportHistoryButton")
        self.export_button.setToolTip(
            "Every step's loss and accuracy, validation, learning rate and per-layer figures "
            "in one table. Right-click a plot and choose Export… for that plot alone."
        )
        self.export_button.clicked.connect(self._ask_export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout.addLayout(row)

        self._drawn: dict[QWidget, tuple[RunRecord, int]] = {}  # plot -> (record, version) drawn
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.refresh)
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        source.recordReplaced.connect(self._outdated)
        source.document.projectChanged.connect(self._project_changed)
        self._project_changed()

    @property
    def plots(self) -> dict[str, QWidget]:
        """Every plot by its objectName."""
        return {plot.objectName(): plot for _, plots in self._pages for plot in plots}

    def show_plot(self, name: str) -> QWidget:
        """Bring the page holding the plot ``name`` (an objectName) into sight and draw it."""
        for page, plots in self._pages:
            if any(plot.objectName() == name for plot in plots):
                self.tabs.setCurrentWidget(page)
                self.refresh()
                return self.plots[name]
        raise KeyError(f"no plot named {name!r}")

    def refresh(self) -> None:
        """Redraw the plots in sight whose record changed since they were drawn."""
        record = self.source.record
        page = self.tabs.currentWidget()
        for plot in next(plots for shown, plots in self._pages if shown is page):
            if plot is self.boundary:
                self.boundary.refresh()  # follows the project; throttles itself
            elif self._drawn.get(plot) != (record, record.version):
                plot.refresh(record)
                self._drawn[plot] = (record, record.version)

    def export_history_csv(self, path: str | Path) -> None:
        """Write the whole record as one CSV, a row per step (see ``history_csv``);
        raises OSError when the file cannot be written."""
        write_history_csv(self.source.record, path, self._spec())

    # -- reacting to the source ------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.timer.start()
        self.refresh()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.timer.stop()

    def _outdated(self) -> None:
        """Names, layers or the record changed: every plot redraws when next in sight."""
        self._drawn.clear()
        if self.isVisible():
            self.refresh()

    def _project_changed(self, project: Project | None = None) -> None:
        del project
        boundary = self.tabs.indexOf(self.boundary)
        self.tabs.setTabVisible(boundary, is_plane(self.source.dataset()))
        self._outdated()

    def _ask_export(self) -> None:
        path = dialogs.choose_export_path(self, "CSV", "training-history.csv", False, ".csv")
        if path is None:
            return
        try:
            self.export_history_csv(path)
        except OSError as exc:
            dialogs.show_error(self, "Export failed", f"Cannot write {path}: {exc.strerror or exc}")

    # -- what the plots read -------------------------------------------------------------
    def _project(self) -> Project:
        return self.source.document.project

    def _spec(self) -> NetworkSpec:
        return self.source.document.project.spec

    def _class_names(self, count: int) -> Sequence[str]:
        dataset = self.source.dataset()
        if dataset is not None and len(dataset.class_names) == count:
            return dataset.class_names
        return [str(i) for i in range(count)]
