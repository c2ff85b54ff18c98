"""The editor's undo commands: one small ``QUndoCommand`` per kind of edit.

A command computes its new spec once and asks the engine which trained weights
survive (``Project.with_spec``, told where each layer came from). After that,
undo and redo swap whole projects: the one the command replaced comes back,
with the weights that went with its spec, and the one it takes away (with any
training done since) is kept for the next redo. Each command also says which
block to select afterwards. Edits typed into the same editor in one go merge
into one command, so undo steps match what a person did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from playground.layers import shape_text
from playground.project import Project
from playground.spec import NetworkSpec
from ui.editor.layer_info import format_value
from ui.editor.selection import INPUT_BLOCK, LOSS_BLOCK, BlockKey

if TYPE_CHECKING:
    from ui.document import Document

# Command ids for mergeWith; commands of one id merge only within one typing session.
_EDIT_LAYER_ID = 1
_RENAME_ID = 2

Sources = list[int | None] | None  # new layer index -> old layer index (None: a new layer)


class _ProjectCommand(QUndoCommand):
    """Replaces the document's project; undo and redo swap it with the one kept here."""

    def __init__(self, document: Document, text: str = "") -> None:
        super().__init__(text)
        self.document = document
        self._kept: Project | None = None  # the project this command's undo/redo brings back

    def new_project(self) -> Project:
        """The project this command makes, computed at its first redo."""
        raise NotImplementedError

    def focus_after(self) -> BlockKey:
        return None

    def focus_before(self) -> BlockKey:
        return self.focus_after()

    def redo(self) -> None:
        if self._kept is None:
            self._kept = self.document.project
            self.document.set_project(self.new_project(), self.focus_after())
        else:
            self._swap(self.focus_after())

    def undo(self) -> None:
        self._swap(self.focus_before())

    def _swap(self, focus: BlockKey) -> None:
        current, self._kept = self.document.project, self._kept
        self.document.set_project(self._kept, focus)
        self._kept = current


class _SpecCommand(_ProjectCommand):
    """An edit of the spec: ``edit`` gives the new spec and where each layer came from."""

    def edit(self, spec: NetworkSpec) -> tuple[NetworkSpec, Sources]:
        raise NotImplementedError

    def new_project(self) -> Project:
        spec, sources = self.edit(self.document.spec)
        return self.document.edited(spec, sources)


class InsertLayer(_SpecCommand):
    def __init__(self, document: Document, index: int, config: dict[str, Any], text: str) -> None:
        super().__init__(document, text)
        self.index, self.config = index, dict(config)

    def edit(self, spec: NetworkSpec) -> tuple[NetworkSpec, Sources]:
        old = list(range(len(spec.layers)))
        return spec.insert_layer(self.index, self.config), [
            *old[: self.index],
            None,
            *old[self.index :],
        ]

    def focus_after(self) -> BlockKey:
        return self.index

    def focus_before(self) -> BlockKey:
        return _nearest_layer(self._kept.spec, self.index - 1)


class RemoveLayer(_SpecCommand):
    def __init__(self, document: Document, index: int) -> None:
        kind = document.spec.layers[index]["type"]
        super().__init__(document, f"Remove {kind} (layer {index})")
        self.index = index

    def edit(self, spec: NetworkSpec) -> tuple[NetworkSpec, Sources]:
        sources = [i for i in range(len(spec.layers)) if i != self.index]
        return spec.remove_layer(self.index), sources

    def focus_after(self) -> BlockKey:
        return _nearest_layer(self.document.spec.remove_layer(self.index), self.index)

    def focus_before(self) -> BlockKey:
        return self.index


class MoveLayer(_SpecCommand):
    """Moves the layer at ``source`` so that it ends up at index ``target``."""

    def __init__(self, document: Document, source: int, target: int) -> None:
        kind = document.spec.layers[source]["type"]
        super().__init__(document, f"Move {kind} from {source} to {target}")
        self.source, self.target = source, target

    def edit(self, spec: NetworkSpec) -> tuple[NetworkSpec, Sources]:
        order: list[int | None] = list(range(len(spec.layers)))
        order.insert(self.target, order.pop(self.source))
        return spec.move_layer(self.source, self.target), order

    def focus_after(self) -> BlockKey:
        return self.target

    def focus_before(self) -> BlockKey:
        return self.source


class _MergingCommand(_SpecCommand):
    """A before → after change that absorbs later changes of the same session."""

    command_id = -1

    def __init__(self, document: Document, before: Any, after: Any, session: object) -> None:
        super().__init__(document)
        self.before, self.after, self.session = before, after, session
        self.setText(self.describe())

    def id(self) -> int:
        return self.command_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, type(self)) or not self.same_target(other):
            return False
        if other.session is not self.session:
            return False
        self.after = other.after
        self.setText(self.describe())
        if self.after == self.before:  # typed back to where it started: nothing changed
            self.document.set_project(self._kept, self.focus_after())
            self.setObsolete(True)
        return True

    def same_target(self, other: _MergingCommand) -> bool:
        return True

    def describe(self) -> str:
        raise NotImplementedError

    def edit(self, spec: NetworkSpec) -> tuple[NetworkSpec, Sources]:
        return self.changed(spec, self.after), None

    def changed(self, spec: NetworkSpec, value: Any) -> NetworkSpec:
        raise NotImplementedError


class EditLayer(_MergingCommand):
    """Replaces one layer's config (a changed setting)."""

    command_id = _EDIT_LAYER_ID

    def __init__(
        self,
        document: Document,
        index: int,
        after: dict[str, Any],
        session: object,
    ) -> None:
        self.index = index
        super().__init__(document, dict(document.spec.layers[index]), dict(after), session)

    def same_target(self, other: _MergingCommand) -> bool:
        return isinstance(other, EditLayer) and other.index == self.index

    def describe(self) -> str:
        changed = [k for k in self.after if self.after.get(k) != self.before.get(k)]
        where = f"of {self.after['type']} (layer {self.index})"
        if len(changed) == 1:
            return f"Set {changed[0]} {where} to {format_value(self.after[changed[0]])}"
        return f"Set {', '.join(changed) or 'settings'} {where}"

    def changed(self, spec: NetworkSpec, value: dict[str, Any]) -> NetworkSpec:
        return spec.replace_layer(self.index, value)

    def focus_after(self) -> BlockKey:
        return self.index


class RenameNetwork(_MergingCommand):
    command_id = _RENAME_ID

    def describe(self) -> str:
        return f"Rename network to {self.after!r}"

    def changed(self, spec: NetworkSpec, value: str) -> NetworkSpec:
        return spec.with_name(value)


class SetInputShape(_SpecCommand):
    def __init__(self, document: Document, shape: tuple[int, ...]) -> None:
        super().__init__(document, f"Set input shape to {shape_text(shape)}")
        self.shape = shape

    def edit(self, spec: NetworkSpec) -> tuple[NetworkSpec, Sources]:
        return spec.with_input_shape(self.shape), None

    def focus_after(self) -> BlockKey:
        return INPUT_BLOCK


class SetLoss(_SpecCommand):
    def __init__(self, document: Document, loss: str) -> None:
        super().__init__(document, f"Set loss to {loss}")
        self.loss = loss

    def edit(self, spec: NetworkSpec) -> tuple[NetworkSpec, Sources]:
        return spec.with_loss(self.loss), None

    def focus_after(self) -> BlockKey:
        return LOSS_BLOCK


class ResetWeights(_ProjectCommand):
    """Fresh weights from the seed and no history; undo brings the trained ones back."""

    def __init__(self, document: Document) -> None:
        super().__init__(document, "Reset weights")

    def new_project(self) -> Project:
        return self.document.project.untrained()


def _nearest_layer(spec: NetworkSpec, index: int) -> BlockKey:
    """The layer to select after one disappears around ``index``; the input if none is left."""
    if not spec.layers:
        return INPUT_BLOCK
    return min(max(index, 0), len(spec.layers) - 1)
