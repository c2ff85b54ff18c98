"""The step-through view, driven as a person would: SimpleConvNet on a digit, step by step."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTextBrowser, QWidget

from playground import NetworkSpec, default_project, load_dataset
from playground.layers.dense import Dense
from playground.project import Project
from ui.document import Document
from ui.stepthrough import StepThroughView

LAYERS = 7  # SimpleConvNet
EVENTS = 2 * LAYERS + 1


@pytest.fixture
def document(qapp) -> Document:
    return Document(default_project())


@pytest.fixture
def view(qtbot, document) -> StepThroughView:
    widget = StepThroughView(document)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def title(view) -> str:
    return view.findChild(QLabel, "stepTitle").text()


def click(qtbot, view, name: str) -> None:
    button = view.findChild(QPushButton, name)
    assert button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def shown(view) -> dict[str, np.ndarray]:
    return {p.title.text(): p.array.copy() for p in view.panels if p.isVisible()}


def test_the_view_carries_the_names_automation_uses(view):
    assert view.objectName() == "stepThroughView"
    for name in (
        "stepForwardButton",
        "stepBackButton",
        "stepRunButton",
        "stepRestartButton",
        "gradCheckButton",
    ):
        assert isinstance(view.findChild(QPushButton, name), QPushButton), name
    assert isinstance(view.findChild(QLabel, "stepTitle"), QLabel)
    assert isinstance(view.findChild(QWidget, "gradCheckResult"), QTextBrowser)


def test_stepping_through_simple_convnet_on_a_digit(qtbot, view):
    digits = load_dataset("digits")
    view.choose_example(3)
    assert f"digits #3 · label {digits.y[3]}" in view.input_label.text()
    assert view.timeline.count() == EVENTS
    assert title(view) == "forward · layer 0 (conv2d)"
    assert not view.findChild(QPushButton, "stepBackButton").isEnabled()
    titles = [title(view)]
    for _ in range(EVENTS - 1):
        click(qtbot, view, "stepForwardButton")
        titles.append(title(view))
    assert titles[LAYERS] == "loss · softmax_cross_entropy"
    assert titles[LAYERS + 3] == "backward · layer 4 (dense)"
    assert titles[-1] == "backward · layer 0 (conv2d)"
    assert not view.findChild(QPushButton, "stepForwardButton").isEnabled()
    # the backward dense event shows dout, dx, dW, db with their shapes
    view.go_to(LAYERS + 3)
    names = list(shown(view))
    assert [n.split("</b>")[0].removeprefix("<b>") for n in names] == ["dout", "dx", "dW", "db"]
    assert "4320×100" in names[2]
    assert "dW = xᵀ · dout:  (4320×1)·(1×100) → 4320×100" in view.rule_view.toPlainText()
    assert "def dense_backward" in view.rule_view.toPlainText()


def test_keys_and_the_timeline_move_through_the_events(qtbot, view):
    view.choose_example(0)
    view.timeline.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert title(view) == "backward · layer 0 (conv2d)"
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert title(view) == "backward · layer 1 (relu)"
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert title(view) == "forward · layer 0 (conv2d)"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert title(view) == "forward · layer 1 (relu)"
    item = view.timeline.item(LAYERS)
    qtbot.mouseClick(
        view.timeline.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.timeline.visualItemRect(item).center(),
    )
    assert title(view) == "loss · softmax_cross_entropy"
    assert "label" in view.summary.text() and "predicted" in view.summary.text()


def test_the_summary_points_the_way_the_canvas_stacks_the_layers(qtbot, view):
    """The canvas draws the input at the top and the loss at the bottom."""
    summary = view.findChild(QLabel, "stepSummary")
    assert "x arrives from above, out leaves downwards" in summary.text()
    click(qtbot, view, "stepRunButton")
    assert "dout arrives from below" in summary.text() and "dx leaves upwards" in summary.text()


def test_stepping_forward_then_back_returns_to_the_same_state(qtbot, view):
    view.choose_example(5)
    for _ in range(4):
        click(qtbot, view, "stepForwardButton")
    before = (title(view), shown(view), view.rule_view.toPlainText())
    click(qtbot, view, "stepForwardButton")
    click(qtbot, view, "stepBackButton")
    after = (title(view), shown(view), view.rule_view.toPlainText())
    assert before[0] == after[0] and before[2] == after[2]
    assert before[1].keys() == after[1].keys()
    for key in before[1]:
        np.testing.assert_array_equal(before[1][key], after[1][key])


def test_the_active_layer_goes_down_the_stack_then_back_up(qtbot, view):
    view.choose_example(0)
    seen = []
    view.activeLayerChanged.connect(seen.append)
    for _ in range(EVENTS - 1):
        view.step_forward()
    assert seen == [1, 2, 3, 4, 5, 6, None, 6, 5, 4, 3, 2, 1, 0]


def test_the_layer_check_on_every_backward_event(qtbot, view):
    view.choose_example(7)
    check = view.findChild(QPushButton, "gradCheckButton")
    assert not check.isEnabled()  # a forward event has no gradient to check
    view.go_to(LAYERS + 1)
    for _ in range(LAYERS):
        click(qtbot, view, "gradCheckButton")
        result = view.findChild(QTextBrowser, "gradCheckResult").toPlainText()
        assert "checks out" in result, (title(view), result)
        assert "FAIL" not in result
        if view.session.current.param_grads:
            assert "dW" in result and "db" in result
        if view.session.at_end:
            break
        click(qtbot, view, "stepForwardButton")
    click(qtbot, view, "stepBackButton")
    click(qtbot, view, "stepForwardButton")  # the result stays with its event
    assert "checks out" in view.check_result.toPlainText()


def test_the_check_catches_a_wrong_backward(qtbot, view, monkeypatch):
    real = Dense.backward

    def doubled_dW(self, dout, input_grad=True):
        dx = real(self, dout, input_grad)
        self.grads["W"] = self.grads["W"] * 2
        return dx

    monkeypatch.setattr(Dense, "backward", doubled_dW)
    view.choose_example(2)
    view.go_to(LAYERS + 1)  # backward · layer 6 (dense)
    click(qtbot, view, "gradCheckButton")
    result = view.check_result.toPlainText()
    assert "differs" in result and "FAIL" in result


def test_apply_update_moves_a_copy_and_lowers_the_loss(qtbot, view, document):
    project = document.project
    weights = {k: v.copy() for k, v in project.weights.items()}
    view.choose_example(11)
    assert not view.update_button.isEnabled()
    click(qtbot, view, "stepRunButton")
    click(qtbot, view, "applyUpdateButton")
    text = view.update_result.toPlainText()
    assert "loss on the same examples" in text and "4.W" in text
    result = view.apply_update()
    assert result.loss_after < result.loss_before
    assert all(m.update_norm > 0 for m in result.moves)
    assert document.project is project  # the document keeps its weights
    for key, value in project.weights.items():
        np.testing.assert_array_equal(value, weights[key])


def test_training_weights_arriving_keep_the_pass_until_restart(qtbot, view, document):
    view.choose_example(1)
    view.step_forward()
    old = document.project
    newer = dataclasses.replace(
        old, weights={k: v * 0.5 for k, v in old.weights.items()}, step=old.step + 1
    )
    document.take_training(newer)
    assert view.session.project is old and title(view) == "forward · layer 1 (relu)"
    assert view.notice.isVisible() and "Restart" in view.notice.text()
    click(qtbot, view, "stepRestartButton")
    assert view.session.project is newer and title(view) == "forward · layer 0 (conv2d)"
    assert not view.notice.isVisible()


def test_training_weights_arriving_at_the_first_event_enable_restart(qtbot, view, document):
    old = document.project
    newer = dataclasses.replace(
        old, weights={k: v * 0.5 for k, v in old.weights.items()}, step=old.step + 1
    )
    document.take_training(newer)
    click(qtbot, view, "stepRestartButton")
    assert view.session.project is newer


def test_an_edit_of_the_network_traces_it_anew(view, document):
    view.choose_example(1)
    document.add_layer(6, "relu")
    assert view.session.project is document.project
    assert view.timeline.count() == EVENTS + 2


def test_an_invalid_network_says_why_instead_of_stepping(view, document):
    view.choose_example(1)
    document.set_layer_config(4, {"type": "dense", "units": 0})
    assert view.session is None
    assert "units 0 must be >= 1" in view.notice.text()
    assert not view.findChild(QPushButton, "stepForwardButton").isEnabled()
    document.undo_stack.undo()
    assert view.session is not None and not view.notice.isVisible()


def test_a_project_without_a_dataset_takes_a_drawn_digit(qtbot, qapp):
    project = dataclasses.replace(default_project(), dataset=None)
    view = StepThroughView(Document(project))
    qtbot.addWidget(view)
    assert view.session is None
    assert "No examples to step through" in view.notice.text()
    digit = load_dataset("digits").x[0, 0]  # (28, 28): not the network's 1x28x28
    view.set_input(digit)
    assert "the input has shape 28x28, the network expects one sample of 1x28x28" in (
        view.notice.text()
    )
    view.set_input(digit[None])
    assert view.session is not None
    predicted = int(project.predict(digit[None, None]).argmax())
    assert f"standing in: predicted {predicted}" in view.input_label.text()
    view.set_input(digit[None], label=3)
    assert "label 3" in view.input_label.text()


def test_a_mini_batch_shows_one_example_at_a_time(qtbot, view):
    view.batch_spin.setValue(4)
    view.choose_example(10)
    assert "#10–#13" in view.input_label.text()
    assert view.sample_spin.isVisible() and view.sample_spin.maximum() == 3
    first = view.panels[0].array.copy()
    view.sample_spin.setValue(2)
    assert "example 2 of 4" in view.panels[0].title.text()
    assert not np.array_equal(view.panels[0].array, first)
    view.run_to_end()  # conv2d's dW is the batch's: shown whole
    assert "example" not in view.panels[2].title.text()


def test_untrained_preset_steps_with_its_initial_weights(qtbot, qapp):
    view = StepThroughView(Document(Project.from_preset("deep_cnn")))
    qtbot.addWidget(view)
    view.run_to_end()
    assert title(view) == "backward · layer 0 (conv2d)"
    view.go_to(LAYERS + 100)  # past the end: the last event
    assert view.session.at_end


def test_the_canvas_mark_is_there_only_while_the_view_is_in_sight(qtbot, view):
    view.choose_example(0)
    view.go_to(2)
    seen = []
    view.activeLayerChanged.connect(seen.append)
    view.hide()
    view.show()
    assert seen == [None, 2]
    assert view.active_layer == 2


def test_the_label_stands_out_among_the_scores(view):
    view.choose_example(4)
    view.go_to(LAYERS)
    label = int(view.session.loss_step.labels[0])
    brushes = view.panels[0].bars.opts["brushes"]
    assert [i for i, b in enumerate(brushes) if b.color().name() == "#2563eb"] == [label]


def test_a_small_dense_layer_opens_as_gates(qtbot, qapp):
    spec = NetworkSpec.from_dict(
        {
            "input_shape": [2],
            "layers": [
                {"type": "dense", "units": 3},
                {"type": "relu"},
                {"type": "dense", "units": 2},
            ],
        }
    )
    view = StepThroughView(Document(Project(spec, dataset="xor")))
    qtbot.addWidget(view)
    view.show()
    view.choose_example(5)
    gates = view.findChild(QPushButton, "stepGatesButton")
    assert gates.isVisible()  # forward · layer 0 (dense): 2 inputs, 3 units
    with qtbot.waitSignal(view.gatesRequested) as emitted:
        qtbot.mouseClick(gates, Qt.MouseButton.LeftButton)
    graph, values, note = emitted.args
    assert note == "Layer 0 (dense) of Untitled on xor #5"
    run = graph.run(values)
    backward = view.session.steps[-1]  # backward · layer 0: batch of one, so the same numbers
    assert run.grads["w12"] == pytest.approx(float(backward.param_grads["W"][0, 1]), rel=1e-5)
    assert run.grads["b3"] == pytest.approx(float(backward.param_grads["b"][2]), rel=1e-5)
    view.go_to(1)  # relu: no gates
    assert not gates.isVisible()


def test_a_large_dense_layer_has_no_gates(view):
    view.choose_example(0)
    view.go_to(4)  # SimpleConvNet's 4320 -> 100 dense layer
    assert not view.findChild(QPushButton, "stepGatesButton").isVisible()


def test_another_dataset_brings_its_own_examples(view, document):
    view.choose_example(2)
    document.set_training_setup(dataset="/nonexistent/digits.npz")
    assert view.session is None and "No examples to step through" in view.notice.text()
    document.set_training_setup(dataset="digits", dataset_options={})
    assert view.session is not None and "digits #2" in view.input_label.text()


def test_a_drawn_digit_stays_through_an_edit_that_keeps_the_input_shape(view, document):
    digit = load_dataset("digits").x[9]
    view.set_input(digit, label=4)
    document.add_layer(6, "relu")
    assert view.session.input.source == "the draw pad" and "label 4" in view.input_label.text()
    document.set_input_shape((1, 14, 14))  # the digit no longer fits: back to the data
    assert view.session is None  # the digits do not fit either, and the view says so
    assert "have shape 1x28x28, the network expects 1x14x14" in view.notice.text()


def test_beside_the_canvas_the_rule_goes_below_the_arrays(qtbot, view):
    view.resize(700, 800)
    qtbot.waitUntil(lambda: view.body.orientation() == Qt.Orientation.Vertical)
    assert view.side.orientation() == Qt.Orientation.Horizontal
    view.resize(1300, 800)
    qtbot.waitUntil(lambda: view.body.orientation() == Qt.Orientation.Horizontal)
    assert view.side.orientation() == Qt.Orientation.Vertical
