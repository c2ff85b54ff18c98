"""The layer palette: every registered layer type, grouped, as a drag source."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from ui.editor.icons import layer_icon
from ui.editor.layer_info import group_title, grouped_type_names, tooltip_html
from ui.editor.mime import LAYER_MIME, layer_mime_data

_TYPE_ROLE = Qt.ItemDataRole.UserRole


class LayerPalette(QTreeWidget):
    """Layer types by group; drag one onto the canvas, or double-click to append it."""

    layerActivated = Signal(str)  # registry name of a double-clicked or Enter-ed layer type

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerPalette")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(8)
        self.setIconSize(QSize(24, 24))
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for group, names in grouped_type_names():
            header = QTreeWidgetItem(self, [group_title(group)])
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = header.font(0)
            font.setBold(True)
            header.setFont(0, font)
            for name in names:
                item = QTreeWidgetItem(header, [name])
                item.setIcon(0, layer_icon(name))
                item.setToolTip(0, tooltip_html(name))
                item.setData(0, _TYPE_ROLE, name)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsDragEnabled
                )
        self.expandAll()
        self.itemActivated.connect(self._on_activated)

    def type_names(self) -> list[str]:
        """Every layer type shown, top to bottom."""
        names = []
        for g in range(self.topLevelItemCount()):
            header = self.topLevelItem(g)
            names += [header.child(i).data(0, _TYPE_ROLE) for i in range(header.childCount())]
        return names

    def item_for(self, type_name: str) -> QTreeWidgetItem:
        """The palette entry of one layer type."""
        for g in range(self.topLevelItemCount()):
            header = self.topLevelItem(g)
            for i in range(header.childCount()):
                if header.child(i).data(0, _TYPE_ROLE) == type_name:
                    return header.child(i)
        raise KeyError(type_name)

    # -- drag source ---------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        names = [item.data(0, _TYPE_ROLE) for item in items if item.data(0, _TYPE_ROLE)]
        return layer_mime_data(names[0]) if names else QMimeData()

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def _on_activated(self, item: QTreeWidgetItem) -> None:
        name = item.data(0, _TYPE_ROLE)
        if name:
            self.layerActivated.emit(name)
