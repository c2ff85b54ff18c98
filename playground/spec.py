"""``NetworkSpec``: the plain, JSON-serialisable description of a network.

A spec may hold invalid layers (the editor shows them in red); ``infer_shapes``
raises the first ``SpecError`` and ``check`` reports every layer without raising.
Edits return a new spec, so a spec can be kept as an undo snapshot.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playground.atomic_write import write_atomically
from playground.datasets.sniff import describe
from playground.errors import SpecError
from playground.layers import LAYER_TYPES, Layer, Shape, shape_text
from playground.losses import LOSSES

FORMAT_VERSION = 1
# What a spec may ask of memory, checked before anything is allocated: 50M float32
# parameters are 200 MB (Adam keeps two more copies and training one of gradients), and
# one sample's values at any layer times a batch of 64 must fit too.
MAX_PARAMETERS = 50_000_000
MAX_SAMPLE_VALUES = 20_000_000


@dataclass(frozen=True)
class LayerCheck:
    """What the spec knows about one layer without data."""

    index: int
    type: str
    output_shape: Shape | None  # None when this layer or one before it is invalid
    param_count: int
    error: SpecError | None


@dataclass(frozen=True)
class NetworkSpec:
    input_shape: Shape
    layers: tuple[dict[str, Any], ...] = ()
    loss: str = "softmax_cross_entropy"
    name: str = "Untitled"
    format_version: int = FORMAT_VERSION
    _checks: tuple[LayerCheck, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "input_shape", _check_input_shape(self.input_shape))
        object.__setattr__(
            self, "layers", tuple(_check_layer_entry(i, c) for i, c in enumerate(self.layers))
        )
        if not isinstance(self.name, str):
            raise SpecError(f"name {self.name!r} must be a string", field="name", value=self.name)
        if not isinstance(self.loss, str) or self.loss not in LOSSES:
            raise SpecError(
                f"unknown loss {self.loss!r} (choose from {', '.join(LOSSES)})",
                field="loss",
                value=self.loss,
            )

    # -- JSON ------------------------------------------------------------------
    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NetworkSpec:
        if not isinstance(d, dict):
            raise SpecError(f"a spec must be a JSON object, got {type(d).__name__}")
        version = d.get("format_version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise SpecError(
                f"format_version {version!r} is not supported "
                f"(this version reads {FORMAT_VERSION})",
                field="format_version",
                value=version,
            )
        unknown = sorted(set(d) - {"format_version", "name", "input_shape", "layers", "loss"})
        if unknown:
            raise SpecError(f"unknown field {unknown[0]!r}", field=unknown[0])
        if "input_shape" not in d:
            raise SpecError("missing field 'input_shape'", field="input_shape")
        layers = d.get("layers", [])
        if not isinstance(layers, list):
            raise SpecError(f"layers must be a list, got {type(layers).__name__}", field="layers")
        return cls(
            input_shape=d["input_shape"],
            layers=tuple(layers),
            loss=d.get("loss", "softmax_cross_entropy"),
            name=d.get("name", "Untitled"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "name": self.name,
            "input_shape": list(self.input_shape),
            "layers": [dict(c) for c in self.layers],
            "loss": self.loss,
        }

    @classmethod
    def load(cls, path: str | Path) -> NetworkSpec:
        """Read a spec ``.json``. Raises SpecError: located (layer or field) when the file is
        a spec with a bad value in it, unlocated when it is not a spec at all."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SpecError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if not data.strip():
            raise SpecError(f"{path} is empty")
        try:
            d = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise SpecError(f"{path} is not a text file (it is {describe(data[:16])})") from None
        except ValueError as exc:  # JSONDecodeError, and numbers too long to convert
            raise SpecError(f"{path} is not valid JSON ({exc})") from exc
        if isinstance(d, dict) and not {"input_shape", "layers"} & set(d):
            raise SpecError(f"{path} has no input_shape or layers")
        if not isinstance(d, dict):
            raise SpecError(f"{path} holds a JSON {type(d).__name__}, not an object")
        return cls.from_dict(d)

    def save(self, path: str | Path) -> None:
        """Write the spec as JSON, atomically; raises ProjectError naming ``path`` and the cause."""
        text = json.dumps(self.to_dict(), indent=2) + "\n"
        write_atomically(path, lambda f: f.write(text.encode("utf-8")))

    # -- shapes ----------------------------------------------------------------
    def check(self) -> tuple[LayerCheck, ...]:
        """Every layer's output shape and parameter count, or its error; never raises."""
        if not self._checks:
            object.__setattr__(self, "_checks", tuple(self._run_checks()))
        return self._checks

    def _run_checks(self) -> list[LayerCheck]:
        checks = []
        shape: Shape | None = self.input_shape
        total = 0  # parameters so far
        for i, config in enumerate(self.layers):
            out, count, error = None, 0, None
            try:
                layer = build_layer(config)
                if shape is not None:
                    out = _check_sample_size("output", layer.output_shape(shape))
                    count = layer.param_count(shape)
                    total += count
                    _check_parameter_count(count, total)
            except SpecError as exc:
                out, count = None, 0
                error = exc.at(i, config["type"])
            checks.append(LayerCheck(i, config["type"], out, count, error))
            shape = out
        return checks

    def errors(self) -> list[SpecError]:
        """Every error: layers first, then the loss against the final output."""
        errors = [c.error for c in self.check() if c.error is not None]
        if not errors:
            try:
                LOSSES[self.loss]().check_output(self.output_shape)
            except SpecError as exc:
                errors.append(exc)
        return errors

    def infer_shapes(self) -> list[Shape]:
        """The output shape of every layer, computed without data; raises the first SpecError."""
        errors = self.errors()
        if errors:
            raise errors[0]
        return [c.output_shape for c in self.check()]

    @property
    def output_shape(self) -> Shape | None:
        checks = self.check()
        return checks[-1].output_shape if checks else self.input_shape

    @property
    def param_count(self) -> int:
        return sum(c.param_count for c in self.check())

    @property
    def is_valid(self) -> bool:
        return not self.errors()

    # -- edits (each returns a new spec) -----------------------------------------
    def with_layers(self, layers: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> NetworkSpec:
        return NetworkSpec(self.input_shape, tuple(layers), self.loss, self.name)

    def insert_layer(self, index: int, config: dict[str, Any]) -> NetworkSpec:
        layers = list(self.layers)
        layers.insert(index, dict(config))
        return self.with_layers(layers)

    def remove_layer(self, index: int) -> NetworkSpec:
        layers = list(self.layers)
        del layers[index]
        return self.with_layers(layers)

    def move_layer(self, source: int, target: int) -> NetworkSpec:
        """Move the layer at ``source`` so that it ends up at index ``target``."""
        layers = list(self.layers)
        layers.insert(target, layers.pop(source))
        return self.with_layers(layers)

    def replace_layer(self, index: int, config: dict[str, Any]) -> NetworkSpec:
        layers = list(self.layers)
        layers[index] = dict(config)
        return self.with_layers(layers)

    def with_input_shape(self, shape: Shape) -> NetworkSpec:
        return NetworkSpec(tuple(shape), self.layers, self.loss, self.name)

    def with_loss(self, loss: str) -> NetworkSpec:
        return NetworkSpec(self.input_shape, self.layers, loss, self.name)

    def with_name(self, name: str) -> NetworkSpec:
        return NetworkSpec(self.input_shape, self.layers, self.loss, name)


def build_layer(config: dict[str, Any]) -> Layer:
    """The layer object for one spec entry; raises SpecError (unlocated) if it is invalid."""
    return LAYER_TYPES[config["type"]].from_config(config)


def _count_text(n: int) -> str:
    """``1234567`` -> ``"1,234,567"``; absurd counts by their order of magnitude."""
    return f"{n:,}" if n < 10**15 else f"about 1e{len(str(n)) - 1}"


def _check_sample_size(what: str, shape: Shape) -> Shape:
    """``shape`` if one sample of it stays within ``MAX_SAMPLE_VALUES``."""
    values = math.prod(shape)
    if values > MAX_SAMPLE_VALUES:
        shown = f"{shape_text(shape)} " if values < 10**15 else ""  # an absurd shape is long
        raise SpecError(
            f"{what} {shown}holds {_count_text(values)} values per sample, "
            f"more than the limit of {MAX_SAMPLE_VALUES:,}"
        )
    return shape


def _check_parameter_count(count: int, total: int) -> None:
    if total > MAX_PARAMETERS:
        raise SpecError(
            f"{_count_text(count)} parameters bring the network to {_count_text(total)}, "
            f"more than the limit of {MAX_PARAMETERS:,}"
        )


def _check_input_shape(shape: Any) -> Shape:
    ok = (
        isinstance(shape, (list, tuple))
        and len(shape) in (1, 3)
        and all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in shape)
    )
    if not ok:
        raise SpecError(
            f"input_shape {shape!r} must be [features] or [channels, height, width] "
            "of positive integers",
            field="input_shape",
            value=shape,
        )
    try:
        return _check_sample_size("input_shape", tuple(shape))
    except SpecError as exc:
        raise SpecError(exc.detail, field="input_shape", value=shape) from None


def _check_layer_entry(index: int, config: Any) -> dict[str, Any]:
    if not isinstance(config, dict):
        raise SpecError(f"must be an object with a 'type', got {config!r}").at(index, None)
    kind = config.get("type")
    if not isinstance(kind, str) or kind not in LAYER_TYPES:
        raise SpecError(
            f"unknown type {kind!r} (choose from {', '.join(LAYER_TYPES)})",
            field="type",
            value=kind,
        ).at(index, None)
    return dict(config)


__all__ = ["FORMAT_VERSION", "LayerCheck", "NetworkSpec", "SpecError", "build_layer", "shape_text"]
