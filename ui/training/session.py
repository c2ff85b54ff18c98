"""``TrainingSession``: trains the document's project on a worker thread.

Train (or Resume) makes a trainer from ``document.project`` and runs it on a
``QThread``; Pause ends that run after the current step, Stop after one more
that validates, and Step runs exactly one. Every run hands its trained state back to the document as
snapshots (``Document.take_training``), so the document stays the one owner of
the trained state, and a later Train resumes bit for bit from the last one. A
snapshot that arrives after the document was changed by something else (an
edit, Reset, another file) belongs to a project that is gone and is dropped.

The reports go into ``record`` (a ``RunRecord``) for the plots.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QThread, Signal

from playground.datasets import Dataset
from playground.errors import DataError, TrainingError
from playground.project import Project
from playground.spec import NetworkSpec
from playground.trainer import check_fits
from ui.document import Document
from ui.training.record import RunRecord
from ui.training.worker import TrainingWorker

# Validation and histograms at most 20 times a second: a toy network's epochs take
# milliseconds, and a detail report per epoch would slow it (and the plots) down.
MIN_DETAIL_SECONDS = 0.05


class TrainingSession(QObject):
    """Start, pause, step and stop training of ``document.project``."""

    stateChanged = Signal(str)  # "idle", "running", "stepping", "stopping"
    recordReplaced = Signal()
    progressed = Signal()  # new reports are in the record
    failed = Signal(object)  # a TrainingError (its layer_index marks the layer)
    problem = Signal(str)  # a message for the panel ("" clears it)
    readinessChanged = Signal()  # readiness() may say otherwise now

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.record = RunRecord(document.project.history)
        self.state = "idle"
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._synced: Project | None = None  # the project this session last put in the document
        self._record_history = document.project.history  # the history ``record`` continues
        self._dataset: tuple[tuple, Dataset] | None = None  # (dataset key, loaded set)
        # (spec, dataset, fit_problem()): the dataset by identity (its arrays do not compare)
        self._fit: tuple[NetworkSpec, Dataset, str] | None = None
        self.run_started = 0.0  # time.perf_counter() at the start of the current run
        # How the last run ended: "paused", "stopped", "finished", "failed" ("" none yet).
        self.ended_how = ""
        self.settings_problems = ""  # the settings form's refused fields
        self.run_start_step = 0
        document.projectChanged.connect(self._on_project_changed)

    # -- what the panel shows ----------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None

    def dataset(self) -> Dataset | None:
        """The project's dataset, loaded once per choice; None when it cannot be loaded."""
        try:
            return self.dataset_or_raise()
        except DataError:
            return None

    def readiness(self) -> str:
        """Why Train cannot start now ("" when it can)."""
        project = self.document.project
        errors = project.spec.errors()
        if errors:
            return f"The network is not valid: {errors[0]}"
        if self.settings_problems:
            return f"Fix the training settings first: {self.settings_problems.splitlines()[0]}"
        if project.dataset is None:
            return "Choose a dataset to train on."
        try:
            self.dataset_or_raise()
        except DataError as exc:
            return str(exc)
        return self.fit_problem()

    def fit_problem(self) -> str:
        """Why the project's dataset does not fit its network ("" when it does).

        Asked after every training snapshot: the answer (which scans the data for
        NaN) is kept until the spec or the data change."""
        project = self.document.project
        dataset = self.dataset_or_raise()
        if self._fit is None or self._fit[0] != project.spec or self._fit[1] is not dataset:
            try:
                check_fits(project.spec, dataset)
                self._fit = (project.spec, dataset, "")
            except DataError as exc:
                self._fit = (project.spec, dataset, str(exc))
        return self._fit[2]

    def reports_outdated(self) -> bool:
        """Whether the network was edited since the last report: its figures describe the
        network before the edit (whose changed layers start afresh)."""
        return self._synced is not None and self._synced.spec != self.document.project.spec

    def hold_for_settings(self, problems: str) -> None:
        """The settings form's refused fields, one a line ("" when none): until they are
        fixed, Train would run on the last accepted values, so it waits."""
        self.settings_problems = problems
        self.readinessChanged.emit()

    # -- controls ----------------------------------------------------------------------
    def train(self) -> None:
        """Train (or resume) until the configured epochs, Pause or Stop."""
        self._start(None)

    def step(self) -> None:
        """Exactly one mini-batch, then paused."""
        self._start(1)

    def pause(self) -> None:
        """End the run after the current step."""
        self._request_stop()

    def stop(self) -> None:
        """End the run after one more step, which validates: the validation curves,
        confusion matrix and histograms end with the final weights."""
        self._request_stop(detailed=True)

    def reset(self) -> None:
        """Fresh weights from the seed and no history (undoable in the document)."""
        self.shutdown()
        self.document.reset_weights()

    def shutdown(self) -> None:
        """End any run and join its thread (closing, opening another file)."""
        if self._thread is None:
            return
        self._request_stop()
        self._join()

    # -- runs --------------------------------------------------------------------------
    def _start(self, max_steps: int | None) -> None:
        if self._thread is not None:
            return
        project = self.document.project
        try:
            dataset = self.dataset_or_raise()
            trainer = project.trainer(dataset, min_detail_seconds=MIN_DETAIL_SECONDS)
        except (DataError, TrainingError, ValueError) as exc:
            self.problem.emit(str(exc))
            return
        if trainer.done:
            epochs = project.config.epochs
            self.problem.emit(
                f"Trained to epoch {trainer.epoch} of {epochs}: raise Epochs to train longer."
            )
            return
        self.problem.emit("")
        self._synced = project
        self.run_started, self.run_start_step = time.perf_counter(), trainer.step
        worker = TrainingWorker(project, trainer, max_steps)
        thread = QThread(self)
        thread.setObjectName("trainingThread")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._on_progress)
        worker.snapshot.connect(self._on_snapshot)
        worker.ended.connect(self._on_ended)
        worker.failed.connect(self._on_failed)
        self._thread, self._worker = thread, worker
        thread.start()
        self._set_state("stepping" if max_steps is not None else "running")

    def _request_stop(self, detailed: bool = False) -> None:
        if self._worker is not None:
            self._worker.request_stop(detailed)
            self.ended_how = "stopped" if detailed else "paused"
            self._set_state("stopping")

    def _on_progress(self, reports: list) -> None:
        if self.sender() is not self._worker:
            return  # a run that was abandoned (another file, an edit)
        self.record.add(reports)
        self.progressed.emit()

    def _on_snapshot(self, project: Project) -> None:
        if self.sender() is not self._worker or self.document.project is not self._synced:
            return  # the document moved on (an edit, Reset, another file): this state is gone
        self._synced, self._record_history = project, project.history
        self.document.take_training(project)

    def _on_ended(self, reason: str) -> None:
        if self.sender() is self._worker:
            if reason != "stopped":  # "finished", or "stepped": paused after one step
                self.ended_how = "finished" if reason == "finished" else "paused"
            self._finish_thread()

    def _on_failed(self, error: TrainingError) -> None:
        if self.sender() is self._worker:
            self.ended_how = "failed"
            self._finish_thread()
            self.failed.emit(error)

    def _finish_thread(self) -> None:
        self._join()

    def _join(self) -> None:
        """End the thread's event loop and wait for it, in short waits: between them the
        worker can take the GIL to finish its step."""
        self._thread.quit()
        while not self._thread.wait(50):
            pass
        self._drop_thread()

    def _drop_thread(self) -> None:
        self._worker.deleteLater()
        self._thread.deleteLater()
        self._thread = self._worker = None
        self._set_state("idle")

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)

    # -- the document --------------------------------------------------------------
    def _on_project_changed(self, project: Project) -> None:
        if self._thread is not None and project is not self._synced:
            # Changed under a running trainer (an edit, Reset, Open): that run's state is
            # superseded. End it; its late snapshots are dropped (see _on_snapshot).
            self._request_stop()
        if project.history is not self._record_history:  # undo, Reset, another file
            self._record_history = project.history
            self.record = RunRecord(project.history)
            self.recordReplaced.emit()

    def dataset_or_raise(self) -> Dataset:
        """The project's dataset, loaded once per choice; raises DataError naming the cause."""
        project = self.document.project
        key = (project.dataset, tuple(sorted(project.dataset_options.items())))
        if self._dataset is None or self._dataset[0] != key:
            self._dataset = (key, project.load_data())
        return self._dataset[1]
