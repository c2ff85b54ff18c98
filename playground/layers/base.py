"""The layer base class, the typed config fields every layer declares, and shape helpers.

A layer is a small object with ``params`` and ``grads`` dicts. ``forward`` caches
what ``backward`` needs; ``backward`` fills ``grads`` and returns the gradient
w.r.t. its input, never mutating its argument or its cache. Shapes exclude the
batch axis: ``(features,)`` for vectors, ``(channels, height, width)`` for images.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from playground.errors import SpecError
from playground.layers.reference import Reference

Shape = tuple[int, ...]

_REQUIRED = object()


@dataclass(frozen=True)
class Field:
    """One setting of a layer: its type and limits, read by validation and the inspector."""

    name: str
    kind: type  # int, float, bool, or str (one of ``choices``)
    default: Any = _REQUIRED
    minimum: float | None = None
    maximum: float | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def validate(self, value: Any) -> Any:
        """Return ``value`` as this field's type, or raise SpecError naming field and value."""
        if self.kind is bool:
            if not isinstance(value, bool):
                raise self._error(value, "must be true or false")
            return value
        if self.kind is str:
            if not isinstance(value, str) or value not in self.choices:
                raise self._error(value, f"is not one of {', '.join(self.choices)}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._error(value, f"must be a number, not {type(value).__name__}")
        if self.kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise self._error(value, "must be a whole number")
            value = int(value)
        else:
            # float(10**400) raises OverflowError; such an int is simply not finite.
            value = math.inf if isinstance(value, int) and abs(value) > 1e308 else float(value)
            if not np.isfinite(value):
                raise self._error(value, "must be finite")
        if self.minimum is not None:
            if value < self.minimum or (self.min_exclusive and value == self.minimum):
                bound = ">" if self.min_exclusive else ">="
                raise self._error(value, f"must be {bound} {self.minimum:g}")
        if self.maximum is not None:
            if value > self.maximum or (self.max_exclusive and value == self.maximum):
                bound = "<" if self.max_exclusive else "<="
                raise self._error(value, f"must be {bound} {self.maximum:g}")
        return value

    def _error(self, value: Any, reason: str) -> SpecError:
        return SpecError(f"{self.name} {value!r} {reason}", field=self.name, value=value)


def shape_text(shape: Shape) -> str:
    """``(30, 12, 12)`` -> ``"30x12x12"``."""
    return "x".join(str(d) for d in shape)


class Layer:
    """Base class. Subclasses set the class attributes and implement the hooks."""

    type_name: ClassVar[str]
    # The textbook forward/backward pair of this layer's maths (playground/layers/reference.py).
    reference: ClassVar[Reference]
    group: ClassVar[str]  # palette group: core, convolution, activation, regularisation
    fields: ClassVar[tuple[Field, ...]] = ()
    forward_doc: ClassVar[str] = ""
    backward_doc: ClassVar[str] = ""
    is_activation: ClassVar[bool] = False
    has_weights: ClassVar[bool] = False  # dense/conv: gets He or Glorot init
    uses_he_init: ClassVar[bool] = False  # for activations: weights feeding it get He init
    # Runs fastest on our threads over batch parts: see ``parallel.policy_for``.
    splits_batches: ClassVar[bool] = False

    def __init__(self, **config: Any) -> None:
        self.config = self.validate_config(config)
        # Config fields read as plain attributes (``layer.units``): the hot paths read them.
        vars(self).update(self.config)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.state: dict[str, np.ndarray] = {}  # non-trained arrays saved with the weights
        self.input_shape: Shape | None = None

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        known = {f.name for f in cls.fields}
        unknown = sorted(set(config) - known - {"type"})
        if unknown:
            allowed = ", ".join(sorted(known)) or "none"
            raise SpecError(f"unknown field {unknown[0]!r} (allowed: {allowed})", field=unknown[0])
        clean = {}
        for f in cls.fields:
            if f.name in config:
                clean[f.name] = f.validate(config[f.name])
            elif f.required:
                raise SpecError(f"missing field {f.name!r}", field=f.name)
            else:
                clean[f.name] = f.default
        return clean

    def get_config(self) -> dict[str, Any]:
        return {"type": self.type_name, **self.config}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        return cls(**{k: v for k, v in config.items() if k != "type"})

    # -- shapes and parameters -------------------------------------------------
    def output_shape(self, input_shape: Shape) -> Shape:
        """The output shape for ``input_shape``; raises SpecError if it does not fit."""
        return input_shape

    def param_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        return {}

    def param_count(self, input_shape: Shape) -> int:
        return sum(int(np.prod(s)) for s in self.param_shapes(input_shape).values())

    def build(
        self, input_shape: Shape, rng: np.random.Generator, he_init: bool, draw: bool = True
    ) -> None:
        """Allocate float32 parameters for ``input_shape`` with weights drawn from ``rng``
        (``draw`` False: room only, for weights about to be loaded)."""
        self.output_shape(input_shape)
        self.input_shape = input_shape

    # -- computation -------------------------------------------------------------
    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Fill ``grads`` from ``dout``; return dx, or None when ``input_grad`` is False."""
        raise NotImplementedError

    def pieces(self) -> np.ndarray | None:
        """Which piece of its piecewise rule each value took in the last forward; None if smooth.

        ReLU: where x > 0; max-pool: each window's winner. A perturbation that
        changes it crosses a kink, where a finite difference is no derivative
        (``playground.gradcheck`` leaves such entries out).
        """
        return None

    def astype(self, dtype: np.dtype) -> None:
        """Convert parameters and state to ``dtype`` (gradient checks run in float64)."""
        for store in (self.params, self.state):
            for k, v in store.items():
                store[k] = v.astype(dtype)


def require_image(layer: Layer, input_shape: Shape) -> Shape:
    if len(input_shape) != 3:
        raise SpecError(
            f"needs an image input (channels x height x width), got {shape_text(input_shape)}"
        )
    return input_shape


def require_flat(layer: Layer, input_shape: Shape) -> Shape:
    if len(input_shape) != 1:
        raise SpecError(
            f"input {shape_text(input_shape)} is not flat: add a flatten layer before it"
        )
    return input_shape
