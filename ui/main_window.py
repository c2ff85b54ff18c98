"""The main window: it assembles the views around one ``Document`` and owns the menus.

The network canvas stays in sight on the left of a splitter; the views (training
plots, step-through, draw pad, computational graph) sit beside it in tabs, under
the training controls. The palette, the inspector, the training setup and the
edit history are docks. The window owns the file commands (New, Open, Save,
Save As, recent files, presets) and the unsaved-changes prompt; dialogs go
through ``ui.dialogs`` so that tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from playground.errors import ProjectError, TrainingError
from playground.paths import preset_names
from playground.project import SUFFIX as PROJECT_SUFFIX
from playground.project import Project
from playground.spec import NetworkSpec
from ui import dialogs
from ui.document import Document
from ui.drawpad import DrawPadView
from ui.editor.blocks import summary_text
from ui.editor.canvas import NetworkCanvas
from ui.editor.inspector import LayerInspector
from ui.editor.palette import LayerPalette
from ui.export_dialog import show_export_dialog
from ui.files import FileProblem, is_bundled_preset, read_project, write_project
from ui.graph import GraphView
from ui.help import add_help_menu
from ui.recent_files import RecentFiles
from ui.stepthrough import StepThroughView
from ui.training.controls import TrainingControls
from ui.training.dataset_panel import DatasetPanel
from ui.training.plots import TrainingPlotsView
from ui.training.session import TrainingSession
from ui.training.settings import TrainingSettings

APP_NAME = "NN Playground"
NEW_INPUT_SHAPE = (1, 28, 28)  # the bundled digits
_LAST_DIRECTORY = "lastDirectory"


class MainWindow(QMainWindow):
    """The application window around one ``Document``, starting from an unsaved ``project``."""

    def __init__(self, project: Project, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.recent_files = RecentFiles(settings)
        self.document = Document(project, None, self)

        self.canvas = NetworkCanvas(self.document)
        self.palette = LayerPalette()
        self.inspector = LayerInspector(self.document)
        self.history = QUndoView(self.document.undo_stack)
        self.history.setObjectName("editHistory")
        self.history.setEmptyLabel(project.spec.name)  # the state before the first edit
        self.summary = QLabel()
        self.summary.setObjectName("networkSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.session = TrainingSession(self.document, self)
        self._marked_spec = project.spec
        self.training_controls = TrainingControls(self.document, self.session)
        self.training_settings = TrainingSettings(self.document)
        self.training_settings.problemsChanged.connect(self.session.hold_for_settings)
        self.dataset_panel = DatasetPanel(self.document, self.session)
        self.step_through = StepThroughView(self.document)
        self.graph_view = GraphView()
        self.draw_view = DrawPadView(self.document)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("viewTabs")
        for widget, title in self._views():
            self.tabs.addTab(widget, title)
        views = QWidget()
        views_layout = QVBoxLayout(views)
        views_layout.setContentsMargins(0, 0, 0, 0)
        views_layout.setSpacing(0)
        views_layout.addWidget(self.training_controls)
        views_layout.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self._network_area())
        self.splitter.addWidget(views)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 600])
        self.setCentralWidget(self.splitter)

        left = Qt.DockWidgetArea.LeftDockWidgetArea
        self.palette_dock = self._dock("Layers", "paletteDock", self.palette, left)
        self.inspector_dock = self._dock("Inspector", "inspectorDock", self.inspector, left)
        self.training_dock = self._dock(
            "Training setup", "trainingDock", self._training_setup(), left
        )
        self.history_dock = self._dock("History", "historyDock", self.history, left)
        self.tabifyDockWidget(self.inspector_dock, self.training_dock)
        self.tabifyDockWidget(self.training_dock, self.history_dock)
        self.inspector_dock.raise_()
        self.resizeDocks([self.palette_dock], [320], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.palette_dock, self.inspector_dock], [260, 500], Qt.Orientation.Vertical
        )
        self._create_menus()
        self.statusBar()  # created now, so that its first message does not shift the layout

        self.canvas.selectionChanged.connect(self.inspector.show_block)
        self.palette.layerActivated.connect(self._add_from_palette)
        self.document.specChanged.connect(self._on_spec_changed)
        self.document.pathChanged.connect(self._update_title)
        self.document.modifiedChanged.connect(self._update_title)
        self.session.stateChanged.connect(self._on_training_state)
        self.session.failed.connect(self._on_training_failed)
        self.document.projectChanged.connect(self._clear_problem_mark)
        self.step_through.activeLayerChanged.connect(
            lambda index: self.canvas.set_layer_mark(index, "active")
        )
        self.step_through.gatesRequested.connect(self._show_gates)
        self.draw_view.digitReady.connect(self._step_through_drawing)
        self._on_spec_changed(project.spec)
        self.resize(1280, 800)

    # -- layout ------------------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _network_area(self) -> QWidget:
        area = QWidget()
        layout = QVBoxLayout(area)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.canvas, 1)
        self.summary.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.summary)
        return area

    def _views(self) -> list[tuple[QWidget, str]]:
        plots = TrainingPlotsView(self.session)
        return [
            (plots, "Training"),
            (self.step_through, "Step through"),
            (self.draw_view, "Draw && predict"),
            (self.graph_view, "Graph"),
        ]

    def _step_through_drawing(self, x: object) -> None:
        """The draw pad's digit ``(1, 1, 28, 28)``, one pass through the network."""
        self.step_through.set_input(x)
        self.tabs.setCurrentWidget(self.step_through)

    def _show_gates(self, graph: object, values: object, note: str) -> None:
        """A small dense layer of the step-through view, opened as its scalar gates."""
        self.graph_view.show_graph(graph, values, note)
        self.tabs.setCurrentWidget(self.graph_view)

    def _training_setup(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel("<b>Data</b>"))
        layout.addWidget(self.dataset_panel)
        layout.addWidget(QLabel("<b>Settings</b>"))
        layout.addWidget(self.training_settings)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(box)
        return scroll

    def _create_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        self._action(file_menu, "&New", QKeySequence.StandardKey.New, self.new_network)
        self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self.open_file)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        presets_menu = file_menu.addMenu("&Presets")
        for name in preset_names():
            presets_menu.addAction(name, lambda name=name: self.load_preset(name))
        file_menu.addSeparator()
        self._action(file_menu, "&Save", QKeySequence.StandardKey.Save, self.save)
        self._action(file_menu, "Save &As…", QKeySequence.StandardKey.SaveAs, self.save_as)
        file_menu.addAction(
            "&Export…",
            lambda: show_export_dialog(self, self.document.project, self._last_directory()),
        ).setObjectName("exportAction")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)

        edit_menu = menus.addMenu("&Edit")
        undo = self.document.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.document.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for dock in self.findChildren(QDockWidget):  # a floating dock is a window of its own
            dock.addActions([undo, redo])
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        edit_menu.addActions(self.canvas.layer_actions())
        self.undo_action, self.redo_action = undo, redo

        view_menu = menus.addMenu("&View")
        for dock in (self.palette_dock, self.inspector_dock, self.training_dock, self.history_dock):
            view_menu.addAction(dock.toggleViewAction())
        add_help_menu(self)

    def _action(
        self, menu: QMenu, text: str, keys: QKeySequence.StandardKey, slot: Callable[[], object]
    ) -> QAction:
        action = menu.addAction(text)
        action.setShortcuts(keys)
        action.triggered.connect(lambda: slot())
        return action

    # -- reacting to the document ------------------------------------------------------------
    def _on_spec_changed(self, spec: NetworkSpec) -> None:
        self.summary.setText(summary_text(spec))
        colour = "#1d6b35" if spec.is_valid else "#b3261e"
        self.summary.setStyleSheet(f"color: {colour};")
        self._update_title()

    def _on_training_state(self, state: str) -> None:
        running = state != "idle"
        self.training_settings.set_running(running)
        self.dataset_panel.set_running(running)
        if running:
            self.canvas.set_layer_mark(None, "problem")

    def _on_training_failed(self, error: TrainingError) -> None:
        """The NaN trap: paused with the last good weights, the layer marked, the tab shown."""
        self.canvas.set_layer_mark(error.layer_index, "problem")
        self.statusBar().showMessage("Training paused: a value became NaN or infinite", 10000)

    def _clear_problem_mark(self, project: Project) -> None:
        if project.spec is not self._marked_spec:
            self.canvas.set_layer_mark(None, "problem")
        self._marked_spec = project.spec

    def _update_title(self) -> None:
        path = self.document.path
        where = f" ({path.name})" if path else ""
        self.setWindowTitle(f"{self.document.spec.name}{where}[*] — {APP_NAME}")
        self.setWindowModified(self.document.is_modified)

    def _add_from_palette(self, type_name: str) -> None:
        """A double-clicked palette entry goes below the selected layer, or at the end."""
        selected = self.canvas.selected_layer
        index = len(self.document.spec.layers) if selected is None else selected + 1
        self.document.add_layer(index, type_name)

    # -- files ---------------------------------------------------------------------------------
    def new_network(self) -> bool:
        if not self._may_discard_changes():
            return False
        spec = NetworkSpec(input_shape=NEW_INPUT_SHAPE, name="Untitled")
        self._replace_document(Project(spec), None)
        self.history.setEmptyLabel("New network")
        return True

    def open_file(self, path: Path | None = None) -> bool:
        """Open a project or spec file; on any problem say why and keep the current work."""
        if path is None:
            path = dialogs.choose_open_path(self, self._last_directory())
            if path is None:
                return False
        try:
            project = read_project(path)
        except FileProblem as exc:
            dialogs.show_error(self, "Cannot open file", f"Could not open {path.name}:\n{exc}")
            return False
        if not self._may_discard_changes():
            return False
        if is_bundled_preset(path):  # as if from the Presets menu: the preset stays as shipped
            self._start_from_preset(project)
            return True
        self._replace_document(project, path)
        self.history.setEmptyLabel(f"Opened {path.name}")
        self._remember(path)
        trained = f", trained for {project.step:,} steps" if project.weights else ""
        self.statusBar().showMessage(f"Opened {path.name}{trained}", 6000)
        return True

    def load_preset(self, name: str) -> bool:
        """Start from a bundled preset; saving it asks where (the preset stays as it is)."""
        try:
            project = Project.from_preset(name)
        except ProjectError as exc:
            dialogs.show_error(self, "Cannot open preset", str(exc))
            return False
        if not self._may_discard_changes():
            return False
        self._start_from_preset(project)
        return True

    def _replace_document(self, project: Project, path: Path | None) -> None:
        """Another network: any training run ends first (its thread is joined)."""
        self.session.shutdown()
        self.document.replace(project, path)

    def _start_from_preset(self, project: Project) -> None:
        """Edit a preset's copy: with no file of its own, Save asks where."""
        self._replace_document(project, None)
        self.history.setEmptyLabel(f"Preset {project.spec.name}")

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self) -> bool:
        name = f"{self.document.spec.name}{PROJECT_SUFFIX}"
        path = dialogs.choose_save_path(self, str(Path(self._last_directory()) / name))
        return self._write(path) if path is not None else False

    def _write(self, path: Path) -> bool:
        document = self.document
        project = document.project_to_save()
        try:
            write_project(project, path)
        except FileProblem as exc:
            dialogs.show_error(self, "Cannot save", str(exc))
            return False
        dropped = document.project.weights is not None and project.weights is None
        document.mark_saved(project, path)
        self._remember(path)
        note = " without the trained weights: the network is not valid" if dropped else ""
        self.statusBar().showMessage(f"Saved {path.name}{note}", 8000)
        return True

    def _remember(self, path: Path) -> None:
        self.recent_files.add(path)
        self.settings.setValue(_LAST_DIRECTORY, str(path.resolve().parent))

    def _last_directory(self) -> str:
        return str(self.settings.value(_LAST_DIRECTORY, str(Path.home())))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent_files.paths()
        for path in paths:
            self.recent_menu.addAction(str(path), lambda path=path: self._open_recent(path))
        if not paths:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear list", self.recent_files.clear)

    def _open_recent(self, path: Path) -> None:
        if not path.exists():
            self.recent_files.remove(path)
            dialogs.show_error(self, "Cannot open file", f"{path} no longer exists.")
            return
        self.open_file(path)

    def _may_discard_changes(self) -> bool:
        """True when there are no unsaved changes, or the user saved or discarded them.

        Training goes on while the question is asked; saving writes its latest snapshot."""
        if not self.document.is_modified:
            return True
        choice = dialogs.ask_to_save(self, self.document.spec.name)
        if choice is dialogs.SaveChoice.SAVE:
            return self.save()
        return choice is dialogs.SaveChoice.DISCARD

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_discard_changes():
            self.session.shutdown()
            event.accept()
        else:
            event.ignore()
