"""What the model inspector can draw for a fitted model besides its facts.

A linear model has a regularization path (``regularization.py``); a tree model has
feature importances; other models have neither. The inspector must never show an empty
plot, so for those this module says in a sentence why there is nothing to draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..catalog import CatalogError, get_model
from .inspector import _final_estimator, feature_names
from .regularization import is_linear

TOP_IMPORTANCES = 15  # more bars than this are unreadable at the inspector's size

# Catalog models whose fitted estimator has ``feature_importances_`` (histogram gradient
# boosting has none).
_WITH_IMPORTANCES = frozenset({
    "DecisionTreeClassifier", "DecisionTreeRegressor", "RandomForestClassifier",
    "RandomForestRegressor", "ExtraTreesClassifier", "ExtraTreesRegressor",
    "GradientBoostingClassifier", "GradientBoostingRegressor",
})


@dataclass(frozen=True)
class FeatureImportances:
    """The fitted model's impurity-based importances, largest first, shares summing to 1
    over all input columns (only the ``TOP_IMPORTANCES`` largest are kept)."""

    names: tuple[str, ...]
    values: tuple[float, ...]
    total_columns: int


def feature_importances(pipeline: Any, top: int = TOP_IMPORTANCES) -> FeatureImportances | None:
    """The FITTED pipeline's feature importances by input column name, or None when its
    model has none (a linear model, a neighbours model, ...)."""
    values = getattr(_final_estimator(pipeline), "feature_importances_", None)
    if values is None:
        return None
    values = np.asarray(values, dtype=float)
    names = feature_names(pipeline)
    if len(names) != len(values):
        names = [f"x{i}" for i in range(len(values))]
    order = np.argsort(-values, kind="stable")[:top]
    return FeatureImportances(tuple(names[i] for i in order),
                              tuple(float(values[i]) for i in order), len(values))


def has_feature_importances(model_name: str) -> bool:
    """Whether the catalog model, once fitted, has feature importances to draw."""
    return model_name in _WITH_IMPORTANCES


def no_picture_reason(model_name: str, trial: int | None) -> str:
    """Why the inspector draws nothing for this model (yet), in a sentence."""
    if is_linear(model_name):
        return ""
    name = _a_model(model_name)
    no_path = (f"{name} has no regularization path: only linear models have weights "
               "that a penalty shrinks.")
    if has_feature_importances(model_name):
        return (f"{no_path} Press “Inspect trial {trial}” to see its feature importances: "
                "how much each input column helps its predictions.")
    return (f"{no_path} It has no feature importances either, so there is nothing to draw "
            "here; what it learned is listed on the left.")


def _a_model(model_name: str) -> str:
    """'A random forest model', 'An extra trees model', 'A Gaussian naive Bayes model'."""
    try:
        label = get_model(model_name).label
    except CatalogError:
        return f"A {model_name} model"
    if not label.startswith("Gaussian"):  # a name keeps its capital
        label = label[:1].lower() + label[1:]
    article = "An" if label[:1].lower() in "aeiou" else "A"
    return f"{article} {label} model"


__all__ = ["FeatureImportances", "feature_importances", "has_feature_importances",
           "no_picture_reason"]
