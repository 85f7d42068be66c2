"""Optuna's fANOVA with the marginal variances worked out in numpy, all grid cells at once.

Optuna's ``_FanovaTree`` walks each tree once per grid cell in Python: seconds for 32 trees
on 1,000 trials (most of the Results page's background work at 100,000 trials). The same
sums are computed here as matrix products over the trees' leaves, so the importances are
Optuna's up to floating-point rounding (``tests/core/test_fanova.py`` compares them).

The marginal prediction at a cell ``s`` of the chosen features ``F`` is the average of the
leaves that contain ``s`` along ``F``, each weighted by its volume along the other
features; Optuna's walk reaches the same leaves (an inner node whose subtree does not
split on ``F`` stands for its leaves, with their volume-weighted mean), so the sums agree.
The forest, the encoding of the settings and the final shares stay Optuna's: only the
per-tree computation is swapped in (``fast_evaluator``), and Optuna's own is kept when its
internals are not the ones this was written against.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

CELLS_PER_BLOCK = 2048  # grid cells per matrix product: bounds the memory on large grids


class VectorTree:
    """``_FanovaTree``'s ``variance`` and ``get_marginal_variance`` on one fitted tree."""

    def __init__(self, tree: Any, search_spaces: np.ndarray) -> None:
        feature = np.asarray(tree.feature)
        left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
        threshold = np.asarray(tree.threshold, dtype=np.float64)
        n_nodes, n_features = len(feature), len(search_spaces)
        # Each node's box: the search space narrowed by the splits above it, level by level.
        low = np.empty((n_nodes, n_features))
        high = np.empty((n_nodes, n_features))
        low[0], high[0] = search_spaces[:, 0], search_spaces[:, 1]
        level = np.array([0])
        while len(level):
            inner = level[feature[level] >= 0]
            f, t = feature[inner], threshold[inner]
            lc, rc = left[inner], right[inner]
            low[lc], high[lc] = low[inner], high[inner]
            low[rc], high[rc] = low[inner], high[inner]
            high[lc, f] = t
            low[rc, f] = t
            level = np.concatenate([lc, rc])
        leaves = np.flatnonzero(feature < 0)
        self._low, self._high = low[leaves], high[leaves]
        self._values = np.asarray(tree.value)[leaves, 0, 0].astype(float)
        widths = self._high - self._low
        self._widths = widths
        volumes = np.prod(widths, axis=1)
        mean = np.average(self._values, weights=volumes)
        self.variance = float(np.average((self._values - mean) ** 2, weights=volumes))
        self._midpoints, self._sizes = [], []
        for k in range(n_features):
            splits = np.unique(threshold[feature == k])
            edges = np.concatenate(([search_spaces[k, 0]], splits, [search_spaces[k, 1]]))
            self._midpoints.append(0.5 * (edges[1:] + edges[:-1]))
            self._sizes.append(edges[1:] - edges[:-1])

    def get_marginal_variance(self, features: np.ndarray) -> float:
        """The variance, over the grid of ``features``' split cells, of the prediction
        averaged over every other feature (each cell weighted by its size)."""
        features = np.asarray(features, dtype=int)
        others = np.ones(self._widths.shape[1], dtype=bool)
        others[features] = False
        weights = np.prod(self._widths[:, others], axis=1)  # volume along the others
        weighted = self._values * weights
        cells = _grid([self._midpoints[f] for f in features])
        sizes = np.prod(_grid([self._sizes[f] for f in features]), axis=1)
        values, totals = np.empty(len(cells)), np.empty(len(cells))
        low, high = self._low[:, features], self._high[:, features]
        for start in range(0, len(cells), CELLS_PER_BLOCK):
            block = cells[start:start + CELLS_PER_BLOCK]
            inside = np.ones((len(block), len(weights)), dtype=bool)
            for j in range(len(features)):
                x = block[:, j, None]
                inside &= (low[None, :, j] < x) & (x <= high[None, :, j])
            hits = inside.astype(np.float64)
            total = hits @ weights
            totals[start:start + len(block)] = total
            values[start:start + len(block)] = np.divide(
                hits @ weighted, total, out=np.zeros(len(block)), where=total > 0)
        cell_weights = totals * sizes
        mean = np.average(values, weights=cell_weights)
        return float(max(np.average((values - mean) ** 2, weights=cell_weights), 0.0))


def _grid(axes: list[np.ndarray]) -> np.ndarray:
    """Every combination of one value per axis, one row each (``itertools.product``'s
    order)."""
    if len(axes) == 1:
        return axes[0][:, None].astype(np.float64)
    return np.array(list(itertools.product(*axes)), dtype=np.float64)


def fast_evaluator(n_trees: int, max_depth: int, seed: int) -> Any:
    """Optuna's ``FanovaImportanceEvaluator`` computing each tree's variances with
    ``VectorTree``; Optuna's own when its internals differ from those this expects."""
    from optuna.importance import FanovaImportanceEvaluator

    evaluator = FanovaImportanceEvaluator(n_trees=n_trees, max_depth=max_depth, seed=seed)
    try:
        from optuna.importance._fanova._fanova import _Fanova
    except ImportError:
        return evaluator
    inner = getattr(evaluator, "_evaluator", None)
    if type(inner) is not _Fanova or not hasattr(inner, "_forest"):
        return evaluator

    class _VectorFanova(_Fanova):
        def fit(self, X: np.ndarray, y: np.ndarray, search_spaces: np.ndarray,
                column_to_encoded_columns: list[np.ndarray]) -> None:
            self._forest.fit(X, y)
            self._trees = [VectorTree(e.tree_, search_spaces)
                           for e in self._forest.estimators_]
            self._column_to_encoded_columns = column_to_encoded_columns
            self._variances = {}
            if all(tree.variance == 0 for tree in self._trees):
                raise RuntimeError("Encountered zero total variance in all trees.")

    fast = _VectorFanova.__new__(_VectorFanova)
    fast.__dict__.update(inner.__dict__)
    evaluator._evaluator = fast
    return evaluator
