"""The report's section on how the chosen trial errs: its numbers are scikit-learn's on the
out-of-fold predictions, the user's labels and column names are escaped, a report without
predictions says how to get them, and `hpt-gui report` uses the kept ones."""

import html
import re

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics

from hpt_gui.cli import main
from hpt_gui.core import engine
from hpt_gui.core.diagnostics.summary import diagnose
from hpt_gui.core.records import best_trial
from hpt_gui.core.report import render_report
from hpt_gui.core.report_errors import HEADING
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import Categorical, SearchSpace
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import plan_study

EVIL_CLASSES = ('<b>"yes" & no</b>', "<i>it's</i>")
EVIL_COLUMN = '<td>x & "y"</td>'


def _run(folder, name, frame, model, space):
    data = folder / f"{name}.csv"
    frame.to_csv(data, index=False)
    plan = plan_study(data=data, target="y", model=model, space=space, strategy="grid", cv=3,
                      name=name)
    project = folder / f"{name}.hpt"
    run_study(plan, project, jobs=1)
    with ProjectStore(project) as store:
        trials = store.trials(name)
    return project, plan.spec, trials


@pytest.fixture(scope="module")
def binary(tmp_path_factory):
    """Two classes with hostile labels and a hostile column name; (project, spec, trials)."""
    rng = np.random.default_rng(0)
    n = 90
    frame = pd.DataFrame({EVIL_COLUMN: rng.normal(size=n), "z": rng.normal(size=n)})
    frame["y"] = np.where(frame[EVIL_COLUMN] + rng.normal(size=n) > 0, *EVIL_CLASSES)
    return _run(tmp_path_factory.mktemp("binary"), "binary", frame, "LogisticRegression",
                SearchSpace((Categorical("C", (0.1, 1.0)),)))


def _regression(folder):
    rng = np.random.default_rng(1)
    n = 80
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    frame["y"] = 3 * frame["a"] - frame["b"] + rng.normal(size=n)
    return _run(folder, "reg", frame, "DecisionTreeRegressor",
                SearchSpace((Categorical("max_depth", (2, 3)),)))


@pytest.fixture(scope="module")
def regression(tmp_path_factory):
    return _regression(tmp_path_factory.mktemp("regression"))


def _report(study, predictions=None):
    _, spec, trials = study
    return render_report(spec, trials, diagnose(spec, trials), predictions=predictions)


def _values(text, css):
    """The exact numbers (``data-value``) of a table's cells, row by row."""
    table = re.search(rf'<table class="{css}">(.*?)</table>', text, re.S).group(1)
    return [[float(v) for v in re.findall(r'data-value="([^"]+)"', row)]
            for row in table.split("</tr>") if "data-value" in row]


def _metrics(text):
    table = re.search(r'<table class="oof-metrics">(.*?)</table>', text, re.S).group(1)
    return {name: float(value) for name, value in
            re.findall(r'<code>(\w+)</code>.*?data-value="([^"]+)"', table)}


def test_binary_section_equals_sklearn(binary):
    project, spec, trials = binary
    p = engine.predictions(project, spec.name)
    text = _report(binary, p)
    assert f"<h2>{html.escape(HEADING)}</h2>" in text
    y_true, y_pred = p.actual_values(), p.predicted_values()
    labels = list(p.classes)
    found = _metrics(text)
    proba = p.scores[:, 1]
    expected = {
        "accuracy": metrics.accuracy_score(y_true, y_pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(y_true, y_pred),
        "f1_macro": metrics.f1_score(y_true, y_pred, average="macro"),
        "roc_auc": metrics.roc_auc_score(y_true == labels[1], proba),
        "log_loss": metrics.log_loss(y_true, p.scores, labels=labels),
    }
    assert found.keys() == expected.keys()
    for name, value in expected.items():
        assert found[name] == pytest.approx(value, abs=1e-12), name
    matrix = re.search(r'<table class="confusion">(.*?)</table>', text, re.S).group(1)
    counts = [[int(c) for c in re.findall(r'data-count="(\d+)"', row)]
              for row in matrix.split("</tr>") if "data-count" in row]
    assert counts == metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist()
    precision, recall, f1, _ = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0)
    assert np.allclose(_values(text, "per-class"), np.c_[precision, recall, f1], atol=1e-12)
    assert "input-importance" in text and "Permutation importance" in text


def test_hostile_labels_and_columns_are_escaped(binary):
    project, spec, _ = binary
    text = _report(binary, engine.predictions(project, spec.name))
    for raw in (*EVIL_CLASSES, EVIL_COLUMN):
        assert html.escape(raw, quote=True) in text
    assert "<b>" not in text and "<i>" not in text and '<td>x &' not in text


def test_regression_section_equals_sklearn(regression):
    project, spec, _ = regression
    p = engine.predictions(project, spec.name)
    text = _report(regression, p)
    found = _metrics(text)
    assert found["rmse"] == pytest.approx(
        metrics.root_mean_squared_error(p.actual, p.predicted), abs=1e-12)
    assert found["mae"] == pytest.approx(
        metrics.mean_absolute_error(p.actual, p.predicted), abs=1e-12)
    assert found["r2"] == pytest.approx(metrics.r2_score(p.actual, p.predicted), abs=1e-12)
    table = re.search(r'<table class="largest-errors">(.*?)</table>', text, re.S).group(1)
    rows = [int(r) for r in re.findall(r'<tr><td class="num">(\d+)</td>', table)]
    worst = np.argsort(-np.abs(p.actual - p.predicted), kind="stable")[:10]
    assert rows == worst.tolist()
    assert "confusion" not in text


def test_without_predictions_the_report_says_how_to_get_them(binary, regression):
    _, spec, trials = binary
    text = _report(binary)
    assert f"<h2>{html.escape(HEADING)}</h2>" in text
    assert "not kept in the project" in text and "hpt-gui assess" in text
    assert "oof-metrics" not in text
    # predictions of another trial than the reported one are not shown as its
    project, spec, trials = regression
    best = best_trial(trials).number
    other = next(t.number for t in trials if t.number != best)
    text = _report(regression, engine.predictions(project, spec.name, other))
    assert "oof-metrics" not in text and f"of trial {best} are not kept" in text


def test_cli_report_uses_the_kept_predictions(tmp_path, capsys):
    project, spec, trials = _regression(tmp_path)  # its own project: nothing kept yet
    best = best_trial(trials).number
    out = tmp_path / "r.html"
    base = ["report", "--project", str(project), "--study", spec.name, "--out", str(out)]
    engine.predictions(project, spec.name)  # kept for the best trial
    assert main(base) == 0
    text = out.read_text(encoding="utf-8")
    assert "oof-metrics" in text and "largest-errors" in text
    try:  # the pictures come from the window's plotting code, when it is installed
        import hpt_gui.ui.plots.render  # noqa: F401
    except ImportError:
        return
    assert f'alt="How trial {best} errs: Predicted against actual"' in text
    assert "pictures could not be drawn" not in text
    other = next(t.number for t in trials if t.number != best)
    assert main([*base, "--trial", str(other)]) == 0  # nothing kept: the note, no fit
    text = out.read_text(encoding="utf-8")
    assert "oof-metrics" not in text and f"of trial {other} are not kept" in text
