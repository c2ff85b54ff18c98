"""How long one frame of the training plots takes, page by page (a benchmark, not a test).

``python -m ui.training.plots.frame_cost [--steps 100000] [--frames 60]`` builds a
record as SimpleConvNet would leave it after ``--steps`` steps (its 30 conv filters,
its layers' histograms, a detail report every 50 steps, a 10-class confusion matrix),
then, for each page of ``TrainingPlotsView``, adds 100 steps per frame (3,000 steps a
second at 30 frames a second) and times the view's redraw and the repaint that
follows; and the decision boundary's evaluation of the toy spiral net over its grid
(done at most four times a second, when the document gets new weights). The target:
well under 10 ms a frame, so the window repaints at least 20 times a second while
training. Run it on a quiet machine; it prints milliseconds of the GUI thread's CPU.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from playground.datasets import Dataset
from playground.project import Project
from playground.trainer import HISTOGRAM_BINS, StepReport
from ui.document import Document
from ui.training.plots.view import TrainingPlotsView
from ui.training.record import RunRecord

DETAIL_EVERY = 50
STEPS_PER_FRAME = 100


class RecordSource(QObject):
    """What the view reads, for a record made up here (no training session)."""

    recordReplaced = Signal()

    def __init__(self, project: Project, dataset: Dataset | None = None) -> None:
        super().__init__()
        self.document = Document(project)
        self.record = RunRecord()
        self._dataset = dataset

    def dataset(self) -> Dataset | None:
        return self._dataset


def made_up_reports(project: Project, first: int, count: int, rng: np.random.Generator):
    """``count`` reports from step ``first`` with the shapes SimpleConvNet's trainer reports:
    a falling noisy loss, and every ``DETAIL_EVERY`` steps drifting weights' histograms
    and filters, update ratios, dead-unit shares and a confusion matrix."""
    net = project.network
    weighted = [i for i, layer in enumerate(net.layers) if layer.params]
    convs = [i for i, layer in enumerate(net.layers) if layer.type_name == "conv2d"]
    relus = [i for i, layer in enumerate(net.layers) if layer.type_name == "relu"]
    edges = {
        key: np.linspace(-3 * np.abs(p).max() - 0.1, 3 * np.abs(p).max() + 0.1, HISTOGRAM_BINS + 1)
        for key, p in net.params.items()
    }
    reports = []
    for step in range(first, first + count):
        loss = 2.3 * np.exp(-step / 20000) + 0.05 + 0.1 * rng.random()
        report = StepReport(
            step=step,
            epoch=step // 70 + 1,
            steps_per_epoch=70,
            total_steps=10**6,
            loss=float(loss),
            accuracy=float(1 - loss / 2.5),
            lr=0.002,
            grad_norms={i: float(rng.lognormal()) for i in weighted},
        )
        if step % DETAIL_EVERY == 0:
            drift = 1 + step / 100000
            report = replace(
                report,
                has_details=True,
                val_loss=float(loss),
                val_accuracy=float(1 - loss / 2.5),
                confusion=rng.integers(0, 50, (10, 10)),
                weight_histograms={
                    key: (np.histogram(p * drift, edges[key])[0], edges[key])
                    for key, p in net.params.items()
                },
                filters={i: net.layers[i].params["W"] * drift for i in convs},
                update_ratios={i: float(1e-3 * rng.lognormal()) for i in weighted},
                inactive={i: float(rng.random()) for i in relus},
            )
        reports.append(report)
    return reports


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--frames", type=int, default=60)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window needed (read by Qt here)
    app = QApplication.instance() or QApplication([])
    print(f"{args.steps:,} steps recorded; {STEPS_PER_FRAME} more each frame; CPU ms per frame:")
    print(f"{'page':38} {'median':>7} {'p95':>7} {'max':>7}")
    rng = np.random.default_rng(0)
    project = Project.from_preset("simple_convnet")
    source = RecordSource(project)
    source.record.add(made_up_reports(project, 1, args.steps, rng))
    view = _shown(app, TrainingPlotsView(source))
    measured = set()
    for name in view.plots:
        view.show_plot(name)
        page = view.tabs.currentIndex()
        if page in measured or name == "decisionBoundaryPlot":  # 2-D data only: see below
            continue
        measured.add(page)
        on_page = [
            n for n, plot in view.plots.items() if view.tabs.currentWidget().isAncestorOf(plot)
        ]
        app.processEvents()

        def frame() -> None:
            source.record.add(
                made_up_reports(project, source.record.steps + 1, STEPS_PER_FRAME, rng)
            )

        _report(
            f"{view.tabs.tabText(page)} ({', '.join(on_page)})",
            app,
            view.refresh,
            frame,
            args.frames,
        )
    view.close()

    spiral = Project.from_preset("toy_spiral")
    data = spiral.load_data()
    toy = RecordSource(spiral, data)
    view = _shown(app, TrainingPlotsView(toy))
    boundary = view.show_plot("decisionBoundaryPlot")
    trainer = spiral.trainer(dataset=data)
    steps = trainer.run()

    def snapshot() -> None:  # the session hands the document new weights (about once a second)
        next(steps)
        toy.document.take_training(spiral.with_training(trainer))

    _report(
        "Boundary (one evaluation of the grid)",
        app,
        lambda: boundary.refresh(force=True),
        snapshot,
        args.frames,
    )
    view.close()


def _shown(app: QApplication, view: TrainingPlotsView) -> TrainingPlotsView:
    view.resize(700, 650)
    view.show()
    app.processEvents()
    return view


def _report(title: str, app: QApplication, redraw, change, frames: int) -> None:
    """Time ``redraw`` and the repaint it asks for, after each ``change``: CPU time of this
    (the GUI) thread, which other processes on a busy machine disturb less than the clock."""
    times = []
    for _ in range(frames):
        change()
        started = time.thread_time()
        redraw()
        app.processEvents()
        times.append(1000 * (time.thread_time() - started))
    median, p95, worst = np.percentile(times, [50, 95, 100])
    print(f"{title:38} {median:7.2f} {p95:7.2f} {worst:7.2f}")


if __name__ == "__main__":
    main()
