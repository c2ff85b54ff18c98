"""How the UI presents layer types, all read from the engine's registry.

The palette, the canvas blocks and the inspector take their groups, settings,
starting values and tooltips from here, so a new layer type in
``playground.layers.LAYER_TYPES`` shows up everywhere without UI changes.
"""

from __future__ import annotations

import html
from typing import Any

from playground.layers import LAYER_TYPES, Field, Layer

# Palette order and titles of the engine's layer groups.
GROUP_TITLES: dict[str, str] = {
    "core": "Core",
    "convolution": "Convolution",
    "activation": "Activation",
    "regularisation": "Regularisation",
}

# Required settings have no default in the engine; a freshly dropped layer starts with these.
_STARTING_VALUES: dict[str, Any] = {"units": 10, "filters": 8, "kernel_size": 3}


def layer_class(type_name: str) -> type[Layer]:
    """The engine class registered under ``type_name``."""
    return LAYER_TYPES[type_name]


def grouped_type_names() -> list[tuple[str, list[str]]]:
    """``[(group, [type names in registry order]), …]`` in palette order."""
    groups: dict[str, list[str]] = {group: [] for group in GROUP_TITLES}
    for name, cls in LAYER_TYPES.items():
        groups.setdefault(cls.group, []).append(name)
    return [(group, names) for group, names in groups.items() if names]


def group_title(group: str) -> str:
    return GROUP_TITLES.get(group, group.capitalize())


def starting_value(field: Field) -> Any:
    """The value a new layer gets for ``field``: its default, or a sensible start."""
    if not field.required:
        return field.default
    if field.name in _STARTING_VALUES:
        return _STARTING_VALUES[field.name]
    if field.kind is bool:
        return False
    low = field.minimum if field.minimum is not None else 1
    return field.kind(low + 1 if field.min_exclusive else low)


def starting_config(type_name: str) -> dict[str, Any]:
    """The config of a layer freshly dropped from the palette; always valid on its own."""
    cls = layer_class(type_name)
    return {"type": type_name, **{f.name: starting_value(f) for f in cls.fields}}


def format_value(value: Any) -> str:
    """A setting as a person reads it: ``1e-05``, ``0.9``, ``30``, ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def field_label(field: Field) -> str:
    """``kernel_size`` -> ``kernel size``."""
    return field.name.replace("_", " ")


def settings_text(config: dict[str, Any]) -> str:
    """The key settings of a layer in one line, e.g. ``filters 30 · kernel size 5``."""
    cls = LAYER_TYPES.get(config.get("type"))
    if cls is None:
        return ""
    parts = []
    for f in cls.fields:
        value = config.get(f.name, None if f.required else f.default)
        parts.append(f"{field_label(f)} {'?' if value is None else format_value(value)}")
    return " · ".join(parts)


def tooltip_html(type_name: str) -> str:
    """What the layer computes forward and sends backward, and what each setting means."""
    cls = layer_class(type_name)
    lines = [
        f"<b>{html.escape(type_name)}</b> <i>({html.escape(group_title(cls.group))})</i>",
        f"<b>Forward:</b> {html.escape(cls.forward_doc)}",
        f"<b>Backward:</b> {html.escape(cls.backward_doc)}",
    ]
    for f in cls.fields:
        lines.append(f"<b>{html.escape(field_label(f))}</b>: {html.escape(f.help)}")
    return "<qt>" + "<br>".join(lines) + "</qt>"  # <qt>: rich text, wrapped at word boundaries
