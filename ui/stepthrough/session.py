"""One traced pass over a snapshot of the project, and where the student is in it (no Qt).

The view binds to a ``StepSession``: it shows ``current`` and moves the cursor;
the session never changes the project it was given, whose network it only reads
(``Network.trace`` runs on a copy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.errors import DataError
from playground.gradcheck import ArrayCheck, check_traced
from playground.layers import shape_text
from playground.network import Network
from playground.project import Project
from playground.trace import BackwardStep, ForwardStep, LossStep, TraceStep

MAX_BATCH = 8
CHECK_ENTRIES = 16  # entries per array of a layer's check: a click stays under a second


@dataclass(frozen=True)
class StepInput:
    """What goes in: x ``(N, *input shape)`` as ``load_dataset`` gives it (the project's
    normalisation is applied by the session) and integer labels ``(N,)``."""

    x: np.ndarray
    labels: np.ndarray
    source: str  # where it came from, e.g. "digits #17" or "the draw pad"
    labels_given: bool = True  # False: the labels are the network's own predictions


@dataclass(frozen=True)
class ParameterMove:
    """How far one parameter array moved in an update."""

    key: str  # "4.W"
    weight_norm: float  # ‖W‖ before the update
    update_norm: float  # ‖ΔW‖

    @property
    def ratio(self) -> float:
        """‖ΔW‖ / ‖W‖: around 1e-3 is the usual healthy rate of learning."""
        return self.update_norm / self.weight_norm if self.weight_norm else float("inf")


@dataclass(frozen=True)
class UpdateResult:
    optimizer: str
    learning_rate: float
    loss_before: float
    loss_after: float  # on the same examples, with the same dropout mask
    moves: tuple[ParameterMove, ...]


def labelled_input(project: Project, x: np.ndarray, label: int | None, source: str) -> StepInput:
    """A ``StepInput`` for one sample x ``(*input shape)`` or a batch; without a label,
    the network's own prediction stands in for it."""
    x = np.asarray(x, np.float32)
    shape = project.spec.input_shape
    if x.shape == shape:
        x = x[None]
    if x.shape[1:] != shape:
        raise DataError(
            f"the input has shape {shape_text(x.shape)}, the network expects one sample of "
            f"{shape_text(shape)} or a batch of them"
        )
    if label is not None:
        return StepInput(x, np.full(len(x), int(label)), source)
    predicted = project.network.predict(_normalized(project, x)).argmax(axis=1)
    return StepInput(x, predicted, source, labels_given=False)


def _normalized(project: Project, x: np.ndarray) -> np.ndarray:
    if x.shape[1:] != project.spec.input_shape:
        raise DataError(
            f"the input samples have shape {shape_text(x.shape[1:])}, the network expects "
            f"{shape_text(project.spec.input_shape)}"
        )
    return project.normalization.apply(x) if project.normalization is not None else x


class StepSession:
    """``project``'s network traced on ``step_input``: the events and a cursor over them.

    Raises SpecError for an invalid spec, DataError for an input that does not fit.
    """

    def __init__(self, project: Project, step_input: StepInput, train: bool = True) -> None:
        if not 1 <= len(step_input.x) <= MAX_BATCH:
            raise DataError(f"step through 1 to {MAX_BATCH} examples, not {len(step_input.x)}")
        self.project = project
        self.input = step_input
        self.train = train
        self.network: Network = project.network  # read only: the trace runs on a copy
        self.x = _normalized(project, step_input.x)
        self.steps: list[TraceStep] = self.network.trace(self.x, step_input.labels, train)
        self._forward = {s.index: s for s in self.steps if isinstance(s, ForwardStep)}
        self.position = 0

    # -- the cursor ------------------------------------------------------------------
    @property
    def current(self) -> TraceStep:
        return self.steps[self.position]

    @property
    def at_start(self) -> bool:
        return self.position == 0

    @property
    def at_end(self) -> bool:
        return self.position == len(self.steps) - 1

    def go(self, position: int) -> None:
        self.position = min(max(position, 0), len(self.steps) - 1)

    def step_forward(self) -> None:
        self.go(self.position + 1)

    def step_back(self) -> None:
        self.go(self.position - 1)

    def run_to_end(self) -> None:
        self.go(len(self.steps) - 1)

    def restart(self) -> None:
        self.go(0)

    @property
    def active_layer(self) -> int | None:
        """The layer of the current event (None at the loss)."""
        step = self.current
        return None if isinstance(step, LossStep) else step.index

    def forward_of(self, index: int) -> ForwardStep:
        return self._forward[index]

    @property
    def loss_step(self) -> LossStep:
        return next(s for s in self.steps if isinstance(s, LossStep))

    # -- what a click computes ---------------------------------------------------------
    def check(self, step: BackwardStep, seed: int = 0) -> dict[str, ArrayCheck]:
        """The layer's own numerical gradient check at this backward event (float64)."""
        return check_traced(
            self.network, self.forward_of(step.index), step, max_entries=CHECK_ENTRIES, seed=seed
        )

    def apply_update(self) -> UpdateResult:
        """One optimizer step (the project's optimizer, state and learning rate) on a copy
        of the snapshot: how far each parameter moved, and the loss before and after."""
        project, net = self.project, self.network.copy()
        start = net.rng.bit_generator.state  # as the trace began: the same dropout masks

        def loss() -> float:
            net.rng.bit_generator.state = start
            return net.loss_fn.forward(net.forward(self.x, self.train), self.input.labels)

        before = loss()
        net.backward(input_grad=False)
        config = project.config
        optimizer = config.make_optimizer()
        saved = project.optimizer_state
        if saved is not None and saved.get("name") == config.optimizer:
            optimizer.load_state_dict(saved)
        if project.steps_per_epoch and project.step < config.epochs * project.steps_per_epoch:
            optimizer.lr = config.lr_at(project.step, project.steps_per_epoch)
        # else the base rate: a finished run's schedule may have come down to zero
        old = {k: p.copy() for k, p in net.params.items()}
        optimizer.step(net.params, net.grads)
        moves = tuple(
            ParameterMove(k, float(np.linalg.norm(w)), float(np.linalg.norm(net.params[k] - w)))
            for k, w in old.items()
        )
        return UpdateResult(config.optimizer, optimizer.lr, before, loss(), moves)
