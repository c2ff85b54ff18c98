"""Starting the app: no display, --version, and saving onto a file system that refuses it."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground import __version__
from ui.desktop import display_problem

ROOT = Path(__file__).resolve().parents[2]


def run_app(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    clean.pop("QT_QPA_PLATFORM", None)  # the tests' offscreen platform
    return subprocess.run(
        [sys.executable, "-m", "ui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, **env},
        timeout=60,
    )


def free_display() -> str:
    """A display number no X server on this machine listens on (other tests run Xvfb)."""
    number = next(n for n in range(960, 1000) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    return f":{number}"


@pytest.mark.parametrize(
    "env, problem",
    [
        ({}, "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)"),
        ({"DISPLAY": "free"}, "cannot connect to the display (DISPLAY={display})"),
    ],
)
def test_without_a_display_the_app_says_so_and_exits_1(env, problem):
    display = free_display()
    env = {k: display if v == "free" else v for k, v in env.items()}
    problem = problem.format(display=display)
    done = run_app(**env)
    assert done.returncode == 1, done.stderr  # not SIGABRT (-6)
    first, second = done.stderr.splitlines()
    assert first == f"nn-playground: {problem}."
    assert second.startswith("The app needs a desktop session")
    assert "python -m playground" in second


def test_a_headless_platform_needs_no_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display_problem() is None


def test_version_works_without_a_display():
    done = run_app("--version")
    assert done.returncode == 0 and done.stdout == f"nn-playground {__version__}\n"


@pytest.mark.parametrize("name", ["net.nnp", "net.json"])
def test_saving_onto_a_read_only_file_system_says_cannot_save(
    window, dialog_script, tmp_path, monkeypatch, name
):
    path = tmp_path / name
    path.write_bytes(b"saved before")
    real_open = os.open

    def read_only(target, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))
        return real_open(target, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    dialog_script.save_paths.append(path)
    assert not window.save_as()
    assert dialog_script.errors == [("Cannot save", f"cannot save {path}: Read-only file system")]
    assert path.read_bytes() == b"saved before"
