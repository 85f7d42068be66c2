"""Render the main window in its key states to PNG, offscreen, for the README and review.

    python -m hpt_gui.ui.screenshots OUT_DIR

States: the start page, data loaded, models chosen, search settings with the cost, a
search running on two workers, the results of the finished search, each diagnostics
view (curves computed in the workers), the two models compared, the predict dialog with
its predictions written, a page of the guide, and a table with probable leakage.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def _wait(app, condition, timeout: float = 1200.0) -> None:  # a busy machine is slow
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the state to capture")
        app.processEvents()
        time.sleep(0.02)


DEFAULT_SIZE = (1400, 900)


def render(out: Path, size: tuple[int, int] = DEFAULT_SIZE) -> list[Path]:
    """Drive a window of ``size`` (width, height) through the states and save one PNG per
    state; the sizes an analyst's screens have (1280x800, 1920x1080) are checked too."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from .app import make_app, prepare_window_process
    from .main_window import MainWindow

    app = make_app()
    prepare_window_process(app)  # the diagnostics jobs run on threads, as in the window
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Path(tmp) / "Churn study.hpt", settings=settings)
        window.resize(*size)
        window.show()

        def shot(name: str) -> None:
            for _ in range(5):
                app.processEvents()
            path = out / f"{name}.png"
            window.grab().save(str(path))
            saved.append(path)

        shot("1-start")
        window.load_data("demo:breast_cancer")
        shot("2-data")
        window.space_editor.select_models(["RandomForestClassifier", "LogisticRegression"])
        window.show_step(1)
        shot("3-models")
        panel = window.settings_panel
        panel.strategy.setCurrentIndex(panel.strategy.findData("tpe"))
        panel.trials.setValue(24)
        panel.test_size.setValue(20)  # the chosen trial is scored once on 20 % held out
        panel.jobs.setValue(2)
        window.show_step(2)
        shot("4-search")
        window.run_studies()
        _wait(app, lambda: window.queue.running is not None and window.queue.running.done >= 6)
        shot("5-running")
        _wait(app, lambda: all(e.state in ("finished", "failed") for e in window.queue.entries))
        window.show_step(4)
        results = window.results
        forest = [n for n in results.studies() if n.startswith("RandomForest")]
        # the forest: a wide training/validation gap, read against the study's evidence
        results.study_combo.setCurrentIndex(results.study_combo.findText(forest[0]))
        _wait(app, lambda: results.diagnostics.baseline is not None
              and results.diagnostics.jobs.idle())
        from ..core.records import best_trial

        chosen = best_trial(results._studies[forest[0]][1])
        if chosen is not None:  # the verdict on the forest's best trial
            results.table.select_trial(chosen.number)
        shot("6-results")
        _diagnostics(app, window, shot)
        window.show_step(5)
        focused = app.focusWidget()
        if focused is not None:  # no text cursor blinking in the width box
            focused.clearFocus()
        shot("18-compare")
        _predict(app, window, out, saved)
        _guide(app, window, out, saved)
        panel.strategy.setCurrentIndex(panel.strategy.findData("halving"))
        panel.test_size.setValue(0)
        panel.nested.setValue(5)
        window.show_step(2)
        shot("17-search-halving-nested")
        window.load_data(str(_leaky_table(Path(tmp))))
        window.show_step(0)
        shot("22-data-leakage")
        window.close()
    return saved


def _leaky_table(folder: Path) -> Path:
    """Diabetes with a row number (with gaps) and the log of the target: both set aside."""
    import numpy as np
    from sklearn.datasets import load_diabetes

    frame = load_diabetes(as_frame=True).frame.rename(columns={"target": "progression"})
    rng = np.random.default_rng(0)
    frame.insert(0, "row", np.sort(rng.choice(np.arange(1, 2 * len(frame)), len(frame),
                                              replace=False)))
    # before the target, which stays the last column (the one the data step suggests)
    frame.insert(len(frame.columns) - 1, "log_progression", np.log(frame["progression"]))
    path = folder / "patients.csv"
    frame.to_csv(path, index=False)
    return path


def _diagnostics(app, window, shot) -> None:
    """Each diagnostics view with real data; the curves computed in the workers."""
    results = window.results
    panel = results.diagnostics
    forest = [n for n in results.studies() if n.startswith("RandomForest")]
    results.study_combo.setCurrentIndex(results.study_combo.findText(forest[0]))
    _wait(app, lambda: panel.importance_view.importance is not None and panel.jobs.idle())
    panel.compute_learning_curve()
    _wait(app, lambda: panel.jobs.idle())
    names = {
        "Fold scores": "7-fold-scores", "All scores": "8-all-scores", "By value": "9-by-value",
        "Under/overfit": "10-underfit-overfit", "Learning curve": "11-learning-curve",
        "History": "12-history", "Score vs setting": "13-score-vs-setting",
        "Parallel": "14-parallel", "Importance": "15-importance",
    }
    for tab, name in names.items():
        panel.tabs.setCurrentWidget(panel.views[tab])
        if tab == "Under/overfit":
            view = panel.fit_view
            view.param.setCurrentIndex(view.param.findData("max_depth"))
            panel.compute_validation_curve("max_depth")
            _wait(app, lambda: panel.jobs.idle())
        shot(name)
    # How it errs: the forest's chosen trial, its predictions fitted on the study's folds
    panel.tabs.setCurrentWidget(panel.errors_view)
    panel.compute_predictions()
    _wait(app, lambda: panel.jobs.idle())
    if not panel.errors_view.computed:
        raise RuntimeError(f"no predictions: {panel.errors_view.note.text()}")
    shot("23-how-it-errs")
    view = panel.errors_view
    view.kind.setCurrentIndex(view.kind.findData("threshold"))
    view.cost_fn.setText("5")  # a missed case costs five false alarms
    view.cost_fn.editingFinished.emit()
    shot("24-decision-threshold")
    linear = [n for n in results.studies() if n.startswith("LogisticRegression")]
    if linear:
        results.study_combo.setCurrentIndex(results.study_combo.findText(linear[0]))
        _wait(app, lambda: panel.data is not None and panel.jobs.idle())
        panel.tabs.setCurrentWidget(panel.inspector)
        # an l1 trial shows the path's dropped inputs (coefficients set to exactly zero)
        trials = results._studies[linear[0]][1]
        sparse = [t for t in trials if t.params.get("penalty") == "l1" and t.mean_test_score]
        if sparse:
            results.table.select_trial(max(sparse, key=lambda t: t.mean_test_score).number)
        panel.inspect_trial()
        _wait(app, lambda: panel.jobs.idle())
        panel.compute_regularization_path()
        _wait(app, lambda: panel.jobs.idle())
        shot("16-model-inspector")


def _predict(app, window, out: Path, saved: list[Path]) -> None:
    """Predict on new data: the shown study's chosen trial on the demo rows, written."""
    window.show_step(4)
    window.results.predict_button.click()
    dialog = window._predict_dialog
    dialog.demo_button.click()
    _wait(app, dialog.ready)
    dialog.write_button.click()
    _wait(app, lambda: not dialog.busy() and not dialog.open_button.isHidden())
    for _ in range(5):
        app.processEvents()
    path = out / "19-predict.png"
    dialog.grab().save(str(path))
    saved.append(path)
    dialog.close()


def _guide(app, window, out: Path, saved: list[Path]) -> None:
    """Help > Guide at the section on overfitting, whose links open the user's curves."""
    window.show_guide("bias-variance")
    for _ in range(5):
        app.processEvents()
    path = out / "20-guide.png"
    window._guide.grab().save(str(path))
    saved.append(path)
    bar = window._guide.browser.verticalScrollBar()
    bar.setValue(bar.maximum())  # the end of the page: the links to the user's own views
    for _ in range(5):
        app.processEvents()
    path = out / "21-guide-see-it.png"
    window._guide.grab().save(str(path))
    saved.append(path)
    window._guide.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m hpt_gui.ui.screenshots [FOLDER] [WIDTHxHEIGHT]``"""
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path("screenshots")
    size = tuple(int(n) for n in argv[1].lower().split("x")) if len(argv) > 1 else DEFAULT_SIZE
    for path in render(out, size):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
