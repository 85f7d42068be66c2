"""The diagnostics beside the trial table: the verdict, the best and one-standard-error
trials, and every view in tabs, all linked to one selected trial.

New trials arrive while a study runs; the views are redrawn at most twice a second so
the window stays responsive however fast trials finish.
"""

from __future__ import annotations

import html
import os
import threading
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.format import number
from . import all_views
from .base import StudyData, StudyView, study_data
from .curves import FitCurveView, LearningCurveView
from .inspector import InspectorView
from .jobs import BackgroundJob
from .search import ImportanceView

REDRAW_MS = 500


class DiagnosticsPanel(QWidget):
    """Verdict + views; emits ``trial_clicked`` when a point is clicked in any view."""

    trial_clicked = Signal(int)
    report_requested = Signal()
    choice_changed = Signal(object, object)  # best, one-standard-error choice (or None)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec: Any = None
        self.trials: list[Any] = []
        self.data: StudyData | None = None
        self.selected: int | None = None
        self.baseline: float | None = None
        self._context: Any = None
        self._context_lock = threading.Lock()
        self._jobs: list[BackgroundJob] = []
        self.verdict = QLabel("Run a study to see its diagnosis here.")
        self.verdict.setWordWrap(True)
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
        self._update_buttons()

    # -- the study --------------------------------------------------------------------

    def set_study(self, spec: Any, trials: list[Any]) -> None:
        changed = spec is None or self.spec is None or spec.name != self.spec.name
        self.spec, self.trials = spec, list(trials)
        if changed:
            self.selected, self.baseline, self._context = None, None, None
            self.fit_view.computed, self.learning_view.computed = {}, {}
            self.inspector.facts, self.inspector.paths = {}, {}
            self.importance_view.importance = None
        self._refresh()
        if spec is not None and self.trials:
            self._start_study_job()

    def add_trial(self, trial: Any) -> None:
        """A trial finished: redraw soon (at most every REDRAW_MS)."""
        self.trials.append(trial)
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _refresh(self) -> None:
        self.data = study_data(self.spec, self.trials) if self.spec is not None and \
            self.trials else None
        self._stale = set(self.views.values())
        self._draw_current()
        self._update_verdict()
        self._update_buttons()
        choice = self.data.choice if self.data is not None else None
        self.choice_changed.emit(choice.best if choice else None,
                                 choice.one_se if choice else None)

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

    # -- selection --------------------------------------------------------------------

    def select(self, number_: int | None) -> None:
        """Mark ``number_`` in every view (the table told us, or a view did)."""
        if number_ == self.selected:
            return
        self.selected = number_
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
        if self.data is None:
            return None
        if self.selected is not None and self.data.frame.index_of(self.selected) is not None:
            return self.selected
        return self.data.choice.best

    # -- the verdict ------------------------------------------------------------------

    def diagnosis(self) -> Any:
        """The core diagnosis of the current trial, with the learning curve if computed."""
        from ...core.diagnostics.summary import DiagnosisError, diagnose

        trial = self.current_trial()
        if self.data is None or trial is None:
            return None
        try:
            return diagnose(self.spec, self.trials, trial, frame=self.data.frame,
                            baseline=self.baseline,
                            learning=self.learning_view.computed.get(trial),
                            with_curves=False)
        except DiagnosisError as exc:
            return str(exc)

    def _update_verdict(self) -> None:
        d = self.diagnosis()
        if d is None:
            self.verdict.setText("Run a study to see its diagnosis here.")
            self.choice.setText("")
            return
        if isinstance(d, str):
            self.verdict.setText(html.escape(d))
            return
        colour = {"overfitting": "#8a2b62", "underfitting": "#7a5200"}.get(d.verdict.verdict,
                                                                          "#005a8c")
        self.verdict.setText(
            f"<span style='font-size:12pt'><b>Trial {d.trial}: "
            f"<span style='color:{colour}'>{d.verdict.verdict}</span></b></span> — "
            f"{html.escape(d.verdict.evidence)} <b>{html.escape(d.verdict.advice)}</b>")
        c = d.choice
        frame = self.data.frame
        best_score = frame.mean_test[frame.index_of(c.best)]
        se_score = frame.mean_test[frame.index_of(c.one_se)]
        text = (f"<span style='color:#D55E00'>★</span> Best: trial {c.best} "
                f"({number(best_score)}) &nbsp; <span style='color:#009E73'>◆</span> "
                f"One-standard-error choice: trial {c.one_se} ({number(se_score)})")
        if c.within_noise:
            text += (f" &nbsp; · the runner-up (trial {c.runner_up}) is within noise of the "
                     "best")
        self.choice.setText(text)
        self.choice.setToolTip(c.explanation)

    # -- background work --------------------------------------------------------------

    def _context_for(self, spec: Any) -> Any:
        from ...core.diagnostics.curves import context_for_spec

        with self._context_lock:
            if self._context is None or self._context[0] != spec.name:
                self._context = (spec.name, context_for_spec(spec))
            return self._context[1]

    def _run(self, work: Any, done: Any, view: Any = None) -> BackgroundJob:
        job = BackgroundJob(work, self)
        progress = getattr(view, "progress", None)
        if progress is not None:
            progress.setVisible(True)
            progress.setValue(0)
            job.progressed.connect(lambda d, t: (progress.setMaximum(max(t, 1)),
                                                 progress.setValue(d)))

        def finish(result: Any) -> None:
            if progress is not None:
                progress.setVisible(False)
            done(result)
            if view is not None:
                self._redraw(view)

        def fail(message: str) -> None:
            if progress is not None:
                progress.setVisible(False)
            if view is not None:
                view.note.setText(message)

        job.finished.connect(finish)
        job.failed.connect(fail)
        job.finished.connect(lambda _: self._forget(job))
        job.failed.connect(lambda _: self._forget(job))
        self._jobs.append(job)
        job.start()
        return job

    def _forget(self, job: BackgroundJob) -> None:
        if job in self._jobs:
            self._jobs.remove(job)

    def _start_study_job(self) -> None:
        from ...core.diagnostics.baseline import baseline_score
        from ...core.diagnostics.importance import param_importance

        spec, frame = self.spec, self.data.frame if self.data else None
        if frame is None:
            return

        def work(should_stop: Any, progress: Any) -> Any:
            importance = param_importance(frame, spec.space, seed=spec.seed)
            try:
                baseline = baseline_score(self._context_for(spec))
            except Exception:  # data moved or changed: the verdict does without the floor
                baseline = None
            return spec.name, importance, baseline

        def done(result: Any) -> None:
            name, importance, baseline = result
            if self.spec is None or name != self.spec.name:
                return
            self.baseline = baseline
            self.fit_view.baseline = baseline
            self.importance_view.importance = importance
            self._redraw(self.importance_view)
            self._update_verdict()

        self._run(work, done)

    def compute_validation_curve(self, name: str | None) -> None:
        from ...core.diagnostics.curves import (
            dimension_for,
            validation_curve,
            validation_values,
        )
        from ...core.executor import make_executor

        trial, spec = self.current_trial(), self.spec
        if trial is None or not name:
            return
        params = dict(self.data.params[self.data.frame.index_of(trial)])
        if name not in spec.space.names:
            self.fit_view.note.setText(f"{name} is not a setting of this study.")
            return
        values = validation_values(dimension_for(spec, name), params.get(name))

        def work(should_stop: Any, progress: Any) -> Any:
            context = self._context_for(spec)
            executor = make_executor(context, _jobs())
            try:
                return validation_curve(context, params, name, values, executor,
                                        should_stop=should_stop, on_progress=progress)
            finally:
                executor.shutdown(cancel=should_stop())

        self._run(work, lambda curve: self.fit_view.add_curve(trial, curve), self.fit_view)

    def compute_learning_curve(self) -> None:
        from ...core.diagnostics.curves import learning_curve
        from ...core.executor import make_executor

        trial, spec = self.current_trial(), self.spec
        if trial is None:
            return
        params = dict(self.data.params[self.data.frame.index_of(trial)])

        def work(should_stop: Any, progress: Any) -> Any:
            return learning_curve(self._context_for(spec), params,
                                  lambda c: make_executor(c, _jobs()),
                                  should_stop=should_stop, on_progress=progress)

        def done(curve: Any) -> None:
            self.learning_view.add_curve(trial, curve)
            self._update_verdict()

        self._run(work, done, self.learning_view)

    def inspect_trial(self) -> None:
        from ...core.diagnostics.inspector import hyperparameters_set, inspect_model
        from ...core.export import fit_final_pipeline, load_study_data

        trial, spec = self.current_trial(), self.spec
        if trial is None:
            return
        record = self.trials[self.data.frame.index_of(trial)]

        def work(should_stop: Any, progress: Any) -> Any:
            pipeline = fit_final_pipeline(spec, record, load_study_data(spec))
            return (hyperparameters_set(spec.model, record.params),
                    inspect_model(pipeline, spec.model))

        self._run(work, lambda result: self.inspector.add_facts(trial, *result), self.inspector)

    def compute_regularization_path(self) -> None:
        from ...core.diagnostics.curves import (
            dimension_for,
            is_linear,
            regularization_path,
            validation_curve,
            validation_values,
        )
        from ...core.executor import make_executor

        trial, spec = self.current_trial(), self.spec
        name = is_linear(spec.model) if spec is not None else None
        if trial is None or name is None:
            return
        params = dict(self.data.params[self.data.frame.index_of(trial)])
        values = validation_values(dimension_for(spec, name), params.get(name), points=13)

        def work(should_stop: Any, progress: Any) -> Any:
            context = self._context_for(spec)
            path = regularization_path(context, params, name, values, should_stop=should_stop)
            executor = make_executor(context, _jobs())
            try:
                curve = validation_curve(context, params, name, values, executor,
                                         should_stop=should_stop, on_progress=progress)
            finally:
                executor.shutdown(cancel=should_stop())
            return path, curve

        self._run(work, lambda result: self.inspector.add_path(trial, *result), self.inspector)

    def shutdown(self) -> None:
        """Stop background work (the window is closing)."""
        for job in list(self._jobs):
            job.cancel()
        for job in list(self._jobs):
            job.wait(60000)

    def _full_diagnosis(self) -> Any:
        from ...core.diagnostics.summary import diagnose

        trial = self.current_trial()
        return diagnose(self.spec, self.trials, trial, frame=self.data.frame,
                        baseline=self.baseline, learning=self.learning_view.computed.get(trial))

    def save_report(self, path: str | None = None, protect: Any = ()) -> Any:
        """Write the HTML report of the shown study (the window's 'Save report…')."""
        from ...core.report import write_report
        from .render import render_study_pictures

        d = self.diagnosis()
        if self.spec is None or d is None or isinstance(d, str):
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save report",
                                                  f"{self.spec.name}-report.html",
                                                  "HTML report (*.html)")
            if not path:
                return None
        d = self._full_diagnosis()
        pictures = render_study_pictures(self.spec, self.trials, d,
                                         importance=self.importance_view.importance)
        return write_report(self.spec, self.trials, d, path, images=pictures,
                            importance=self.importance_view.importance, protect=protect)


def _jobs() -> int:
    return max(1, os.cpu_count() or 1)
