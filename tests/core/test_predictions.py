"""Out-of-fold predictions of a stored trial: the same numbers as scikit-learn's
cross_val_predict on the study's own pipeline and splits, kept in the project and read
back unchanged, refused with a sentence when the trial failed or the data changed."""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_val_predict
from trial_samples import project_with_failed_trial

from hpt_gui.core import engine
from hpt_gui.core import predictions as oof
from hpt_gui.core.catalog import get_model
from hpt_gui.core.pipeline import build_pipeline
from hpt_gui.core.predictions import Predictions, PredictionsError
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import Categorical, SearchSpace
from hpt_gui.core.store import ProjectStore, best_trial
from hpt_gui.core.study import build_context, plan_study


def _study(folder, name, data, model, space, **options):
    """A small grid study (3 folds), run inline; (project, spec, trials)."""
    plan = plan_study(data=data, target=options.pop("target", None), model=model,
                      space=space, strategy="grid", cv=3, name=name, **options)
    project = folder / f"{name}.hpt"
    run_study(plan, project, jobs=1)
    with ProjectStore(project) as store:
        return project, plan.spec, store.trials(name)


@pytest.fixture(scope="module")
def studies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oof")
    return {
        "binary": _study(folder, "cancer", "demo:breast_cancer", "LogisticRegression",
                         SearchSpace((Categorical("C", (0.1, 1.0)),))),
        "multiclass": _study(folder, "wine", "demo:wine", "KNeighborsClassifier",
                             SearchSpace((Categorical("n_neighbors", (3, 7)),)),
                             validation={"scheme": "repeated", "repeats": 2}),
        "votes": _study(folder, "wine-svc", "demo:wine", "SVC",
                        SearchSpace((Categorical("C", (1.0,)),)),
                        validation={"scheme": "repeated", "repeats": 2}),
        "decision": _study(folder, "cancer-svc", "demo:breast_cancer", "SVC",
                           SearchSpace((Categorical("C", (1.0,)),))),
        "regression": _study(folder, "diabetes", "demo:diabetes", "Ridge",
                             SearchSpace((Categorical("alpha", (0.1, 10.0)),))),
        "regression-repeated": _study(folder, "diabetes-rep", "demo:diabetes", "Ridge",
                                      SearchSpace((Categorical("alpha", (1.0,)),)),
                                      validation={"scheme": "repeated", "repeats": 2}),
        "held-out": _study(folder, "iris-test", "demo:iris", "DecisionTreeClassifier",
                           SearchSpace((Categorical("max_depth", (2,)),)), test_size=0.2),
    }


def _sklearn(spec, trial, method, splits=None):
    """cross_val_predict with the study's pipeline on its own rows and splits (or some of
    them): (positions of the searched rows in the table, predictions)."""
    from hpt_gui.core.export import load_study_data

    dataset = load_study_data(spec)
    context, rows = build_context(spec, dataset)
    pipeline = build_pipeline(get_model(spec.model), trial.params, spec.seed,
                              context.numeric, context.categorical)
    chosen = list(context.splits) if splits is None else splits(context.splits)
    predicted = cross_val_predict(pipeline, context.X, context.y, cv=chosen, method=method)
    return rows.searched(dataset.n_rows), predicted


@pytest.mark.parametrize("kind", ["binary", "decision", "regression"])
def test_single_kfold_equals_cross_val_predict(studies, kind):
    project, spec, trials = studies[kind]
    trial = best_trial(trials)
    got = oof.compute_predictions(spec, trial)
    assert got.trial == trial.number and got.rows == len(got.fold)
    assert (got.count == 1).all() and set(got.fold) == {0, 1, 2}
    rows, predicted = _sklearn(spec, trial, "predict")
    assert (rows == np.arange(got.rows)).all()
    if spec.task == "classification":
        assert np.array_equal(got.predicted_values().astype(predicted.dtype), predicted)
        method = "predict_proba" if kind == "binary" else "decision_function"
        _, scores = _sklearn(spec, trial, method)
        assert got.score_kind == ("probability" if kind == "binary" else "decision")
        np.testing.assert_allclose(got.scores, np.asarray(scores).reshape(got.scores.shape),
                                   rtol=0, atol=1e-9)
        assert got.score_columns() == (got.classes if kind == "binary" else got.classes[1:])
    else:
        np.testing.assert_allclose(got.predicted, predicted, rtol=0, atol=1e-9)
        assert got.scores is None and got.classes == ()
    assert got.note == ""


def _per_repeat(spec, trial, method, repeats=2, folds=3):
    return [_sklearn(spec, trial, method, lambda s, r=r: list(s[r * folds:(r + 1) * folds]))[1]
            for r in range(repeats)]


def test_repeated_kfold_averages_probabilities_over_the_repeats(studies):
    _, spec, trials = studies["multiclass"]
    trial = best_trial(trials)
    got = oof.compute_predictions(spec, trial)
    assert (got.count == 2).all() and set(got.fold) == {0, 1, 2}
    probabilities = np.mean(_per_repeat(spec, trial, "predict_proba"), axis=0)
    np.testing.assert_allclose(got.scores, probabilities, rtol=0, atol=1e-9)
    expected = np.asarray(got.classes)[np.argmax(probabilities, axis=1)]
    assert np.array_equal(got.predicted_values().astype(expected.dtype), expected)
    assert "highest mean probability" in got.note and "2 repeats" in got.note


def test_repeated_kfold_without_probabilities_takes_the_most_frequent_class(studies):
    _, spec, trials = studies["votes"]
    trial = best_trial(trials)
    got = oof.compute_predictions(spec, trial)
    assert got.score_kind == "decision"
    first, second = _per_repeat(spec, trial, "predict")
    classes = np.asarray(got.classes)
    # two votes: agreed, or a tie that goes to the first class in order
    expected = np.where(first == second, first, np.minimum(first, second))
    assert np.array_equal(got.predicted_values().astype(classes.dtype), expected)
    scores = np.mean(_per_repeat(spec, trial, "decision_function"), axis=0)
    np.testing.assert_allclose(got.scores, scores, rtol=0, atol=1e-9)
    assert "predicted most often" in got.note


def test_repeated_regression_averages_the_values(studies):
    _, spec, trials = studies["regression-repeated"]
    trial = best_trial(trials)
    got = oof.compute_predictions(spec, trial)
    expected = np.mean(_per_repeat(spec, trial, "predict"), axis=0)
    np.testing.assert_allclose(got.predicted, expected, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(got.actual, load_diabetes_target())


def load_diabetes_target():
    from sklearn.datasets import load_diabetes

    return load_diabetes().target


def test_actual_values_are_the_tables_target_in_file_order(studies):
    _, spec, trials = studies["binary"]
    got = oof.compute_predictions(spec, best_trial(trials), importance_repeats=0)
    assert np.array_equal(got.actual_values(), load_breast_cancer().target)
    assert got.importance is None


def test_held_out_rows_have_no_prediction(studies):
    _, spec, trials = studies["held-out"]
    trial = best_trial(trials)
    got = oof.compute_predictions(spec, trial)
    searched, predicted = _sklearn(spec, trial, "predict")
    assert got.rows == 150 and len(searched) == 120
    missing = np.setdiff1d(np.arange(150), searched)
    assert (got.fold[missing] == -1).all() and (got.count[missing] == 0).all()
    assert all(v is None for v in got.predicted_values()[missing])
    assert np.isnan(got.scores[missing]).all()
    assert np.array_equal(got.predicted_values()[searched].astype(int), predicted)
    assert (got.fold[searched] >= 0).all()
    assert "30 row(s) are never in a validation fold" in got.note


def test_importance_is_per_original_column(studies):
    _, spec, trials = studies["binary"]
    got = oof.compute_predictions(spec, best_trial(trials))
    assert got.importance_columns == tuple(load_breast_cancer().feature_names)
    assert got.importance.shape == (30, 3 * oof.IMPORTANCE_REPEATS)


def test_mixed_columns_are_importance_by_original_name(mixed_csv, tmp_path):
    path = mixed_csv("classification")
    project, spec, trials = _study(tmp_path, "mixed", str(path), "LogisticRegression",
                                   SearchSpace((Categorical("C", (1.0,)),)), target="y")
    got = engine.predictions(project, "mixed")
    assert set(got.importance_columns) == {"age", "income", "city"}  # not one-hot names
    table = pd.read_csv(path)
    assert list(got.actual_values()) == list(table["y"])
    assert got.classes == ("no", "yes")


def test_stored_and_read_back_without_refitting(studies, tmp_path, monkeypatch):
    import shutil

    project, spec, trials = studies["multiclass"]
    copy = tmp_path / "copy.hpt"
    shutil.copy(project, copy)
    made = engine.predictions(copy, spec.name)
    assert Predictions.from_json(json.loads(json.dumps(made.to_json()))) == made
    tupled = replace(made, params={"hidden_layer_sizes": (8, 4)})  # JSON has no tuples
    assert Predictions.from_json(json.loads(json.dumps(tupled.to_json()))) == tupled

    def no_fit(*args, **kwargs):
        raise AssertionError("refitted")

    monkeypatch.setattr(oof, "compute_predictions", no_fit)
    again = engine.predictions(copy, spec.name)
    assert again == made and again is not made
    assert engine.stored_predictions(copy, spec.name, made.trial) == made
    with pytest.raises(ValueError, match="read-only"):
        again.fold[0] = 5


def test_old_project_without_the_table_reads_none(studies, tmp_path):
    import shutil
    import sqlite3

    project, spec, trials = studies["regression"]
    copy = tmp_path / "old.hpt"
    shutil.copy(project, copy)
    with sqlite3.connect(copy) as db:
        db.execute("DROP TABLE IF EXISTS predictions")
    assert engine.stored_predictions(copy, spec.name, best_trial(trials).number) is None
    made = engine.predictions(copy, spec.name)  # the table is made when opened
    assert engine.stored_predictions(copy, spec.name, made.trial) == made


def test_a_failed_trial_is_refused_with_a_sentence(studies, tmp_path):
    _, spec, trials = studies["regression"]
    project = _with_failed_trial(tmp_path, spec, trials)
    with pytest.raises(PredictionsError, match="Trial 99 did not complete") as caught:
        engine.predictions(project, spec.name, 99)
    assert engine.is_sentence(caught.value)
    with pytest.raises(PredictionsError, match="no trial number 7"):
        engine.predictions(project, spec.name, 7)


def _with_failed_trial(folder, spec, trials):
    return project_with_failed_trial(folder, spec, trials, {"alpha": 2.0})


def test_a_changed_or_missing_data_file_is_refused(mixed_csv, tmp_path):
    path = mixed_csv("regression")
    project, spec, trials = _study(tmp_path, "changed", str(path), "Ridge",
                                   SearchSpace((Categorical("alpha", (1.0,)),)), target="y")
    original = path.read_bytes()
    path.write_bytes(original.replace(b"Lyon", b"Nice", 1))
    with pytest.raises(PredictionsError, match="has changed since the study ran") as caught:
        engine.predictions(project, "changed")
    assert engine.is_sentence(caught.value)
    path.unlink()
    with pytest.raises(tuple(engine.USER_ERRORS)):
        engine.predictions(project, "changed")
    path.write_bytes(original)
    made = engine.predictions(project, "changed")
    path.unlink()  # kept predictions need no data file
    assert engine.predictions(project, "changed") == made


def test_predictions_run_in_a_worker_pool(studies):
    _, spec, trials = studies["binary"]
    trial = best_trial(trials)
    inline = oof.compute_predictions(spec, trial, importance_repeats=0)
    pooled = oof.compute_predictions(spec, trial, jobs=2, importance_repeats=0)
    assert pooled == inline
