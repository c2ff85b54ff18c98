"""The issue's definition of done: a new user builds SimpleConvNet from an empty canvas by
dragging and typing alone, undoes every step, and saves it."""

from __future__ import annotations

from gui_actions import drop, gap_position
from PySide6.QtCore import Qt

from playground.paths import preset_path
from playground.spec import NetworkSpec


def type_setting(qtbot, window, field: str, text: str) -> None:
    """Type over one setting of the selected layer, then leave the box (Tab)."""
    line = window.inspector.editors[field].lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Tab)


def drag_in(window, type_name: str, gap: int) -> None:
    mime = window.palette.mimeData([window.palette.item_for(type_name)])
    drop(window.canvas, mime, gap_position(window.canvas, gap))


def test_build_simple_convnet_by_dragging_and_typing_then_undo_all_and_save(
    window, qtbot, tmp_path, dialog_script
):
    target = NetworkSpec.load(preset_path("simple_convnet"))
    window.new_network()
    empty = window.document.spec
    assert empty.layers == () and empty.input_shape == target.input_shape

    name = window.inspector.name_edit
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "SimpleConvNet")
    qtbot.keyClick(name, Qt.Key.Key_Tab)

    # Out of order on purpose: every drop lands between blocks already there.
    drag_in(window, "conv2d", 0)
    type_setting(qtbot, window, "filters", "30")
    type_setting(qtbot, window, "kernel_size", "5")
    drag_in(window, "dense", 1)
    type_setting(qtbot, window, "units", "100")
    drag_in(window, "flatten", 1)
    drag_in(window, "maxpool2d", 1)
    drag_in(window, "relu", 1)
    drag_in(window, "dense", 5)
    drag_in(window, "relu", 5)

    doc = window.document
    assert doc.spec == target
    assert window.summary.text() == "7 layers · 433,890 parameters · valid"
    steps = doc.undo_stack.count()
    assert steps == 11  # name, 7 drops, 3 settings: one step each

    for _ in range(steps):
        window.undo_action.trigger()
    assert doc.spec == empty
    assert not window.isWindowModified()
    for _ in range(steps):
        window.redo_action.trigger()
    assert doc.spec == target

    dialog_script.save_paths.append(tmp_path / "simple.json")
    assert window.save()
    assert NetworkSpec.load(tmp_path / "simple.json") == target
    assert not window.isWindowModified()
