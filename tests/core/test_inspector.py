"""What a fitted model learned: facts checked against the estimator's own attributes."""

import json
import re
import time

import numpy as np
import pandas as pd
import pytest

from hpt_gui.core.catalog import MODELS, get_model
from hpt_gui.core.diagnostics.inspector import (
    LearnedFact,
    facts_to_json,
    feature_names,
    hyperparameters_set,
    inspect_model,
)
from hpt_gui.core.pipeline import MODEL_STEP, build_pipeline

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _data(task, n=90):
    from sklearn.datasets import make_classification, make_regression

    if task == "classification":
        X, y = make_classification(n_samples=n, n_features=6, n_informative=3, n_classes=3,
                                   random_state=0)
    else:
        X, y = make_regression(n_samples=n, n_features=6, n_informative=3, random_state=0)
    columns = [f"f{i}" for i in range(X.shape[1])]
    return pd.DataFrame(X, columns=columns), y, columns


def _fit(model, params=None):
    X, y, columns = _data(get_model(model).task)
    return build_pipeline(get_model(model), params or {}, 0, columns, ()).fit(X, y)


def _facts(model, params=None):
    pipeline = _fit(model, params)
    return pipeline, {f.label: f for f in inspect_model(pipeline, model)}


def _first_int(text):
    return int(re.search(r"\d[\d,]*", text).group().replace(",", ""))


# Settings that keep every fit well under a second.
FAST = {
    "MLPClassifier": {"max_iter": 30}, "MLPRegressor": {"max_iter": 30},
    "RandomForestClassifier": {"n_estimators": 10}, "RandomForestRegressor": {"n_estimators": 10},
    "ExtraTreesClassifier": {"n_estimators": 10}, "ExtraTreesRegressor": {"n_estimators": 10},
    "GradientBoostingClassifier": {"n_estimators": 10},
    "GradientBoostingRegressor": {"n_estimators": 10},
    "HistGradientBoostingClassifier": {"max_iter": 10},
    "HistGradientBoostingRegressor": {"max_iter": 10},
}


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_catalog_model_says_something_readable(model):
    facts = inspect_model(_fit(model, FAST.get(model)), model)
    assert facts and all(isinstance(f, LearnedFact) for f in facts)
    assert all(f.label and f.value and f.explanation.endswith(".") for f in facts)
    assert json.loads(json.dumps(facts_to_json(facts)))[0]["label"] == facts[0].label


def test_depth_limited_tree_reports_depth_within_the_limit():
    pipeline, facts = _facts("DecisionTreeClassifier", {"max_depth": 3})
    tree = pipeline.named_steps[MODEL_STEP]
    assert _first_int(facts["Depth reached"].value) == tree.get_depth() <= 3
    assert "limit 3" in facts["Depth reached"].value
    assert _first_int(facts["Leaves"].value) == tree.get_n_leaves()


def test_l1_logistic_regression_reports_its_zero_coefficients():
    pipeline, facts = _facts("LogisticRegression", {"penalty": "l1", "C": 0.05})
    coef = pipeline.named_steps[MODEL_STEP].coef_
    zeros = int(np.sum(coef == 0))
    assert zeros > 0
    assert facts["Coefficients exactly zero"].value == f"{zeros} of {coef.size}"
    assert facts["Coefficients"].value.startswith(f"{coef.size} (3 classes")
    top = facts["Largest coefficients"].value
    biggest = np.unravel_index(np.argmax(np.abs(coef)), coef.shape)
    assert top.startswith(f"f{biggest[1]} (class {biggest[0]}): ")
    assert "of at most 1,000" in facts["Iterations until convergence"].value


def test_lasso_names_its_largest_coefficient_and_intercept():
    pipeline, facts = _facts("Lasso", {"alpha": 1.0})
    lasso = pipeline.named_steps[MODEL_STEP]
    first = facts["Largest coefficients"].value.split(",")[0]
    name, value = first.split(": ")
    assert name == f"f{np.argmax(np.abs(lasso.coef_))}"
    assert float(value) == pytest.approx(lasso.coef_[np.argmax(np.abs(lasso.coef_))], rel=1e-3)
    assert float(facts["Intercept"].value) == pytest.approx(lasso.intercept_, rel=1e-3)


def test_svc_counts_its_support_vectors():
    pipeline, facts = _facts("SVC", {"C": 1.0, "kernel": "rbf"})
    svc = pipeline.named_steps[MODEL_STEP]
    assert _first_int(facts["Support vectors"].value) == int(svc.n_support_.sum())
    per_class = facts["Support vectors per class"].value
    assert [int(part.split(": ")[1]) for part in per_class.split(", ")] == svc.n_support_.tolist()
    assert facts["Share of training rows"].value.endswith("of 90")


def test_other_families_report_their_own_attributes():
    pipeline, facts = _facts("KNeighborsClassifier", {"n_neighbors": 4})
    assert facts["Stored training rows"].value == "90"
    pipeline, facts = _facts("GaussianNB")
    priors = pipeline.named_steps[MODEL_STEP].class_prior_
    assert [float(p.split(": ")[1]) for p in facts["Class priors"].value.split(", ")] == \
        pytest.approx(priors, abs=1e-3)
    pipeline, facts = _facts("RandomForestRegressor", {"n_estimators": 7, "max_depth": 4})
    assert facts["Trees"].value == "7" and "limit 4" in facts["Depth reached"].value
    pipeline, facts = _facts("GradientBoostingClassifier", {"n_estimators": 200})
    used = pipeline.named_steps[MODEL_STEP].n_estimators_
    assert facts["Boosting rounds used"].value == f"{used} of 200"


def test_mlp_regression_is_unwrapped_from_its_target_scaler():
    pipeline, facts = _facts("MLPRegressor", {"hidden_layers": 2, "units_per_layer": 8,
                                              "max_iter": 20})
    mlp = pipeline.named_steps[MODEL_STEP].regressor_
    assert facts["Layer weight shapes"].value == "6x8, 8x8, 8x1"
    assert facts["Weights"].value.startswith(f"{6 * 8 + 8 * 8 + 8} ")
    assert facts["Training epochs"].value == f"{mlp.n_iter_} of at most 20"
    assert facts["Converged"].value == ("yes" if mlp.n_iter_ < 20 else "no")


def test_inspects_the_pipeline_export_refits(tmp_path):
    from hpt_gui.core.export import fit_final_pipeline, load_study_data
    from hpt_gui.core.store import TrialRecord, TrialState
    from hpt_gui.core.study import plan_study

    plan = plan_study(data="demo:iris", target=None, model="DecisionTreeClassifier", cv=3)
    trial = TrialRecord(0, TrialState.COMPLETE, {"max_depth": 2}, (), time.time(), time.time())
    pipeline = fit_final_pipeline(plan.spec, trial, load_study_data(plan.spec))
    facts = {f.label: f for f in inspect_model(pipeline, plan.spec.model)}
    assert facts["Depth reached"].value == "2 (limit 2)"


def test_feature_names_are_the_columns_the_model_saw():
    pipeline = _fit("Ridge")
    assert feature_names(pipeline) == [f"f{i}" for i in range(6)]
    bare = pipeline.named_steps[MODEL_STEP]  # no preprocess step: numbered columns
    assert feature_names(bare) == [f"x{i}" for i in range(6)]


def test_hyperparameters_set_uses_catalog_labels_and_skips_inactive():
    rows = hyperparameters_set("SVC", {"gamma": 0.1, "kernel": "linear", "C": 2.0, "tol": 1e-3})
    assert rows == [("Penalty for errors (C)", "C", 2.0), ("Kernel", "kernel", "linear"),
                    ("tol", "tol", 1e-3)]
    rows = hyperparameters_set("SVC", {"kernel": "rbf", "gamma": 0.1})
    assert ("Kernel width (gamma)", "gamma", 0.1) in rows
    assert hyperparameters_set("LogisticRegression", {"penalty": "l2", "l1_ratio": 0.5}) == [
        ("Penalty type", "penalty", "l2")]


def test_hyperparameters_set_keeps_a_setting_whose_parent_was_not_given():
    # The estimator's default kernel (rbf) uses gamma, and the catalog passes it on.
    assert get_model("SVC").estimator_params({"gamma": 0.1}, None)["gamma"] == 0.1
    assert hyperparameters_set("SVC", {"gamma": 0.1}) == [("Kernel width (gamma)", "gamma", 0.1)]
