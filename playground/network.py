"""``Network``: layers built from a spec, with a loss, run forward and backward.

Inputs are ``(N, *spec.input_shape)``, float32 (NCHW for images); scores are
``(N, C)``. ``params``/``grads``/``state`` are keyed ``"<layer index>.<name>"``.
"""

from __future__ import annotations

import numpy as np

from playground.errors import DataError
from playground.layers import Layer, shape_text
from playground.losses import LOSSES, Loss
from playground.spec import NetworkSpec, build_layer
from playground.trace import BackwardStep, ForwardStep, LossStep, TraceStep

Arrays = dict[str, np.ndarray]


class Network:
    def __init__(
        self,
        spec: NetworkSpec,
        layers: list[Layer],
        loss: Loss,
        rng: np.random.Generator,
        dtype: type = np.float32,
    ) -> None:
        self.spec = spec
        self.layers = layers
        self.loss_fn = loss
        self.rng = rng  # one generator for initialisation and dropout masks
        self.dtype = np.dtype(dtype)
        self.scores: np.ndarray | None = None
        # Layers below this index have no parameters, so training needs no gradient there.
        self._first_trainable = next(
            (i for i, layer in enumerate(layers) if layer.params), len(layers)
        )

    @classmethod
    def from_spec(cls, spec: NetworkSpec, seed: int = 0) -> Network:
        """Build ``spec`` with weights drawn from ``numpy.random.default_rng(seed)``.

        Raises SpecError if the spec is invalid.
        """
        return cls._build(spec, np.random.default_rng(seed), draw=True)

    @classmethod
    def with_arrays(
        cls, spec: NetworkSpec, arrays: Arrays, rng_state: dict | None = None
    ) -> Network:
        """Build ``spec`` holding ``arrays`` (``params`` and ``state``, as ``load_arrays``
        checks them) and the generator state ``rng_state``, without drawing initial
        weights first: a snapshot for the draw pad costs a copy, not a fresh init."""
        net = cls._build(spec, np.random.default_rng(), draw=False)
        net.load_arrays(arrays)
        if rng_state is not None:
            net.rng.bit_generator.state = rng_state
        return net

    @classmethod
    def _build(cls, spec: NetworkSpec, rng: np.random.Generator, draw: bool) -> Network:
        shapes = spec.infer_shapes()
        layers = [build_layer(c) for c in spec.layers]
        in_shape = spec.input_shape
        for i, layer in enumerate(layers):
            layer.build(in_shape, rng, _feeds_relu_family(layers, i), draw)
            in_shape = shapes[i]
        return cls(spec, layers, LOSSES[spec.loss](), rng)

    # -- parameters ----------------------------------------------------------------
    @property
    def params(self) -> Arrays:
        """The live parameter arrays (optimizers update them in place)."""
        return {
            f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.params.items()
        }

    @property
    def grads(self) -> Arrays:
        """The gradients from the last ``backward``, keyed like ``params``."""
        return {
            f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.grads.items()
        }

    @property
    def state(self) -> Arrays:
        """Non-trained arrays saved with the weights (batchnorm running statistics)."""
        return {
            f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.state.items()
        }

    @property
    def param_count(self) -> int:
        return sum(v.size for v in self.params.values())

    def load_arrays(self, arrays: Arrays) -> None:
        """Copy saved ``params`` and ``state`` into this network, checking names and shapes."""
        own = {**self.params, **self.state}
        missing = sorted(set(own) - set(arrays))
        extra = sorted(set(arrays) - set(own))
        if missing or extra:
            what = f"missing {missing[0]!r}" if missing else f"unexpected {extra[0]!r}"
            raise DataError(f"saved weights do not match the network: {what}")
        for key, target in own.items():
            value = np.asarray(arrays[key])
            if value.shape != target.shape:
                raise DataError(
                    f"saved weight {key!r} has shape {shape_text(value.shape)}, "
                    f"the network needs {shape_text(target.shape)}"
                )
            target[...] = value

    def first_non_finite(self) -> tuple[int, str, str] | None:
        """``(layer index, key, "NaN" or "infinite values")`` of the first parameter or
        running statistic that is not finite; None when all are."""
        for key, value in {**self.params, **self.state}.items():
            if not np.isfinite(value).all():
                what = "NaN" if np.isnan(value).any() else "infinite values"
                return int(key.partition(".")[0]), key, what
        return None

    def copy(self, dtype: type | None = None) -> Network:
        """An independent network with the same weights, state and random state."""
        twin = Network.with_arrays(
            self.spec, {**self.params, **self.state}, self.rng.bit_generator.state
        )
        if dtype is not None:
            twin.dtype = np.dtype(dtype)
            for layer in twin.layers:
                layer.astype(twin.dtype)
        return twin

    # -- computation -----------------------------------------------------------------
    def _as_input(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=self.dtype)
        if x.shape[1:] != self.spec.input_shape:
            raise DataError(
                f"input samples have shape {shape_text(x.shape[1:])}, "
                f"the network expects {shape_text(self.spec.input_shape)}"
            )
        return x

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """x ``(N, *input_shape)`` -> scores ``(N, C)``."""
        return self._forward(self._as_input(x), train)

    def _forward(self, out: np.ndarray, train: bool) -> np.ndarray:
        for layer in self.layers:
            out = layer.forward(out, train)
        self.scores = out
        return out

    def loss(self, x: np.ndarray, y: np.ndarray) -> float:
        """Forward in training mode, then the loss against labels ``y`` ``(N,)``."""
        return self.loss_fn.forward(self.forward(x, train=True), y)

    def backward(
        self, dscores: np.ndarray | None = None, input_grad: bool = True
    ) -> np.ndarray | None:
        """Backpropagate from the loss (or from ``dscores`` ``(N, C)``); fill ``grads``.

        Returns dL/dx ``(N, *input_shape)``, or None with ``input_grad=False``
        (training needs no input gradient: the backward pass then stops at the
        first layer with parameters, which skips its own input gradient).
        """
        d = self.loss_fn.backward() if dscores is None else np.asarray(dscores, self.dtype)
        last = 0 if input_grad else self._first_trainable
        for i in range(len(self.layers) - 1, last - 1, -1):
            d = self.layers[i].backward(d, input_grad=input_grad or i > last)
        return d if input_grad else None

    def predict(self, x: np.ndarray, batch_size: int = 500) -> np.ndarray:
        """Class probabilities (softmax) or raw outputs (mse) ``(N, C)``, in evaluation mode."""
        x = self._as_input(x)
        if 0 < len(x) <= batch_size:  # the draw pad's one image: no slicing, no copy
            return self.loss_fn.probabilities(self._forward(x, False))
        chunks = [
            self.loss_fn.probabilities(self._forward(x[i : i + batch_size], False))
            for i in range(0, len(x), batch_size)
        ]
        return (
            np.concatenate(chunks) if chunks else np.zeros((0, *self.spec.output_shape), self.dtype)
        )

    def trace(self, x: np.ndarray, y: np.ndarray, train: bool = True) -> list[TraceStep]:
        """One recorded pass on x ``(N, *input_shape)`` and labels y: every layer's forward,
        the loss, every layer's backward (see ``playground.trace``); all arrays are copies.

        Runs on a copy of this network, so tracing leaves it exactly as it was: its
        weights, batchnorm's running statistics, the random generator (the copy
        draws the dropout masks this network would draw next), ``grads`` and ``scores``.
        Safe on a network another thread only reads.
        """
        work = self.copy(self.dtype)
        steps: list[TraceStep] = []
        out = work._as_input(x)
        for i, layer in enumerate(work.layers):
            rng_state = work.rng.bit_generator.state
            inp, out = out, layer.forward(out, train)
            steps.append(ForwardStep(i, layer.type_name, inp.copy(), out.copy(), train, rng_state))
        value = work.loss_fn.forward(out, y)
        d = work.loss_fn.backward()
        probabilities = work.loss_fn.probabilities(out)
        labels = np.array(y)
        steps.append(LossStep(self.spec.loss, value, out.copy(), labels, probabilities, d.copy()))
        for i in range(len(work.layers) - 1, -1, -1):
            layer = work.layers[i]
            dx = layer.backward(d, input_grad=True)
            grads = {k: g.copy() for k, g in layer.grads.items()}
            steps.append(BackwardStep(i, layer.type_name, d.copy(), dx.copy(), grads))
            d = dx
        return steps


def _feeds_relu_family(layers: list[Layer], index: int) -> bool:
    """Whether the first activation after ``layers[index]``, before more weights, is ReLU-like."""
    for layer in layers[index + 1 :]:
        if layer.is_activation:
            return layer.uses_he_init
        if layer.has_weights:
            return False
    return False
