"""check_scoring refuses, with a sentence, metrics that would fail or mislead every trial.

Each refusal rule was checked against scikit-learn (cross_validate with that scorer);
``test_refusals_match_what_scikit_learn_does`` keeps a few of those checks.
"""

import re
import warnings

import numpy as np
import pytest

from hpt_gui.core.evaluate import CLUSTERING, ScoringError, check_scoring

CLS = "classification"
REG = "regression"

Y01 = np.array([0, 1] * 10, dtype=np.int64)
Y_PM1 = np.array([-1, 1] * 10, dtype=np.int64)
Y12 = np.array([1, 2] * 10, dtype=np.int64)
Y02 = np.array([0, 2] * 10, dtype=np.int64)
Y_BOOL = np.array([False, True] * 10)
Y_TF_TEXT = np.array(["False", "True"] * 10, dtype=object)  # how the dataset gives True/False
Y_YESNO = np.array(["no", "yes"] * 10, dtype=object)
Y_01_TEXT = np.array(["0", "1"] * 10, dtype=object)
Y_MULTI = np.array([0, 1, 2] * 10, dtype=np.int64)
Y_MULTI_TEXT = np.array(["a", "b", "c"] * 10, dtype=object)
Y_REG = np.linspace(-3.0, 7.0, 30)
Y_POSITIVE = np.linspace(0.5, 7.0, 30)


def _refused(scoring, task, y=None):
    with pytest.raises(ScoringError) as info:
        check_scoring(scoring, task, y)
    message = str(info.value)
    assert message.endswith((".", "?")) and "\n" not in message
    assert f"'{scoring}'" in message
    return message


def _suggested(message):
    return re.findall(r"'([a-z0-9_]+)'", message.split(";", 1)[1])


@pytest.mark.parametrize(
    "scoring, task, y",
    [
        ("accuracy", CLS, Y01), ("accuracy", CLS, Y_MULTI_TEXT), ("accuracy", CLS, None),
        ("balanced_accuracy", CLS, Y_MULTI), ("balanced_accuracy", CLS, Y_YESNO),
        ("f1_macro", CLS, Y_MULTI), ("f1_macro", CLS, Y_YESNO), ("f1_weighted", CLS, Y_TF_TEXT),
        ("roc_auc_ovr", CLS, Y_MULTI), ("roc_auc_ovr", CLS, Y01),
        ("roc_auc", CLS, Y01), ("roc_auc", CLS, Y_YESNO),
        ("f1", CLS, Y01), ("f1", CLS, Y_PM1), ("f1", CLS, Y12), ("f1", CLS, Y_BOOL),
        ("precision", CLS, Y01), ("recall", CLS, Y_BOOL), ("jaccard", CLS, Y_PM1),
        ("average_precision", CLS, Y01), ("average_precision", CLS, Y_MULTI),
        ("neg_brier_score", CLS, Y01), ("neg_brier_score", CLS, Y02),
        ("neg_brier_score", CLS, Y_MULTI_TEXT), ("d2_brier_score", CLS, Y12),
        ("neg_log_loss", CLS, Y_YESNO), ("d2_log_loss_score", CLS, Y_MULTI_TEXT),
        ("positive_likelihood_ratio", CLS, Y_YESNO), ("neg_negative_likelihood_ratio", CLS, Y01),
        ("matthews_corrcoef", CLS, Y_MULTI), ("top_k_accuracy", CLS, Y_MULTI),
        ("r2", REG, Y_REG), ("r2", REG, None), ("neg_root_mean_squared_error", REG, Y_REG),
        ("neg_mean_absolute_error", REG, Y_REG), ("d2_absolute_error_score", REG, Y_REG),
        ("neg_max_error", REG, Y_REG), ("neg_mean_absolute_percentage_error", REG, Y_REG),
        ("neg_mean_gamma_deviance", REG, Y_POSITIVE),
        ("neg_mean_poisson_deviance", REG, np.arange(30.0)),
        ("neg_mean_squared_log_error", REG, np.linspace(-0.5, 3, 30)),
    ],
)
def test_metrics_that_work_pass(scoring, task, y):
    check_scoring(scoring, task, y)


def test_unknown_metric_suggests_close_names():
    assert "Did you mean" in _refused("acuracy", CLS)
    with pytest.raises(ScoringError, match="Unknown metric"):
        check_scoring(None, CLS)


@pytest.mark.parametrize("scoring", sorted(CLUSTERING))
@pytest.mark.parametrize("task, y", [(CLS, Y01), (CLS, None), (REG, Y_REG)])
def test_clustering_metrics_are_refused(scoring, task, y):
    message = _refused(scoring, task, y)
    assert "clusterings" in message
    assert ("'r2'" in message) == (task == REG)


@pytest.mark.parametrize("scoring", ["d2_log_loss_score", "d2_brier_score"])
def test_d2_probability_scores_are_classification_metrics(scoring):
    check_scoring(scoring, CLS, Y01)
    assert "is for classification" in _refused(scoring, REG, Y_REG)


@pytest.mark.parametrize(
    "scoring, task",
    [
        ("positive_likelihood_ratio", REG), ("neg_negative_likelihood_ratio", REG),
        ("roc_auc_ovr", REG), ("accuracy", REG), ("neg_log_loss", REG),
        ("r2", CLS), ("neg_root_mean_squared_error", CLS), ("d2_absolute_error_score", CLS),
        ("neg_max_error", CLS), ("explained_variance", CLS),
    ],
)
def test_metrics_of_the_other_task_are_refused(scoring, task):
    other = REG if task == CLS else CLS
    assert f"is for {other}, but this is a {task} task" in _refused(scoring, task)


@pytest.mark.parametrize("base", ["f1", "precision", "recall", "jaccard"])
def test_samples_metrics_are_refused(base):
    message = _refused(f"{base}_samples", CLS, Y01)
    assert _suggested(message) == [f"{base}_macro", f"{base}_weighted"]
    _refused(f"{base}_samples", CLS)  # even without the target


@pytest.mark.parametrize(
    "scoring, instead",
    [
        ("roc_auc", "roc_auc_ovr"), ("f1", "f1_macro"), ("precision", "precision_macro"),
        ("recall", "recall_macro"), ("jaccard", "jaccard_macro"),
        ("positive_likelihood_ratio", "balanced_accuracy"),
        ("neg_negative_likelihood_ratio", "balanced_accuracy"),
    ],
)
@pytest.mark.parametrize("y", [Y_MULTI, Y_MULTI_TEXT])
def test_binary_only_metrics_are_refused_on_more_than_two_classes(scoring, instead, y):
    message = _refused(scoring, CLS, y)
    assert "only with two classes, but the target has 3" in message
    assert instead in _suggested(message)
    for name in _suggested(message):
        check_scoring(name, CLS, y)


@pytest.mark.parametrize("scoring", ["f1", "precision", "recall", "jaccard", "average_precision"])
@pytest.mark.parametrize("y", [Y_TF_TEXT, Y_YESNO, Y_01_TEXT, Y02])
def test_label_one_metrics_are_refused_when_no_class_is_1(scoring, y):
    message = _refused(scoring, CLS, y)
    assert "labelled 1" in message and "recode the target as 0 and 1" in message
    for name in _suggested(message):
        check_scoring(name, CLS, y)


def test_the_true_false_target_message_names_its_classes():
    message = _refused("f1", CLS, Y_TF_TEXT)
    assert "'False' and 'True'" in message and "'f1_macro'" in message


@pytest.mark.parametrize(
    "scoring, instead", [("neg_brier_score", "neg_log_loss"),
                         ("d2_brier_score", "d2_log_loss_score")]
)
@pytest.mark.parametrize("y", [Y_TF_TEXT, Y_YESNO, Y_01_TEXT])
def test_brier_scores_are_refused_on_two_text_classes(scoring, instead, y):
    message = _refused(scoring, CLS, y)
    assert "numeric class labels" in message and _suggested(message)[0] == instead
    check_scoring(instead, CLS, y)


@pytest.mark.parametrize(
    "scoring, y, wording",
    [
        ("neg_mean_gamma_deviance", np.linspace(0, 5, 30), "above 0"),
        ("neg_mean_poisson_deviance", Y_REG, "of at least 0"),
        ("neg_mean_squared_log_error", np.linspace(-1, 5, 30), "above -1"),
        ("neg_root_mean_squared_log_error", Y_REG, "above -1"),
    ],
)
def test_regression_metrics_outside_their_target_range_are_refused(scoring, y, wording):
    message = _refused(scoring, REG, y)
    assert f"needs target values {wording}" in message
    for name in _suggested(message):
        check_scoring(name, REG, y)


@pytest.mark.parametrize(
    "scoring, y, refused",
    [
        ("f1", Y_TF_TEXT, True), ("f1", Y12, False), ("roc_auc", Y_MULTI, True),
        ("roc_auc", Y_YESNO, False), ("neg_brier_score", Y_YESNO, True),
        ("neg_brier_score", Y_MULTI_TEXT, False), ("positive_likelihood_ratio", Y_YESNO, False),
    ],
)
def test_refusals_match_what_scikit_learn_does(scoring, y, refused):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_validate

    X = np.random.default_rng(0).normal(size=(len(y), 3)) + np.unique(y, return_inverse=True)[1][
        :, None
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            cross_validate(LogisticRegression(), X, y, scoring=scoring, error_score="raise",
                           cv=StratifiedKFold(3, shuffle=True, random_state=0))
            fails = False
        except ValueError:
            fails = True
    assert fails == refused
    if refused:
        _refused(scoring, CLS, y)
    else:
        check_scoring(scoring, CLS, y)


def test_a_metric_the_model_cannot_feed_is_refused(tmp_path):
    from hpt_gui.core.evaluate import ScoringError
    from hpt_gui.core.study import plan_study

    with pytest.raises(ScoringError, match="SVC gives no class probabilities.*neg_log_loss"):
        plan_study(data="demo:iris", target="target", model="SVC", scoring="neg_log_loss",
                   name="s")
    plan_study(data="demo:breast_cancer", target="target", model="SVC", scoring="roc_auc",
               name="s")  # a decision function is enough for binary ROC AUC
