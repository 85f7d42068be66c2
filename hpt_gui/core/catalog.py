"""The models an analyst can tune, with plain-language help and safe default ranges.

Each :class:`ModelInfo` names a scikit-learn estimator by its dotted path (imported only
when a model is built, so importing this module stays fast), the constructor arguments
that are always set, and its hyperparameters. Every default search space is chosen so
that every configuration it allows constructs and fits without errors or deprecation
warnings (only ``ConvergenceWarning`` may appear).

Some hyperparameters are *virtual*: they are easier to search than the real argument and
:meth:`ModelInfo.estimator_params` translates them:

- LogisticRegression ``penalty`` (``l2``/``l1``/``elasticnet``) becomes ``l1_ratio`` and a
  solver that supports it (scikit-learn 1.8 deprecated ``penalty`` itself).
- MLP ``hidden_layers`` and ``units_per_layer`` become ``hidden_layer_sizes``.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .space import Categorical, Condition, Dimension, FloatRange, IntRange, SearchSpace

TASKS = ("classification", "regression")


class CatalogError(KeyError, ValueError):
    """An unknown model or parameter, phrased for the user."""

    def __str__(self) -> str:  # KeyError would wrap the sentence in quotes
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Hyperparameter:
    """One searchable setting, its default range and what it does in plain words."""

    name: str
    label: str
    help: str
    overfit: str
    dimension: Dimension
    # Which way is the simpler model: "higher", "lower", a categorical's choices from the
    # simplest, or None when the setting does not change complexity. The one-standard-error
    # choice and the verdict's advice read it.
    simpler: str | tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        if self.dimension.name != self.name:
            raise ValueError(f"Hyperparameter {self.name!r} has a dimension named "
                             f"{self.dimension.name!r}.")
        if self.simpler is None:
            object.__setattr__(self, "simpler", _simpler_direction(self.dimension))

    def to_json(self) -> dict[str, Any]:
        simpler = list(self.simpler) if isinstance(self.simpler, tuple) else self.simpler
        return {
            "name": self.name, "label": self.label, "help": self.help,
            "overfit": self.overfit, "simpler": simpler, "dimension": self.dimension.to_json(),
        }


# The simpler (less flexible, more regularized) direction of each hyperparameter, by its
# name; the names mean the same in every model of the catalog. Settings that only change
# speed or which inputs count (criterion, p, solver, batch_size, n_estimators of a forest)
# are left out: they do not make a model simpler.
_SIMPLER_NUMBERS = {
    "max_depth": "lower", "min_samples_leaf": "higher", "min_samples_split": "higher",
    "max_features": "lower", "max_leaf_nodes": "lower", "l2_regularization": "higher",
    "subsample": "lower", "n_neighbors": "higher", "C": "lower", "gamma": "lower",
    "degree": "lower", "epsilon": "higher", "hidden_layers": "lower",
    "units_per_layer": "lower", "alpha": "higher", "max_iter": "lower",
    "var_smoothing": "higher", "l1_ratio": "higher", "learning_rate": "lower",
}
_SIMPLER_CHOICES: dict[str, tuple[Any, ...]] = {
    "kernel": ("linear", "rbf", "poly"), "weights": ("uniform", "distance"),
    "penalty": ("l1", "elasticnet", "l2"), "early_stopping": (True, False),
}
# Boosting rounds make a model more complex; a forest's trees do not.
_BOOSTING_ROUNDS = "Number of boosting rounds"


def _simpler_direction(dimension: Dimension) -> str | tuple[Any, ...] | None:
    if dimension.kind == "categorical":
        order = _SIMPLER_CHOICES.get(dimension.name)
        if order is None:
            return None
        return tuple(c for c in order if c in dimension.choices) + tuple(
            c for c in dimension.choices if c not in order)
    return _SIMPLER_NUMBERS.get(dimension.name)


Translator = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class ModelInfo:
    """One estimator of the catalog; builds the estimator for a trial's parameters."""

    name: str
    task: str
    label: str
    summary: str
    class_path: str
    fixed: Mapping[str, Any] = field(hash=False)
    needs_scaling: bool
    has_random_state: bool
    hyperparameters: tuple[Hyperparameter, ...]
    translate: Translator | None = field(default=None, repr=False, compare=False)
    scale_target: bool = False  # standardize y inside each fold (MLP regression needs it)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fixed", dict(self.fixed))
        object.__setattr__(self, "hyperparameters", tuple(self.hyperparameters))
        SearchSpace(tuple(h.dimension for h in self.hyperparameters))  # fail early if broken

    @property
    def default_space(self) -> SearchSpace:
        return SearchSpace(tuple(h.dimension for h in self.hyperparameters))

    def hyperparameter(self, name: str) -> Hyperparameter:
        for hp in self.hyperparameters:
            if hp.name == name:
                return hp
        raise CatalogError(
            f"{self.name} has no hyperparameter '{name}'"
            f"{_suggest(name, [h.name for h in self.hyperparameters])}."
        )

    def estimator_class(self) -> type:
        """The scikit-learn class, imported on first use."""
        return _load_class(self.class_path)

    def estimator_params(self, params: Mapping[str, Any], seed: int | None) -> dict[str, Any]:
        """The concrete constructor arguments: fixed + params translated + random_state=seed.

        A value whose condition is contradicted by its parent's value (e.g. ``gamma`` with a
        linear kernel) is dropped, as a search would have left it out.
        """
        values = _drop_inactive(self.default_space, params)
        if self.translate is not None:
            values = self.translate(values)
        args = {**self.fixed, **values}
        if self.has_random_state:
            args["random_state"] = seed
        return args

    def make_estimator(self, params: Mapping[str, Any], seed: int | None) -> Any:
        """An unfitted estimator for these (virtual or real) parameters."""
        check_params(self, params)
        return self.estimator_class()(**self.estimator_params(params, seed))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "task": self.task,
            "label": self.label,
            "summary": self.summary,
            "class_path": self.class_path,
            "fixed": dict(self.fixed),
            "needs_scaling": self.needs_scaling,
            "scale_target": self.scale_target,
            "has_random_state": self.has_random_state,
            "default_space": self.default_space.to_json(),
            "hyperparameters": [h.to_json() for h in self.hyperparameters],
        }


@cache
def _load_class(class_path: str) -> type:
    module, _, name = class_path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _drop_inactive(space: SearchSpace, params: Mapping[str, Any]) -> dict[str, Any]:
    """Leave out values whose parent is given with a value that switches them off.

    A parent that is not given at all keeps the estimator's default, which this module
    cannot judge, so the child is kept.
    """
    dims = {d.name: d for d in space}
    kept = {}
    for name, value in params.items():
        dim = dims.get(name)
        if dim is not None and dim.when is not None and any(
            parent in params and not Condition(((parent, values),)).holds(params)
            for parent, values in dim.when.requires
        ):
            continue
        kept[name] = value
    return kept


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if not close:
        close = [k for k in known if name.lower() in k.lower() or k.lower() in name.lower()][:3]
    return f"; did you mean {' or '.join(repr(c) for c in close)}" if close else ""


# ---------------------------------------------------------------------------------------
# Virtual hyperparameters


def _logistic_translate(params: dict[str, Any]) -> dict[str, Any]:
    """penalty -> l1_ratio + a solver that supports it; penalty is never passed on."""
    out = dict(params)
    penalty = out.pop("penalty", None)
    if penalty is None:
        penalty = "elasticnet" if "l1_ratio" in out else "l2"
    if penalty == "l2":
        out["l1_ratio"], solver = 0.0, "lbfgs"
    elif penalty == "l1":
        out["l1_ratio"], solver = 1.0, "saga"  # liblinear rejects multiclass in 1.8+
    elif penalty == "elasticnet":
        out.setdefault("l1_ratio", 0.5)
        solver = "saga"
    else:
        raise CatalogError(
            f"LogisticRegression: penalty must be 'l2', 'l1' or 'elasticnet', not {penalty!r}."
        )
    out.setdefault("solver", solver)
    return out


def _mlp_translate(params: dict[str, Any]) -> dict[str, Any]:
    """hidden_layers x units_per_layer -> hidden_layer_sizes=(units,) * layers."""
    out = dict(params)
    layers = out.pop("hidden_layers", None)
    units = out.pop("units_per_layer", None)
    if layers is not None or units is not None:
        out["hidden_layer_sizes"] = (int(units or 100),) * int(layers or 1)
    return out


# ---------------------------------------------------------------------------------------
# Hyperparameters shared by several models

_LESS_IS_SIMPLER = "Smaller values: risk of overfitting; larger values: risk of underfitting."
_NO_DIRECT_EFFECT = "Mostly affects training speed and stability, not over- or underfitting."


def _hp(dimension: Dimension, label: str, help: str, overfit: str) -> Hyperparameter:
    simpler = "lower" if label == _BOOSTING_ROUNDS else None
    return Hyperparameter(dimension.name, label, help, overfit, dimension, simpler)


def _max_depth(low: int, high: int) -> Hyperparameter:
    return _hp(
        IntRange("max_depth", low, high),
        "Maximum tree depth",
        "How many yes/no questions in a row a tree may ask before it predicts.",
        "Deeper trees: risk of overfitting; shallower trees: risk of underfitting.",
    )


def _min_samples_leaf(low: int, high: int) -> Hyperparameter:
    return _hp(
        IntRange("min_samples_leaf", low, high, log=True),
        "Minimum rows per leaf",
        "The fewest training rows a tree's final group (leaf) may hold.",
        _LESS_IS_SIMPLER,
    )


def _min_samples_split() -> Hyperparameter:
    return _hp(
        IntRange("min_samples_split", 2, 40, log=True),
        "Minimum rows to split",
        "The fewest training rows a group must hold before the tree may split it further.",
        _LESS_IS_SIMPLER,
    )


def _max_features(low: float = 0.1) -> Hyperparameter:
    return _hp(
        FloatRange("max_features", low, 1.0),
        "Share of columns per split",
        "The fraction of input columns considered when choosing each split; less adds "
        "randomness.",
        "Higher: trees follow the data more closely, risk of overfitting; lower: more "
        "randomness, risk of underfitting.",
    )


def _criterion(choices: tuple[str, ...], help: str) -> Hyperparameter:
    return _hp(
        Categorical("criterion", choices),
        "Split quality measure",
        help,
        "Little effect on over- or underfitting; the choices usually give similar trees.",
    )


_CLASS_CRITERION = _criterion(
    ("gini", "entropy"),
    "How a split's purity is judged: Gini impurity or entropy (information gain).",
)


def _n_trees() -> Hyperparameter:
    return _hp(
        IntRange("n_estimators", 50, 300),
        "Number of trees",
        "How many trees vote on each prediction; more give steadier results but take longer.",
        "More trees rarely cause overfitting and mostly cost time; too few give noisy "
        "predictions.",
    )


def _boosting_rounds(name: str) -> Hyperparameter:
    return _hp(
        IntRange(name, 50, 300),
        _BOOSTING_ROUNDS,
        "How many small trees are added one after another, each correcting the ones before.",
        "More rounds: risk of overfitting (more so with a high learning rate); fewer: risk of "
        "underfitting.",
    )


def _boosting_learning_rate() -> Hyperparameter:
    return _hp(
        FloatRange("learning_rate", 0.01, 0.5, log=True),
        "Learning rate",
        "How strongly each new tree corrects the previous ones; small steps need more trees.",
        "Larger: risk of overfitting; smaller: risk of underfitting unless there are many "
        "rounds.",
    )


def _subsample() -> Hyperparameter:
    return _hp(
        FloatRange("subsample", 0.5, 1.0),
        "Share of rows per tree",
        "The fraction of training rows each tree is fitted on; below 1 adds randomness.",
        "Closer to 1: risk of overfitting; lower: more randomness, risk of underfitting.",
    )


def _forest(criteria: Hyperparameter | None) -> tuple[Hyperparameter, ...]:
    hps = [_n_trees(), _max_depth(2, 20), _min_samples_leaf(1, 20), _max_features()]
    return (*hps, criteria) if criteria is not None else tuple(hps)


def _gradient_boosting() -> tuple[Hyperparameter, ...]:
    return (
        _boosting_rounds("n_estimators"), _boosting_learning_rate(), _max_depth(1, 8),
        _min_samples_leaf(1, 20), _subsample(), _max_features(),
    )


def _hist_gradient_boosting() -> tuple[Hyperparameter, ...]:
    return (
        _boosting_rounds("max_iter"),
        _boosting_learning_rate(),
        _hp(
            IntRange("max_leaf_nodes", 8, 64, log=True),
            "Maximum leaves per tree",
            "The most final groups (leaves) each tree may split the data into.",
            "More leaves: risk of overfitting; fewer leaves: risk of underfitting.",
        ),
        _min_samples_leaf(5, 50),
        _hp(
            FloatRange("l2_regularization", 1e-4, 10.0, log=True),
            "L2 regularization",
            "A penalty that keeps each tree's corrections small.",
            "Larger: stronger regularization, risk of underfitting; smaller: risk of "
            "overfitting.",
        ),
        _max_features(0.3),
    )


def _tree(criterion: Hyperparameter) -> tuple[Hyperparameter, ...]:
    return (_max_depth(1, 20), _min_samples_split(), _min_samples_leaf(1, 30), criterion)


def _neighbours() -> tuple[Hyperparameter, ...]:
    return (
        _hp(
            IntRange("n_neighbors", 1, 50),
            "Number of neighbours",
            "How many of the most similar training rows are consulted for each prediction.",
            "Fewer neighbours: risk of overfitting; more neighbours: risk of underfitting.",
        ),
        _hp(
            Categorical("weights", ("uniform", "distance")),
            "Neighbour weighting",
            "Whether all neighbours count equally (uniform) or closer ones count more "
            "(distance).",
            "Distance weighting follows the training data more closely (risk of overfitting) "
            "than uniform.",
        ),
        _hp(
            Categorical("p", (2, 1)),
            "Distance measure",
            "How closeness is measured: 2 = straight-line (Euclidean), 1 = sum of differences "
            "(Manhattan).",
            "Little direct effect on over- or underfitting; it changes which rows count as "
            "near.",
        ),
    )


def _svm(regression: bool) -> tuple[Hyperparameter, ...]:
    shape = "fitted curve" if regression else "boundary between the classes"
    hps = [
        _hp(
            FloatRange("C", 1e-2, 1e3, log=True),
            "Penalty for errors (C)",
            "How much training errors cost; smaller C allows more errors for a simpler "
            f"{shape}.",
            "Larger C: weaker regularization, risk of overfitting; smaller C: risk of "
            "underfitting.",
        ),
        _hp(
            Categorical("kernel", ("rbf", "linear", "poly")),
            "Kernel",
            f"The shape the {shape} may take: smooth curves (rbf), straight (linear) or "
            "polynomial (poly).",
            "linear: simplest, risk of underfitting; rbf and poly: more flexible, risk of "
            "overfitting.",
        ),
        _hp(
            FloatRange("gamma", 1e-4, 10.0, log=True,
                       when=Condition((("kernel", ("rbf", "poly")),))),
            "Kernel width (gamma)",
            "How far the influence of one training row reaches; larger gamma means a shorter "
            "reach.",
            "Larger gamma: wigglier shapes, risk of overfitting; smaller gamma: risk of "
            "underfitting.",
        ),
        _hp(
            IntRange("degree", 2, 5, when=Condition((("kernel", ("poly",)),))),
            "Polynomial degree",
            "The degree of the polynomial kernel; higher degrees allow more complex shapes.",
            "Higher degree: risk of overfitting; lower degree: risk of underfitting.",
        ),
    ]
    if regression:
        hps.append(_hp(
            FloatRange("epsilon", 1e-3, 10.0, log=True),
            "Error tolerance (epsilon)",
            "Errors smaller than this, in the target's own units, are ignored when fitting.",
            "Larger epsilon: fewer details fitted, risk of underfitting; smaller: risk of "
            "overfitting.",
        ))
    return tuple(hps)


# libsvm never stops on its own for some kernel/C combinations; cap its iterations.
_SVM_FIXED = {"max_iter": 100_000}


def _mlp() -> tuple[Hyperparameter, ...]:
    hps = [
        _hp(
            IntRange("hidden_layers", 1, 3),
            "Hidden layers",
            "How many layers of neurons sit between the inputs and the output.",
            "More layers: more capacity, risk of overfitting; fewer: risk of underfitting.",
        ),
        _hp(
            IntRange("units_per_layer", 8, 256, log=True),
            "Neurons per layer",
            "How many neurons each hidden layer has.",
            "More neurons: risk of overfitting; fewer neurons: risk of underfitting.",
        ),
    ]
    # MLPRegressor standardizes its target in each fold, so sgd converges there too.
    hps += [
        _hp(
            Categorical("solver", ("adam", "sgd")),
            "Training algorithm",
            "adam adapts its step size as it goes; sgd is plain stochastic gradient "
            "descent.",
            _NO_DIRECT_EFFECT,
        ),
        _hp(
            Categorical("learning_rate", ("constant", "invscaling", "adaptive"),
                        when=Condition((("solver", ("sgd",)),))),
            "Learning-rate schedule",
            "How sgd's step size changes: kept constant, shrunk over time (invscaling) "
            "or shrunk when progress stalls (adaptive).",
            _NO_DIRECT_EFFECT,
        ),
    ]
    hps += [
        _hp(
            FloatRange("learning_rate_init", 1e-4, 1e-1, log=True),
            "Initial learning rate",
            "The size of each weight update at the start of training.",
            "Too large: unstable training; too small: training may stop before the model "
            "fits well (underfitting).",
        ),
        _hp(
            FloatRange("alpha", 1e-6, 1.0, log=True),
            "L2 regularization (alpha)",
            "A penalty that keeps the network's weights small.",
            "Larger alpha: stronger regularization, risk of underfitting; smaller: risk of "
            "overfitting.",
        ),
        _hp(
            IntRange("batch_size", 16, 256, log=True),
            "Batch size",
            "How many training rows are used for each weight update (capped at the number "
            "of rows).",
            "Small batches add noise that slightly regularizes; the effect on overfitting is "
            "usually small.",
        ),
        _hp(
            IntRange("max_iter", 50, 500),
            "Training epochs",
            "The most passes over the training data before training stops.",
            "More epochs: risk of overfitting (unless early stopping is on); fewer: risk of "
            "underfitting.",
        ),
        _hp(
            Categorical("early_stopping", (False, True)),
            "Early stopping",
            "Hold back 10% of the training rows and stop when the score on them stops "
            "improving.",
            "On: guards against overfitting but trains on fewer rows; off: risk of "
            "overfitting with many epochs.",
        ),
    ]
    return tuple(hps)


def _alpha(low: float, high: float, extra: str = "") -> Hyperparameter:
    return _hp(
        FloatRange("alpha", low, high, log=True),
        "Regularization strength (alpha)",
        f"How strongly the coefficients are pulled towards zero{extra}.",
        "Larger alpha: stronger regularization, risk of underfitting; smaller alpha: risk of "
        "overfitting.",
    )


def _l1_ratio(when: Condition | None = None) -> Hyperparameter:
    return _hp(
        FloatRange("l1_ratio", 0.0, 1.0, when=when),
        "L1 share",
        "The mix of the two penalties: 1 = only l1 (drops inputs), 0 = only l2 (shrinks "
        "all inputs).",
        "Little effect on over- or underfitting by itself; higher values drop more inputs.",
    )


# ---------------------------------------------------------------------------------------
# The catalog

_CLASSIFIERS = (
    ModelInfo(
        name="LogisticRegression",
        task="classification",
        label="Logistic regression",
        summary="A simple, fast model that weighs each input to estimate how likely each "
                "class is.",
        class_path="sklearn.linear_model.LogisticRegression",
        fixed={"max_iter": 1000},
        needs_scaling=True,
        has_random_state=True,
        hyperparameters=(
            _hp(
                FloatRange("C", 1e-3, 1e3, log=True),
                "Inverse regularization strength (C)",
                "How strongly the model is kept simple; smaller C means stronger "
                "regularization.",
                "Larger C: weaker regularization, risk of overfitting; smaller C: risk of "
                "underfitting.",
            ),
            _hp(
                Categorical("penalty", ("l2", "l1", "elasticnet")),
                "Penalty type",
                "How the model is kept simple: l2 shrinks all weights, l1 can set some to "
                "zero, elasticnet mixes both.",
                "Changes which inputs the model relies on; how strongly it is kept simple "
                "is set by C.",
            ),
            _l1_ratio(when=Condition((("penalty", ("elasticnet",)),))),
        ),
        translate=_logistic_translate,
    ),
    ModelInfo(
        name="KNeighborsClassifier",
        task="classification",
        label="k-nearest neighbours",
        summary="Predicts the class most common among the most similar training rows.",
        class_path="sklearn.neighbors.KNeighborsClassifier",
        fixed={"n_jobs": 1},
        needs_scaling=True,
        has_random_state=False,
        hyperparameters=_neighbours(),
    ),
    ModelInfo(
        name="SVC",
        task="classification",
        label="Support vector machine",
        summary="Draws the boundary that separates the classes with the widest margin; it "
                "can bend the boundary to follow curved patterns.",
        class_path="sklearn.svm.SVC",
        fixed=_SVM_FIXED,
        needs_scaling=True,
        has_random_state=True,
        hyperparameters=_svm(regression=False),
    ),
    ModelInfo(
        name="GaussianNB",
        task="classification",
        label="Gaussian naive Bayes",
        summary="A very fast probabilistic model that treats every input as an independent "
                "bell curve per class.",
        class_path="sklearn.naive_bayes.GaussianNB",
        fixed={},
        needs_scaling=False,
        has_random_state=False,
        hyperparameters=(
            _hp(
                FloatRange("var_smoothing", 1e-12, 1.0, log=True),
                "Variance smoothing",
                "A share of the largest variance added to every input's spread, for "
                "stability and smoothing.",
                "Larger: smoother, risk of underfitting; smaller: risk of overfitting.",
            ),
        ),
    ),
    ModelInfo(
        name="DecisionTreeClassifier",
        task="classification",
        label="Decision tree",
        summary="A single flowchart of yes/no questions about the inputs; easy to read but "
                "prone to overfitting.",
        class_path="sklearn.tree.DecisionTreeClassifier",
        fixed={},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_tree(_CLASS_CRITERION),
    ),
    ModelInfo(
        name="RandomForestClassifier",
        task="classification",
        label="Random forest",
        summary="Many decision trees, each trained on a random part of the data, vote "
                "together; robust and a strong first choice.",
        class_path="sklearn.ensemble.RandomForestClassifier",
        fixed={"n_jobs": 1},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_forest(_CLASS_CRITERION),
    ),
    ModelInfo(
        name="ExtraTreesClassifier",
        task="classification",
        label="Extra trees",
        summary="Like a random forest but with randomly placed splits; often faster and "
                "a little smoother.",
        class_path="sklearn.ensemble.ExtraTreesClassifier",
        fixed={"n_jobs": 1},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_forest(_CLASS_CRITERION),
    ),
    ModelInfo(
        name="GradientBoostingClassifier",
        task="classification",
        label="Gradient boosting",
        summary="Adds small trees one after another, each fixing the mistakes of the ones "
                "before; often very accurate.",
        class_path="sklearn.ensemble.GradientBoostingClassifier",
        fixed={},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_gradient_boosting(),
    ),
    ModelInfo(
        name="HistGradientBoostingClassifier",
        task="classification",
        label="Histogram gradient boosting",
        summary="A fast gradient boosting model for larger tables that copes with missing "
                "values by itself.",
        class_path="sklearn.ensemble.HistGradientBoostingClassifier",
        fixed={},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_hist_gradient_boosting(),
    ),
    ModelInfo(
        name="MLPClassifier",
        task="classification",
        label="Neural network (MLP)",
        summary="A small neural network; flexible, but needs more data and tuning than "
                "the other models.",
        class_path="sklearn.neural_network.MLPClassifier",
        fixed={},
        needs_scaling=True,
        has_random_state=True,
        hyperparameters=_mlp(),
        translate=_mlp_translate,
    ),
)

_REGRESSORS = (
    ModelInfo(
        name="Ridge",
        task="regression",
        label="Ridge regression",
        summary="A straight-line (linear) model whose weights are shrunk to avoid "
                "overfitting.",
        class_path="sklearn.linear_model.Ridge",
        fixed={},
        needs_scaling=True,
        has_random_state=True,
        hyperparameters=(_alpha(1e-3, 1e3),),
    ),
    ModelInfo(
        name="Lasso",
        task="regression",
        label="Lasso",
        summary="A straight-line (linear) model that can drop unhelpful inputs by setting "
                "their weights to zero.",
        class_path="sklearn.linear_model.Lasso",
        fixed={"max_iter": 10_000},
        needs_scaling=True,
        has_random_state=True,
        hyperparameters=(_alpha(1e-4, 1e2, "; larger values set more of them to exactly zero"),),
    ),
    ModelInfo(
        name="ElasticNet",
        task="regression",
        label="Elastic net",
        summary="A straight-line (linear) model that mixes the Ridge and Lasso ways of "
                "keeping weights small.",
        class_path="sklearn.linear_model.ElasticNet",
        fixed={"max_iter": 10_000},
        needs_scaling=True,
        has_random_state=True,
        hyperparameters=(_alpha(1e-4, 1e2), _l1_ratio()),
    ),
    ModelInfo(
        name="KNeighborsRegressor",
        task="regression",
        label="k-nearest neighbours",
        summary="Predicts the average target of the most similar training rows.",
        class_path="sklearn.neighbors.KNeighborsRegressor",
        fixed={"n_jobs": 1},
        needs_scaling=True,
        has_random_state=False,
        hyperparameters=_neighbours(),
    ),
    ModelInfo(
        name="SVR",
        task="regression",
        label="Support vector regression",
        summary="Fits a curve that stays within a tolerance of the targets, ignoring small "
                "errors; it can follow curved patterns.",
        class_path="sklearn.svm.SVR",
        fixed=_SVM_FIXED,
        needs_scaling=True,
        has_random_state=False,
        hyperparameters=_svm(regression=True),
    ),
    ModelInfo(
        name="DecisionTreeRegressor",
        task="regression",
        label="Decision tree",
        summary="A single flowchart of yes/no questions about the inputs; easy to read but "
                "prone to overfitting.",
        class_path="sklearn.tree.DecisionTreeRegressor",
        fixed={},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_tree(_criterion(
            ("squared_error", "absolute_error"),
            "How a split is judged: squared error, or absolute error (slower, less swayed by "
            "outliers).",
        )),
    ),
    ModelInfo(
        name="RandomForestRegressor",
        task="regression",
        label="Random forest",
        summary="Many decision trees, each trained on a random part of the data, average "
                "their predictions; robust and a strong first choice.",
        class_path="sklearn.ensemble.RandomForestRegressor",
        fixed={"n_jobs": 1},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_forest(None),
    ),
    ModelInfo(
        name="ExtraTreesRegressor",
        task="regression",
        label="Extra trees",
        summary="Like a random forest but with randomly placed splits; often faster and "
                "a little smoother.",
        class_path="sklearn.ensemble.ExtraTreesRegressor",
        fixed={"n_jobs": 1},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_forest(None),
    ),
    ModelInfo(
        name="GradientBoostingRegressor",
        task="regression",
        label="Gradient boosting",
        summary="Adds small trees one after another, each fixing the mistakes of the ones "
                "before; often very accurate.",
        class_path="sklearn.ensemble.GradientBoostingRegressor",
        fixed={},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_gradient_boosting(),
    ),
    ModelInfo(
        name="HistGradientBoostingRegressor",
        task="regression",
        label="Histogram gradient boosting",
        summary="A fast gradient boosting model for larger tables that copes with missing "
                "values by itself.",
        class_path="sklearn.ensemble.HistGradientBoostingRegressor",
        fixed={},
        needs_scaling=False,
        has_random_state=True,
        hyperparameters=_hist_gradient_boosting(),
    ),
    ModelInfo(
        name="MLPRegressor",
        task="regression",
        label="Neural network (MLP)",
        summary="A small neural network; flexible, but needs more data and tuning than "
                "the other models.",
        class_path="sklearn.neural_network.MLPRegressor",
        fixed={},
        needs_scaling=True,
        has_random_state=True,
        hyperparameters=_mlp(),
        translate=_mlp_translate,
        scale_target=True,
    ),
)

MODELS: dict[str, ModelInfo] = {m.name: m for m in (*_CLASSIFIERS, *_REGRESSORS)}


def get_model(name: str) -> ModelInfo:
    """Look a model up by its scikit-learn class name, suggesting close names on a typo."""
    try:
        return MODELS[name]
    except (KeyError, TypeError):
        pass
    suggestion = _suggest(str(name), list(MODELS))
    raise CatalogError(
        f"Unknown model '{name}'{suggestion}. Known models: {', '.join(MODELS)}."
    )


def models_for_task(task: str) -> list[ModelInfo]:
    """The models for "classification" or "regression", in catalog order."""
    if task not in TASKS:
        raise CatalogError(f"Unknown task '{task}'; use 'classification' or 'regression'.")
    return [m for m in MODELS.values() if m.task == task]


def catalog_json() -> list[dict[str, Any]]:
    """Every model as JSON-ready data (for the CLI's model list and the UI)."""
    return [m.to_json() for m in MODELS.values()]


def check_params(model: ModelInfo, params: Mapping[str, Any]) -> None:
    """Reject a parameter the model cannot take, before any trial runs.

    Allowed are the catalog's hyperparameters (virtual ones included) and the estimator's
    own constructor arguments, except those scikit-learn has deprecated.
    """
    hyper = [h.name for h in model.hyperparameters]
    signature = inspect.signature(model.estimator_class()).parameters
    for name in params:
        if name in hyper:
            continue
        arg = signature.get(name)
        if arg is None or arg.kind in (arg.VAR_POSITIONAL, arg.VAR_KEYWORD):
            known = sorted(set(hyper) | set(signature))
            raise CatalogError(
                f"{model.name} has no parameter '{name}'{_suggest(name, known)}. "
                f"Its tunable hyperparameters are {', '.join(hyper)}."
            )
        if isinstance(arg.default, str) and arg.default == "deprecated":
            raise CatalogError(
                f"{model.name}'s parameter '{name}' is deprecated in this version of "
                "scikit-learn; leave it out."
            )


def check_values(model: ModelInfo, candidates: Mapping[str, Sequence[Any]]) -> None:
    """Ask scikit-learn's own parameter rules about each value a search may try.

    ``candidates`` maps a parameter to the values to check (a categorical's choices, a
    range's ends). Each value is checked alone, the others at their defaults, so a typo
    like criterion='ginni' is refused before the study starts instead of failing every
    trial.
    """
    from sklearn.utils._param_validation import InvalidParameterError

    for name, values in candidates.items():
        for value in values:
            try:
                estimator = model.make_estimator({name: value}, None)
            except (TypeError, ValueError) as exc:
                raise CatalogError(
                    f"{name}={value!r} does not suit {model.name} ({exc})."
                ) from None
            validate = getattr(estimator, "_validate_params", None)
            if validate is None:
                continue
            try:
                validate()
            except InvalidParameterError as exc:
                raise CatalogError(
                    f"{name}={value!r} is not accepted by {model.name}: {exc}"
                ) from None


__all__ = [
    "MODELS", "TASKS", "CatalogError", "Hyperparameter", "ModelInfo", "catalog_json",
    "check_params", "check_values", "get_model", "models_for_task",
]
