"""Mini-batch training as a generator: ``Trainer(net, dataset, config).run()`` yields a
``StepReport`` after every update. Whoever drives it pauses (stops calling ``next``),
single-steps, or stops (``close``); ``run()`` again continues from ``trainer.step``.

A run is a pure function of (spec, config, data, seed): the epoch's shuffle order and
each step's augmentation shifts come from generators seeded with ``(seed, epoch)`` and
``(seed, step)``, so a saved run resumes exactly from its step counter, weights,
optimizer state and the network's generator (dropout masks).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from playground.config import SCHEDULES, ConfigError, TrainConfig
from playground.datasets import Dataset
from playground.errors import DataError, TrainingError
from playground.history import History
from playground.layers import shape_text
from playground.metrics import evaluate
from playground.network import Network
from playground.normalization import Normalization
from playground.spec import NetworkSpec

__all__ = ["SCHEDULES", "ConfigError", "StepReport", "TrainConfig", "Trainer", "check_fits"]

HISTOGRAM_BINS = 60


# The network generator's state and (live array, copy) pairs of its running statistics.
Volatile = tuple[dict[str, Any], list[tuple[np.ndarray, np.ndarray]]]


@dataclass(frozen=True)
class StepReport:
    """What one training step did. Arrays are copies the receiver owns.

    ``step`` counts updates from 1; ``epoch`` is the 1-based epoch the step belongs
    to. ``grad_norms`` maps the index of every layer with parameters to the L2 norm
    of all its parameter gradients. The rest is only computed on the slow cadence
    (``has_details``) and None otherwise: validation loss and accuracy and the
    confusion matrix ``(C, C)`` (rows true, columns predicted; None without a
    validation split), ``weight_histograms`` per parameter key (``"0.W"`` ->
    counts ``(bins,)``, edges ``(bins + 1,)``; the edges stay fixed through a run,
    values beyond them count in the end bins), ``filters`` per conv layer index
    (``(F, C, kh, kw)``), ``update_ratios`` per layer with parameters (the norm of
    this step's update over the norm of the weights: about 1e-3 is healthy) and
    ``inactive`` per activation layer (the fraction of its units that are dead —
    zero for every sample of the batch — for ReLU-family layers, or saturated for
    sigmoid and tanh).
    """

    step: int
    epoch: int
    steps_per_epoch: int
    total_steps: int
    loss: float
    accuracy: float
    lr: float
    grad_norms: dict[int, float]
    has_details: bool = False
    val_loss: float | None = None
    val_accuracy: float | None = None
    confusion: np.ndarray | None = None
    weight_histograms: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
    filters: dict[int, np.ndarray] | None = None
    update_ratios: dict[int, float] | None = None
    inactive: dict[int, float] | None = None

    @property
    def epoch_progress(self) -> float:
        """Epochs done, fractional (the x axis of the curves)."""
        return self.step / self.steps_per_epoch


class Trainer:
    """Trains ``net`` in place on ``dataset`` with ``config``.

    The dataset is split (``config.validation_fraction``, ``config.seed``) and
    standardised with ``normalization``, fitted on the training split when None.
    To resume, pass the saved ``step``, ``optimizer_state`` and ``history`` with a
    network holding the saved weights and generator state (``Project.trainer``
    does this). Every ``detail_every`` steps, at the end of every epoch and at the
    last step, a report also carries validation metrics, histograms, filters and
    training-health figures, but not more often than every ``min_detail_seconds``
    (the window sets it so that thousands of tiny steps a second are not slowed
    by validation; the weights do not depend on it).
    """

    def __init__(
        self,
        net: Network,
        dataset: Dataset,
        config: TrainConfig | None = None,
        *,
        normalization: Normalization | None = None,
        step: int = 0,
        optimizer_state: dict[str, Any] | None = None,
        history: History | None = None,
        detail_every: int = 50,
        min_detail_seconds: float = 0.0,
    ) -> None:
        self.net = net
        self.config = config = config or TrainConfig()
        check_fits(net.spec, dataset)
        bad = net.first_non_finite()
        if bad is not None:
            index, key, what = bad
            raise TrainingError(
                f"the weights of layer {index} ({net.layers[index].type_name}) are not finite "
                f"({key} holds {what}): reset the weights to train",
                layer_index=index,
            )
        self.train_set, self.val_set = dataset.split(config.validation_fraction, config.seed)
        if not len(self.train_set):
            raise DataError(f"{dataset.name}: no samples left for training after the split")
        self.normalization = normalization or Normalization.fit(self.train_set.x)
        self._x = self.normalization.apply(self.train_set.x)
        self._y = self.train_set.y
        self._val_x = self.normalization.apply(self.val_set.x) if len(self.val_set) else None
        self._windows = self._shift_windows() if config.shift and dataset.is_image else None

        self.steps_per_epoch = -(-len(self._x) // config.batch_size)
        self.total_steps = config.epochs * self.steps_per_epoch
        if step < 0:
            raise ConfigError(f"cannot resume from step {step}")
        self.step = step
        self.optimizer = config.make_optimizer()
        if optimizer_state is not None:
            try:
                self.optimizer.load_state_dict(optimizer_state)
            except (KeyError, TypeError, ValueError) as exc:
                raise ConfigError(f"the saved optimizer state does not fit: {exc}") from exc
        self.history = history if history is not None else History()
        self.detail_every = detail_every
        self.min_detail_seconds = min_detail_seconds
        self._last_details = -math.inf  # perf_counter() of the last detail report
        self._details_next = False  # report_details_next() was called
        self._histogram_edges: dict[str, np.ndarray] = {}  # fixed per parameter for the run
        self.seconds = 0.0  # time spent inside run(), pauses excluded
        self._weighted = [(i, layer) for i, layer in enumerate(net.layers) if layer.params]
        self._convs = [i for i, layer in enumerate(net.layers) if layer.type_name == "conv2d"]

    @property
    def epoch(self) -> int:
        """Completed epochs."""
        return self.step // self.steps_per_epoch

    @property
    def done(self) -> bool:
        return self.step >= self.total_steps

    def run(self) -> Iterator[StepReport]:
        """Train until ``config.epochs``, yielding a report after every update.

        Raises TrainingError at a non-finite loss or gradient; that step's update
        is not applied, so the network keeps the weights of the last good step.
        """
        config, net = self.config, self.net
        order_epoch, order = -1, np.empty(0, np.int64)
        while self.step < self.total_steps:
            started = time.perf_counter()
            epoch, position = divmod(self.step, self.steps_per_epoch)
            if epoch != order_epoch:
                order_epoch = epoch
                order = np.random.default_rng((config.seed, 0, epoch)).permutation(len(self._x))
            index = order[position * config.batch_size : (position + 1) * config.batch_size]
            x, y = self._batch(index), self._y[index]
            lr = config.lr_at(self.step, self.steps_per_epoch)
            self.optimizer.lr = lr

            at_epoch_end = position == self.steps_per_epoch - 1
            details = self._wants_details(at_epoch_end, started)
            before = {k: p.copy() for k, p in net.params.items()} if details else None
            with np.errstate(all="ignore"):  # _update checks for non-finite values itself
                loss, norms = self._update(x, y)
            accuracy = float(np.count_nonzero(net.scores.argmax(axis=1) == y)) / len(y)
            self.step += 1
            self.history.loss.append(loss)
            self.history.accuracy.append(accuracy)

            report = StepReport(
                step=self.step,
                epoch=epoch + 1,
                steps_per_epoch=self.steps_per_epoch,
                total_steps=self.total_steps,
                loss=loss,
                accuracy=accuracy,
                lr=lr,
                grad_norms=norms,
            )
            if details:
                report = self._with_details(report, x, before)
            self.seconds += time.perf_counter() - started
            yield report

    def report_details_next(self) -> None:
        """Make the next step's report a detailed one, whatever the cadence (to end a run
        with the figures of its final weights)."""
        self._details_next = True

    def _wants_details(self, at_epoch_end: bool, now: float) -> bool:
        """Whether the step about to run reports details (see the class docstring)."""
        last = self.step + 1 == self.total_steps
        due = at_epoch_end or (self.detail_every and (self.step + 1) % self.detail_every == 0)
        asked, self._details_next = self._details_next, False
        if asked or last or (due and now - self._last_details >= self.min_detail_seconds):
            self._last_details = now
            return True
        return False

    # -- the hot path ----------------------------------------------------------------
    def _shift_windows(self) -> np.ndarray:
        """A strided view ``(N, C, 2s+1, 2s+1, H, W)`` of every shifted copy of every image."""
        s = self.config.shift
        h, w = self._x.shape[2:]
        if s >= min(h, w):
            raise ConfigError(f"training config: shift {s} must be smaller than the {h}x{w} images")
        padded = np.pad(self._x, ((0, 0), (0, 0), (s, s), (s, s)), mode="edge")
        return sliding_window_view(padded, (h, w), axis=(2, 3))

    def _batch(self, index: np.ndarray) -> np.ndarray:
        """The samples at ``index``, each image shifted at random when augmenting (one gather)."""
        if self._windows is None:
            return self._x[index]
        rng = np.random.default_rng((self.config.seed, 1, self.step))
        dy, dx = rng.integers(0, 2 * self.config.shift + 1, size=(2, len(index)))
        return self._windows[index, :, dy, dx]

    def _update(self, x: np.ndarray, y: np.ndarray) -> tuple[float, dict[int, float]]:
        """Forward, backward and the optimizer step, unless the loss or a gradient is bad."""
        net = self.net
        saved = self._save_volatile()
        loss = net.loss(x, y)
        if not math.isfinite(loss):
            self._fail_in_forward(x, loss, saved)
        net.backward(input_grad=False)
        norms = self._grad_norms()
        if norms is None:
            self._fail_in_backward(saved)
        self.optimizer.step(net.params, net.grads)
        return loss, norms

    def _grad_norms(self) -> dict[int, float] | None:
        """Per-layer gradient L2 norms; None if any is not finite.

        A float32 sum of squares that overflows (norm above ~1e19) counts as not
        finite too: an update with such a gradient would overflow the weights.
        """
        norms = {}
        for i, layer in self._weighted:
            total = 0.0
            for g in layer.grads.values():
                flat = g.ravel(order="K")  # a view whatever the layout
                total += float(np.dot(flat, flat))
            if not math.isfinite(total):
                return None
            norms[i] = math.sqrt(total)
        return norms

    def _save_volatile(self) -> Volatile:
        """What a forward pass changes besides weights: the generator and running statistics
        (small per-channel vectors), so a failed step can be undone."""
        state = [(a, a.copy()) for a in self.net.state.values()]
        return self.net.rng.bit_generator.state, state

    def _restore_volatile(self, saved: Volatile) -> None:
        rng_state, state = saved
        self.net.rng.bit_generator.state = rng_state
        for live, copy in state:
            live[...] = copy

    # -- the slow cadence --------------------------------------------------------------
    def _with_details(
        self, report: StepReport, x: np.ndarray, before: dict[str, np.ndarray]
    ) -> StepReport:
        """``report`` with validation metrics, histograms, filters and health figures;
        ``x`` is the step's batch, ``before`` the parameters before its update."""
        net = self.net
        params = net.params
        histograms = {key: self._histogram(key, p) for key, p in params.items()}
        filters = {i: net.layers[i].params["W"].copy() for i in self._convs}
        ratios = {}
        for i, layer in self._weighted:
            keys = [f"{i}.{name}" for name in layer.params]
            moved = math.sqrt(sum(float(np.sum((params[k] - before[k]) ** 2)) for k in keys))
            size = math.sqrt(sum(float(np.sum(before[k] ** 2)) for k in keys))
            ratios[i] = moved / size if size else math.inf
        val = {}
        if self._val_x is not None:
            result = evaluate(net, self._val_x, self.val_set.y)
            val = {
                "val_loss": result.loss,
                "val_accuracy": result.accuracy,
                "confusion": result.confusion,
            }
            self.history.val_step.append(self.step)
            self.history.val_loss.append(result.loss)
            self.history.val_accuracy.append(result.accuracy)
        return replace(
            report,
            has_details=True,
            weight_histograms=histograms,
            filters=filters,
            update_ratios=ratios,
            inactive=self._inactive(x),
            **val,
        )

    def _histogram(self, key: str, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Counts over edges fixed at the first histogram of ``key`` in this run: twice
        the widest initial weight (at least ±0.1); values beyond count in the end bins."""
        edges = self._histogram_edges.get(key)
        if edges is None:
            limit = max(2 * float(np.abs(p).max(initial=0)), 0.1)
            edges = self._histogram_edges[key] = np.linspace(-limit, limit, HISTOGRAM_BINS + 1)
        values = np.clip(p, edges[0], edges[-1])
        return np.histogram(values, bins=edges)[0], edges

    def _inactive(self, x: np.ndarray) -> dict[int, float]:
        """Per activation layer, the share of units the batch ``x`` leaves dead (ReLU family:
        output <= 0 for every sample) or saturated (sigmoid, tanh: within 1% of a bound)."""
        inactive = {}
        out = x
        for i, layer in enumerate(self.net.layers):
            out = layer.forward(out, train=False)  # evaluation mode: no statistics, no masks
            if layer.type_name in ("relu", "leaky_relu"):
                inactive[i] = float(np.mean(~(out > 0).any(axis=0)))
            elif layer.type_name == "sigmoid":
                inactive[i] = float(np.mean((out < 0.01) | (out > 0.99)))
            elif layer.type_name == "tanh":
                inactive[i] = float(np.mean(np.abs(out) > 0.99))
        return inactive

    # -- failures ----------------------------------------------------------------------
    def _where(self) -> str:
        return f"step {self.step + 1} (epoch {self.epoch + 1})"

    def _fail_in_forward(self, x: np.ndarray, loss: float, saved: Volatile) -> None:
        """Replay the failed forward pass layer by layer to find where it stopped being finite."""
        self._restore_volatile(saved)
        culprit, index = f"the loss ({self.net.spec.loss})", None
        out = np.asarray(x, self.net.dtype)
        for i, layer in enumerate(self.net.layers):
            out = layer.forward(out, train=True)
            if not np.isfinite(out).all():
                culprit, index = f"layer {i} ({layer.type_name})", i
                break
        self._restore_volatile(saved)
        raise TrainingError(
            f"the loss became {loss} at {self._where()}: the output of {culprit} is not "
            f"finite. {self._kept()}",
            layer_index=index,
            step=self.step + 1,
        )

    def _fail_in_backward(self, saved: Volatile) -> None:
        """Replay the backward pass layer by layer to find the first bad gradient."""
        self._restore_volatile(saved)
        culprit, what, index = "a layer", "not finite", None
        d = self.net.loss_fn.backward()
        for i in range(len(self.net.layers) - 1, -1, -1):
            layer = self.net.layers[i]
            d = layer.backward(d, input_grad=True)
            arrays = [*layer.grads.values(), d]
            if not all(np.isfinite(a).all() for a in arrays):
                culprit, index = f"layer {i} ({layer.type_name})", i
                break
            if not all(math.isfinite(float(np.dot(g.reshape(-1), g.reshape(-1)))) for g in arrays):
                culprit, what, index = f"layer {i} ({layer.type_name})", "too large for float32", i
                break
        raise TrainingError(
            f"the gradient in {culprit} became {what} at {self._where()}. {self._kept()}",
            layer_index=index,
            step=self.step + 1,
        )

    def _kept(self) -> str:
        kept = f"the weights of step {self.step}, the last good one" if self.step else "its start"
        return f"The network keeps {kept}; a lower learning rate may help."


def check_fits(spec: NetworkSpec, dataset: Dataset) -> None:
    """Raise DataError naming both shapes (or class counts) if ``spec`` cannot train on
    ``dataset``; the window asks before offering Train."""
    if dataset.sample_shape != spec.input_shape:
        raise DataError(
            f"dataset {dataset.name!r} has samples of shape {shape_text(dataset.sample_shape)}, "
            f"the network expects {shape_text(spec.input_shape)}"
        )
    outputs = spec.output_shape[0] if spec.output_shape else None  # None: invalid layers
    if outputs is not None and len(dataset.y) and int(dataset.y.max()) >= outputs:
        raise DataError(
            f"dataset {dataset.name!r} has {int(dataset.y.max()) + 1} classes, "
            f"the network has {outputs} outputs"
        )
    if not np.isfinite(dataset.x).all():
        raise DataError(f"dataset {dataset.name!r} contains NaN or infinite values")
