"""``Document``: the network being edited, the project it belongs to, its file and its history.

The document owns the ``NetworkSpec``; views never hold the truth, they mirror
``specChanged``. Every edit goes through a command on the one ``QUndoStack``,
so it can be undone; ``apply`` is what those commands call. The project it was
opened from keeps the training setup and weights that saving writes back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from playground.project import Project
from playground.spec import NetworkSpec
from ui import commands
from ui.files import with_edited_spec
from ui.layer_info import starting_config
from ui.selection import BlockKey


class Document(QObject):
    """The spec being edited, its project and file, and every edit as an undoable command."""

    specChanged = Signal(object)  # the new NetworkSpec
    focusRequested = Signal(object)  # the BlockKey an edit wants selected
    pathChanged = Signal(object)  # Path | None
    replaced = Signal()  # a whole new network (New, Open, a preset): the history starts over

    def __init__(self, project: Project, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._project = project
        self._spec = project.spec
        self._path = path
        self.undo_stack = QUndoStack(self)

    @property
    def spec(self) -> NetworkSpec:
        return self._spec

    @property
    def project(self) -> Project:
        """The project as opened or last saved: the edited spec is not in it yet."""
        return self._project

    def project_to_save(self) -> Project:
        """The project with the edited spec in it; its weights only if they still fit."""
        return with_edited_spec(self._project, self._spec)

    @property
    def path(self) -> Path | None:
        """The file this network is saved in; None for a new network or a preset."""
        return self._path

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    # -- called by commands ------------------------------------------------------
    def apply(self, spec: NetworkSpec, focus: BlockKey = None) -> None:
        """Replace the spec (only undo commands call this) and tell the views."""
        self._spec = spec
        self.specChanged.emit(spec)
        if focus is not None:
            self.focusRequested.emit(focus)

    # -- whole documents -----------------------------------------------------------
    def replace(self, project: Project, path: Path | None) -> None:
        """Start over with another project (New, Open, a preset); the history is cleared."""
        self.undo_stack.clear()
        self._project = project
        self._spec = project.spec
        self._set_path(path)
        self.replaced.emit()
        self.specChanged.emit(self._spec)

    def mark_saved(self, project: Project, path: Path) -> None:
        """``project`` (from ``project_to_save``) is now in ``path``."""
        self._project = project
        self._set_path(path)
        self.undo_stack.setClean()

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
        config = self._spec.layers[index]
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
        self._spec.replace_layer(index, config)  # raises SpecError for an unknown type
        if config != self._spec.layers[index]:
            self.undo_stack.push(commands.EditLayer(self, index, config, session or object()))

    def set_input_shape(self, shape: tuple[int, ...]) -> None:
        self._spec.with_input_shape(tuple(shape))  # raises SpecError before anything is pushed
        if tuple(shape) != self._spec.input_shape:
            self.undo_stack.push(commands.SetInputShape(self, tuple(shape)))

    def set_loss(self, loss: str) -> None:
        self._spec.with_loss(loss)  # raises SpecError for an unknown loss
        if loss != self._spec.loss:
            self.undo_stack.push(commands.SetLoss(self, loss))

    def set_name(self, name: str, session: object = None) -> None:
        if name != self._spec.name:
            before = self._spec.name
            self.undo_stack.push(commands.RenameNetwork(self, before, name, session or object()))
