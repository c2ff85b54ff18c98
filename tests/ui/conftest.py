"""UI test fixtures: isolated settings, dialogs that never block, a shown main window."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from ui import dialogs
from ui.app import create_main_window


@dataclass
class DialogScript:
    """Answers for the window's dialogs, and a record of what was asked and shown."""

    save_choice: dialogs.SaveChoice = dialogs.SaveChoice.DISCARD
    open_paths: list[Path] = field(default_factory=list)  # next answers of the Open dialog
    save_paths: list[Path] = field(default_factory=list)  # next answers of the Save As dialog
    save_questions: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture(autouse=True)
def dialog_script(monkeypatch: pytest.MonkeyPatch) -> DialogScript:
    """No test ever waits on a modal dialog: every dialog is answered from this script."""
    script = DialogScript()

    def ask_to_save(parent, name):
        script.save_questions.append(name)
        return script.save_choice

    monkeypatch.setattr(dialogs, "ask_to_save", ask_to_save)
    monkeypatch.setattr(
        dialogs, "show_error", lambda parent, title, text: script.errors.append((title, text))
    )
    monkeypatch.setattr(
        dialogs,
        "choose_open_path",
        lambda parent, directory: script.open_paths.pop(0) if script.open_paths else None,
    )
    monkeypatch.setattr(
        dialogs,
        "choose_save_path",
        lambda parent, suggestion: script.save_paths.pop(0) if script.save_paths else None,
    )
    return script


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a temporary file, never the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    """The main window with the default preset, shown offscreen."""
    win = create_main_window(settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win
