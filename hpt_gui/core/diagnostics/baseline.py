"""What a model that ignores the inputs scores: the floor the verdict compares against.

The most frequent class (classification) or the mean (regression), on the study's own
folds and metric. A tuned model that does not clearly beat it has learned nothing.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..evaluate import EvalContext


def baseline_score(context: EvalContext) -> float | None:
    """Mean validation score of a constant prediction on the study's folds, or None."""
    from sklearn.dummy import DummyClassifier, DummyRegressor
    from sklearn.metrics import check_scoring
    from sklearn.utils import _safe_indexing

    classes = _is_classification(context)
    dummy = DummyClassifier(strategy="prior") if classes else DummyRegressor(strategy="mean")
    scores = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for train, test in context.splits:
            try:
                model = dummy.fit(_safe_indexing(context.X, train),
                                  _safe_indexing(context.y, train))
                scorer = check_scoring(model, scoring=context.scoring)
                score = float(scorer(model, _safe_indexing(context.X, test),
                                     _safe_indexing(context.y, test)))
            except Exception:  # a metric a constant cannot be scored on: no baseline
                return None
            if math.isfinite(score):
                scores.append(score)
    return float(np.mean(scores)) if scores else None


def _is_classification(context: EvalContext) -> bool:
    from ..catalog import get_model

    return get_model(context.model).task == "classification"
