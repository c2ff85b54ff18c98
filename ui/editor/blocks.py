"""The canvas's blocks: what each one says (from the spec's checks) and how it is painted."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from playground.layers import Shape, shape_text
from playground.spec import NetworkSpec
from ui.editor.icons import GROUP_COLOURS, layer_icon
from ui.editor.layer_info import layer_class, settings_text, tooltip_html
from ui.editor.selection import INPUT_BLOCK, LOSS_BLOCK, BlockKey

BLOCK_WIDTH = 340.0
_PAD = 10.0
_ICON = 26.0
_ROW = 19.0
_STRIPE = 5.0

_NEUTRAL = "#5f6b7a"
_TEXT = QColor("#1d232b")
_MUTED = QColor("#5d6773")
_ERROR = QColor("#b3261e")
_ERROR_FILL = QColor("#fdeceb")
_FILL = QColor("#ffffff")
_BORDER = QColor("#c5ccd6")
_SELECTED = QColor("#2f6fdb")
# Marks other views put on a layer: the step-through view's current layer, a layer that
# produced a NaN. (fill, border)
MARK_COLOURS = {
    "active": (QColor("#e3edff"), QColor("#2f6fdb")),
    "problem": (QColor("#fff0d6"), QColor("#d9822b")),
}


@dataclass(frozen=True)
class BlockContent:
    """What one block shows; built from the spec, never edited on the canvas."""

    key: BlockKey
    title: str
    detail: str  # key settings, the loss name, or what the input is
    shape: str  # output shape, "" for the loss block
    params: str  # "23,430 params", or "" when the block has none
    error: str | None  # the engine's SpecError message
    colour: str  # the stripe: the layer group's colour
    icon: str | None  # layer type whose icon to draw
    tooltip: str
    unknown: bool = False  # the output shape is unknown because a block above is invalid


def display_shape(shape: Shape) -> str:
    """``(1, 28, 28)`` -> ``1×28×28``."""
    return shape_text(shape).replace("x", "×")


def block_contents(spec: NetworkSpec) -> list[BlockContent]:
    """The input block, one block per layer, and the loss block, top to bottom."""
    blocks = [
        BlockContent(
            key=INPUT_BLOCK,
            title="Input",
            detail="one sample of the dataset",
            shape=display_shape(spec.input_shape),
            params="",
            error=None,
            colour=_NEUTRAL,
            icon=None,
            tooltip="The shape of one input sample: [features] or channels × height × width.",
        )
    ]
    for check, config in zip(spec.check(), spec.layers, strict=True):
        cls = layer_class(check.type)
        known = check.output_shape is not None
        blocks.append(
            BlockContent(
                key=check.index,
                title=check.type,
                detail=settings_text(config),
                shape=display_shape(check.output_shape) if known else "?",
                params=f"{check.param_count:,} params" if known and cls.has_weights else "",
                error=str(check.error) if check.error else None,
                colour=GROUP_COLOURS.get(cls.group, _NEUTRAL),
                icon=check.type,
                tooltip=tooltip_html(check.type),
                unknown=not known and check.error is None,
            )
        )
    loss_errors = [e for e in spec.errors() if e.layer_index is None]
    blocks.append(
        BlockContent(
            key=LOSS_BLOCK,
            title="Loss",
            detail=spec.loss,
            shape="",
            params="",
            error=str(loss_errors[0]) if loss_errors else None,
            colour=_NEUTRAL,
            icon=None,
            tooltip="The loss the network's output is trained against.",
        )
    )
    return blocks


def summary_text(spec: NetworkSpec) -> str:
    """Total parameters and validity in one line, for under the canvas."""
    count = len(spec.layers)
    layers = f"{count} layer{'s' if count != 1 else ''}"
    errors = spec.errors()
    if not errors:
        validity = "valid"
    elif len(errors) == 1:
        validity = f"invalid: {errors[0]}"
    else:
        validity = f"invalid ({len(errors)} problems): {errors[0]}"
    return f"{layers} · {spec.param_count:,} parameters · {validity}"


class BlockItem(QGraphicsItem):
    """One block on the canvas; painted from its ``BlockContent``."""

    def __init__(self, content: BlockContent) -> None:
        super().__init__()
        self.content = content
        self.selected = False
        self.mark: str | None = None  # a key of MARK_COLOURS
        self.setToolTip(content.tooltip)
        self._title_font = QFont()
        self._title_font.setBold(True)
        self._small_font = QFont()
        self._small_font.setPointSizeF(self._small_font.pointSizeF() * 0.92)
        self._error_rect = QRectF()
        # A layer without settings or parameters (relu, flatten) needs only its title row.
        self._rows = 2 if content.detail or content.params else 1
        height = _PAD * 2 + _ROW * self._rows
        if content.error:
            metrics = QFontMetricsF(self._small_font)
            width = BLOCK_WIDTH - _PAD * 2 - _STRIPE
            flags = int(Qt.TextFlag.TextWordWrap)
            bounds = metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, content.error)
            self._error_rect = QRectF(_PAD + _STRIPE, height - _PAD + 4, width, bounds.height())
            height += bounds.height() + 4
        self._rect = QRectF(0, 0, BLOCK_WIDTH, height)

    @property
    def height(self) -> float:
        return self._rect.height()

    @property
    def key(self) -> BlockKey:
        return self.content.key

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    def set_mark(self, mark: str | None) -> None:
        if mark != self.mark:
            self.mark = mark
            self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        c = self.content
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = QPainterPath()
        outline.addRoundedRect(self._rect, 7, 7)
        fill, mark_border = MARK_COLOURS.get(self.mark, (None, None))
        painter.fillPath(outline, _ERROR_FILL if c.error else fill or _FILL)
        stripe = QPainterPath()
        stripe.addRect(QRectF(0, 0, _STRIPE, self._rect.height()))
        painter.fillPath(stripe.intersected(outline), QColor(_ERROR if c.error else c.colour))
        if mark_border is not None:
            border = QPen(mark_border, 3.5)
        elif self.selected:
            border = QPen(_SELECTED, 2.5)
        else:
            border = QPen(_ERROR if c.error else _BORDER, 1.5 if c.error else 1)
        painter.setPen(border)
        painter.drawPath(outline)

        left = _PAD + _STRIPE + 2
        if c.icon:
            size = _ICON if self._rows == 2 else _ROW + 4
            icon_rect = QRectF(left, _PAD + (_ROW * self._rows - size) / 2, size, size)
            layer_icon(c.icon).paint(painter, icon_rect.toRect())
            left += _ICON + 8
        right = self._rect.width() - _PAD
        column = 100.0  # the right-hand column: output shape and parameter count
        top, second = QRectF(left, _PAD, right - left, _ROW), QRectF(left, _PAD + _ROW, 0, _ROW)
        second.setRight(right)

        painter.setFont(self._title_font)
        painter.setPen(_TEXT)
        align_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        align_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(top, align_left, c.title)
        if c.shape:
            painter.setPen(_MUTED if c.unknown else _TEXT)
            painter.drawText(top, align_right, c.shape)

        painter.setFont(self._small_font)
        painter.setPen(_MUTED)
        detail_rect = QRectF(second.left(), second.top(), second.width() - column, _ROW)
        metrics = QFontMetricsF(self._small_font)
        detail = metrics.elidedText(c.detail, Qt.TextElideMode.ElideRight, detail_rect.width())
        painter.drawText(detail_rect, align_left, detail)
        painter.drawText(second, align_right, c.params)
        if c.error:
            painter.setPen(_ERROR)
            painter.drawText(self._error_rect, int(Qt.TextFlag.TextWordWrap), c.error)
