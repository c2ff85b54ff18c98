"""How long one frame of the training plots takes, page by page (a benchmark, not a test).

``python -m ui.training.plots.frame_cost [--steps 100000] [--frames 60]`` builds a
record as SimpleConvNet would leave it after ``--steps`` steps (its 30 conv filters,
its layers' histograms, a detail report every 50 steps, a 10-class confusion matrix),
then, for each page of ``TrainingPlotsView``, adds 100 steps per frame (3,000 steps a
second at 30 frames a second) and times the view's redraw and the repaint that
follows. The target: well under 10 ms a frame, so the window repaints at least 20
times a second while training. Run it on a quiet machine; it prints milliseconds.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from PySide6.QtCore import QObject, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from playground.project import Project  # noqa: E402
from playground.trainer import HISTOGRAM_BINS, StepReport  # noqa: E402
from ui.document import Document  # noqa: E402
from ui.training.plots.view import TrainingPlotsView  # noqa: E402
from ui.training.record import RunRecord  # noqa: E402

DETAIL_EVERY = 50
STEPS_PER_FRAME = 100


class RecordSource(QObject):
    """What the view reads, for a record made up here (no training session)."""

    recordReplaced = Signal()

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.document = Document(project)
        self.record = RunRecord()

    def dataset(self) -> None:
        return None


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
    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(0)
    project = Project.from_preset("simple_convnet")
    source = RecordSource(project)
    source.record.add(made_up_reports(project, 1, args.steps, rng))
    view = TrainingPlotsView(source)
    view.resize(700, 650)
    view.show()
    app.processEvents()
    print(f"{args.steps:,} steps recorded; {STEPS_PER_FRAME} more each frame; CPU ms per frame:")
    print(f"{'plot':22} {'median':>7} {'p95':>7} {'max':>7}")
    for name in view.plots:
        if name == "decisionBoundaryPlot":
            continue  # 2-D data only: bench it with a toy set
        view.show_plot(name)
        app.processEvents()
        times = []
        for _ in range(args.frames):
            more = made_up_reports(project, source.record.steps + 1, STEPS_PER_FRAME, rng)
            source.record.add(more)
            started = time.thread_time()  # CPU time of the GUI thread: robust on a busy machine
            view.refresh()
            app.processEvents()  # the repaint the redraw asked for
            times.append(1000 * (time.thread_time() - started))
        median, p95, worst = np.percentile(times, [50, 95, 100])
        print(f"{name:22} {median:7.2f} {p95:7.2f} {worst:7.2f}")
    view.close()


if __name__ == "__main__":
    main()
