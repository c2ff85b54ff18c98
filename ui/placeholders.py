"""Panels for features that later versions fill: training plots, step-through, draw pad.

Each carries the ``objectName`` the design fixes, so the layout has room for it
and automation can find it, and says plainly that it does nothing yet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class UnavailablePanel(QFrame):
    """A framed, titled area that states the feature it is for is not available yet."""

    def __init__(self, object_name: str, title: str, what: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumSize(160, 120)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>")
        note = QLabel(f"{what}<br><i>Not available yet in this version.</i>")
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setStyleSheet("color: #5d6773;")
        layout.addWidget(heading)
        layout.addWidget(note, 1)
