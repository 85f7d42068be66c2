"""How a model errs, from its out-of-fold predictions: the series behind the confusion
matrix, the ROC, precision-recall and calibration curves, the decision threshold and the
residuals.

Plain arrays in, frozen series out, each computed by scikit-learn's own function where
one exists (so the numbers are the ones an analyst would get from it), and each carrying
the data rows behind its points where a click should list them. Costs and thresholds the
analyst types are checked here, so the window and the command line refuse them with the
same sentence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

CALIBRATION_BINS = 10
LARGEST_ERRORS = 20


class ErrorViewError(ValueError):
    """A question these views cannot answer, as one plain sentence."""


# -- classification ----------------------------------------------------------------------


@dataclass(frozen=True)
class Confusion:
    """Counts with rows = the true class and columns = the predicted class, as
    ``sklearn.metrics.confusion_matrix``; ``shares`` each row divided by its total."""

    labels: tuple[Any, ...]
    counts: np.ndarray
    shares: np.ndarray

    def rows_in(self, actual: np.ndarray, predicted: np.ndarray, true: Any,
                guessed: Any) -> np.ndarray:
        """The data rows of one cell (positions in ``actual``)."""
        return np.flatnonzero((actual == true) & (predicted == guessed))


def confusion(actual: Sequence[Any], predicted: Sequence[Any],
              labels: Sequence[Any] | None = None) -> Confusion:
    from sklearn.metrics import confusion_matrix

    actual, predicted = np.asarray(actual), np.asarray(predicted)
    if labels is None:
        labels = np.unique(np.concatenate([actual, predicted]))
    counts = confusion_matrix(actual, predicted, labels=list(labels))
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, counts / np.maximum(totals, 1), 0.0)
    return Confusion(tuple(labels), counts, shares)


@dataclass(frozen=True)
class ClassScores:
    label: Any
    precision: float
    recall: float
    f1: float
    support: int


def per_class(actual: Sequence[Any], predicted: Sequence[Any],
              labels: Sequence[Any]) -> tuple[ClassScores, ...]:
    """Precision, recall, F1 and support of each class (``zero_division=0``, as the
    classification report shows a class never predicted)."""
    from sklearn.metrics import precision_recall_fscore_support

    precision, recall, f1, support = precision_recall_fscore_support(
        actual, predicted, labels=list(labels), zero_division=0)
    return tuple(ClassScores(label, float(p), float(r), float(f), int(s))
                 for label, p, r, f, s in zip(labels, precision, recall, f1, support,
                                              strict=True))


@dataclass(frozen=True)
class Curve:
    """One class's curve against the rest: x, y, the thresholds, and its area."""

    label: Any
    x: np.ndarray
    y: np.ndarray
    thresholds: np.ndarray
    area: float


def _scores_for(scores: np.ndarray, labels: Sequence[Any]) -> list[tuple[Any, np.ndarray]]:
    """(class, its score per row) for each class a curve is drawn of: for two classes
    the second (scikit-learn's positive class) alone, else each against the rest."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 1:  # a decision function of a binary model
        if len(labels) != 2:
            raise ErrorViewError("One score per row can only rank two classes.")
        return [(labels[1], scores)]
    if scores.shape[1] != len(labels):
        raise ErrorViewError(
            f"The model gave {scores.shape[1]} scores per row for {len(labels)} classes.")
    if len(labels) == 2:
        return [(labels[1], scores[:, 1])]
    return [(label, scores[:, k]) for k, label in enumerate(labels)]


def _need_scores(scores: Any, what: str) -> np.ndarray:
    if scores is None:
        raise ErrorViewError(
            f"This model gives classes only, no probabilities or scores, so it has no "
            f"{what}. Choose a model that has them (logistic regression, a forest, "
            "boosting), or read its confusion matrix.")
    return np.asarray(scores, dtype=float)


def roc_curves(actual: Sequence[Any], scores: Any, labels: Sequence[Any]) -> tuple[Curve, ...]:
    """ROC curves (false-positive rate, true-positive rate) with their areas, as
    ``roc_curve`` and ``roc_auc_score`` give them; one per class against the rest when
    there are more than two."""
    from sklearn.metrics import roc_auc_score, roc_curve

    actual = np.asarray(actual)
    curves = []
    for label, column in _scores_for(_need_scores(scores, "ROC curve"), labels):
        truth = actual == label
        if truth.all() or not truth.any():
            continue  # a class alone in every row, or in none: no curve
        fpr, tpr, thresholds = roc_curve(truth, column)
        curves.append(Curve(label, fpr, tpr, thresholds, float(roc_auc_score(truth, column))))
    return tuple(curves)


def pr_curves(actual: Sequence[Any], scores: Any, labels: Sequence[Any]) -> tuple[Curve, ...]:
    """Precision-recall curves (x = recall, y = precision) with the average precision,
    as ``precision_recall_curve`` and ``average_precision_score`` give them."""
    from sklearn.metrics import average_precision_score, precision_recall_curve

    actual = np.asarray(actual)
    curves = []
    for label, column in _scores_for(_need_scores(scores, "precision-recall curve"), labels):
        truth = actual == label
        if not truth.any():
            continue
        precision, recall, thresholds = precision_recall_curve(truth, column)
        curves.append(Curve(label, recall, precision, thresholds,
                            float(average_precision_score(truth, column))))
    return tuple(curves)


@dataclass(frozen=True)
class Calibration:
    """Per class: the mean predicted probability and the observed share of each bin (as
    ``calibration_curve`` with uniform bins), and the Brier score of the probabilities."""

    curves: tuple[tuple[Any, np.ndarray, np.ndarray], ...]  # label, predicted, observed
    brier: float


def calibration(actual: Sequence[Any], probabilities: Any, labels: Sequence[Any],
                bins: int = CALIBRATION_BINS) -> Calibration:
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss

    probabilities = _need_scores(probabilities, "calibration curve")
    if probabilities.ndim != 2 or np.any(probabilities < 0) or np.any(probabilities > 1):
        raise ErrorViewError(
            "This model gives scores, not probabilities, so its calibration cannot be "
            "drawn; its ROC curve reads the scores.")
    actual = np.asarray(actual)
    curves = []
    for label, column in _scores_for(probabilities, labels):
        truth = actual == label
        if truth.all() or not truth.any():
            continue
        observed, predicted = calibration_curve(truth, column, n_bins=bins)
        curves.append((label, predicted, observed))
    if len(labels) == 2:
        brier = brier_score_loss(actual == labels[1], probabilities[:, 1])
    else:  # the multiclass Brier score: the mean over rows of the squared distances
        onehot = actual[:, None] == np.asarray(labels)[None, :]
        brier = np.mean(np.sum((probabilities - onehot) ** 2, axis=1))
    return Calibration(tuple(curves), float(brier))


# -- the decision threshold (two classes) ------------------------------------------------


def check_cost(text: Any, which: str) -> float:
    """A cost the analyst typed, as a number, or the sentence saying what is wrong."""
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        raise ErrorViewError(f"The cost of a {which} must be a number, not '{text}'.") \
            from None
    if not math.isfinite(value) or value < 0:
        raise ErrorViewError(
            f"The cost of a {which} must be zero or more (it was {text}).")
    return value


@dataclass(frozen=True)
class Thresholds:
    """For each threshold on the positive class's score: precision, recall and the
    mean cost per row of the errors made at it; ``best`` the cheapest threshold."""

    positive: Any
    thresholds: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    cost: np.ndarray
    cost_fp: float
    cost_fn: float
    best: float
    best_cost: float
    default_cost: float  # at the model's own rule (0.5 for probabilities)


def threshold_costs(actual: Sequence[Any], scores: Any, labels: Sequence[Any],
                    cost_fp: Any, cost_fn: Any, default: float = 0.5) -> Thresholds:
    """A row is called positive when its score is at least the threshold (scikit-learn's
    rule); the thresholds tried are the distinct scores, so every possible split counts."""
    if len(labels) != 2:
        raise ErrorViewError("A decision threshold is chosen for two classes only.")
    cost_fp, cost_fn = check_cost(cost_fp, "false positive"), check_cost(cost_fn,
                                                                          "false negative")
    ((positive, column),) = _scores_for(_need_scores(scores, "decision threshold"), labels)
    truth = np.asarray(actual) == positive
    order = np.argsort(-column, kind="stable")
    ranked, hits = column[order], truth[order]
    # one threshold per distinct score, from the highest; above all of them, nothing is positive
    last = np.r_[np.flatnonzero(np.diff(ranked) != 0), len(ranked) - 1]
    thresholds = np.r_[np.inf, ranked[last]]
    true_pos = np.r_[0, np.cumsum(hits)[last]]
    called = np.r_[0, last + 1]
    false_pos = called - true_pos
    false_neg = truth.sum() - true_pos
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(called > 0, true_pos / np.maximum(called, 1), 1.0)
        recall = true_pos / truth.sum() if truth.any() else np.zeros(len(called))
    cost = (cost_fp * false_pos + cost_fn * false_neg) / len(truth)
    best = int(np.argmin(cost))  # the first cheapest: the highest threshold among equals
    at_default = (column >= default)
    default_cost = (cost_fp * np.sum(at_default & ~truth)
                    + cost_fn * np.sum(~at_default & truth)) / len(truth)
    return Thresholds(positive, thresholds, precision, recall, cost, cost_fp, cost_fn,
                      float(thresholds[best]), float(cost[best]), float(default_cost))


# -- regression ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Residuals:
    """actual - predicted for each row with a prediction, and the largest errors."""

    rows: np.ndarray
    actual: np.ndarray
    predicted: np.ndarray
    residuals: np.ndarray
    largest: tuple[int, ...]  # rows, largest absolute error first

    @property
    def rmse(self) -> float:
        return float(np.sqrt(np.mean(self.residuals ** 2)))

    @property
    def mae(self) -> float:
        return float(np.mean(np.abs(self.residuals)))


def residuals(actual: Sequence[float], predicted: Sequence[float],
              rows: Sequence[int] | None = None, largest: int = LARGEST_ERRORS) -> Residuals:
    """Rows whose prediction is missing (never in a validation fold) are left out."""
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    rows = np.arange(len(actual)) if rows is None else np.asarray(rows)
    kept = np.isfinite(predicted) & np.isfinite(actual)
    actual, predicted, rows = actual[kept], predicted[kept], rows[kept]
    errors = actual - predicted
    worst = np.argsort(-np.abs(errors), kind="stable")[:largest]
    return Residuals(rows, actual, predicted, errors, tuple(int(rows[i]) for i in worst))
