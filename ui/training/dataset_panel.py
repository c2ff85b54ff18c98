"""The dataset chooser: the bundled digits, the toy sets with their size and noise, or
the user's own files; and whether the data fits the network, with the fix offered.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.datasets.toy import TOY_SETS
from playground.errors import DataError
from playground.layers import shape_text
from playground.project import Project
from ui import dialogs
from ui.document import Document
from ui.training.session import TrainingSession

_BUILT_IN = {
    "digits": "Digits: 5,000 MNIST images, 28×28",
    "handwriting": "Your handwriting (drawn on the pad)",
    "digits+handwriting": "Digits and your handwriting",
    **{n: f"{n} (2-D)" for n in TOY_SETS},
}
_OWN_FILE, _OWN_FOLDER = "Your own file…", "Your own folder…"
_LAST_DATA_DIRECTORY = "lastDataDirectory"


class DatasetPanel(QWidget):
    """Which data the document's project trains on."""

    def __init__(
        self, document: Document, session: TrainingSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("datasetPanel")
        self.document, self.session = document, session
        self.chooser = QComboBox()
        self.chooser.setObjectName("datasetChooser")
        # As wide as the dock allows, not as its longest entry (the list shows them whole).
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.chooser.setMinimumContentsLength(12)
        self.samples = QSpinBox()
        self.samples.setObjectName("datasetSamples")
        self.samples.setRange(20, 100_000)
        self.samples.setSingleStep(100)
        self.noise = QDoubleSpinBox()
        self.noise.setObjectName("datasetNoise")
        self.noise.setRange(0.0, 1.0)
        self.noise.setSingleStep(0.05)
        self.about = QLabel()
        self.about.setObjectName("datasetInfo")
        self.about.setWordWrap(True)
        self.about.setStyleSheet("color: #5d6773;")
        self.fit = QLabel()
        self.fit.setObjectName("datasetFit")
        self.fit.setWordWrap(True)
        self.fit.setStyleSheet("color: #b3261e;")
        self.fix = QPushButton()
        self.fix.setObjectName("fitInputButton")
        self.fix.clicked.connect(self._use_data_shape)

        form = QFormLayout()
        form.addRow("data", self.chooser)
        form.addRow("samples", self.samples)
        form.addRow("noise", self.noise)
        self._form = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.about)
        row = QHBoxLayout()
        row.addWidget(self.fix)
        row.addStretch(1)
        layout.addWidget(self.fit)
        layout.addLayout(row)

        self.chooser.activated.connect(self._chosen)
        self.samples.editingFinished.connect(self._toy_options_edited)
        self.noise.editingFinished.connect(self._toy_options_edited)
        self._shown: tuple | None = None  # what the panel last showed (see _show)
        document.projectChanged.connect(self._show)
        self._show(document.project)

    # -- showing the project's choice ----------------------------------------------------
    def _show(self, project: Project) -> None:
        shown = (
            project.dataset,
            tuple(sorted(project.dataset_options.items())),
            project.spec,
            project.config.validation_fraction,
        )
        if shown == self._shown:
            return  # a training snapshot: nothing this panel shows has changed
        self._shown = shown
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for name, text in _BUILT_IN.items():
            self.chooser.addItem(text, name)
        if project.dataset is not None and project.dataset not in _BUILT_IN:
            self.chooser.addItem(Path(project.dataset).name, project.dataset)
        self.chooser.addItem(_OWN_FILE, _OWN_FILE)
        self.chooser.addItem(_OWN_FOLDER, _OWN_FOLDER)
        self.chooser.setCurrentIndex(self.chooser.findData(project.dataset))
        self.chooser.blockSignals(False)
        toy = project.dataset in TOY_SETS
        options = project.dataset_options
        self.samples.setValue(int(options.get("n", 400)))
        self.noise.setValue(float(options.get("noise", 0.05)))
        self._form.setRowVisible(self.samples, toy)
        self._form.setRowVisible(self.noise, toy)
        self._show_fit(project)

    def _show_fit(self, project: Project) -> None:
        self.fix.hide()
        self.fit.setText("")
        if project.dataset is None:
            self.about.setText("Choose the data to train on.")
            return
        try:
            dataset = self.session.dataset_or_raise()
        except DataError as exc:
            self.about.setText("")
            self.fit.setText(str(exc))
            return
        train = round(len(dataset) * (1 - project.config.validation_fraction))
        self.about.setText(
            f"{len(dataset):,} samples of {shape_text(dataset.sample_shape)}, "
            f"{dataset.num_classes} classes; about {train:,} for training, "
            f"{len(dataset) - train:,} for validation."
        )
        problem = self.session.fit_problem()
        if problem:
            self.fit.setText(f"{problem}.")
            reshaped = project.spec.with_input_shape(dataset.sample_shape)
            if dataset.sample_shape != project.spec.input_shape and reshaped.is_valid:
                self.fix.setText(f"Set the network's input to {shape_text(dataset.sample_shape)}")
                self.fix.show()

    # -- choosing -------------------------------------------------------------------------
    def _chosen(self, row: int) -> None:
        choice = self.chooser.itemData(row)
        if choice in (_OWN_FILE, _OWN_FOLDER):
            settings = QSettings()
            path = dialogs.choose_dataset_path(
                self,
                str(settings.value(_LAST_DATA_DIRECTORY, str(Path.home()))),
                folder=choice == _OWN_FOLDER,
            )
            if path is None:  # cancelled: show the project's choice again
                self._shown = None
                self._show(self.document.project)
                return
            settings.setValue(_LAST_DATA_DIRECTORY, str(path.parent))
            choice = str(path)
        options = {"n": self.samples.value(), "noise": self.noise.value()}
        self.document.set_training_setup(
            dataset=choice, dataset_options=options if choice in TOY_SETS else {}
        )

    def _toy_options_edited(self) -> None:
        project = self.document.project
        options = {"n": self.samples.value(), "noise": round(self.noise.value(), 4)}
        if project.dataset in TOY_SETS and options != project.dataset_options:
            self.document.set_training_setup(dataset_options=options)

    def _use_data_shape(self) -> None:
        dataset = self.session.dataset()
        if dataset is not None:
            self.document.set_input_shape(dataset.sample_shape)

    def set_running(self, running: bool) -> None:
        for widget in (self.chooser, self.samples, self.noise, self.fix):
            widget.setEnabled(not running)
