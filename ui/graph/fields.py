"""A field per variable of the graph, as many to a row as the width allows."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QScrollArea, QWidget

from playground.layers import Field
from ui.field_editors import FloatFieldEditor

FIELD_WIDTH = 84  # the spin box's own size hint fits ±2³¹ to 12 decimals: far too wide
PAIR_WIDTH = FIELD_WIDTH + 44  # a name and its field, with spacing


class ValueFields(QScrollArea):
    """Editors for the values of named variables; emits what is typed, checked by the engine."""

    edited = Signal(str, float)  # variable name, new value
    problem = Signal(str, str)  # variable name, message ("" once the text is fine again)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graphValues")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.box = QWidget()
        self.grid = QGridLayout(self.box)
        self.grid.setContentsMargins(2, 2, 2, 2)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setWidget(self.box)
        self.editors: dict[str, FloatFieldEditor] = {}
        self._pairs: list[QWidget] = []
        self._columns = 0

    def set_variables(self, names: tuple[str, ...], values: Mapping[str, float]) -> None:
        """One field per name, showing ``values[name]`` (fields of the same names are kept)."""
        if tuple(self.editors) != names:
            for pair in self._pairs:
                self.grid.removeWidget(pair)
                pair.setParent(None)  # gone from the view now, not at the next event loop
                pair.deleteLater()
            self.editors, self._pairs = {}, []
            for name in names:
                self._pairs.append(self._pair(name, values[name]))
            self._columns = 0
            self._reflow()
        for name, editor in self.editors.items():
            editor.set_value(values[name])

    def _pair(self, name: str, value: float) -> QWidget:
        editor = FloatFieldEditor(Field(name, float, default=value))
        editor.setObjectName(f"graphValue_{name}")
        editor.setFixedWidth(FIELD_WIDTH)
        editor.edited.connect(lambda v, name=name: self.edited.emit(name, float(v)))
        editor.problem.connect(lambda message, name=name: self.problem.emit(name, message))
        label = QLabel(name)
        label.setBuddy(editor)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        pair = QWidget()
        row = QHBoxLayout(pair)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label, 1)
        row.addWidget(editor)
        self.editors[name] = editor
        return pair

    def _reflow(self) -> None:
        columns = max(1, self.viewport().width() // PAIR_WIDTH)
        if columns == self._columns:
            return
        self._columns = columns
        for pair in self._pairs:
            self.grid.removeWidget(pair)
        for k, pair in enumerate(self._pairs):
            self.grid.addWidget(pair, k // columns, k % columns)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._reflow()
