"""The 'How it errs' view: out-of-fold predictions computed from the panel, drawn as a
confusion matrix (equal to scikit-learn's on cross_val_predict), curves, the threshold
and the residuals, with a sentence for what a model cannot show."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from hpt_gui.core import engine  # noqa: E402
from hpt_gui.core.runner import run_study  # noqa: E402
from hpt_gui.core.study import plan_study  # noqa: E402
from hpt_gui.ui.plots.panel import DiagnosticsPanel  # noqa: E402


def _panel(qtbot, project, name):
    row, trials = engine.read_study(project, name)
    panel = DiagnosticsPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 750)
    panel.show()
    panel.set_study(row.spec, trials, project=project)
    view = panel.errors_view
    panel.tabs.setCurrentWidget(view)
    return panel, view, row.spec


def _compute(qtbot, panel, view):
    assert "not computed yet" in view.status.text()
    view.compute.click()
    qtbot.waitUntil(lambda: panel.jobs.idle() and bool(view.computed), timeout=120_000)
    return view.computed[panel.current_trial()]


def test_a_classifier_s_errors_equal_scikit_learn_s(qtbot, tmp_path):
    from sklearn.metrics import confusion_matrix

    project = tmp_path / "p.hpt"
    run_study(plan_study(data="demo:breast_cancer", target="target",
                         model="LogisticRegression", strategy="random", trials=2, cv=3,
                         name="logit"), project)
    panel, view, spec = _panel(qtbot, project, "logit")
    predictions = _compute(qtbot, panel, view)
    kept = predictions.fold >= 0
    expected = confusion_matrix(predictions.actual[kept], predictions.predicted[kept],
                                labels=range(len(predictions.classes)))
    assert view.kind.currentData() == "confusion"
    assert np.array_equal(view._cells.counts, expected)
    assert "precision" in view.status.text()  # the per-class table
    rows = view.list_cell(1, 0)  # true class 1 predicted 0: the misses
    assert len(rows) == expected[1, 0] and "rows" in view.status.text()
    for kind in ("roc", "pr", "calibration", "inputs", "threshold"):
        view.kind.setCurrentIndex(view.kind.findData(kind))
        assert "Traceback" not in view.status.text()
    assert "costs" in view.status.text()  # the threshold's sentence
    view.cost_fn.setText("-3")
    view.cost_fn.editingFinished.emit()
    assert "zero or more" in view.status.text()
    # kept in the project: a new panel reads them without a fit
    again = engine.stored_predictions(project, "logit", predictions.trial)
    assert again == predictions


def test_a_regressor_s_residuals(qtbot, tmp_path):
    project = tmp_path / "p.hpt"
    run_study(plan_study(data="demo:diabetes", target="target", model="Ridge",
                         strategy="random", trials=2, cv=3, name="ridge"), project)
    panel, view, spec = _panel(qtbot, project, "ridge")
    predictions = _compute(qtbot, panel, view)
    assert [view.kind.itemData(i) for i in range(view.kind.count())] == [
        "actual", "residuals", "histogram", "inputs"]
    view.kind.setCurrentIndex(view.kind.findData("inputs"))
    assert "rise of the score" not in view.status.text() and "shuffled" in view.status.text()
    means = predictions.importance.mean(axis=1)
    top = predictions.importance_columns[int(np.argmax(means))]
    ticks = view.plot.getPlotItem().getAxis("left")._tickLevels[0]
    assert max(ticks)[1] == top  # the most used input is the top bar
    for kind in ("actual", "residuals", "histogram"):
        view.kind.setCurrentIndex(view.kind.findData(kind))
        assert "RMSE" in view.status.text() and "Largest errors" in view.status.text()
    residual = predictions.actual - predictions.predicted
    worst = int(np.nanargmax(np.abs(residual)))
    assert f"row {worst} " in view.status.text()


def test_a_changed_data_file_is_a_sentence_and_nothing_is_drawn(qtbot, tmp_path):
    from sklearn.datasets import load_iris

    data = tmp_path / "flowers.csv"
    load_iris(as_frame=True).frame.to_csv(data, index=False)
    project = tmp_path / "p.hpt"
    run_study(plan_study(data=str(data), target="target", model="DecisionTreeClassifier",
                         strategy="random", trials=2, cv=3, name="tree"), project)
    data.write_text(data.read_text().replace("5.1", "9.9"))  # edited since the study ran
    panel, view, _ = _panel(qtbot, project, "tree")
    view.compute.click()
    qtbot.waitUntil(lambda: panel.jobs.idle(), timeout=60_000)
    assert not view.computed and "changed" in view.note.text()
    assert "Traceback" not in view.note.text()


def test_the_window_keeps_the_best_trial_s_predictions_and_the_view_reads_them(
        qtbot, tmp_path):
    """After a run the window fits the best trial once per fold and keeps its predictions;
    the How it errs view shows them without a Compute (and without a fit)."""
    from hpt_gui.core.request import StudyRequest
    from hpt_gui.ui.worker import StudyWorker

    project = tmp_path / "p.hpt"
    worker = StudyWorker()
    ended = []
    worker.finished.connect(lambda name, result: ended.append(result))
    worker.run(StudyRequest(name="tree", data="demo:iris", target="target",
                            model="DecisionTreeClassifier", project=project,
                            strategy="random", trials=3, cv=3, jobs=1))
    assert ended and ended[0].best is not None
    kept = engine.stored_predictions(project, "tree", ended[0].best.number)
    assert kept is not None and kept.importance is not None
    panel, view, _ = _panel(qtbot, project, "tree")
    qtbot.waitUntil(lambda: ended[0].best.number in view.computed, timeout=30_000)
    assert view.computed[ended[0].best.number] == kept
    assert view._cells is not None  # the confusion matrix is drawn
