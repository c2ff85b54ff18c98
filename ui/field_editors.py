"""Typed editors for one layer setting, generated from the engine's ``Field``.

Every keystroke is checked with ``Field.validate``, the engine's own rule: a
valid value is emitted as ``edited``, an invalid one as ``problem`` with the
engine's message (and an empty ``problem`` once the text is fine again).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox, QWidget

from playground.errors import SpecError
from playground.layers import Field
from ui.layer_info import format_value, starting_value

_INT_LIMIT = 2**31 - 1
_NUMBER_CHARS = set("0123456789.eE+-")


class _TypedEditor:
    """What the inspector needs of every editor (the Qt widget classes mix this in)."""

    edited: Signal
    problem: Signal
    field: Field
    _value: Any = None  # the value shown, as last set or emitted
    _quiet = False  # True while set_value shows a value: nothing is emitted then

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting anything (unless it is already shown)."""
        if value == self._value and type(value) is type(self._value):
            return  # leave text being typed alone, e.g. "1e-5" that reads as 1e-05
        self._quiet = True
        self._value = value
        self.show_value(value)
        self._quiet = False
        self.problem.emit("")  # a value from the document replaces whatever was typed

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


class IntFieldEditor(QSpinBox, _TypedEditor):
    edited = Signal(object)
    problem = Signal(str)

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        low, high = _limits(field)
        self.setRange(int(max(low, -_INT_LIMIT)), int(min(high, _INT_LIMIT)))
        self.setAccelerated(True)
        self.lineEdit().textChanged.connect(self._on_text)  # typing, including invalid text
        self.valueChanged.connect(self._on_step)  # arrows and wheel (no textChanged then)
        # Leaving the box reverts unfinished text to the last value, which is fine again.
        self.editingFinished.connect(lambda: self._report(self.value()))

    def show_value(self, value: Any) -> None:
        number = value if _is_number(value) else starting_value(self.field)
        self.setValue(int(min(max(number, self.minimum()), self.maximum())))  # a C++ int

    def _on_step(self, value: int) -> None:
        if not self._quiet:
            self._commit(value)

    def _on_text(self, text: str) -> None:
        if self._quiet:
            return
        text = text.strip()
        if not text.lstrip("+-").isdigit():
            self.problem.emit(f"{self.field.name} needs a whole number")
            return
        self._commit(int(text))


class FloatFieldEditor(QDoubleSpinBox, _TypedEditor):
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
        self.lineEdit().textChanged.connect(self._on_text)  # typing, including invalid text
        self.valueChanged.connect(self._on_step)  # arrows and wheel (no textChanged then)
        # Leaving the box reverts unfinished text to the last value, which is fine again.
        self.editingFinished.connect(lambda: self._report(self.value()))

    def show_value(self, value: Any) -> None:
        number = value if _is_number(value) else starting_value(self.field)
        self.setValue(float(min(max(number, self.minimum()), self.maximum())))

    def textFromValue(self, value: float) -> str:
        return format_value(float(value))

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> QValidator.State:
        # Anything number-like may be typed; the engine's rule decides, with its message.
        try:
            value = float(text)
        except ValueError:
            return (
                QValidator.State.Intermediate
                if set(text) <= _NUMBER_CHARS
                else QValidator.State.Invalid
            )
        in_range = self.minimum() <= value <= self.maximum()
        return QValidator.State.Acceptable if in_range else QValidator.State.Intermediate

    def fixup(self, text: str) -> str:
        return self.textFromValue(self.value())

    def _on_step(self, value: float) -> None:
        if not self._quiet:
            self._commit(value)

    def _on_text(self, text: str) -> None:
        if self._quiet:
            return
        try:
            number = float(text)
        except ValueError:
            self.problem.emit(f"{self.field.name} needs a number")
            return
        self._commit(number)


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
