"""The palette: every registered layer type, grouped, with icon, tooltip and real drag data."""

from __future__ import annotations

import pytest

from playground.layers import LAYER_TYPES
from ui.editor.layer_info import GROUP_TITLES
from ui.editor.mime import LAYER_MIME, layer_type_from_mime
from ui.editor.palette import LayerPalette


@pytest.fixture
def palette(qtbot) -> LayerPalette:
    widget = LayerPalette()
    qtbot.addWidget(widget)
    return widget


def test_every_registered_type_is_listed_once(palette):
    assert sorted(palette.type_names()) == sorted(LAYER_TYPES)


def test_types_sit_under_their_group(palette):
    for g in range(palette.topLevelItemCount()):
        header = palette.topLevelItem(g)
        for i in range(header.childCount()):
            name = header.child(i).text(0)
            assert GROUP_TITLES[LAYER_TYPES[name].group] == header.text(0)


@pytest.mark.parametrize("name", list(LAYER_TYPES))
def test_each_type_has_an_icon_and_a_forward_backward_tooltip(palette, name):
    item = palette.item_for(name)
    assert not item.icon(0).isNull()
    tip = item.toolTip(0)
    cls = LAYER_TYPES[name]
    assert "Forward:" in tip and "Backward:" in tip
    for doc in (cls.forward_doc, cls.backward_doc):
        assert doc.split()[0] in tip


@pytest.mark.parametrize("name", list(LAYER_TYPES))
def test_a_drag_carries_the_registry_name(palette, name):
    mime = palette.mimeData([palette.item_for(name)])
    assert LAYER_MIME in mime.formats()
    assert layer_type_from_mime(mime) == name


def test_double_click_asks_for_the_layer(palette, qtbot):
    with qtbot.waitSignal(palette.layerActivated) as activated:
        palette.itemActivated.emit(palette.item_for("tanh"), 0)
    assert activated.args == ["tanh"]
