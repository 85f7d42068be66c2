"""The numpy fANOVA gives Optuna's importances: same forest, same sums, other order."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("optuna")


def _study(rng: np.random.Generator, n: int = 200):
    import optuna
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    distributions = {"depth": IntDistribution(2, 20),
                     "rate": FloatDistribution(1e-4, 1.0, log=True),
                     "kind": CategoricalDistribution(["a", "b", "c"]),
                     "share": FloatDistribution(0.0, 1.0)}
    study = optuna.create_study(direction="maximize")
    trials = []
    for _ in range(n):
        params = {"depth": int(rng.integers(2, 21)), "rate": float(10 ** rng.uniform(-4, 0)),
                  "kind": str(rng.choice(["a", "b", "c"])), "share": float(rng.uniform())}
        value = (0.02 * params["depth"] - 0.1 * np.log10(params["rate"])
                 + {"a": 0.0, "b": 0.3, "c": 0.1}[params["kind"]] + rng.normal(0, 0.05))
        trials.append(optuna.trial.create_trial(params=params, distributions=distributions,
                                                value=float(value)))
    study.add_trials(trials)
    return study, list(distributions)


@pytest.mark.filterwarnings("ignore::optuna.exceptions.ExperimentalWarning")  # normalize=
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_numpy_trees_give_optunas_importances(seed):
    from optuna.importance import FanovaImportanceEvaluator, get_param_importances

    from hpt_gui.core.diagnostics.fanova import VectorTree, fast_evaluator

    study, names = _study(np.random.default_rng(seed))
    fast = fast_evaluator(16, 12, seed)
    ours = get_param_importances(study, evaluator=fast, params=names, normalize=False)
    theirs = get_param_importances(
        study, evaluator=FanovaImportanceEvaluator(n_trees=16, max_depth=12, seed=seed),
        params=names, normalize=False)
    assert list(ours) == list(theirs)
    assert np.allclose([ours[n] for n in ours], [theirs[n] for n in ours], rtol=1e-9,
                       atol=1e-12)
    assert all(isinstance(tree, VectorTree) for tree in fast._evaluator._trees)


def test_each_tree_has_optunas_variances():
    from optuna.importance._fanova._tree import _FanovaTree
    from sklearn.ensemble import RandomForestRegressor

    from hpt_gui.core.diagnostics.fanova import VectorTree

    rng = np.random.default_rng(3)
    X = np.column_stack([rng.integers(0, 5, 300), rng.uniform(0, 1, 300),
                         rng.integers(0, 2, 300), rng.integers(0, 2, 300)]).astype(float)
    y = X[:, 0] * 0.3 + np.sin(6 * X[:, 1]) + X[:, 2] * X[:, 3] + rng.normal(0, 0.1, 300)
    spaces = np.array([[0.0, 4.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    forest = RandomForestRegressor(n_estimators=4, max_depth=10, random_state=0).fit(X, y)
    for estimator in forest.estimators_:
        theirs, ours = _FanovaTree(estimator.tree_, spaces), VectorTree(estimator.tree_, spaces)
        assert ours.variance == pytest.approx(theirs.variance, rel=1e-12)
        for features in ([0], [1], [2, 3], [0, 1]):
            f = np.array(features)
            assert ours.get_marginal_variance(f) == pytest.approx(
                theirs.get_marginal_variance(f), rel=1e-9, abs=1e-15)


@pytest.mark.filterwarnings("ignore::optuna.exceptions.ExperimentalWarning")
@pytest.mark.parametrize("seed", [0, 3])
def test_the_trials_given_without_a_study_give_a_studys_importances(seed):
    """The importance hands Optuna its trials without a study (which copied each one in,
    half a second at 1,000 trials); the answer is a real study's, to the last digit."""
    from optuna.importance import get_param_importances

    from hpt_gui.core.diagnostics.fanova import fast_evaluator
    from hpt_gui.core.diagnostics.importance import _CompleteTrials

    study, names = _study(np.random.default_rng(seed))
    trials = study.get_trials()
    ours = get_param_importances(_CompleteTrials(trials), evaluator=fast_evaluator(16, 12, seed),
                                 params=names, normalize=True)
    theirs = get_param_importances(study, evaluator=fast_evaluator(16, 12, seed),
                                   params=names, normalize=True)
    assert ours == theirs
