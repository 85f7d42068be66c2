"""One (trial, fold) pair -> one FoldResult, exactly as GridSearchCV scores it.

The unit of work is the same as scikit-learn's ``_fit_and_score``: clone the pipeline,
set the trial's parameters, fit on the fold's training rows, score the validation and
the training rows with the chosen scorer. A fit that raises is recorded with its reason
instead of stopping the search (scikit-learn's ``error_score``).
"""

from __future__ import annotations

import time
import traceback
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .catalog import get_model
from .pipeline import build_pipeline


class ScoringError(ValueError):
    """A metric that does not exist or does not suit the task."""


CLASSIFICATION_ONLY = ("accuracy", "balanced_accuracy", "roc_auc", "f1", "precision", "recall",
                       "log_loss", "jaccard", "average_precision", "top_k", "matthews", "brier")
REGRESSION_ONLY = ("r2", "neg_mean", "neg_root_mean", "neg_median", "explained_variance",
                   "max_error", "d2_")


def check_scoring(scoring: str, task: str) -> None:
    """Refuse an unknown metric, or one that belongs to the other task, with a sentence."""
    from sklearn.metrics import get_scorer_names

    names = get_scorer_names()
    if scoring not in names:
        import difflib

        close = difflib.get_close_matches(scoring, names, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ScoringError(f"Unknown metric '{scoring}'.{hint}")
    wrong = REGRESSION_ONLY if task == "classification" else CLASSIFICATION_ONLY
    if any(scoring.startswith(prefix) or prefix in scoring for prefix in wrong):
        other = "regression" if task == "classification" else "classification"
        raise ScoringError(f"The metric '{scoring}' is for {other}, but this is a {task} task.")


def make_splits(y: Any, task: str, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The study's fixed splits: stratified k-fold for classes, k-fold otherwise."""
    from sklearn.model_selection import KFold, StratifiedKFold

    y = np.asarray(y)
    if task == "classification":
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    else:
        splitter = KFold(folds, shuffle=True, random_state=seed)
    return [(train, test) for train, test in splitter.split(np.zeros(len(y)), y)]


@dataclass(frozen=True)
class FoldResult:
    """What one fit on one fold produced."""

    number: int
    fold: int
    test_score: float | None
    train_score: float | None
    fit_time: float
    score_time: float
    error: str | None = None
    warning: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(frozen=True)
class EvalContext:
    """Everything a worker needs, shipped to each worker process once."""

    X: Any
    y: Any
    splits: Sequence[tuple[np.ndarray, np.ndarray]]
    model: str
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    scoring: str
    seed: int
    return_train_score: bool = True


def evaluate_fold(
    context: EvalContext, number: int, params: Mapping[str, Any], fold: int
) -> FoldResult:
    """Fit and score one fold; never raises for a failing fit."""
    from sklearn.metrics import check_scoring as sklearn_scorer
    from sklearn.utils import _safe_indexing

    train, test = context.splits[fold]
    start = time.perf_counter()
    fit_time = score_time = 0.0
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pipeline = build_pipeline(
                get_model(context.model), params, context.seed, context.numeric,
                context.categorical,
            )
            scorer = sklearn_scorer(pipeline, scoring=context.scoring)
            X_train, y_train = _safe_indexing(context.X, train), _safe_indexing(context.y, train)
            X_test, y_test = _safe_indexing(context.X, test), _safe_indexing(context.y, test)
            pipeline.fit(X_train, y_train)
            fit_time = time.perf_counter() - start
            test_score = _as_score(scorer(pipeline, X_test, y_test))
            train_score = (
                _as_score(scorer(pipeline, X_train, y_train))
                if context.return_train_score else None
            )
            score_time = time.perf_counter() - start - fit_time
    except Exception as exc:  # a model that throws must not stop the search
        return FoldResult(
            number, fold, None, None,
            fit_time or time.perf_counter() - start, score_time,
            error=describe_error(exc), warning=_first_warning(caught),
        )
    return FoldResult(
        number, fold, test_score, train_score, fit_time, score_time,
        warning=_first_warning(caught),
    )


def _as_score(value: Any) -> float:
    score = float(value)
    if not np.isfinite(score):
        raise ValueError(f"the score came out as {score}")
    return score


def describe_error(exc: BaseException) -> str:
    """The exception as one readable line, with the innermost frame for the curious."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (in {frames[-1].name})" if frames else ""
    return f"{type(exc).__name__}: {message}{where}"[:2000]


def _first_warning(caught: list[warnings.WarningMessage] | None) -> str | None:
    for item in caught or ():
        if issubclass(item.category, DeprecationWarning):
            continue
        return f"{item.category.__name__}: {item.message}"[:500]
    return None
