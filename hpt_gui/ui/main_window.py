"""The main window: the steps in the order of the work, a run queue and the results.

Left, a list of steps (Data, Models, Search, Run, Results, Compare: the start page's
``STEP_GUIDE``) with a tick when each is ready; right, the page of the chosen step. The
window holds no logic of its own beyond wiring: panels edit choices, the run queue's
worker runs studies, core functions export.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.format import count, number
from ..core.request import StudyRequest
from .dataset_panel import DatasetPanel
from .grid_count import PENDING, GridCounter, count_now_if_small
from .lazy_page import LazyPage
from .results_page import (  # noqa: F401 (the Results page's names, as before)
    MODEL_FILTERS,
    MODEL_SUFFIXES,
    PICKLE_FILTER,
    SKOPS_FILTER,
    ResultsPage,
    elsewhere_text,
    failures_text,
    held_out_text,
)
from .run_queue import RunQueue, RunQueueView
from .settings_panel import SettingsPanel
from .space_editor import SpaceEditor
from .start_page import STEP_GUIDE, StartPage
from .window_fit import fit_first_window

if TYPE_CHECKING:
    pass

STEPS = [name for name, _ in STEP_GUIDE]  # the sidebar: the steps the start page lists
DATA_FILTER = "Data files (*.csv *.tsv *.txt *.xlsx *.xls *.parquet *.pq);;All files (*)"
PROJECT_FILTER = "hpt-gui projects (*.hpt);;All files (*)"
MAX_RECENT = 8
COUNT_GRID_UP_TO = 5_000


def default_project_path() -> Path:
    """Where a first-time user's trials go until they choose a project file."""
    from PySide6.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(documents) / "hpt-gui" / "Untitled.hpt"


class MainWindow(QMainWindow):
    """Data -> models -> search -> run -> results, in one window."""

    def __init__(self, project: str | Path | None = None, settings: QSettings | None = None
                 ) -> None:
        super().__init__()
        self.settings_store = settings or QSettings()
        self.setWindowTitle(f"hpt-gui {__version__}")
        self.setAcceptDrops(True)
        self.project: Path = Path(project) if project else default_project_path()

        self.queue = RunQueue(self)
        self._grid_counter = GridCounter(self, delay_ms=0)  # grids too large to count here
        self.start_page = StartPage()
        self.dataset_panel = DatasetPanel()
        self.space_editor = SpaceEditor()
        self.settings_panel = SettingsPanel()
        self.queue_view = RunQueueView(self.queue)
        self.results = ResultsPage()
        self.results.is_active = self.queue.is_active
        self.results.live_state = self.queue.live_state
        self.compare_page = LazyPage(self._make_compare_view, self._on_compare_shown)
        self._predict_dialog: Any = None
        self._guide: Any = None

        self.steps = QListWidget()
        self.steps.setObjectName("steps")
        self.steps.setFixedWidth(190)
        for step in STEPS:
            self.steps.addItem(QListWidgetItem(step))
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows = sum(self.steps.sizeHintForRow(i) for i in range(len(STEPS)))
        self.steps.setFixedHeight(rows + 2 * self.steps.frameWidth() + 8)  # every step shows
        self.pages = QStackedWidget()
        for page in (self.dataset_panel, self.space_editor, self.settings_panel,
                     self.queue_view, self.results, self.compare_page):
            self.pages.addWidget(page)
        self.pages.addWidget(self.start_page)
        self.run_button = QPushButton("Run  (Ctrl+R)")
        self.run_button.setObjectName("runButton")
        self.run_button.clicked.connect(self.run_studies)
        self.next_hint = QLabel()
        self.next_hint.setWordWrap(True)
        self.next_hint.setObjectName("nextHint")
        side = QVBoxLayout()
        side.addWidget(self.steps)
        side.addWidget(self.next_hint)
        side.addStretch(1)
        side.addWidget(self.run_button)
        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        sidebar.setLayout(side)
        sidebar.setFixedWidth(210)
        splitter = QSplitter()
        splitter.setObjectName("main_splitter")
        splitter.addWidget(sidebar)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self._build_menus()
        self.project_label = QLabel()
        self.statusBar().addPermanentWidget(self.project_label)
        self._connect()
        self._restore_layout()
        self.pages.setCurrentWidget(self.start_page)
        self.steps.setCurrentRow(-1)
        self.set_project(self.project, remember=project is not None)
        self._refresh_steps()

    # building ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._add(file_menu, "&New project…", self.new_project, QKeySequence.StandardKey.New)
        self._add(file_menu, "&Open project…", self.open_project_dialog,
                  QKeySequence("Ctrl+Shift+O"))
        self._add(file_menu, "&Save project as…", self.save_project_as,
                  QKeySequence.StandardKey.Save)
        self.recent_menu = file_menu.addMenu("Recent projects")
        file_menu.addSeparator()
        self._add(file_menu, "Open &data…", self.open_data_dialog, QKeySequence("Ctrl+O"))
        self._add(file_menu, "&Predict on new data…", self.open_predict_dialog,
                  QKeySequence("Ctrl+P"))
        export = file_menu.addMenu("&Export")
        self._add(export, "Trials as CSV…", lambda: self.results.export("csv"))
        self._add(export, "Chosen trial as a model file…",
                  lambda: self.results.export("model", wait=False))
        self._add(export, "Chosen trial as a Python script…",
                  lambda: self.results.export("script"))
        self._add(export, "Report of the study (HTML)…", lambda: self.results.save_report())
        file_menu.addSeparator()
        self._add(file_menu, "&Quit", self.quit_asking, QKeySequence.StandardKey.Quit)
        run_menu = bar.addMenu("&Run")
        self.run_action = self._add(run_menu, "&Run the chosen models", self.run_studies,
                                    QKeySequence("Ctrl+R"))
        self._add(run_menu, "&Cancel the running study", self.queue.cancel_running,
                  QKeySequence(Qt.Key.Key_Escape))
        view = bar.addMenu("&View")
        for index, step in enumerate(STEPS):
            self._add(view, step, lambda i=index: self.show_step(i),
                      QKeySequence(f"Ctrl+{index + 1}"))
        help_menu = bar.addMenu("&Help")
        self._add(help_menu, "&Guide: the ideas, with pictures", self.show_guide,
                  QKeySequence.StandardKey.HelpContents)
        self._add(help_menu, "&Steps in short", self.show_help)
        self._add(help_menu, "&About hpt-gui", self.show_about)

    def _add(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _connect(self) -> None:
        self.steps.currentRowChanged.connect(self._on_step_chosen)
        self.start_page.demo_chosen.connect(self.start_loading)
        self.start_page.open_file_requested.connect(self.open_data_dialog)
        self.start_page.open_project_requested.connect(self.open_project_dialog)
        self.dataset_panel.dataset_changed.connect(self._on_dataset_changed)
        self.dataset_panel.busy_changed.connect(self._on_data_busy)
        self.dataset_panel.open_file_requested.connect(self.open_data_dialog)
        self.space_editor.selection_changed.connect(self._on_choices_changed)
        self.space_editor.space_changed.connect(self._on_choices_changed)
        self.settings_panel.settings_changed.connect(self._on_choices_changed)
        self._grid_counter.counted.connect(lambda *_: self._on_choices_changed())
        self.queue.changed.connect(self._on_queue_changed)
        self.queue.trial_finished.connect(self._on_trial_finished)
        self.queue.study_finished.connect(self._on_study_finished)
        self.queue.study_failed.connect(self._on_study_failed)
        self.results.resume_requested.connect(self.resume_study)
        self.results.predict_requested.connect(self.open_predict_dialog)
        self.results.compare_requested.connect(lambda: self.show_step(STEPS.index("Compare")))

    # steps ------------------------------------------------------------------------------

    def show_step(self, index: int) -> None:
        self.steps.setCurrentRow(index)
        self._on_step_chosen(index)  # also when the row was already current

    def _on_step_chosen(self, index: int) -> None:
        if index < 0:
            return
        if index == 0 and self.dataset_panel.dataset is None \
                and not self.dataset_panel.is_busy():
            self.pages.setCurrentWidget(self.start_page)
        else:
            self.pages.setCurrentIndex(index)

    def _ready(self) -> list[bool]:
        dataset = self.dataset_panel.dataset
        models = self.space_editor.selected_models() if dataset is not None else []
        valid = bool(models) and not self.space_editor.errors()
        queued = bool(self.queue.entries)
        studies = self.results.studies()
        return [dataset is not None, valid, valid, queued, bool(studies), len(studies) >= 2]

    def _refresh_steps(self) -> None:
        ready = self._ready()
        for index, (step, done) in enumerate(zip(STEPS, ready, strict=True)):
            self.steps.item(index).setText(f"{'✓' if done else '  '}  {index + 1}. {step}")
        hints = [
            "Next: load a data set (Ctrl+O) or pick a demo.",
            "Next: choose one or more models.",
            "Next: check the search settings, then Run.",
            "Running… results appear as trials finish.",
            "Read the results; export what you keep.",
            "Compare the models (step 6), or use one on new data: Predict on new data "
            "(Ctrl+P).",
        ]
        first_missing = next((i for i, done in enumerate(ready[:3]) if not done), None)
        if first_missing is not None:
            self.next_hint.setText(hints[first_missing])
        elif self.queue.running is not None:
            self.next_hint.setText(hints[3])
        else:
            self.next_hint.setText(hints[5] if ready[5] else hints[4] if ready[4]
                                   else hints[2])
        can_run = all(ready[:3])
        self.run_button.setEnabled(can_run)
        self.run_action.setEnabled(can_run)

    def show_view(self, target: str) -> bool:
        """Show a view by the name the guide's links use ('results/Learning curve',
        'compare', 'predict'...); False for a name the window does not have."""
        step, _, tab = target.partition("/")
        names = [name.lower() for name in STEPS]
        if target == "predict":
            self.open_predict_dialog()
            return True
        if step not in names or (tab and step != "results"):
            return False
        if tab:
            views = self.results.diagnostics.views
            if tab not in views:
                return False
            self.show_step(names.index(step))
            self.results.diagnostics.tabs.setCurrentWidget(views[tab])
        else:
            self.show_step(names.index(step))
        self.raise_()
        self.activateWindow()
        return True

    def _make_compare_view(self) -> QWidget:
        from .compare_view import CompareView

        view = CompareView()
        view.study_opened.connect(self._open_study_results)
        return view

    def _on_compare_shown(self, view: Any) -> None:
        # the results page has read every study (and holds streamed trials): no second read
        view.set_studies(self.results.study_trials(), project=self.project)

    def _refresh_compare(self) -> None:
        """A shown comparison follows the project's studies as they change."""
        if self.compare_page.is_made() and self.compare_page.isVisible():
            self._on_compare_shown(self.compare_page.widget)

    def _open_study_results(self, name: str) -> None:
        self.show_step(STEPS.index("Results"))
        index = self.results.study_combo.findText(name)
        if index >= 0:
            self.results.study_combo.setCurrentIndex(index)

    def open_predict_dialog(self) -> None:
        """'Predict on new data': a study's chosen trial or a model file, on a new table."""
        from .predict_dialog import PredictDialog

        if self._predict_dialog is not None:
            self._predict_dialog.close()
        chosen = self.results.table.selected_trial()
        current = self.results.study_combo.currentText() or None
        self._predict_dialog = PredictDialog(
            self.project if self.project.exists() else None, self.results.studies(),
            current_study=current, trial_number=chosen.number if chosen else None,
            parent=self)
        self._predict_dialog.predictions_written.connect(
            lambda path: self.statusBar().showMessage(f"Predictions written to {path}", 15000))
        self._predict_dialog.show()

    def show_guide(self, section: str | None = None) -> None:
        """Help > Guide: the ideas the app is built on, each linked to its view."""
        from .guide import GuideWindow

        if self._guide is None:
            self._guide = GuideWindow()
            self._guide.view_requested.connect(self.show_view)
        if section:
            self._guide.show_section(section)
        self._guide.show()
        self._guide.raise_()
        self._guide.activateWindow()

    # data and choices -------------------------------------------------------------------

    def open_data_dialog(self) -> None:
        from .last_folder import ask_open_path

        path = ask_open_path(self, "data", "Open data", DATA_FILTER)
        if path:
            self.start_loading(path)

    def start_loading(self, source: str) -> None:
        """Show the data step and read ``source`` off the GUI thread (the window's own
        actions); the data step shows the table, or the sentence saying why not."""
        self.dataset_panel.start_load(source)
        self.show_step(0)
        self.pages.setCurrentWidget(self.dataset_panel)

    def load_data(self, source: str) -> bool:
        """``start_loading`` and wait for the answer, the event loop running (scripts,
        tests): True if the data can be used."""
        self.start_loading(source)
        self.dataset_panel.wait()
        return self.dataset_panel.ready

    def _on_data_busy(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        elif self.statusBar().currentMessage().endswith("…"):
            self.statusBar().clearMessage()

    def _on_dataset_changed(self, dataset: Any) -> None:
        task = dataset.task if dataset is not None else None
        self.space_editor.set_task(task)
        self.settings_panel.set_task(task)
        self.settings_panel.set_columns(dataset)
        self._refresh_title()
        if dataset is not None:
            self.statusBar().showMessage(
                f"Loaded {dataset.source}: {dataset.n_rows:,} rows, target '{dataset.target}' "
                f"({dataset.task})", 10000)
        self._on_choices_changed()

    def _on_choices_changed(self) -> None:
        from ..core.space import SpaceError

        candidates: dict[str, int | None] = {}
        pending: dict[str, Any] = {}
        for model in self.space_editor.selected_models():
            try:
                space = self.space_editor.space_for(model)
            except SpaceError:
                candidates[model] = None
                continue
            # Counted once per space (the space editor's count is shared); a grid that may
            # be large is counted off the GUI thread and the cost shown when it arrives.
            size = count_now_if_small(space)
            if size is PENDING:
                pending[space.dumps()] = space
                continue
            candidates[model] = size if size is None or size <= COUNT_GRID_UP_TO else None
        if pending:
            self._grid_counter.request_all(pending)
            self._refresh_steps()
            return
        if candidates:  # the largest grid decides, as `hpt-gui run` decides per model
            sizes = list(candidates.values())
            self.settings_panel.suggest_search(None if None in sizes else max(sizes))
        dataset = self.dataset_panel.dataset
        seconds = (self.results.seconds_per_fit(list(candidates), dataset.source)
                   if dataset is not None else {})
        self.settings_panel.show_cost(candidates, seconds)
        self._refresh_steps()

    # running ----------------------------------------------------------------------------

    def run_studies(self) -> None:
        """Queue one study per chosen model, with the current settings."""
        dataset = self.dataset_panel.dataset
        if dataset is None or not all(self._ready()[:3]):
            self.statusBar().showMessage("Load data and choose a model first.", 8000)
            return
        settings = self.settings_panel.settings()
        problems = settings.problems()
        if problems:  # the sentence the settings step shows too
            self.statusBar().showMessage(problems[0], 8000)
            self.show_step(2)
            return
        settings = self._confirm_cost(settings)
        if settings is None:
            return
        from ..core.study_names import default_study_name

        taken = set(self.results.studies()) | {e.name for e in self.queue.entries}
        data = (dataset.source, dataset.fingerprint)
        others = self._data_in_project()
        queued = False
        for model in self.space_editor.selected_models():
            name = unique_name(default_study_name(model, settings.strategy, data, others),
                               taken)
            request = self._unless_repeated(replace(
                settings, name=name, data=dataset.source, target=dataset.target, model=model,
                project=self.project, space=self.space_editor.space_for(model),
                task=dataset.task, roles=_roles(dataset), dataset=dataset,
            ))
            if request is None:
                continue
            taken.add(name)
            self.queue.add(request)
            queued = True
        if queued:
            self.show_step(3)

    def _data_in_project(self) -> list[tuple[str, str]]:
        """The (data, fingerprint) of every study stored or queued, for default names."""
        stored = [(spec.data, spec.data_fingerprint) for spec, _ in self.results.study_trials()]
        queued = [(e.request.data, getattr(e.request.dataset, "fingerprint", ""))
                  for e in self.queue.entries]
        return stored + queued

    def _confirm_cost(self, settings: StudyRequest) -> StudyRequest | None:
        """Above 500 fits or ten minutes, ask first and offer the command line's random
        search; the settings to run with, or None when the user cancels."""
        from ..core.default_search import DEFAULT_RANDOM_TRIALS, is_expensive

        panel = self.settings_panel
        fits, seconds = panel.planned_fits, panel.planned_seconds
        models = len(self.space_editor.selected_models())
        cheaper = (settings.with_random_search(DEFAULT_RANDOM_TRIALS).cost(None).fits
                   or 0) * models
        if settings.strategy == "manual" or not is_expensive(fits, seconds) or (
                fits is not None and cheaper >= fits):
            return settings
        cost = f"{fits:,} fits" if fits is not None else "many fits"
        if seconds is not None:
            from ..core.format import time_left

            cost += f", about {time_left(seconds)}"
        box = QMessageBox(QMessageBox.Icon.Question, "A long search",
                          f"This search runs {cost}. A random search of "
                          f"{DEFAULT_RANDOM_TRIALS} trials usually finds nearly as good a "
                          "setting for a fraction of the time.", parent=self)
        random_button = box.addButton(
            f"Run {DEFAULT_RANDOM_TRIALS} random trials instead (about {cheaper:,} fits)",
            QMessageBox.ButtonRole.AcceptRole)
        whole = box.addButton("Run the whole grid" if settings.strategy in ("grid", "halving")
                              else "Run it as set", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(random_button)
        box.exec()
        if box.clickedButton() is random_button:
            return settings.with_random_search(DEFAULT_RANDOM_TRIALS)
        return settings if box.clickedButton() is whole else None

    def _unless_repeated(self, request: StudyRequest) -> StudyRequest | None:
        """A study whose settings and seed equal a queued or stored one would only repeat
        its trials: ask whether to run it with another seed, resume (or open) that one,
        or do nothing. The request to queue, or None."""
        from ..core.repeat_run import is_same_search

        same = self._same_studies(request)
        if not same:
            return request
        name, state = same[0]
        resumable = state in ("paused", "cancelled", "failed", "interrupted",
                              "time limit reached")
        box = QMessageBox(QMessageBox.Icon.Question, "The same study again?",
                          f"'{name}' has the same settings and seed ({state}): running it "
                          "again repeats the same trials.", parent=self)
        again = box.addButton("Run it again with another seed",
                              QMessageBox.ButtonRole.AcceptRole)
        other = box.addButton("Resume it" if resumable else "Open it",
                              QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is again:
            seed = request.seed + 1
            while any(is_same_search(replace(request, seed=seed), spec)
                      for spec in self._known_searches()):
                seed += 1
            return replace(request, seed=seed)
        if box.clickedButton() is other:
            self._resume_or_open(name, resumable)
        return None

    def _known_searches(self) -> list[Any]:
        """Every queued request and stored spec, to compare a new study with."""
        stored = [spec for spec, _ in self.results.study_trials()]
        return [e.request for e in self.queue.entries] + stored

    def _same_studies(self, request: StudyRequest) -> list[tuple[str, str]]:
        """(name, state) of each queued or stored study that is the same search."""
        from ..core.repeat_run import is_same_search

        found = [(e.name, e.state) for e in self.queue.entries
                 if is_same_search(e.request, request)]
        named = {name for name, _ in found}
        for spec, _ in self.results.study_trials():
            if spec.name not in named and is_same_search(spec, request):
                found.append((spec.name, self.results.status_of(spec.name)))
        return found

    def _resume_or_open(self, name: str, resumable: bool) -> None:
        entry = self.queue.entry_named(name)
        if resumable and entry is not None and entry.state in ("paused", "cancelled",
                                                               "failed"):
            self.queue.resume(self.queue.entries.index(entry))
            self.show_step(3)
        elif resumable:
            self.resume_study(name)
        elif entry is not None and entry.state in ("queued", "running"):
            self.show_step(3)
        else:
            self._open_study_results(name)

    def resume_study(self, name: str) -> None:
        """Run a stored study again: the engine keeps its trials and finishes its budget."""
        from ..core import engine
        from ..core.engine import StoreError

        if self.queue.is_active(name):
            self.statusBar().showMessage(f"'{name}' is already running or queued.", 8000)
            return
        try:
            if not self.project.exists():
                raise StoreError(f"The project file '{self.project}' does not exist any more.")
            where = self.settings_panel.settings()  # where it runs is chosen anew
            request = engine.resume_request(self.project, name, jobs=where.jobs,
                                            cluster=where.cluster)
        except StoreError as exc:
            self.results.message.setText(str(exc))
            return
        self.queue.add(request)
        self.show_step(3)

    def _on_queue_changed(self) -> None:
        running = self.queue.running
        if running is not None:
            total = f"/{running.total:,}" if running.total else ""
            self.statusBar().showMessage(
                f"Running {running.name}: {running.done:,}{total} trials")
        self.results.refresh_state()
        self._refresh_steps()

    def _on_trial_finished(self, name: str, trial: Any) -> None:
        self.results.add_trial(name, trial)

    def _on_study_finished(self, name: str, result: Any) -> None:
        best = result.best
        score = f", best {number(best.mean_test_score)}" if best else ""
        # A nested run stopped in one of its searches reports that search ('NAME [outer 2/5]').
        where = result.spec_name
        paused = self.queue.live_state(name) == "paused"
        status = "paused (resume it from the queue)" if paused else result.status
        self.statusBar().showMessage(
            f"{where}: {status}, {count(len(result.trials), 'trial')}{score}", 15000)
        self.results.reload(select=where)
        self._refresh_compare()
        if self.queue.running is None and not paused:  # a pause stays on the queue
            self.show_step(4)
        self._refresh_steps()

    def _on_study_failed(self, name: str, message: str) -> None:
        self.statusBar().showMessage(f"{name}: {message}", 15000)
        self._offer_take_over(name, message)

    def _offer_take_over(self, name: str, message: str) -> None:
        """A study refused because another computer may be running it (this one cannot
        tell): a user who knows that run has ended may take the study over and run it."""
        from ..core import engine
        from ..core.engine import StoreError

        entry = next((e for e in self.queue.entries
                      if e.name == name and e.state == "failed"), None)
        if entry is None:
            return
        project = entry.request.project
        try:
            if not engine.can_take_over(project, name):
                return
        except (OSError, StoreError):
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Study running on another computer?",
                          message, parent=self)
        take = box.addButton("Take over", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not take:
            return
        try:
            engine.take_over(project, name)
        except (OSError, StoreError) as exc:
            reason = str(exc) if isinstance(exc, StoreError) else (exc.strerror or str(exc))
            QMessageBox.warning(self, "Study not taken over", reason)
            return
        if entry in self.queue.entries:
            self.queue.resume(self.queue.entries.index(entry))

    # projects ---------------------------------------------------------------------------

    def set_project(self, path: str | Path, remember: bool = True) -> bool:
        """Use this project file; a path that cannot be one is refused with a sentence."""
        from ..core import engine
        from ..core.engine import StoreError

        path = Path(path)
        busy: list[tuple[str, int, str]] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                busy = engine.running_elsewhere(path)  # refuses folders, data, other databases
        except (OSError, StoreError) as exc:
            message = str(exc) if isinstance(exc, StoreError) else (
                f"'{path}' cannot be used as a project ({exc.strerror or exc}).")
            self.statusBar().showMessage(message, 15000)
            QMessageBox.warning(self, "Project not opened", message)
            return False
        self.project = path
        self.project_label.setText(f"Project: {self.project}")
        self._refresh_title()
        self.results.set_project(self.project)
        self._refresh_compare()
        if remember:
            self._remember_project(self.project)
        self._refresh_steps()
        if busy:  # a second hpt-gui (or a command line run) is working on this project
            names = ", ".join(f"'{name}'" for name, _, _ in busy)
            _, pid, host = busy[0]
            self.statusBar().showMessage(
                f"{names} {'is' if len(busy) == 1 else 'are'} being run right now by another "
                f"hpt-gui (process {pid} on {host}): you can look at the results here "
                f"(reload to see new trials), but not run {'it' if len(busy) == 1 else 'them'} "
                "until that run ends.", 30000)
        return True

    def open_project(self, path: str | Path) -> None:
        """Show every study and trial of a project file."""
        if not Path(path).exists():
            QMessageBox.warning(self, "Project not found",
                                f"The project file '{path}' does not exist (any more).")
            return
        if self.set_project(path) and self.results.studies():
            self.show_step(4)

    def open_file(self, path: str | Path) -> None:
        """Open what ``hpt-gui FILE`` names: a project file (known by its content, not its
        name) or a data file; a missing or unreadable one gets a sentence."""
        from ..core.engine import is_project_file

        if is_project_file(path):
            self.open_project(path)
        else:  # the data step says why a file is missing or cannot be read
            self.start_loading(str(path))

    def _refresh_title(self) -> None:
        """'churn.csv — Churn study.hpt — hpt-gui': which data and project are open."""
        dataset = self.dataset_panel.dataset
        names = [Path(dataset.source).name] if dataset is not None else []
        self.setWindowTitle(" — ".join([*names, self.project.name, "hpt-gui"]))

    def open_project_dialog(self) -> None:
        from .last_folder import ask_open_path

        path = ask_open_path(self, "project", "Open project", PROJECT_FILTER)
        if path:
            self.open_project(path)

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", "Untitled.hpt",
                                              PROJECT_FILTER)
        if path:
            self.set_project(path if path.endswith(".hpt") else path + ".hpt")

    def save_project_as(self) -> None:
        """The project is saved as trials finish; this copies it to a new name."""
        path, _ = QFileDialog.getSaveFileName(self, "Save project as", str(self.project),
                                              PROJECT_FILTER)
        if not path:
            return
        if self.queue.running is not None:
            self.statusBar().showMessage("Wait for the running study to finish, then save.",
                                         8000)
            return
        from ..core import engine
        from ..core.engine import StoreError

        if Path(path).resolve() == self.project.resolve():
            return
        try:
            engine.checkpoint(self.project)  # creates an empty project if new
            shutil.copyfile(self.project, path)
        except (OSError, StoreError) as exc:
            reason = str(exc) if isinstance(exc, StoreError) else (exc.strerror or str(exc))
            QMessageBox.warning(self, "Project not saved",
                                f"The project could not be saved as '{path}' ({reason}).")
            return
        self.set_project(path)

    def _remember_project(self, path: Path) -> None:
        recent = [p for p in self._recent() if p != str(path)]
        recent.insert(0, str(path))
        self.settings_store.setValue("recent_projects", recent[:MAX_RECENT])
        self._fill_recent_menu()

    def _recent(self) -> list[str]:
        value = self.settings_store.value("recent_projects", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self._recent():
            self._add(self.recent_menu, path, lambda p=path: self.open_project(p))
        self.recent_menu.setEnabled(bool(self._recent()))

    # layout, drops, help ----------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings_store.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            fit_first_window(self)  # the first start: the whole window on the screen
        for splitter in self._named_splitters():
            state = self.settings_store.value(f"splitters/{splitter.objectName()}")
            if state is not None:
                splitter.restoreState(state)
        self._fill_recent_menu()

    def _named_splitters(self) -> list[QSplitter]:
        return [s for s in self.findChildren(QSplitter) if s.objectName()]

    def quit_asking(self) -> None:
        """File > Quit (Ctrl+Q): during a run, ask first; then close."""
        if self._may_quit():
            self._asked_to_quit = True
            self.close()

    def _may_quit(self) -> bool:
        """True unless a study runs and the user chooses to keep it running."""
        if self.queue.running is None:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, "Quit hpt-gui?",
                          "A study is running. Quit anyway? It stops now and can be resumed "
                          "later from where it stopped: finished trials are saved.",
                          parent=self)
        quit_button = box.addButton("Quit", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep running", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is quit_button

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        # The window's close button asks as Quit does (a close by code does not ask).
        if event.spontaneous() and not getattr(self, "_asked_to_quit", False) \
                and not self._may_quit():
            event.ignore()
            return
        self.settings_store.setValue("window/geometry", self.saveGeometry())
        for splitter in self._named_splitters():
            self.settings_store.setValue(f"splitters/{splitter.objectName()}",
                                         splitter.saveState())
        self.queue.shutdown()
        self.dataset_panel.shutdown()  # a file still being read is dropped, not waited for
        self._grid_counter.shutdown()
        for window in (self._guide, self._predict_dialog):
            if window is not None:
                window.close()
        if self.results.has_diagnostics():
            self.results.diagnostics.shutdown()
        from ..core.engine import fold_in_wal

        fold_in_wal(self.project)  # no '-wal'/'-shm' left beside the project
        super().closeEvent(event)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802
        for url in event.mimeData().urls():
            path = url.toLocalFile()
            if path.lower().endswith(".hpt"):
                self.open_project(path)
            elif path:
                self.start_loading(path)
            break

    def show_help(self) -> None:
        from .steps_help import show_steps_help

        self._steps_help = show_steps_help(self, HELP_TEXT)

    def show_about(self) -> None:
        QMessageBox.about(self, "About hpt-gui",
                          f"hpt-gui {__version__}: tune scikit-learn models offline.")


def _roles(dataset: Any) -> dict[str, str]:
    """The column roles as chosen (inferred or edited), to store with the study."""
    return {c.name: c.role for c in dataset.columns if c.role != "target"}


def unique_name(base: str, taken: set[str]) -> str:
    """'SVC grid', then 'SVC grid 2', ... so a new study never collides with an old one."""
    if base not in taken:
        return base
    n = 2
    while f"{base} {n}" in taken:
        n += 1
    return f"{base} {n}"


HELP_TEXT = """\
1. Data: open a CSV, TSV, Excel or Parquet file (Ctrl+O), drop it on the window, or pick a
   demo data set. Check the target column, the task and the column roles.
2. Models: tick one or more models. For each hyperparameter choose whether it is searched
   and over which values; hover a row to see what it does.
3. Search: choose manual, grid, random, Bayesian (TPE), evolutionary search or successive
   halving, the number of trials or a time limit, how to validate (k-fold, repeated,
   shuffle-split, group or time-series folds; a test set scored once at the end; nested
   cross-validation for an honest estimate) and the metric. The cost is shown below.
4. Run (Ctrl+R): each model becomes a study in the queue; pause, resume or cancel it.
5. Results: every trial with its scores and plots; click a trial for its folds. Export the
   table, a model file, a Python script or a report from File > Export.
6. Compare: the studies side by side, with a test of whether the best is really better.
Predict on new data (Ctrl+P) applies a tuned model to a new table and writes a CSV.
Help > Guide (F1) explains the ideas, with pictures and links to your own results.
Everything is saved in the project file as trials finish."""
