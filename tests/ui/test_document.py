"""The document and its undo commands: every edit undoes and redoes to the exact spec."""

from __future__ import annotations

import pytest

from playground.errors import SpecError
from playground.paths import preset_path
from playground.project import Project
from playground.spec import NetworkSpec
from ui.document import Document
from ui.editor.layer_info import starting_config


@pytest.fixture
def document(qapp) -> Document:
    return Document(Project(NetworkSpec.load(preset_path("simple_convnet"))))


def edits(doc: Document) -> list:
    """One of every kind of edit, each a callable on the document."""
    conv = dict(doc.spec.layers[0])
    return [
        lambda: doc.add_layer(3, "dropout"),
        lambda: doc.remove_layer(1),
        lambda: doc.move_layer(0, 4),
        lambda: doc.duplicate_layer(2),
        lambda: doc.set_layer_config(0, {**conv, "kernel_size": 3}),
        lambda: doc.set_input_shape((3, 32, 32)),
        lambda: doc.set_loss("mse"),
        lambda: doc.set_name("Renamed"),
    ]


@pytest.mark.parametrize("which", range(8))
def test_each_edit_is_one_command_that_undoes_and_redoes_exactly(document, which):
    before = document.spec
    edits(document)[which]()
    after = document.spec
    assert after != before
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.spec == before
    assert document.spec.to_dict() == before.to_dict()
    document.undo_stack.redo()
    assert document.spec == after


def test_a_chain_of_edits_undoes_back_to_the_start(document):
    start = document.spec
    snapshots = [start]
    for edit in edits(document):
        edit()
        snapshots.append(document.spec)
    for expected in reversed(snapshots[:-1]):
        document.undo_stack.undo()
        assert document.spec == expected
    for expected in snapshots[1:]:
        document.undo_stack.redo()
        assert document.spec == expected


def test_edits_report_the_changed_spec_and_the_block_to_select(document, qtbot):
    with (
        qtbot.waitSignal(document.specChanged) as changed,
        qtbot.waitSignal(document.focusRequested) as focus,
    ):
        document.add_layer(2, "tanh")
    assert changed.args == [document.spec]
    assert document.spec.layers[2] == starting_config("tanh")
    assert focus.args == [2]


def test_typing_in_one_session_merges_into_one_undo_step(document):
    session = object()
    dense = dict(document.spec.layers[4])
    for units in (1, 12, 123):
        document.set_layer_config(4, {**dense, "units": units}, session)
    assert document.undo_stack.count() == 1
    assert document.spec.layers[4]["units"] == 123
    document.set_layer_config(4, {**dense, "units": 5}, object())  # a new session
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.spec.layers[4] == dense


def test_typing_back_to_the_start_leaves_no_undo_step(document):
    session = object()
    dense = dict(document.spec.layers[4])
    document.set_layer_config(4, {**dense, "units": 7}, session)
    document.set_layer_config(4, dense, session)
    assert document.undo_stack.count() == 0
    assert not document.is_modified


def test_an_edit_that_changes_nothing_is_not_recorded(document):
    document.move_layer(2, 2)
    document.set_loss(document.spec.loss)
    document.set_input_shape(document.spec.input_shape)
    assert document.undo_stack.count() == 0


def test_invalid_whole_network_edits_raise_before_anything_is_recorded(document):
    with pytest.raises(SpecError, match="input_shape"):
        document.set_input_shape((1, 28))
    with pytest.raises(SpecError, match="unknown loss"):
        document.set_loss("hinge")
    assert document.undo_stack.count() == 0


def test_replacing_the_network_clears_history_and_marks_it_clean(document, tmp_path):
    document.add_layer(0, "relu")
    assert document.is_modified
    document.replace(Project(NetworkSpec(input_shape=(2,))), tmp_path / "a.json")
    assert document.undo_stack.count() == 0
    assert not document.is_modified
    assert document.path == tmp_path / "a.json"
