"""The main window: layout and names, title and undo, files, presets, closing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from playground.paths import preset_names, preset_path, resources_dir
from playground.project import Project, default_project
from playground.spec import NetworkSpec
from ui.app import create_main_window
from ui.dialogs import PROJECT_FILTER, SPEC_FILTER, SaveChoice
from ui.dialogs import choose_save_path as real_choose_save_path  # before the fixture fakes it
from ui.recent_files import RecentFiles

DESIGN_NAMES = [
    "layerPalette",
    "networkCanvas",
    "layerInspector",
    "trainButton",
    "pauseButton",
    "stepButton",
    "stopButton",
    "resetButton",
    "lossPlot",
    "accuracyPlot",
    "weightHistogramPlot",
    "filterView",
    "gradientPlot",
    "confusionMatrixView",
    "decisionBoundaryPlot",
    "stepThroughView",
    "drawPad",
    "predictionView",
]


def preset(name: str) -> NetworkSpec:
    return NetworkSpec.load(preset_path(name))


def test_it_opens_on_the_simple_convnet_preset(window):
    assert window.document.spec == preset("simple_convnet")
    assert window.document.path is None
    assert not window.isWindowModified()
    assert window.windowTitle() == "SimpleConvNet[*] — NN Playground"


@pytest.mark.parametrize("name", DESIGN_NAMES)
def test_the_designs_widgets_are_there_by_name(window, name):
    assert window.findChild(QWidget, name) is not None


def test_the_title_shows_unsaved_changes_until_undone(window):
    window.document.add_layer(0, "relu")
    assert window.isWindowModified()
    window.undo_action.trigger()
    assert not window.isWindowModified()
    window.redo_action.trigger()
    assert window.isWindowModified()


def test_undo_and_redo_have_the_usual_keys(window):
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert window.redo_action.shortcut().toString() == "Ctrl+Shift+Z"


def test_the_history_lists_every_edit(window):
    window.document.add_layer(0, "relu")
    window.document.remove_layer(0)
    model = window.history.model()
    texts = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert texts == ["SimpleConvNet", "Add relu at 0", "Remove relu (layer 0)"]
    window.document.set_layer_config(0, {**window.document.spec.layers[0], "padding": 2})
    assert model.index(3, 0).data() == "Set padding of conv2d (layer 0) to 2"
    window.new_network()
    assert model.index(0, 0).data() == "New network"


@pytest.mark.parametrize("suffix", [".nnp", ".json"])
def test_save_then_open_restores_the_exact_network(
    window, tmp_path, dialog_script, settings, suffix
):
    doc = window.document
    doc.add_layer(3, "batchnorm")
    doc.set_layer_config(3, {"type": "batchnorm", "momentum": 0.8, "eps": 1e-3})
    doc.set_name("Saved")
    edited = doc.spec
    path = tmp_path / f"saved{suffix}"
    dialog_script.save_paths.append(path)
    assert window.save()  # no path yet: Save asks where
    assert doc.path == path and not window.isWindowModified()
    assert window.windowTitle() == f"Saved (saved{suffix})[*] — NN Playground"
    assert Project.load(path).spec == edited

    window.new_network()
    assert doc.spec.layers == ()
    dialog_script.open_paths.append(path)
    assert window.open_file()
    assert doc.spec == edited
    assert doc.path == path
    assert RecentFiles(settings).paths() == [path.resolve()]


def test_a_project_keeps_its_training_setup(window, tmp_path, dialog_script):
    path = tmp_path / "convnet.nnp"
    dialog_script.save_paths.append(path)
    assert window.save()  # the startup model comes with the training setup it was made with
    saved = Project.load(path)
    assert saved.dataset == "digits"
    assert saved.config == default_project().config


def test_a_spec_only_file_stays_a_spec_file(window, tmp_path):
    path = tmp_path / "mlp.json"
    preset("mlp").save(path)
    assert window.open_file(path)
    window.document.set_loss("mse")
    assert window.save()
    assert json.loads(path.read_text())["loss"] == "mse"  # still plain spec JSON


@pytest.fixture
def trained_project(tmp_path):
    """A copy of the bundled trained SimpleConvNet."""
    path = tmp_path / "trained.nnp"
    shutil.copyfile(resources_dir() / "default_model.nnp", path)
    return path


def test_saving_keeps_the_weights_while_the_layers_are_unchanged(window, trained_project):
    before = Project.load(trained_project)
    assert window.open_file(trained_project)
    assert "trained for" in window.statusBar().currentMessage()
    window.document.set_name("Renamed")
    window.document.set_loss("mse")
    assert window.save()
    after = Project.load(trained_project)
    assert after.spec.name == "Renamed" and after.step == before.step
    assert after.weights.keys() == before.weights.keys()
    for key, value in before.weights.items():
        assert np.array_equal(after.weights[key], value)


def test_saving_a_changed_architecture_keeps_the_layers_that_still_fit(window, trained_project):
    before = Project.load(trained_project)
    assert window.open_file(trained_project)
    window.document.set_layer_config(4, {"type": "dense", "units": 64})
    assert window.save()
    after = Project.load(trained_project)
    assert after.spec.layers[4]["units"] == 64 and after.step == before.step
    assert after.weights["0.W"].shape == before.weights["0.W"].shape
    assert np.array_equal(after.weights["0.W"], before.weights["0.W"])  # the conv layer
    assert after.weights["4.W"].shape[1] == 64  # the edited layer, initialised afresh
    assert after.dataset == "digits"


def test_saving_an_invalid_network_leaves_the_weights_out_and_says_so(window, trained_project):
    assert window.open_file(trained_project)
    window.document.set_layer_config(0, {"type": "conv2d", "filters": 30, "kernel_size": 40})
    assert window.save()
    assert "without the trained weights" in window.statusBar().currentMessage()
    assert Project.load(trained_project).weights is None


def test_the_save_dialog_adds_the_suffix_of_the_chosen_kind(monkeypatch):
    for chosen, suffix in [(PROJECT_FILTER, ".nnp"), (SPEC_FILTER, ".json")]:
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", staticmethod(lambda *a, c=chosen: ("/x/net", c))
        )
        assert real_choose_save_path(None, "net") == Path("/x/net" + suffix)


def test_save_writes_to_the_opened_file_without_asking(window, tmp_path, dialog_script):
    path = tmp_path / "mlp.json"
    preset("mlp").save(path)
    assert window.open_file(path)
    window.document.set_loss("mse")
    assert window.save()
    assert NetworkSpec.load(path).loss == "mse"
    assert dialog_script.save_paths == [] and dialog_script.errors == []


CORRUPT_FILES = {
    "garbage.json": b"\x00\xffnot json at all",
    "broken.nnp": b"PK\x03\x04 not really a zip",
    "text.nnp": b"hello",
    "half.json": b'{"format_version": 1, "input_shape": [1, 28',
    "list.json": b"[1, 2, 3]",
    "foreign.json": b'{"hello": "world"}',
    "bad_layer.json": b'{"input_shape": [4], "layers": [{"type": "transformer"}]}',
}


@pytest.mark.parametrize("name", sorted(CORRUPT_FILES) + ["missing.json", "folder"])
def test_a_file_that_cannot_be_read_changes_nothing(window, tmp_path, dialog_script, name):
    path = tmp_path / name
    if name in CORRUPT_FILES:
        path.write_bytes(CORRUPT_FILES[name])
    elif name == "folder":
        path.mkdir()
    window.document.add_layer(0, "tanh")  # unsaved work that must survive
    before, history = window.document.spec, window.document.undo_stack.count()
    assert not window.open_file(path)
    assert window.document.spec == before
    assert window.document.undo_stack.count() == history
    assert window.document.path is None and window.isWindowModified()
    [(title, message)] = dialog_script.errors
    assert title == "Cannot open file" and name in message
    assert dialog_script.save_questions == []  # nothing to decide: the file was never usable


def test_the_error_names_the_reason(window, tmp_path, dialog_script):
    path = tmp_path / "bad_layer.json"
    path.write_bytes(CORRUPT_FILES["bad_layer.json"])
    window.open_file(path)
    assert "unknown type 'transformer'" in dialog_script.errors[0][1]


def test_opening_over_unsaved_changes_asks_first(window, tmp_path, dialog_script):
    path = tmp_path / "mlp.json"
    preset("mlp").save(path)
    window.document.add_layer(0, "tanh")
    edited = window.document.spec
    dialog_script.save_choice = SaveChoice.CANCEL
    assert not window.open_file(path)
    assert window.document.spec == edited
    dialog_script.save_choice = SaveChoice.DISCARD
    assert window.open_file(path)
    assert window.document.spec == preset("mlp")
    assert dialog_script.save_questions == ["SimpleConvNet", "SimpleConvNet"]


@pytest.mark.parametrize("name", preset_names())
def test_each_preset_loads_from_the_presets_menu(window, name):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    presets = next(a.menu() for a in menu.actions() if a.text() == "&Presets")
    next(a for a in presets.actions() if a.text() == name).trigger()
    assert window.document.spec == preset(name)
    assert window.document.path is None  # saving asks where; the preset stays as it is


def test_recent_files_menu_reopens_and_drops_missing_files(window, tmp_path, settings):
    path = tmp_path / "toy.json"
    preset("toy_spiral").save(path)
    window.open_file(path)
    window.new_network()
    window._fill_recent_menu()
    actions = window.recent_menu.actions()
    assert actions[0].text() == str(path.resolve())
    actions[0].trigger()
    assert window.document.spec == preset("toy_spiral")
    path.unlink()
    window._fill_recent_menu()
    window.recent_menu.actions()[0].trigger()
    assert RecentFiles(settings).paths() == []


def test_a_file_on_the_command_line_opens(qtbot, tmp_path, settings):
    path = tmp_path / "deep.json"
    preset("deep_cnn").save(path)
    win = create_main_window(path, settings=settings)
    qtbot.addWidget(win)
    assert win.document.spec == preset("deep_cnn")
    assert win.document.path == path


@pytest.mark.parametrize(
    ("choice", "closes", "saved"),
    [
        (SaveChoice.CANCEL, False, False),
        (SaveChoice.DISCARD, True, False),
        (SaveChoice.SAVE, True, True),
    ],
)
def test_closing_with_unsaved_changes_asks(window, tmp_path, dialog_script, choice, closes, saved):
    window.document.add_layer(0, "relu")
    dialog_script.save_choice = choice
    dialog_script.save_paths.append(tmp_path / "closing.json")
    assert window.close() == closes
    assert dialog_script.save_questions == ["SimpleConvNet"]
    assert (tmp_path / "closing.json").exists() == saved


def test_closing_without_changes_does_not_ask(window, dialog_script):
    assert window.close()
    assert dialog_script.save_questions == []


def test_double_clicking_a_palette_entry_adds_it_below_the_selection(window):
    window.canvas.select(3)
    window.palette.itemActivated.emit(window.palette.item_for("dropout"), 0)
    assert window.document.spec.layers[4]["type"] == "dropout"
    window.canvas.select(None)
    window.palette.itemActivated.emit(window.palette.item_for("tanh"), 0)
    assert window.document.spec.layers[-1]["type"] == "tanh"


def test_the_summary_tracks_validity(window):
    window.document.set_input_shape((5,))
    assert window.summary.text().startswith("7 layers · 0 parameters · invalid")
    assert "layer 0 (conv2d): needs an image input" in window.summary.text()


def test_edit_menu_holds_undo_redo_and_layer_actions(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert actions[:2] == [window.undo_action, window.redo_action]
    assert actions[2:] == window.canvas.layer_actions()


def test_keys_undo_redo_and_delete_only_where_they_belong(window, qtbot):
    window.activateWindow()
    qtbot.waitActive(window)
    window.canvas.select(0)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Delete)
    assert len(window.document.spec.layers) == 6
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.document.spec.layers) == 7
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, redo)
    assert len(window.document.spec.layers) == 6
    name = window.inspector.name_edit
    name.setFocus()
    name.end(False)
    qtbot.keyClick(name, Qt.Key.Key_Backspace)  # edits the name, deletes no layer
    assert window.document.spec.name == "SimpleConvNe"
    assert len(window.document.spec.layers) == 6


def test_main_opens_the_file_given_on_the_command_line(qapp, tmp_path, monkeypatch):
    import sys

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import main
    from ui.main_window import MainWindow

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main installs its own
    path = tmp_path / "toy.json"
    preset("toy_spiral").save(path)
    seen = []

    def look_and_close():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.document.path == path:
                seen.append(widget.document.spec)
                widget.close()
                widget.deleteLater()
        qapp.quit()

    QTimer.singleShot(300, look_and_close)
    assert main(["nn-playground", str(path)]) == 0
    assert seen == [preset("toy_spiral")]


def test_an_unexpected_error_becomes_a_message_not_a_crash(window, monkeypatch, capsys):
    from PySide6.QtWidgets import QMessageBox

    from ui.app import _error_box_hook

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a: shown.append(a[2])))
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        _error_box_hook(window)(type(exc), exc, exc.__traceback__)
    assert shown and "boom" in shown[0] and "unchanged" in shown[0]
    assert "Traceback" in capsys.readouterr().err


def test_opening_a_bundled_preset_file_never_saves_over_it(window, dialog_script, tmp_path):
    shipped = preset_path("mlp").read_bytes()
    assert window.open_file(preset_path("mlp"))
    assert window.document.path is None
    window.document.set_loss("mse")
    dialog_script.save_paths.append(tmp_path / "mine.json")
    assert window.save()  # asks where
    assert window.document.path == tmp_path / "mine.json"
    assert preset_path("mlp").read_bytes() == shipped


@pytest.mark.parametrize("preset", ["toy_spiral", "simple_convnet"])
def test_the_training_setup_fits_the_docks_default_width(window, preset):
    """Every field whole, without sideways scrolling, in the ~270 px the left docks get
    in a 1280 x 800 window (the longest dataset name must not widen the form)."""
    assert window.load_preset(preset)
    content = window.training_dock.widget().widget()
    assert content.minimumSizeHint().width() <= 250
