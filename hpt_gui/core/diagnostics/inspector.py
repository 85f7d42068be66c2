"""What a fitted model learned, in sentences an analyst can read.

Each model family keeps different things after fitting: a linear model its weights, a
tree its questions, a support vector machine the rows it leans on. ``inspect_model``
turns those into a short list of facts (label, value, why it matters) for a pipeline as
``export.fit_final_pipeline`` returns it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..catalog import CatalogError, get_model
from ..pipeline import MODEL_STEP
from ..space import Condition

TOP_COEFFICIENTS = 5


@dataclass(frozen=True)
class LearnedFact:
    """One thing the fitted model holds, with what it means."""

    label: str
    value: str
    explanation: str

    def to_json(self) -> dict[str, str]:
        return {"label": self.label, "value": self.value, "explanation": self.explanation}


def facts_to_json(facts: Sequence[LearnedFact]) -> list[dict[str, str]]:
    return [fact.to_json() for fact in facts]


def inspect_model(pipeline: Any, model_name: str) -> list[LearnedFact]:
    """The facts worth knowing about a FITTED pipeline's final estimator."""
    estimator = _final_estimator(pipeline)
    names = feature_names(pipeline)
    for family, describe in _FAMILIES:
        if model_name in family:
            return describe(estimator, names)
    return []


def _final_estimator(pipeline: Any) -> Any:
    """The model step, unwrapped from TransformedTargetRegressor (MLP regression)."""
    steps = getattr(pipeline, "named_steps", None)
    estimator = steps[MODEL_STEP] if steps is not None and MODEL_STEP in steps else pipeline
    return getattr(estimator, "regressor_", estimator)


def feature_names(pipeline: Any) -> list[str]:
    """The column names a FITTED pipeline's model saw: after imputation and one-hot
    encoding; x0, x1, ... when the pipeline has no preprocess step that names them."""
    steps = getattr(pipeline, "named_steps", {})
    try:
        return [str(n) for n in steps["preprocess"].get_feature_names_out()]
    except Exception:  # no preprocess step, or one without names
        count = int(getattr(_final_estimator(pipeline), "n_features_in_", 0))
        return [f"x{i}" for i in range(count)]


# --------------------------------------------------------------------------- helpers


def _number(value: float) -> str:
    return f"{value:.4g}"


def _about(value: float) -> str:
    """A mean for reading: 3 significant digits, whole numbers from 100 on."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _iterations(n_iter: Any, max_iter: Any, unit: str = "iteration") -> LearnedFact | None:
    """How long the solver ran and whether it stopped at its limit (maybe not converged)."""
    if n_iter is None:
        return None
    used = int(np.max(np.asarray(n_iter)))
    if max_iter is None:
        return LearnedFact(f"{unit.capitalize()}s", f"{used:,}",
                           f"The solver needed {_count(used, unit)} to settle.")
    hit = used >= int(max_iter)
    value = f"{used:,} of at most {int(max_iter):,}"
    explanation = (
        f"The solver stopped at its limit of {_count(int(max_iter), unit)}, so it may not "
        "have converged: the weights might still have been changing."
        if hit else
        f"The solver settled before its limit of {_count(int(max_iter), unit)}: it converged."
    )
    return LearnedFact(f"{unit.capitalize()}s until convergence", value, explanation)


def _classes(estimator: Any) -> list[str]:
    return [str(c) for c in getattr(estimator, "classes_", [])]


# --------------------------------------------------------------------------- linear


def _linear(estimator: Any, names: list[str]) -> list[LearnedFact]:
    coef = np.atleast_2d(np.asarray(estimator.coef_, dtype=float))
    classes = _classes(estimator)
    per_class = coef.shape[0] > 1
    total = coef.size
    zeros = int(np.sum(coef == 0.0))
    shape = (f"{coef.shape[0]} classes x {_count(coef.shape[1], 'input column')}"
             if per_class else _count(total, "input column"))
    facts = [
        LearnedFact("Coefficients", f"{total:,} ({shape})",
                    "One weight per input column (each one-hot category is a column of its "
                    "own)" + (", for each class" if per_class else "") + "."),
        LearnedFact("Coefficients exactly zero", f"{zeros:,} of {total:,}",
                    "Inputs with a zero weight are ignored by the model; an l1 penalty (Lasso, "
                    "penalty 'l1' or elastic net) sets weights to exactly zero, l2 only "
                    "shrinks them."),
        LearnedFact("Largest coefficients", _top_coefficients(coef, names, classes, per_class),
                    "The inputs that move the prediction most. Inputs are scaled to mean 0 "
                    "and spread 1 first, so each weight is the change per standard deviation "
                    "of its input and the sizes can be compared."),
        _intercept(estimator, classes),
    ]
    iterations = _iterations(getattr(estimator, "n_iter_", None),
                             getattr(estimator, "max_iter", None))
    return facts + ([iterations] if iterations is not None else [])


def _top_coefficients(coef: np.ndarray, names: list[str], classes: list[str],
                      per_class: bool) -> str:
    flat = coef.ravel()
    order = np.argsort(-np.abs(flat), kind="stable")[:TOP_COEFFICIENTS]
    parts = []
    for index in order:
        if flat[index] == 0.0:
            break
        row, column = divmod(int(index), coef.shape[1])
        name = names[column] if column < len(names) else f"x{column}"
        where = f" (class {classes[row]})" if per_class and row < len(classes) else ""
        parts.append(f"{name}{where}: {flat[index]:+.4g}")
    return ", ".join(parts) if parts else "all coefficients are zero"


def _intercept(estimator: Any, classes: list[str]) -> LearnedFact:
    values = np.atleast_1d(np.asarray(estimator.intercept_, dtype=float))
    if len(values) > 1 and len(values) == len(classes):
        text = ", ".join(f"{c}: {_number(v)}" for c, v in zip(classes, values, strict=True))
    else:
        text = ", ".join(_number(v) for v in values)
    return LearnedFact("Intercept", text,
                       "The prediction (for a classifier: the log-odds) when every input is "
                       "at its average.")


# --------------------------------------------------------------------------- trees


def _limit(value: Any) -> str:
    return "no limit" if value is None else f"limit {value}"


def _tree(estimator: Any, names: list[str]) -> list[LearnedFact]:
    depth, leaves = estimator.get_depth(), estimator.get_n_leaves()
    used = int(np.sum(estimator.feature_importances_ > 0))
    rows = int(estimator.tree_.n_node_samples[0])
    return [
        LearnedFact("Depth reached", f"{depth} ({_limit(estimator.max_depth)})",
                    "The longest chain of yes/no questions before a prediction. Below the "
                    "limit, the tree stopped on its own: its leaves were pure or too small "
                    "to split."),
        LearnedFact("Leaves", f"{leaves:,} (about {_about(rows / max(leaves, 1))} rows each)",
                    "The final groups the tree sorts rows into; each predicts one value. "
                    "Many small leaves follow the training rows closely (risk of "
                    "overfitting)."),
        LearnedFact("Inputs used", f"{used:,} of {len(estimator.feature_importances_):,}",
                    "Input columns the tree asks about at least once; the others play no "
                    "part in its predictions."),
    ]


def _forest(estimator: Any, names: list[str]) -> list[LearnedFact]:
    trees = estimator.estimators_
    depths = np.array([t.get_depth() for t in trees])
    leaves = np.array([t.get_n_leaves() for t in trees])
    return [
        LearnedFact("Trees", f"{len(trees):,}",
                    "How many trees vote (or average) on each prediction."),
        LearnedFact("Depth reached", f"mean {_about(depths.mean())}, max {depths.max()} "
                    f"({_limit(estimator.max_depth)})",
                    "The longest chain of yes/no questions in each tree. Trees of a forest "
                    "are usually grown deep; averaging many of them smooths out their "
                    "overfitting."),
        LearnedFact("Leaves per tree", f"mean {_about(leaves.mean())}",
                    "The final groups each tree sorts rows into."),
    ]


def _gradient_boosting(estimator: Any, names: list[str]) -> list[LearnedFact]:
    if hasattr(estimator, "n_estimators_"):  # GradientBoosting*
        rounds, limit = int(estimator.n_estimators_), estimator.n_estimators
        trees = [t for stage in estimator.estimators_ for t in stage]
        depths = [t.get_depth() for t in trees]
        leaves = [t.get_n_leaves() for t in trees]
        depth_limit = _limit(estimator.max_depth)
    else:  # HistGradientBoosting*
        rounds, limit = int(estimator.n_iter_), estimator.max_iter
        trees = [t for stage in getattr(estimator, "_predictors", []) for t in stage]
        depths = [t.get_max_depth() for t in trees]
        leaves = [t.get_n_leaf_nodes() for t in trees]
        depth_limit = f"{_limit(estimator.max_depth)}, at most {estimator.max_leaf_nodes} leaves"
    stopped = rounds < limit
    facts = [
        LearnedFact("Boosting rounds used", f"{rounds:,} of {limit:,}",
                    "Each round adds small trees that correct the errors so far. "
                    + ("Early stopping ended training when the held-out score stopped "
                       "improving." if stopped else "All rounds were used.")),
    ]
    if depths:
        facts.append(LearnedFact(
            "Depth reached", f"mean {_about(np.mean(depths))}, max {max(depths)} ({depth_limit})",
            "Boosted trees stay shallow on purpose: each only corrects part of the error."))
        facts.append(LearnedFact("Leaves per tree", f"mean {_about(np.mean(leaves))}",
                                 "The final groups each small tree sorts rows into."))
    return facts


# --------------------------------------------------------------------------- others


def _svm(estimator: Any, names: list[str]) -> list[LearnedFact]:
    counts = np.asarray(estimator.n_support_)
    total = int(len(estimator.support_))
    rows = int(estimator.shape_fit_[0])
    facts = [
        LearnedFact("Support vectors", f"{total:,}",
                    "The training rows the model keeps and uses to predict; the other rows "
                    "no longer matter."),
        LearnedFact("Share of training rows", f"{total / rows:.1%} of {rows:,}",
                    "A large share means a wiggly boundary or many rows close to it (large C "
                    "or gamma: risk of overfitting), or heavily overlapping classes."),
    ]
    classes = _classes(estimator)
    if classes and len(counts) == len(classes):
        facts.append(LearnedFact(
            "Support vectors per class",
            ", ".join(f"{c}: {int(n):,}" for c, n in zip(classes, counts, strict=True)),
            "How many of each class's rows sit on or inside the margin."))
    iterations = getattr(estimator, "n_iter_", None)
    limit = getattr(estimator, "max_iter", -1)
    if iterations is not None and limit not in (None, -1):
        fact = _iterations(iterations, limit)
        if fact is not None:
            facts.append(fact)
    return facts


def _neighbours(estimator: Any, names: list[str]) -> list[LearnedFact]:
    return [
        LearnedFact("Stored training rows", f"{int(estimator.n_samples_fit_):,}",
                    "k-nearest neighbours learns nothing else: it keeps the training rows "
                    f"and, for each prediction, looks up the {estimator.n_neighbors} most "
                    "similar ones."),
    ]


def _naive_bayes(estimator: Any, names: list[str]) -> list[LearnedFact]:
    priors = ", ".join(f"{c}: {p:.3f}" for c, p in
                       zip(_classes(estimator), estimator.class_prior_, strict=True))
    return [
        LearnedFact("Class priors", priors,
                    "How common each class was in the training rows; the model starts from "
                    "these shares before looking at the inputs."),
        LearnedFact("Learned per class", f"a mean and a spread for each of "
                    f"{_count(int(estimator.n_features_in_), 'input column')}",
                    "Each input is treated as an independent bell curve per class."),
    ]


def _mlp(estimator: Any, names: list[str]) -> list[LearnedFact]:
    shapes = [w.shape for w in estimator.coefs_]
    weights = sum(int(w.size) for w in estimator.coefs_)
    biases = sum(int(b.size) for b in estimator.intercepts_)
    used, limit = int(estimator.n_iter_), int(estimator.max_iter)
    converged = used < limit
    facts = [
        LearnedFact("Layer weight shapes", ", ".join(f"{a}x{b}" for a, b in shapes),
                    "Inputs x neurons for each layer in turn, ending at the output."),
        LearnedFact("Weights", f"{weights:,} (plus {biases:,} biases)",
                    "How many numbers the network learned; many weights and few rows is a "
                    "risk of overfitting."),
        LearnedFact("Training epochs", f"{used:,} of at most {limit:,}",
                    "Passes over the training rows."),
        LearnedFact("Converged", "yes" if converged else "no",
                    "Training stopped because the loss stopped improving."
                    if converged else
                    "Training stopped at the epoch limit while the loss was still "
                    "changing; more epochs or a larger learning rate may help."),
    ]
    loss = getattr(estimator, "loss_", None)
    if loss is not None:
        facts.append(LearnedFact("Final training loss", _number(float(loss)),
                                 "The error the network minimised, on the training rows "
                                 "(for regression, on the standardized target)."))
    return facts


_FAMILIES: tuple[tuple[frozenset[str], Callable[[Any, list[str]], list[LearnedFact]]], ...] = (
    (frozenset({"LogisticRegression", "Ridge", "Lasso", "ElasticNet"}), _linear),
    (frozenset({"DecisionTreeClassifier", "DecisionTreeRegressor"}), _tree),
    (frozenset({"RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier",
                "ExtraTreesRegressor"}), _forest),
    (frozenset({"GradientBoostingClassifier", "GradientBoostingRegressor",
                "HistGradientBoostingClassifier", "HistGradientBoostingRegressor"}),
     _gradient_boosting),
    (frozenset({"SVC", "SVR"}), _svm),
    (frozenset({"KNeighborsClassifier", "KNeighborsRegressor"}), _neighbours),
    (frozenset({"GaussianNB"}), _naive_bayes),
    (frozenset({"MLPClassifier", "MLPRegressor"}), _mlp),
)


# --------------------------------------------------------------------------- settings


def hyperparameters_set(model_name: str, params: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """(label, name, value) for each setting that reached the model, in catalog order.

    A setting switched off by another (gamma with a linear kernel) is left out, as the
    estimator never saw it; a constructor argument outside the catalog keeps its name
    as its label.
    """
    info = get_model(model_name)
    rows = []
    ordered = [h.name for h in info.hyperparameters if h.name in params]
    ordered += [name for name in params if name not in ordered]
    for name in ordered:
        try:
            hp = info.hyperparameter(name)
        except CatalogError:
            rows.append((name, name, params[name]))
            continue
        when = hp.dimension.when
        # Only the parents that were given decide: a missing one keeps the estimator's
        # default, which may well switch the setting on (gamma with no kernel given).
        if when is not None and not Condition(
                tuple(require for require in when.requires if require[0] in params)
        ).holds(params):
            continue
        rows.append((hp.label, name, params[name]))
    return rows


__all__ = ["LearnedFact", "facts_to_json", "feature_names", "hyperparameters_set",
           "inspect_model"]
