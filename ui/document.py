"""``Document``: the network being edited with its trained state, its file and its history.

The document owns the current ``Project``: the ``NetworkSpec`` being edited and
everything that goes with it (training setup, weights, optimizer state, history).
It is the one owner the editor, the training panel, the step-through view and the
draw pad all read. A project is never changed in place: every change replaces
it (``projectChanged``), so a view can keep the one it read as a snapshot.

Every edit of the spec goes through a command on the one ``QUndoStack``; the
engine decides which trained weights survive it (``Project.with_spec``), and
undo and redo swap whole projects, so the weights that went with each spec come
back with it. Training hands its progress over with ``take_training``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from playground.project import Project
from playground.spec import NetworkSpec
from ui.editor import commands
from ui.editor.layer_info import starting_config
from ui.editor.selection import BlockKey


class Document(QObject):
    """The current project, its file, and every edit of its spec as an undoable command."""

    specChanged = Signal(object)  # the new NetworkSpec (emitted only when the spec changed)
    projectChanged = Signal(object)  # the new Project (any change: spec, weights, settings)
    focusRequested = Signal(object)  # the BlockKey an edit wants selected
    pathChanged = Signal(object)  # Path | None
    modifiedChanged = Signal(bool)
    replaced = Signal()  # a whole new network (New, Open, a preset): the history starts over

    def __init__(self, project: Project, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._project = project
        self._saved = project  # as opened or last saved: what "modified" compares with
        self._path = path
        self.undo_stack = QUndoStack(self)

    @property
    def project(self) -> Project:
        """The current project: the edited spec with the trained state that fits it."""
        return self._project

    @property
    def spec(self) -> NetworkSpec:
        return self._project.spec

    @property
    def path(self) -> Path | None:
        """The file this network is saved in; None for a new network or a preset."""
        return self._path

    @property
    def is_modified(self) -> bool:
        """Whether the project changed since it was opened or saved (an edit, training, a
        setting); undoing back to that point makes it unmodified again."""
        return self._project is not self._saved

    # -- replacing the project ---------------------------------------------------
    def set_project(self, project: Project, focus: BlockKey = None) -> None:
        """Make ``project`` the current one (commands, training and settings call this)."""
        old, was_modified = self._project, self.is_modified
        self._project = project
        if project.spec is not old.spec:
            self.specChanged.emit(project.spec)
        self.projectChanged.emit(project)
        if focus is not None:
            self.focusRequested.emit(focus)
        if self.is_modified != was_modified:
            self.modifiedChanged.emit(self.is_modified)

    def edited(self, spec: NetworkSpec, sources: Sequence[int | None] | None = None) -> Project:
        """The current project with ``spec`` in it (see ``Project.with_spec``)."""
        return self._project.with_spec(spec, sources)

    def take_training(self, project: Project) -> None:
        """A snapshot of a training run (weights, optimizer state, history) is now current."""
        self.set_project(project)

    def set_training_setup(self, **changes: Any) -> None:
        """Change the training config, dataset or dataset options (``Project`` fields)."""
        self.set_project(dataclasses.replace(self._project, **changes))

    # -- whole documents -----------------------------------------------------------
    def replace(self, project: Project, path: Path | None) -> None:
        """Start over with another project (New, Open, a preset); the history is cleared."""
        self.undo_stack.clear()
        self._saved = project
        self._set_path(path)
        self.replaced.emit()
        self.set_project(project)

    def project_to_save(self) -> Project:
        """What saving writes: the current project; an invalid spec without weights
        (they can only be checked against a valid one)."""
        if self.spec.is_valid or self._project.weights is None:
            return self._project
        return self._project.untrained()

    def mark_saved(self, project: Project, path: Path) -> None:
        """``project`` (from ``project_to_save``) is now in ``path``."""
        if project is not self._project:
            self.set_project(project)
        self._saved = project
        self._set_path(path)
        self.undo_stack.setClean()
        self.modifiedChanged.emit(False)

    def _set_path(self, path: Path | None) -> None:
        if path != self._path:
            self._path = path
            self.pathChanged.emit(path)

    # -- edits ---------------------------------------------------------------------
    def add_layer(self, index: int, type_name: str) -> None:
        """Insert a new layer of ``type_name`` with its starting settings at ``index``."""
        config = starting_config(type_name)
        self.undo_stack.push(
            commands.InsertLayer(self, index, config, f"Add {type_name} at {index}")
        )

    def duplicate_layer(self, index: int) -> None:
        config = self.spec.layers[index]
        text = f"Duplicate {config['type']} (layer {index})"
        self.undo_stack.push(commands.InsertLayer(self, index + 1, config, text))

    def remove_layer(self, index: int) -> None:
        self.undo_stack.push(commands.RemoveLayer(self, index))

    def move_layer(self, source: int, target: int) -> None:
        """Move the layer at ``source`` to end up at ``target``; no command if it stays put."""
        if source != target:
            self.undo_stack.push(commands.MoveLayer(self, source, target))

    def set_layer_config(self, index: int, config: dict[str, Any], session: object = None) -> None:
        """Change one layer's settings; edits with the same ``session`` merge into one step."""
        self.spec.replace_layer(index, config)  # raises SpecError for an unknown type
        if config != self.spec.layers[index]:
            self.undo_stack.push(commands.EditLayer(self, index, config, session or object()))

    def set_input_shape(self, shape: tuple[int, ...]) -> None:
        self.spec.with_input_shape(tuple(shape))  # raises SpecError before anything is pushed
        if tuple(shape) != self.spec.input_shape:
            self.undo_stack.push(commands.SetInputShape(self, tuple(shape)))

    def reset_weights(self) -> None:
        """Fresh weights from the seed, no history (undoable)."""
        self.undo_stack.push(commands.ResetWeights(self))

    def set_loss(self, loss: str) -> None:
        self.spec.with_loss(loss)  # raises SpecError for an unknown loss
        if loss != self.spec.loss:
            self.undo_stack.push(commands.SetLoss(self, loss))

    def set_name(self, name: str, session: object = None) -> None:
        if name != self.spec.name:
            before = self.spec.name
            self.undo_stack.push(commands.RenameNetwork(self, before, name, session or object()))
