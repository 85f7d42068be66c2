"""The types an hpt-gui pipeline can hold, named as ``skops`` names them.

A ``.skops`` model file is loaded without asking the user to trust it only when every
type skops does not trust by itself is one of these: the catalog's estimators, the
preprocessing pieces of ``core.pipeline``, and what those keep once fitted (decision
trees, the neighbour search trees and their distances, the MLP's optimizers, numpy
dtypes). A file holding anything else was not made by hpt-gui, or was changed.

The fitted internals live in scikit-learn's private modules, so they are written here
as names, not imported: a scikit-learn that moves one makes the test that exports a
pipeline of every catalog model fail, instead of making this module fail to import.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

# What fitted estimators keep, beyond what skops trusts by itself (found by dumping a
# pipeline of every catalog model, and of the settings a user may add: a neighbour
# search by ball tree or brute force, any distance of sklearn.metrics.DistanceMetric).
_DISTANCES = (
    "Euclidean", "SEuclidean", "Manhattan", "Chebyshev", "Minkowski", "Mahalanobis",
    "Hamming", "Canberra", "BrayCurtis", "Jaccard", "Matching", "Dice", "Kulsinski",
    "RogersTanimoto", "RussellRao", "SokalMichener", "SokalSneath", "Haversine",
)  # never PyFuncDistance: it holds a Python function
FITTED_INTERNALS = frozenset({
    "numpy.dtype",
    "sklearn.tree._tree.Tree",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
    "sklearn.neural_network._stochastic_optimizers.SGDOptimizer",
    *(f"sklearn.metrics._dist_metrics.{name}Distance64" for name in _DISTANCES),
})


def type_name(cls: type) -> str:
    """A class as skops names it: ``module.QualifiedName``."""
    return f"{cls.__module__}.{cls.__qualname__}"


def _pipeline_pieces() -> list[type]:
    """The classes ``core.pipeline`` builds around a catalog estimator."""
    from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    return [ColumnTransformer, TransformedTargetRegressor, SimpleImputer, Pipeline,
            OneHotEncoder, StandardScaler]


@cache
def pipeline_types() -> frozenset[str]:
    """Every type an hpt-gui pipeline can hold: the allow-list of a ``.skops`` file."""
    from .catalog import MODELS

    estimators = [model.estimator_class() for model in MODELS.values()]
    return frozenset(type_name(cls) for cls in [*estimators, *_pipeline_pieces()]) \
        | FITTED_INTERNALS


def foreign_types(types: Iterable[str]) -> list[str]:
    """The types among ``types`` that no hpt-gui pipeline holds, sorted."""
    allowed = pipeline_types()
    return sorted({name for name in types if name not in allowed})


__all__ = ["FITTED_INTERNALS", "foreign_types", "pipeline_types", "type_name"]
