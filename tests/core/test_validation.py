"""Validation schemes, the held-out test set and nested cross-validation, each against
scikit-learn's own splitters and searches on the same rows and seed."""

from __future__ import annotations

import html
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn import model_selection as ms
from sklearn.metrics import get_scorer

from hpt_gui.cli import main
from hpt_gui.core.catalog import get_model
from hpt_gui.core.diagnostics.verdict import shown
from hpt_gui.core.format import number
from hpt_gui.core.nested import outer_name, run_nested
from hpt_gui.core.pipeline import build_pipeline
from hpt_gui.core.runner import FINISHED, run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import SpecError, StudySpec
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import describe_cost, plan_study
from hpt_gui.core.validation import describe_estimate, describe_validation

TREE_GRID = {"max_depth": {"type": "categorical", "choices": [1, 3]},
             "min_samples_leaf": {"type": "categorical", "choices": [1, 8]}}
N = 120


@pytest.fixture(scope="module")
def sites_csv(tmp_path_factory):
    """Two classes, a text column with gaps, and 12 sites (the groups), in time order."""
    rng = np.random.default_rng(3)
    site = rng.choice([f"site-{k}" for k in range(12)], N)
    a = rng.normal(size=N) + np.isin(site, ["site-1", "site-3", "site-5"]) * 0.8
    frame = pd.DataFrame({
        "a": a, "b": rng.normal(size=N), "colour": rng.choice(["red", "blue", "green"], N),
        "site": site,
    })
    frame.loc[::9, "colour"] = np.nan
    frame["label"] = np.where(a + rng.normal(0, 0.8, N) > 0.3, "yes", "no")
    path = tmp_path_factory.mktemp("data") / "sites.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def frame(sites_csv):
    return pd.read_csv(sites_csv)


def _plan(data, scheme=None, task_model="DecisionTreeClassifier", target="label", **kw):
    return plan_study(data=data, target=target, model=task_model,
                      space=SearchSpace.from_json(TREE_GRID), strategy="grid", cv=kw.pop("cv", 4),
                      seed=kw.pop("seed", 7), validation=scheme, name=kw.pop("name", "s"), **kw)


SCHEMES = {
    "kfold": (None, lambda: ms.StratifiedKFold(4, shuffle=True, random_state=7)),
    "repeated": ({"scheme": "repeated", "repeats": 2},
                 lambda: ms.RepeatedStratifiedKFold(n_splits=4, n_repeats=2, random_state=7)),
    "shuffle": ({"scheme": "shuffle", "holdout": 0.3},
                lambda: ms.StratifiedShuffleSplit(n_splits=4, test_size=0.3, random_state=7)),
    "group": ({"scheme": "group", "group": "site"},
              lambda: ms.StratifiedGroupKFold(n_splits=4, shuffle=True, random_state=7)),
    "time": ({"scheme": "time"}, lambda: ms.TimeSeriesSplit(n_splits=4)),
}


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_splits_equal_scikit_learns_splitter(sites_csv, frame, scheme):
    validation, splitter = SCHEMES[scheme]
    plan = _plan(sites_csv, validation)
    y = frame["label"].astype(str).to_numpy()
    groups = frame["site"].to_numpy() if scheme == "group" else None
    expected = list(splitter().split(frame, y, groups))
    assert len(plan.context.splits) == len(expected) == plan.folds
    for (train, test), (train0, test0) in zip(plan.context.splits, expected, strict=True):
        np.testing.assert_array_equal(train, train0)
        np.testing.assert_array_equal(test, test0)
    assert plan.held_out is None and plan.rows.rows is None


def test_group_column_is_set_aside_and_folds_keep_groups_together(sites_csv, frame):
    plan = _plan(sites_csv, {"scheme": "group", "group": "site"})
    assert "site" not in plan.dataset.feature_names and "site" not in plan.context.X.columns
    assert plan.spec.roles["site"] == "group"
    sites = frame["site"].to_numpy()
    for train, test in plan.context.splits:
        assert not set(sites[train]) & set(sites[test])


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_regression_uses_the_unstratified_splitters(sites_csv, frame, task, tmp_path):
    if task == "regression":
        data = tmp_path / "r.csv"
        frame.assign(label=frame["a"] * 2 + frame["b"]).to_csv(data, index=False)
        plan = plan_study(data=data, target="label", model="Ridge", cv=3, seed=1,
                          validation={"scheme": "repeated", "repeats": 2}, name="r")
        expected = ms.RepeatedKFold(n_splits=3, n_repeats=2, random_state=1)
    else:
        plan = _plan(sites_csv, {"scheme": "repeated", "repeats": 2}, cv=3, seed=1)
        expected = ms.RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=1)
    y = plan.dataset.y()
    for (_, test), (_, test0) in zip(plan.context.splits, expected.split(frame, y),
                                     strict=True):
        np.testing.assert_array_equal(test, test0)


@pytest.mark.parametrize("scheme", ["repeated", "group"])
def test_grid_fold_scores_equal_gridsearchcv_with_the_same_splitter(sites_csv, frame, scheme,
                                                                    tmp_path):
    validation, splitter = SCHEMES[scheme]
    plan = _plan(sites_csv, validation)
    result = run_study(plan, tmp_path / "p.hpt", jobs=1)
    assert result.status == FINISHED and len(result.trials) == 4
    X, y = plan.context.X, plan.context.y  # the features (site set aside), as given to models
    pipeline = build_pipeline(get_model("DecisionTreeClassifier"), {}, 7,
                              plan.dataset.numeric_features, plan.dataset.categorical_features)
    search = ms.GridSearchCV(
        pipeline, {"model__max_depth": [1, 3], "model__min_samples_leaf": [1, 8]},
        cv=splitter(), scoring="accuracy", return_train_score=True,
    ).fit(X, y, groups=frame["site"].to_numpy() if scheme == "group" else None)
    ours = {(t.params["max_depth"], t.params["min_samples_leaf"]): t for t in result.trials}
    for i, params in enumerate(search.cv_results_["params"]):
        trial = ours[(params["model__max_depth"], params["model__min_samples_leaf"])]
        assert len(trial.folds) == plan.folds
        for k, fold in enumerate(trial.folds):
            assert fold.test_score == pytest.approx(
                search.cv_results_[f"split{k}_test_score"][i], abs=1e-12)
            assert fold.train_score == pytest.approx(
                search.cv_results_[f"split{k}_train_score"][i], abs=1e-12)


@pytest.mark.parametrize("scheme", ["kfold", "group", "time"])
def test_test_rows_never_reach_the_search_and_are_scored_once(sites_csv, frame, scheme,
                                                             tmp_path):
    validation, _ = SCHEMES[scheme]
    plan = _plan(sites_csv, validation, test_size=0.25, cv=3)
    kept, test = plan.rows.rows, plan.rows.held_out
    assert len(np.intersect1d(kept, test)) == 0 and len(kept) + len(test) == N
    for train, validate in plan.context.splits:  # positions within the kept rows
        assert not set(kept[train]) & set(test) and not set(kept[validate]) & set(test)
    y = frame["label"].to_numpy()
    if scheme == "kfold":  # train_test_split, stratified and seeded
        expected = ms.train_test_split(np.arange(N), test_size=0.25, random_state=7, stratify=y)
        np.testing.assert_array_equal(test, np.sort(expected[1]))
    elif scheme == "time":  # the last rows of the file
        np.testing.assert_array_equal(test, np.arange(N - 30, N))
    else:  # whole sites
        assert not set(frame["site"][kept]) & set(frame["site"][test])

    result = run_study(plan, tmp_path / "p.hpt")
    best = result.best
    assert result.test_trial == best.number
    # By hand: the best trial refit on every kept row, scored on the test rows.
    X = plan.dataset.X()
    model = build_pipeline(get_model("DecisionTreeClassifier"), best.params, 7,
                           plan.dataset.numeric_features, plan.dataset.categorical_features)
    model.fit(X.iloc[kept], y[kept])
    assert result.test_score == pytest.approx(
        get_scorer("accuracy")(model, X.iloc[test], y[test]), abs=1e-12)
    with ProjectStore(tmp_path / "p.hpt") as store:
        stored = store.results("s")
    assert stored["test_score"] == result.test_score and stored["test_rows"] == len(test)
    # Resumed with nothing left to run, the same test score comes back.
    assert run_study(plan, tmp_path / "p.hpt").test_score == result.test_score


def test_nested_outer_scores_equal_a_manual_nested_loop(tmp_path, monkeypatch):
    from sklearn.datasets import load_diabetes

    data = tmp_path / "diabetes.csv"
    load_diabetes(as_frame=True).frame.to_csv(data, index=False)
    alphas = [0.01, 1.0, 30.0]
    plan = plan_study(data=data, target="target", model="Ridge", strategy="grid", cv=3, seed=4,
                      space=SearchSpace.from_json(
                          {"alpha": {"type": "categorical", "choices": alphas}}),
                      nested=3, scoring="r2", name="n")
    assert "x 4 searches (3 outer folds and the final one) = 36 fits" in describe_cost(plan)
    names = []
    result = run_nested(plan, tmp_path / "p.hpt", on_study=names.append)
    assert names == [outer_name("n", k, 3) for k in (1, 2, 3)] + ["n"]
    assert result.spec_name == "n" and result.status == FINISHED and len(result.trials) == 3

    X, y = plan.dataset.X(), plan.dataset.y()
    pipeline = build_pipeline(get_model("Ridge"), {}, 4, plan.dataset.numeric_features, [])
    manual = []
    for train, test in ms.KFold(3, shuffle=True, random_state=4).split(X, y):
        search = ms.GridSearchCV(pipeline, {"model__alpha": alphas},
                                 cv=ms.KFold(3, shuffle=True, random_state=4),
                                 scoring="r2").fit(X.iloc[train], y[train])
        manual.append(get_scorer("r2")(search.best_estimator_, X.iloc[test], y[test]))
    estimate = result.results
    assert estimate["nested_scores"] == pytest.approx(manual, abs=1e-12)
    assert estimate["nested_mean"] == pytest.approx(np.mean(manual), abs=1e-12)
    assert estimate["nested_std"] == pytest.approx(np.std(manual), abs=1e-12)
    with ProjectStore(tmp_path / "p.hpt") as store:
        assert [row.name for row in store.studies()] == names
        assert store.results("n") == estimate
        assert store.results(names[0])["test_score"] == estimate["nested_scores"][0]
    # Run again: every search resumes with nothing to do, the estimate is the same.
    again = run_nested(plan, tmp_path / "p.hpt")
    assert again.new_trials == 0 and again.results["nested_scores"] == estimate["nested_scores"]

    # The report says it, with each outer fold's score (pictures left out: no Qt needed).
    monkeypatch.setitem(sys.modules, "hpt_gui.ui.plots.render", None)
    out = tmp_path / "n.html"
    assert main(["report", "--project", str(tmp_path / "p.hpt"), "--study", "n",
                 "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "How good the tuned model is" in text
    assert describe_estimate(plan.spec, estimate) in html.unescape(text)
    assert f"(std {number(np.std(manual))} over 3 outer folds; the honest" in \
        describe_estimate(plan.spec, estimate)  # says which spread, over what
    assert all(shown("r2", score) in text for score in manual)


def _spec(**kw):
    return StudySpec(name="s", data="demo:iris", target="target", model="SVC",
                     space=SearchSpace.from_json({"C": {"type": "float", "low": 0.1, "high": 10}}),
                     task="classification", **kw)


def test_old_specs_load_as_kfold_and_new_settings_are_differences():
    old = _spec().to_json()
    for key in ("validation", "test_size", "nested", "outer"):
        del old[key]
    loaded = StudySpec.from_json(old)
    assert loaded.validation == {"scheme": "kfold"} and loaded.differences(_spec()) == []
    assert _spec(validation={"scheme": "repeated"}).validation == {"scheme": "repeated",
                                                                   "repeats": 3}
    assert _spec(validation={"scheme": "shuffle"}).validation["holdout"] == 0.2
    assert _spec(test_size=0.2).differences(_spec()) == ["the held-out test set"]
    assert _spec(nested=3).differences(_spec()) == ["the nested cross-validation"]
    assert _spec(validation={"scheme": "time"}).differences(_spec()) == [
        "the validation scheme"]
    spec = _spec(validation={"scheme": "group", "group": "g"}, test_size=0.25)
    assert StudySpec.loads(spec.dumps()) == spec
    assert describe_validation(spec) == "5-fold group CV on 'g', 25 % test set"


@pytest.mark.parametrize("kw, phrase", [
    ({"validation": {"scheme": "bootstrap"}}, "Unknown validation scheme 'bootstrap'"),
    ({"validation": {"scheme": "group"}}, "needs the group column"),
    ({"validation": {"scheme": "time", "holdout": 0.2}}, "time-series split has no option "
                                                          "holdout"),
    ({"validation": {"scheme": "repeated", "repeats": 1}}, "repeats must be a whole number"),
    ({"validation": {"scheme": "shuffle", "holdout": 1.5}}, "validation share"),
    ({"test_size": 0}, "test set's share"),
    ({"nested": 1}, "outer folds from 2"),
    ({"nested": 3, "test_size": 0.2}, "takes no held-out test set"),
    ({"outer": 2}, "outer fold must be"),
])
def test_impossible_settings_are_sentences(kw, phrase):
    with pytest.raises(SpecError, match=phrase):
        _spec(**kw)


@pytest.mark.parametrize("kw, phrase", [
    ({"validation": {"scheme": "group", "group": "nope"}}, "no column 'nope' to group"),
    ({"validation": {"scheme": "group", "group": "site"}, "cv": 20},
     "needs at least 20 groups, but the group column has 12"),
    ({"validation": {"scheme": "time"}, "cv": 200}, "needs at least 201 rows, but there are "
                                                    "120 in the data"),
    ({"test_size": 0.99}, "119 rows for the test and 1 for the search, but each must hold"),
    ({"validation": {"scheme": "group", "group": "site"}, "nested": 13},
     "group k-fold into 13 outer folds needs at least 13 groups"),
    ({"validation": {"scheme": "shuffle", "holdout": 0.99}}, "validation share of 0.99"),
])
def test_data_that_cannot_be_split_is_a_sentence(sites_csv, kw, phrase):
    with pytest.raises(SpecError, match=phrase):
        _plan(sites_csv, kw.pop("validation", None), **kw)


def test_a_resumed_nested_run_gives_no_search_another_time_limit(tmp_path):
    plan = plan_study(data="demo:iris", target="target", model="DecisionTreeClassifier",
                      space=SearchSpace.from_json(TREE_GRID), strategy="random", cv=3,
                      time_limit=0.5, nested=2, name="t")
    first = run_nested(plan, tmp_path / "p.hpt")
    with ProjectStore(tmp_path / "p.hpt") as store:
        counts = {row.name: (row.status, len(store.trials(row.name)))
                  for row in store.studies()}
    assert {status for status, _ in counts.values()} == {"time limit reached"}
    again = run_nested(plan, tmp_path / "p.hpt")
    with ProjectStore(tmp_path / "p.hpt") as store:
        assert {row.name: (row.status, len(store.trials(row.name)))
                for row in store.studies()} == counts
    assert again.results["nested_scores"] == first.results["nested_scores"]
