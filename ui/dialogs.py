"""Every dialog the main window opens, in one place so that tests can answer them.

Tests replace these functions (``monkeypatch.setattr(dialogs, "ask_to_save", …)``);
the window always calls them through this module.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

OPEN_FILTER = ";;".join(
    [
        "Network files (*.nnp *.json)",
        "Projects (*.nnp)",
        "Network specs (*.json)",
        "All files (*)",
    ]
)
PROJECT_FILTER = "NN Playground project (*.nnp)"
SPEC_FILTER = "Network spec only (*.json)"


class SaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_to_save(parent: QWidget, name: str) -> SaveChoice:
    """Ask whether to save unsaved changes to ``name`` before they would be lost."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        f"Save the changes to {name} first?",
        buttons.Save | buttons.Discard | buttons.Cancel,
        buttons.Save,
    )
    if answer == buttons.Save:
        return SaveChoice.SAVE
    if answer == buttons.Discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


def show_error(parent: QWidget, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def choose_open_path(parent: QWidget, directory: str) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open network", directory, OPEN_FILTER)
    return Path(path) if path else None


def choose_save_path(parent: QWidget, suggestion: str) -> Path | None:
    """Where to save: a project (``.nnp``, the default) or the spec alone (``.json``)."""
    filters = f"{PROJECT_FILTER};;{SPEC_FILTER}"
    path, chosen = QFileDialog.getSaveFileName(parent, "Save network as", suggestion, filters)
    if not path:
        return None
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".json" if chosen == SPEC_FILTER else ".nnp")
    return path


DATA_FILTER = ";;".join(
    [
        "Datasets (*.idx *-ubyte *-ubyte.gz *.gz *.csv *.npz)",
        "MNIST IDX files (*-ubyte *-ubyte.gz *.idx)",
        "CSV with a label column (*.csv)",
        "NumPy archive with x and y (*.npz)",
        "All files (*)",
    ]
)


def choose_dataset_path(parent: QWidget, directory: str, folder: bool) -> Path | None:
    """The user's own data: a file (IDX, CSV, .npz) or a folder (IDX files, or one
    sub-folder of images per class)."""
    if folder:
        path = QFileDialog.getExistingDirectory(parent, "Open a dataset folder", directory)
    else:
        path, _ = QFileDialog.getOpenFileName(parent, "Open a dataset", directory, DATA_FILTER)
    return Path(path) if path else None


def choose_export_path(
    parent: QWidget, title: str, suggestion: str, writes_folder: bool, suffix: str
) -> Path | None:
    """Where to export as ``title``: a folder (created if new) or one file ending in ``suffix``."""
    if writes_folder:
        caption = f"Export as {title}: the folder to write into (created if new)"
        path, _ = QFileDialog.getSaveFileName(parent, caption, suggestion, "Folder (*)")
        return Path(path) if path else None
    caption = f"Export as {title}"
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggestion, f"{title} (*{suffix})")
    if not path:
        return None
    path = Path(path)
    return path if path.suffix else path.with_suffix(suffix)
