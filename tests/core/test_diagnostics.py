"""Diagnostics from stored trials: every series checked against the trials' own numbers,
and the verdict on constructed cases."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_moons

from hpt_gui.core.diagnostics.baseline import baseline_score
from hpt_gui.core.diagnostics.capacity import curve_regions, read_capacity
from hpt_gui.core.diagnostics.choice import choose
from hpt_gui.core.diagnostics.frame import TrialFrame
from hpt_gui.core.diagnostics.importance import param_importance
from hpt_gui.core.diagnostics.noise import Noise
from hpt_gui.core.diagnostics.scores import (
    history,
    parallel_axes,
    param_scatter,
    score_histogram,
    scores_by_value,
    top_fold_boxes,
    train_validation_by_param,
)
from hpt_gui.core.diagnostics.summary import DiagnosisError, diagnose
from hpt_gui.core.diagnostics.verdict import (
    GOOD_FIT,
    NOT_ENOUGH_EVIDENCE,
    OVERFITTING,
    UNDERFITTING,
    judge,
)
from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import Categorical, Condition, FloatRange, IntRange, SearchSpace
from hpt_gui.core.store import ProjectStore, TrialRecord, TrialState
from hpt_gui.core.study import plan_study


def _trial(number, params, tests, trains=None, state=TrialState.COMPLETE, at=None):
    trains = trains or [t + 0.05 for t in tests]
    folds = tuple(FoldResult(number, k, te, tr, 0.01, 0.001)
                  for k, (te, tr) in enumerate(zip(tests, trains, strict=True)))
    if state is TrialState.FAIL:
        folds = tuple(FoldResult(number, k, None, None, 0.01, 0.0, error="ValueError: no")
                      for k in range(len(tests)))
    start = at if at is not None else float(number)
    return TrialRecord(number, state, params, folds, start, start + 0.5,
                       error="ValueError: no" if state is TrialState.FAIL else None)


@pytest.fixture
def tree_trials():
    rng = np.random.default_rng(1)
    trials = []
    for n in range(40):
        depth = int(rng.integers(1, 11))
        leaf = int(rng.integers(1, 30))
        crit = ["gini", "entropy"][n % 2]
        base = 0.7 + 0.02 * min(depth, 6) - 0.001 * leaf
        tests = list(base + rng.normal(0, 0.01, 5))
        trains = list(np.minimum(1.0, base + 0.02 * depth + rng.normal(0, 0.005, 5)))
        trials.append(_trial(n, {"max_depth": depth, "min_samples_leaf": leaf,
                                 "criterion": crit}, tests, trains))
    trials.append(_trial(40, {"max_depth": 3, "min_samples_leaf": 2, "criterion": "gini"},
                         [0.5] * 5, state=TrialState.FAIL))
    return trials


SPACE = SearchSpace((IntRange("max_depth", 1, 10), IntRange("min_samples_leaf", 1, 30, log=True),
                     Categorical("criterion", ("gini", "entropy"))))


def test_frame_matches_the_records(tree_trials):
    frame = TrialFrame.from_trials(tree_trials)
    for i, trial in enumerate(tree_trials):
        if trial.state is TrialState.COMPLETE:
            assert frame.mean_test[i] == pytest.approx(trial.mean_test_score, abs=1e-12)
            assert frame.std_test[i] == pytest.approx(trial.std_test_score, abs=1e-12)
            assert frame.mean_train[i] == pytest.approx(trial.mean_train_score, abs=1e-12)
        else:
            assert math.isnan(frame.mean_test[i]) and frame.failed[i]
    assert frame.scored.sum() == 40


def test_fold_boxes_are_the_top_trials_folds(tree_trials):
    frame = TrialFrame.from_trials(tree_trials)
    boxes = top_fold_boxes(frame, top=5)
    complete = [t for t in tree_trials if t.state is TrialState.COMPLETE]
    expected = sorted(complete, key=lambda t: (-t.mean_test_score, t.number))[:5]
    assert [b.number for b in boxes] == [t.number for t in expected]
    for box, trial in zip(boxes, expected, strict=True):
        assert box.folds == pytest.approx(trial.test_scores)
        assert box.median == pytest.approx(np.median(trial.test_scores))
        assert box.q1 <= box.median <= box.q3
        assert box.low <= box.q1 and box.high >= box.q3
    # a chosen trial outside the top is added
    worst = min(complete, key=lambda t: t.mean_test_score)
    numbers = [b.number for b in top_fold_boxes(frame, top=5, include=[worst.number])]
    assert numbers[-1] == worst.number and len(numbers) == 6


def test_histogram_counts_every_complete_trial(tree_trials):
    hist = score_histogram(TrialFrame.from_trials(tree_trials), bins=10)
    assert sum(hist.counts) == 40 and len(hist.edges) == 11
    scores = [t.mean_test_score for t in tree_trials if t.state is TrialState.COMPLETE]
    assert hist.edges[0] == pytest.approx(min(scores))
    assert hist.edges[-1] == pytest.approx(max(scores))


def test_scores_by_value_groups_and_bins(tree_trials):
    frame = TrialFrame.from_trials(tree_trials)
    by_criterion = scores_by_value(frame, "criterion", SPACE)
    assert [g.label for g in by_criterion] == ["entropy", "gini"]
    for group in by_criterion:
        expected = [t for t in tree_trials if t.state is TrialState.COMPLETE
                    and t.params["criterion"] == group.label]
        assert sorted(group.numbers) == sorted(t.number for t in expected)
        assert sorted(group.scores) == pytest.approx(sorted(t.mean_test_score for t in expected))
    leaf = scores_by_value(frame, "min_samples_leaf", SPACE, bins=4)  # many values: binned
    assert len(leaf) <= 4 and sum(len(g.numbers) for g in leaf) == 40
    for group in leaf:
        for n in group.numbers:
            assert group.low <= tree_trials[n].params["min_samples_leaf"] <= group.high


def test_train_validation_curve_takes_the_best_trial_per_value(tree_trials):
    frame = TrialFrame.from_trials(tree_trials)
    curve = train_validation_by_param(frame, "max_depth", SPACE)
    assert list(curve.x) == sorted(curve.x)
    for x, number, train, test, std in zip(curve.x, curve.numbers, curve.train_mean,
                                           curve.test_mean, curve.test_std, strict=True):
        same = [t for t in tree_trials if t.state is TrialState.COMPLETE
                and t.params["max_depth"] == x]
        best = max(same, key=lambda t: (t.mean_test_score, -t.number))
        assert number == best.number
        assert test == pytest.approx(best.mean_test_score)
        assert train == pytest.approx(best.mean_train_score)
        assert std == pytest.approx(best.std_test_score)


def test_history_and_best_so_far(tree_trials):
    h = history(TrialFrame.from_trials(tree_trials))
    assert list(h.numbers) == list(range(40))  # the failed trial has no score
    scores = [tree_trials[n].mean_test_score for n in range(40)]
    assert list(h.scores) == pytest.approx(scores)
    assert list(h.best_so_far) == pytest.approx(list(np.maximum.accumulate(scores)))
    assert h.seconds[0] == pytest.approx(0.5)


def test_scatter_and_parallel_axes(tree_trials):
    frame = TrialFrame.from_trials(tree_trials)
    scatter = param_scatter(frame, "criterion", SPACE)
    assert scatter.categories == ("entropy", "gini")
    for x, n in zip(scatter.x, scatter.numbers, strict=True):
        assert scatter.categories[int(x)] == tree_trials[n].params["criterion"]
    depth = param_scatter(frame, "max_depth", SPACE)
    for x, n, s in zip(depth.x, depth.numbers, depth.scores, strict=True):
        assert x == tree_trials[n].params["max_depth"]
        assert s == pytest.approx(tree_trials[n].mean_test_score)
    axes = parallel_axes(frame, ["max_depth", "criterion"], SPACE, limit=10)
    assert axes.lines.shape == (10, 2)
    assert np.nanmin(axes.lines) >= 0 and np.nanmax(axes.lines) <= 1
    depths = [tree_trials[n].params["max_depth"] for n in axes.numbers]
    low, high = min(depths), max(depths)
    assert axes.lines[:, 0] == pytest.approx([(d - low) / (high - low) for d in depths])


def test_one_standard_error_choice_prefers_the_simpler_model():
    tests_best = [0.90, 0.92, 0.88, 0.91, 0.89]  # mean 0.90, se = std/sqrt(5)
    trials = [
        _trial(0, {"max_depth": 10, "min_samples_leaf": 1}, tests_best),
        _trial(1, {"max_depth": 3, "min_samples_leaf": 5}, [0.895] * 5),   # within 1 SE
        _trial(2, {"max_depth": 2, "min_samples_leaf": 20}, [0.80] * 5),   # simpler, too low
        _trial(3, {"max_depth": 8, "min_samples_leaf": 2}, [0.899] * 5),  # within, complex
    ]
    c = choose(TrialFrame.from_trials(trials), "DecisionTreeClassifier")
    se = np.std(tests_best, ddof=1) / math.sqrt(5)  # the sample deviation, as ESL 7.10
    assert c.best == 0 and c.standard_error == pytest.approx(se)
    assert c.threshold == pytest.approx(0.90 - se)
    assert c.one_se == 1
    assert c.runner_up == 3 and c.within_noise
    assert "within noise" in c.explanation


def test_the_best_alone_is_its_own_one_se_choice():
    trials = [_trial(0, {"C": 1.0}, [0.9, 0.91, 0.9]), _trial(1, {"C": 0.01}, [0.5] * 3)]
    c = choose(TrialFrame.from_trials(trials), "SVC")
    assert c.best == c.one_se == 0 and not c.within_noise


def test_curve_regions_follow_the_validation_optimum_not_the_gap():
    """Along max_depth (less is simpler): points below the best by more than their noise are
    underfitting on the simpler side and overfitting on the more flexible side; within
    noise of the best is a good fit, however wide its gap."""
    from hpt_gui.core.catalog import get_model

    depth = get_model("DecisionTreeClassifier").hyperparameter("max_depth")
    regions = curve_regions(depth, (1, 2, 4, 8, 16), (0.70, 0.84, 0.86, 0.855, 0.80),
                            (0.01, 0.01, 0.01, 0.01, 0.01))
    assert regions == (UNDERFITTING, UNDERFITTING, GOOD_FIT, GOOD_FIT, OVERFITTING)
    # alpha: larger is simpler, so the large alphas below the best are underfitting
    alpha = get_model("Ridge").hyperparameter("alpha")
    assert curve_regions(alpha, (0.01, 1.0, 100.0), (0.40, 0.49, 0.30), (0.01,) * 3) == (
        OVERFITTING, GOOD_FIT, UNDERFITTING)
    # a dip with better scores on both sides: depth is not the cause, nothing is shaded
    assert curve_regions(depth, (4, 8, 12), (0.86, 0.70, 0.86), (0.01,) * 3) == (
        GOOD_FIT, "", GOOD_FIT)
    criterion = get_model("DecisionTreeClassifier").hyperparameter("criterion")
    assert curve_regions(criterion, ("gini", "entropy"), (0.8, 0.9), (0.0, 0.0)) == ("", "")


def _frame_of(rows):
    """Trials from (params, mean validation, population std over 5 folds, mean train)."""
    trials = []
    for n, (params, mean, std, train) in enumerate(rows):
        tests = [mean + std * z for z in (-1.5, -0.5, 0.0, 0.5, 1.5)]
        tests = [mean + (t - np.mean(tests)) * std / max(np.std(tests), 1e-12) for t in tests]
        trials.append(_trial(n, params, tests, [train] * 5))
    return trials, TrialFrame.from_trials(trials)


def test_a_wide_gap_at_the_validation_optimum_is_a_good_fit_not_overfitting():
    """The forest case: training 1.0 everywhere, validation flat within noise along depth."""
    trials, frame = _frame_of([({"max_depth": d}, v, 0.02, 1.0) for d, v in
                               ((4, 0.80), (8, 0.83), (16, 0.835), (None, 0.834))])
    space = SearchSpace((Categorical("max_depth", (4, 8, 16, None)),))
    row = frame.index_of(2)
    readings = read_capacity(frame, row, "RandomForestClassifier", space, Noise(5))
    v = judge(trial=2, train=1.0, validation=0.835, best_validation=0.835, scoring="accuracy",
              readings=readings, standard_error=Noise(5).standard_error(0.02), best_trial=2)
    assert v.verdict == GOOD_FIT, v.sentence
    assert v.moves == () and "smaller" not in v.advice
    assert "gap +0.165 (training minus validation)" in v.evidence
    assert "high variance" in v.evidence and "learning curve" in v.advice


def test_less_capacity_scoring_better_beyond_noise_is_overfitting_and_advice_points_there():
    trials, frame = _frame_of([({"max_depth": d}, v, 0.01, t) for d, v, t in
                               ((2, 0.75, 0.76), (4, 0.86, 0.90), (12, 0.80, 1.0))])
    readings = read_capacity(frame, 2, "DecisionTreeClassifier", SPACE, Noise(5))
    v = judge(trial=2, train=1.0, validation=0.80, best_validation=0.86, scoring="accuracy",
              readings=readings, standard_error=Noise(5).standard_error(0.01), best_trial=1)
    assert v.verdict == OVERFITTING
    assert [m.to_json()["direction"] for m in v.moves] == ["decrease"]
    assert v.moves[0].hyperparameter == "max_depth" and v.moves[0].toward == 4
    assert "smaller max_depth (around 4)" in v.advice
    # the stump: more capacity is better, and the move points up, toward 4 (not 12)
    stump = judge(trial=0, train=0.76, validation=0.75, best_validation=0.86,
                  scoring="accuracy", readings=read_capacity(
                      frame, 0, "DecisionTreeClassifier", SPACE, Noise(5)),
                  standard_error=Noise(5).standard_error(0.01), best_trial=1)
    assert stump.verdict == UNDERFITTING and stump.moves[0].direction == "increase"
    assert stump.moves[0].toward == 4


def test_differences_within_noise_are_no_evidence_either_way():
    trials, frame = _frame_of([({"max_depth": d}, v, 0.05, 1.0) for d, v in
                               ((2, 0.80), (4, 0.82), (12, 0.81))])
    readings = read_capacity(frame, 2, "DecisionTreeClassifier", SPACE, Noise(5))
    assert readings[0].more is None and readings[0].less is None
    v = judge(trial=2, train=1.0, validation=0.81, best_validation=0.82, scoring="accuracy",
              readings=readings, standard_error=Noise(5).standard_error(0.05), best_trial=1)
    assert v.verdict == GOOD_FIT and v.moves == () and "Keep it." in v.advice


def test_a_setting_with_better_scores_on_both_sides_is_not_what_holds_a_trial_back():
    trials, frame = _frame_of([({"max_depth": d}, v, 0.01, 0.9) for d, v in
                               ((2, 0.85), (4, 0.70), (12, 0.86))])
    reading = read_capacity(frame, 1, "DecisionTreeClassifier", SPACE, Noise(5))[0]
    assert reading.both_better and reading.more is None and reading.less is None


def test_a_single_split_has_no_noise_so_no_verdict_either_way():
    trials, frame = _frame_of([({"max_depth": d}, v, 0.0, 1.0) for d, v in
                               ((2, 0.75), (12, 0.80))])
    v = judge(trial=1, train=1.0, validation=0.80, best_validation=0.80, scoring="accuracy",
              readings=read_capacity(frame, 1, "DecisionTreeClassifier", SPACE, Noise(1)),
              standard_error=Noise(1).standard_error(0.0))
    assert v.verdict == NOT_ENOUGH_EVIDENCE and "single validation split" in v.evidence


def test_both_scores_at_the_constant_prediction_are_underfitting():
    trials, frame = _frame_of([({"max_depth": d}, v, 0.01, 0.51) for d, v in
                               ((2, 0.50), (12, 0.505))])
    v = judge(trial=1, train=0.51, validation=0.505, best_validation=0.505,
              scoring="accuracy", baseline=0.50,
              readings=read_capacity(frame, 1, "DecisionTreeClassifier", SPACE, Noise(5)),
              standard_error=Noise(5).standard_error(0.01))
    assert v.verdict == UNDERFITTING and "constant prediction scores 0.500" in v.evidence
    flat = judge(trial=1, train=0.51, validation=0.505, best_validation=0.505,
                 scoring="accuracy", readings=read_capacity(
                     frame, 1, "DecisionTreeClassifier", SPACE, Noise(5)),
                 standard_error=Noise(5).standard_error(0.01), learning_sizes=[100, 200],
                 learning_validation=[0.504, 0.505], baseline=0.50)
    assert "learning curve is flat" in flat.evidence and "will not help" in flat.advice
    assert json.loads(json.dumps(flat.to_json()))["thresholds"]["baseline_margin"] == 0.02


def _csv(tmp_path, X, y):
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    frame["label"] = y
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path


def _run(tmp_path, path, space, model="DecisionTreeClassifier", name="s"):
    plan = plan_study(data=path, target="label", model=model, space=space, strategy="grid",
                      cv=5, name=name)
    run_study(plan, tmp_path / "p.hpt", jobs=1)
    with ProjectStore(tmp_path / "p.hpt") as store:
        return plan, store.trials(name)


def test_a_stump_on_a_nonlinear_problem_is_underfitting(tmp_path):
    X, y = make_moons(400, noise=0.15, random_state=0)
    path = _csv(tmp_path, X, y)
    space = SearchSpace((IntRange("max_depth", 1, 8, grid_points=8),))
    plan, trials = _run(tmp_path, path, space)
    stump = next(t for t in trials if t.params["max_depth"] == 1)
    d = diagnose(plan.spec, trials, stump.number, baseline=baseline_score(plan.context))
    assert d.verdict.verdict == UNDERFITTING, d.verdict.sentence
    assert "larger max_depth" in d.verdict.advice
    regions = d.regions["max_depth"]
    assert regions[0] == UNDERFITTING  # the curve's shallowest point
    best = diagnose(plan.spec, trials)
    assert best.trial == best.choice.best and best.verdict.verdict != UNDERFITTING


def test_an_unpruned_tree_on_noisy_labels_is_overfitting(tmp_path):
    X, y = make_classification(400, n_features=6, n_informative=3, flip_y=0.3, random_state=0)
    path = _csv(tmp_path, X, y)
    space = SearchSpace((IntRange("min_samples_leaf", 1, 40, grid_points=4),))
    plan, trials = _run(tmp_path, path, space)
    unpruned = next(t for t in trials if t.params["min_samples_leaf"] == 1)
    d = diagnose(plan.spec, trials, unpruned.number)
    assert d.verdict.verdict == OVERFITTING, d.verdict.sentence
    assert d.verdict.train_score == pytest.approx(unpruned.mean_train_score)
    assert d.verdict.gap > 0.2
    assert "larger min_samples_leaf" in d.verdict.advice
    payload = json.loads(json.dumps(d.to_json(), allow_nan=False))
    assert payload["verdict"] == "overfitting" and payload["trial"] == unpruned.number
    assert payload["curves"]["by_param"]["min_samples_leaf"]["numbers"]
    assert payload["one_se_trial"] is not None


def test_diagnose_refuses_a_missing_or_failed_trial(tree_trials):
    from hpt_gui.core.spec import StudySpec

    spec = StudySpec(name="t", data="demo:iris", target="target",
                     model="DecisionTreeClassifier", space=SPACE, task="classification")
    with pytest.raises(DiagnosisError, match="no trial number 99"):
        diagnose(spec, tree_trials, 99)
    with pytest.raises(DiagnosisError, match="did not complete"):
        diagnose(spec, tree_trials, 40)


def test_importance_finds_the_setting_that_matters():
    rng = np.random.default_rng(0)
    trials = []
    for n in range(60):
        a, b = float(rng.uniform(0, 1)), float(rng.uniform(0, 1))
        kernel = ["rbf", "linear"][n % 2]
        gamma = float(rng.uniform(0.1, 1)) if kernel == "rbf" else None
        score = 0.5 + 0.4 * a + 0.01 * b
        params = {"C": a, "epsilon": b, "kernel": kernel}
        if gamma is not None:
            params["gamma"] = gamma
        trials.append(_trial(n, params, [score] * 3))
    space = SearchSpace((FloatRange("C", 0.0, 1.0), FloatRange("epsilon", 0.0, 1.0),
                         Categorical("kernel", ("rbf", "linear", "poly")),
                         FloatRange("gamma", 0.1, 1.0,
                                    when=Condition((("kernel", ("rbf", "poly")),)))))
    imp = param_importance(TrialFrame.from_trials(trials), space)
    assert imp.names[0] == "C" and imp.values[0] > 0.8
    # Only the settings every trial has share the variance; gamma is judged apart.
    assert set(imp.names) == {"C", "epsilon", "kernel"}
    assert sum(imp.values) == pytest.approx(1.0)
    assert [(name, where) for name, _, where in imp.within] == [
        ("gamma", "kernel is rbf or poly")]
    assert 0.0 <= imp.within[0][1] <= 1.0
    payload = json.loads(json.dumps(imp.to_json(), allow_nan=False))
    assert set(payload["importance"]) == set(imp.names)
    assert payload["within"] == [{"name": "gamma", "share": imp.within[0][1],
                                  "where": "kernel is rbf or poly"}]
    few = param_importance(TrialFrame.from_trials(trials[:2]), space)
    assert few.names == () and few.within == () and few.note


def test_importance_says_where_a_conditional_setting_applies():
    from hpt_gui.core.diagnostics.importance import condition_text

    assert condition_text(Condition((("solver", ("sgd",)),))) == "solver is sgd"
    assert condition_text(Condition((("kernel", ("rbf", "poly", "sigmoid")),
                                     ("degree", (2, 3))))) == (
        "kernel is rbf, poly or sigmoid and degree is 2 or 3")


def test_a_study_that_tried_nothing_more_flexible_cannot_rule_out_underfitting(tmp_path):
    """Only stumps tried: a verdict either way would be a guess; the diagnosis says the
    study cannot tell and names the curve to compute, and a computed validation curve
    that reaches higher turns it into underfitting, with a move toward more depth."""
    from hpt_gui.core.diagnostics.curves import Curve

    X, y = make_moons(400, noise=0.15, random_state=0)
    path = _csv(tmp_path, X, y)
    space = SearchSpace((IntRange("max_depth", 1, 1),))
    plan, trials = _run(tmp_path, path, space)
    d = diagnose(plan.spec, trials)
    assert d.verdict.verdict == NOT_ENOUGH_EVIDENCE
    assert "cannot tell" in d.verdict.evidence
    assert "validation curve of max_depth" in d.verdict.advice and not d.verdict.moves
    curve = Curve(x=(1, 4), train_mean=(0.85, 0.95), train_std=(0, 0), test_mean=(0.84, 0.93),
                  test_std=(0, 0), train_folds=((), ()), test_folds=((), ()),
                  errors=(None, None), param="max_depth", kind="validation")
    with_curve = diagnose(plan.spec, trials, validation=curve).verdict
    assert with_curve.verdict == UNDERFITTING
    assert [(m.hyperparameter, m.direction) for m in with_curve.moves] == [
        ("max_depth", "increase")]
    assert "on the validation curve" in with_curve.evidence


def test_advice_skips_settings_the_trial_does_not_use():
    """gamma does nothing with a linear kernel: it is never read (or advised) there."""
    space = SearchSpace((FloatRange("C", 0.01, 100, log=True),
                         Categorical("kernel", ("rbf", "linear", "poly")),
                         FloatRange("gamma", 1e-3, 1.0, log=True,
                                    when=Condition((("kernel", ("rbf", "poly")),)))))
    trials, frame = _frame_of([
        ({"C": 10.0, "kernel": "linear"}, 0.80, 0.01, 1.0),
        ({"C": 1.0, "kernel": "linear"}, 0.85, 0.01, 0.9),
        ({"C": 10.0, "kernel": "rbf", "gamma": 0.5}, 0.70, 0.01, 1.0),
        ({"C": 10.0, "kernel": "rbf", "gamma": 0.01}, 0.84, 0.01, 0.9)])
    linear = read_capacity(frame, 0, "SVC", space, Noise(5))
    assert [r.name for r in linear] == ["C", "kernel"]
    assert linear[0].less is not None and linear[0].less.value == 1.0  # smaller C scored higher
    rbf = read_capacity(frame, 2, "SVC", space, Noise(5))
    assert [r.name for r in rbf] == ["C", "kernel", "gamma"]
    assert rbf[2].less is not None and rbf[2].less.value == 0.01


def test_an_extended_frame_equals_one_built_at_once(tree_trials):
    whole = TrialFrame.from_trials(tree_trials)
    grown = TrialFrame.from_trials(tree_trials[:7]).extended(tree_trials[7:])
    for key in ("numbers", "complete", "failed", "mean_test", "std_test", "mean_train",
                "std_train", "started", "finished"):
        assert np.array_equal(getattr(whole, key), getattr(grown, key), equal_nan=True), key
    assert set(whole.params) == set(grown.params)
    for name in whole.params:
        assert list(whole.params[name]) == list(grown.params[name])
    assert grown.trials == whole.trials


def test_a_trial_without_training_scores_gets_no_verdict_words_to_mislead():
    v = judge(trial=0, train=float("nan"), validation=0.8, best_validation=0.8,
              scoring="accuracy")
    assert v.verdict == "unknown" and "no training score" in v.evidence


def test_the_main_capacity_setting_decides_first():
    """A depth-3 tree is simpler than a depth-11 one, whatever their split sizes."""
    trials = [
        _trial(0, {"max_depth": 6, "min_samples_split": 2}, [0.90, 0.92, 0.88, 0.91, 0.89]),
        _trial(1, {"max_depth": 3, "min_samples_split": 3}, [0.899] * 5),
        _trial(2, {"max_depth": 11, "min_samples_split": 28}, [0.899] * 5),
    ]
    assert choose(TrialFrame.from_trials(trials), "DecisionTreeClassifier").one_se == 1


def test_equal_scores_have_no_gap_however_they_were_averaged():
    from hpt_gui.core.format import difference

    train, validation = 0.9736842105263157, 0.9736842105263155  # one trial's two means
    assert train - validation != 0 and difference(train, validation) == 0.0
    assert difference(0.98, 0.97) == pytest.approx(0.01)


def test_the_range_limits_the_verdict_knows_agree_with_scikit_learn():
    """Whether a range can be widened past its default ends is judged from a small table
    (no estimator import on the window's thread): it must say what scikit-learn's own
    parameter rules say, for every numeric capacity setting of the catalog."""
    from hpt_gui.core.catalog import MODELS, CatalogError, check_values
    from hpt_gui.core.diagnostics import capacity

    checked = 0
    for info in MODELS.values():
        for hp in info.hyperparameters:
            dim = hp.dimension
            if hp.simpler not in ("lower", "higher") or dim.kind == "categorical":
                continue
            for end, up in ((dim.low, False), (dim.high, True)):
                capacity._can_go_beyond.cache_clear()
                said = capacity._can_go_beyond(info.name, hp.name, end, up, dim.kind)
                if dim.kind == "int":
                    beyond = int(end) + max(1, abs(int(end)) // 2) if up else int(end) - 1
                else:
                    beyond = end * 2 if up and end > 0 else (end / 2 if end > 0 else end - 1)
                try:
                    check_values(info, {hp.name: [beyond]})
                    accepted = True
                except CatalogError:
                    accepted = False
                if hp.name == "hidden_layers" and not up:
                    # scikit-learn takes hidden_layer_sizes=(), which is no longer a
                    # neural network: the verdict never advises fewer than one layer
                    assert accepted and not said
                    continue
                assert said == accepted, (info.name, hp.name, end, up)
                checked += 1
    assert checked > 30


def test_a_random_search_trial_is_read_against_its_neighbours_not_the_distant_best():
    """The best trial differs in every setting: it says nothing about any one of them, so
    no direction is advised; the trial is told to prefer the best (the review's TPE case:
    'overfitting: try smaller learning_rate or larger max_depth' from one distant trial)."""
    space = SearchSpace((FloatRange("learning_rate", 0.01, 0.5, log=True),
                         IntRange("max_depth", 1, 6)))
    trials, frame = _frame_of([
        ({"learning_rate": 0.08, "max_depth": 1}, 0.70, 0.01, 0.72),
        ({"learning_rate": 0.02, "max_depth": 5}, 0.85, 0.01, 0.90),   # far in both
        ({"learning_rate": 0.30, "max_depth": 3}, 0.78, 0.01, 0.85)])  # far in both
    readings = read_capacity(frame, 0, "GradientBoostingRegressor", space, Noise(5))
    assert all(r.more is None and r.less is None for r in readings)
    assert all(r.explored for r in readings)
    v = judge(trial=0, train=0.72, validation=0.70, best_validation=0.85, scoring="r2",
              readings=readings, standard_error=Noise(5).standard_error(0.01), best_trial=1)
    assert v.verdict == NOT_ENOUGH_EVIDENCE and v.moves == ()
    assert "Prefer trial 1" in v.advice and "several settings at once" in v.evidence
    # a neighbour (learning_rate within a fifth of its log range, same depth) does speak
    trials, frame = _frame_of([
        ({"learning_rate": 0.08, "max_depth": 1}, 0.70, 0.01, 0.72),
        ({"learning_rate": 0.12, "max_depth": 2}, 0.80, 0.01, 0.82),   # depth 1 step: far
        ({"learning_rate": 0.085, "max_depth": 1}, 0.69, 0.01, 0.70),  # same value (2 %)
        ({"learning_rate": 0.20, "max_depth": 1}, 0.78, 0.01, 0.80)])  # near, more
    lr = read_capacity(frame, 0, "GradientBoostingRegressor", space, Noise(5))[0]
    assert lr.name == "learning_rate" and lr.more is not None and lr.more.trial == 3
    assert [p.trial for p in lr.points] == [3]


def test_choices_and_settings_pulling_both_ways_do_not_name_a_verdict():
    """A better kernel is a move to try, not 'underfitting' (a poly kernel with a tiny
    gamma is simpler than a linear one); depth up and leaf size up both scoring better is
    no single word either."""
    space = SearchSpace((Categorical("kernel", ("linear", "rbf", "poly")),
                         FloatRange("C", 0.01, 100, log=True)))
    trials, frame = _frame_of([({"kernel": "linear", "C": 1.0}, 0.80, 0.01, 0.82),
                               ({"kernel": "rbf", "C": 1.0}, 0.90, 0.01, 0.92)])
    v = judge(trial=0, train=0.82, validation=0.80, best_validation=0.90, scoring="accuracy",
              readings=read_capacity(frame, 0, "SVC", space, Noise(5)),
              standard_error=Noise(5).standard_error(0.01), best_trial=1)
    assert v.verdict == NOT_ENOUGH_EVIDENCE and "kernel='rbf'" in v.advice
    assert "(trial 1)" in v.evidence and "flexible)" not in v.evidence
    space = SearchSpace((IntRange("max_depth", 1, 10), IntRange("min_samples_leaf", 1, 30)))
    trials, frame = _frame_of([
        ({"max_depth": 4, "min_samples_leaf": 5}, 0.80, 0.01, 0.85),
        ({"max_depth": 6, "min_samples_leaf": 5}, 0.86, 0.01, 0.90),
        ({"max_depth": 4, "min_samples_leaf": 9}, 0.86, 0.01, 0.88)])
    mixed = judge(trial=0, train=0.85, validation=0.80, best_validation=0.86,
                  scoring="accuracy", readings=read_capacity(
                      frame, 0, "DecisionTreeClassifier", space, Noise(5)),
                  standard_error=Noise(5).standard_error(0.01), best_trial=1)
    assert mixed.verdict == NOT_ENOUGH_EVIDENCE and "pull opposite ways" in mixed.evidence
    assert {m.direction for m in mixed.moves} == {"increase"}  # deeper, and larger leaves
    assert len(mixed.moves) == 2


def test_edges_of_a_list_of_numbers_and_below_a_hard_cap_are_widened():
    space = SearchSpace((Categorical("max_depth", (2, 3, 4)),))
    trials, frame = _frame_of([({"max_depth": d}, v, 0.01, v + 0.1) for d, v in
                               ((2, 0.40), (3, 0.52), (4, 0.58))])
    v = judge(trial=2, train=0.68, validation=0.58, best_validation=0.58, scoring="r2",
              readings=read_capacity(frame, 2, "DecisionTreeRegressor", space, Noise(5)),
              standard_error=Noise(5).standard_error(0.01), best_trial=2)
    assert [(m.hyperparameter, m.direction, m.widen) for m in v.moves] == [
        ("max_depth", "increase", True)]
    space = SearchSpace((FloatRange("subsample", 0.2, 0.8, grid_points=4),))
    trials, frame = _frame_of([({"subsample": x}, v, 0.01, v + 0.05) for x, v in
                               ((0.2, 0.60), (0.4, 0.66), (0.6, 0.70), (0.8, 0.74))])
    v = judge(trial=3, train=0.79, validation=0.74, best_validation=0.74, scoring="r2",
              readings=read_capacity(frame, 3, "GradientBoostingRegressor", space,
                                     Noise(5)),
              standard_error=Noise(5).standard_error(0.01), best_trial=3)
    assert v.moves and v.moves[0].widen and "beyond 0.800" in v.advice


def test_a_curve_of_a_setting_left_at_its_default_is_read_at_the_default():
    """max_depth not searched: the tree grew without limit (None), and a validation curve
    of it, which the advice asked for, must change the verdict."""
    from hpt_gui.core.diagnostics.curves import Curve

    space = SearchSpace((Categorical("criterion", ("gini", "entropy")),))
    trials, frame = _frame_of([({"criterion": "gini"}, 0.80, 0.01, 1.0),
                               ({"criterion": "entropy"}, 0.79, 0.01, 1.0)])
    alone = judge(trial=0, train=1.0, validation=0.80, best_validation=0.80,
                  scoring="accuracy", readings=read_capacity(
                      frame, 0, "DecisionTreeClassifier", space, Noise(5)),
                  standard_error=Noise(5).standard_error(0.01), best_trial=0,
                  main_setting="max_depth", searched=False)
    assert alone.verdict == NOT_ENOUGH_EVIDENCE and "Search a range of max_depth" in alone.advice
    curve = Curve(x=(2, 4, 8), train_mean=(0.8, 0.9, 0.97), train_std=(0, 0, 0),
                  test_mean=(0.78, 0.88, 0.84), test_std=(0.01, 0.01, 0.01),
                  train_folds=((), (), ()), test_folds=((), (), ()),
                  errors=(None, None, None), param="max_depth", kind="validation")
    readings = read_capacity(frame, 0, "DecisionTreeClassifier", space, Noise(5),
                             {"max_depth": curve})
    depth = next(r for r in readings if r.name == "max_depth")
    assert depth.value is None and depth.less is not None and depth.less.value == 4
    v = judge(trial=0, train=1.0, validation=0.80, best_validation=0.80, scoring="accuracy",
              readings=readings, standard_error=Noise(5).standard_error(0.01), best_trial=0)
    assert v.verdict == OVERFITTING and "smaller max_depth (around 4)" in v.advice


def test_error_metric_words_say_better_and_fell():
    space = SearchSpace((FloatRange("alpha", 5.0, 100.0, log=True, grid_points=3),))
    trials, frame = _frame_of([({"alpha": a}, v, 30.0, v + 60) for a, v in
                               ((5.0, -3090.0), (22.4, -3430.0), (100.0, -3600.0))])
    v = judge(trial=0, train=-3030.0, validation=-3090.0, best_validation=-3090.0,
              scoring="neg_mean_squared_error",
              readings=read_capacity(frame, 0, "Ridge", space, Noise(5)),
              standard_error=Noise(5).standard_error(30.0), best_trial=0)
    assert "the error still fell toward it" in v.evidence and "rose" not in v.evidence
    worst = judge(trial=2, train=-3540.0, validation=-3600.0, best_validation=-3090.0,
                  scoring="neg_mean_squared_error",
                  readings=read_capacity(frame, 2, "Ridge", space, Noise(5)),
                  standard_error=Noise(5).standard_error(30.0), best_trial=0)
    assert "better than this trial's 3,600" in worst.evidence
    assert worst.verdict == UNDERFITTING and worst.moves[0].direction == "decrease"


def test_parallel_axis_labels_name_the_values_tried_on_a_log_scale():
    """A whole-number hyperparameter searched on a log scale is labelled '19', not '19.0'
    (10**log10(19) is 19.000000000000004)."""
    space = SearchSpace([IntRange("n_estimators", 3, 19, log=True)])
    trials = [_trial(n, {"n_estimators": v}, [0.5 + n / 100] * 3)
              for n, v in enumerate([3, 7, 19])]
    axes = parallel_axes(TrialFrame.from_trials(trials), ["n_estimators"], space)
    assert axes.ticks[0] == ((0.0, "3"), (1.0, "19"))
