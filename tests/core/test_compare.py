"""Comparing studies: the corrected paired t-test by hand, which folds pair, and two real
studies whose order is known."""

import json
import math
from dataclasses import replace

import numpy as np
import pytest
from sklearn.model_selection import TimeSeriesSplit

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.compare import (
    compare_studies,
    corrected_ttest,
    p_text,
    split_differences,
    validation_to_training,
)
from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.space import IntRange, SearchSpace
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import TrialRecord, TrialState

SPACE = SearchSpace((IntRange("max_depth", 1, 8),))


def _spec(name, **changes):
    spec = StudySpec(name=name, data="demo:iris", target="target",
                     model="DecisionTreeClassifier", space=SPACE, task="classification",
                     data_fingerprint="abc")
    return replace(spec, **changes) if changes else spec


def _trial(number, tests, state=TrialState.COMPLETE, depth=3):
    folds = tuple(FoldResult(number, i, score, score + 0.01, 0.5, 0.01)
                  for i, score in enumerate(tests))
    return TrialRecord(number, state, {"max_depth": depth}, folds, 0.0, 1.0)


def test_corrected_ttest_against_a_hand_computed_case():
    # 5 folds; differences d = a - b = 0.05, 0.02, 0.02, 0.01, 0.05: mean 0.03; deviations
    # 0.02, -0.01, -0.01, -0.02, 0.02: squares sum 0.0014, sample variance 0.0014/4 =
    # 0.00035. 5-fold CV: n_test/n_train = 1/(5-1) = 0.25, so the factor is 1/5 + 0.25 =
    # 0.45 and t = 0.03 / sqrt(0.45 * 0.00035) = 0.03 / 0.0125499 = 2.39046, df = 4.
    # Two-sided p for t = 2.390 on 4 df is 0.0751 (tables: t(0.975, 4) = 2.776 and
    # t(0.95, 4) = 2.132, so 0.05 < p < 0.10). The plain paired t-test would give
    # t = 0.03 / sqrt(0.00035 / 5) = 3.586, p = 0.023: "significant", too eagerly.
    a = [0.90, 0.92, 0.88, 0.91, 0.95]
    b = [0.85, 0.90, 0.86, 0.90, 0.90]
    test = corrected_ttest(a, b, 0.25)
    assert test.pairs == 5 and test.df == 4
    assert test.mean_difference == pytest.approx(0.03)
    assert test.t == pytest.approx(2.39046, abs=1e-5)
    assert test.p == pytest.approx(0.0751, abs=5e-5)
    assert 0.05 < test.p < 0.10
    assert (test.wins, test.losses, test.ties) == (5, 0, 0)
    flipped = corrected_ttest(b, a, 0.25)
    assert flipped.t == pytest.approx(-test.t) and flipped.p == pytest.approx(test.p)
    assert (flipped.wins, flipped.losses) == (0, 5)


def test_zero_variance_and_too_few_pairs():
    same = corrected_ttest([0.9, 0.8, 0.7], [0.9, 0.8, 0.7], 0.5)
    assert same.p == 1.0 and same.t == 0.0 and same.ties == 3 and not same.constant
    lead = corrected_ttest([0.9, 0.8, 0.7], [0.8, 0.7, 0.6], 0.5)
    assert lead.p == 0.0 and lead.constant and math.isinf(lead.t) and lead.wins == 3
    assert json.dumps(lead.to_json(), allow_nan=False)  # the infinite t is null
    one = corrected_ttest([0.9, float("nan")], [0.8, 0.7], 0.25)
    assert not one.tested and one.pairs == 1 and "Only 1 fold" in one.reason


def test_the_ratio_of_validation_to_training_rows():
    assert validation_to_training(_spec("a", cv=5)) == pytest.approx(1 / 4)
    repeated = _spec("r", cv=3, validation={"scheme": "repeated", "repeats": 2})
    assert validation_to_training(repeated) == pytest.approx(1 / 2)
    shuffle = _spec("s", cv=10, validation={"scheme": "shuffle", "holdout": 0.2})
    assert validation_to_training(shuffle) == pytest.approx(0.25)
    # The time-series formula H_k / k against scikit-learn's own folds (n divisible by k+1).
    for k in (2, 3, 5):
        sizes = [len(test) / len(train)
                 for train, test in TimeSeriesSplit(k).split(np.zeros(60 * (k + 1)))]
        time = _spec("t", cv=k, validation={"scheme": "time"})
        assert validation_to_training(time) == pytest.approx(np.mean(sizes))


def test_studies_with_other_folds_are_not_paired():
    assert split_differences(_spec("a"), _spec("b", model="GaussianNB")) == []
    assert split_differences(_spec("a"), _spec("b", seed=1)) == ["the seed"]
    time_a = _spec("a", validation={"scheme": "time"})
    assert split_differences(time_a, replace(time_a, seed=7)) == []  # never shuffled
    good = [0.95, 0.93, 0.97, 0.96, 0.94]
    for other in (_spec("b", seed=1), _spec("b", validation={"scheme": "repeated",
                                                              "repeats": 2})):
        result = compare_studies([(_spec("a"), [_trial(0, good)]),
                                  (other, [_trial(0, [0.5] * 5)])])
        versus = result.study("b").versus
        assert result.best == "a"
        assert versus.test is None and not versus.significant
        assert "Not paired fold by fold" in versus.sentence
        assert "cannot be tested" in result.conclusion


def test_another_metric_is_not_comparable():
    result = compare_studies([
        (_spec("a"), [_trial(0, [0.9] * 5)]),
        (_spec("b", scoring="balanced_accuracy"), [_trial(0, [0.99] * 5)]),
        (_spec("c"), [_trial(0, [0.8, 0.82, 0.79, 0.81, 0.8])]),
    ])
    assert result.best == "a" and result.scoring == "accuracy"  # two of three use accuracy
    assert result.study("b").versus.sentence == (
        "Not comparable: it is scored by balanced accuracy, the best by accuracy.")
    assert result.study("c").versus.significant


def test_a_constant_lead_and_a_study_without_scores():
    result = compare_studies([
        (_spec("a"), [_trial(0, [0.9, 0.8, 0.9, 0.8, 0.9])]),
        (_spec("b"), [_trial(0, [0.8, 0.7, 0.8, 0.7, 0.8])]),
        (_spec("c"), [_trial(0, [0.99] * 5, state=TrialState.FAIL)]),
        (_spec("d"), []),
    ])
    b = result.study("b").versus
    assert b.significant and "by the same amount on every fold" in b.sentence
    assert result.study("c").reason.startswith("None of its 1 trial completed")
    assert result.study("d").reason == "No trial has completed yet."
    assert result.study("c").versus is None
    # every fit took 0.5 s: 5 folds of the complete trial, and of the failed one too
    assert result.study("a").best_fit_time == 0.5
    assert result.study("a").total_fit_time == pytest.approx(2.5)
    assert result.study("c").total_fit_time == pytest.approx(2.5)
    assert result.study("d").total_fit_time == 0.0
    assert "c and d have no completed trial" in result.conclusion
    payload = json.loads(json.dumps(result.to_json(), allow_nan=False))
    assert payload["studies"][2]["best_mean"] is None


def test_p_values_read_plainly():
    assert p_text(0.4123) == "p = 0.41"
    assert p_text(0.0031) == "p = 0.003"
    assert p_text(0.00002) == "p < 0.001"


@pytest.fixture(scope="module")
def two_studies(tmp_path_factory):
    """A decision stump (one split: iris's three classes, at most 2/3 right) and a
    logistic regression (about 0.97), on the same 5 folds of iris."""
    project = tmp_path_factory.mktemp("compare") / "two.hpt"
    common = ["--data", "demo:iris", "--cv", "5", "--project", str(project), "--quiet"]
    assert main(["run", *common, "--model", "DecisionTreeClassifier", "--strategy", "manual",
                 "--params", '{"max_depth": 1}', "--study", "stump"]) == 0
    assert main(["run", *common, "--model", "LogisticRegression", "--strategy", "random",
                 "--trials", "3", "--study", "logistic"]) == 0
    return project


def test_compare_json_on_two_real_studies(two_studies, capsys):
    capsys.readouterr()
    assert main(["compare", "--project", str(two_studies), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {"best", "scoring", "metric", "alpha", "conclusion", "studies"} <= set(payload)
    assert payload["best"] == "logistic" and payload["alpha"] == 0.05
    stump, logistic = payload["studies"]
    assert {"name", "model", "strategy", "complete_trials", "best_trial", "best_mean",
            "best_std", "one_se_trial", "one_se_mean", "fold_scores", "best_mean_fit_time",
            "total_fit_time", "verdict", "versus_best"} <= set(stump)
    assert stump["name"] == "stump" and stump["complete_trials"] == 1
    assert len(stump["fold_scores"]) == 5 and stump["best_mean"] < 0.7
    assert logistic["best_mean"] > 0.9 and logistic["complete_trials"] == 3
    assert logistic["versus_best"]["test"] is None
    versus = stump["versus_best"]
    assert versus["significant"] and versus["test"]["p"] < 0.05
    assert versus["test"]["wins"] == 5 and versus["test"]["test_to_train"] == 0.25
    assert versus["sentence"].startswith("logistic beats stump on 5 of 5 folds")
    assert payload["conclusion"].startswith("Best: logistic (accuracy 0.9")
    assert "stump (p < 0.001) is significantly worse" in payload["conclusion"]


def test_compare_table_and_the_choice_of_studies(two_studies, capsys):
    capsys.readouterr()
    assert main(["compare", "--project", str(two_studies), "--studies", "stump"]) == 0
    out = capsys.readouterr().out
    assert "Best: stump" in out and "logistic" not in out
    assert main(["compare", "--project", str(two_studies), "--studies", "stump,nope"]) == \
        EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no study named 'nope'" in err
    assert "'stump', 'logistic'" in err


def test_compare_refuses_a_missing_project_without_making_it(tmp_path, capsys):
    missing = tmp_path / "none.hpt"
    assert main(["compare", "--project", str(missing)]) == EXIT_BAD_INPUT
    assert "does not exist" in capsys.readouterr().err and not missing.exists()
