"""Comparing studies: the corrected paired t-test and the correlated Bayesian t-test by hand
and against baycomp, the words the probabilities support, which studies pair, and two real
studies whose order is known."""

import json
import math
from dataclasses import replace

import numpy as np
import pytest
from sklearn.model_selection import TimeSeriesSplit

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.compare import (
    CERTAIN,
    PROBABLE,
    compare_studies,
    corrected_ttest,
    p_text,
    percent,
    split_differences,
    standing,
    validation_to_training,
)
from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.paired_tests import correlated_bayesian_ttest
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


def _student_t4_cdf(t):
    """The Student t distribution's CDF on 4 degrees of freedom in closed form:
    1/2 + (3/4) u (1 - u^2 / 3) with u = t / sqrt(4 + t^2)."""
    u = t / math.sqrt(4 + t * t)
    return 0.5 + 0.75 * u * (1 - u * u / 3)


def test_bayesian_ttest_against_a_hand_computed_case():
    # The folds of the t-test above: d has mean 0.03 and sample variance 0.00035; 5-fold CV
    # gives n_test/n_train = 0.25 (rho = 0.2, and rho/(1-rho) = 0.25), so the posterior of
    # the mean difference is 0.03 + 0.0125499 T with T a Student t on 4 df. With a ROPE
    # of 0.01: P(a better) = P(T > (0.01 - 0.03)/0.0125499), P(b better) = P(T < -0.04/...).
    a = [0.90, 0.92, 0.88, 0.91, 0.95]
    b = [0.85, 0.90, 0.86, 0.90, 0.90]
    test = correlated_bayesian_ttest(a, b, 0.25, rope=0.01)
    scale = math.sqrt((1 / 5 + 0.25) * 0.00035)
    a_better = 1 - _student_t4_cdf((0.01 - 0.03) / scale)
    b_better = _student_t4_cdf((-0.01 - 0.03) / scale)
    assert test.df == 4 and test.rho == pytest.approx(0.2)
    assert test.scale == pytest.approx(scale, abs=1e-12)
    assert test.probability_a_better == pytest.approx(a_better, abs=1e-9)
    assert test.probability_b_better == pytest.approx(b_better, abs=1e-9)
    assert test.probability_equivalent == pytest.approx(1 - a_better - b_better, abs=1e-9)
    assert (round(test.probability_a_better, 4), round(test.probability_equivalent, 4),
            round(test.probability_b_better, 4)) == (0.9069, 0.0765, 0.0167)
    # 95 % interval: 0.03 ± t(0.975, 4) x scale, with t(0.975, 4) = 2.776445 (tables); it
    # holds 0 exactly when the corrected t-test's p is above 0.05 (here p = 0.075).
    low, high = test.interval
    assert low == pytest.approx(0.03 - 2.776445 * scale, abs=1e-7)
    assert high == pytest.approx(0.03 + 2.776445 * scale, abs=1e-7)
    assert low < 0 < high and corrected_ttest(a, b, 0.25).p > 0.05
    # a wider ROPE moves probability into equivalence; none leaves it outside
    wide = correlated_bayesian_ttest(a, b, 0.25, rope=0.05)
    assert wide.probability_equivalent > test.probability_equivalent
    none = correlated_bayesian_ttest(a, b, 0.25, rope=0)
    assert none.probability_equivalent == 0
    assert none.probability_a_better == pytest.approx(1 - _student_t4_cdf(-0.03 / scale))
    with pytest.raises(ValueError, match="at least 0"):
        correlated_bayesian_ttest(a, b, 0.25, rope=-0.01)


def _fold_scores(model, data, cv, scoring):
    from sklearn.model_selection import cross_val_score

    X, y = data
    return cross_val_score(model, X, y, cv=cv, scoring=scoring)


def test_bayesian_ttest_agrees_with_baycomp():
    """baycomp's CorrelatedTTest (diff = y - x; probabilities (x better, rope, y better);
    ``runs`` repeats of k-fold, n_test/n_train = 1/(k - 1)) on synthetic differences and
    on real fold scores of two models, plain and repeated k-fold, to 1e-6."""
    baycomp = pytest.importorskip("baycomp")
    from sklearn.datasets import load_breast_cancer, load_diabetes
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.model_selection import KFold, RepeatedKFold, RepeatedStratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    rng = np.random.default_rng(3)
    cases = []  # (a, b, folds per run, runs, rope)
    for folds, runs, shift, spread in ((5, 1, 0.02, 0.02), (10, 1, 0.004, 0.01),
                                       (5, 3, -0.01, 0.03), (3, 2, 0.0, 0.005)):
        b = rng.uniform(0.6, 0.9, folds * runs)
        a = b + rng.normal(shift, spread, folds * runs)
        for rope in (0.01, 0.001, 0.05):
            cases.append((a, b, folds, runs, rope))
    cancer = load_breast_cancer(return_X_y=True)
    linear = make_pipeline(StandardScaler(), LogisticRegression())
    tree = DecisionTreeClassifier(max_depth=3, random_state=0)
    for cv, folds, runs in ((KFold(5, shuffle=True, random_state=0), 5, 1),
                            (RepeatedStratifiedKFold(n_splits=5, n_repeats=3,
                                                     random_state=0), 5, 3)):
        a = _fold_scores(linear, cancer, cv, "accuracy")
        b = _fold_scores(tree, cancer, cv, "accuracy")
        cases += [(a, b, folds, runs, 0.01), (b, a, folds, runs, 0.02)]
    diabetes = load_diabetes(return_X_y=True)
    cv = RepeatedKFold(n_splits=4, n_repeats=2, random_state=1)
    ridge = _fold_scores(Ridge(), diabetes, cv, "r2")
    tree = _fold_scores(DecisionTreeRegressor(max_depth=3, random_state=0), diabetes, cv,
                        "r2")
    cases += [(ridge, tree, 4, 2, 0.01), (ridge, tree, 4, 2, 0.1)]
    cases.append((np.array([0.9, 0.8, 0.7]), np.array([0.88, 0.78, 0.68]), 3, 1, 0.01))
    cases.append((np.array([0.9, 0.8, 0.7]), np.array([0.8, 0.7, 0.6]), 3, 1, 0.01))
    for a, b, folds, runs, rope in cases:
        ours = correlated_bayesian_ttest(a, b, 1 / (folds - 1), rope)
        b_better, equivalent, a_better = baycomp.CorrelatedTTest.probs(
            np.asarray(b, float), np.asarray(a, float), rope=rope, runs=runs)
        assert ours.probability_a_better == pytest.approx(a_better, abs=1e-6)
        assert ours.probability_equivalent == pytest.approx(equivalent, abs=1e-6)
        assert ours.probability_b_better == pytest.approx(b_better, abs=1e-6)
        mean, variance, df = baycomp.CorrelatedTTest.compute_statistics(
            np.asarray(b, float), np.asarray(a, float), runs)
        assert ours.df == df and ours.mean_difference == pytest.approx(mean)
        assert ours.scale == pytest.approx(math.sqrt(variance), abs=1e-12)
    # real scores, not a degenerate case: Ridge leads the tree by about 0.08 in R² on
    # diabetes; within ±0.01 that is probably a lead, within ±0.1 probably a tie
    assert correlated_bayesian_ttest(ridge, tree, 1 / 3, 0.01).probability_a_better > 0.8
    assert correlated_bayesian_ttest(ridge, tree, 1 / 3, 0.1).probability_equivalent > 0.5


def test_the_words_follow_the_probabilities():
    assert standing(CERTAIN, 0.03, 0.02) == "worse"
    assert standing(PROBABLE, 0.15, 0.05) == "probably worse"
    assert standing(0.79, 0.2, 0.01) == "unsettled"
    assert standing(0.02, CERTAIN, 0.03) == "equivalent"
    assert standing(0.1, 0.85, 0.05) == "probably equivalent"
    assert standing(0.4, 0.3, 0.3) == "unsettled"
    assert standing(0.01, 0.02, 0.97) == "better"
    assert [percent(p) for p in (1.0, 0.999, 0.97, 0.004, 0.0)] == [
        "100 %", ">99 %", "97 %", "<1 %", "0 %"]


def _regression(name, **changes):
    return _spec(name, **{"data": "demo:diabetes", "task": "regression", "scoring": "r2",
                          "model": "Ridge", **changes})


def test_a_model_that_lost_every_fold_widely_is_not_called_equivalent():
    """The issue's case: a linear model lost all five folds to a forest by 0.2 in R² on
    average, yet the corrected t-test's p is above 0.05 (five folds say little about the
    spread). That is not "not distinguishable": the forest is almost certainly better."""
    forest = [0.52, 0.47, 0.55, 0.44, 0.50]
    lost_by = [0.07, 0.11, 0.20, 0.29, 0.33]
    ridge = [f - d for f, d in zip(forest, lost_by, strict=True)]
    result = compare_studies([(_regression("forest"), [_trial(0, forest)]),
                              (_regression("ridge"), [_trial(0, ridge)])])
    versus = result.study("ridge").versus
    assert result.best == "forest"
    assert 0.05 < versus.test.p < 0.07 and not versus.significant
    assert versus.test.wins == 5 and versus.bayes.probability_a_better > CERTAIN
    assert versus.standing == "worse"
    assert versus.sentence.startswith("forest beats ridge on 5 of 5 folds, by 0.2 in R² on "
                                      "average (95 % interval -0.00823 to 0.408).")
    assert "forest is almost certainly better: 97 % chance that it leads by more than " \
        "0.01." in versus.sentence
    for text in (versus.sentence, result.conclusion):
        for wrong in ("equivalent", "distinguishable", "prefer the simpler", "same"):
            assert wrong not in text
    assert "ridge is almost certainly worse (97 % chance that forest is better by more " \
        "than 0.01)" in result.conclusion


def test_a_true_tie_is_practically_equivalent():
    first = [0.80, 0.82, 0.79, 0.81, 0.80]
    second = [s - d for s, d in zip(first, [0.001, -0.002, 0.0015, -0.001, 0.0025],
                                    strict=True)]
    result = compare_studies([(_spec("a"), [_trial(0, first)]),
                              (_spec("b"), [_trial(0, second)])])
    versus = result.study("b").versus
    assert versus.standing == "equivalent" and versus.bayes.probability_equivalent > CERTAIN
    assert "The two are practically equivalent" in versus.sentence
    assert "prefer the simpler or faster one" in versus.sentence
    assert "b is practically equivalent to it" in result.conclusion
    assert "prefer the simpler or faster one" in result.conclusion
    same = compare_studies([(_spec("a"), [_trial(0, first)]),
                            (_spec("b"), [_trial(0, first)])]).study("b").versus
    assert same.standing == "equivalent" and same.bayes.probability_equivalent == 1.0
    assert same.sentence.startswith("b scores the same as a on every fold.")
    # a narrower margin than the folds can resolve: not settled, and the sentence says how
    narrow = compare_studies([(_spec("a"), [_trial(0, first)]),
                              (_spec("b"), [_trial(0, second)])], rope=0.0005)
    versus = narrow.study("b").versus
    assert versus.standing == "unsettled"
    assert "The evidence does not settle it" in versus.sentence
    assert "Run more folds (repeated k-fold)" in versus.sentence
    assert "prefer" not in versus.sentence + narrow.conclusion


def test_error_metrics_take_the_margin_as_a_share_of_the_best_error():
    best = [-3000.0, -3100.0, -2900.0, -3050.0, -2950.0]  # mean squared error about 3,000
    close = [b - d for b, d in zip(best, [5, -10, 8, 0, 12], strict=True)]
    mse = "neg_mean_squared_error"
    result = compare_studies([(_regression("a", scoring=mse), [_trial(0, best)]),
                              (_regression("b", scoring=mse), [_trial(0, close)])])
    assert result.rope_relative and result.rope_width == pytest.approx(30.0)
    payload = json.loads(json.dumps(result.to_json(), allow_nan=False))
    versus = payload["studies"][1]["versus_best"]
    assert versus["rope"] == pytest.approx(30.0) and versus["rope_relative"] is True
    assert versus["standing"] == "equivalent"
    assert "less than ±30 (1 % of the best's mean squared error)" in versus["sentence"]
    assert versus["sentence"].startswith("a wins 3 of 5 folds, b wins 1 (1 tied), by 3 in mean "
                                         "squared error on average")


def test_studies_on_different_data_are_said_to_be_so():
    good = [0.95, 0.93, 0.97, 0.96, 0.94]
    result = compare_studies([
        (_spec("a"), [_trial(0, good)]),
        (_spec("other", data="/home/me/plants.csv", data_fingerprint="xyz"),
         [_trial(0, [0.99] * 5)]),
        (_spec("changed", data_fingerprint="def"), [_trial(0, [0.98] * 5)]),
        (_spec("target", target="kind"), [_trial(0, [0.97] * 5)]),
        (_spec("c"), [_trial(0, [0.90, 0.88, 0.93, 0.90, 0.89])]),
    ])
    assert result.best == "a"  # the largest group on the same data; higher scores elsewhere
    sentences = {s.name: s.versus.sentence for s in result.studies}
    assert sentences["other"] == (
        "Not compared: it was run on different data (its data is plants.csv, the best's "
        "demo:iris), so its scores do not rank against the best's.")
    assert "the contents of demo:iris changed between the two studies" in sentences["changed"]
    assert "it predicts 'kind', the best 'target'" in sentences["target"]
    for name in ("other", "changed", "target"):
        assert "metric" not in sentences[name]
        assert result.study(name).versus.standing == "other data"
    assert "other, changed and target were run on different data and not compared." in \
        result.conclusion
    assert result.study("c").versus.standing in ("worse", "probably worse")


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
    assert b.significant and "on all 5 folds by the same amount, 0.1 in accuracy" in b.sentence
    assert b.standing == "worse" and b.bayes.probability_a_better == 1.0
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
    assert "logistic is almost certainly better" in versus["sentence"]
    assert versus["standing"] == "worse" and versus["folds_won"] == [5, 0]
    assert versus["rope"] == 0.01 and versus["rope_relative"] is False
    low, high = versus["interval"]
    assert 0 < low < versus["mean_difference"] < high  # p < 0.05: the interval misses 0
    assert versus["mean_difference"] == pytest.approx(logistic["best_mean"]
                                                      - stump["best_mean"])
    chances = [versus[f"probability_{k}"] for k in ("best_better", "equivalent",
                                                     "other_better")]
    assert sum(chances) == pytest.approx(1) and chances[0] > CERTAIN
    assert all(logistic["versus_best"][k] is None for k in ("interval", "folds_won",
                                                            "probability_equivalent"))
    assert payload["rope"] == 0.01 and payload["rope_relative"] is False
    assert payload["conclusion"].startswith("Best: logistic (accuracy 0.9")
    assert "stump is almost certainly worse (>99 % chance that logistic is better by more " \
        "than 0.01)" in payload["conclusion"]


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


def test_compare_prints_the_chances_and_takes_a_rope(two_studies, capsys):
    capsys.readouterr()
    assert main(["compare", "--project", str(two_studies)]) == 0
    out = capsys.readouterr().out
    assert "best (± std)" in out and "best better / equivalent / this better" in out
    stump_row = next(line for line in out.splitlines() if line.startswith("stump "))
    assert stump_row.rstrip().endswith(">99 % / <1 % / <1 %")
    assert "the mean over its folds ± their standard deviation" in out
    assert "practically equivalent (within ±0.01)" in out
    # stump trails by about 0.31 in accuracy: within ±0.5 the two count as equivalent
    assert main(["compare", "--project", str(two_studies), "--json", "--rope", "0.5"]) == 0
    payload = json.loads(capsys.readouterr().out)
    versus = payload["studies"][0]["versus_best"]
    assert payload["rope"] == 0.5 and versus["rope"] == 0.5
    assert versus["standing"] == "equivalent" and versus["probability_equivalent"] > 0.95
    assert "differ by less than ±0.5" in versus["sentence"]


@pytest.mark.parametrize("rope, said", [("x", "'x' is not a number"),
                                        ("-0.1", "-0.1 must be a finite number of at least 0"),
                                        ("nan", "nan must be a finite number of at least 0"),
                                        ("inf", "inf must be a finite number")])
def test_compare_refuses_a_bad_rope(two_studies, capsys, rope, said):
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(["compare", "--project", str(two_studies), "--rope", rope])
    assert stop.value.code == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and said in captured.err
    assert "Traceback" not in captured.err


def test_compare_refuses_a_missing_project_without_making_it(tmp_path, capsys):
    missing = tmp_path / "none.hpt"
    assert main(["compare", "--project", str(missing)]) == EXIT_BAD_INPUT
    assert "does not exist" in capsys.readouterr().err and not missing.exists()
