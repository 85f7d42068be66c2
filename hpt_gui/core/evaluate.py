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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .catalog import get_model
from .fit_deadline import FitTimeLimit, fit_deadline, time_limit_message
from .pipeline import build_pipeline
from .prepcache import PreparedFold, PreprocessCache, prepare_fold, preprocessing_key


class ScoringError(ValueError):
    """A metric that does not exist or does not suit the task."""


# Which task each of scikit-learn's scorer names belongs to. A name in none of these sets
# (a scorer added by a later scikit-learn) is let through; its fits report any problem.
CLUSTERING = frozenset({
    "adjusted_mutual_info_score", "adjusted_rand_score", "completeness_score",
    "fowlkes_mallows_score", "homogeneity_score", "mutual_info_score",
    "normalized_mutual_info_score", "rand_score", "v_measure_score",
})
CLASSIFICATION_ONLY = ("accuracy", "balanced_accuracy", "roc_auc", "f1", "precision", "recall",
                       "neg_log_loss", "jaccard", "average_precision", "top_k_accuracy",
                       "matthews_corrcoef", "neg_brier_score", "d2_log_loss_score",
                       "d2_brier_score", "positive_likelihood_ratio",
                       "neg_negative_likelihood_ratio")
REGRESSION_ONLY = ("r2", "explained_variance", "neg_max_error", "neg_mean_", "neg_median_",
                   "neg_root_mean_", "d2_absolute_error_score")
# Scorers that raise on more than two classes (checked with scikit-learn 1.9), and what to
# use instead.
BINARY_ONLY = {
    "f1": ("f1_macro", "f1_weighted"),
    "precision": ("precision_macro", "precision_weighted"),
    "recall": ("recall_macro", "recall_weighted"),
    "jaccard": ("jaccard_macro", "jaccard_weighted"),
    "roc_auc": ("roc_auc_ovr", "roc_auc_ovr_weighted"),
    "positive_likelihood_ratio": ("balanced_accuracy", "f1_macro"),
    "neg_negative_likelihood_ratio": ("balanced_accuracy", "f1_macro"),
}
# Scorers whose positive class is the label 1: on two classes neither of which is 1
# (e.g. "no"/"yes", or the text "0"/"1") every fit fails.
NEEDS_LABEL_ONE = {
    "f1": ("f1_macro", "f1_weighted"),
    "precision": ("precision_macro", "precision_weighted"),
    "recall": ("recall_macro", "recall_weighted"),
    "jaccard": ("jaccard_macro", "jaccard_weighted"),
    "average_precision": ("roc_auc",),
}
# Brier scorers on two classes need numeric labels (text labels fail).
NEEDS_NUMERIC_LABELS = {
    "neg_brier_score": ("neg_log_loss",),
    "d2_brier_score": ("d2_log_loss_score",),
}
# Regression scorers that fail on targets outside their domain: (test, wording, instead).
TARGET_DOMAIN = {
    "neg_mean_gamma_deviance": (lambda low: low > 0, "above 0", "neg_mean_absolute_error"),
    "neg_mean_poisson_deviance": (lambda low: low >= 0, "of at least 0",
                                  "neg_mean_absolute_error"),
    "neg_mean_squared_log_error": (lambda low: low > -1, "above -1",
                                   "neg_root_mean_squared_error"),
    "neg_root_mean_squared_log_error": (lambda low: low > -1, "above -1",
                                        "neg_root_mean_squared_error"),
}
_INSTEAD = {
    "classification": ("accuracy", "balanced_accuracy", "f1_macro"),
    "regression": ("r2", "neg_root_mean_squared_error", "neg_mean_absolute_error"),
}


def _either(names: Sequence[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _belongs(scoring: str, names: Sequence[str]) -> bool:
    return any(scoring == name or scoring.startswith(name + "_") or
               (name.endswith("_") and scoring.startswith(name)) for name in names)


def _labels(values: Any) -> str:
    return " and ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in values)


def check_scoring(scoring: str, task: str, y: Any = None) -> None:
    """Refuse, with a sentence, a metric that is unknown or that would fail every trial.

    Without ``y`` only the name and the task are checked; with the target, also whether
    the metric suits its classes (two or more, their labels) or its range of values.
    """
    from sklearn.metrics import get_scorer_names

    names = get_scorer_names()
    if not isinstance(scoring, str) or scoring not in names:
        import difflib

        close = difflib.get_close_matches(str(scoring), names, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ScoringError(f"Unknown metric '{scoring}'.{hint}")
    instead = _INSTEAD.get(task, _INSTEAD["classification"])
    if scoring in CLUSTERING:
        raise ScoringError(
            f"The metric '{scoring}' compares clusterings, not predictions; for a {task} "
            f"task use {_either(instead)} instead."
        )
    wrong = REGRESSION_ONLY if task == "classification" else CLASSIFICATION_ONLY
    if _belongs(scoring, wrong):
        other = "regression" if task == "classification" else "classification"
        raise ScoringError(
            f"The metric '{scoring}' is for {other}, but this is a {task} task; "
            f"use {_either(instead)} instead."
        )
    if scoring.endswith("_samples"):
        base = scoring.removesuffix("_samples")
        raise ScoringError(
            f"The metric '{scoring}' is only for targets with several labels per row; "
            f"use {_either([f'{base}_macro', f'{base}_weighted'])} instead."
        )
    if y is None:
        return
    if task == "classification":
        _check_classes(scoring, y)
    else:
        _check_target_range(scoring, y)


def _check_classes(scoring: str, y: Any) -> None:
    from sklearn.utils.multiclass import type_of_target

    y = np.asarray(y)
    try:
        kind = type_of_target(y)
        classes = np.unique(y[~_missing(y)])
    except (TypeError, ValueError):  # labels scikit-learn cannot read fail elsewhere
        return
    if kind == "multiclass" and scoring in BINARY_ONLY:
        raise ScoringError(
            f"The metric '{scoring}' works only with two classes, but the target has "
            f"{len(classes)}; use {_either(BINARY_ONLY[scoring])} instead."
        )
    if kind != "binary" or len(classes) != 2:
        return
    if scoring in NEEDS_LABEL_ONE and not any(_is_one(label) for label in classes):
        raise ScoringError(
            f"The metric '{scoring}' counts the class labelled 1 as the positive one, but "
            f"the target's classes are {_labels(classes)}; use "
            f"{_either(NEEDS_LABEL_ONE[scoring])} instead, or recode the target as 0 and 1."
        )
    if scoring in NEEDS_NUMERIC_LABELS and y.dtype.kind in "OUS":
        raise ScoringError(
            f"The metric '{scoring}' needs numeric class labels, but the target's classes "
            f"are {_labels(classes)}; use {_either(NEEDS_NUMERIC_LABELS[scoring])} instead, "
            "or recode the target as 0 and 1."
        )


def _missing(y: np.ndarray) -> np.ndarray:
    if y.dtype.kind == "f":
        return np.isnan(y)
    if y.dtype.kind == "O":
        return np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in y],
                        dtype=bool)
    return np.zeros(len(y), dtype=bool)


def _is_one(label: Any) -> bool:
    """Whether scikit-learn's default pos_label=1 matches this label (1, 1.0 or True)."""
    return not isinstance(label, str | bytes) and bool(label == 1)


def _check_target_range(scoring: str, y: Any) -> None:
    if scoring not in TARGET_DOMAIN:
        return
    try:
        values = np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        return
    values = values[np.isfinite(values)]
    if not len(values):
        return
    fits, wording, instead = TARGET_DOMAIN[scoring]
    low = float(values.min())
    if not fits(low):
        raise ScoringError(
            f"The metric '{scoring}' needs target values {wording}, but the target goes "
            f"down to {low:g}; use '{instead}' instead."
        )


def make_splits(y: Any, task: str, folds: int, seed: int,
                validation: dict[str, Any] | None = None,
                groups: Any = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """The study's fixed splits: stratified k-fold for classes, k-fold otherwise, or the
    scheme in ``validation`` (see ``validation.make_splits``)."""
    from .validation import make_splits as scheme_splits

    return scheme_splits(y, task, folds, seed, validation, groups)


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
    # True when the fold's fitted preprocessing was reused from an earlier trial (the
    # worker's PreprocessCache); then fit_time counts only the estimator's fit. Not stored,
    # and not part of equality: a reused fold is the same result.
    reused_preprocessing: bool = field(default=False, compare=False)
    # What the context's ``after_fit`` handed back for this fold (out-of-fold predictions);
    # None otherwise. Not stored, and not part of equality.
    output: Any = field(default=None, compare=False)

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
    fit_time_limit: float | None = None  # seconds one fold may take (the per-trial limit)
    # Called as ``after_fit(pipeline, X_test, y_test, context, fold)`` once the fold is
    # fitted and scored; its value comes back as ``FoldResult.output`` (a module-level
    # function or partial, so it travels to worker processes). With it, the fold fits the
    # whole pipeline (no preprocessing cache): the callback needs the fitted pipeline.
    after_fit: Callable[..., Any] | None = None


def evaluate_fold(
    context: EvalContext, number: int, params: Mapping[str, Any], fold: int,
    cache: PreprocessCache | None = None, on_fit_start: Callable[[], None] | None = None,
) -> FoldResult:
    """Fit and score one fold; never raises for a failing fit.

    With a ``cache``, the fitted preprocessing of this fold is reused when an earlier
    trial fitted the same preprocessing steps on it, and only the estimator is fitted;
    the scores are the same, bit for bit, as fitting the whole pipeline.

    The per-trial time limit (and ``on_fit_start``, where a worker notes the start for
    the hard stop) counts from the fit itself: building the pipeline, which imports the
    model's code in a fresh worker (seconds on a busy machine), is not the trial's time.
    """
    from sklearn.metrics import check_scoring as sklearn_scorer
    from sklearn.utils import _safe_indexing

    train, test = context.splits[fold]
    start = time.perf_counter()
    fit_time = score_time = 0.0
    caught: list[warnings.WarningMessage] = []
    reused = False
    try:
        # the deadline inside: a late stop cannot leave the warnings filters patched
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pipeline = build_pipeline(
                get_model(context.model), params, context.seed, context.numeric,
                context.categorical,
            )
            scorer = sklearn_scorer(pipeline, scoring=context.scoring)
            y_train, y_test = _safe_indexing(context.y, train), _safe_indexing(context.y, test)
            key = (preprocessing_key(pipeline[:-1])
                   if cache is not None and cache.enabled and context.after_fit is None
                   else None)
            if on_fit_start is not None:
                on_fit_start()
            start = time.perf_counter()
            with fit_deadline(context.fit_time_limit):
                test_score, train_score, fit_time, score_time, caught, reused, output = \
                    _fit_and_score(context, fold, pipeline, key, scorer, train, test, y_train,
                                   y_test, cache, caught, start)
    except Exception as exc:  # a model that throws must not stop the search
        error = (time_limit_message(context.fit_time_limit or 0.0)
                 if isinstance(exc, FitTimeLimit) else describe_error(exc))
        return FoldResult(
            number, fold, None, None,
            fit_time or time.perf_counter() - start, score_time,
            error=error, warning=_first_warning(caught),
            reused_preprocessing=reused,
        )
    return FoldResult(
        number, fold, test_score, train_score, fit_time, score_time,
        warning=_first_warning(caught), reused_preprocessing=reused, output=output,
    )


def _fit_and_score(
    context: EvalContext, fold: int, pipeline: Any, key: str | None, scorer: Any,
    train: np.ndarray, test: np.ndarray, y_train: Any, y_test: Any,
    cache: PreprocessCache | None, caught: list[warnings.WarningMessage], start: float,
) -> tuple[float, float | None, float, float, list[warnings.WarningMessage], bool, Any]:
    """The fold's fit and scores (through the preprocessing cache when there is a key),
    and what the context's ``after_fit`` made of the fitted pipeline."""
    from sklearn.utils import _safe_indexing

    if cache is not None and key is not None:
        return (*_with_cache(context, fold, pipeline, key, scorer, y_train, y_test, cache,
                             caught), None)
    X_train, X_test = _safe_indexing(context.X, train), _safe_indexing(context.X, test)
    pipeline.fit(X_train, y_train)
    fit_time = time.perf_counter() - start
    test_score = _as_score(scorer(pipeline, X_test, y_test))
    train_score = (_as_score(scorer(pipeline, X_train, y_train))
                   if context.return_train_score else None)
    score_time = time.perf_counter() - start - fit_time
    output = (context.after_fit(pipeline, X_test, y_test, context, fold)
              if context.after_fit is not None else None)
    return test_score, train_score, fit_time, score_time, caught, False, output


def _with_cache(
    context: EvalContext, fold: int, pipeline: Any, key: str, scorer: Any, y_train: Any,
    y_test: Any, cache: PreprocessCache, caught: list[warnings.WarningMessage],
) -> tuple[float, float | None, float, float, list[warnings.WarningMessage], bool]:
    """The fold's scores with its preprocessing taken from (or put in) ``cache``.

    Fits and scores the final step on the prepared matrices, which is what
    ``Pipeline.fit`` and the scorer's ``predict`` do after transforming. The warnings come
    back in the order a whole-pipeline fit raises them, so the first one reported is the
    same.
    """
    from sklearn.utils import _safe_indexing

    preprocessor, estimator = pipeline[:-1], pipeline[-1]

    def prepare() -> PreparedFold:
        train, test = context.splits[fold]
        return prepare_fold(preprocessor, _safe_indexing(context.X, train), y_train,
                            _safe_indexing(context.X, test),
                            train_score=context.return_train_score)

    prepared, reused = cache.get_or_prepare(context, fold, key, prepare)
    before_fit = len(caught)
    ordered = caught[:before_fit] + list(prepared.fit_warnings)
    fit_start = time.perf_counter()
    estimator.fit(prepared.train, y_train)
    scored_from = time.perf_counter()
    # Times as a whole-pipeline fit's: the preparation is charged whether it was made now
    # or reused, so trials compare fairly (and the estimates made from them hold).
    fit_time = scored_from - fit_start + prepared.fit_seconds
    after_fit = len(caught)
    test_score = _as_score(scorer(estimator, prepared.test, y_test))
    after_test = len(caught)
    train_score = (
        _as_score(scorer(estimator, prepared.train_for_score, y_train))
        if context.return_train_score else None
    )
    score_time = time.perf_counter() - scored_from + prepared.score_seconds
    ordered += (caught[before_fit:after_fit] + list(prepared.test_warnings)
                + caught[after_fit:after_test] + list(prepared.train_warnings)
                + caught[after_test:])
    return test_score, train_score, fit_time, score_time, ordered, reused


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


def check_model_scoring(model: Any, scoring: str) -> None:
    """Refuse a metric the model cannot feed (SVC gives no probabilities for log loss)."""
    from sklearn.metrics import get_scorer

    method = getattr(get_scorer(scoring), "_response_method", "predict")
    methods = (method,) if isinstance(method, str) else tuple(method)
    estimator = model.make_estimator({}, None)
    if any(hasattr(estimator, name) for name in methods):
        return
    needs = "probabilities" if methods == ("predict_proba",) else "scores"
    raise ScoringError(
        f"{model.name} gives no class {needs}, which the metric '{scoring}' needs; choose "
        "another metric (accuracy, balanced_accuracy, f1_macro) or a model that gives "
        "probabilities, such as LogisticRegression."
    )
