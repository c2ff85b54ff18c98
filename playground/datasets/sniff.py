"""Say what a file really holds from its first bytes, for messages about foreign files."""

from __future__ import annotations

import codecs
from pathlib import Path

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x93NUMPY", "a single NumPy .npy array"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x00\x00\x08", "an IDX file of unsigned bytes"),
)


def read_head(path: Path, size: int = 16) -> bytes:
    """The first ``size`` bytes of a file (fewer if it is shorter)."""
    with path.open("rb") as f:
        return f.read(size)


def known_format(head: bytes) -> str | None:
    """What ``head`` (a file's first bytes) is, e.g. "a PNG image", if it has a known signature."""
    return next((what for signature, what in _SIGNATURES if head.startswith(signature)), None)


def describe(head: bytes) -> str:
    """A short phrase for what ``head`` looks like: a known format, text or binary data."""
    if not head:
        return "an empty file"
    if what := known_format(head):
        return what
    try:
        # Incremental, so that a character cut off at the end of ``head`` is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return "binary data"
    return "binary data" if b"\x00" in head else "text"
