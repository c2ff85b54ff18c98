"""The inspector: typed editors from the engine's fields, validated as you type."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QSpinBox

from playground.layers import LAYER_TYPES
from ui.editor.selection import INPUT_BLOCK, LOSS_BLOCK


def type_into(qtbot, editor, text: str) -> None:
    """Select what the editor shows and type ``text`` over it, key by key."""
    line = editor.lineEdit() if hasattr(editor, "lineEdit") else editor
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)


def visible_message(label) -> str:
    return label.text() if label.isVisibleTo(label.window()) else ""


@pytest.mark.parametrize("name", list(LAYER_TYPES))
def test_each_layer_gets_one_typed_editor_per_field(window, name):
    window.document.add_layer(0, name)
    editors = window.inspector.editors
    fields = LAYER_TYPES[name].fields
    assert list(editors) == [f.name for f in fields]
    kinds = {int: QSpinBox, float: QDoubleSpinBox, bool: QCheckBox}
    for f in fields:
        assert isinstance(editors[f.name], kinds[f.kind])


def test_typing_a_setting_changes_the_spec_in_one_undo_step(window, qtbot):
    window.canvas.select(4)
    type_into(qtbot, window.inspector.editors["units"], "256")
    assert window.document.spec.layers[4] == {"type": "dense", "units": 256}
    assert window.document.undo_stack.count() == 1
    assert window.canvas.blocks()[5].content.params == "1,106,176 params"
    window.document.undo_stack.undo()
    assert window.document.spec.layers[4]["units"] == 100
    assert window.inspector.editors["units"].value() == 100


def test_an_invalid_value_shows_the_engines_message_and_changes_nothing(window, qtbot):
    window.canvas.select(4)
    before = window.document.spec
    type_into(qtbot, window.inspector.editors["units"], "0")
    message = window.inspector._field_messages["units"]
    assert visible_message(message) == "units 0 must be >= 1"
    assert window.document.spec == before
    type_into(qtbot, window.inspector.editors["units"], "5")
    assert visible_message(message) == ""
    assert window.document.spec.layers[4]["units"] == 5


def test_float_settings_validate_with_the_engines_bounds(window, qtbot):
    window.document.add_layer(5, "dropout")
    editor = window.inspector.editors["rate"]
    message = window.inspector._field_messages["rate"]
    type_into(qtbot, editor, "1")
    assert visible_message(message) == "rate 1.0 must be < 1"
    assert window.document.spec.layers[5]["rate"] == 0.5
    type_into(qtbot, editor, "0.25")
    assert window.document.spec.layers[5]["rate"] == 0.25
    assert visible_message(message) == ""


def test_small_floats_are_shown_and_typed_as_written(window, qtbot):
    window.document.add_layer(1, "batchnorm")
    editor = window.inspector.editors["eps"]
    assert editor.text() == "1e-05"
    type_into(qtbot, editor, "1e-3")
    assert window.document.spec.layers[1]["eps"] == 0.001
    assert editor.text() == "1e-3"


def test_stepping_with_the_arrow_keys_edits_too(window, qtbot):
    window.canvas.select(0)
    editor = window.inspector.editors["kernel_size"]
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Down)
    assert window.document.spec.layers[0]["kernel_size"] == 4


def test_a_setting_that_breaks_the_network_shows_the_error_on_the_layer(window, qtbot):
    window.canvas.select(0)
    type_into(qtbot, window.inspector.editors["kernel_size"], "29")
    expected = "layer 0 (conv2d): kernel_size 29 does not fit input 28x28 (padding 0)"
    assert window.canvas.blocks()[1].content.error == expected
    assert visible_message(window.inspector.layer_error) == expected
    assert "29" in window.inspector.editors["kernel_size"].text()  # still editable


def test_the_input_shape_is_typed_and_checked(window, qtbot):
    window.canvas.select(INPUT_BLOCK)
    inspector = window.inspector
    type_into(qtbot, inspector.input_edit, "3x32x32")
    assert window.document.spec.input_shape == (1, 28, 28)  # applied on Return
    qtbot.keyClick(inspector.input_edit, Qt.Key.Key_Return)
    assert window.document.spec.input_shape == (3, 32, 32)
    assert window.canvas.blocks()[0].content.shape == "3×32×32"
    assert window.document.undo_stack.count() == 1
    type_into(qtbot, inspector.input_edit, "3x32")
    assert "input_shape (3, 32) must be" in visible_message(inspector.input_message)
    type_into(qtbot, inspector.input_edit, "big")
    assert "write the shape as numbers" in visible_message(inspector.input_message)
    qtbot.keyClick(inspector.input_edit, Qt.Key.Key_Return)
    assert window.document.spec.input_shape == (3, 32, 32)
    assert window.document.undo_stack.count() == 1


def test_the_loss_is_chosen_from_the_engines_losses(window, qtbot):
    window.canvas.select(LOSS_BLOCK)
    combo = window.inspector.loss_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["softmax_cross_entropy", "mse"]
    combo.activated.emit(1)
    assert window.document.spec.loss == "mse"
    assert window.canvas.blocks()[-1].content.detail == "mse"


def test_the_network_can_be_renamed(window, qtbot):
    type_into(qtbot, window.inspector.name_edit, "Mine")
    assert window.document.spec.name == "Mine"
    assert window.windowTitle().startswith("Mine")


def test_undo_updates_the_editors(window, qtbot):
    window.canvas.select(0)
    type_into(qtbot, window.inspector.editors["filters"], "8")
    window.inspector.editors["filters"].editingFinished.emit()
    type_into(qtbot, window.inspector.editors["padding"], "2")
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.inspector.editors["filters"].value() == 30
    assert window.inspector.editors["padding"].value() == 0


def test_switching_layers_leaves_only_the_new_layers_editors(window):
    from PySide6.QtWidgets import QAbstractSpinBox, QLabel

    for index in (4, 3, 0):
        window.canvas.select(index)
    box = window.inspector._layer_box
    shown = [w for w in box.findChildren(QAbstractSpinBox) if w.isVisibleTo(window)]
    assert sorted(w.objectName() for w in shown) == [
        "field_filters",
        "field_kernel_size",
        "field_padding",
        "field_stride",
    ]
    texts = [w.text() for w in box.findChildren(QLabel) if w.isVisibleTo(window)]
    assert "This layer has no settings." not in texts
    assert box.title() == "Layer 0: conv2d"


def test_odd_values_from_a_file_are_shown_red_and_stay_editable(window, tmp_path, qtbot):
    import json

    layers = [
        {"type": "flatten"},
        {"type": "dense", "units": 10**400},
        {"type": "dense", "units": "many"},
        {"type": "dense"},
        {"type": "dropout", "rate": True},
        {"type": "batchnorm", "eps": -1},
        {"type": "relu", "extra": 1},
        {"type": "dense", "units": 10},
    ]
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"input_shape": [1, 28, 28], "layers": layers}))
    assert window.open_file(path)
    errors = [b.content.error for b in window.canvas.blocks()[1:-1]]
    assert errors[0] is None
    assert errors[1] == (
        "layer 1 (dense): output holds about 1e400 values per sample, "
        "more than the limit of 20,000,000"
    )
    assert "units 'many' must be a number" in errors[2]
    assert "missing field 'units'" in errors[3]
    assert "rate True must be a number" in errors[4]
    assert "eps -1.0 must be > 0" in errors[5]
    assert "unknown field 'extra'" in errors[6]
    for index in range(len(layers)):
        window.canvas.select(index)  # every editor copes with what it is given
    window.canvas.select(3)
    line = window.inspector.editors["units"].lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "32")
    assert window.document.spec.layers[3] == {"type": "dense", "units": 32}
    assert window.canvas.blocks()[4].content.error is None


def shown(editor) -> tuple[str, bool]:
    """What an editor shows, and whether it shows it in red (refused)."""
    line = editor.lineEdit()
    return line.text(), "#b3261e" in line.styleSheet()


def test_a_stored_invalid_value_is_shown_as_the_file_holds_it(window, tmp_path):
    import json

    layers = [{"type": "flatten"}, {"type": "dense", "units": -5}, {"type": "dropout", "rate": 2}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"input_shape": [4], "layers": layers, "loss": "mse"}))
    assert window.open_file(path)
    window.canvas.select(1)
    editor = window.inspector.editors["units"]
    assert shown(editor) == ("-5", True)  # not clamped to 1
    assert visible_message(window.inspector._field_messages["units"]) == "units -5 must be >= 1"
    window.canvas.select(2)
    assert shown(window.inspector.editors["rate"]) == ("2", True)
    assert visible_message(window.inspector._field_messages["rate"]) == "rate 2.0 must be < 1"


def test_a_fraction_typed_into_a_whole_number_field_stays_as_typed(window, qtbot):
    window.canvas.select(4)
    before = window.document.spec
    editor = window.inspector.editors["units"]
    type_into(qtbot, editor, "1.5")
    assert shown(editor) == ("1.5", True)
    message = window.inspector._field_messages["units"]
    assert visible_message(message) == "units 1.5 must be a whole number"
    assert window.document.spec == before  # not the 1 typed on the way
    assert window.document.undo_stack.count() == 0
    window.canvas.setFocus()  # leaving the field keeps what was typed, and why it is refused
    assert shown(editor) == ("1.5", True)
    assert visible_message(message) == "units 1.5 must be a whole number"
    type_into(qtbot, editor, "64")
    assert shown(editor) == ("64", False) and visible_message(message) == ""
    assert window.document.spec.layers[4]["units"] == 64


CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.mark.parametrize("floating", [False, True])
def test_ctrl_z_in_an_inspector_field_undoes_the_network_edit(window, qtbot, floating):
    window.inspector_dock.setFloating(floating)
    window.document.add_layer(0, "relu")  # an edit made elsewhere (the palette)
    window.canvas.select(5)
    editor = window.inspector.editors["units"]
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert len(window.document.spec.layers) == 7 and window.document.undo_stack.index() == 0
    qtbot.keyClick(editor, Qt.Key.Key_Y, CTRL)
    assert len(window.document.spec.layers) == 8


def test_ctrl_z_in_the_name_field_undoes_the_network_not_the_text(window, qtbot):
    type_into(qtbot, window.inspector.name_edit, "Mine")
    window.inspector.name_edit.editingFinished.emit()
    window.document.add_layer(0, "relu")
    window.inspector.name_edit.setFocus()
    qtbot.keyClick(window.inspector.name_edit, Qt.Key.Key_Z, CTRL)
    assert len(window.document.spec.layers) == 7  # the added layer is gone
    assert window.document.spec.name == window.inspector.name_edit.text() == "Mine"
