"""``RunRecord``: everything the training plots show, grown from the trainer's reports.

Plain Python and NumPy (no Qt), owned by the GUI thread: the worker's reports
arrive as copies and are appended here; the plots read these arrays on their
own timer. Curves keep one point per step (the plots downsample for drawing,
never the record). ``version`` grows with every change, so a plot redraws
only when there is something new.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from playground.history import History
from playground.trainer import StepReport


class Series:
    """A growing 1-D float64 array with amortised O(1) appends; ``values`` is a view."""

    def __init__(self, values: Iterable[float] = ()) -> None:
        initial = np.asarray(list(values), np.float64)
        self._data = np.empty(max(1024, 2 * len(initial)))
        self._data[: len(initial)] = initial
        self._size = len(initial)

    def __len__(self) -> int:
        return self._size

    @property
    def values(self) -> np.ndarray:
        """The values so far ``(n,)`` (a view: copy it to keep it)."""
        return self._data[: self._size]

    def extend(self, values: np.ndarray | list[float]) -> None:
        values = np.asarray(values, np.float64)
        end = self._size + len(values)
        if end > len(self._data):
            grown = np.empty(max(end, 2 * len(self._data)))
            grown[: self._size] = self.values
            self._data = grown
        self._data[self._size : end] = values
        self._size = end


class RunRecord:
    """The curves and snapshots of one network's training, across pauses and resumes.

    Per step (``step`` from 1): ``loss`` and ``accuracy`` (also for steps loaded
    from a file's history); ``lr`` and ``grad_norms`` (layer index -> Series) at
    ``grad_norm_steps``, the steps trained in this session. Per detail report:
    ``val_loss`` and ``val_accuracy`` at ``val_step``; ``update_ratios`` and
    ``inactive`` (layer index -> Series) at ``detail_step``; ``histograms``
    (parameter key -> counts ``(bins,)`` per detail report, at
    ``histogram_steps[key]``, on ``histogram_edges[key]`` ``(bins + 1,)``, with
    ``initial_histograms[key]`` the first). Per-layer curves start over when the
    layers change. ``latest`` is the newest report and ``latest_details`` the
    newest with details (confusion matrix, filters).
    """

    def __init__(self, history: History | None = None) -> None:
        history = history or History()
        self.step = Series(range(1, history.steps + 1))
        self.loss = Series(history.loss)
        self.accuracy = Series(history.accuracy)
        self.lr = Series()  # at grad_norm_steps
        self.grad_norms: dict[int, Series] = {}
        self.grad_norm_steps = Series()  # steps that have grad norms (not those from a file)
        self.val_step = Series(history.val_step)
        self.val_loss = Series(history.val_loss)
        self.val_accuracy = Series(history.val_accuracy)
        self.detail_step = Series()
        self.update_ratios: dict[int, Series] = {}
        self.inactive: dict[int, Series] = {}
        self.histograms: dict[str, list[np.ndarray]] = {}
        self.histogram_steps: dict[str, Series] = {}
        self.histogram_edges: dict[str, np.ndarray] = {}
        self.initial_histograms: dict[str, np.ndarray] = {}
        self.latest: StepReport | None = None
        self.latest_details: StepReport | None = None
        self.version = 0

    @property
    def steps(self) -> int:
        return len(self.loss)

    def add(self, reports: list[StepReport]) -> None:
        """Append a batch of consecutive reports (as the worker sends them)."""
        if not reports:
            return
        if reports[0].step != self.steps + 1:
            # A run resumed from a snapshot older than the record (or a Reset): start the
            # curves over from that snapshot's step rather than leaving a gap or overlap.
            self._truncate(reports[0].step - 1)
        self.step.extend([r.step for r in reports])
        self.loss.extend([r.loss for r in reports])
        self.accuracy.extend([r.accuracy for r in reports])
        if set(reports[0].grad_norms) != set(self.grad_norms):  # the layers changed: start over
            self.grad_norm_steps, self.lr = Series(), Series()
            self.grad_norms = {index: Series() for index in reports[0].grad_norms}
        self.lr.extend([r.lr for r in reports])
        self.grad_norm_steps.extend([r.step for r in reports])
        for index, series in self.grad_norms.items():
            series.extend([r.grad_norms[index] for r in reports])
        for report in reports:
            if report.has_details:
                self._add_details(report)
        self.latest = reports[-1]
        self.version += 1

    def _add_details(self, report: StepReport) -> None:
        self.latest_details = report
        if report.val_loss is not None:
            self.val_step.extend([report.step])
            self.val_loss.extend([report.val_loss])
            self.val_accuracy.extend([report.val_accuracy])
        ratios, inactive = report.update_ratios or {}, report.inactive or {}
        if set(ratios) != set(self.update_ratios) or set(inactive) != set(self.inactive):
            self.detail_step = Series()  # the layers changed: these curves start over
            self.update_ratios = {index: Series() for index in ratios}
            self.inactive = {index: Series() for index in inactive}
        self.detail_step.extend([report.step])
        for store, values in ((self.update_ratios, ratios), (self.inactive, inactive)):
            for index, value in values.items():
                store[index].extend([value])
        for key, (counts, edges) in (report.weight_histograms or {}).items():
            if key not in self.histogram_edges or not np.array_equal(
                self.histogram_edges[key], edges
            ):  # a new run (resume, edit) chose new edges: its frames compare among themselves
                self.histogram_edges[key] = edges
                self.initial_histograms[key] = counts
                self.histograms[key] = []
                self.histogram_steps[key] = Series()
            self.histograms[key].append(counts)
            self.histogram_steps[key].extend([report.step])

    def _truncate(self, steps: int) -> None:
        """Keep only the first ``steps`` steps of the per-step curves and the details before."""
        fresh = RunRecord(
            History(
                loss=self.loss.values[:steps].tolist(),
                accuracy=self.accuracy.values[:steps].tolist(),
                val_step=[int(s) for s in self.val_step.values if s <= steps],
                val_loss=self.val_loss.values[self.val_step.values <= steps].tolist(),
                val_accuracy=self.val_accuracy.values[self.val_step.values <= steps].tolist(),
            )
        )
        version = self.version
        vars(self).update(vars(fresh))
        self.version = version
