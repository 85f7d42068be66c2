"""How a trial's model errs, read from its out-of-fold predictions: the usual metrics of
its task pooled over every validated row, the confusion matrix and per-class scores, and
which input columns it leans on.

Everything is computed with scikit-learn's own functions on the predictions
(``predictions.Predictions``), so the numbers are the ones an analyst would get from
``cross_val_predict`` and ``sklearn.metrics``; the metric names are scikit-learn's scorer
names (without the ``neg_`` of errors: ``rmse`` and ``mae`` are the errors themselves).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .jsonable import Json, jsonable
from .predictions import PROBABILITY, Predictions


@dataclass(frozen=True)
class Assessment:
    """The pooled out-of-fold view of one trial (see ``assess``)."""

    study: str
    trial: int
    task: str
    metrics: dict[str, float | None]
    confusion_matrix: dict[str, Any] | None = None  # {labels, counts}, rows = true class
    per_class: dict[str, dict[str, float | int]] | None = None  # by label (as text)
    importance: dict[str, dict[str, float]] = field(default_factory=dict)  # by column
    rows: int = 0  # rows with a prediction
    note: str = ""

    def to_json(self) -> dict[str, Json]:
        out: dict[str, Any] = {"task": self.task, "trial": self.trial, "study": self.study,
                               "rows": self.rows, "metrics": self.metrics}
        if self.confusion_matrix is not None:
            out["confusion_matrix"] = self.confusion_matrix
            out["per_class"] = self.per_class
        out["importance"] = self.importance
        out["note"] = self.note
        return jsonable(out)


def assess(predictions: Predictions) -> Assessment:
    """The metrics, the confusion matrix and per-class scores (classification), and the
    permutation importance of each input column (mean and population std over every
    split and permutation), from ``predictions``. A metric that is not defined on them
    (ROC AUC with one class present, MAPE with a zero actual, log loss without
    probabilities) is left out."""
    seen = predictions.has_prediction
    importance = _importance(predictions)
    if predictions.classify:
        metrics, matrix, per_class = _classification(predictions, seen)
        return Assessment(predictions.study, predictions.trial, predictions.task, metrics,
                          matrix, per_class, importance, int(seen.sum()), predictions.note)
    return Assessment(predictions.study, predictions.trial, predictions.task,
                      _regression(predictions, seen), None, None, importance,
                      int(seen.sum()), predictions.note)


def _classification(p: Predictions, seen: np.ndarray
                    ) -> tuple[dict[str, float | None], dict[str, Any], dict[str, Any]]:
    from sklearn import metrics as m

    labels = np.asarray(p.classes)
    y_true, y_pred = labels[p.actual[seen]], labels[p.predicted[seen]]
    found: dict[str, float | None] = {
        "accuracy": _metric(lambda: m.accuracy_score(y_true, y_pred)),
        "balanced_accuracy": _metric(lambda: m.balanced_accuracy_score(y_true, y_pred)),
        "f1_macro": _metric(lambda: m.f1_score(y_true, y_pred, average="macro")),
    }
    scores = p.scores[seen] if p.scores is not None else None
    if scores is not None and len(labels) == 2:
        positive = scores[:, -1]  # the second class: its probability or decision score
        found["roc_auc"] = _metric(lambda: m.roc_auc_score(y_true, positive))
    elif scores is not None and p.score_kind == PROBABILITY:
        found["roc_auc_ovr"] = _metric(
            lambda: m.roc_auc_score(y_true, scores, multi_class="ovr", labels=labels))
    if scores is not None and p.score_kind == PROBABILITY:
        found["log_loss"] = _metric(lambda: m.log_loss(y_true, scores, labels=labels))
    counts = m.confusion_matrix(y_true, y_pred, labels=labels)
    matrix = {"labels": jsonable(list(p.classes)), "counts": counts.tolist()}
    precision, recall, f1, support = m.precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0)
    per_class = {str(label): {"precision": float(precision[i]), "recall": float(recall[i]),
                              "f1": float(f1[i]), "support": int(support[i])}
                 for i, label in enumerate(p.classes)}
    return {k: v for k, v in found.items() if v is not None}, matrix, per_class


def _regression(p: Predictions, seen: np.ndarray) -> dict[str, float | None]:
    from sklearn import metrics as m

    y_true, y_pred = p.actual[seen], p.predicted[seen]
    found = {
        "r2": _metric(lambda: m.r2_score(y_true, y_pred)),
        "rmse": _metric(lambda: m.root_mean_squared_error(y_true, y_pred)),
        "mae": _metric(lambda: m.mean_absolute_error(y_true, y_pred)),
    }
    if len(y_true) and not np.any(y_true == 0):  # MAPE divides by the actual values
        found["mape"] = _metric(lambda: m.mean_absolute_percentage_error(y_true, y_pred))
    return {k: v for k, v in found.items() if v is not None}


def _metric(compute: Callable[[], Any]) -> float | None:
    """The metric, or None where scikit-learn finds it undefined (it raises, or gives
    NaN); its warnings (a class never predicted) are not the user's to read here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = float(compute())
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _importance(p: Predictions) -> dict[str, dict[str, float]]:
    if p.importance is None:
        return {}
    return {column: {"mean": float(np.mean(row)), "std": float(np.std(row))}
            for column, row in zip(p.importance_columns, p.importance, strict=True)}


__all__ = ["Assessment", "assess"]
