"""The step-through view: one forward and one backward pass, event by event, with the maths.

``StepThroughView(document)`` reads ``document.project`` as a snapshot (training
may go on meanwhile) and traces it on what goes in: examples of the project's
dataset (by index or at random, a mini-batch of up to 8) or a digit handed over
with ``set_input``. It shows each event's arrays, the local rule in words and
formulas with the event's shapes, the textbook code, the layer's own gradient
check on request, and after the last event one optimizer step on a copy.

``activeLayerChanged(int | None)`` follows the current event's layer, for the
canvas to mark it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from playground.datasets import Dataset
from playground.errors import DataError, ProjectError, SpecError
from playground.gradcheck import INPUT_KEY, THRESHOLD, ArrayCheck, all_passed
from playground.graph import GraphError, trace_layer_graph
from playground.graph.layer import MAX_SIZE
from playground.project import Project
from playground.trace import BackwardStep, ForwardStep, LossStep, TraceStep
from ui.document import Document
from ui.stepthrough.rules import rule
from ui.stepthrough.session import MAX_BATCH, StepInput, StepSession, UpdateResult, labelled_input
from ui.stepthrough.tensor_view import TensorView

PANELS = 4  # the most arrays one event has: dout, dx, dW, db
NARROW = 1000  # below this width, the rule and the actions go below the arrays
_PROBLEMS = (SpecError, DataError, ProjectError, ValueError, OSError)
_FORWARD_COLOR, _LOSS_COLOR, _BACKWARD_COLOR = "#dfe9f5", "#efe3f5", "#f7e6da"


class StepThroughView(QWidget):
    activeLayerChanged = Signal(object)  # int | None: the layer of the current event
    # A small dense layer (and its activation) as scalar gates, for the graph view's
    # ``show_graph(graph, values, note)``: a playground.graph Graph, its values, a note.
    gatesRequested = Signal(object, object, str)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepThroughView")
        self.document = document
        self.session: StepSession | None = None
        self._input: StepInput | None = None
        self._drawn = False  # the input was handed over (set_input), not chosen from the data
        self._pending: Project | None = None  # newer weights, used from the next restart
        self._datasets: dict[Any, Dataset] = {}
        self._checks: dict[int, str] = {}  # event position -> the check's result, as shown
        self._active: int | None = None  # the layer last announced
        self._rng = np.random.default_rng()
        self._build()
        document.projectChanged.connect(self._on_project_changed)
        self._take_project(document.project)

    # -- building ----------------------------------------------------------------------
    def _build(self) -> None:
        self.example_spin = QSpinBox(objectName="stepExample")
        self.example_spin.setToolTip("Which example of the project's dataset goes in")
        self.random_button = QPushButton("Random", objectName="stepRandomButton")
        self.batch_spin = QSpinBox(objectName="stepBatch", minimum=1, maximum=MAX_BATCH)
        self.batch_spin.setToolTip("How many examples (consecutive from the one chosen)")
        self.train_box = QCheckBox("Training mode", objectName="stepTrainMode", checked=True)
        self.train_box.setToolTip(
            "As in a training step: dropout drops, batchnorm uses the batch's statistics. "
            "Off: as in prediction."
        )
        self.input_label = QLabel(objectName="stepInputLabel")
        self.input_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.sample_spin = QSpinBox(objectName="stepSample")
        self.sample_spin.setToolTip("Which example of the batch the arrays show")
        self.sample_label = QLabel("showing")
        source = QHBoxLayout()
        for widget in (
            QLabel("Example"),
            self.example_spin,
            self.random_button,
            QLabel("Batch"),
            self.batch_spin,
            self.sample_label,
            self.sample_spin,
            self.train_box,
        ):
            source.addWidget(widget)
        source.addWidget(self.input_label, 1)

        self.restart_button = QPushButton("Restart", objectName="stepRestartButton")
        self.back_button = QPushButton("◀ Step back", objectName="stepBackButton")
        self.forward_button = QPushButton("Step forward ▶", objectName="stepForwardButton")
        self.run_button = QPushButton("Run to end ▶▶", objectName="stepRunButton")
        self.title = QLabel(objectName="stepTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(160)
        self.gates_button = QPushButton("Show as gates", objectName="stepGatesButton")
        self.gates_button.setToolTip(
            "Open this small dense layer and its activation as a graph of scalar gates "
            f"(up to {MAX_SIZE} inputs and {MAX_SIZE} units)"
        )
        controls = QHBoxLayout()
        keys = {
            self.restart_button: ("Home", self.restart),
            self.back_button: ("Left", self.step_back),
            self.forward_button: ("Right", self.step_forward),
            self.run_button: ("End", self.run_to_end),
        }
        for button, (key, slot) in keys.items():
            button.clicked.connect(slot)
            button.setToolTip(f"{button.text().strip('◀▶ ')} ({key})")
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            controls.addWidget(button)
        controls.addStretch(1)
        controls.addWidget(self.gates_button)

        self.timeline = QListWidget(objectName="stepTimeline")
        self.timeline.setFlow(QListWidget.Flow.LeftToRight)
        self.timeline.setWrapping(False)
        self.timeline.setFixedHeight(38)
        self.timeline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.timeline.setSpacing(1)
        self.notice = QLabel(objectName="stepNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #9a3412;")
        self.notice.hide()
        self.summary = QLabel(objectName="stepSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        tensors = QWidget()
        grid = QGridLayout(tensors)
        grid.setContentsMargins(0, 0, 0, 0)
        self.panels = [TensorView() for _ in range(PANELS)]
        for i, panel in enumerate(self.panels):
            grid.addWidget(panel, i // 2, i % 2)

        self.rule_view = QTextBrowser(objectName="stepRule")
        self.check_button = QPushButton("Check this layer", objectName="gradCheckButton")
        self.check_button.setToolTip(
            "Perturb the layer's input and parameters and compare central differences "
            "(float64) with the analytic gradients for this upstream gradient"
        )
        self.check_result = QTextBrowser(objectName="gradCheckResult")
        self.update_button = QPushButton("Apply update", objectName="applyUpdateButton")
        self.update_button.setToolTip(
            "One optimizer step on a copy of the snapshot (the document keeps its weights)"
        )
        self.update_result = QTextBrowser(objectName="updateResult")
        self.check_result.setPlaceholderText("Backward events: check the gradients numerically.")
        self.update_result.setPlaceholderText("After the last event: one optimizer step on a copy.")
        actions = QSplitter(Qt.Orientation.Vertical)  # the check over the update
        for button, result in (
            (self.check_button, self.check_result),
            (self.update_button, self.update_result),
        ):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 2, 0, 0)
            box_layout.addWidget(button)
            box_layout.addWidget(result, 1)
            actions.addWidget(box)
        actions.setSizes([170, 120])
        for browser in (self.check_result, self.update_result, self.rule_view):
            browser.setMinimumHeight(40)  # the splitter, not the text, decides
        # Wide: the arrays left, the rule over the actions right. Narrow (beside the canvas
        # and the docks): the arrays on top, the rule beside the actions below.
        self.side = QSplitter(Qt.Orientation.Vertical)
        self.side.addWidget(self.rule_view)
        self.side.addWidget(actions)
        self.side.setSizes([420, 290])
        self.body = QSplitter(Qt.Orientation.Horizontal, objectName="stepBody")
        self.body.addWidget(tensors)
        self.body.addWidget(self.side)
        self.body.setStretchFactor(0, 1)
        self.body.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(source)
        layout.addLayout(controls)
        layout.addWidget(self.title)
        layout.addWidget(self.timeline)
        layout.addWidget(self.notice)
        layout.addWidget(self.summary)
        layout.addWidget(self.body, 1)

        self.example_spin.valueChanged.connect(lambda _: self.choose_example())
        self.batch_spin.valueChanged.connect(lambda _: self.choose_example())
        self.random_button.clicked.connect(self.choose_random_example)
        self.train_box.toggled.connect(lambda _: self._retrace())
        self.sample_spin.valueChanged.connect(lambda _: self._show_current())
        self.timeline.currentRowChanged.connect(self._on_timeline_row)
        self.check_button.clicked.connect(self.check_current_layer)
        self.update_button.clicked.connect(self.apply_update)
        self.gates_button.clicked.connect(self.show_as_gates)

    # -- what goes in ------------------------------------------------------------------
    @property
    def project(self) -> Project:
        """The snapshot being stepped through."""
        return self.session.project if self.session is not None else self.document.project

    def choose_example(self, index: int | None = None) -> None:
        """Step through example ``index`` (the spin box's by default) and the batch after it."""
        dataset = self._dataset(self.project)
        if dataset is None:
            return
        if index is not None:
            with QSignalBlocker(self.example_spin):
                self.example_spin.setValue(index)
        start, count = self.example_spin.value(), self.batch_spin.value()
        picked = (start + np.arange(count)) % len(dataset)
        first, last = int(picked[0]), int(picked[-1])
        where = f"#{first}" if count == 1 else f"#{first}–#{last}"
        self._input = StepInput(dataset.x[picked], dataset.y[picked], f"{dataset.name} {where}")
        self._drawn = False
        self._retrace()

    def choose_random_example(self) -> None:
        dataset = self._dataset(self.project)
        if dataset is not None:
            self.choose_example(int(self._rng.integers(len(dataset))))

    def set_input(self, x: np.ndarray, label: int | None = None) -> None:
        """Step through ``x`` (one sample ``(*input shape)`` or a batch, values as
        ``load_dataset`` gives them, e.g. the draw pad's digit); without ``label``,
        the network's own prediction stands in for it."""
        try:
            self._input = labelled_input(self.project, x, label, "the draw pad")
        except _PROBLEMS as exc:
            self._show_problem(str(exc))
            return
        self._drawn = True
        self._retrace()

    def _dataset(self, project: Project) -> Dataset | None:
        """The project's dataset (loaded once per choice), or None with the reason shown."""
        key = (project.dataset, repr(sorted(project.dataset_options.items())))
        if key not in self._datasets:
            try:
                self._datasets[key] = project.load_data()
            except _PROBLEMS as exc:
                self._show_problem(f"No examples to step through: {exc}")
                return None
        dataset = self._datasets[key]
        with QSignalBlocker(self.example_spin):
            self.example_spin.setMaximum(len(dataset) - 1)
        return dataset

    # -- the snapshot ------------------------------------------------------------------
    def _on_project_changed(self, project: Project) -> None:
        current = self.session.project if self.session is not None else None
        same_data = current is not None and (project.dataset, project.dataset_options) == (
            current.dataset,
            current.dataset_options,
        )
        if same_data and project.spec == current.spec:
            # New weights (training goes on): keep the pass being read, offer the new one.
            self._pending = project
            self.notice.setText("The weights have changed since this pass: Restart uses them.")
            self.notice.show()
            self._update_buttons()  # Restart is offered even at the first event
            return
        self._take_project(project)

    def _take_project(self, project: Project) -> None:
        """Trace ``project`` from the start: on a handed-over input if it still fits, else
        on the examples chosen from the project's dataset."""
        self._pending = None
        self.session = None
        drawn = self._input is not None and self._drawn
        if drawn and self._input.x.shape[1:] == project.spec.input_shape:
            self._retrace(project)
        elif self._dataset(project) is not None:
            self.choose_example()
        else:
            self._show_session()

    def _retrace(self, project: Project | None = None) -> None:
        project = project or self._pending or self.project
        self._pending = None
        self._checks.clear()
        self.update_result.clear()
        if self._input is None:
            return
        try:
            self.session = StepSession(project, self._input, self.train_box.isChecked())
        except _PROBLEMS as exc:
            self.session = None
            self._show_problem(f"Cannot step through this network: {exc}")
            return
        self.notice.hide()
        self._show_session()

    def _show_problem(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        if self.session is None:
            self._show_session()

    # -- stepping ----------------------------------------------------------------------
    def step_forward(self) -> None:
        self._move(lambda s: s.step_forward())

    def step_back(self) -> None:
        self._move(lambda s: s.step_back())

    def run_to_end(self) -> None:
        self._move(lambda s: s.run_to_end())

    def restart(self) -> None:
        """Back to the first event; with newer weights waiting, trace them first."""
        if self._pending is not None:
            self._retrace()
        else:
            self._move(lambda s: s.restart())

    def go_to(self, position: int) -> None:
        self._move(lambda s: s.go(position))

    def _move(self, how: Callable[[StepSession], None]) -> None:
        if self.session is not None:
            how(self.session)
            self._show_current()

    def _on_timeline_row(self, row: int) -> None:
        if self.session is not None and row >= 0 and row != self.session.position:
            self.go_to(row)

    # -- showing -----------------------------------------------------------------------
    def _show_session(self) -> None:
        """Fill the timeline and the input line for a new session (or clear them)."""
        session = self.session
        with QSignalBlocker(self.timeline):
            self.timeline.clear()
            for step in session.steps if session else []:
                self.timeline.addItem(_timeline_item(step))
        if session is None:
            self.input_label.setText("")
            self.title.setText("Nothing to step through")
            self.summary.clear()
            self.rule_view.clear()
            for panel in self.panels:
                panel.hide()
            self._update_buttons()
            self._announce(None)
            return
        given = session.input
        labels = ", ".join(str(int(v)) for v in given.labels)
        kind = "label" if given.labels_given else "no label given, standing in: predicted"
        self.input_label.setText(f"{html.escape(given.source)} · {kind} {labels}")
        with QSignalBlocker(self.sample_spin):
            self.sample_spin.setMaximum(len(given.x) - 1)
        self.sample_spin.setVisible(len(given.x) > 1)
        self.sample_label.setVisible(len(given.x) > 1)
        self._show_current()

    def _show_current(self) -> None:
        session = self.session
        if session is None:
            return
        step = session.current
        self.title.setText(step.title)
        with QSignalBlocker(self.timeline):
            self.timeline.setCurrentRow(session.position)
        self.timeline.scrollToItem(self.timeline.item(session.position))
        sample = self.sample_spin.value()
        arrays = step.arrays()
        # At the loss, the label's bar stands out in scores, probabilities and dscores.
        label = None
        if isinstance(step, LossStep) and step.labels.ndim == 1:
            label = int(step.labels[sample])
        for panel, (name, array) in zip(self.panels, arrays.items(), strict=False):
            whole = isinstance(step, BackwardStep) and name[1:] in step.param_grads
            note = "" if whole or len(array) == 1 else f"example {sample} of {len(array)}"
            panel.show_array(name, array if whole else array[sample], note, label)
            panel.show()
        for panel in self.panels[len(arrays) :]:
            panel.hide()
        self.summary.setText(self._summary(step, sample))
        layer = None if isinstance(step, LossStep) else session.network.layers[step.index]
        self.rule_view.setHtml(_rule_html(step, layer, session.train))
        self.check_result.setHtml(self._checks.get(session.position, ""))
        self._update_buttons()
        self._announce(session.active_layer)

    def _summary(self, step: TraceStep, sample: int) -> str:
        if isinstance(step, LossStep):
            probs = step.probabilities[sample]
            top = int(probs.argmax())
            text = f"loss <b>{step.value:.5g}</b> (over the batch)"
            if step.labels.ndim == 1:
                label = int(step.labels[sample])
                text += (
                    f" · label <b>{label}</b> (p = {probs[label]:.3g})"
                    f" · predicted <b>{top}</b> (p = {probs[top]:.3g})"
                )
            return text + " · dscores starts the backward pass"
        gates = ""
        if step.layer_type in ("relu", "leaky_relu"):  # how many of this example's gates are open
            x = self.session.forward_of(step.index).input[sample]
            gates = f"; x > 0 (the gate open) for {np.count_nonzero(x > 0)} of {x.size} values"
        if isinstance(step, ForwardStep):
            mode = "training" if step.train else "evaluation"
            # The canvas stacks the layers from the input at the top down to the loss.
            return f"x arrives from above, out leaves downwards ({mode} mode){gates}"
        return (
            f"dout arrives from below (‖dout‖ {np.linalg.norm(step.upstream):.4g}), dx leaves "
            f"upwards (‖dx‖ {np.linalg.norm(step.dx):.4g})"
            + ("; the parameter gradients stay here" if step.param_grads else "")
            + gates
        )

    def _update_buttons(self) -> None:
        session = self.session
        alive = session is not None
        self.restart_button.setEnabled(
            alive and (not session.at_start or self._pending is not None)
        )
        self.back_button.setEnabled(alive and not session.at_start)
        self.forward_button.setEnabled(alive and not session.at_end)
        self.run_button.setEnabled(alive and not session.at_end)
        self.check_button.setEnabled(alive and isinstance(session.current, BackwardStep))
        self.update_button.setEnabled(alive and session.at_end and bool(session.network.params))
        self.gates_button.setVisible(alive and self._small_dense(session.active_layer))

    def _small_dense(self, index: int | None) -> bool:
        """Whether layer ``index`` is a dense layer small enough to draw gate by gate."""
        if index is None:
            return False
        layer = self.session.network.layers[index]
        return layer.type_name == "dense" and max(layer.params["W"].shape) <= MAX_SIZE

    def show_as_gates(self) -> None:
        """Emit ``gatesRequested`` for the current dense layer, on the example shown."""
        session = self.session
        if session is None or not self._small_dense(session.active_layer):
            return
        index, sample = session.active_layer, self.sample_spin.value()
        try:
            gates = trace_layer_graph(session.network, session.steps, index, sample)
        except GraphError as exc:
            self._show_problem(f"Cannot show layer {index} as gates: {exc}")
            return
        note = f"Layer {index} (dense) of {session.network.spec.name} on {session.input.source}"
        if len(session.input.x) > 1:
            note += f", example {sample}"
        self.gatesRequested.emit(gates.graph, gates.values, note)

    @property
    def active_layer(self) -> int | None:
        """The layer of the current event while the view is shown (None at the loss)."""
        return self._active if isinstance(self._active, int) else None

    def _announce(self, layer: int | None) -> None:
        """Tell the canvas which layer is active, while the view is in sight."""
        if not self.isVisible():
            layer = None
        if layer != self._active:
            self._active = layer
            self.activeLayerChanged.emit(layer)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < NARROW
        body = Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal
        if self.body.orientation() != body:
            self.body.setOrientation(body)
            side = Qt.Orientation.Horizontal if narrow else Qt.Orientation.Vertical
            self.side.setOrientation(side)
            QTimer.singleShot(0, self._share_body)  # once the splitter has its new size

    def _share_body(self) -> None:
        """Arrays two thirds of the height when stacked, half the width side by side."""
        vertical = self.body.orientation() == Qt.Orientation.Vertical
        total = self.body.height() if vertical else self.body.width()
        self.body.setSizes([total * 2 // 3, total // 3] if vertical else [total // 2] * 2)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._announce(self.session.active_layer if self.session is not None else None)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._announce(None)  # the mark goes with the view

    # -- what a click computes ---------------------------------------------------------
    def check_current_layer(self) -> None:
        """Run the current backward event's layer check and show it (``gradCheckResult``)."""
        session = self.session
        if session is None or not isinstance(session.current, BackwardStep):
            return
        step = session.current
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            checks = session.check(step)
        except _PROBLEMS as exc:
            text = f"<p style='color:#b91c1c'>The check could not run: {html.escape(str(exc))}</p>"
        else:
            text = _check_html(checks)
        finally:
            QApplication.restoreOverrideCursor()
        self._checks[session.position] = text
        self.check_result.setHtml(text)

    def apply_update(self) -> UpdateResult | None:
        """One optimizer step on a copy of the snapshot, shown in ``updateResult``."""
        if self.session is None:
            return None
        try:
            result = self.session.apply_update()
        except _PROBLEMS as exc:
            self.update_result.setHtml(f"The update could not run: {html.escape(str(exc))}")
            return None
        self.update_result.setHtml(_update_html(result))
        return result


# -- formatting ----------------------------------------------------------------------------


def _timeline_item(step: TraceStep) -> QListWidgetItem:
    if isinstance(step, ForwardStep):
        text, color = f"{step.index} {step.layer_type} ▶", _FORWARD_COLOR
    elif isinstance(step, LossStep):
        text, color = "loss", _LOSS_COLOR
    else:
        text, color = f"◀ {step.index} {step.layer_type}", _BACKWARD_COLOR
    item = QListWidgetItem(text)
    item.setBackground(QColor(color))
    item.setToolTip(step.title)
    return item


def _rule_html(step: TraceStep, layer, train: bool) -> str:
    found = rule(step, layer, train)
    formulas = "<br>".join(html.escape(f) for f in found.formulas)
    return (
        f"<h3>{html.escape(step.title)}</h3>"
        f"<p>{html.escape(found.words)}</p>"
        "<p style='font-family: monospace; white-space: pre-wrap; background: #f4f6f8'>"
        f"{formulas}</p>"
        "<p><b>The code</b> — the textbook form (playground/layers/reference.py) that the "
        "engine's fast layer is tested to match:</p>"
        f"<pre style='background: #f4f6f8'>{html.escape(found.code)}</pre>"
    )


def _gradient_name(key: str) -> str:
    return "dx" if key == INPUT_KEY else f"d{key}"


def _check_html(checks: dict[str, ArrayCheck]) -> str:
    rows = []
    for key, check in checks.items():
        ok = check.passed()
        color = "#15803d" if ok else ("#b91c1c" if ok is False else "#92400e")
        error = f"{check.error:.2e}" if check.checked else "—"
        pairs = ", ".join(
            f"{a:.4g} / {n:.4g}"
            for a, n, kink in zip(check.analytic, check.numeric, check.at_kink, strict=True)
            if not kink
        )
        pairs = pairs[:90] + ("…" if len(pairs) > 90 else "")
        rows.append(
            f"<tr><td><b>{_gradient_name(key)}</b></td><td>{error}</td>"
            f"<td style='color:{color}'>{html.escape(check.verdict())}</td>"
            f"<td style='color:#5d6773'>{pairs}</td></tr>"
        )
    kinks = sum(c.kinks for c in checks.values())
    if all_passed(checks):
        verdict = (
            "<b style='color:#15803d'>✓ The backward pass of this layer checks out</b>: "
            f"every relative error is below {THRESHOLD:g}."
        )
    else:
        verdict = (
            "<b style='color:#b91c1c'>✗ The analytic gradient differs from the numerical one</b>"
            f" by more than {THRESHOLD:g}: this layer's backward is wrong."
        )
    if kinks:
        verdict += (
            f" {kinks} entries sat at a kink (a ReLU input near 0 or a max-pool tie within the "
            "step), where a finite difference is no derivative: not checked."
        )
    return (
        f"<p>{verdict}</p><table cellspacing='4'><tr><th align='left'>gradient</th>"
        "<th align='left'>rel. error</th><th align='left'>verdict</th>"
        "<th align='left'>analytic / numerical (float64)</th></tr>" + "".join(rows) + "</table>"
    )


def _update_html(result: UpdateResult) -> str:
    rows = "".join(
        f"<tr><td>{m.key}</td><td>{m.weight_norm:.4g}</td><td>{m.update_norm:.3g}</td>"
        f"<td>{m.ratio:.2e}</td></tr>"
        for m in result.moves
    )
    change = result.loss_after - result.loss_before
    return (
        f"<p>One <b>{result.optimizer}</b> step, learning rate {result.learning_rate:g}: "
        f"loss on the same examples <b>{result.loss_before:.5g} → {result.loss_after:.5g}</b> "
        f"({change:+.3g}). The document's weights are unchanged.</p>"
        "<table cellspacing='4'><tr><th align='left'>parameter</th><th align='left'>‖W‖</th>"
        "<th align='left'>‖ΔW‖</th><th align='left'>‖ΔW‖/‖W‖</th></tr>" + rows + "</table>"
    )
