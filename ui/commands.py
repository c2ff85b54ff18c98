"""The editor's undo commands: one small ``QUndoCommand`` per kind of edit.

Each command holds just enough to redo and undo its edit on the document's
``NetworkSpec`` (specs are immutable values, so an edit never mutates the old
one) and says which block to select afterwards. Edits typed into the same
editor in one go merge into one command, so undo steps match what a person did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from playground.layers import shape_text
from playground.spec import NetworkSpec
from ui.layer_info import format_value
from ui.selection import INPUT_BLOCK, LOSS_BLOCK, BlockKey

if TYPE_CHECKING:
    from ui.document import Document

# Command ids for mergeWith; commands of one id merge only within one typing session.
_EDIT_LAYER_ID = 1
_RENAME_ID = 2


class InsertLayer(QUndoCommand):
    def __init__(self, document: Document, index: int, config: dict[str, Any], text: str) -> None:
        super().__init__(text)
        self.document, self.index, self.config = document, index, dict(config)

    def redo(self) -> None:
        self.document.apply(self.document.spec.insert_layer(self.index, self.config), self.index)

    def undo(self) -> None:
        spec = self.document.spec.remove_layer(self.index)
        self.document.apply(spec, _nearest_layer(spec, self.index - 1))


class RemoveLayer(QUndoCommand):
    def __init__(self, document: Document, index: int) -> None:
        self.document, self.index = document, index
        self.config = dict(document.spec.layers[index])
        super().__init__(f"Remove {self.config['type']} (layer {index})")

    def redo(self) -> None:
        spec = self.document.spec.remove_layer(self.index)
        self.document.apply(spec, _nearest_layer(spec, self.index))

    def undo(self) -> None:
        self.document.apply(self.document.spec.insert_layer(self.index, self.config), self.index)


class MoveLayer(QUndoCommand):
    """Moves the layer at ``source`` so that it ends up at index ``target``."""

    def __init__(self, document: Document, source: int, target: int) -> None:
        kind = document.spec.layers[source]["type"]
        super().__init__(f"Move {kind} from {source} to {target}")
        self.document, self.source, self.target = document, source, target

    def redo(self) -> None:
        self.document.apply(self.document.spec.move_layer(self.source, self.target), self.target)

    def undo(self) -> None:
        self.document.apply(self.document.spec.move_layer(self.target, self.source), self.source)


class _MergingCommand(QUndoCommand):
    """A before → after change that absorbs later changes of the same session."""

    command_id = -1

    def __init__(self, document: Document, before: Any, after: Any, session: object) -> None:
        super().__init__()
        self.document, self.before, self.after, self.session = document, before, after, session
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
        self.setObsolete(self.after == self.before)  # typed back to where it started
        return True

    def same_target(self, other: _MergingCommand) -> bool:
        return True

    def describe(self) -> str:
        raise NotImplementedError

    def redo(self) -> None:
        self.set(self.after)

    def undo(self) -> None:
        self.set(self.before)

    def set(self, value: Any) -> None:
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

    def set(self, value: dict[str, Any]) -> None:
        self.document.apply(self.document.spec.replace_layer(self.index, value), self.index)


class RenameNetwork(_MergingCommand):
    command_id = _RENAME_ID

    def describe(self) -> str:
        return f"Rename network to {self.after!r}"

    def set(self, value: str) -> None:
        self.document.apply(self.document.spec.with_name(value))


class SetInputShape(QUndoCommand):
    def __init__(self, document: Document, shape: tuple[int, ...]) -> None:
        super().__init__(f"Set input shape to {shape_text(shape)}")
        self.document, self.before, self.after = document, document.spec.input_shape, shape

    def redo(self) -> None:
        self.document.apply(self.document.spec.with_input_shape(self.after), INPUT_BLOCK)

    def undo(self) -> None:
        self.document.apply(self.document.spec.with_input_shape(self.before), INPUT_BLOCK)


class SetLoss(QUndoCommand):
    def __init__(self, document: Document, loss: str) -> None:
        super().__init__(f"Set loss to {loss}")
        self.document, self.before, self.after = document, document.spec.loss, loss

    def redo(self) -> None:
        self.document.apply(self.document.spec.with_loss(self.after), LOSS_BLOCK)

    def undo(self) -> None:
        self.document.apply(self.document.spec.with_loss(self.before), LOSS_BLOCK)


def _nearest_layer(spec: NetworkSpec, index: int) -> BlockKey:
    """The layer to select after one disappears around ``index``; the input if none is left."""
    if not spec.layers:
        return INPUT_BLOCK
    return min(max(index, 0), len(spec.layers) - 1)
