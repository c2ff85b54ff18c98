"""Optimizers that update parameter arrays in place, with state that can be saved.

Weight decay is L2 regularisation added to the gradient of weights (``*.W``) only;
biases and batchnorm's gamma/beta are not decayed.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from playground.layers.base import Field

Arrays = dict[str, np.ndarray]

_EPS = Field("eps", float, 1e-8, 0.0, 1.0, min_exclusive=True, help="keeps the division finite")


class Optimizer:
    name: ClassVar[str]
    slot_names: ClassVar[tuple[str, ...]] = ()  # per-parameter state arrays
    # The optimizer's own settings with their ranges: validation, the CLI and the window read them.
    fields: ClassVar[tuple[Field, ...]] = ()

    @classmethod
    def defaults(cls) -> dict[str, float]:
        return {f.name: f.default for f in cls.fields}

    def __init__(self, lr: float = 0.01, weight_decay: float = 0.0, **hyper: float) -> None:
        unknown = set(hyper) - set(self.defaults())
        if unknown:
            raise ValueError(f"optimizer {self.name}: unknown setting {sorted(unknown)[0]!r}")
        for f in self.fields:
            if f.name in hyper:
                try:
                    f.validate(hyper[f.name])
                except ValueError as exc:
                    raise ValueError(f"optimizer {self.name}: {exc.detail}") from exc
        if lr <= 0 or not np.isfinite(lr):
            raise ValueError(f"optimizer {self.name}: learning rate {lr!r} must be > 0")
        if weight_decay < 0:
            raise ValueError(f"optimizer {self.name}: weight_decay {weight_decay!r} must be >= 0")
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.hyper = {**self.defaults(), **{k: float(v) for k, v in hyper.items()}}
        self.steps = 0
        self.slots: dict[str, Arrays] = {s: {} for s in self.slot_names}

    def step(self, params: Arrays, grads: Arrays) -> None:
        """Update every parameter in ``params`` in place from ``grads``."""
        self.steps += 1
        for key, p in params.items():
            g = grads[key]
            if self.weight_decay and key.endswith(".W"):
                g = g + self.weight_decay * p
            slots = {s: self._slot(s, key, p) for s in self.slot_names}
            self._update(p, g, **slots)

    def _slot(self, slot: str, key: str, p: np.ndarray) -> np.ndarray:
        store = self.slots[slot]
        value = store.get(key)
        if value is None:
            value = store[key] = np.zeros_like(p)
        elif value.strides != p.strides:  # loaded from a file: take p's memory layout
            relaid = np.empty_like(p)
            relaid[...] = value
            value = store[key] = relaid
        return value

    def _update(self, p: np.ndarray, g: np.ndarray, **slots: np.ndarray) -> None:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """Step count and per-parameter slots as ``{"slot/param": array}``; copies."""
        arrays = {f"{s}/{k}": v.copy() for s, store in self.slots.items() for k, v in store.items()}
        return {"steps": self.steps, "arrays": arrays}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.steps = int(state["steps"])
        self.slots = {s: {} for s in self.slot_names}
        for name, value in state["arrays"].items():
            slot, key = name.split("/", 1)
            if slot not in self.slots:
                raise ValueError(f"optimizer {self.name}: unexpected state {name!r}")
            self.slots[slot][key] = np.array(value)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "lr": self.lr, "weight_decay": self.weight_decay, **self.hyper}


class SGD(Optimizer):
    name = "sgd"

    def _update(self, p, g):
        p -= self.lr * g


class Momentum(Optimizer):
    name = "momentum"
    slot_names = ("velocity",)
    fields = (
        Field("momentum", float, 0.9, 0.0, 1.0, max_exclusive=True, help="velocity kept per step"),
    )

    def _update(self, p, g, velocity):
        velocity *= self.hyper["momentum"]
        velocity -= self.lr * g
        p += velocity


class Nesterov(Optimizer):
    """Nesterov momentum in the 'look-ahead' form: p += −μ·v_prev + (1+μ)·v."""

    name = "nesterov"
    slot_names = ("velocity",)
    fields = (
        Field("momentum", float, 0.9, 0.0, 1.0, max_exclusive=True, help="velocity kept per step"),
    )

    def _update(self, p, g, velocity):
        mu = self.hyper["momentum"]
        p -= mu * velocity
        velocity *= mu
        velocity -= self.lr * g
        p += (1 + mu) * velocity


class AdaGrad(Optimizer):
    name = "adagrad"
    slot_names = ("sum_sq",)
    fields = (_EPS,)

    def _update(self, p, g, sum_sq):
        sum_sq += g * g
        p -= self.lr * g / (np.sqrt(sum_sq) + self.hyper["eps"])


class RMSProp(Optimizer):
    name = "rmsprop"
    slot_names = ("mean_sq",)
    fields = (
        Field("decay", float, 0.99, 0.0, 1.0, max_exclusive=True, help="average kept per step"),
        _EPS,
    )

    def _update(self, p, g, mean_sq):
        decay = self.hyper["decay"]
        mean_sq *= decay
        mean_sq += (1 - decay) * g * g
        p -= self.lr * g / (np.sqrt(mean_sq) + self.hyper["eps"])


class Adam(Optimizer):
    name = "adam"
    slot_names = ("m", "v")
    fields = (
        Field("beta1", float, 0.9, 0.0, 1.0, max_exclusive=True, help="mean of gradients kept"),
        Field("beta2", float, 0.999, 0.0, 1.0, max_exclusive=True, help="mean of squares kept"),
        _EPS,
    )

    def _update(self, p, g, m, v):
        b1, b2, eps = self.hyper["beta1"], self.hyper["beta2"], self.hyper["eps"]
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        t = self.steps
        correction = float(np.sqrt(1 - b2**t))
        step = self.lr * correction / (1 - b1**t)  # bias corrections folded in
        p -= step * m / (np.sqrt(v) + eps * correction)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam)
}


def make_optimizer(name: str, **settings: float) -> Optimizer:
    """``make_optimizer("adam", lr=1e-3)``; unknown names raise ValueError listing the choices."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r} (choose from {', '.join(OPTIMIZERS)})")
    return OPTIMIZERS[name](**settings)
