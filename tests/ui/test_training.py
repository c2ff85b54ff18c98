"""Training in the window: the controls, the worker thread, the trained state and its file."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from playground.project import Project


def button(window, name: str) -> QPushButton:
    return window.findChild(QPushButton, name)


@pytest.fixture
def spiral(window):
    """The toy spiral preset, untrained, in the window."""
    assert window.load_preset("toy_spiral")
    return window


def wait_until(condition, timeout: float = 20.0) -> None:
    """Process events until ``condition()``; sleeps between rounds. (``qtbot.waitUntil``'s
    ``QTest.qWait`` can keep the GIL from the worker thread once another test has run
    ``app.exec()``; the real window's event loop releases it.)"""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)
        QApplication.processEvents()


def wait_idle(qtbot, window):
    wait_until(lambda: window.session.state == "idle")


def test_train_runs_on_its_thread_and_the_trained_state_comes_back(qtbot, spiral):
    assert button(spiral, "trainButton").isEnabled()
    qtbot.mouseClick(button(spiral, "trainButton"), Qt.MouseButton.LeftButton)
    assert spiral.session.state == "running"
    assert not button(spiral, "trainButton").isEnabled()
    wait_until(lambda: spiral.session.record.steps > 50)
    qtbot.mouseClick(button(spiral, "pauseButton"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, spiral)
    project = spiral.document.project
    assert project.weights is not None and project.step == spiral.session.record.steps
    assert spiral.isWindowModified()
    assert button(spiral, "trainButton").text() == "Resume"
    assert "step" in spiral.training_controls.status.text()


def test_pause_holds_the_step_count_and_step_advances_exactly_one(qtbot, spiral):
    spiral.session.train()
    wait_until(lambda: spiral.session.record.steps > 10)
    spiral.session.pause()
    wait_idle(qtbot, spiral)
    held = spiral.document.project.step
    time.sleep(0.2)
    QApplication.processEvents()
    assert spiral.document.project.step == held
    qtbot.mouseClick(button(spiral, "stepButton"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, spiral)
    assert spiral.document.project.step == held + 1
    assert spiral.session.record.steps == held + 1


def test_stop_ends_the_run_with_a_validation_of_the_final_weights(qtbot, spiral):
    config = spiral.document.project.config.replace(epochs=100_000)  # no end in sight
    spiral.document.set_training_setup(config=config)
    spiral.session.train()
    wait_until(lambda: spiral.session.record.steps > 10)
    qtbot.mouseClick(button(spiral, "stopButton"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, spiral)
    project, record = spiral.document.project, spiral.session.record
    assert project.step == record.steps
    assert project.history.val_step[-1] == project.step  # validated at the last step
    assert record.val_step.values[-1] == project.step
    assert spiral.session.ended_how == "stopped"  # by Stop, not at the end of the epochs
    assert button(spiral, "trainButton").text() == "Resume"  # the weights go on from here


def test_the_status_says_how_the_run_ended_and_follows_new_epochs(qtbot, spiral):
    status = spiral.training_controls.status
    config = spiral.document.project.config.replace(epochs=100_000)  # no end in sight
    spiral.document.set_training_setup(config=config)
    spiral.session.train()
    wait_until(lambda: status.text().startswith("Training"))  # the status's own timer
    spiral.session.pause()
    wait_idle(qtbot, spiral)
    assert status.text().startswith("Paused")
    spiral.session.train()
    wait_until(lambda: spiral.session.state == "running")
    spiral.session.stop()
    wait_idle(qtbot, spiral)
    assert status.text().startswith("Stopped")
    spiral.training_settings.editors["epochs"].setValue(250)
    assert "/250 · step" in status.text()


def test_a_finished_run_says_so_until_the_epochs_are_raised(qtbot, spiral):
    config = spiral.document.project.config.replace(epochs=1)
    spiral.document.set_training_setup(config=config)
    spiral.session.train()
    wait_idle(qtbot, spiral)
    assert spiral.training_controls.status.text().startswith("Finished")
    spiral.session.train()
    problem = spiral.training_controls.problem
    assert "raise Epochs" in problem.text()
    spiral.training_settings.editors["epochs"].setValue(2)
    assert problem.text() == ""


def test_resume_continues_the_run_exactly_as_one_uninterrupted_run(qtbot, spiral):
    start = spiral.document.project
    for _ in range(3):
        spiral.session.step()
        wait_idle(qtbot, spiral)
    stepped = spiral.document.project
    whole = start.trainer(spiral.session.dataset())
    for report in whole.run():
        if report.step == 3:
            break
    for key, value in whole.net.params.items():
        np.testing.assert_array_equal(stepped.weights[key], value)


def test_reset_starts_over_and_undo_brings_the_trained_weights_back(qtbot, spiral):
    spiral.session.step()
    wait_idle(qtbot, spiral)
    trained = spiral.document.project
    qtbot.mouseClick(button(spiral, "resetButton"), Qt.MouseButton.LeftButton)
    assert spiral.document.project.weights is None and spiral.session.record.steps == 0
    spiral.undo_action.trigger()
    assert spiral.document.project is trained and spiral.session.record.steps == 1


def test_closing_during_training_stops_the_thread_cleanly(qtbot, window, dialog_script):
    window.load_preset("toy_spiral")
    window.session.train()
    wait_until(lambda: window.session.record.steps > 5)
    thread = window.session._thread
    dialog_script.save_choice = dialog_script.save_choice.DISCARD
    assert window.close()
    assert window.session.state == "idle" and thread.isFinished()


def test_opening_another_file_during_training_stops_it(qtbot, spiral, tmp_path):
    path = tmp_path / "mlp.nnp"
    Project.from_preset("mlp").save(path)
    spiral.session.train()
    wait_until(lambda: spiral.session.record.steps > 5)
    assert spiral.open_file(path)
    assert spiral.session.state == "idle"
    assert spiral.document.spec.name == Project.load(path).spec.name
    assert spiral.session.record.steps == 0


def test_a_nan_pauses_training_with_the_last_good_weights_and_marks_the_layer(qtbot, spiral):
    config = spiral.document.project.config.replace(optimizer="sgd", lr=1e8)
    spiral.document.set_training_setup(config=config)
    failures = []
    spiral.session.failed.connect(failures.append)
    spiral.session.train()
    wait_idle(qtbot, spiral)
    (error,) = failures
    assert error.layer_index is not None
    assert spiral.canvas.layer_mark(error.layer_index) == "problem"
    assert "Training paused" in spiral.training_controls.problem.text()
    project = spiral.document.project
    assert project.step == error.step - 1
    assert all(np.isfinite(w).all() for w in project.weights.values())


def test_opening_another_network_clears_the_last_ones_problem(qtbot, spiral):
    config = spiral.document.project.config.replace(optimizer="sgd", lr=1e8)
    spiral.document.set_training_setup(config=config)
    spiral.session.train()
    wait_idle(qtbot, spiral)
    assert "Training paused" in spiral.training_controls.problem.text()
    assert spiral.load_preset("mlp")
    assert spiral.training_controls.problem.text() == ""


def test_editing_while_paused_keeps_the_trained_layers_and_undo_brings_the_rest_back(qtbot, spiral):
    for _ in range(2):
        spiral.session.step()
        wait_idle(qtbot, spiral)
    trained = spiral.document.project
    spiral.document.add_layer(0, "tanh")  # above the first trained dense layer
    edited = spiral.document.project
    assert edited.weights["1.W"] is trained.weights["0.W"]  # survived, at its new index
    assert edited.step == trained.step
    status = spiral.training_controls.status
    assert status.text().endswith("before the last edit")  # the loss is the old network's
    spiral.session.step()  # trains on with the edited network
    wait_idle(qtbot, spiral)
    assert spiral.document.project.step == trained.step + 1
    assert "edit" not in status.text()
    spiral.undo_action.trigger()
    assert spiral.document.project is trained
    spiral.redo_action.trigger()
    assert spiral.document.project.step == trained.step + 1


def test_save_then_open_shows_the_curves_and_resumes_the_run(qtbot, spiral, tmp_path):
    for _ in range(3):
        spiral.session.step()
        wait_idle(qtbot, spiral)
    path = tmp_path / "spiral.nnp"
    spiral.document.project.save(path)
    losses = spiral.session.record.loss.values.copy()
    assert spiral.new_network()
    assert spiral.open_file(path)
    np.testing.assert_allclose(spiral.session.record.loss.values, losses, rtol=1e-6)
    spiral.session.step()
    wait_idle(qtbot, spiral)
    assert spiral.session.record.steps == 4 and spiral.document.project.step == 4


def test_the_settings_refuse_bad_values_with_the_engines_message(qtbot, spiral):
    lr = spiral.training_settings.editors["lr"]
    before = spiral.document.project.config.lr
    lr.lineEdit().selectAll()
    qtbot.keyClicks(lr.lineEdit(), "-1")
    assert "lr -1.0 must be > 0" in spiral.training_settings.message.text()
    assert spiral.document.project.config.lr == before
    batch = spiral.training_settings.editors["batch_size"]
    batch.setValue(16)
    assert spiral.document.project.config.batch_size == 16


def type_into(qtbot, editor, text: str) -> None:
    editor.lineEdit().selectAll()
    qtbot.keyClicks(editor.lineEdit(), text)


def test_train_waits_until_every_refused_setting_is_fixed(qtbot, spiral):
    settings, train = spiral.training_settings, button(spiral, "trainButton")
    type_into(qtbot, settings.editors["lr"], "-1")
    type_into(qtbot, settings.editors["seed"], "1.5")
    shown = settings.message.text()
    assert "lr -1.0 must be > 0" in shown and "seed" in shown
    assert not train.isEnabled() and not button(spiral, "stepButton").isEnabled()
    assert "Fix the training settings first" in train.toolTip()
    type_into(qtbot, settings.editors["lr"], "0.01")
    assert "lr" not in settings.message.text() and "seed" in settings.message.text()
    assert not train.isEnabled()  # the seed still reads 1.5
    type_into(qtbot, settings.editors["seed"], "7")
    assert settings.message.text() == "" and train.isEnabled()
    assert spiral.document.project.config.seed == 7


def test_the_optimizer_choice_brings_its_own_settings(spiral):
    editors = spiral.training_settings.editors
    editors["optimizer"].setCurrentText("momentum")
    assert spiral.document.project.config.optimizer == "momentum"
    assert "momentum" in spiral.training_settings.editors
    assert "beta1" not in spiral.training_settings.editors


def test_data_that_does_not_fit_is_named_and_the_fix_offered(qtbot, window):
    window.load_preset("toy_spiral")
    window.document.set_input_shape((3,))
    panel = window.dataset_panel
    assert "shape 2" in panel.fit.text() and "expects 3" in panel.fit.text()
    assert not button(window, "trainButton").isEnabled()
    assert panel.fix.isVisible()
    qtbot.mouseClick(panel.fix, Qt.MouseButton.LeftButton)
    assert window.document.spec.input_shape == (2,)
    assert button(window, "trainButton").isEnabled() and not panel.fix.isVisible()


def test_new_toy_data_of_the_same_shape_can_be_trained_on(qtbot, spiral):
    noise = spiral.dataset_panel.noise
    noise.setValue(0.1)
    noise.editingFinished.emit()
    assert spiral.document.project.dataset_options["noise"] == 0.1
    assert spiral.session.readiness() == ""
    assert button(spiral, "trainButton").isEnabled()
    spiral.session.step()
    wait_idle(qtbot, spiral)
    assert spiral.document.project.step == 1


def test_no_fix_is_offered_that_would_break_the_network(window):
    window.load_preset("simple_convnet")
    window.document.set_training_setup(dataset="spiral", dataset_options={})
    panel = window.dataset_panel
    assert "1x28x28" in panel.fit.text()
    assert not panel.fix.isVisible()  # a conv layer cannot take 2 features


def test_a_reopened_project_says_how_far_it_trained(window, tmp_path):
    project = Project.from_preset("toy_spiral")
    trainer = project.trainer()
    for report in trainer.run():
        if report.step == 30:
            break
    path = tmp_path / "spiral.nnp"
    project.with_training(trainer).save(path)
    assert window.open_file(path)
    status = window.training_controls.status.text()
    assert "30 steps trained" in status and "epoch 3/100" in status and "last loss" in status
    assert window.training_controls.progress.value() == 30


def test_an_edit_while_training_ends_the_run_and_keeps_the_edit(qtbot, spiral):
    config = spiral.document.project.config.replace(epochs=1000)
    spiral.document.set_training_setup(config=config)
    spiral.session.train()
    wait_until(lambda: spiral.document.project.weights is not None)  # a snapshot arrived
    spiral.document.add_layer(0, "tanh")
    wait_idle(qtbot, spiral)
    assert spiral.document.spec.layers[0]["type"] == "tanh"  # no late snapshot undid it
    assert spiral.document.project.weights["1.W"].shape == (2, 32)


def test_an_unexpected_error_in_the_worker_is_reported_not_hung(qtbot, spiral, monkeypatch):
    from playground.trainer import Trainer

    def broken(self):
        raise MemoryError("no room")
        yield

    monkeypatch.setattr(Trainer, "run", broken)
    failures = []
    spiral.session.failed.connect(failures.append)
    spiral.session.train()
    wait_idle(qtbot, spiral)
    assert "no room" in str(failures[0])
    assert "no room" in spiral.training_controls.problem.text()
