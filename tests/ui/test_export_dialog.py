"""File > Export…: the three formats with their notes, exporting the current project, errors."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton, QRadioButton

from playground.export import FORMATS
from ui import dialogs
from ui.export_dialog import ExportDialog


@pytest.fixture
def export_paths(monkeypatch) -> tuple[list[Path], list[tuple]]:
    """Answers for the export path chooser (None: cancelled) and a record of what it asked."""
    answers: list[Path | None] = []
    asked: list[tuple] = []

    def choose(parent, title, suggestion, writes_folder, suffix):
        asked.append((title, suggestion, writes_folder, suffix))
        return answers.pop(0)

    monkeypatch.setattr(dialogs, "choose_export_path", choose)
    return answers, asked


def open_export_dialog(window, qtbot) -> ExportDialog:
    """Through the File menu, as a person would."""
    window.findChild(QAction, "exportAction").trigger()
    dialog = window.findChild(ExportDialog, "exportDialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def export_as(dialog: ExportDialog, qtbot, format_name: str) -> None:
    choice = dialog.findChild(QRadioButton, f"exportFormat_{format_name}")
    # On the round indicator: a click beyond the label's end does not count as one.
    qtbot.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(8, choice.height() // 2))
    assert choice.isChecked()
    qtbot.mouseClick(dialog.findChild(QPushButton, "exportButton"), Qt.MouseButton.LeftButton)


def test_the_file_menu_offers_export_right_after_save_as(window):
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert texts[texts.index("Save &As…") + 1] == "&Export…"


def test_the_dialog_offers_every_format_with_its_note(window, qtbot):
    dialog = open_export_dialog(window, qtbot)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    notes = [label.text() for label in dialog.findChildren(QLabel)]
    for name, fmt in FORMATS.items():
        assert dialog.findChild(QRadioButton, f"exportFormat_{name}").text() == fmt.title
        assert fmt.note in notes
    assert "trained weights" in notes[0] and "SimpleConvNet" in notes[0]


def test_pytorch_export_writes_the_current_projects_weights(window, qtbot, export_paths, tmp_path):
    answers, asked = export_paths
    answers.append(tmp_path / "out")
    dialog = open_export_dialog(window, qtbot)
    export_as(dialog, qtbot, "pytorch")
    assert asked[0][0] == "PyTorch" and asked[0][1].endswith("SimpleConvNet-pytorch")
    assert asked[0][2] is True
    with np.load(tmp_path / "out" / "weights.npz") as saved:
        conv = window.document.project.network.params["0.W"]
        np.testing.assert_array_equal(saved["layers.0.weight"], conv)
    result = dialog.findChild(QLabel, "exportResult").text()
    assert result == f"Exported as PyTorch to {tmp_path / 'out'}: model.py, weights.npz, README.md"
    assert dialog.isVisible()  # to export again, in another format


@pytest.mark.parametrize("format_name", ["onnx", "numpy"])
def test_each_other_format_writes_its_files(window, qtbot, export_paths, tmp_path, format_name):
    if format_name == "onnx":
        pytest.importorskip("onnx", reason="writing ONNX needs the onnx package")
    answers, asked = export_paths
    target = tmp_path / ("model.onnx" if format_name == "onnx" else "ejected")
    answers.append(target)
    dialog = open_export_dialog(window, qtbot)
    export_as(dialog, qtbot, format_name)
    assert asked[0][3] == FORMATS[format_name].suffix
    assert (target if format_name == "onnx" else target / "model.py").is_file()
    assert "Exported as" in dialog.findChild(QLabel, "exportResult").text()


def test_a_cancelled_choice_writes_nothing(window, qtbot, export_paths, dialog_script):
    answers, _ = export_paths
    answers.append(None)
    dialog = open_export_dialog(window, qtbot)
    export_as(dialog, qtbot, "numpy")
    assert dialog.findChild(QLabel, "exportResult").text() == ""
    assert dialog_script.errors == []


def test_an_unwritable_place_is_a_message_and_the_dialog_stays(
    window, qtbot, export_paths, dialog_script, tmp_path
):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    answers, _ = export_paths
    answers += [tmp_path / "first", a_file / "out"]
    dialog = open_export_dialog(window, qtbot)
    export_as(dialog, qtbot, "pytorch")
    export_as(dialog, qtbot, "pytorch")
    ((title, message),) = dialog_script.errors
    assert title == "Cannot export" and message.startswith("cannot create the folder")
    assert dialog.isVisible() and a_file.read_text() == "keep me"
    assert dialog.findChild(QLabel, "exportResult").text() == ""  # not the first export's


def test_a_missing_package_says_how_to_install_it(
    window, qtbot, export_paths, dialog_script, tmp_path, monkeypatch
):
    monkeypatch.setitem(sys.modules, "onnx", None)
    answers, _ = export_paths
    answers.append(tmp_path / "model.onnx")
    dialog = open_export_dialog(window, qtbot)
    export_as(dialog, qtbot, "onnx")
    ((title, message),) = dialog_script.errors
    assert "pip install onnx" in message
    assert not (tmp_path / "model.onnx").exists()


def test_an_invalid_network_is_named_by_layer(window, qtbot, export_paths, dialog_script, tmp_path):
    window.document.set_layer_config(0, {"type": "conv2d", "filters": 4, "kernel_size": 40})
    answers, _ = export_paths
    answers.append(tmp_path / "out")
    dialog = open_export_dialog(window, qtbot)
    export_as(dialog, qtbot, "numpy")
    ((title, message),) = dialog_script.errors
    assert message == "layer 0 (conv2d): kernel_size 40 does not fit input 28x28 (padding 0)"
