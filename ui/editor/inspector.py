"""The inspector: the network's input shape, name and loss, and the selected layer's settings.

Editors are generated from the layer's ``Field``s and validated as you type
with the engine's rules; valid values go to the document as undoable edits,
and what one typing session changes merges into one undo step.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from playground.errors import SpecError
from playground.losses import LOSSES
from playground.spec import NetworkSpec
from ui.document import Document
from ui.editor.blocks import display_shape
from ui.editor.layer_info import field_label, layer_class
from ui.editor.selection import INPUT_BLOCK, LOSS_BLOCK, BlockKey
from ui.field_editors import as_network_editor, make_field_editor

_ERROR_STYLE = "color: #b3261e;"
_MUTED_STYLE = "color: #5d6773;"


def parse_shape(text: str) -> tuple[int, ...] | None:
    """``"1x28x28"``, ``"1, 28, 28"``, ``"1×28×28"`` or ``"784"`` -> a tuple, or None."""
    parts = [p for p in re.split(r"[x×,\s]+", text.strip()) if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(_ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _show_message(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class LayerInspector(QScrollArea):
    """Edits the network's settings and the selected layer's, through the document."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerInspector")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.document = document
        self._key: BlockKey = None
        self._layer_type: str | None = None  # the type the layer form was built for
        self._session = object()  # edits with the same session merge into one undo step
        self.editors: dict[str, QWidget] = {}  # field name -> editor, for the selected layer
        self._field_messages: dict[str, QLabel] = {}

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self._build_network_box())
        self._layer_box = QGroupBox("Layer")
        QVBoxLayout(self._layer_box).setContentsMargins(0, 0, 0, 0)
        self._layer_page: QWidget | None = None  # replaced whole when another layer is shown
        layout.addWidget(self._layer_box)
        layout.addStretch(1)
        self.setWidget(body)

        document.specChanged.connect(self._refresh)
        document.replaced.connect(self._new_session)
        self.show_block(None)

    # -- the network box: name, input shape, loss ------------------------------------
    def _build_network_box(self) -> QGroupBox:
        box = QGroupBox("Network")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("networkNameEdit")
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.name_edit.editingFinished.connect(self._new_session)
        as_network_editor(self.name_edit)
        form.addRow("Name", self.name_edit)

        self.input_edit = QLineEdit()
        self.input_edit.setObjectName("inputShapeEdit")
        self.input_edit.setPlaceholderText("e.g. 1x28x28 or 2")
        self.input_edit.setToolTip(
            "The shape of one sample: features (e.g. 2) or channels×height×width (e.g. 1x28x28)."
        )
        self.input_edit.textEdited.connect(self._on_input_edited)
        self.input_edit.editingFinished.connect(self._on_input_finished)
        as_network_editor(self.input_edit)
        self.input_message = _message_label()
        form.addRow("Input shape", self.input_edit)
        form.addRow(self.input_message)

        self.loss_combo = QComboBox()
        self.loss_combo.setObjectName("lossCombo")
        for i, (name, cls) in enumerate(LOSSES.items()):
            self.loss_combo.addItem(name)
            tip = f"Forward: {cls.forward_doc}\nBackward: {cls.backward_doc}"
            self.loss_combo.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self.loss_combo.activated.connect(self._on_loss_chosen)
        self.loss_message = _message_label()
        form.addRow("Loss", self.loss_combo)
        form.addRow(self.loss_message)
        return box

    def _on_name_edited(self, text: str) -> None:
        self.document.set_name(text, self._session)

    def _checked_input_shape(self) -> tuple[int, ...] | None:
        """The typed input shape if the engine accepts it; otherwise show why and return None."""
        shape = parse_shape(self.input_edit.text())
        if shape is None:
            _show_message(
                self.input_message, "write the shape as numbers, e.g. 1x28x28 or 2 (features)"
            )
            return None
        try:
            self.document.spec.with_input_shape(shape)
        except SpecError as exc:
            _show_message(self.input_message, exc.detail)
            return None
        _show_message(self.input_message, "")
        return shape

    def _on_input_edited(self, text: str) -> None:
        self._checked_input_shape()

    def _on_input_finished(self) -> None:
        # Applied on Return or leaving the box: the shapes typed on the way ("3" of "3x32x32")
        # would each reshape the whole network.
        shape = self._checked_input_shape()
        if shape is not None:
            self.document.set_input_shape(shape)

    def _on_loss_chosen(self, row: int) -> None:
        self.document.set_loss(self.loss_combo.itemText(row))

    # -- the selected layer ------------------------------------------------------------
    def show_block(self, key: BlockKey) -> None:
        """Show the block selected on the canvas (connected to its ``selectionChanged``)."""
        self._key = key
        self._layer_type = None
        self._new_session()
        self._refresh(self.document.spec)

    def _new_session(self) -> None:
        self._session = object()

    def _refresh(self, spec: NetworkSpec) -> None:
        self._refresh_network(spec)
        index = self._key if isinstance(self._key, int) and self._key < len(spec.layers) else None
        if index is None:
            self._build_empty_layer_form()
            return
        config = spec.layers[index]
        if config["type"] != self._layer_type:
            self._build_layer_form(index, config)
        self._refresh_layer(spec, index)

    def _refresh_network(self, spec: NetworkSpec) -> None:
        if self.name_edit.text() != spec.name:
            self.name_edit.setText(spec.name)
        if parse_shape(self.input_edit.text()) != spec.input_shape:
            self.input_edit.setText(display_shape(spec.input_shape))
            _show_message(self.input_message, "")  # what was typed is gone, so is its problem
        self.loss_combo.setCurrentText(spec.loss)
        loss_errors = [e for e in spec.errors() if e.layer_index is None]
        _show_message(self.loss_message, loss_errors[0].detail if loss_errors else "")

    def _new_layer_page(self) -> tuple[QWidget, QVBoxLayout]:
        """A fresh page for the layer box, to fill and then show with ``_show_layer_page``."""
        self.editors, self._field_messages = {}, {}
        page = QWidget()
        return page, QVBoxLayout(page)

    def _show_layer_page(self, page: QWidget) -> None:
        """Show the built page in place of the previous one."""
        if self._layer_page is not None:
            self._layer_page.hide()
            self._layer_page.deleteLater()
        self._layer_page = page
        self._layer_box.layout().addWidget(self._layer_page)
        self._layer_page.show()  # now, not when the event loop gets to it

    def _build_empty_layer_form(self) -> None:
        if self._layer_type == "":
            return
        page, rows = self._new_layer_page()
        self._layer_type = ""
        self._layer_box.setTitle("Layer")
        whole_network = self._key in (INPUT_BLOCK, LOSS_BLOCK)
        hint = QLabel(
            "The input shape and the loss are set under Network above."
            if whole_network
            else "Select a layer on the canvas to edit its settings."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(_MUTED_STYLE)
        rows.addWidget(hint)
        self._show_layer_page(page)

    def _build_layer_form(self, index: int, config: dict[str, Any]) -> None:
        page, rows = self._new_layer_page()
        type_name = config["type"]
        self._layer_type = type_name
        cls = layer_class(type_name)
        self.layer_summary = QLabel()
        self.layer_summary.setWordWrap(True)
        rows.addWidget(self.layer_summary)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in cls.fields:
            editor = make_field_editor(f)
            as_network_editor(editor)
            message = _message_label()
            editor.edited.connect(lambda value, name=f.name: self._on_field_edited(name, value))
            editor.problem.connect(lambda text, label=message: _show_message(label, text))
            if hasattr(editor, "editingFinished"):
                editor.editingFinished.connect(self._new_session)
            form.addRow(field_label(f), editor)
            form.addRow(message)
            self.editors[f.name] = editor
            self._field_messages[f.name] = message
        if not cls.fields:
            none = QLabel("This layer has no settings.")
            none.setStyleSheet(_MUTED_STYLE)
            form.addRow(none)
        rows.addLayout(form)

        self.layer_error = _message_label()
        self.layer_error.setObjectName("layerError")
        rows.addWidget(self.layer_error)

        docs = QLabel(f"<b>Forward:</b> {cls.forward_doc}<br><b>Backward:</b> {cls.backward_doc}")
        docs.setWordWrap(True)
        docs.setStyleSheet(_MUTED_STYLE)
        rows.addWidget(docs)
        self._show_layer_page(page)

    def _refresh_layer(self, spec: NetworkSpec, index: int) -> None:
        config = spec.layers[index]
        check = spec.check()[index]
        self._layer_box.setTitle(f"Layer {index}: {config['type']}")
        if check.output_shape is None:
            self.layer_summary.setText("Output: unknown until the layers above are valid")
        else:
            self.layer_summary.setText(
                f"Output: {display_shape(check.output_shape)} · {check.param_count:,} parameters"
            )
        for name, editor in self.editors.items():
            if name in config:
                editor.set_value(config[name])
        _show_message(self.layer_error, str(check.error) if check.error else "")

    def _on_field_edited(self, name: str, value: Any) -> None:
        index = self._key
        if not isinstance(index, int):
            return
        config = {**self.document.spec.layers[index], name: value}
        self.document.set_layer_config(index, config, self._session)
