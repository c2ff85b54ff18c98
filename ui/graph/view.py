"""The computational-graph view: type a scalar function, set its inputs, step gate by gate.

The text box (``graphExpression``) is read by ``playground.graph.Graph.parse`` on every
change; a problem shows the engine's ``GraphError`` message in red under the box and
underlines its position, and the last good graph stays drawn. A field per variable
holds its value. The drawing (``graphCanvas``) shows the numbers known after the
current step of ``graph.run(values)``: forward gate by gate, then backward gate by gate.

Keys (when the focus is not in a text box): Right steps forward, Left steps back, Home
restarts, End runs to the end — the same as the buttons' tooltips say.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.graph import (
    EXAMPLES,
    ForwardEvent,
    Graph,
    GraphError,
    GraphRun,
    example,
    format_number,
)
from ui.graph.fields import ValueFields
from ui.graph.scene import GraphScene

NEW_VARIABLE_VALUE = 1.0
MAX_ZOOM = 1.5  # small graphs are not blown up beyond this
MIN_ZOOM = 0.8  # nor large ones shrunk past reading: they scroll, following the step
DONE_LIST_MAX = 8  # more inputs than this: the last step does not list every gradient
ZOOM_STEP = 1.15
VEIL = QColor(255, 255, 255, 170)  # per notch of the mouse wheel
_PROBLEM_STYLE = "color: #c62828;"


class GraphCanvas(QGraphicsView):
    """The drawing, fitted to the view when shown or resized, within ``MIN_ZOOM``…``MAX_ZOOM``."""

    def __init__(self, scene: GraphScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setObjectName("graphCanvas")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundBrush(QColor("#ffffff"))
        self._followed: QRectF | None = None  # what a refit keeps in sight
        self.veiled = False

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        zoom = self.transform().m11()
        if not MIN_ZOOM <= zoom <= MAX_ZOOM:  # too big to read, or too small: scroll instead
            zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
            self.resetTransform()
            self.scale(zoom, zoom)
            self.centerOn(rect.center())
        if self._followed is not None:
            self.ensureVisible(self._followed, 110, 50)

    def set_veiled(self, veiled: bool) -> None:
        """Pale the drawing (while it is of an older text than the one in the box)."""
        if veiled != self.veiled:
            self.veiled = veiled
            self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self.veiled:
            painter.fillRect(rect, VEIL)

    def follow(self, rect: QRectF | None) -> None:
        """Keep ``rect`` (the current gate) in sight, with room for its numbers; None: the left."""
        self._followed = rect
        if rect is None:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
        else:
            self.ensureVisible(rect, 110, 50)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def wheelEvent(self, event) -> None:
        """The wheel zooms about the mouse, for reading the numbers of a large graph."""
        factor = ZOOM_STEP ** (event.angleDelta().y() / 120)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.scale(factor, factor)


class GraphView(QWidget):
    """A function's gate graph, its inputs, and stepping through its forward and backward pass."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graphView")
        self.graph: Graph | None = None
        self.run: GraphRun | None = None  # None while the values cannot be run
        self.step = 0  # events applied
        self._values: dict[str, float] = {}  # every value typed so far, by variable name
        self._problems: dict[str, str] = {}  # "text", "run" or a variable's name -> message

        self.expression = QPlainTextEdit()
        self.expression.setObjectName("graphExpression")
        self.expression.setPlaceholderText(
            "(x + y) * z        or several lines:  q = x + y  then  f = q * z"
        )
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.expression.setFont(mono)
        self.expression.setTabChangesFocus(True)
        self.problem = QLabel()
        self.problem.setObjectName("graphError")
        self.problem.setStyleSheet(_PROBLEM_STYLE)
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setObjectName("graphNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5d6773; font-style: italic;")

        self.examples_button = QToolButton()
        self.examples_button.setObjectName("graphExamplesButton")
        self.examples_button.setText("Examples")
        self.examples_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.examples_menu = QMenu(self.examples_button)
        self.examples_menu.setObjectName("graphExamplesMenu")
        for ex in EXAMPLES.values():
            action = QAction(ex.title, self.examples_menu)
            action.setObjectName(f"graphExample_{ex.key}")
            action.triggered.connect(lambda _=False, key=ex.key: self._choose_example(key))
            self.examples_menu.addAction(action)
        self.examples_button.setMenu(self.examples_menu)

        self.fields = ValueFields()
        self.fields.edited.connect(self._on_value)
        self.fields.problem.connect(self._on_field_problem)

        self.scene = GraphScene(self)
        self.canvas = GraphCanvas(self.scene)

        self.restart_button = self._button("graphRestartButton", "Restart", "Home", self.restart)
        self.back_button = self._button("graphStepBackButton", "◀ Back", "Left", self.step_back)
        self.forward_button = self._button(
            "graphStepForwardButton", "Forward ▶", "Right", self.step_forward
        )
        self.run_button = self._button("graphRunButton", "Run to end", "End", self.run_to_end)
        self.title = QLabel()
        self.title.setObjectName("graphStepTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)  # a long title wraps; it never widens the window
        self.title.setMinimumWidth(1)
        self.rule = QLabel()
        self.rule.setObjectName("graphStepRule")
        self.rule.setWordWrap(True)
        self.rule.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rule.setMinimumHeight(3 * self.rule.fontMetrics().lineSpacing() + 4)  # no jumps
        self.rule.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self._lay_out()
        self.expression.textChanged.connect(self._on_text_changed)
        self.show_example("lecture")

    # -- public ------------------------------------------------------------------------
    def show_example(self, key: str) -> None:
        """Open the built-in example ``key`` (one of ``playground.graph.EXAMPLES``)."""
        ex = example(key)
        self._values.update(ex.values)
        self.expression.setPlainText(ex.text)
        self.note.setText(ex.note)

    def _choose_example(self, key: str) -> None:
        self.show_example(key)
        self.canvas.setFocus()  # so that the arrow keys step at once

    def show_graph(self, graph: Graph, values: Mapping[str, float], note: str = "") -> None:
        """Show ``graph`` (e.g. a dense layer's gates) with ``values`` for its variables."""
        self._values.update({k: float(v) for k, v in values.items()})
        self.expression.blockSignals(True)
        self.expression.setPlainText(graph.text)
        self.expression.blockSignals(False)
        self.note.setText(note)
        self._problems.pop("text", None)
        self._set_graph(graph)

    def step_forward(self) -> None:
        self._go(self.step + 1)

    def step_back(self) -> None:
        self._go(self.step - 1)

    def restart(self) -> None:
        self._go(0)

    def run_to_end(self) -> None:
        self._go(len(self.run.events) if self.run else 0)

    # -- reacting ----------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        text = self.expression.toPlainText()
        try:
            graph = Graph.parse(text)
        except GraphError as exc:
            self._problems["text"] = str(exc)
            self._underline(exc.position)
            self._show_problems()
            self._go(0)  # the drawing stays, dimmed and not steppable, until the text is fixed
            return
        self._problems.pop("text", None)
        self.note.setText(next((e.note for e in EXAMPLES.values() if e.text == text), ""))
        self._set_graph(graph)

    def _set_graph(self, graph: Graph) -> None:
        self.graph = graph
        self._underline(None)
        for name in graph.variables:
            self._values.setdefault(name, NEW_VARIABLE_VALUE)
        self._problems = {k: m for k, m in self._problems.items() if k in ("text", "run")}
        self.fields.set_variables(graph.variables, self._values)
        self.scene.set_graph(graph)
        self.canvas.fit()
        self.step = 0
        self._rerun()

    def _on_value(self, name: str, value: float) -> None:
        self._values[name] = value
        self._rerun()

    def _on_field_problem(self, name: str, message: str) -> None:
        if message:
            self._problems[name] = message
        else:
            self._problems.pop(name, None)
        self._show_problems()

    def _rerun(self) -> None:
        """Run the graph on the current values, keeping the step (a value edit keeps the place)."""
        graph = self.graph
        try:
            self.run = graph.run({name: self._values[name] for name in graph.variables})
            self._problems.pop("run", None)
            if "text" not in self._problems:
                self._underline(None)  # a gate that failed on the old values is fine now
        except GraphError as exc:
            self.run = None
            self._problems["run"] = str(exc)
            if exc.position is not None:
                self._underline(exc.position)
        self._show_problems()
        self._go(self.step)

    def _go(self, step: int) -> None:
        stale = "text" in self._problems  # the drawing is of the last text that could be read
        run = None if stale else self.run
        total = len(run.events) if run else 0
        self.step = max(0, min(step, total))
        state = run.state_after(self.step) if run else None
        self.scene.show_state(state)
        self.canvas.set_veiled(stale)
        self.restart_button.setEnabled(self.step > 0)
        self.back_button.setEnabled(self.step > 0)
        self.forward_button.setEnabled(self.step < total)
        self.run_button.setEnabled(self.step < total)
        self.title.setText(self._title(total))
        self.rule.setText(self._rule_text(total))
        current = state.current if state else None
        self.canvas.follow(None if current is None else self.scene.node_rect(current.node))

    # -- texts -------------------------------------------------------------------------
    def _title(self, total: int) -> str:
        if "text" in self._problems:
            return "Fix the function to run it"
        if self.run is None:
            return "Cannot run these values"
        gates = len(self.graph.gates)
        if self.step == 0:
            return f"Ready · {gates} gate{'s' if gates != 1 else ''} · press Forward (→)"
        event = self.run.events[self.step - 1]
        gate = self.graph.nodes[event.node].gate.name
        if isinstance(event, ForwardEvent):
            return f"Forward {self.step} of {gates} · {gate}"
        backward = self.step - self.run.forward_count
        done = " · done" if self.step == total else ""
        return f"Backward {backward} of {gates} · {gate}{done}"

    def _rule_text(self, total: int) -> str:
        if self.run is None or "text" in self._problems:
            return ""
        if self.step == 0:
            return "The inputs are set; no gate has run yet."
        text = self.run.events[self.step - 1].text
        if self.step == total:
            out = self.graph.output_name
            grads = " · ".join(
                f"∂{out}/∂{name} = {format_number(g)}" for name, g in self.run.grads.items()
            )
            if len(self.run.grads) > DONE_LIST_MAX:
                grads = "each input's gradient is written under it"
            text += f"\nDone: {out} = {format_number(self.run.value)}; {grads}"
        return text

    def _show_problems(self) -> None:
        self.problem.setText("\n".join(self._problems.values()))

    def _underline(self, position: int | None) -> None:
        """Mark the character at ``position`` (the last one if it is the end) with a red wave."""
        if position is None:
            self.expression.setExtraSelections([])
            return
        length = len(self.expression.toPlainText())
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.expression.document())
        start = min(position, max(length - 1, 0))
        cursor.setPosition(start)
        cursor.setPosition(min(start + 1, length), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format.setUnderlineStyle(selection.format.UnderlineStyle.WaveUnderline)
        selection.format.setUnderlineColor(QColor("#c62828"))
        selection.format.setBackground(QColor("#fde0dc"))
        self.expression.setExtraSelections([selection])

    # -- building ----------------------------------------------------------------------
    def _button(self, name: str, text: str, key: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(f"{text.strip('◀▶ ')} ({key})")
        button.clicked.connect(slot)
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return button

    def _lay_out(self) -> None:
        text_column = QVBoxLayout()
        heading = QHBoxLayout()
        heading.addWidget(
            QLabel("<b>Function</b> (one line, or named lines ending with the output)")
        )
        heading.addStretch(1)
        heading.addWidget(self.examples_button)
        text_column.addLayout(heading)
        text_column.addWidget(self.expression, 1)
        text_column.addWidget(self.problem)
        text_column.addWidget(self.note)
        values_column = QVBoxLayout()
        values_column.addWidget(QLabel("<b>Inputs</b>"))
        values_column.addWidget(self.fields, 1)
        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(text_column, 3)
        top_layout.addLayout(values_column, 2)

        steps = QHBoxLayout()
        for button in (self.restart_button, self.back_button, self.forward_button, self.run_button):
            steps.addWidget(button)
        steps.addSpacing(12)
        steps.addWidget(self.title, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.canvas, 1)
        bottom_layout.addLayout(steps)
        bottom_layout.addWidget(self.rule)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
