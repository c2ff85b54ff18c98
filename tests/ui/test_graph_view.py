"""The computational-graph view, driven as a person would: type, set values, step, make mistakes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QPlainTextEdit, QPushButton

from playground.graph import EXAMPLES, dense_layer_graph
from ui.field_editors import FloatFieldEditor
from ui.graph import GraphView
from ui.graph.scene import GRAD_COLOUR, VALUE_COLOUR


@pytest.fixture
def view(qtbot):
    widget = GraphView()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_function(qtbot, view: GraphView, text: str) -> None:
    box = view.findChild(QPlainTextEdit, "graphExpression")
    box.clear()
    box.setFocus()
    for k, line in enumerate(text.split("\n")):  # QTest has no key for "\n" in a string
        if k:
            qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.keyClicks(box, line)


def set_value(qtbot, view: GraphView, name: str, text: str) -> None:
    field = view.findChild(FloatFieldEditor, f"graphValue_{name}")
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), text)


def click(qtbot, view: GraphView, name: str) -> None:
    qtbot.mouseClick(view.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def drawn_numbers(view: GraphView) -> tuple[list[str], list[str]]:
    """The value (green) and gradient (red) texts on the drawing."""
    values, grads = [], []
    for item in view.scene.items():
        if isinstance(item, QGraphicsSimpleTextItem) and item.text():
            colour = item.brush().color()
            if colour == VALUE_COLOUR:
                values.append(item.text())
            elif colour == GRAD_COLOUR:
                grads.append(item.text())
    return sorted(values), sorted(grads)


def test_typed_function_steps_forward_and_backward_with_the_lecture_numbers(qtbot, view):
    type_function(qtbot, view, "(x + y) * z")
    assert view.problem.text() == ""
    assert [f.objectName() for f in view.findChildren(FloatFieldEditor)] == [
        "graphValue_x",
        "graphValue_y",
        "graphValue_z",
    ]
    for name, text in (("x", "-2"), ("y", "5"), ("z", "-4")):
        set_value(qtbot, view, name, text)
    assert view.step == 0
    assert drawn_numbers(view) == (["5", "−2", "−4"], [])  # only the inputs are known
    click(qtbot, view, "graphStepForwardButton")
    assert view.title.text() == "Forward 1 of 2 · add"
    assert view.rule.text() == "add: g1 = x + y = −2 + 5 = 3"
    click(qtbot, view, "graphStepForwardButton")
    click(qtbot, view, "graphStepForwardButton")
    assert view.title.text() == "Backward 1 of 2 · mul"
    assert view.rule.text() == (
        "mul: swaps — ∂f/∂g1 = upstream × z = 1 × −4 = −4; ∂f/∂z = upstream × g1 = 1 × 3 = 3"
    )
    click(qtbot, view, "graphStepForwardButton")
    assert "Done: f = −12; ∂f/∂x = −4 · ∂f/∂y = −4 · ∂f/∂z = 3" in view.rule.text()
    values, grads = drawn_numbers(view)
    assert values == sorted(["−2", "5", "−4", "3", "−12"])
    assert grads == sorted(["−4", "−4", "3", "−4", "1"])  # x, y, z, the sum q, and ∂f/∂f
    assert not view.forward_button.isEnabled() and not view.run_button.isEnabled()
    click(qtbot, view, "graphStepBackButton")
    assert view.title.text() == "Backward 1 of 2 · mul"
    click(qtbot, view, "graphRestartButton")
    assert view.step == 0 and not view.back_button.isEnabled()


def test_keys_step_like_the_buttons_when_the_drawing_has_the_focus(qtbot, view):
    view.show_example("max_routes")
    view.canvas.setFocus()
    total = len(view.run.events)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    assert view.step == 2
    qtbot.keyClick(view.canvas, Qt.Key.Key_Left)
    assert view.step == 1
    qtbot.keyClick(view.canvas, Qt.Key.Key_End)
    assert view.step == total
    assert view.rule.text().startswith("mul: swaps")
    qtbot.keyClick(view.canvas, Qt.Key.Key_Home)
    assert view.step == 0


def test_arrow_keys_in_the_text_box_move_the_cursor_not_the_step(qtbot, view):
    box = view.findChild(QPlainTextEdit, "graphExpression")
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Right)
    assert view.step == 0


def test_a_value_edit_keeps_the_step_and_updates_the_numbers(qtbot, view):
    view.show_example("lecture")
    view.run_to_end()
    set_value(qtbot, view, "z", "2")
    assert view.step == len(view.run.events)
    assert view.run.grads == {"x": 2.0, "y": 2.0, "z": 3.0}


def test_bad_text_shows_the_message_in_red_and_keeps_the_last_graph(qtbot, view):
    view.show_example("lecture")
    graph = view.graph
    type_function(qtbot, view, "(x + y")
    assert view.problem.text() == "line 1, column 7: expected ')' to close the '(' at column 1, " \
        "found the end of the text"  # fmt: skip
    assert "c62828" in view.problem.styleSheet()
    assert view.expression.extraSelections()  # the position is underlined
    assert view.graph is graph  # the last good graph stays drawn, dimmed, not steppable
    assert view.canvas.veiled and not view.forward_button.isEnabled()
    assert view.title.text().startswith("Fix the function")
    qtbot.keyClicks(view.expression, ")")
    assert view.problem.text() == ""
    assert view.expression.extraSelections() == []
    assert view.graph.variables == ("x", "y")
    assert not view.canvas.veiled and view.forward_button.isEnabled()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x $ y", "line 1, column 3: unexpected character '$'"),
        ("foo(x)", "line 1, column 1: unknown function 'foo'"),
        ("q = x\nf = y", "line 1, column 1: q is never used by the last line"),
    ],
)
def test_every_kind_of_bad_text_is_a_message_not_a_traceback(qtbot, view, text, message):
    type_function(qtbot, view, text)
    assert view.problem.text().startswith(message)


def test_values_that_cannot_run_say_why_and_disable_stepping(qtbot, view):
    type_function(qtbot, view, "f = log(x) * y")
    set_value(qtbot, view, "x", "-1")
    assert view.problem.text() == "line 1, column 5: log of −1 gives nan, not a finite number"
    assert view.run is None and not view.forward_button.isEnabled()
    assert view.title.text() == "Cannot run these values"
    assert view.expression.extraSelections()  # the log is underlined
    set_value(qtbot, view, "x", "2")
    assert view.problem.text() == "" and view.forward_button.isEnabled()
    assert view.expression.extraSelections() == []


def test_a_field_that_is_not_a_number_says_so(qtbot, view):
    view.show_example("mul_swaps")
    set_value(qtbot, view, "x", "abc")  # letters are refused as they are typed
    assert view.findChild(FloatFieldEditor, "graphValue_x").lineEdit().text() == "3"
    set_value(qtbot, view, "x", "1e")
    assert "x needs a number" in view.problem.text()
    assert view.run.grads == {"x": -4.0, "y": 1.0}  # the last good value, 1, still runs


def test_examples_menu_opens_softmax_with_loss_and_y_minus_t_arrives(qtbot, view):
    action = view.examples_menu.findChild(
        type(view.examples_menu.actions()[0]), "graphExample_softmax_loss"
    )
    action.trigger()
    ex = EXAMPLES["softmax_loss"]
    assert view.expression.toPlainText() == ex.text
    assert view.note.text() == ex.note
    click(qtbot, view, "graphRunButton")
    a = np.array([ex.values[f"a{k}"] for k in (1, 2, 3)])
    y = np.exp(a) / np.exp(a).sum()
    grads = [view.run.grads[f"a{k}"] for k in (1, 2, 3)]
    np.testing.assert_allclose(grads, y - np.array([0, 0, 1]), rtol=1e-12)
    assert "∂L/∂a1 = 0.01821 · ∂L/∂a2 = 0.2452 · ∂L/∂a3 = −0.2634" in view.rule.text()


def test_every_example_is_in_the_menu(view):
    names = [a.objectName() for a in view.examples_menu.actions()]
    assert names == [f"graphExample_{key}" for key in EXAMPLES]


def test_show_graph_opens_a_dense_layer_as_its_gates(qtbot, view):
    rng = np.random.default_rng(1)
    gates = dense_layer_graph(
        rng.normal(size=3),
        rng.normal(size=(3, 3)),
        rng.normal(size=3),
        "sigmoid",
        rng.normal(size=3),
    )
    view.show_graph(gates.graph, gates.values, note="layer 0 (dense) on example 0")
    assert view.expression.toPlainText() == gates.graph.text
    assert len(view.findChildren(FloatFieldEditor)) == 3 + 9 + 3 + 3
    assert view.note.text() == "layer 0 (dense) on example 0"
    view.run_to_end()
    expected = gates.arrays(gates.graph.run(gates.values))
    np.testing.assert_allclose(gates.arrays(view.run)["dW"], expected["dW"], rtol=1e-15)
