"""File > Export…: the current project's network as PyTorch code, an ONNX file or plain NumPy.

The formats, their notes and the work are the engine's (``playground.export``);
this dialog only picks one and a place. Where to write is asked through
``ui.dialogs`` (tests answer it); a failed export is shown as a message and the
dialog stays open.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from playground.errors import DataError, ExportError, SpecError
from playground.export import FORMATS, export
from playground.project import Project
from ui import dialogs

_NOTE_STYLE = "color: #5d6773; margin-left: 22px; margin-bottom: 6px;"


class ExportDialog(QDialog):
    """Export ``project`` (a snapshot: the document replaces, never changes, its project)."""

    def __init__(self, project: Project, directory: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export network")
        self.project = project
        self.directory = directory or str(Path.home())
        layout = QVBoxLayout(self)

        weights = "its trained weights" if project.weights is not None else "its initial weights"
        intro = QLabel(
            f"Export <b>{project.spec.name}</b> with {weights} and its input normalisation. "
            "Each export computes what this network computes."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.formats = QButtonGroup(self)
        for name, fmt in FORMATS.items():
            button = QRadioButton(fmt.title)
            button.setObjectName(f"exportFormat_{name}")
            button.setProperty("format", name)
            self.formats.addButton(button)
            note = QLabel(fmt.note)
            note.setWordWrap(True)
            note.setStyleSheet(_NOTE_STYLE)
            layout.addWidget(button)
            layout.addWidget(note)
        self.formats.buttons()[0].setChecked(True)

        self.result = QLabel()
        self.result.setObjectName("exportResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        # Enter exports; Close only when clicked (or Escape).
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        self.export_button.clicked.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    @property
    def format_name(self) -> str:
        return self.formats.checkedButton().property("format")

    def export(self) -> bool:
        """Ask where, write the chosen format there; say what was written or why not."""
        fmt = FORMATS[self.format_name]
        stem = re.sub(r"\W+", "_", self.project.spec.name).strip("_") or "network"
        name = f"{stem}-{fmt.name}" if fmt.writes_folder else f"{stem}{fmt.suffix}"
        path = dialogs.choose_export_path(
            self, fmt.title, str(Path(self.directory) / name), fmt.writes_folder, fmt.suffix
        )
        if path is None:
            return False
        self.result.clear()  # the last export's message no longer applies
        try:
            files = export(self.project, fmt.name, path)
        except (ExportError, SpecError, DataError) as exc:
            dialogs.show_error(self, "Cannot export", str(exc))
            return False
        where = path if fmt.writes_folder else path.parent
        written = ", ".join(f.name for f in files)
        self.result.setText(f"Exported as {fmt.title} to {where}: {written}")
        return True


def show_export_dialog(parent: QWidget, project: Project, directory: str = "") -> ExportDialog:
    """Open the dialog window-modal (without blocking) on ``project``; it deletes itself."""
    dialog = ExportDialog(project, directory, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
