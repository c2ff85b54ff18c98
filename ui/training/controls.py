"""The training controls: Train/Resume, Pause, Step, Stop, Reset, and how the run is going.

The buttons follow the session's state; the status line gives epoch and step of
the total, samples per second, elapsed and remaining time, and the latest
training and validation loss and accuracy. Problems (a dataset that does not
fit, a NaN) are shown in red under it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from playground.errors import TrainingError
from playground.project import Project
from ui.document import Document
from ui.training.session import TrainingSession

# objectName, text, shortcut, what it does
BUTTONS = (
    ("trainButton", "Train", "F5", "Train until the configured epochs (F5)"),
    ("pauseButton", "Pause", "F6", "Pause after the current step; Train resumes (F6)"),
    ("stepButton", "Step", "F10", "Train exactly one mini-batch, then pause (F10)"),
    (
        "stopButton",
        "Stop",
        "Shift+F5",
        "End the run after one more step that validates, so every plot shows the final "
        "weights (Shift+F5)",
    ),
    (
        "resetButton",
        "Reset",
        "Ctrl+Shift+R",
        "Fresh weights from the seed, no history; undoable (Ctrl+Shift+R)",
    ),
)


# What the status line starts with, by session state or, when idle, how the run ended.
_STATE_WORDS = {
    "running": "Training",
    "stepping": "Stepping",
    "stopping": "Stopping…",
    "paused": "Paused",
    "stopped": "Stopped",
    "finished": "Finished",
    "failed": "Paused",
    "": "Paused",
}


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _held_text(project: Project) -> str:
    """How far a project opened from a file (or a preset) has trained."""
    if not project.step:
        return "Not trained yet"
    text = f"{project.step:,} steps trained"
    if project.steps_per_epoch:
        # The epoch the last step belonged to, counted from 1 as the live status does.
        epoch = -(-project.step // project.steps_per_epoch)
        text = f"epoch {epoch}/{project.config.epochs} · {text}"
    history = project.history
    if history.loss:
        text += f" · last loss {history.loss[-1]:.4g}, accuracy {history.accuracy[-1]:.1%}"
    if history.val_accuracy:
        text += f" · validation {history.val_loss[-1]:.4g}, {history.val_accuracy[-1]:.1%}"
    return text


class TrainingControls(QWidget):
    """Buttons, status and progress of ``session``."""

    def __init__(
        self, document: Document, session: TrainingSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trainingControls")
        self.document, self.session = document, session
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for name, text, keys, tip in BUTTONS:
            button = QPushButton(text)
            button.setObjectName(name)
            button.setToolTip(tip)
            row.addWidget(button)
            self.buttons[name] = button
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(button.animateClick)
        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        row.addWidget(self.progress, 1)
        self.status = QLabel()
        self.status.setObjectName("trainingStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setWordWrap(True)
        # Long status lines wrap instead of widening the window.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # Room for two lines from the start, so that a wrapping status never moves the tabs.
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 2)
        self.problem = QLabel()
        self.problem.setObjectName("trainingProblem")
        self.problem.setWordWrap(True)
        self.problem.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.problem.setStyleSheet("color: #b3261e;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.problem)

        self.buttons["trainButton"].clicked.connect(session.train)
        self.buttons["pauseButton"].clicked.connect(session.pause)
        self.buttons["stepButton"].clicked.connect(session.step)
        self.buttons["stopButton"].clicked.connect(session.stop)
        self.buttons["resetButton"].clicked.connect(session.reset)
        session.stateChanged.connect(self._update)
        session.readinessChanged.connect(self._update)
        session.problem.connect(self._show_problem)
        session.failed.connect(self._show_failure)
        document.projectChanged.connect(self._project_changed)
        # The status is text: a few updates a second read well and cost nothing.
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._update_status)
        self._timer.start()
        self._update()

    def _project_changed(self) -> None:
        if self.session.state == "idle":
            # An edit, Reset, new settings or another file: what the last run said is
            # about a project that is gone (the failure of a run comes after its last
            # snapshot, so it stays until the next change).
            self._show_problem("")
        self._update()

    def _update(self, *_) -> None:
        state = self.session.state
        idle = state == "idle"
        project = self.document.project
        why_not = self.session.readiness() if idle else ""
        train = self.buttons["trainButton"]
        train.setEnabled(idle and not why_not)
        unfinished = 0 < project.step and project.epochs_done < project.config.epochs
        train.setText("Resume" if unfinished else "Train")
        train.setToolTip(why_not or BUTTONS[0][3])
        self.buttons["pauseButton"].setEnabled(state == "running")
        self.buttons["stopButton"].setEnabled(state in ("running", "stepping"))
        self.buttons["stepButton"].setEnabled(idle and not why_not)
        self.buttons["resetButton"].setEnabled(project.weights is not None or project.step > 0)
        if idle and why_not and why_not != self.problem.text():
            self.problem.setText(why_not)
        elif idle and not why_not and self.problem.property("fromReadiness"):
            self.problem.setText("")
        self.problem.setProperty("fromReadiness", bool(idle and why_not))
        self._update_status()

    def _update_status(self) -> None:
        record, project = self.session.record, self.document.project
        latest = record.latest
        if latest is None:  # nothing trained in this window yet: what the project holds
            self.status.setText(_held_text(project))
            held_total = project.config.epochs * project.steps_per_epoch
            self.progress.setMaximum(max(held_total, 1))
            self.progress.setValue(min(project.step, held_total))
            return
        # While idle, the epochs may have been changed since the last run.
        running = self.session.state != "idle"
        epochs = latest.total_steps // latest.steps_per_epoch if running else project.config.epochs
        total = epochs * latest.steps_per_epoch
        self.progress.setMaximum(total)
        self.progress.setValue(min(latest.step, total))
        parts = [
            _STATE_WORDS[self.session.state if running else self.session.ended_how],
            f"epoch {latest.epoch}/{epochs}",
            f"step {latest.step:,}/{total:,}",
        ]
        if self.session.running:
            elapsed = time.perf_counter() - self.session.run_started
            done = latest.step - self.session.run_start_step
            if elapsed > 0 and done > 0:
                rate = done / elapsed
                batch = project.config.batch_size
                left = (latest.total_steps - latest.step) / rate
                parts += [f"{rate * batch:,.0f} samples/s", f"{_duration(elapsed)} elapsed"]
                parts.append(f"{_duration(left)} left")
        parts.append(f"loss {latest.loss:.4g}, accuracy {latest.accuracy:.1%}")
        details = record.latest_details
        if details is not None and details.val_loss is not None:
            parts.append(f"validation {details.val_loss:.4g}, {details.val_accuracy:.1%}")
        if self.session.reports_outdated():
            parts.append("before the last edit")
        self.status.setText(" · ".join(parts))

    def _show_problem(self, text: str) -> None:
        self.problem.setProperty("fromReadiness", False)
        self.problem.setText(text)

    def _show_failure(self, error: TrainingError) -> None:
        self._show_problem(f"Training paused: {error}")
