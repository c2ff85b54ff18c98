"""The Open Recent list, kept in the application's ``QSettings``."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings

_KEY = "recentFiles"
LIMIT = 8


class RecentFiles:
    """Most recently opened or saved files first, at most ``LIMIT``."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def paths(self) -> list[Path]:
        raw = self.settings.value(_KEY, "[]")
        try:
            names = json.loads(raw) if isinstance(raw, str) else []
        except json.JSONDecodeError:
            names = []  # a hand-edited settings file must not stop the app
        return [Path(n) for n in names if isinstance(n, str)][:LIMIT]

    def add(self, path: Path) -> None:
        path = path.resolve()
        self._store([path] + [p for p in self.paths() if p != path])

    def remove(self, path: Path) -> None:
        self._store([p for p in self.paths() if p != path.resolve()])

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self.settings.setValue(_KEY, json.dumps([str(p) for p in paths[:LIMIT]]))
        self.settings.sync()
