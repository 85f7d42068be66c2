"""The series behind the error views equal scikit-learn's own functions on real tables."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import datasets, metrics
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from hpt_gui.core.diagnostics import errors


def _oof(loader, method="predict_proba"):
    X, y = loader(return_X_y=True)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = cross_val_predict(model, X, y, cv=folds, method=method)
    predicted = cross_val_predict(model, X, y, cv=folds)
    return y, predicted, scores, np.unique(y)


@pytest.fixture(scope="module")
def binary():
    return _oof(datasets.load_breast_cancer)


@pytest.fixture(scope="module")
def multiclass():
    return _oof(datasets.load_wine)


def test_the_confusion_matrix_and_per_class_scores_are_sklearns(binary, multiclass):
    for y, predicted, _, labels in (binary, multiclass):
        c = errors.confusion(y, predicted, labels)
        assert np.array_equal(c.counts, metrics.confusion_matrix(y, predicted, labels=labels))
        assert np.allclose(c.shares, metrics.confusion_matrix(y, predicted, labels=labels,
                                                              normalize="true"))
        p, r, f, s = metrics.precision_recall_fscore_support(y, predicted, labels=labels,
                                                             zero_division=0)
        scores = errors.per_class(y, predicted, labels)
        assert [x.recall for x in scores] == list(r) and [x.support for x in scores] == list(s)
        assert [x.precision for x in scores] == list(p) and [x.f1 for x in scores] == list(f)
        true, guessed = labels[0], labels[-1]
        cell = c.rows_in(y, predicted, true, guessed)
        assert len(cell) == c.counts[0, -1] and all(y[cell] == true)


def test_roc_and_precision_recall_curves_are_sklearns(binary, multiclass):
    y, _, proba, labels = binary
    (roc,) = errors.roc_curves(y, proba, labels)
    fpr, tpr, _ = metrics.roc_curve(y, proba[:, 1])
    assert np.array_equal(roc.x, fpr) and np.array_equal(roc.y, tpr)
    assert roc.area == metrics.roc_auc_score(y, proba[:, 1])
    (pr,) = errors.pr_curves(y, proba, labels)
    precision, recall, _ = metrics.precision_recall_curve(y, proba[:, 1])
    assert np.array_equal(pr.x, recall) and np.array_equal(pr.y, precision)
    assert pr.area == metrics.average_precision_score(y, proba[:, 1])
    y, _, proba, labels = multiclass
    curves = errors.roc_curves(y, proba, labels)
    assert [c.label for c in curves] == list(labels)
    assert np.mean([c.area for c in curves]) == pytest.approx(
        metrics.roc_auc_score(y, proba, multi_class="ovr"), abs=1e-12)


def test_calibration_and_brier_are_sklearns(binary, multiclass):
    from sklearn.calibration import calibration_curve

    y, _, proba, labels = binary
    c = errors.calibration(y, proba, labels)
    observed, predicted = calibration_curve(y == labels[1], proba[:, 1], n_bins=10)
    ((label, ours_predicted, ours_observed),) = c.curves
    assert label == labels[1]
    assert np.array_equal(ours_observed, observed) and np.array_equal(ours_predicted, predicted)
    assert c.brier == metrics.brier_score_loss(y, proba[:, 1])
    y, _, proba, labels = multiclass
    c = errors.calibration(y, proba, labels)
    by_hand = np.mean([sum((proba[i, k] - (y[i] == labels[k])) ** 2 for k in range(3))
                       for i in range(len(y))])
    assert c.brier == pytest.approx(by_hand, abs=1e-12)
    with pytest.raises(errors.ErrorViewError, match="scores, not probabilities"):
        errors.calibration(y, proba * 3 - 1, labels)
    with pytest.raises(errors.ErrorViewError, match="classes only"):
        errors.roc_curves(y, None, labels)


def test_the_threshold_costs_count_each_split_as_sklearn_predicts_at_it(binary):
    y, _, proba, labels = binary
    t = errors.threshold_costs(y, proba, labels, cost_fp="1", cost_fn="5")
    for k in (1, 7, len(t.thresholds) // 2, len(t.thresholds) - 1):
        called = proba[:, 1] >= t.thresholds[k]  # FixedThresholdClassifier's rule
        truth = y == labels[1]
        fp, fn = np.sum(called & ~truth), np.sum(~called & truth)
        assert t.cost[k] == pytest.approx((1 * fp + 5 * fn) / len(y), abs=1e-12)
        assert t.recall[k] == pytest.approx(metrics.recall_score(truth, called), abs=1e-12)
        assert t.precision[k] == pytest.approx(
            metrics.precision_score(truth, called, zero_division=1), abs=1e-12)
    assert t.best_cost == t.cost.min() and t.best_cost <= t.default_cost
    expensive_misses = errors.threshold_costs(y, proba, labels, 1, 50)
    assert expensive_misses.best <= t.best  # costly misses push the threshold down
    for bad, words in (("-1", "zero or more"), ("ten", "must be a number"),
                       ("nan", "zero or more"), ("inf", "zero or more")):
        with pytest.raises(errors.ErrorViewError, match=words):
            errors.threshold_costs(y, proba, labels, bad, 1)
    assert errors.check_cost("2,5", "false positive") == 2.5


def test_residuals_leave_out_rows_without_a_prediction_and_list_the_largest():
    X, y = datasets.load_diabetes(return_X_y=True)
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold

    predicted = cross_val_predict(Ridge(), X, y, cv=KFold(5, shuffle=True, random_state=0))
    predicted[:3] = np.nan  # rows never in a validation fold (a time-series first block)
    r = errors.residuals(y, predicted, largest=5)
    assert len(r.rows) == len(y) - 3 and r.rows[0] == 3
    assert np.allclose(r.residuals, y[3:] - predicted[3:])
    assert r.rmse == pytest.approx(metrics.root_mean_squared_error(y[3:], predicted[3:]))
    assert r.mae == pytest.approx(metrics.mean_absolute_error(y[3:], predicted[3:]))
    errors_abs = np.abs(y - predicted)
    errors_abs[:3] = -1
    assert list(r.largest) == list(np.argsort(-errors_abs, kind="stable")[:5])
