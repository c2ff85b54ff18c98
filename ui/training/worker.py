"""``TrainingWorker``: drives the engine's trainer generator on a thread of its own.

The worker runs ``Trainer.run()`` and checks, between steps, whether to stop:
at once (Pause, closing), after one more step with a detailed report (Stop: the
run ends with validation figures of its final weights), or when a step budget
is used up. Reports cross to the GUI thread as copies
in batches, at most ``EMITS_PER_SECOND`` times a second, never one signal per
step: a toy network makes thousands of steps a second. The trained state
crosses as a ``Project`` snapshot (copies of the live arrays, taken on the
worker's thread between steps) about once a second and when the run ends, so
the GUI thread never touches the live network.
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal, Slot

from playground.errors import TrainingError
from playground.project import Project
from playground.trainer import Trainer

EMITS_PER_SECOND = 30
SNAPSHOT_SECONDS = 1.0


class TrainingWorker(QObject):
    """Trains ``trainer`` (made from ``project``) until stopped, finished, failed or
    ``max_steps`` steps were done (None: no limit)."""

    progress = Signal(object)  # list[StepReport], consecutive
    snapshot = Signal(object)  # Project holding the trained state so far
    ended = Signal(str)  # "stopped", "finished" or "stepped", after the last snapshot
    failed = Signal(object)  # the TrainingError, after the snapshot of the last good step

    def __init__(self, project: Project, trainer: Trainer, max_steps: int | None = None) -> None:
        super().__init__()
        self.project, self.trainer, self.max_steps = project, trainer, max_steps
        self._stop = threading.Event()
        self._stop_detailed = threading.Event()

    def request_stop(self, detailed: bool = False) -> None:
        """Ask the run to end after the current step, or with ``detailed`` after one more
        step that reports details (any thread)."""
        (self._stop_detailed if detailed else self._stop).set()

    @Slot()
    def run(self) -> None:
        pending = []
        last_emit = last_snapshot = time.perf_counter()
        steps = 0
        reason = "finished"
        last_step = None  # the step that ends a detailed stop, once asked for
        try:
            for report in self.trainer.run():
                pending.append(report)
                steps += 1
                now = time.perf_counter()
                if now - last_emit >= 1 / EMITS_PER_SECOND:
                    self.progress.emit(pending)
                    pending, last_emit = [], now
                if now - last_snapshot >= SNAPSHOT_SECONDS:
                    self.snapshot.emit(self.project.with_training(self.trainer))
                    last_snapshot = time.perf_counter()
                if self._stop.is_set() or report.step == last_step:
                    reason = "stopped"
                    break
                if last_step is None and self._stop_detailed.is_set():
                    self.trainer.report_details_next()  # on this thread: between steps
                    last_step = report.step + 1
                if self.max_steps is not None and steps >= self.max_steps:
                    reason = "stepped"
                    break
        except TrainingError as error:
            self._finish(pending)
            self.failed.emit(error)
            return
        except Exception as error:  # a bug or no memory: say so, never hang in "running"
            # No snapshot: the step may have stopped half way through an update.
            self.failed.emit(TrainingError(f"training stopped by an unexpected error: {error!r}"))
            return
        self._finish(pending)
        self.ended.emit(reason)

    def _finish(self, pending: list) -> None:
        if pending:
            self.progress.emit(pending)
        self.snapshot.emit(self.project.with_training(self.trainer))
