"""``python -m ui.bench``: how the real window holds up while it trains.

For each preset it opens the real window and trains in it for ``--seconds``,
measuring how late a precise 10 ms timer on the GUI thread fires (median and 99th
percentile), how many times a second the loss plot repaints, and the training
steps per second in the window; and it trains the same preset headless (the
engine alone, in this process, with the window's thread policy) for half that
time. The two take turns (``--rounds`` stretches in the window, Pause and Resume
between them, each between two headless stretches) so that a busy or quiet spell
of the machine weighs on both alike. The first second after each start (a new
trainer's buffers, the plots' first frames) is not counted. Targets: late <= 20
ms at p99, >= 20 repaints/s, window >= 85% of headless steps/s.

Needs a display (Xvfb works: ``xvfb-run python -m ui.bench``); offscreen Qt
never repaints, so it would count no frames.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from playground.project import Project
from ui.app import configure_engine, create_main_window
from ui.training.session import MIN_DETAIL_SECONDS

TIMER_MS = 10
WARM_UP_SECONDS = 1.0  # first steps (buffers, caches, the plots' first frames) not counted
TARGETS = {"late_p99_ms": 20.0, "repaints_per_s": 20.0, "window_share": 0.85}


class PaintCounter(QObject):
    """Counts the frames a plot draws: paint events of its graphics views' viewports
    (not of its slider and labels)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        views = widget.findChildren(QGraphicsView)
        if isinstance(widget, QGraphicsView):
            views.append(widget)
        for view in views:
            view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class Headless:
    """The engine alone training ``preset`` (its default data and settings) on this thread,
    in stretches: one trainer throughout, its first ``WARM_UP_SECONDS`` not counted."""

    def __init__(self, preset: str) -> None:
        project = Project.from_preset(preset)
        project.config = project.config.replace(epochs=100_000)  # never ends in the bench
        trainer = project.trainer(min_detail_seconds=MIN_DETAIL_SECONDS)  # as the window does
        self._reports = trainer.run()
        self.steps, self.seconds = 0, 0.0
        self.train_for(WARM_UP_SECONDS)
        self.steps, self.seconds = 0, 0.0

    def train_for(self, seconds: float) -> None:
        started = time.perf_counter()
        for _ in self._reports:
            self.steps += 1
            if time.perf_counter() - started >= seconds:
                break
        self.seconds += time.perf_counter() - started

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.seconds


def measure(app: QApplication, preset: str, seconds: float, rounds: int) -> dict[str, float]:
    """Train ``preset`` in the real window for ``seconds`` in all, in ``rounds`` stretches,
    each between two headless stretches of a quarter of its length (so headless trains
    for ``seconds / 2`` in all, spread alike over the run). Returns the figures."""
    headless = Headless(preset)
    window = create_main_window()
    window.load_preset(preset)
    config = window.document.project.config.replace(epochs=100_000)
    window.document.set_training_setup(config=config)
    window.show()
    window.tabs.setCurrentIndex(0)  # the training plots
    _wait(app, 0.4)  # let the window settle before measuring
    paints = PaintCounter(window.findChild(QWidget, "lossPlot"))
    late: list[float] = []
    expected = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        late.append(max(0.0, now - expected[0]) * 1000)
        expected[0] = now + TIMER_MS / 1000

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TIMER_MS)
    timer.timeout.connect(tick)
    steps = repaints = 0
    elapsed = 0.0
    for _ in range(rounds):
        headless.train_for(seconds / rounds / 4)
        window.session.train()  # resumes where the last stretch paused
        _wait(app, WARM_UP_SECONDS)  # a new trainer's first steps, the plots' first frames
        start_step, paints.count = window.session.record.steps, 0
        expected[0] = time.perf_counter() + TIMER_MS / 1000
        timer.start()
        started = time.perf_counter()
        _wait(app, seconds / rounds)
        elapsed += time.perf_counter() - started
        timer.stop()
        steps += window.session.record.steps - start_step
        repaints += paints.count
        window.session.pause()
        while window.session.state != "idle":
            _wait(app, 0.01)
        headless.train_for(seconds / rounds / 4)
    window.session.shutdown()
    window.hide()
    window.deleteLater()  # not close(): nothing to save, no question to answer
    late.sort()
    return {
        "late_median_ms": statistics.median(late),
        "late_p99_ms": late[int(0.99 * (len(late) - 1))],
        "repaints_per_s": repaints / elapsed,
        "window_steps_per_s": steps / elapsed,
        "headless_steps_per_s": headless.steps_per_second,
    }


def _wait(app: QApplication, seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.bench", description=__doc__)
    parser.add_argument(
        "--preset",
        action="append",
        help="preset to train (repeatable; default: simple_convnet and toy_spiral)",
    )
    parser.add_argument(
        "--seconds", type=float, default=15.0, help="training in the window, per preset"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="stretches the window's training is cut into"
    )
    parser.add_argument(
        "--engine-threads",
        type=int,
        help="threads the engine splits a batch over (default: the window's own choice)",
    )
    args = parser.parse_args(argv)
    if args.engine_threads is None:
        configure_engine()
    else:
        configure_engine(batch_threads=args.engine_threads)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if app.platformName() in ("offscreen", "minimal"):
        print("error: needs a display (offscreen Qt never repaints); try xvfb-run", file=sys.stderr)
        return 1
    presets = args.preset or ["simple_convnet", "toy_spiral"]
    header = (
        f"{'preset':15} {'late median':>11} {'late p99':>9} {'repaints/s':>10} "
        f"{'window st/s':>11} {'headless st/s':>13} {'share':>6}  targets"
    )
    print(header)
    for preset in presets:
        figures = measure(app, preset, args.seconds, args.rounds)
        headless = figures["headless_steps_per_s"]
        share = figures["window_steps_per_s"] / headless
        ok = (
            figures["late_p99_ms"] <= TARGETS["late_p99_ms"]
            and figures["repaints_per_s"] >= TARGETS["repaints_per_s"]
            and share >= TARGETS["window_share"]
        )
        print(
            f"{preset:15} {figures['late_median_ms']:9.1f}ms {figures['late_p99_ms']:7.1f}ms "
            f"{figures['repaints_per_s']:10.1f} {figures['window_steps_per_s']:11,.0f} "
            f"{headless:13,.0f} {share:6.0%}  {'ok' if ok else 'MISSED'}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
