"""Every file the project writes goes through one atomic write: whole or not at all."""

import errno
import os
import resource
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

from playground import NetworkSpec, ProjectError
from playground.atomic_write import write_atomically
from playground.paths import preset_path
from playground.project import Project


def spec() -> NetworkSpec:
    return NetworkSpec.load(preset_path("simple_convnet"))


SAVES = {
    "project": lambda path: Project(spec()).save(path),
    "spec": lambda path: spec().save(path),
}


@pytest.fixture
def read_only_file_system(monkeypatch):
    """Creating, and removing, a file in the folder fails as on a read-only mount."""
    real_open = os.open

    def refuse_create(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    def refuse_unlink(self, missing_ok=False):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))

    monkeypatch.setattr(os, "open", refuse_create)
    monkeypatch.setattr(Path, "unlink", refuse_unlink)


@pytest.mark.parametrize("kind", list(SAVES))
def test_a_read_only_file_system_is_a_project_error_naming_the_users_file(
    kind, tmp_path, read_only_file_system
):
    path = tmp_path / "net.nnp"
    path.write_bytes(b"what was saved before")
    with pytest.raises(ProjectError) as caught:
        SAVES[kind](path)
    assert str(caught.value) == f"cannot save {path}: Read-only file system"
    assert path.read_bytes() == b"what was saved before"


@contextmanager
def file_size_limit():
    """Writes beyond 64 bytes fail with EFBIG, as on a full disk (for this process only)."""
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)


@pytest.mark.parametrize("kind", list(SAVES))
def test_a_write_that_fails_half_way_leaves_the_old_file_whole(kind, tmp_path):
    path = tmp_path / "net.json"
    path.write_bytes(b"old")
    with pytest.raises(ProjectError, match=f"cannot save {path}: File too large"):
        with file_size_limit():
            SAVES[kind](path)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["net.json"]


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a.bin"

    def interrupted(f):
        f.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, interrupted)
    assert os.listdir(tmp_path) == []


def test_a_spec_saves_as_readable_json(tmp_path):
    spec().save(tmp_path / "net.json")
    assert NetworkSpec.load(tmp_path / "net.json") == spec()
    assert os.listdir(tmp_path) == ["net.json"]
