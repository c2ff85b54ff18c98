"""The Help menu: the keyboard shortcuts, and About (version, licence, where the bundled
data comes from).

The shortcuts are read from the window's own menus when the dialog opens, so the
list is always the one the window really has; the provenance of the bundled
digits is the README that ships beside them.
"""

from __future__ import annotations

import platform
import re

import numpy as np
import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from playground import __version__
from playground.paths import resources_dir

APP_NAME = "NN Playground"
LICENCE = "MIT"  # pyproject.toml's licence (tests/ui/test_help.py keeps the two equal)
DATA_README = ("data", "README.md")
# Keys that widgets handle themselves rather than through an action in a menu.
OTHER_KEYS = (("Network canvas", "Select the block above / below", "Up / Down"),)


def add_help_menu(window: QMainWindow) -> QMenu:
    """Add the Help menu to ``window``'s menu bar (last, where people look for it)."""
    menu = window.menuBar().addMenu("&Help")
    shortcuts = menu.addAction("&Keyboard Shortcuts", lambda: _open(ShortcutsDialog(window)))
    shortcuts.setShortcuts(QKeySequence.StandardKey.HelpContents)
    menu.addSeparator()
    about = menu.addAction(f"&About {APP_NAME}", lambda: _open(AboutDialog(window)))
    about.setMenuRole(QAction.MenuRole.AboutRole)
    return menu


def _open(dialog: QDialog) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()  # window-modal, without a nested event loop


class AboutDialog(QDialog):
    """The version, the licence, the versions it runs on, and the bundled data's provenance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{APP_NAME} {__version__}</h2>")
        heading.setObjectName("aboutVersion")
        layout.addWidget(heading)
        summary = QLabel(
            "Build neural networks on a canvas, train them with a from-scratch NumPy "
            "backprop engine, step through a pass and draw digits for the model to read.<br>"
            f"Licence: {LICENCE}.<br>"
            f"Python {platform.python_version()}, NumPy {np.__version__}, "
            f"PySide6 {PySide6.__version__} (Qt {qVersion()})."
        )
        summary.setObjectName("aboutSummary")
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(summary)
        data = QTextBrowser()
        data.setObjectName("aboutData")
        data.setOpenExternalLinks(True)
        data.setMarkdown(resources_dir().joinpath(*DATA_README).read_text(encoding="utf-8"))
        layout.addWidget(data, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 460)


class ShortcutsDialog(QDialog):
    """Every key of the window: its menus' shortcuts and the keys widgets handle."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        rows = [*menu_shortcuts(window), *view_shortcuts(window), *OTHER_KEYS]
        table = QTableWidget(len(rows), 3)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["Where", "What", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table = table
        table.resizeColumnsToContents()
        # Wide enough for every column (the frame and scroll bar take about 60 px).
        self.resize(table.horizontalHeader().length() + 60, 520)


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """``(where, what, keys)`` for every action with a shortcut in ``window``'s menus."""
    rows: list[tuple[str, str, str]] = []

    def visit(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                visit(action.menu(), f"{path} › {_plain(action.text())}")
            elif keys := [k for k in action.shortcuts() if _on_a_plain_keyboard(k)]:
                text = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
                rows.append((_where(path, action), _title(action), text))

    for action in window.menuBar().actions():
        if action.menu() is not None:
            visit(action.menu(), _plain(action.text()))
    return rows


def view_shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """``(where, what, keys)`` for every ``QShortcut`` of the views (Train F5, Step → …).

    What a shortcut does is its ``whatsThis``, or else the tooltip of the button beside it
    that names the key in parentheses ("Train until the configured epochs (F5)").
    """
    rows = []
    for shortcut in window.findChildren(QShortcut):
        keys = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
        owner = shortcut.parent()
        if not keys or not isinstance(owner, QWidget):
            continue
        what = shortcut.whatsThis() or next(
            (
                b.toolTip().replace(f"({keys})", "").strip()
                for b in owner.findChildren(QAbstractButton)
                if f"({keys})" in b.toolTip()
            ),
            "",
        )
        rows.append((_panel_name(owner).capitalize(), what, keys))
    return rows


def _on_a_plain_keyboard(keys: QKeySequence) -> bool:
    """False for the dedicated Help, Save, Undo… keys of multimedia keyboards, which the
    platform's standard shortcuts include (they would only clutter the list)."""
    key = keys[0].key().value
    dedicated = key == Qt.Key.Key_Help.value or key >= Qt.Key.Key_Back.value
    return not dedicated and not Qt.Key.Key_F13.value <= key <= Qt.Key.Key_F35.value


def _where(path: str, action: QAction) -> str:
    """The menu, and the panel the shortcut is limited to, if any."""
    if action.shortcutContext() == Qt.ShortcutContext.WindowShortcut:
        return path
    return f"{path} (in the {_panel_name(action.parent())})"


def _panel_name(widget: QWidget) -> str:
    """``networkCanvas`` -> ``"network canvas"`` (or the widget's accessible name)."""
    return widget.accessibleName() or re.sub(r"(?<!^)(?=[A-Z])", " ", widget.objectName()).lower()


def _title(action: QAction) -> str:
    """What the action does: its text, without the command that the undo stack's Undo
    and Redo actions name after it ("Undo Set units of dense (layer 3) to 64")."""
    text = _plain(action.text())
    verb = text.split(" ", 1)[0]
    return verb if verb in ("Undo", "Redo") else text


def _plain(text: str) -> str:
    """A menu text without its mnemonic marks: ``"Save &As…"`` -> ``"Save As…"``."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
