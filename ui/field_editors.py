"""Typed editors for one layer setting, generated from the engine's ``Field``.

Every keystroke is checked with ``Field.validate``, the engine's own rule: a
valid value is emitted as ``edited``, an invalid one as ``problem`` with the
engine's message (and an empty ``problem`` once the text is fine again).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox, QWidget

from playground.errors import SpecError
from playground.layers import Field
from ui.editor.layer_info import format_value, starting_value

_INT_LIMIT = 2**31 - 1
_NUMBER_CHARS = set("0123456789.eE+- ")
_REFUSED_STYLE = "color: #b3261e;"  # the inspector's error colour


class _TypedEditor:
    """What the inspector needs of every editor (the Qt widget classes mix this in)."""

    edited: Signal
    problem: Signal
    field: Field
    _value: Any = None  # the value shown, as last set or emitted
    _quiet = False  # True while set_value shows a value: nothing is emitted then
    _before_typing: Any = None  # the value when this round of typing began
    reverts_refused = False  # see _NumberEditor._refuse

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting ``edited`` (unless it is already shown); a value
        the engine refuses is shown as it is, with the engine's message as ``problem``."""
        if value == self._value and type(value) is type(self._value):
            return  # leave text being typed alone, e.g. "1e-5" that reads as 1e-05
        self._quiet = True
        self._value = self._before_typing = value
        self.show_value(value)
        self._quiet = False
        self._report(value)  # a value from the document replaces whatever was typed

    def show_value(self, value: Any) -> None:
        raise NotImplementedError

    def _commit(self, value: Any) -> None:
        """Emit ``edited`` if the engine accepts ``value`` and it differs from the shown one."""
        clean = self._report(value)
        if clean is not None and clean != self._value:
            self._value = clean
            self.edited.emit(clean)

    def _report(self, value: Any) -> Any | None:
        """Validate with the engine: emit the problem (or ""), return the clean value or None."""
        try:
            clean = self.field.validate(value)
        except SpecError as exc:
            self.problem.emit(exc.detail)
            return None
        self.problem.emit("")
        return clean


class _NumberEditor(_TypedEditor):
    """A spin box that shows what was typed, or what the file holds, even when the engine
    refuses it (in red, with the engine's message), instead of a clamped or rounded value.

    The spin box's own value stays the last one the engine accepted; ``_shown_text``
    overrides the text while it differs.
    """

    _shown_text: str | None = None  # the refused text on display, or None

    def _setup(self) -> None:
        self.lineEdit().textChanged.connect(self._on_text)  # typing, including invalid text
        self.valueChanged.connect(self._on_step)  # arrows and wheel (no textChanged then)
        self.editingFinished.connect(self._typing_done)

    def _typing_done(self) -> None:
        self._before_typing = self._value

    def show_value(self, value: Any) -> None:
        in_range = _is_number(value) and self.minimum() <= value <= self.maximum()
        try:
            self.field.validate(value)
            accepted = in_range
        except SpecError:
            accepted = False
        if accepted:
            self._show_text(None)
            self.setValue(value)
        else:
            self._show_text(format_value(value))

    def _show_text(self, text: str | None) -> None:
        """Show ``text`` in place of the value (red), or the value again for None."""
        if text is None and self._shown_text is None:
            return
        self._shown_text = text
        self.lineEdit().setStyleSheet("" if text is None else _REFUSED_STYLE)
        if text is not None and self.lineEdit().text() != text:
            self.lineEdit().setText(text)

    def _refuse(self, text: str) -> None:
        """Show refused ``text``. With ``reverts_refused``, the value goes back to what it
        was before this round of typing (typing "1.5" must not leave the network with the
        1 typed on the way); otherwise the last good value stays."""
        self._show_text(text)
        if not self.reverts_refused:
            return
        before = self._before_typing
        if before != self._value or type(before) is not type(self._value):
            self._value = before
            self.edited.emit(before)

    def textFromValue(self, value: float) -> str:
        # While a refused value is on display, leaving the box keeps it (Qt would put back
        # the spin box's own value).
        return self._shown_text if self._shown_text is not None else self._number_text(value)

    def _number_text(self, value: float) -> str:
        raise NotImplementedError

    def stepBy(self, steps: int) -> None:
        self._show_text(None)  # the arrows step from the last accepted value
        super().stepBy(steps)

    def validate(self, text: str, pos: int) -> QValidator.State:
        # Anything number-like may be typed and stays on display; the engine's rule
        # decides, with its message. Only the spin box's own range is Acceptable.
        if not set(text) <= _NUMBER_CHARS:
            return QValidator.State.Invalid
        number = _parse(text)
        if number is None or not (self.minimum() <= number <= self.maximum()):
            return QValidator.State.Intermediate
        if self.field.kind is int and not float(number).is_integer():
            return QValidator.State.Intermediate
        return QValidator.State.Acceptable

    def fixup(self, text: str) -> str:
        return text  # never rewrite what was typed

    def valueFromText(self, text: str) -> float:
        number = _parse(text)
        return self.value() if number is None else number

    def _on_step(self, value: float) -> None:
        if not self._quiet and self._shown_text is None:
            self._commit(value)

    def _on_text(self, text: str) -> None:
        if self._quiet:
            return
        number = _parse(text.strip())
        if number is None:
            self.problem.emit(f"{self.field.name} needs a number")
            self._refuse(text)
            return
        clean = self._report(number)
        if clean is None:
            self._refuse(text)
            return
        self._show_text(None)
        if clean != self._value:
            self._value = clean
            self.edited.emit(clean)


class IntFieldEditor(_NumberEditor, QSpinBox):
    edited = Signal(object)
    problem = Signal(str)

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        low, high = _limits(field)
        self.setRange(int(max(low, -_INT_LIMIT)), int(min(high, _INT_LIMIT)))
        self.setAccelerated(True)
        self._setup()

    def _number_text(self, value: float) -> str:
        return str(int(value))

    def setValue(self, value: float) -> None:
        super().setValue(int(value))  # a C++ int


class FloatFieldEditor(_NumberEditor, QDoubleSpinBox):
    """A spin box that shows floats as people write them (``1e-05``, ``0.9``)."""

    edited = Signal(object)
    problem = Signal(str)

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setDecimals(12)
        low, high = _limits(field)
        self.setRange(low, high)
        start = starting_value(field)
        self.setSingleStep(10 ** math.floor(math.log10(start)) if start > 0 else 0.1)
        self._setup()

    def _number_text(self, value: float) -> str:
        return format_value(float(value))

    def setValue(self, value: float) -> None:
        super().setValue(float(value))


class BoolFieldEditor(QCheckBox, _TypedEditor):
    edited = Signal(object)
    problem = Signal(str)

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.toggled.connect(self._on_toggled)

    def show_value(self, value: Any) -> None:
        self.setChecked(bool(value))

    def _on_toggled(self, checked: bool) -> None:
        if not self._quiet:
            self._commit(checked)


class ChoiceFieldEditor(QComboBox, _TypedEditor):
    """One of the field's ``choices`` (an optimizer, a schedule)."""

    edited = Signal(object)
    problem = Signal(str)

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.addItems(list(field.choices))
        self.currentTextChanged.connect(self._on_chosen)

    def show_value(self, value: Any) -> None:
        self.setCurrentIndex(self.findText(str(value)))

    def _on_chosen(self, text: str) -> None:
        if not self._quiet and text:
            self._commit(text)


def make_field_editor(field: Field, parent: QWidget | None = None) -> QWidget:
    """The editor for one setting: a spin box for numbers, a check box for booleans, a
    list for choices."""
    if field.kind is bool:
        editor: QWidget = BoolFieldEditor(field, parent)
    elif field.kind is str:
        editor = ChoiceFieldEditor(field, parent)
    elif field.kind is int:
        editor = IntFieldEditor(field, parent)
    else:
        editor = FloatFieldEditor(field, parent)
    editor.setObjectName(f"field_{field.name}")
    editor.setToolTip(field.help)
    return editor


class _UndoGoesToTheWindow(QObject):
    """Lets Undo and Redo reach the window's actions while an editor has focus.

    A line edit claims Ctrl+Z for its own text (a ShortcutOverride it accepts), so the
    network's undo would never fire from a field. Every keystroke here is already an
    edit of the network, so undoing the network is what Ctrl+Z should do.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_undo_or_redo(event):
            event.ignore()  # not claimed: the shortcut goes to the window's action
            return True
        return False


def _is_undo_or_redo(event: QKeyEvent) -> bool:
    keys = QKeySequence(event.keyCombination())
    return (
        event.matches(QKeySequence.StandardKey.Undo)
        or event.matches(QKeySequence.StandardKey.Redo)
        or keys == QKeySequence("Ctrl+Y")  # the window's second redo key
    )


def as_network_editor(widget: QWidget) -> None:
    """Make ``widget`` an editor of the network spec, whose every edit is on the document's
    undo stack (the inspector's): Ctrl+Z (and redo) in it undo the network, not its text,
    and text the engine refuses leaves the network as it was before the typing."""
    if isinstance(widget, _TypedEditor):
        widget.reverts_refused = True
    undo_filter = _UndoGoesToTheWindow(widget)  # owned by the widget
    widget.installEventFilter(undo_filter)
    if hasattr(widget, "lineEdit"):  # a spin box's own line edit may hold the focus
        widget.lineEdit().installEventFilter(undo_filter)


def _parse(text: str) -> int | float | None:
    """``"12"`` -> 12, ``"1.5"`` or ``"1e-3"`` -> a float, anything else -> None."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def _is_number(value: Any) -> bool:
    """A usable int or finite float (a file may hold anything)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _limits(field: Field) -> tuple[float, float]:
    """The spin box's stepping range; exclusive bounds are left to the engine's message."""
    low = field.minimum if field.minimum is not None else -float(_INT_LIMIT)
    high = field.maximum if field.maximum is not None else float(_INT_LIMIT)
    return float(low), float(high)
