"""``TrainConfig``: how to train, declared once as ``Field``s.

``TRAIN_FIELDS`` and each optimizer's own ``fields`` drive validation here, the
command line's checks and the window's settings panel, as the layers' fields
drive the inspector: one declaration, one set of ranges and messages.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from playground.errors import SpecError, TrainingError
from playground.layers.base import Field
from playground.optimizers import OPTIMIZERS, Optimizer, make_optimizer

SCHEDULES = ("none", "step", "cosine", "exponential")

TRAIN_FIELDS: tuple[Field, ...] = (
    Field("optimizer", str, "adam", choices=tuple(OPTIMIZERS), help="the update rule"),
    Field("lr", float, 1e-3, 0.0, min_exclusive=True, help="learning rate"),
    Field("schedule", str, "none", choices=SCHEDULES, help="how the learning rate changes"),
    Field("lr_decay", float, 0.1, 0.0, 1.0, min_exclusive=True, help="factor for step/exponential"),
    Field("lr_step_epochs", int, 10, 1, 10_000, help="epochs between step decays"),
    Field("batch_size", int, 64, 1, 65_536, help="samples per update"),
    Field("epochs", int, 10, 1, 100_000, help="epochs to train to, counting those done"),
    Field("weight_decay", float, 0.0, 0.0, 1.0, help="L2 penalty on the weights"),
    Field(
        "validation_fraction",
        float,
        0.1,
        0.0,
        1.0,
        max_exclusive=True,
        help="share of the data held out",
    ),
    Field("seed", int, 0, 0, 2**31 - 1, help="seeds weights, shuffling and augmentation"),
    Field("shift", int, 0, 0, 13, help="random shift of training images, in pixels"),
)


class ConfigError(TrainingError, ValueError):
    """An invalid training setting; the message names the setting and its value."""


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run besides the network and the data.

    ``schedule`` scales ``lr`` by step: ``step`` multiplies it by ``lr_decay`` every
    ``lr_step_epochs`` epochs, ``exponential`` by ``lr_decay`` per epoch (smoothly),
    ``cosine`` anneals it to 0 over ``epochs``. ``shift`` > 0 moves each training
    image by up to that many pixels at random (image data only). ``epochs`` is the
    total the run trains to, counting epochs already done when resuming.
    ``optimizer_settings`` holds the optimizer's own settings that differ from its
    defaults (``OPTIMIZERS[name].fields``).
    """

    optimizer: str = "adam"
    lr: float = 1e-3
    optimizer_settings: dict[str, float] = field(default_factory=dict, hash=False)
    schedule: str = "none"
    lr_decay: float = 0.1
    lr_step_epochs: int = 10
    batch_size: int = 64
    epochs: int = 10
    weight_decay: float = 0.0
    validation_fraction: float = 0.1
    seed: int = 0
    shift: int = 0

    def __post_init__(self) -> None:
        for f in TRAIN_FIELDS:
            object.__setattr__(self, f.name, _checked(f, getattr(self, f.name)))
        if not isinstance(self.optimizer_settings, dict):
            raise ConfigError("training config: optimizer_settings must be a mapping")
        own = {f.name: f for f in OPTIMIZERS[self.optimizer].fields}
        settings = {}
        for key, value in self.optimizer_settings.items():
            if key not in own:
                choices = ", ".join(own) or "none"
                raise ConfigError(
                    f"training config: optimizer {self.optimizer} has no setting {key!r} "
                    f"(allowed: {choices})"
                )
            settings[key] = _checked(own[key], value)
        object.__setattr__(self, "optimizer_settings", settings)

    def lr_at(self, step: int, steps_per_epoch: int) -> float:
        """The learning rate for the update after ``step`` completed steps."""
        epochs_done = step / steps_per_epoch
        if self.schedule == "step":
            return self.lr * self.lr_decay ** (step // (self.lr_step_epochs * steps_per_epoch))
        if self.schedule == "exponential":
            return self.lr * self.lr_decay**epochs_done
        if self.schedule == "cosine":
            return self.lr * 0.5 * (1 + math.cos(math.pi * epochs_done / self.epochs))
        return self.lr

    def optimizer_setting(self, name: str) -> float:
        """One of the optimizer's own settings, its default unless set."""
        return self.optimizer_settings.get(name, OPTIMIZERS[self.optimizer].defaults()[name])

    def make_optimizer(self) -> Optimizer:
        return make_optimizer(
            self.optimizer, lr=self.lr, weight_decay=self.weight_decay, **self.optimizer_settings
        )

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with ``changes``; switching optimizer drops the old one's own settings."""
        if "optimizer" in changes and changes["optimizer"] != self.optimizer:
            changes.setdefault("optimizer_settings", {})
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        if not isinstance(d, dict):
            raise ConfigError(f"a training config must be a mapping, got {type(d).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ConfigError(f"training config: unknown setting {unknown[0]!r}")
        return cls(**d)


def _checked(f: Field, value: Any) -> Any:
    try:
        return f.validate(value)
    except SpecError as exc:
        raise ConfigError(f"training config: {exc.detail}") from exc
