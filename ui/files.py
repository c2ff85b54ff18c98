"""Reading and writing the files the editor opens and saves.

A project file (``.nnp``) holds the spec with its training setup, weights and
history; a ``.json`` file holds only the spec. Both open as a ``Project``. A file
that cannot be used raises ``FileProblem`` whose message names the reason.
Writing is atomic (``playground.atomic_write``: a temporary file beside the
target, then a rename), so a failed save never destroys what was saved before.
"""

from __future__ import annotations

from pathlib import Path

from playground.errors import ProjectError
from playground.paths import resources_dir
from playground.project import Project

SPEC_SUFFIX = ".json"


class FileProblem(Exception):
    """A file that cannot be read or written; the message says why."""


def read_project(path: Path) -> Project:
    """The project in ``path``: a project file, or a spec-only ``.json`` (untrained)."""
    try:
        return Project.load(path)
    except ProjectError as exc:
        raise FileProblem(str(exc)) from exc


def is_bundled_preset(path: Path) -> bool:
    """Whether ``path`` is one of the presets shipped with the app (never overwritten)."""
    presets = (resources_dir() / "presets").resolve()
    return path.resolve().parent == presets


def write_project(project: Project, path: Path) -> None:
    """Save ``project`` to ``path``: the whole project, or only its spec for a ``.json`` path."""
    try:
        if path.suffix.lower() == SPEC_SUFFIX:
            project.spec.save(path)
        else:
            project.save(path)
    except ProjectError as exc:
        raise FileProblem(str(exc)) from exc
