"""The "Draw & predict" view: a draw pad, the live prediction, and why the network says so."""

from ui.drawpad.view import DrawPadView

__all__ = ["DrawPadView"]
