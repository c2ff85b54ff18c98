"""Entry point of the desktop application."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def create_main_window() -> QMainWindow:
    """The main window, built without starting an event loop (for tests and automation)."""
    window = QMainWindow()
    window.setWindowTitle("NN Playground")
    window.setCentralWidget(QLabel("NN Playground"))
    window.resize(1200, 800)
    return window


def main(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    window = create_main_window()
    window.show()
    return app.exec()
