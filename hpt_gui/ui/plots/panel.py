"""The diagnostics beside the trial table: the verdict, the best and one-standard-error
trials, and every view in tabs, all linked to one selected trial.

New trials arrive while a study runs; the views are refreshed at most every
``REDRAW_MS`` (longer when a refresh itself takes long), only the shown tab draws, and
the trials' arrays grow by the new trials alone, so the window stays responsive however
fast trials finish.
"""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ...core.diagnostics.verdict import shown
from ...core.records import TrialRecord
from ...core.spec import StudySpec
from . import all_views
from .base import StudyData, StudyView, study_data
from .curves import FitCurveView, LearningCurveView
from .errors_view import ErrorsView
from .inspector import InspectorView
from .jobs import JobRunner
from .search import ImportanceView
from .work import (
    StudyContexts,
    inspect_work,
    learning_work,
    path_work,
    predictions_work,
    summary_work,
    validation_work,
)

REDRAW_MS = 500
# The verdict's word in colour (Okabe-Ito-like, dark enough on white for text).
VERDICT_COLOURS = {"overfitting": "#8a2b62", "underfitting": "#7a5200", "good fit": "#1b6e3a",
                   "not enough evidence": "#4a4a4a"}
IMPORTANCE_GROWTH = 1.25  # importance is worked out again when the trials grew by a quarter


class DiagnosticsPanel(QWidget):
    """Verdict + views; emits ``trial_clicked`` when a point is clicked in any view."""

    trial_clicked = Signal(int)
    report_requested = Signal()
    choice_changed = Signal(object, object)  # best, one-standard-error choice (or None)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec: StudySpec | None = None
        self.project: Path | None = None
        self.trials: list[TrialRecord] = []
        self.data: StudyData | None = None
        self.selected: int | None = None
        self.baseline: float | None = None
        self.data_notes: tuple[str, ...] = ()  # what the data checks said (for the report)
        self._pending: list[TrialRecord] = []
        self._importance_at = 0  # trials counted when the importance was worked out
        self.jobs = JobRunner(self)
        self.jobs.busy_changed.connect(self._on_busy_changed)
        self._contexts = StudyContexts()
        self.verdict = QLabel("Run a study to see its diagnosis here.")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setObjectName("verdict")
        self.choice = QLabel("")
        self.choice.setWordWrap(True)
        self.best_button = QPushButton("Select best")
        self.best_button.clicked.connect(lambda: self._select_choice("best"))
        self.one_se_button = QPushButton("Select 1-SE choice")
        self.one_se_button.setToolTip("The simplest configuration whose score is within one "
                                      "standard error of the best.")
        self.one_se_button.clicked.connect(lambda: self._select_choice("one_se"))
        self.report_button = QPushButton("Save report…")
        self.report_button.setToolTip("A standalone HTML report: plots, verdict, top trials, "
                                      "settings.")
        self.report_button.clicked.connect(self.report_requested.emit)
        self.views: dict[str, StudyView] = {name: cls() for name, cls in all_views().items()}
        self.tabs = QTabWidget()
        for name, view in self.views.items():
            self.tabs.addTab(view, name)
            view.trial_clicked.connect(self._on_view_clicked)
        self._stale: set[StudyView] = set()  # hidden views redraw when they are shown
        self.tabs.currentChanged.connect(lambda _: self._draw_current())
        self.fit_view: FitCurveView = self.views["Under/overfit"]  # type: ignore[assignment]
        self.learning_view: LearningCurveView = self.views["Learning curve"]  # type: ignore
        self.importance_view: ImportanceView = self.views["Importance"]  # type: ignore
        self.inspector: InspectorView = self.views["Model inspector"]  # type: ignore
        self.fit_view.curve_requested.connect(self.compute_validation_curve)
        self.learning_view.curve_requested.connect(self.compute_learning_curve)
        self.inspector.inspect_requested.connect(self.inspect_trial)
        self.inspector.path_requested.connect(self.compute_regularization_path)
        self.errors_view: ErrorsView = self.views["How it errs"]  # type: ignore[assignment]
        self.errors_view.compute_requested.connect(self.compute_predictions)
        self.errors_view.kept_wanted.connect(self.read_kept_predictions)
        self._buttons = {"validation": [self.fit_view.compute],
                         "learning": [self.learning_view.compute],
                         "inspect": [self.inspector.inspect_button],
                         "path": [self.inspector.path_button],
                         "predictions": [self.errors_view.compute]}
        buttons = QHBoxLayout()
        buttons.addWidget(self.choice, 1)
        buttons.addWidget(self.best_button)
        buttons.addWidget(self.one_se_button)
        buttons.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.verdict)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._redraw_timer.timeout.connect(self._refresh)
        self._deferred = QTimer(self)
        self._deferred.setSingleShot(True)
        self._deferred.setInterval(0)
        self._deferred.timeout.connect(self._refresh)
        self._update_buttons()

    # -- the study --------------------------------------------------------------------

    def key(self) -> tuple[str, ...]:
        """Which study is shown: the project file, the study and its data's fingerprint
        (two projects often have a study of the same name)."""
        if self.spec is None:
            return ()
        return (str(self.project or ""), self.spec.name, self.spec.data_fingerprint)

    def set_study(self, spec: StudySpec | None, trials: list[TrialRecord],
                  project: Path | None = None, defer: bool = False,
                  data: StudyData | None = None) -> None:
        """Show ``spec``'s trials; with ``defer``, draw once the event loop is free again
        (so the trial table beside it appears first). ``data``: these very trials as the
        views read them, built off the GUI thread (with the project's reading)."""
        old_key = self.key()
        self.spec, self.project = spec, project
        self.trials, self._pending = list(trials), []
        if self.key() != old_key:
            self.jobs.new_generation()  # results of the old study's jobs are dropped
            for view in self.views.values():
                view.note.setText(view.explanation)
            self._contexts.forget()
            self.selected, self.baseline, self.data = None, None, None
            self.data_notes = ()
            self.fit_view.computed, self.learning_view.computed = {}, {}
            self.inspector.facts, self.inspector.paths = {}, {}
            self.errors_view.computed, self.errors_view.asked = {}, set()
            self.importance_view.importance = None
            self.fit_view.baseline = None
            self._importance_at = 0
        self.data = data if _built_from(data, spec, self.trials) else None
        if defer:
            if self.trials:  # until the draw, say so: not "Run a study" of a study with trials
                self.verdict.setText("Reading the study's trials…")
            self._deferred.start()
        else:
            self._deferred.stop()
            self._refresh()

    def add_trial(self, trial: TrialRecord) -> None:
        """A trial finished: refresh soon (at most every REDRAW_MS)."""
        self.trials.append(trial)
        self._pending.append(trial)
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _refresh(self) -> None:
        started = time.perf_counter()
        if self.spec is None or not self.trials:
            self.data = None
        elif self.data is not None and self._pending:
            self.data = study_data(self.spec, self._pending, previous=self.data)
        elif self.data is None:
            self.data = study_data(self.spec, self.trials)
        self._pending = []
        self._stale = set(self.views.values())
        self._draw_current()
        self._update_verdict()
        self._update_buttons()
        choice = self.data.choice if self.data is not None else None
        self.choice_changed.emit(choice.best if choice else None,
                                 choice.one_se if choice else None)
        self._maybe_start_summary()
        # A refresh that takes long (a huge study) spaces the next ones out.
        spent = time.perf_counter() - started
        self._redraw_timer.setInterval(max(REDRAW_MS, int(4000 * spent)))

    def _redraw(self, view: StudyView) -> None:
        """Redraw ``view`` now if it is shown, else when its tab is chosen."""
        self._stale.add(view)
        self._draw_current()

    def _draw_current(self) -> None:
        """Only the shown view draws; the others when their tab is chosen."""
        view = self.tabs.currentWidget()
        if view in self._stale:
            self._stale.discard(view)
            view.selected = self.selected
            view.set_data(self.data)

    def _update_buttons(self) -> None:
        has = self.data is not None and self.data.choice.best is not None
        for button in (self.best_button, self.one_se_button, self.report_button):
            button.setEnabled(has)
        for kind, buttons in self._buttons.items():
            for button in buttons:
                button.setEnabled(has and not self.jobs.running(kind))

    def _on_busy_changed(self, kind: str, running: bool) -> None:
        self._update_buttons()
        if kind == "summary" and not running:
            # The job that just ended may have been the previous study's, or may have
            # counted fewer trials than there are now: start the one this study needs.
            QTimer.singleShot(0, self._maybe_start_summary)

    # -- selection --------------------------------------------------------------------

    def select(self, number_: int | None) -> None:
        """Mark ``number_`` in every view (the table told us, or a view did)."""
        if number_ == self.selected:
            return
        self.selected = number_
        if self._deferred.isActive():  # the pending draw marks it and words the verdict:
            return  # worded now, it would say "Run a study" of a study with trials
        current = self.tabs.currentWidget()
        for view in self.views.values():
            if view is current and view not in self._stale:
                view.set_selected(number_)
            else:
                self._stale.add(view)
        self._update_verdict()

    def _on_view_clicked(self, number_: int) -> None:
        self.select(number_)
        self.trial_clicked.emit(number_)

    def _select_choice(self, which: str) -> None:
        if self.data is None:
            return
        number_ = getattr(self.data.choice, which)
        if number_ is not None:
            self._on_view_clicked(number_)

    def current_trial(self) -> int | None:
        """The selected trial if it has scores, else the best."""
        if self._deferred.isActive():  # asked before the deferred draw: read the trials now
            self._deferred.stop()  # (else a Compute button pressed meanwhile did nothing)
            self._refresh()
        if self.data is None:
            return None
        row = self.data.frame.index_of(self.selected) if self.selected is not None else None
        if row is not None and self.data.frame.scored[row]:
            return self.selected
        return self.data.choice.best

    def _params(self, trial: int) -> dict[str, Any]:
        return dict(self.data.frame.trials[self.data.frame.index_of(trial)].params)

    # -- the verdict ------------------------------------------------------------------

    def diagnosis(self, with_curves: bool = False) -> Any:
        """The core diagnosis of the current trial (None, or a sentence, if there is none),
        with the learning and validation curves computed for it."""
        from ...core.diagnostics.summary import DiagnosisError, diagnose

        trial = self.current_trial()
        if self.data is None or trial is None:
            return None
        curves = [c for (n, _), c in self.fit_view.computed.items() if n == trial]
        try:
            return diagnose(self.spec, self.trials, trial, frame=self.data.frame,
                            baseline=self.baseline,
                            learning=self.learning_view.computed.get(trial),
                            validation=curves[-1] if curves else None,
                            with_curves=with_curves, choice=self.data.choice)
        except DiagnosisError as exc:
            return str(exc)

    def _update_verdict(self) -> None:
        d = self.diagnosis()
        if d is None:
            failed = self.data is not None and self.data.choice.best is None
            self.verdict.setText(
                "Every trial of this study failed so far: see the reasons in the table's "
                "State column." if failed else "Run a study to see its diagnosis here.")
            self.choice.setText("")
            return
        if isinstance(d, str):
            self.verdict.setText(html.escape(d))
            return
        colour = VERDICT_COLOURS.get(d.verdict.verdict, "#333333")
        warnings = "".join(f"<br><b style='color:#a33b00'>⚠ {html.escape(note)}</b>"
                           for note in d.notes if note.startswith("Suspiciously perfect"))
        self.verdict.setText(
            f"<span style='font-size:12pt'><b>Trial {d.trial}: "
            f"<span style='color:{colour}'>{d.verdict.verdict}</span></b></span> — "
            f"{html.escape(d.verdict.evidence)} <b>{html.escape(d.verdict.advice)}</b>"
            f"{warnings}")
        c = d.choice
        frame = self.data.frame
        scoring = self.spec.scoring
        best_score = shown(scoring, frame.mean_test[frame.index_of(c.best)])
        se_score = shown(scoring, frame.mean_test[frame.index_of(c.one_se)])
        text = (f"<span style='color:#D55E00'>★</span> Best: trial {c.best} "
                f"({best_score}) &nbsp; <span style='color:#009E73'>◆</span> "
                f"One-standard-error choice: trial {c.one_se} ({se_score})")
        if c.within_noise:
            text += (f" &nbsp; · the runner-up (trial {c.runner_up}) is within noise of the "
                     "best")
        self.choice.setText(text)
        self.choice.setToolTip(c.explanation)

    # -- background work --------------------------------------------------------------

    def _context(self) -> Any:
        key, spec = self.key(), self.spec
        return lambda: self._contexts.get(key, spec)

    def _start(self, kind: str, work: Any, done: Any, view: StudyView | None = None) -> None:
        progress = getattr(view, "progress", None)

        def show_progress(value: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(value)

        def hide_progress() -> None:
            if progress is not None:
                progress.setVisible(False)

        def finish(result: Any) -> None:
            done(result)
            if view is not None:
                view.note.setText(view.explanation)
                self._redraw(view)

        def fail(message: str) -> None:
            note = view.note if view is not None else self.importance_view.note
            note.setText(message)

        if not self.jobs.start(kind, work, finish, fail,
                               show_progress if progress is not None else None,
                               hide_progress):
            return
        if progress is not None:
            progress.setValue(0)
            progress.setVisible(True)

    def _maybe_start_summary(self) -> None:
        """Importance and the floor: once there are scored trials, and again when their
        number grew by a quarter."""
        if self.data is None or self.data.choice.best is None or self.jobs.running("summary"):
            return
        if self._importance_at and len(self.data.frame) < IMPORTANCE_GROWTH * \
                self._importance_at:
            return
        # Counted when started (reset when the study changes): a failing job is not
        # retried until the trials grew, and one outrun by new trials is run again.
        self._importance_at = len(self.data.frame)

        def done(result: Any) -> None:
            importance, baseline, _, data_notes = result
            self.baseline = baseline
            self.data_notes = data_notes
            self.fit_view.baseline = baseline
            self.importance_view.importance = importance
            self._redraw(self.importance_view)
            self._update_verdict()

        contexts = self._contexts
        self._start("summary", summary_work(self.spec, self.data.frame, self._context(),
                                            lambda: contexts.notes), done)

    def compute_validation_curve(self, name: str | None) -> None:
        from ...core.diagnostics.curves import dimension_for, validation_values

        trial = self.current_trial()
        if trial is None or not name:
            return
        if name not in self.spec.space.names:
            self.fit_view.note.setText(f"{name} is not a setting of this study.")
            return
        params = self._params(trial)
        dimension = self.spec.space[name]
        if dimension.when is not None and not dimension.when.holds(params):
            self.fit_view.note.setText(
                f"{name} has no effect on trial {trial} (it applies only when "
                f"{dimension.when.describe()}); "
                "choose another setting or another trial.")
            return
        values = validation_values(dimension_for(self.spec, name), params.get(name))

        def done(curve: Any) -> None:
            self.fit_view.add_curve(trial, curve)
            self._update_verdict()

        self._start("validation", validation_work(self.spec, params, name, values,
                                                  self._context()), done, self.fit_view)

    def compute_learning_curve(self) -> None:
        trial = self.current_trial()
        if trial is None:
            return

        def done(curve: Any) -> None:
            self.learning_view.add_curve(trial, curve)
            self._update_verdict()

        self._start("learning", learning_work(self._params(trial), self._context()), done,
                    self.learning_view)

    def compute_predictions(self) -> None:
        """The selected trial's out-of-fold predictions, for the errors view."""
        trial = self.current_trial()
        if trial is None or self.project is None or self.spec is None:
            return
        self._start("predictions", predictions_work(self.project, self.spec.name, trial),
                    self.errors_view.add_predictions, self.errors_view)

    def read_kept_predictions(self, trial: int) -> None:
        """Show the predictions kept in the project for ``trial`` (the best trial's are
        made when the window runs a study), read off the GUI thread; never a fit."""
        if self.project is None or self.spec is None:
            return
        project, name = self.project, self.spec.name

        def work(should_stop: Any, progress: Any) -> Any:
            from ...core import engine

            return engine.stored_predictions(project, name, trial)

        def done(kept: Any) -> None:
            if kept is not None and kept.trial not in self.errors_view.computed:
                self.errors_view.add_predictions(kept)

        self.jobs.start(f"kept {trial}", work, done)

    def inspect_trial(self) -> None:
        trial = self.current_trial()
        if trial is None:
            return
        self._start("inspect", inspect_work(self.spec, self._params(trial)),
                    lambda result: self.inspector.add_facts(trial, *result), self.inspector)

    def compute_regularization_path(self) -> None:
        from ...core.diagnostics.curves import dimension_for, validation_values
        from ...core.diagnostics.regularization import is_linear

        trial = self.current_trial()
        name = is_linear(self.spec.model) if self.spec is not None else None
        if trial is None or name is None:
            return
        params = self._params(trial)
        values = validation_values(dimension_for(self.spec, name), params.get(name), points=13)
        self._start("path", path_work(params, name, values, self._context()),
                    lambda result: self.inspector.add_path(trial, *result), self.inspector)

    def shutdown(self) -> None:
        """Stop background work (the window is closing)."""
        self.jobs.shutdown()


def _built_from(data: StudyData | None, spec: StudySpec | None,
                trials: list[TrialRecord]) -> bool:
    """Whether ``data`` was built from exactly ``trials`` of ``spec`` (the same records,
    not a list read before a trial streamed in)."""
    if data is None or spec is None or data.spec is not spec:
        return False
    built = data.frame.trials
    return len(built) == len(trials) > 0 and built[0] is trials[0] and built[-1] is trials[-1]
