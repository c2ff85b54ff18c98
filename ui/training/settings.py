"""The training settings form, generated from ``TRAIN_FIELDS`` and the optimizer's own
fields, as the inspector is generated from the layers' fields.

Each editor checks every keystroke with the engine's ``Field`` rule and shows
its message under the form; a valid value replaces the document's training
config (from the next step when training is paused). While a run is going the
form is read-only: pause to change a setting.
"""

from __future__ import annotations

from typing import Any

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

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingSettings")
        self.document = document
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, QWidget] = {}
        self._optimizer_shown: str | None = None
        self._running = False
        self.message = QLabel()
        self.message.setObjectName("trainingSettingsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)  # above the form: in sight while typing in it
        layout.addLayout(self._form)
        document.projectChanged.connect(self._show)
        self._show(document.project)

    def _build(self, optimizer: str) -> None:
        """One editor per training field, the optimizer's own fields right after it."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self.editors = {}
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
        editor.problem.connect(self._show_problem)
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
            self._show_problem(str(exc).removeprefix("training config: "))
            return
        self._show_problem("")
        self.document.set_training_setup(config=changed)

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def set_running(self, running: bool) -> None:
        """Read-only while a run is going."""
        self._running = running
        for editor in self.editors.values():
            editor.setEnabled(not running)
        self.setToolTip("Pause training to change its settings." if running else "")
