"""The Results page: the project's studies, the chosen study's trials beside its plots,
its exports, and resuming it.

The page reads through the engine facade and shows what the core computes; slow work
(the model file's refit) goes off the GUI thread through ``ui/tasks.py``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .last_folder import ask_save_path
from .tasks import TaskRunner, TaskState, default_sentence
from .trial_table import TrialTableView

if TYPE_CHECKING:
    from .plots.panel import DiagnosticsPanel

# A model file: the safe format first (the default), the pickle for those who need it.
SKOPS_FILTER, PICKLE_FILTER = "Safe model file (*.skops)", "Pickle (*.pkl)"
MODEL_FILTERS = f"{SKOPS_FILTER};;{PICKLE_FILTER}"
MODEL_SUFFIXES = (".skops", ".pkl", ".pickle", ".joblib")  # a name ending otherwise gets one
EXPORT_WAIT_SECONDS = 3600.0  # export(wait=True) waits this long at most for the refit
STREAM_MS = 250  # trials streaming in reach the table in batches at most this often
RELOAD_WAIT_SECONDS = 3600.0  # reload() waits this long at most for the project's reading


def held_out_text(spec: Any, results: dict[str, Any] | None) -> str:
    """' · test set accuracy 0.93 (...)', ' · nested CV estimate 0.950 (std 0.0200 ...)': the
    results view's words for what a run measured beyond its trials, in bold."""
    from ..core.validation import describe_estimate

    text = describe_estimate(spec, results)
    return f" · <b>{html.escape(text)}</b>" if text else ""


def elsewhere_text(owner: tuple[int, str] | None) -> str:
    """' by another hpt-gui (process 12 on host)' for a study run elsewhere right now."""
    if owner is None:
        return ""
    pid, host = owner
    return f" by another hpt-gui (process {pid} on {host}): reload to see its new trials"


def failures_text(trials: Any, states: Any) -> str:
    """' · most failures: 6 trials (e.g. trial 0): ValueError: ...': the commonest reason
    trials failed, so the user need not open each one (the table shows every reason)."""
    from ..core.failures import describe_failures, failure_causes
    from ..core.records import TrialState

    if not states.get(TrialState.FAIL):
        return ""
    causes = failure_causes([t for t in trials if t.state is TrialState.FAIL])
    first = describe_failures(causes, most=1)[0]
    label = "failed" if len(causes) == 1 else "most failures"
    return f" · <span style='color:#b00'>{label}: {html.escape(first[:300])}</span>"


TABLE_SHARE = 0.3  # the least share of the Results page's width the trial table gets


def _export_sentence(exc: BaseException) -> str:
    """A failed export as the sentence the Results page shows."""
    from ..core.engine import StoreError
    from ..core.output_files import OutputError

    if isinstance(exc, OutputError | StoreError):  # ExportError is an OutputError
        return str(exc)
    return default_sentence(exc)


class _ResultsSplitter(QSplitter):
    """Knows whether its sizes were chosen (restored from the settings, or dragged)."""

    def __init__(self, orientation: Qt.Orientation) -> None:
        super().__init__(orientation)
        self.sizes_chosen = False
        self.splitterMoved.connect(self._on_moved)

    def _on_moved(self, *_: Any) -> None:
        self.sizes_chosen = True

    def restoreState(self, state: Any) -> bool:  # noqa: N802 (Qt's name)
        restored = super().restoreState(state)
        self.sizes_chosen = self.sizes_chosen or restored
        return restored


class ResultsPage(QWidget):
    """The studies of the project: choose one, read its trials, export, resume."""

    resume_requested = Signal(str)
    predict_requested = Signal()
    compare_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Path | None = None
        self.is_active: Any = None  # name -> bool: is that study running or queued now?
        # name -> 'queued'/'running'/'paused' from the run queue, newer than the file's
        self.live_state: Any = None
        self._shown: str | None = None  # the study shown (a new one selects its best)
        self._shown_state: str | None = None
        self._studies: dict[str, Any] = {}
        self._built: dict[str, Any] = {}  # each study's plot arrays, built with the reading
        self._numbers: dict[str, set[int]] = {}  # trial numbers held, by study (made lazily)
        self._results: dict[str, dict[str, Any]] = {}  # held-out and nested scores, by study
        self._elsewhere: dict[str, tuple[int, str]] = {}  # study -> (process, host) running it
        self._export_task = TaskRunner(self, sentence=_export_sentence)  # the model's refit
        self._reload_task = TaskRunner(self, sentence=_export_sentence)  # reading the project
        self._share_timer = QTimer(self)  # many resizes in a row: the share is set once
        self._share_timer.setSingleShot(True)
        self._share_timer.setInterval(0)
        self._share_timer.timeout.connect(self._share_width)
        self.study_combo = QComboBox()
        self.study_combo.setMinimumWidth(320)
        self.study_combo.currentIndexChanged.connect(self._on_study_chosen)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.resume_button = QPushButton("Resume this study")
        self.resume_button.clicked.connect(
            lambda: self.resume_requested.emit(self.study_combo.currentText()))
        top = QHBoxLayout()
        top.addWidget(QLabel("Study:"))
        top.addWidget(self.study_combo)
        top.addWidget(self.resume_button)
        self.compare_button = QPushButton("Compare studies")
        self.compare_button.setToolTip("All the project's studies side by side, with the "
                                       "chances that the best is really better or that two "
                                       "are practically equivalent.")
        self.compare_button.clicked.connect(self.compare_requested.emit)
        top.addWidget(self.compare_button)
        top.addStretch(1)
        # One "Export" button with a menu: five buttons in a row were clipped at 1280 px.
        self.export_button = QPushButton("Export")
        self.export_button.setToolTip("The trials as CSV, the chosen trial as a model file "
                                      "or a Python script, or a report of the study.")
        export_menu = QMenu(self.export_button)
        self.export_actions: dict[str, QAction] = {}
        for key, text in (("csv", "Trials as CSV…"), ("model", "Chosen trial as a model file…"),
                          ("script", "Chosen trial as a Python script…"),
                          ("report", "Report of the study (HTML)…")):
            action = export_menu.addAction(text)
            action.triggered.connect(lambda _=False, k=key: self.export(k, wait=False)
                                     if k != "report" else self.save_report())
            self.export_actions[key] = action
        self.export_button.setMenu(export_menu)
        top.addWidget(self.export_button)
        self.predict_button = QPushButton("Predict on new data…")
        self.predict_button.setToolTip("Use the chosen trial (or an exported model file) on a "
                                       "new table; the predictions go to a new CSV.")
        self.predict_button.clicked.connect(self.predict_requested.emit)
        top.addWidget(self.predict_button)
        self.table = TrialTableView()
        # The plots (pyqtgraph) are made when first needed: a study to show, or the page
        # shown; until then an empty box holds their place in the splitter.
        self._diagnostics: DiagnosticsPanel | None = None
        self._diagnostics_box = QWidget()
        box = QVBoxLayout(self._diagnostics_box)
        box.setContentsMargins(0, 0, 0, 0)
        # Streamed trials wait here for the next batch to the table: a table view repaints
        # its visible rows on every insertion, so one insertion per quick trial made the
        # GUI thread repaint dozens of times a second.
        self._streamed: list[Any] = []
        self._stream_timer = QTimer(self)
        self._stream_timer.setSingleShot(True)
        self._stream_timer.setInterval(STREAM_MS)
        self._stream_timer.timeout.connect(self.flush_trials)
        self.table.trial_selected.connect(self._on_table_selected)
        self.splitter = _ResultsSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("results_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self._diagnostics_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._update_buttons()

    @property
    def diagnostics(self) -> DiagnosticsPanel:
        """The plots beside the table (made on first use)."""
        if self._diagnostics is None:
            from .plots.panel import DiagnosticsPanel

            panel = DiagnosticsPanel()
            panel.trial_clicked.connect(self._on_trial_clicked)
            panel.choice_changed.connect(
                lambda best, one_se: self.table.model.set_one_se(one_se))
            panel.report_requested.connect(lambda: self.save_report())
            self._diagnostics = panel
            if self.splitter.sizes_chosen:  # restored or dragged: the box keeps that size
                self._diagnostics_box.layout().addWidget(panel)
            else:  # the splitter sizes the panel from its size hint, as when made at once
                index = self.splitter.indexOf(self._diagnostics_box)
                self._diagnostics_box.setParent(None)
                self._diagnostics_box.deleteLater()
                self.splitter.insertWidget(index, panel)
                self.splitter.setStretchFactor(index, 3)
                self._share_timer.start()
        return self._diagnostics

    def _share_width(self) -> None:
        """Give the trial table at least 30 % of a wide page: on a 1920 px screen the
        plots' size hint left it too narrow for its '± std over folds' column."""
        sizes = self.splitter.sizes()
        total = sum(sizes)
        if self.splitter.sizes_chosen or len(sizes) != 2 or total <= 0:
            return
        table = max(sizes[0], int(TABLE_SHARE * total))
        if table != sizes[0]:
            self.splitter.setSizes([table, total - table])

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self._diagnostics is not None:  # the share holds however the page was laid out
            self._share_timer.start()

    def has_diagnostics(self) -> bool:
        """Whether the plots were made yet (at start-up they are not)."""
        return self._diagnostics is not None

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt's name)
        if visible:  # made before the page is laid out, so the splitter sizes it as ever
            self.diagnostics  # noqa: B018
        super().setVisible(visible)

    def _on_table_selected(self, number_: int) -> None:
        self.diagnostics.select(number_)

    def set_project(self, project: Path) -> None:
        self.project = project
        self.reload()

    def studies(self) -> list[str]:
        return list(self._studies)

    def study_trials(self) -> list[tuple[Any, list[Any]]]:
        """Each study's (spec, trials), as read and streamed in."""
        return [(row.spec, trials) for row, trials in self._studies.values()]

    def reload(self, select: str | None = None) -> None:
        """Read every study of the project again (after a run, or on open).

        The reading runs off the GUI thread (``ui/tasks``); this waits for it with the
        event loop running, so the window stays responsive and callers still find the
        studies read when it returns. A reload asked for meanwhile supersedes it."""
        from ..core.engine import read_project

        project = self.project
        # The plots' arrays are built with the reading, off the GUI thread (at 100,000
        # trials they took 200 ms there); only once the plots exist (not at start-up).
        build = None
        if self._diagnostics is not None:
            from .plots.base import study_data as build

        def read(state: TaskState) -> Any:
            if project is None or not project.exists():
                return None, {}
            view = read_project(project)
            built = {} if build is None else {
                name: build(row.spec, trials)
                for name, (row, trials) in view.studies.items() if trials}
            return view, built

        self._reload_task.start(read, on_done=lambda read_: self._show_read(*read_, "", select),
                                on_error=lambda sentence: self._show_read(None, {}, sentence,
                                                                          select))
        self._reload_task.wait(RELOAD_WAIT_SECONDS)

    def _show_read(self, project: Any, built: dict[str, Any], problem: str,
                   select: str | None) -> None:
        self._built = built
        self._studies = {}
        self._numbers = {}
        self._results = {}
        self._elsewhere = {}
        self.message.setText(problem)
        if project is not None:
            # studies another hpt-gui runs now: shown, but not offered to resume
            self._elsewhere = project.elsewhere
            self._studies = project.studies
            self._results = project.results
        current = select or self.study_combo.currentText()
        self.study_combo.blockSignals(True)
        self.study_combo.clear()
        self.study_combo.addItems(list(self._studies))
        index = self.study_combo.findText(current)
        self.study_combo.setCurrentIndex(index if index >= 0 else self.study_combo.count() - 1)
        self.study_combo.blockSignals(False)
        self._on_study_chosen()

    def _on_study_chosen(self, *_: Any) -> None:
        name = self.study_combo.currentText()
        row, trials = self._studies.get(name, (None, []))
        self._streamed = []  # the table gets every trial of the study now
        self.table.set_trials(trials)
        if name != self._shown:  # another study: what the user looks at is its best
            self._shown = name
            self._select_best()
        if row is not None or self._diagnostics is not None:  # no study: no plots to make
            self.diagnostics.set_study(row.spec if row is not None else None, trials,
                                       project=self.project, defer=True,
                                       data=self._built.get(name))
            chosen = self.table.selected_trial()
            self.diagnostics.select(chosen.number if chosen is not None else None)
        self._update_summary()
        self._update_buttons()

    def _select_best(self) -> None:
        """Select the shown study's best trial (none when it has none), so the chosen
        trial, the table's selection and the export never name another study's trial."""
        best = self.table.model.best_trial()
        if best is not None:
            self.table.select_trial(best.number)
        else:
            self.table.table.selectionModel().clearSelection()

    def status_of(self, name: str) -> str:
        """The study's state now: the run queue's when it holds it (running, paused...),
        else the project file's (finished, cancelled, interrupted...)."""
        live = self.live_state(name) if self.live_state is not None else None
        row = self._studies.get(name, (None, []))[0]
        return live or (row.status if row is not None else "")

    def refresh_state(self) -> None:
        """The run queue changed: the header follows the shown study's state."""
        name = self.study_combo.currentText()
        if name in self._studies and self.status_of(name) != self._shown_state:
            self._update_summary()
            self._update_buttons()

    def _update_summary(self) -> None:
        """The header: counts, best and state of the shown study, from the table's trials
        (so it changes with the table, trial by trial)."""
        name = self.study_combo.currentText()
        row, trials = self._studies.get(name, (None, []))
        self._shown_state = self.status_of(name) if row is not None else None
        if row is not None:
            trials = self.table.model.trials()
            from collections import Counter
            from operator import attrgetter

            from ..core.diagnostics.verdict import metric_words, shown

            best = self.table.model.best_trial()  # the table has found it already
            states = Counter(map(attrgetter("state"), trials))
            counts = ", ".join(f"{n:,} {state.lower()}" for state, n in states.items() if n)
            best_text = (f"best {metric_words(row.spec.scoring)} "
                         f"{shown(row.spec.scoring, best.mean_test_score)} "
                         f"(trial {best.number})" if best else "no completed trial yet")
            from ..core.strategies.halving import describe_saving, halving_saving
            from ..core.validation import describe_validation

            saving = describe_saving(halving_saving(row.spec, trials))  # halving only
            self.summary.setText(
                f"<b>{row.spec.model}</b> · {row.spec.strategy} search · "
                f"{describe_validation(row.spec)} · {counts or 'no trials'} · {best_text}"
                f"{' · ' + saving if saving else ''}{failures_text(trials, states)}"
                f"{held_out_text(row.spec, self._results.get(name))} · {self._shown_state}"
                f"{elsewhere_text(self._elsewhere.get(name))}")
        else:
            self.summary.setText("Run a study to see its results here." if self.project
                                 else "")

    def _update_buttons(self) -> None:
        name = self.study_combo.currentText()
        row, trials = self._studies.get(name, (None, []))
        self.export_button.setEnabled(bool(trials))
        self.compare_button.setEnabled(len(self._studies) >= 2)
        self.resume_button.setVisible(
            row is not None and row.status in ("interrupted", "cancelled", "running",
                                               "time limit reached")
            and not (self.is_active is not None and self.is_active(name))
            and name not in self._elsewhere)

    def add_trial(self, name: str, trial: Any) -> None:
        """A trial finished in a running study: show it at once if that study is shown."""
        if name not in self._studies:
            self.reload(select=name)
            return
        self._built.pop(name, None)  # built from the trials before this one
        from ..core.records import TrialState

        row, trials = self._studies[name]
        # A set and an in-place append: a scan and a copy of the list per trial made a
        # study of many quick trials quadratic on the GUI thread. (The list is ours: the
        # table and the plots keep their own copies.)
        numbers = self._numbers.get(name)
        if numbers is None:
            numbers = self._numbers[name] = {t.number for t in trials}
        if trial.number in numbers:
            shown = next(t for t in trials if t.number == trial.number)
            if shown.state is TrialState.CANCELLED:  # a resumed run ran it again
                trials[trials.index(shown)] = trial
                if self.study_combo.currentText() == name:
                    self._stream(trial)  # the table replaces the row of that number
                    self.diagnostics.set_study(row.spec, trials, project=self.project,
                                               defer=True)  # one redraw for a burst
            return  # else already read from the file
        numbers.add(trial.number)
        trials.append(trial)
        if self.study_combo.currentText() == name:
            self._stream(trial)
            self.diagnostics.add_trial(trial)  # it redraws at its own pace

    def _stream(self, trial: Any) -> None:
        """Send a trial to the table with the next batch."""
        self._streamed.append(trial)
        if not self._stream_timer.isActive():
            self._stream_timer.start()

    def flush_trials(self) -> None:
        """Show the trials that streamed in since the last batch in the table now."""
        streamed, self._streamed = self._streamed, []
        self.table.add_trials(streamed)
        if streamed:
            self._update_summary()

    def _on_trial_clicked(self, number_: int) -> None:
        self.flush_trials()  # a plot may show a trial the table has not received yet
        self.table.select_trial(number_)

    def save_report(self, path: str | None = None) -> Path | None:
        """The shown study as a standalone HTML report (plots, verdict, top trials, spec),
        for the selected trial (the best when none is selected or it has no scores)."""
        from ..core.report import write_report
        from .plots.render import render_study_pictures

        name = self.study_combo.currentText()
        row, trials = self._studies.get(name, (None, []))
        diagnosis = self.diagnostics.diagnosis(with_curves=True)
        if row is None or diagnosis is None or isinstance(diagnosis, str):
            self.message.setText(diagnosis if isinstance(diagnosis, str) else
                                 "Choose a study with a completed trial to report on.")
            return None
        if path is None:
            path, _ = ask_save_path(self, "report", "Save report", f"{name}-report.html",
                                    "HTML report (*.html)")
            if not path:
                return None
        importance = self.diagnostics.importance_view.importance
        predictions = self._report_predictions(name, diagnosis.trial)
        try:
            # drawn once the path is accepted (as `hpt-gui report` draws them); a picture
            # that cannot be drawn leaves a sentence in the report, not a lost report
            written = write_report(row.spec, trials, diagnosis, path,
                                   renderer=render_study_pictures,
                                   importance=importance, results=self._results.get(name),
                                   protect=[self.project, row.spec.data],
                                   data_notes=self.diagnostics.data_notes,
                                   predictions=predictions)
        except Exception as exc:  # a sentence in the window, never a traceback
            self.message.setText(f"The report could not be written: {exc}")
            return None
        self.message.setText(f"Report saved to {written}.")
        return Path(written)

    def _report_predictions(self, name: str, trial: int) -> Any:
        """The trial's out-of-fold predictions for the report: the ones the "How it errs"
        view holds, else the ones kept in the project (never fitted for a report)."""
        held = self.diagnostics.errors_view.computed.get(trial)
        if held is not None or self.project is None:
            return held
        from ..core import engine

        try:
            return engine.stored_predictions(self.project, name, trial)
        except (OSError, engine.StoreError):  # the report then says how to get them
            return None

    def seconds_per_fit(self, models: list[str], data: str) -> dict[str, float]:
        """Seconds one fold of each model took in this project (for the ETA), measured as
        `hpt-gui run` measures it: fit and score, on this data first (one query each)."""
        from ..core.eta import measured_seconds

        seconds = {}
        for model in models:
            measured = measured_seconds(self.project, model, data)
            if measured is not None:
                seconds[model] = measured[0]
        return seconds

    def export(self, kind: str, path: str | None = None, wait: bool = True) -> Path | None:
        """Export the shown study (CSV) or its chosen trial (model, script).

        A model file is refit off the GUI thread; ``wait`` runs the event loop until it is
        written and returns its path (scripts, tests), else it returns None at once and
        the message says when it is written (the window's menus)."""
        from ..core import engine
        from ..core.engine import StoreError
        from ..core.output_files import OutputError

        name = self.study_combo.currentText()
        row, trials = self._studies.get(name, (None, []))
        if row is None or not trials:
            self.message.setText("Choose a study with trials to export.")
            return None
        suffix = {"csv": ".csv", "model": ".skops", "script": ".py"}[kind]
        if path is None:
            filters = MODEL_FILTERS if kind == "model" else ""
            path, picked = ask_save_path(self, kind, "Export", f"{name}{suffix}", filters)
            if not path:
                return None
            if kind == "model" and Path(path).suffix.lower() not in MODEL_SUFFIXES:
                path += ".pkl" if picked == PICKLE_FILTER else ".skops"  # the filter's format
        chosen = self.table.selected_trial()
        number_ = chosen.number if chosen is not None and kind != "csv" else None
        protect = [self.project, row.spec.data]
        if kind == "model":
            return self._export_model(row.spec, trials, path, number_, protect, wait)
        try:
            if kind == "csv":
                written = engine.export_csv(trials, path, protect=protect)
            else:
                written = engine.export_script(row.spec, trials, path, trial_number=number_,
                                               protect=protect)
        except (OutputError, StoreError) as exc:  # ExportError is an OutputError
            self.message.setText(str(exc))
            return None
        self.message.setText(f"Exported to {written}.")
        return Path(written)

    def _export_model(self, spec: Any, trials: Any, path: str, number_: int | None,
                      protect: list[Any], wait: bool) -> Path | None:
        """Refit the chosen trial and write it, off the GUI thread."""
        from ..core import engine

        def work(state: TaskState) -> Path:
            engine.export_model(spec, trials, path, trial_number=number_, protect=protect)
            return Path(path)

        written: list[Path] = []

        def done(result: Path) -> None:
            written.append(result)
            self.message.setText(f"Exported to {result}.")

        self.message.setText("Refitting the chosen trial to export it…")
        self._export_task.start(work, on_done=done, on_error=self.message.setText)
        if not wait:
            return None
        self._export_task.wait(EXPORT_WAIT_SECONDS)
        return written[0] if written else None
