"""The verdict on real studies: each state reached by a real search on a real or classic
table, and advice that never points toward settings the study saw score lower."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_moons

from hpt_gui.core.diagnostics.baseline import baseline_score
from hpt_gui.core.diagnostics.summary import diagnose
from hpt_gui.core.diagnostics.verdict import (
    GOOD_FIT,
    NOT_ENOUGH_EVIDENCE,
    OVERFITTING,
    UNDERFITTING,
)
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import Categorical, FloatRange, IntRange, SearchSpace
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import plan_study


def _csv(tmp_path, name, X, y):
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    frame["label"] = y
    path = tmp_path / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path


def _study(tmp_path, name, data, model, space, target="label", **options):
    plan = plan_study(data=data, target=target, model=model, space=space, strategy="grid",
                      cv=5, name=name, **options)
    run_study(plan, tmp_path / "p.hpt", jobs=1)
    with ProjectStore(tmp_path / "p.hpt") as store:
        trials = store.trials(name)
    return plan, trials, baseline_score(plan.context)


def _by(trials, **params):
    return next(t for t in trials if all(t.params.get(k) == v for k, v in params.items()))


def _advice_points_only_toward_better_scores(plan, trials, baseline):
    """For every trial: a move toward a value names a value whose trial scored higher; a
    widening move points away from the lower score inside the range."""
    for trial in trials:
        verdict = diagnose(plan.spec, trials, trial.number, baseline=baseline).verdict
        for move in verdict.moves:
            if move.widen:
                continue
            better = [t for t in trials if t.params.get(move.hyperparameter) == move.toward
                      and t.mean_test_score > trial.mean_test_score]
            assert better, (trial.number, move)


def test_a_forest_at_its_optimum_with_a_wide_gap_is_a_good_fit(tmp_path):
    """The issue's first case: every depth of a random forest fits its training rows far
    better than new ones; validation is flat within noise; the verdict must not be
    'overfitting, try a smaller max_depth'."""
    space = SearchSpace((IntRange("n_estimators", 30, 30),
                         Categorical("max_depth", (3, 6, 12, None))))
    plan, trials, baseline = _study(tmp_path, "forest", "demo:diabetes",
                                    "RandomForestRegressor", space, target="target")
    d = diagnose(plan.spec, trials, baseline=baseline)
    assert d.verdict.verdict == GOOD_FIT, d.verdict.sentence
    assert d.verdict.gap > 0.1  # training R² well above validation R²
    assert not any(m.direction == "decrease" for m in d.verdict.moves)
    assert "smaller" not in d.verdict.advice and "high variance" in d.verdict.evidence
    assert set(d.regions["max_depth"]) <= {GOOD_FIT, UNDERFITTING}
    payload = json.loads(json.dumps(d.to_json(), allow_nan=False))
    assert payload["moves"] == [] and payload["gap"] == pytest.approx(d.verdict.gap)


def test_a_linear_model_at_an_interior_optimum_is_a_good_fit(tmp_path):
    """Ridge's best alpha in the middle of a well covered range: no 'larger alpha'."""
    space = SearchSpace((FloatRange("alpha", 1e-3, 1e4, log=True, grid_points=8),))
    plan, trials, baseline = _study(tmp_path, "ridge", "demo:diabetes", "Ridge", space,
                                    target="target", scoring="neg_mean_squared_error")
    d = diagnose(plan.spec, trials, baseline=baseline)
    alphas = sorted(t.params["alpha"] for t in trials)
    best = next(t for t in trials if t.number == d.trial)
    assert alphas[0] < best.params["alpha"] < alphas[-1]
    assert d.verdict.verdict == GOOD_FIT, d.verdict.sentence
    assert d.verdict.moves == ()
    # the largest alpha is far too simple: underfitting, and the move is a smaller alpha
    largest = diagnose(plan.spec, trials, _by(trials, alpha=alphas[-1]).number,
                       baseline=baseline).verdict
    assert largest.verdict == UNDERFITTING
    assert [(m.hyperparameter, m.direction) for m in largest.moves] == [("alpha", "decrease")]
    assert "better than this trial's" in largest.evidence  # errors: lower is better
    _advice_points_only_toward_better_scores(plan, trials, baseline)


def test_a_deep_tree_beaten_by_shallower_ones_is_overfitting(tmp_path):
    X, y = make_classification(600, n_features=8, n_informative=4, flip_y=0.2,
                               random_state=0)
    space = SearchSpace((IntRange("max_depth", 1, 20, grid_points=8),))
    plan, trials, baseline = _study(tmp_path, "tree", _csv(tmp_path, "noisy", X, y),
                                    "DecisionTreeClassifier", space)
    deep = _by(trials, max_depth=20)
    d = diagnose(plan.spec, trials, deep.number, baseline=baseline)
    assert d.verdict.verdict == OVERFITTING, d.verdict.sentence
    assert [(m.hyperparameter, m.direction) for m in d.verdict.moves] == [
        ("max_depth", "decrease")]
    assert d.verdict.moves[0].toward < 20
    payload = json.loads(json.dumps(d.to_json(), allow_nan=False))
    assert payload["moves"][0] == {"hyperparameter": "max_depth", "direction": "decrease",
                                   "why": d.verdict.moves[0].why}
    assert payload["gap"] > 0  # signed: training minus validation
    _advice_points_only_toward_better_scores(plan, trials, baseline)


def test_a_stump_beaten_by_deeper_trees_is_underfitting(tmp_path):
    X, y = make_moons(400, noise=0.15, random_state=0)
    space = SearchSpace((IntRange("max_depth", 1, 8, grid_points=8),))
    plan, trials, baseline = _study(tmp_path, "stump", _csv(tmp_path, "moons", X, y),
                                    "DecisionTreeClassifier", space)
    d = diagnose(plan.spec, trials, _by(trials, max_depth=1).number, baseline=baseline)
    assert d.verdict.verdict == UNDERFITTING, d.verdict.sentence
    assert [(m.hyperparameter, m.direction) for m in d.verdict.moves] == [
        ("max_depth", "increase")]
    best = diagnose(plan.spec, trials, baseline=baseline)
    assert best.verdict.verdict == GOOD_FIT


def test_a_best_at_the_edge_of_its_range_says_widen(tmp_path):
    X, y = make_moons(400, noise=0.15, random_state=0)
    space = SearchSpace((IntRange("max_depth", 1, 5),))
    plan, trials, baseline = _study(tmp_path, "edge", _csv(tmp_path, "moons", X, y),
                                    "DecisionTreeClassifier", space)
    d = diagnose(plan.spec, trials, baseline=baseline)
    assert trials[[t.number for t in trials].index(d.trial)].params["max_depth"] == 5
    assert d.verdict.verdict == NOT_ENOUGH_EVIDENCE, d.verdict.sentence
    assert [(m.hyperparameter, m.direction, m.widen) for m in d.verdict.moves] == [
        ("max_depth", "increase", True)]
    assert "edge of the range" in d.verdict.evidence
    assert "Widen the range of max_depth toward larger values (beyond 5)" in d.verdict.advice


def test_no_widening_past_what_the_model_accepts(tmp_path):
    """max_features stops at 1.0: a best there is never told to widen beyond it."""
    X, y = make_classification(300, n_features=6, n_informative=5, n_redundant=0,
                               random_state=0)
    space = SearchSpace((IntRange("n_estimators", 20, 20),
                         FloatRange("max_features", 0.2, 1.0, grid_points=3),))
    plan, trials, baseline = _study(tmp_path, "mf", _csv(tmp_path, "mf", X, y),
                                    "RandomForestClassifier", space)
    for trial in trials:
        verdict = diagnose(plan.spec, trials, trial.number, baseline=baseline).verdict
        assert not [m for m in verdict.moves if m.widen], verdict.sentence


def test_every_state_on_one_study_points_the_right_way(tmp_path):
    """A grid over depth and leaf size on noisy labels: each trial's advice, whatever its
    verdict, names only settings where the study scored higher."""
    X, y = make_classification(400, n_features=6, n_informative=3, flip_y=0.25,
                               random_state=3)
    space = SearchSpace((IntRange("max_depth", 2, 12, grid_points=3),
                         IntRange("min_samples_leaf", 1, 30, grid_points=3)))
    plan, trials, baseline = _study(tmp_path, "grid2", _csv(tmp_path, "g", X, y),
                                    "DecisionTreeClassifier", space)
    _advice_points_only_toward_better_scores(plan, trials, baseline)
    verdicts = {diagnose(plan.spec, trials, t.number, baseline=baseline).verdict.verdict
                for t in trials}
    assert OVERFITTING in verdicts  # the deep trees with tiny leaves
    assert verdicts <= {OVERFITTING, UNDERFITTING, GOOD_FIT, NOT_ENOUGH_EVIDENCE}
    assert np.isfinite([t.mean_test_score for t in trials]).all()


def test_random_search_advice_comes_from_neighbours_that_scored_better(tmp_path):
    """A random search: each move is backed by a trial that scored better, holds the
    advised value, and sits near the judged trial in every other setting (within
    NEIGHBOURHOOD of each range), so the move is about that setting alone."""
    import math

    from hpt_gui.core.diagnostics.capacity import NEIGHBOURHOOD

    X, y = make_classification(500, n_features=8, n_informative=4, flip_y=0.2,
                               random_state=5)
    space = SearchSpace((IntRange("max_depth", 1, 20),
                         IntRange("min_samples_leaf", 1, 40, log=True)))
    plan = plan_study(data=_csv(tmp_path, "r", X, y), target="label",
                      model="DecisionTreeClassifier", space=space, strategy="random",
                      trials=40, cv=5, name="random", seed=3)
    run_study(plan, tmp_path / "p.hpt", jobs=1)
    with ProjectStore(tmp_path / "p.hpt") as store:
        trials = store.trials("random")
    baseline = baseline_score(plan.context)

    def position(name, value):
        dim = space[name]
        low, high = dim.low, dim.high
        if dim.log:
            return (math.log(value) - math.log(low)) / (math.log(high) - math.log(low))
        return (value - low) / (high - low)

    advised = 0
    for trial in trials:
        verdict = diagnose(plan.spec, trials, trial.number, baseline=baseline).verdict
        for move in (m for m in verdict.moves if not m.widen):
            other = next(n for n in ("max_depth", "min_samples_leaf")
                         if n != move.hyperparameter)
            backers = [t for t in trials if t.params[move.hyperparameter] == move.toward
                       and t.mean_test_score > trial.mean_test_score
                       and abs(position(other, t.params[other])
                               - position(other, trial.params[other])) <= NEIGHBOURHOOD]
            assert backers, (trial.number, move.why)
            advised += 1
    assert advised  # the check did look at some advice
