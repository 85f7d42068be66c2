"""The report's section on how the chosen trial errs, from its out-of-fold predictions.

The numbers come from ``assess`` (pooled metrics, per-class scores, input importance) and
``diagnostics.errors`` (confusion matrix with row shares, the largest residuals), so the
report says what the window's "How it errs" view and ``hpt-gui assess`` say; this module
only words them as HTML. Everything from the user's data (class labels, column names,
the predictions' note) is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from .assess import assess
from .diagnostics import errors
from .format import number
from .predictions import Predictions, is_current
from .records import TrialRecord
from .score_words import metric_words
from .spec import StudySpec

HEADING = "How the chosen trial errs (out-of-fold predictions)"
LARGEST_ERRORS = 10

# scikit-learn's scorer names (assess's keys), each with what it means in plain words
METRIC_LABELS = {
    "accuracy": "share of rows whose class is predicted right",
    "balanced_accuracy": "recall averaged over the classes (each class counts the same)",
    "f1_macro": "F1 averaged over the classes (each class counts the same)",
    "roc_auc": "area under the ROC curve (0.5 is chance, 1 is perfect)",
    "roc_auc_ovr": "area under the ROC curves, each class against the rest, averaged",
    "log_loss": "log loss of the class probabilities (lower is better)",
    "r2": "R²: share of the target's variance the predictions explain (1 is perfect)",
    "rmse": "root mean squared error, in the target's units (lower is better)",
    "mae": "mean absolute error, in the target's units (lower is better)",
    "mape": "mean absolute percentage error, as a fraction (lower is better)",
}


def usable_predictions(predictions: Predictions | None, spec: StudySpec,
                       trials: Sequence[TrialRecord], trial: int | None) -> Predictions | None:
    """``predictions`` when they are of the reported trial as it ran on the study's data
    (else None, and the section says how to get them)."""
    if predictions is None or trial is None:
        return None
    record = next((t for t in trials if t.number == trial), None)
    if record is None or predictions.study != spec.name:
        return None
    return predictions if is_current(predictions, spec, record) else None


def errors_section(spec: StudySpec, predictions: Predictions | None,
                   trial: int | None) -> str:
    """The section's HTML: the tables when ``predictions`` (already checked with
    ``usable_predictions``) are given, else one line on how to get them."""
    if predictions is None:
        return "\n".join([f"<h2>{_e(HEADING)}</h2>", f"<p>{_e(missing_note(spec, trial))}</p>"])
    assessment = assess(predictions)
    lines = [f"<h2>{_e(HEADING)}</h2>",
             f"<p>Trial {predictions.trial}: each of {assessment.rows:,} rows predicted by "
             "the model fitted on the study's other folds (same splits, parameters and "
             "seed).</p>",
             _metrics_table(assessment.metrics)]
    if predictions.classify:
        lines += _classification(predictions)
    else:
        lines += _largest_errors(predictions)
    lines += _importance(spec, assessment.importance)
    if predictions.note:
        lines.append(f"<p>{_e(predictions.note)}</p>")
    return "\n".join(lines)


def missing_note(spec: StudySpec, trial: int | None) -> str:
    which = f" of trial {trial}" if trial is not None else ""
    option = f" --trial {trial}" if trial is not None else ""
    return (f"The out-of-fold predictions{which} are not kept in the project, so how it errs "
            "(confusion matrix, per-class scores or residuals, input importance) is not "
            "shown: compute them in the window's \"How it errs\" tab, or with `hpt-gui "
            f"assess --project PROJECT --study {spec.name}{option}`, then write the report "
            "again.")


# --------------------------------------------------------------------------- tables


def _metrics_table(metrics: dict[str, float | None]) -> str:
    rows = [f'<tr><td><code>{_e(name)}</code></td><td>{_e(METRIC_LABELS.get(name, ""))}</td>'
            f'{_num(value)}</tr>' for name, value in metrics.items()]
    return "\n".join(['<table class="oof-metrics">',
                      "<tr><th>Metric (scikit-learn's name)</th><th>What it says</th>"
                      "<th>Pooled over the rows</th></tr>", *rows, "</table>"])


def _classification(p: Predictions) -> list[str]:
    kept = p.has_prediction
    index = list(range(len(p.classes)))
    c = errors.confusion(np.asarray(p.actual)[kept], np.asarray(p.predicted)[kept], index)
    names = [str(label) for label in p.classes]
    header = "".join(f"<th>{_e(name)}</th>" for name in names)
    lines = ["<h3>Confusion matrix</h3>", '<table class="confusion">',
             f"<tr><th>True class \\ predicted</th>{header}</tr>"]
    for true, name in enumerate(names):
        cells = "".join(
            f'<td class="num" data-count="{c.counts[true, guessed]}">'
            f"{c.counts[true, guessed]:,}<br><small>{100 * c.shares[true, guessed]:.1f} %"
            "</small></td>" for guessed in index)
        lines.append(f"<tr><th>{_e(name)}</th>{cells}</tr>")
    lines += ["</table>",
              "<p>Rows: the true class; columns: the predicted class; each cell gives the "
              "count of rows and their share of the true class's rows (each row adds up to "
              "100 %).</p>",
              "<h3>Per class</h3>", '<table class="per-class">',
              "<tr><th>Class</th><th>Precision</th><th>Recall</th><th>F1</th>"
              "<th>Support (rows)</th></tr>"]
    for s in errors.per_class(np.asarray(p.actual)[kept], np.asarray(p.predicted)[kept],
                              index):
        lines.append(f"<tr><td>{_e(names[s.label])}</td>{_num(s.precision)}"
                     f"{_num(s.recall)}{_num(s.f1)}<td class=\"num\">{s.support:,}</td></tr>")
    lines.append("</table>")
    return lines


def _largest_errors(p: Predictions) -> list[str]:
    r = errors.residuals(p.actual, p.predicted, np.arange(p.rows), largest=LARGEST_ERRORS)
    lines = [f"<h3>The {min(LARGEST_ERRORS, len(r.largest))} largest errors</h3>",
             '<table class="largest-errors">',
             "<tr><th>Row</th><th>Actual</th><th>Predicted</th>"
             "<th>Error (actual − predicted)</th></tr>"]
    for row in r.largest:
        actual, predicted = float(p.actual[row]), float(p.predicted[row])
        lines.append(f'<tr><td class="num">{row}</td>{_num(actual)}{_num(predicted)}'
                     f"{_num(actual - predicted)}</tr>")
    lines += ["</table>", "<p>Rows are 0-based, in the data file's order.</p>"]
    return lines


def _importance(spec: StudySpec, importance: dict[str, dict[str, float]]) -> list[str]:
    if not importance:
        return []
    change = "rise" if spec.scoring.startswith("neg_") else "drop"  # an error grows
    lines = ["<h3>Which inputs it leans on</h3>", '<table class="input-importance">',
             f"<tr><th>Input column</th><th>{_e(change.capitalize())} in "
             f"{_e(metric_words(spec.scoring))} when shuffled (mean ± std)</th></tr>"]
    for name, value in sorted(importance.items(), key=lambda kv: -kv[1]["mean"]):
        lines.append(f"<tr><td>{_e(name)}</td><td class=\"num\" "
                     f"data-value=\"{value['mean']!r}\">{_e(number(value['mean']))} ± "
                     f"{_e(number(value['std']))}</td></tr>")
    lines += ["</table>",
              "<p>Permutation importance: each column shuffled in each split's validation "
              "rows, in the original columns' terms; the spread is over the splits and "
              "shuffles.</p>"]
    return lines


def _num(value: float | None) -> str:
    if value is None:
        return '<td class="num">n/a</td>'
    return f'<td class="num" data-value="{float(value)!r}">{_e(number(value))}</td>'


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


__all__ = ["HEADING", "METRIC_LABELS", "errors_section", "missing_note", "usable_predictions"]
