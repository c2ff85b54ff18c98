"""The training settings form, generated from ``TRAIN_FIELDS`` and the optimizer's own
fields, as the inspector is generated from the layers' fields.

Each editor checks every keystroke with the engine's ``Field`` rule; the
messages of every field still refused show under the form (below it, so that a
message coming and going never moves the fields) and hold Train back
(``problemsChanged``). A valid value replaces the document's training config
(from the next step when training is paused). While a run is going the form is
read-only: pause to change a setting.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from playground.config import TRAIN_FIELDS, ConfigError, TrainConfig
from playground.layers import Field
from playground.optimizers import OPTIMIZERS
from playground.project import Project
from ui.document import Document
from ui.field_editors import make_field_editor

# Shown only when the schedule uses them.
_SCHEDULE_FIELDS = {"lr_decay": ("step", "exponential"), "lr_step_epochs": ("step",)}


class TrainingSettings(QWidget):
    """Hyperparameters of the document's project."""

    problemsChanged = Signal(str)  # the refused fields' messages, one a line ("" if none)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingSettings")
        self.document = document
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, QWidget] = {}
        self._optimizer_shown: str | None = None
        self._running = False
        self._problems: dict[str, str] = {}  # field name -> the engine's message
        self.message = QLabel()
        self.message.setObjectName("trainingSettingsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._form)
        layout.addWidget(self.message)
        document.projectChanged.connect(self._show)
        self._show(document.project)

    def _build(self, optimizer: str) -> None:
        """One editor per training field, the optimizer's own fields right after it."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self.editors = {}
        for name in list(self._problems):  # the new editors report their own
            self._set_problem(name, "")
        own = OPTIMIZERS[optimizer].fields
        for f in TRAIN_FIELDS:
            self._add(f, own=False)
            if f.name == "optimizer":
                for setting in own:
                    self._add(setting, own=True)
        self._optimizer_shown = optimizer

    def _add(self, f: Field, own: bool) -> None:
        editor = make_field_editor(f, self)
        editor.edited.connect(lambda value, f=f, own=own: self._edited(f.name, value, own))
        editor.problem.connect(lambda text, name=f.name: self._set_problem(name, text))
        editor.setEnabled(not self._running)
        label = f"  {f.name}" if own else f.name  # the optimizer's own, indented under it
        self._form.addRow(label.replace("_", " "), editor)
        self.editors[f.name] = editor

    def _show(self, project: Project) -> None:
        config = project.config
        if config.optimizer != self._optimizer_shown:
            self._build(config.optimizer)
        for name, editor in self.editors.items():
            if name in OPTIMIZERS[config.optimizer].defaults():
                editor.set_value(config.optimizer_setting(name))
            else:
                editor.set_value(getattr(config, name))
            shown = config.schedule in _SCHEDULE_FIELDS.get(name, (config.schedule,))
            self._form.setRowVisible(editor, shown)

    def _edited(self, name: str, value: Any, own: bool) -> None:
        config = self.document.project.config
        try:
            if own:
                settings = {**config.optimizer_settings, name: value}
                changed: TrainConfig = config.replace(optimizer_settings=settings)
            else:
                changed = config.replace(**{name: value})
        except ConfigError as exc:
            self._set_problem(name, str(exc).removeprefix("training config: "))
            return
        self._set_problem(name, "")
        self.document.set_training_setup(config=changed)

    def problems(self) -> str:
        """The messages of the fields whose text the engine refuses, one a line."""
        return "\n".join(self._problems.values())

    def _set_problem(self, name: str, text: str) -> None:
        before = self.problems()
        if text:
            self._problems[name] = text
        else:
            self._problems.pop(name, None)
        shown = self.problems()
        self.message.setText(shown)
        self.message.setVisible(bool(shown))
        if shown != before:
            self.problemsChanged.emit(shown)

    def set_running(self, running: bool) -> None:
        """Read-only while a run is going."""
        self._running = running
        for editor in self.editors.values():
            editor.setEnabled(not running)
        self.setToolTip("Pause training to change its settings." if running else "")
