"""The model catalog: every default search space builds and fits, quietly."""

from __future__ import annotations

import inspect
import itertools
import json
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import is_classifier, is_regressor
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from hpt_gui.core.catalog import (
    MODELS,
    CatalogError,
    ModelInfo,
    catalog_json,
    check_params,
    get_model,
    models_for_task,
)
from hpt_gui.core.space import Categorical, SearchSpace

REQUIRED = {
    "LogisticRegression", "SVC", "KNeighborsClassifier", "DecisionTreeClassifier",
    "RandomForestClassifier", "ExtraTreesClassifier", "GradientBoostingClassifier",
    "HistGradientBoostingClassifier", "MLPClassifier", "GaussianNB",
    "Ridge", "Lasso", "ElasticNet", "SVR", "KNeighborsRegressor", "DecisionTreeRegressor",
    "RandomForestRegressor", "ExtraTreesRegressor", "GradientBoostingRegressor",
    "HistGradientBoostingRegressor", "MLPRegressor",
}
ALL = list(MODELS.values())
IDS = list(MODELS)


def _tiny_data() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    Xc, yc = make_classification(
        n_samples=60, n_features=6, n_informative=4, n_classes=3, n_clusters_per_class=1,
        random_state=0,
    )
    # The target is left unscaled on purpose: the app does not scale it either.
    Xr, yr = make_regression(n_samples=60, n_features=6, noise=10.0, random_state=0)
    return {
        "classification": (StandardScaler().fit_transform(Xc), yc),
        "regression": (StandardScaler().fit_transform(Xr), yr),
    }


DATA = _tiny_data()


def _fit(model: ModelInfo, params: dict, seed: int = 0) -> None:
    """Construct and fit with every warning an error, except ConvergenceWarning.

    One thread, as in the app (which runs folds in parallel); threads only slow tiny fits.
    """
    X, y = DATA[model.task]
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ConvergenceWarning)
        # 60 rows are fewer than the largest batch_size; the MLP clips it (harmless).
        warnings.filterwarnings("ignore", message="Got `batch_size` less than 1 or larger")
        try:
            estimator = model.make_estimator(params, seed)
            if model.scale_target:  # as the pipeline does
                estimator = TransformedTargetRegressor(estimator, transformer=StandardScaler())
            estimator.fit(X, y)
        except Exception as exc:
            raise AssertionError(f"{model.name} failed with {params}: {exc!r}") from exc


def _corner_configs(space: SearchSpace) -> list[dict]:
    """Every combination of the categorical choices, with numbers all at low or all at high."""
    categorical = [d.name for d in space if isinstance(d, Categorical)]
    combos = space.restricted_to(categorical).grid() if categorical else [{}]
    configs = []
    for combo, side in itertools.product(combos, ("low", "high")):
        numbers = {d.name: getattr(d, side) for d in space if not isinstance(d, Categorical)}
        configs.append(space.active({**numbers, **combo}))
    return configs


def test_catalog_holds_every_required_model_keyed_by_class_name() -> None:
    assert len(MODELS) >= 21
    assert REQUIRED <= set(MODELS)
    for key, model in MODELS.items():
        assert key == model.name == model.class_path.rsplit(".", 1)[-1]
        assert model.hyperparameters


def test_classifiers_come_first_and_tasks_filter() -> None:
    tasks = [m.task for m in MODELS.values()]
    assert tasks == sorted(tasks)  # "classification" < "regression"
    assert all(m.task == "classification" for m in models_for_task("classification"))
    assert all(m.task == "regression" for m in models_for_task("regression"))
    assert len(models_for_task("classification")) + len(models_for_task("regression")) == len(
        MODELS
    )
    with pytest.raises(CatalogError, match="Unknown task 'clustering'"):
        models_for_task("clustering")


@pytest.mark.parametrize("model", ALL, ids=IDS)
def test_estimator_task_matches_scikit_learn(model: ModelInfo) -> None:
    estimator = model.make_estimator(model.default_space.default(), seed=0)
    if model.task == "classification":
        assert is_classifier(estimator) and not is_regressor(estimator)
    else:
        assert model.task == "regression"
        assert is_regressor(estimator) and not is_classifier(estimator)


@pytest.mark.parametrize("model", ALL, ids=IDS)
def test_default_space_json_round_trips(model: ModelInfo) -> None:
    space = model.default_space
    assert space.names == [h.name for h in model.hyperparameters]
    assert SearchSpace.loads(space.dumps()) == space
    assert SearchSpace.from_json(model.to_json()["default_space"]) == space


@pytest.mark.parametrize("model", ALL, ids=IDS)
def test_default_and_random_configs_fit(model: ModelInfo) -> None:
    space = model.default_space
    configs = [space.default()] + [space.sample(np.random.default_rng(i)) for i in range(5)]
    for params in configs:
        _fit(model, params)


@pytest.mark.parametrize("model", ALL, ids=IDS)
def test_extreme_configs_fit(model: ModelInfo) -> None:
    for params in _corner_configs(model.default_space):
        _fit(model, params)


@pytest.mark.parametrize("model", ALL, ids=IDS)
def test_texts_are_plain_single_sentences(model: ModelInfo) -> None:
    for text in (model.label, model.summary):
        assert text and "\n" not in text
    assert model.summary.endswith(".")
    for hp in model.hyperparameters:
        assert hp.dimension.name == hp.name
        for text in (hp.label, hp.help, hp.overfit):
            assert text.strip() and "\n" not in text, (model.name, hp.name)
        assert hp.help.endswith(".") and hp.overfit.endswith("."), (model.name, hp.name)


@pytest.mark.parametrize("model", ALL, ids=IDS)
def test_seed_reaches_random_state_and_fixed_args_are_real(model: ModelInfo) -> None:
    signature = inspect.signature(model.estimator_class()).parameters
    assert model.has_random_state == ("random_state" in signature)
    check_params(model, model.fixed)  # constructor arguments, none deprecated
    params = model.estimator_params(model.default_space.default(), seed=7)
    assert set(params) <= set(signature)
    if model.has_random_state:
        assert params["random_state"] == 7
        assert model.make_estimator({}, seed=7).get_params()["random_state"] == 7
    # LogisticRegression's n_jobs is deprecated (no effect) in scikit-learn 1.8+.
    if "n_jobs" in signature and model.name != "LogisticRegression":
        assert model.fixed.get("n_jobs") == 1
    assert "probability" not in params and "penalty" not in params


def test_logistic_regression_translates_penalty() -> None:
    model = get_model("LogisticRegression")
    l2 = model.estimator_params({"C": 2.0, "penalty": "l2", "l1_ratio": 0.7}, seed=1)
    assert l2 == {"max_iter": 1000, "C": 2.0, "l1_ratio": 0.0, "solver": "lbfgs",
                  "random_state": 1}
    l1 = model.estimator_params({"penalty": "l1"}, seed=None)
    assert (l1["l1_ratio"], l1["solver"]) == (1.0, "saga")
    mixed = model.estimator_params({"penalty": "elasticnet", "l1_ratio": 0.3}, seed=None)
    assert (mixed["l1_ratio"], mixed["solver"]) == (0.3, "saga")
    assert model.estimator_params({}, seed=None)["l1_ratio"] == 0.0
    for params in (l2, l1, mixed):
        assert "penalty" not in params
    with pytest.raises(CatalogError, match="penalty must be"):
        model.estimator_params({"penalty": "none"}, seed=None)


@pytest.mark.parametrize("name", ["MLPClassifier", "MLPRegressor"])
def test_mlp_translates_architecture(name: str) -> None:
    model = get_model(name)
    params = model.estimator_params(
        {"hidden_layers": 3, "units_per_layer": 32, "alpha": 0.01}, seed=3
    )
    assert params["hidden_layer_sizes"] == (32, 32, 32)
    assert "hidden_layers" not in params and "units_per_layer" not in params
    assert params["alpha"] == 0.01 and params["random_state"] == 3
    assert model.estimator_params({"units_per_layer": 16}, None)["hidden_layer_sizes"] == (16,)
    assert "hidden_layer_sizes" not in model.estimator_params({}, None)
    estimator = model.make_estimator({"hidden_layers": 2, "units_per_layer": 8}, seed=0)
    assert estimator.hidden_layer_sizes == (8, 8)


def test_mlp_schedule_only_with_sgd() -> None:
    model = get_model("MLPClassifier")
    dim = model.hyperparameter("learning_rate").dimension
    assert dim.when is not None and dim.when.to_json() == {"solver": ["sgd"]}
    adam = model.estimator_params({"solver": "adam", "learning_rate": "adaptive"}, None)
    assert "learning_rate" not in adam


def test_inactive_values_are_dropped_only_when_the_parent_switches_them_off() -> None:
    model = get_model("SVC")
    assert "gamma" not in model.estimator_params({"kernel": "linear", "gamma": 0.1}, None)
    assert model.estimator_params({"kernel": "poly", "gamma": 0.1}, None)["gamma"] == 0.1
    assert model.estimator_params({"gamma": 0.1}, None)["gamma"] == 0.1


def test_get_model_errors_are_sentences_with_suggestions() -> None:
    assert get_model("Ridge") is MODELS["Ridge"]
    with pytest.raises(CatalogError) as info:
        get_model("RandomForrestClassifier")
    message = str(info.value)
    assert message.startswith("Unknown model 'RandomForrestClassifier'")
    assert "did you mean 'RandomForestClassifier'" in message
    assert "Known models: LogisticRegression" in message and message.endswith(".")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    with pytest.raises(KeyError, match="Unknown model 'xyz'. Known models"):
        get_model("xyz")


def test_check_params() -> None:
    forest = get_model("RandomForestClassifier")
    check_params(forest, {"max_depth": 3, "class_weight": "balanced"})  # tunable or real
    check_params(get_model("MLPClassifier"), {"hidden_layers": 2, "hidden_layer_sizes": (4,)})
    with pytest.raises(CatalogError, match=r"no parameter 'max_dept'.*'max_depth'") as info:
        check_params(forest, {"max_dept": 3})
    assert str(info.value).endswith(".")
    with pytest.raises(CatalogError, match="'probability' is deprecated"):
        check_params(get_model("SVC"), {"probability": True})
    with pytest.raises(CatalogError, match="unknown"):
        forest.make_estimator({"unknown": 1}, seed=0)
    with pytest.raises(KeyError, match="no hyperparameter 'depth'"):
        forest.hyperparameter("depth")
    assert forest.hyperparameter("max_depth").name == "max_depth"


def test_catalog_json_is_serialisable() -> None:
    data = json.loads(json.dumps(catalog_json()))
    assert [m["name"] for m in data] == list(MODELS)
    first = data[0]
    assert set(first) == {
        "name", "task", "label", "summary", "class_path", "fixed", "needs_scaling",
        "scale_target", "has_random_state", "default_space", "hyperparameters",
    }
    assert set(first["hyperparameters"][0]) == {"name", "label", "help", "overfit", "simpler",
                                                "dimension"}


def test_models_pickle_for_worker_processes() -> None:
    for model in ALL:
        assert pickle.loads(pickle.dumps(model)) == model


def test_importing_the_catalog_does_not_import_scikit_learn() -> None:
    code = (
        "import sys, hpt_gui.core.catalog; "
        "print(sorted(m for m in sys.modules if m.startswith('sklearn')))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_every_complexity_setting_says_which_way_is_simpler():
    """The 1-SE choice and the verdict's advice read ``simpler``; a direction must name a
    real direction or the categorical's own choices."""
    for model in MODELS.values():
        for hp in model.hyperparameters:
            if isinstance(hp.simpler, tuple):
                assert set(hp.simpler) == set(hp.dimension.choices), (model.name, hp.name)
            else:
                assert hp.simpler in (None, "higher", "lower"), (model.name, hp.name)
    tree = MODELS["DecisionTreeClassifier"]
    assert tree.hyperparameter("max_depth").simpler == "lower"
    assert tree.hyperparameter("min_samples_leaf").simpler == "higher"
    assert MODELS["SVC"].hyperparameter("kernel").simpler[0] == "linear"
    assert MODELS["RandomForestClassifier"].hyperparameter("n_estimators").simpler is None
    assert MODELS["GradientBoostingClassifier"].hyperparameter("n_estimators").simpler == "lower"
