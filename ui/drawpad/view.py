"""``DrawPadView``: draw a digit, watch the network read it live, and see why.

The pad's strokes go through ``playground.drawing`` (MNIST's own preparation) to the 28x28
image the network sees; the reader's copy of the network gives the probabilities, every
layer's output and the saliency map. Readings run on the GUI thread, at most one per
``UPDATE_MS``: a movement after a quiet spell is read at once (a zero timer, so that the
movements already queued are taken together), later ones wait for the rest of the interval.
The bars are painted first, then the pictures, so the pen and the bars never wait for them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QElapsedTimer, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.datasets.handwriting import save_handwriting
from playground.drawing import strokes_to_digit
from playground.errors import DataError
from playground.paths import handwriting_dir
from playground.project import Project, default_project
from playground.reading import Reading, read, saliency
from ui.document import Document
from ui.drawpad.activations import ActivationsView
from ui.drawpad.images import PixelView, grey_image, signed_image
from ui.drawpad.pad import DrawPad
from ui.drawpad.prediction import PredictionView
from ui.drawpad.reader import Reader, default_reader, snapshot, unreadable_reason

UPDATE_MS = 12  # at most one reading per this many ms while the pen moves
MIN_EXTENT = 0.03  # drawings smaller than this fraction of the pad are nothing to read
CURRENT, DEFAULT = 0, 1  # the model chooser's entries


class DrawPadView(QWidget):
    """The "Draw & predict" view. ``digitReady`` carries the drawing ``(1, 1, 28, 28)``
    float32 (as ``load_dataset`` gives images) when the user asks to step through it."""

    digitReady = Signal(object)

    def __init__(
        self, document: Document, parent: QWidget | None = None, default: Project | None = None
    ):
        super().__init__(parent)
        self.setObjectName("drawPadView")
        self.document = document
        self._default = default or default_project()
        self._reader: Reader | None = None
        self._wants_default = False  # the user chose the bundled model over their network
        self._digit: np.ndarray | None = None  # (1, 28, 28): what the network last read
        self._reading: Reading | None = None
        self._saliency: np.ndarray | None = None  # (28, 28): d(score)/d(pixel) shown
        self._saliency_class: int | None = None  # None: the top guess

        self.pad = DrawPad()
        self.prediction = PredictionView()
        self.seen = PixelView("networkInput", "nothing drawn")
        self.saliency = PixelView("saliencyMap", "nothing drawn")
        self.saliency_title = QLabel("Why: saliency")
        self.saliency_title.setWordWrap(True)
        self.activations = ActivationsView()
        self.model_choice = QComboBox()
        self.model_choice.setObjectName("drawModelChoice")
        self.model_choice.addItems(["The network in the editor", "The bundled default model"])
        self.model_label = QLabel()
        self.model_label.setObjectName("drawModelLabel")
        self.model_label.setWordWrap(True)
        self.teach_label = QLabel()
        self.teach_label.setObjectName("teachStatus")
        self.teach_label.setWordWrap(True)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("drawClearButton")
        self.clear_button.setToolTip("Clear the pad (Esc, or right click on the pad)")
        self.undo_button = QPushButton("Undo stroke")
        self.undo_button.setObjectName("drawUndoButton")
        self.step_button = QPushButton("Step through it")
        self.step_button.setObjectName("drawStepThroughButton")
        self.step_button.setToolTip("Follow this drawing through the network, layer by layer")
        self.step_button.setEnabled(False)
        self.teach_buttons = QButtonGroup(self)
        self._layout()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        self._since_reading = QElapsedTimer()
        self.pad.changed.connect(self._schedule)
        self.pad.strokeFinished.connect(self.refresh)  # movements may still wait for the timer
        self.step_button.clicked.connect(self._step_through)
        self.clear_button.clicked.connect(self.pad.clear)
        self.undo_button.clicked.connect(self.pad.undo)
        self.prediction.classChosen.connect(self.show_saliency_for)
        self.model_choice.activated.connect(self._choose_model)
        self.teach_buttons.idClicked.connect(self.teach)
        self._stale = False  # the document changed while the pad was hidden
        document.projectChanged.connect(self._project_changed)
        self._take_project(document.project)

    def _layout(self) -> None:
        pad_column = QVBoxLayout()
        pad_column.addWidget(self.pad, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.step_button)
        pad_column.addLayout(buttons)
        teach = QHBoxLayout()
        teach.setSpacing(2)
        teach.addWidget(QLabel("This was a:"))
        for digit in range(10):
            button = QPushButton(str(digit))
            button.setObjectName(f"teachButton{digit}")
            button.setToolTip(f"Save this drawing as a {digit} in your own handwriting data")
            button.setMaximumWidth(26)
            button.setEnabled(False)
            self.teach_buttons.addButton(button, digit)
            teach.addWidget(button)
        teach.addStretch(1)
        pad_column.addLayout(teach)
        pad_column.addWidget(self.teach_label)

        reading = QVBoxLayout()
        reading.addWidget(self.prediction, 1)
        reading.addWidget(self.model_choice)
        reading.addWidget(self.model_label)
        reading_box = QWidget()
        reading_box.setLayout(reading)
        reading_box.setFixedWidth(220)
        reading.setContentsMargins(0, 0, 0, 0)
        top = QWidget()
        top_row = QHBoxLayout(top)
        top_row.setContentsMargins(0, 0, 0, 0)
        top_row.addLayout(pad_column, 1)
        top_row.addWidget(reading_box)

        # Why: the input as the network sees it and the saliency, then every layer's output.
        why = QWidget()
        grid = QGridLayout(why)
        grid.setContentsMargins(0, 0, 0, 0)
        seen_title = QLabel("What the network sees (28×28)")
        for title in (seen_title, self.saliency_title):
            title.setWordWrap(True)
            title.setFixedWidth(120)
            title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(seen_title, 0, 0)
        grid.addWidget(self.saliency_title, 0, 1)
        grid.addWidget(self.seen, 1, 0)
        grid.addWidget(self.saliency, 1, 1)
        for picture in (self.seen, self.saliency):
            picture.set_size_hint(QSize(120, 120))
            picture.setFixedWidth(120)
        grid.addWidget(QLabel("Every layer's output"), 0, 2)
        grid.addWidget(self.activations, 1, 2, 2, 1)
        grid.setRowStretch(2, 1)
        grid.setColumnStretch(2, 1)

        # Fits the views' side of the main window (about 600 px wide); the split between
        # the pad and the explanations is the user's to move.
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("drawPadSplitter")
        split.addWidget(top)
        split.addWidget(why)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([400, 260])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    # -- which network ---------------------------------------------------------------
    def reader(self) -> Reader:
        if self._stale:
            self._take_project(self.document.project)
        assert self._reader is not None
        return self._reader

    def _project_changed(self, project: Project) -> None:
        """Snapshots arrive every second while training: a hidden pad takes the newest
        when it is shown (or asked), instead of copying a network for each one."""
        if self.isVisible():
            self._take_project(project)
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._take_project(self.document.project)

    def _choose_model(self, index: int) -> None:
        """The user picked a model in the list: it stays chosen until they pick another."""
        self._wants_default = index == DEFAULT
        self._take_project(self.document.project)

    def _take_project(self, project: Project) -> None:
        """A new project (an edit, a training snapshot, Open): read with the right network."""
        self._stale = False
        reason = unreadable_reason(project)
        self.model_choice.model().item(CURRENT).setEnabled(reason is None)
        if reason is None and not self._wants_default:
            self._reader = snapshot(project, self._default)
        elif reason is None:
            self._reader = default_reader(self._default, None)
        else:  # not the user's choice: once the network can read, it is read again
            self._reader = default_reader(self._default, reason)
        fallback = reason is not None or self._wants_default
        self.model_choice.setCurrentIndex(DEFAULT if fallback else CURRENT)
        self.model_label.setText(self._reader.description)
        self.refresh()

    # -- reading ------------------------------------------------------------------------
    def _schedule(self) -> None:
        if not self._timer.isActive():
            since = self._since_reading.elapsed() if self._since_reading.isValid() else UPDATE_MS
            self._timer.start(max(0, UPDATE_MS - since))

    def refresh(self) -> None:
        """Read the pad now: prediction first, then the input, saliency and activations."""
        self._timer.stop()
        self._since_reading.start()
        digit = strokes_to_digit(self.pad.strokes(), min_extent=MIN_EXTENT)
        self._digit = digit
        for button in [*self.teach_buttons.buttons(), self.step_button]:
            button.setEnabled(digit is not None)
        if digit is None:
            small = "Too small to read: draw bigger" if not self.pad.is_empty() else "Draw a digit"
            self._show_nothing(small)
            return
        reader = self.reader()
        with np.errstate(invalid="ignore", over="ignore"):  # checked just below
            self._reading = read(reader.net, digit, reader.normalization)
        if not np.isfinite(self._reading.probabilities).all():
            self._show_nothing("The network's output is not a number: its weights diverged")
            return
        self.prediction.set_probabilities(self._reading.probabilities)
        self.prediction.repaint()  # the bars now; the pictures below take a few ms more
        self.seen.set_image(grey_image(digit[0]))
        self._show_saliency()
        self.activations.show_layers(self._reading.layers)

    def _show_nothing(self, why: str) -> None:
        self._reading = self._saliency = None
        self._saliency_class = None
        self.prediction.set_chosen(None)
        self.prediction.set_probabilities(None, why)
        for view in (self.seen, self.saliency):
            view.set_image(None)
        self.saliency_title.setText("Why: saliency")
        self.activations.clear()

    def show_saliency_for(self, cls: int) -> None:
        """Show why the network would say ``cls`` (clicking it again goes back to the top)."""
        self._saliency_class = None if cls == self._saliency_class else cls
        if self._reading is not None:
            reader = self.reader()
            read(reader.net, self._digit, reader.normalization)  # the caches saliency needs
            self._show_saliency()

    def _show_saliency(self) -> None:
        reading = self._reading
        cls = reading.top if self._saliency_class is None else self._saliency_class
        self.prediction.set_chosen(cls)
        self._saliency = saliency(self.reader().net, cls, self.reader().normalization)[0]
        self.saliency.set_image(signed_image(self._saliency, under=self._digit[0]))
        self.saliency_title.setText(f"Why {cls}: red raises its score, blue lowers it")

    def saliency_map(self) -> np.ndarray | None:
        """The saliency shown, ``(28, 28)``, or None while the pad is empty."""
        return None if self._saliency is None else self._saliency.copy()

    def digit(self) -> np.ndarray | None:
        """The 28x28 image ``(1, 28, 28)`` the network last read, or None."""
        return None if self._digit is None else self._digit.copy()

    def _step_through(self) -> None:
        if self._digit is not None:
            self.digitReady.emit(self._digit[None].copy())

    # -- teaching -----------------------------------------------------------------------
    def teach(self, label: int) -> None:
        """Save the drawing as a ``label`` into the user's handwriting folder."""
        if self._digit is None:
            return
        try:
            path = save_handwriting(self._digit, label)
        except DataError as exc:
            self.teach_label.setStyleSheet("color: #b3261e;")
            self.teach_label.setText(str(exc))
            return
        count = sum(1 for _ in path.parent.parent.glob("[0-9]/*.png"))
        self.teach_label.setStyleSheet("")
        self.teach_label.setText(
            f"Saved as a {label} in {handwriting_dir()} ({count} of your digits). "
            "Train on “handwriting” or “digits+handwriting” to teach a network your hand."
        )
        self.pad.clear()
