"""The study loop end to end: scores equal scikit-learn's, failures recorded, resume exact."""

import numpy as np
import pandas as pd
import pytest

from hpt_gui.core.runner import CANCELLED, FINISHED, run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.store import ProjectStore, TrialState
from hpt_gui.core.study import plan_study

GRID = {
    "max_depth": {"type": "categorical", "choices": [1, 3, 5]},
    "min_samples_leaf": {"type": "categorical", "choices": [1, 10]},
}


@pytest.fixture(scope="module")
def breast_cancer_csv(tmp_path_factory):
    from sklearn.datasets import load_breast_cancer

    path = tmp_path_factory.mktemp("data") / "bc.csv"
    load_breast_cancer(as_frame=True).frame.to_csv(path, index=False)
    return path


def test_grid_fold_scores_equal_gridsearchcv(breast_cancer_csv, tmp_path):
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.tree import DecisionTreeClassifier

    plan = plan_study(data=breast_cancer_csv, target="target", model="DecisionTreeClassifier",
                      space=SearchSpace.from_json(GRID), strategy="grid", cv=5,
                      scoring="balanced_accuracy", seed=11, name="g")
    result = run_study(plan, tmp_path / "p.hpt", jobs=2)
    assert result.status == FINISHED and len(result.trials) == 6

    frame = pd.read_csv(breast_cancer_csv)
    y = frame.pop("target")
    search = GridSearchCV(
        DecisionTreeClassifier(random_state=11),
        {"max_depth": [1, 3, 5], "min_samples_leaf": [1, 10]},
        cv=StratifiedKFold(5, shuffle=True, random_state=11), scoring="balanced_accuracy",
        return_train_score=True,
    ).fit(frame, y)
    ours = {(t.params["max_depth"], t.params["min_samples_leaf"]): t for t in result.trials}
    worst = 0.0
    for i, params in enumerate(search.cv_results_["params"]):
        trial = ours[(params["max_depth"], params["min_samples_leaf"])]
        for k, fold in enumerate(trial.folds):
            worst = max(worst, abs(fold.test_score - search.cv_results_[f"split{k}_test_score"][i]))
            worst = max(worst, abs(fold.train_score
                                   - search.cv_results_[f"split{k}_train_score"][i]))
        assert trial.mean_test_score == pytest.approx(search.cv_results_["mean_test_score"][i],
                                                      abs=1e-12)
    assert worst <= 1e-9
    assert result.best.params == search.best_params_


def _tiny_classification(tmp_path, n=80):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "income": rng.normal(50, 10, n),
        "city": rng.choice(["Lyon", "Paris", "Nice"], n),
    })
    frame.loc[::7, "income"] = np.nan
    frame.loc[::11, "city"] = np.nan
    frame["bought"] = np.where(frame["age"] + rng.normal(0, 10, n) > 50, "yes", "no")
    path = tmp_path / "shop.csv"
    frame.to_csv(path, index=False)
    return path


def test_failing_fit_marks_trial_failed_and_search_goes_on(tmp_path):
    data = _tiny_classification(tmp_path)
    # more neighbours than a training fold has rows: valid settings, but the fit fails
    space = SearchSpace.from_json({"n_neighbors": {"type": "categorical",
                                                   "choices": [200, 3]}})
    plan = plan_study(data=data, target="bought", model="KNeighborsClassifier", space=space,
                      cv=3, seed=0, name="f")
    result = run_study(plan, tmp_path / "p.hpt")
    states = {t.params["n_neighbors"]: t for t in result.trials}
    assert states[200].state is TrialState.FAIL
    assert "n_neighbors" in states[200].error and states[200].error.startswith("fold 1:")
    assert states[3].state is TrialState.COMPLETE
    assert result.best.number == states[3].number


def test_cancelled_run_resumes_and_finishes_the_budget_exactly(tmp_path):
    data = _tiny_classification(tmp_path)
    plan = plan_study(data=data, target="bought", model="KNeighborsClassifier",
                      strategy="random", trials=7, cv=3, seed=5, name="r")
    seen = []

    def stop_after_three():
        return len(seen) >= 3

    first = run_study(plan, tmp_path / "p.hpt", on_trial=seen.append,
                      should_stop=stop_after_three)
    assert first.status == CANCELLED and 3 <= len(first.trials) < 7
    second = run_study(plan, tmp_path / "p.hpt")
    assert second.status == FINISHED
    assert [t.number for t in second.trials] == list(range(7))
    assert second.new_trials == 7 - len(first.trials)
    kept = {t.number: t for t in second.trials}
    for trial in first.trials:
        assert kept[trial.number].params == trial.params
        assert kept[trial.number].mean_test_score == trial.mean_test_score
    # a run with the same budget again has nothing left to do
    assert run_study(plan, tmp_path / "p.hpt").new_trials == 0


def test_resumed_random_study_matches_an_uninterrupted_one(tmp_path):
    data = _tiny_classification(tmp_path)
    plan = plan_study(data=data, target="bought", model="DecisionTreeClassifier",
                      strategy="random", trials=4, cv=3, seed=2, name="r")
    straight = run_study(plan, tmp_path / "a.hpt")
    run_study(plan_study(data=data, target="bought", model="DecisionTreeClassifier",
                         strategy="random", trials=2, cv=3, seed=2, name="r"), tmp_path / "b.hpt")
    resumed = run_study(plan, tmp_path / "b.hpt")
    assert [(t.params, t.mean_test_score) for t in resumed.trials] == [
        (t.params, t.mean_test_score) for t in straight.trials
    ]


def test_changed_settings_do_not_resume_silently(tmp_path):
    from hpt_gui.core.store import StoreError

    data = _tiny_classification(tmp_path)
    run_study(plan_study(data=data, target="bought", model="DecisionTreeClassifier",
                         strategy="random", trials=1, cv=3, name="s"), tmp_path / "p.hpt")
    other = plan_study(data=data, target="bought", model="DecisionTreeClassifier",
                       strategy="random", trials=1, cv=4, name="s")
    with pytest.raises(StoreError, match="different settings .*number of folds"):
        run_study(other, tmp_path / "p.hpt")


def test_mixed_data_regression_with_two_jobs(tmp_path):
    rng = np.random.default_rng(1)
    n = 60
    frame = pd.DataFrame({
        "rooms": rng.integers(1, 6, n).astype(float),
        "area": rng.normal(80, 20, n),
        "district": rng.choice(["north", "south"], n),
    })
    frame["price"] = frame["area"] * 3 + frame["rooms"] * 10 + rng.normal(0, 5, n)
    frame.loc[::5, "area"] = np.nan
    path = tmp_path / "houses.csv"
    frame.to_csv(path, index=False)
    plan = plan_study(data=path, target="price", model="Ridge", strategy="random", trials=4,
                      cv=3, seed=0, name="ridge", scoring="neg_root_mean_squared_error")
    result = run_study(plan, tmp_path / "p.hpt", jobs=2)
    assert [t.state for t in result.trials] == [TrialState.COMPLETE] * 4
    assert all(t.mean_test_score < 0 for t in result.trials)
    with ProjectStore(tmp_path / "p.hpt") as store:
        assert len(store.trials("ridge")) == 4
