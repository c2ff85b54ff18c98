"""The one way the project writes a file: whole or not at all.

The bytes go to a temporary file beside the target (same file system, so the
rename is atomic), are flushed to disk, and only then replace the target. A
failure at any point leaves the old file as it was and no temporary file behind,
and is reported as a ``ProjectError`` naming the user's file, never the temporary one.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from playground.errors import ProjectError


def write_atomically(path: str | Path, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(f)`` on a temporary file beside ``path``, then rename it onto ``path``.

    Raises ProjectError ("cannot save <path>: <cause>") for any OSError; other
    exceptions (KeyboardInterrupt, a bug in ``write``) pass through, with the
    temporary file removed all the same.
    """
    path = Path(path)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    created = False
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        created = True
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
        created = False
    except OSError as exc:
        raise ProjectError(f"cannot save {path}: {_cause(exc)}") from exc
    finally:
        if created:
            # The cleanup must not replace the error being reported (e.g. on a file
            # system that turned read-only, unlink fails too).
            with contextlib.suppress(OSError):
                temp.unlink()
    _sync_directory(path.parent)


def _cause(exc: OSError) -> str:
    """The reason alone: the temporary file's name means nothing to the user."""
    return exc.strerror or type(exc).__name__


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); not possible on every platform."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
