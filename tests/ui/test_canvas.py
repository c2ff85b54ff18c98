"""The canvas: drops insert where the marker shows, blocks reorder, delete, duplicate, and show
the engine's shapes, parameter counts and errors."""

from __future__ import annotations

import pytest
from gui_actions import block_position, drop, gap_position, hover
from PySide6.QtCore import QMimeData, QPoint, Qt

from ui.editor.canvas import NetworkCanvas
from ui.editor.layer_info import starting_config
from ui.editor.mime import block_mime_data
from ui.editor.selection import INPUT_BLOCK, LOSS_BLOCK

SIMPLE = ["conv2d", "relu", "maxpool2d", "flatten", "dense", "relu", "dense"]


def types(window) -> list[str]:
    return [layer["type"] for layer in window.document.spec.layers]


def palette_mime(window, name: str) -> QMimeData:
    return window.palette.mimeData([window.palette.item_for(name)])


@pytest.mark.parametrize("index", range(len(SIMPLE) + 1))
def test_a_palette_drop_between_blocks_inserts_there(window, index):
    canvas = window.canvas
    drop(canvas, palette_mime(window, "dropout"), gap_position(canvas, index))
    expected = SIMPLE[:index] + ["dropout"] + SIMPLE[index:]
    assert types(window) == expected
    assert window.document.spec.layers[index] == starting_config("dropout")
    assert canvas.selected == index
    assert window.document.undo_stack.count() == 1


@pytest.mark.parametrize(
    ("key", "fraction", "index"),
    [
        (INPUT_BLOCK, 0.5, 0),
        (0, 0.25, 0),  # upper half of a block: before it
        (0, 0.75, 1),  # lower half: after it
        (4, 0.3, 4),
        (6, 0.9, 7),
        (LOSS_BLOCK, 0.5, 7),
    ],
)
def test_a_drop_on_a_block_lands_on_the_nearer_side(window, key, fraction, index):
    canvas = window.canvas
    pos = block_position(canvas, key, fraction)
    hover(canvas, palette_mime(window, "tanh"), pos)
    assert canvas.marker_index() == index
    drop(canvas, palette_mime(window, "tanh"), pos)
    assert types(window).index("tanh") == index
    assert canvas.marker_index() is None


def test_the_marker_follows_the_drag_and_leaves_with_it(window):
    from PySide6.QtGui import QDragLeaveEvent
    from PySide6.QtWidgets import QApplication

    canvas = window.canvas
    for index in (0, 3, 7):
        move = hover(canvas, palette_mime(window, "relu"), gap_position(canvas, index))
        assert move.isAccepted()
        assert canvas.marker_index() == index
    QApplication.sendEvent(canvas.viewport(), QDragLeaveEvent())
    assert canvas.marker_index() is None
    assert types(window) == SIMPLE


def test_a_foreign_drag_is_refused_and_changes_nothing(window):
    mime = QMimeData()
    mime.setText("dense")
    event = drop(window.canvas, mime, gap_position(window.canvas, 2))
    assert not event.isAccepted()
    assert window.canvas.marker_index() is None
    assert types(window) == SIMPLE
    assert window.document.undo_stack.count() == 0


@pytest.mark.parametrize(
    ("source", "gap", "expected"),
    [
        (0, 3, ["relu", "maxpool2d", "conv2d", "flatten", "dense", "relu", "dense"]),
        (6, 0, ["dense", "conv2d", "relu", "maxpool2d", "flatten", "dense", "relu"]),
        (3, 7, ["conv2d", "relu", "maxpool2d", "dense", "relu", "dense", "flatten"]),
        (2, 2, SIMPLE),  # dropped just above itself: stays
        (2, 3, SIMPLE),  # just below itself: stays
    ],
)
def test_dragging_a_block_reorders(window, source, gap, expected):
    canvas = window.canvas
    moved = window.document.spec.layers[source]
    drop(canvas, block_mime_data(source), gap_position(canvas, gap), Qt.DropAction.MoveAction)
    assert types(window) == expected
    if expected != SIMPLE:
        assert window.document.spec.layers[canvas.selected] == moved
        assert window.document.undo_stack.count() == 1
        window.document.undo_stack.undo()
        assert types(window) == SIMPLE
    else:
        assert window.document.undo_stack.count() == 0


def test_a_block_drag_starts_from_a_mouse_press_and_move(window, qtbot, monkeypatch):
    from PySide6.QtGui import QDrag

    started = []
    monkeypatch.setattr(QDrag, "exec", lambda drag, *a: started.append(drag.mimeData()) or 0)
    canvas = window.canvas
    start = block_position(canvas, 2)
    qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas.viewport(), start + QPoint(0, 40))
    assert canvas.selected == 2
    assert len(started) == 1
    drop(canvas, started[0], gap_position(canvas, 5), Qt.DropAction.MoveAction)
    assert types(window) == ["conv2d", "relu", "flatten", "dense", "maxpool2d", "relu", "dense"]


def test_clicking_a_block_selects_it_and_the_inspector_follows(window, qtbot):
    canvas = window.canvas
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=block_position(canvas, 4))
    assert canvas.selected == 4
    assert window.inspector._layer_box.title() == "Layer 4: dense"
    assert window.inspector.editors["units"].value() == 100


def test_delete_key_removes_the_selected_layer(window, qtbot):
    canvas = window.canvas
    canvas.select(3)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert types(window) == SIMPLE[:3] + SIMPLE[4:]
    assert canvas.selected == 3  # the next layer moves up into the selection
    window.undo_action.trigger()
    assert types(window) == SIMPLE


def test_context_menu_on_a_block_offers_the_layer_actions(window):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    shown = []

    def read_and_close_menu():
        menu = QApplication.activePopupWidget()
        shown.append(menu.actions())
        menu.close()

    canvas = window.canvas
    pos = block_position(canvas, 0)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, canvas.mapToGlobal(pos))
    QTimer.singleShot(0, read_and_close_menu)
    QApplication.sendEvent(canvas.viewport(), event)
    assert canvas.selected == 0
    assert shown == [canvas.layer_actions()]
    assert [a.isEnabled() for a in canvas.layer_actions()] == [True, True, False, True]


def test_duplicate_and_delete_actions(window):
    canvas = window.canvas
    canvas.select(0)
    canvas.duplicate_action.trigger()
    assert types(window) == ["conv2d"] + SIMPLE
    assert window.document.spec.layers[1] == window.document.spec.layers[0]
    assert canvas.selected == 1
    canvas.delete_action.trigger()
    assert types(window) == SIMPLE
    assert canvas.selected == 1


def test_layer_actions_are_off_without_a_selected_layer(window):
    window.canvas.select(INPUT_BLOCK)
    assert not any(a.isEnabled() for a in window.canvas.layer_actions())


def test_alt_arrows_move_and_plain_arrows_select(window, qtbot):
    canvas = window.canvas
    canvas.select(1)
    canvas.move_down_action.trigger()
    assert types(window)[:3] == ["conv2d", "maxpool2d", "relu"]
    assert canvas.selected == 2
    qtbot.keyClick(canvas, Qt.Key.Key_Up)
    assert canvas.selected == 1
    for _ in range(3):
        qtbot.keyClick(canvas, Qt.Key.Key_Up)
    assert canvas.selected == INPUT_BLOCK


def test_blocks_show_type_settings_shape_and_parameters(window):
    contents = [b.content for b in window.canvas.blocks()]
    assert contents[0].title == "Input" and contents[0].shape == "1×28×28"
    conv = contents[1]
    assert (conv.title, conv.shape, conv.params) == ("conv2d", "30×24×24", "780 params")
    assert "filters 30" in conv.detail and "kernel size 5" in conv.detail
    assert contents[5].params == "432,100 params"
    assert contents[-1].title == "Loss" and contents[-1].detail == "softmax_cross_entropy"
    assert not any(c.error for c in contents)
    assert window.summary.text() == "7 layers · 433,890 parameters · valid"


def test_an_invalid_layer_is_red_on_its_own_block_with_the_engines_message(window):
    doc = window.document
    doc.set_layer_config(2, {"type": "maxpool2d", "pool_size": 30, "stride": 2})
    expected = str(doc.spec.check()[2].error)
    assert expected == "layer 2 (maxpool2d): pool_size 30 does not fit input 24x24"
    blocks = window.canvas.blocks()
    assert [b.content.error for b in blocks] == [None, None, None, expected] + [None] * 5
    assert all(b.content.unknown for b in blocks[4:-1])  # shapes below are unknown, not wrong
    assert window.summary.text().endswith(f"invalid: {expected}")
    window.document.undo_stack.undo()
    assert not any(b.content.error for b in window.canvas.blocks())


def test_a_loss_that_does_not_fit_is_shown_on_the_loss_block(window):
    doc = window.document
    doc.set_layer_config(6, {"type": "dense", "units": 1})
    loss_block = window.canvas.blocks()[-1]
    assert loss_block.content.error == str(doc.spec.errors()[0])
    assert "softmax_cross_entropy needs at least 2" in loss_block.content.error


def test_an_empty_network_shows_input_and_loss_and_accepts_a_drop(window):
    window.new_network()
    canvas: NetworkCanvas = window.canvas
    assert [b.key for b in canvas.blocks()] == [INPUT_BLOCK, LOSS_BLOCK]
    drop(canvas, palette_mime(window, "flatten"), gap_position(canvas, 0))
    assert types(window) == ["flatten"]


def test_a_drag_held_at_the_bottom_edge_scrolls_a_long_network(window, qtbot):
    from PySide6.QtGui import QDragLeaveEvent
    from PySide6.QtWidgets import QApplication

    window.load_preset("deep_cnn")
    canvas = window.canvas
    bar = canvas.verticalScrollBar()
    assert bar.maximum() > bar.minimum() and bar.value() == bar.minimum()
    bottom = QPoint(canvas.viewport().width() // 2, canvas.viewport().height() - 5)
    hover(canvas, palette_mime(window, "relu"), bottom)
    first = canvas.marker_index()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=5000)
    assert canvas.marker_index() > first  # the marker follows what scrolls under the drag
    QApplication.sendEvent(canvas.viewport(), QDragLeaveEvent())
    assert not canvas._scroll_timer.isActive()
    drop(canvas, palette_mime(window, "relu"), bottom)
    assert window.document.spec.layers[-1]["type"] == "relu"
