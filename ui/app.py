"""Entry point of the desktop application: ``nn-playground [FILE]`` or ``python -m ui``."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

if TYPE_CHECKING:
    from ui.main_window import MainWindow

ORGANIZATION = "nn-playground"
APPLICATION = "NN Playground"


def create_main_window(path: Path | None = None, settings: QSettings | None = None) -> MainWindow:
    """The main window with the bundled trained model (or ``path``), without an event loop.

    Needs a ``QApplication``. ``settings`` defaults to the application's own;
    tests pass one in a temporary folder.
    """
    # Imported here so that ``main`` can limit NumPy's threads before NumPy loads.
    from playground.project import default_project
    from ui.main_window import MainWindow

    window = MainWindow(default_project(), settings or QSettings())
    if path is not None:
        window.open_file(path)
    return window


def configure_engine(batch_threads: int = 2, switch_interval: float = 0.001) -> None:
    """How the engine shares the cores with the window, decided once before any training.

    One OpenBLAS thread (its busy-waiting threads would take the GUI's core) and the
    engine's own batch splitting over ``batch_threads`` threads; a short GIL switch
    interval so the GUI thread is not kept waiting by a worker running many tiny NumPy
    steps. Measured with ``python -m ui.bench`` (see the README).
    """
    from playground.layers.parallel import ThreadPolicy, set_thread_policy

    sys.setswitchinterval(switch_interval)
    set_thread_policy(ThreadPolicy(batch_threads=batch_threads, blas_threads=1))


def main(argv: list[str] | None = None) -> int:
    """Run the application; ``argv`` defaults to ``sys.argv``."""
    argv = sys.argv if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="nn-playground",
        description="NN Playground: build a neural network by dragging layers onto a canvas.",
    )
    parser.add_argument("file", nargs="?", type=Path, help="a project or network spec to open")
    args, _qt_args = parser.parse_known_args(argv[1:])

    # One BLAS thread: training runs on a worker thread and must leave the GUI a core.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    configure_engine()
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication(argv)
    window = create_main_window()
    sys.excepthook = _error_box_hook(window)
    window.show()
    if args.file is not None:
        QTimer.singleShot(0, lambda: window.open_file(args.file))
    return app.exec()


def _error_box_hook(window: MainWindow) -> Callable[..., None]:
    """Show an unexpected error as a message (traceback on stderr), never a crash."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        traceback.print_exception(kind, error, tb)
        message = f"Something went wrong: {error}\n\nThe network you are editing is unchanged."
        QMessageBox.critical(window, "Unexpected error", message)

    return hook
