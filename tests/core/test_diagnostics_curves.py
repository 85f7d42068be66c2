"""Curves from real fits: equal to scikit-learn's, on the study's own splits."""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from hpt_gui.core.catalog import get_model
from hpt_gui.core.diagnostics.curves import (
    CurveCancelled,
    context_for_spec,
    dimension_for,
    learning_context,
    learning_curve,
    validation_curve,
    validation_values,
)
from hpt_gui.core.diagnostics.regularization import is_linear, regularization_path
from hpt_gui.core.evaluate import EvalContext, make_splits
from hpt_gui.core.executor import InlineExecutor, LocalProcessExecutor
from hpt_gui.core.export import ExportError
from hpt_gui.core.pipeline import build_pipeline
from hpt_gui.core.space import Categorical, FloatRange, IntRange
from hpt_gui.core.study import plan_study


@pytest.fixture(scope="module")
def iris_plan():
    return plan_study(data="demo:iris", target=None, model="DecisionTreeClassifier", cv=5,
                      seed=3, name="iris")


def _regression_context(model, n=80, features=8, informative=3, seed=0):
    from sklearn.datasets import make_regression

    X, y = make_regression(n_samples=n, n_features=features, n_informative=informative,
                           noise=5.0, random_state=seed)
    columns = [f"f{i}" for i in range(features)]
    return EvalContext(X=pd.DataFrame(X, columns=columns), y=y,
                       splits=make_splits(y, "regression", 4, seed), model=model,
                       numeric=tuple(columns), categorical=(), scoring="r2", seed=seed)


# --------------------------------------------------------------------------- context


def test_context_for_spec_rebuilds_the_studys_context(iris_plan):
    rebuilt = context_for_spec(iris_plan.spec)
    original = iris_plan.context
    assert len(rebuilt.splits) == len(original.splits) == 5
    for (train, test), (train0, test0) in zip(rebuilt.splits, original.splits, strict=True):
        assert np.array_equal(train, train0) and np.array_equal(test, test0)
    pd.testing.assert_frame_equal(rebuilt.X, original.X)
    assert np.array_equal(rebuilt.y, original.y)
    assert (rebuilt.model, rebuilt.numeric, rebuilt.categorical, rebuilt.scoring,
            rebuilt.seed) == (original.model, original.numeric, original.categorical,
                              original.scoring, original.seed)
    assert context_for_spec(iris_plan.spec, iris_plan.dataset).splits[0][1].tolist() == \
        original.splits[0][1].tolist()


def test_context_for_spec_refuses_other_data(iris_plan):
    changed = replace(iris_plan.spec, data_fingerprint="0" * 64)
    with pytest.raises(ExportError, match="changed since the study ran"):
        context_for_spec(changed)
    with pytest.raises(ExportError, match="changed since the study ran"):
        context_for_spec(changed, iris_plan.dataset)


def test_dimension_for_falls_back_to_the_catalog_range(iris_plan):
    assert dimension_for(iris_plan.spec, "max_depth") == iris_plan.spec.space["max_depth"]
    narrow = replace(iris_plan.spec, space=iris_plan.spec.space.restricted_to(["criterion"]))
    assert dimension_for(narrow, "max_depth") == get_model(
        "DecisionTreeClassifier").hyperparameter("max_depth").dimension


# --------------------------------------------------------------------------- values


def test_validation_values_spread_over_the_range_and_keep_the_current_value():
    log_float = validation_values(FloatRange("C", 1e-3, 1e3, log=True), current=0.5, points=7)
    assert log_float == [0.001, 0.01, 0.1, 0.5, 1.0, 10.0, 100.0, 1000.0]
    assert validation_values(FloatRange("a", 0.0, 1.0), points=5) == [0.0, 0.25, 0.5, 0.75, 1.0]
    ints = validation_values(IntRange("leaf", 1, 30, log=True), current=7, points=9)
    assert ints == sorted(set(ints)) and ints[0] == 1 and ints[-1] == 30 and 7 in ints
    assert all(type(v) is int for v in ints)
    assert validation_values(IntRange("depth", 1, 4), points=9) == [1, 2, 3, 4]
    assert validation_values(IntRange("n", 10, 50, step=10), points=3) == [10, 30, 50]
    assert validation_values(Categorical("k", ("rbf", "linear")), current="rbf") == [
        "rbf", "linear"]


# --------------------------------------------------------------------------- validation


def test_validation_curve_equals_sklearn_on_the_same_splits(iris_plan):
    from sklearn.model_selection import validation_curve as sk_validation_curve

    context = iris_plan.context
    params = {"min_samples_leaf": 2}
    values = [1, 2, 3, 5, 8]
    progress = []
    curve = validation_curve(context, params, "max_depth", values, InlineExecutor(context),
                             on_progress=lambda done, total: progress.append((done, total)))
    pipeline = build_pipeline(get_model(context.model), params, context.seed, context.numeric,
                              context.categorical)
    train, test = sk_validation_curve(
        pipeline, context.X, context.y, param_name="model__max_depth", param_range=values,
        cv=list(context.splits), scoring=context.scoring)
    assert np.max(np.abs(np.array(curve.test_folds) - test)) <= 1e-9
    assert np.max(np.abs(np.array(curve.train_folds) - train)) <= 1e-9
    assert curve.test_mean == pytest.approx(test.mean(axis=1), abs=1e-12)
    assert curve.test_std == pytest.approx(test.std(axis=1), abs=1e-12)
    assert curve.train_mean == pytest.approx(train.mean(axis=1), abs=1e-12)
    assert (curve.x, curve.param, curve.kind) == (tuple(values), "max_depth", "validation")
    assert curve.errors == (None,) * len(values)
    assert progress[0] == (0, 25) and progress[-1] == (25, 25)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_failing_values_are_reported_not_raised(iris_plan):
    context = replace(iris_plan.context, model="KNeighborsClassifier")
    curve = validation_curve(context, {}, "n_neighbors", [5, 500], InlineExecutor(context))
    assert curve.errors[0] is None and curve.test_mean[0] > 0.8
    assert "n_neighbors" in curve.errors[1] or "n_samples" in curve.errors[1]
    assert curve.test_mean[1] is None and curve.train_std[1] is None
    assert curve.test_folds[1] == (None,) * 5
    data = json.loads(json.dumps(curve.to_json()))
    assert data["test_mean"][1] is None and data["x"] == [5, 500]


def test_should_stop_cancels_between_fits(iris_plan):
    context = iris_plan.context
    fits = []
    with pytest.raises(CurveCancelled):
        validation_curve(context, {}, "max_depth", [1, 2, 3], InlineExecutor(context),
                         should_stop=lambda: len(fits) >= 2,
                         on_progress=lambda done, total: fits.append(done))
    assert max(fits) < 15


# --------------------------------------------------------------------------- learning


def test_learning_context_cuts_each_fold_into_nested_stratified_subsets(iris_plan):
    context = iris_plan.context
    derived, sizes = learning_context(context, (0.01, 0.05, 0.25, 0.5, 0.5, 1.0))
    assert sizes == (6.0, 30.0, 60.0, 120.0)  # 0.01 of 120 rows cannot hold all 3 classes
    folds = len(context.splits)
    assert len(derived.splits) == len(sizes) * folds
    y = np.asarray(context.y)
    for k, (train, test) in enumerate(context.splits):
        subsets = [derived.splits[s * folds + k] for s in range(len(sizes))]
        for (rows, validation), size in zip(subsets, sizes, strict=True):
            assert len(rows) == size and np.array_equal(validation, test)
            assert set(rows) <= set(train)
            assert len(np.unique(y[rows])) == 3
        for (small, _), (large, _) in zip(subsets, subsets[1:], strict=False):
            assert set(small) <= set(large)
        assert np.array_equal(subsets[-1][0], train)  # the full size is the fold itself
    counts = np.unique(y[derived.splits[folds][0]], return_counts=True)[1]  # 30 rows
    assert counts.tolist() == [10, 10, 10]


def test_learning_curve_ends_at_the_studys_cv_score(iris_plan):
    context = iris_plan.context
    params = {"max_depth": 3}
    made = []

    def factory(derived):
        made.append(derived)
        return InlineExecutor(derived)

    curve = learning_curve(context, params, factory)
    plain = validation_curve(context, {}, "max_depth", [3], InlineExecutor(context))
    assert len(made) == 1 and curve.kind == "learning" and curve.param == "train_size"
    assert list(curve.x) == sorted(curve.x) and len(set(curve.x)) == len(curve.x)
    assert curve.x[-1] == 120.0 and curve.x[0] == 12.0
    assert curve.test_folds[-1] == plain.test_folds[0]
    assert curve.test_mean[-1] == plain.test_mean[0]
    assert all(len(folds) == 5 for folds in curve.test_folds)


def test_learning_curve_in_worker_processes_matches_inline():
    context = _regression_context("Ridge")
    fractions = (0.3, 0.6, 1.0)
    pools = []

    def in_processes(derived):
        pools.append(LocalProcessExecutor(derived, 2))
        return pools[-1]

    pooled = learning_curve(context, {"alpha": 1.0}, in_processes, fractions)
    inline = learning_curve(context, {"alpha": 1.0}, InlineExecutor, fractions)
    assert pools and pools[0]._closed  # shut down by learning_curve itself
    assert pooled.test_folds == inline.test_folds and pooled.x == inline.x == (18.0, 36.0, 60.0)
    assert pooled.test_mean[0] < pooled.test_mean[-1]  # more rows, better validation


# --------------------------------------------------------------------------- regularization


def test_lasso_path_drops_more_inputs_at_larger_alpha():
    from sklearn.linear_model import Lasso
    from sklearn.preprocessing import StandardScaler

    context = _regression_context("Lasso")
    values = [0.01, 0.1, 1.0, 3.0, 10.0, 30.0]
    path = regularization_path(context, {}, "alpha", values)
    assert path.param == "alpha" and path.values == tuple(values) and path.signed
    assert path.feature_names == tuple(context.numeric)
    assert list(path.zero_counts) == sorted(path.zero_counts)
    assert path.zero_counts[-1] > path.zero_counts[0]
    scaled = StandardScaler().fit_transform(context.X)
    direct = Lasso(alpha=1.0, max_iter=10_000, random_state=0).fit(scaled, context.y).coef_
    assert path.coefficients[2] == pytest.approx(direct, abs=1e-9)
    assert json.loads(json.dumps(path.to_json(), allow_nan=False))["values"] == values


def test_multiclass_logistic_path_uses_the_norm_across_classes(iris_plan):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    context = replace(iris_plan.context, model="LogisticRegression")
    path = regularization_path(context, {"penalty": "l2"}, "C", [0.01, 1.0])
    assert not path.signed and path.feature_names == tuple(context.numeric)
    scaled = StandardScaler().fit_transform(context.X)
    coef = LogisticRegression(C=1.0, l1_ratio=0.0, max_iter=1000, random_state=3).fit(
        scaled, context.y).coef_
    assert path.coefficients[1] == pytest.approx(np.linalg.norm(coef, axis=0), abs=1e-6)
    assert all(c >= 0 for row in path.coefficients for c in row)
    stops = iter([False, True])
    with pytest.raises(CurveCancelled):
        regularization_path(context, {}, "C", [0.1, 1.0], should_stop=lambda: next(stops))


def test_is_linear_names_the_strength():
    assert is_linear("LogisticRegression") == "C"
    assert is_linear("Ridge") == is_linear("Lasso") == is_linear("ElasticNet") == "alpha"
    assert is_linear("SVC") is None and is_linear("DecisionTreeClassifier") is None
