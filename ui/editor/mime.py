"""Drag payloads: a palette item carries a layer type's registry name, a block its index."""

from __future__ import annotations

from PySide6.QtCore import QMimeData

from playground.layers import LAYER_TYPES

LAYER_MIME = "application/x-nn-playground-layer"
BLOCK_MIME = "application/x-nn-playground-block"


def layer_mime_data(type_name: str) -> QMimeData:
    """What a drag from the palette carries: the registry name of one layer type."""
    mime = QMimeData()
    mime.setData(LAYER_MIME, type_name.encode("utf-8"))
    mime.setText(type_name)
    return mime


def block_mime_data(index: int) -> QMimeData:
    """What a drag of a canvas block carries: the index of the layer being moved."""
    mime = QMimeData()
    mime.setData(BLOCK_MIME, str(index).encode("ascii"))
    return mime


def layer_type_from_mime(mime: QMimeData) -> str | None:
    """The registered layer type a drag carries, or None if it carries none."""
    if not mime.hasFormat(LAYER_MIME):
        return None
    name = bytes(mime.data(LAYER_MIME)).decode("utf-8", errors="replace")
    return name if name in LAYER_TYPES else None


def block_index_from_mime(mime: QMimeData) -> int | None:
    """The index of the block a drag carries, or None if it carries none."""
    if not mime.hasFormat(BLOCK_MIME):
        return None
    text = bytes(mime.data(BLOCK_MIME)).decode("ascii", errors="replace")
    return int(text) if text.isdigit() else None
