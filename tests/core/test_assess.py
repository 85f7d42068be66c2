"""The assessment of a trial: scikit-learn's metrics on its out-of-fold predictions, the
confusion matrix as sklearn.metrics.confusion_matrix, permutation importance per column."""

import numpy as np
import pytest
from sklearn import metrics as m
from sklearn.inspection import permutation_importance

from hpt_gui.core import engine
from hpt_gui.core.assess import assess
from hpt_gui.core.catalog import get_model
from hpt_gui.core.export import load_study_data
from hpt_gui.core.pipeline import build_pipeline
from hpt_gui.core.predictions import compute_predictions
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import Categorical, SearchSpace
from hpt_gui.core.store import ProjectStore, best_trial
from hpt_gui.core.study import build_context, plan_study


def _study(folder, name, data, model, space, **options):
    plan = plan_study(data=data, target=None, model=model, space=space, strategy="grid",
                      cv=3, name=name, **options)
    project = folder / f"{name}.hpt"
    run_study(plan, project, jobs=1)
    with ProjectStore(project) as store:
        trials = store.trials(name)
    return project, plan.spec, trials, compute_predictions(plan.spec, best_trial(trials))


@pytest.fixture(scope="module")
def studies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("assess")
    return {
        "binary": _study(folder, "cancer", "demo:breast_cancer", "LogisticRegression",
                         SearchSpace((Categorical("C", (0.1, 1.0)),))),
        "multiclass": _study(folder, "wine", "demo:wine", "KNeighborsClassifier",
                             SearchSpace((Categorical("n_neighbors", (5,)),)),
                             validation={"scheme": "repeated", "repeats": 2}),
        "regression": _study(folder, "diabetes", "demo:diabetes", "Ridge",
                             SearchSpace((Categorical("alpha", (1.0,)),))),
    }


def _pairs(p):
    seen = p.has_prediction
    return p.actual_values()[seen], p.predicted_values()[seen].astype(p.actual_values().dtype)


def test_binary_metrics_are_sklearns(studies):
    *_, p = studies["binary"]
    result = assess(p)
    y, pred = _pairs(p)
    proba = p.scores
    expected = {
        "accuracy": m.accuracy_score(y, pred),
        "balanced_accuracy": m.balanced_accuracy_score(y, pred),
        "f1_macro": m.f1_score(y, pred, average="macro"),
        "roc_auc": m.roc_auc_score(y, proba[:, 1]),
        "log_loss": m.log_loss(y, proba),
    }
    assert result.metrics.keys() == expected.keys()
    for name, value in expected.items():
        assert result.metrics[name] == pytest.approx(value, abs=1e-12), name
    assert result.confusion_matrix["labels"] == [0, 1]
    assert result.confusion_matrix["counts"] == m.confusion_matrix(y, pred).tolist()
    precision, recall, f1, support = m.precision_recall_fscore_support(y, pred)
    assert [result.per_class[k]["support"] for k in ("0", "1")] == support.tolist()
    assert result.per_class["1"]["recall"] == pytest.approx(recall[1], abs=1e-12)
    assert result.per_class["0"]["precision"] == pytest.approx(precision[0], abs=1e-12)
    assert result.per_class["0"]["f1"] == pytest.approx(f1[0], abs=1e-12)
    assert result.rows == 569


def test_multiclass_metrics_are_sklearns(studies):
    *_, p = studies["multiclass"]
    result = assess(p)
    y, pred = _pairs(p)
    assert set(result.metrics) == {"accuracy", "balanced_accuracy", "f1_macro",
                                   "roc_auc_ovr", "log_loss"}
    assert result.metrics["roc_auc_ovr"] == pytest.approx(
        m.roc_auc_score(y, p.scores, multi_class="ovr"), abs=1e-12)
    assert result.metrics["f1_macro"] == pytest.approx(m.f1_score(y, pred, average="macro"),
                                                       abs=1e-12)
    assert result.confusion_matrix["counts"] == m.confusion_matrix(y, pred).tolist()
    assert len(result.per_class) == 3


def test_regression_metrics_are_sklearns(studies):
    *_, p = studies["regression"]
    result = assess(p)
    y, pred = p.actual, p.predicted
    assert result.metrics == pytest.approx({
        "r2": m.r2_score(y, pred), "rmse": m.root_mean_squared_error(y, pred),
        "mae": m.mean_absolute_error(y, pred),
        "mape": m.mean_absolute_percentage_error(y, pred)}, abs=1e-12)
    assert result.confusion_matrix is None and result.per_class is None
    assert "confusion_matrix" not in result.to_json()


def test_mape_is_left_out_with_a_zero_actual(studies):
    from dataclasses import replace

    *_, p = studies["regression"]
    actual = p.actual.copy()
    actual[0] = 0.0
    assert "mape" not in assess(replace(p, actual=actual)).metrics


def test_importance_is_permutation_importance_on_each_validation_fold(studies):
    _, spec, trials, p = studies["binary"]
    trial = best_trial(trials)
    context, _ = build_context(spec, load_study_data(spec))
    samples = []
    for fold, (train, test) in enumerate(context.splits):
        pipeline = build_pipeline(get_model(spec.model), trial.params, spec.seed,
                                  context.numeric, context.categorical)
        pipeline.fit(context.X.iloc[train], context.y[train])
        found = permutation_importance(pipeline, context.X.iloc[test], context.y[test],
                                       scoring=spec.scoring, n_repeats=5,
                                       random_state=spec.seed + fold)
        samples.append(found.importances)
    samples = np.concatenate(samples, axis=1)
    result = assess(p)
    assert list(result.importance) == list(context.X.columns)
    for column, row in zip(context.X.columns, samples, strict=True):
        assert result.importance[column]["mean"] == pytest.approx(np.mean(row), abs=1e-12)
        assert result.importance[column]["std"] == pytest.approx(np.std(row), abs=1e-12)


def test_engine_assess_reads_the_kept_predictions(studies):
    project, spec, trials, p = studies["multiclass"]
    result = engine.assess(project, spec.name)
    assert result.to_json() == assess(p).to_json()
    assert engine.stored_predictions(project, spec.name, p.trial) == p
