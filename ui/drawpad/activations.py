"""``ActivationsView``: every layer's output for the drawing, one row per layer.

Image-shaped outputs (conv, pooling, activations of them) are shown as a mosaic of their
feature maps; vector outputs (dense layers and their activations) as bars. A flatten layer's
output is the previous layer's maps in one row, so it is named, not drawn again.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from playground.layers import shape_text
from playground.reading import LayerOutput
from ui.drawpad.images import PixelView, bars_image, mosaic_image


class ActivationsView(QScrollArea):
    """Shows ``LayerOutput``s; the rows are rebuilt only when the layers change."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("activationsView")
        self.setWidgetResizable(True)
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.addStretch(1)
        self.setWidget(self._body)
        self._layers: tuple[tuple[str, tuple[int, ...]], ...] = ()
        self._titles: list[QLabel] = []
        self._views: list[PixelView | None] = []

    def views(self) -> list[PixelView | None]:
        """One picture per layer (None for a flatten layer), in order."""
        return list(self._views)

    def clear(self) -> None:
        for view in self._views:
            if view is not None:
                view.set_image(None)

    def show_layers(self, layers: tuple[LayerOutput, ...]) -> None:
        signature = tuple((o.type_name, o.values.shape) for o in layers)
        if signature != self._layers:
            self._rebuild(layers)
            self._layers = signature
        for output, view in zip(layers, self._views, strict=True):
            if view is None:
                continue
            values = output.values
            view.set_image(mosaic_image(values) if values.ndim == 3 else bars_image(values))

    def _rebuild(self, layers: tuple[LayerOutput, ...]) -> None:
        while self._layout.count() > 1:
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._titles, self._views = [], []
        for output in layers:
            shape = output.values.shape
            title = QLabel(f"{output.index} {output.type_name}: {shape_text(shape)}")
            view = None
            if output.type_name == "flatten":
                title.setText(title.text() + " (the maps above, in one row)")
            else:
                view = PixelView(f"activation{output.index}")
                # Mosaics as tall as wide; bar strips low.
                height = 170 if len(shape) == 3 else 48
                view.set_size_hint(QSize(200, height))
                view.setMinimumHeight(height)
            for widget in (title, view):
                if widget is not None:  # before the closing stretch
                    self._layout.insertWidget(self._layout.count() - 1, widget)
            self._titles.append(title)
            self._views.append(view)
