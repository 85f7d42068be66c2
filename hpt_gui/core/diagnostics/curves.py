"""Validation curves and learning curves, computed by real fits.

Curves answer "what if": how the score moves when one hyperparameter moves, or when the
model sees fewer training rows. They are not read from stored trials but fitted anew,
through the same (number, params, fold) protocol as a study, on an :class:`Executor`, so
the window can run them in worker processes and keep its own thread free. The study's
splits are reused, so a point of a curve at the trial's own settings reproduces the
trial's scores exactly. (A linear model's regularization path is in ``regularization``.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..catalog import get_model
from ..dispatch import FoldDispatcher
from ..evaluate import EvalContext, FoldResult
from ..executor import Executor, InlineExecutor
from ..jsonable import Json, jsonable
from ..space import Dimension
from ..spec import StudySpec

if TYPE_CHECKING:  # for annotations only: both are imported where they are used
    from ..dataset import Dataset  # loading data pulls in pandas

DEFAULT_FRACTIONS = (0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0)
VALIDATION, LEARNING = "validation", "learning"
TRAIN_SIZE = "train_size"

Stop = Callable[[], bool]
Progress = Callable[[int, int], None]


class CurveCancelled(Exception):
    """The caller's ``should_stop`` answered True; the partial curve is dropped."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Curve:
    """Train and validation scores along one varied quantity, fold by fold."""

    x: tuple[Any, ...]
    train_mean: tuple[float | None, ...]
    train_std: tuple[float | None, ...]
    test_mean: tuple[float | None, ...]
    test_std: tuple[float | None, ...]
    train_folds: tuple[tuple[float | None, ...], ...]
    test_folds: tuple[tuple[float | None, ...], ...]
    errors: tuple[str | None, ...]
    param: str
    kind: str

    def to_json(self) -> dict[str, Json]:
        return {key: jsonable(value) for key, value in {
            "kind": self.kind, "param": self.param, "x": self.x,
            "train_mean": self.train_mean, "train_std": self.train_std,
            "test_mean": self.test_mean, "test_std": self.test_std,
            "train_folds": self.train_folds, "test_folds": self.test_folds,
            "errors": self.errors,
        }.items()}


# --------------------------------------------------------------------------- context


def context_for_spec(spec: StudySpec, dataset: Dataset | None = None) -> EvalContext:
    """The stored study's own EvalContext: same rows, splits, model, metric and seed
    (``study.build_context``, as the study was planned).

    Without ``dataset`` the data is loaded again and refused (ExportError) if the file
    changed since the study ran, since its curves would no longer match its trials.
    """
    from ..export import check_fingerprint, load_study_data
    from ..study import build_context

    if dataset is None:
        dataset = load_study_data(spec)
    else:
        check_fingerprint(spec, dataset)
    # Only the rows the search saw (never a held-out test set or outer fold), its folds.
    return build_context(spec, dataset)[0]


def dimension_for(spec: StudySpec, name: str) -> Dimension:
    """The study's range for ``name``, or the catalog's default range when it was fixed."""
    if name in spec.space.names:
        return spec.space[name]
    return get_model(spec.model).hyperparameter(name).dimension


# --------------------------------------------------------------------------- values


def validation_values(dimension: Dimension, current: Any = None, points: int = 9) -> list[Any]:
    """The values a validation curve tries: spread over the range, plus the trial's own.

    A range gets ``points`` values (log-spread on a log scale, whole numbers for an int
    range, on its step when it has one); a categorical gets every choice. The current
    value is always included, so the curve passes through the trial being examined.
    """
    if dimension.kind == "categorical":
        values = list(dimension.choices)
        if current is not None and current not in values:
            values.append(current)
        return values
    points = max(1, int(points))
    if points == 1:
        spread = [dimension.default()]
    elif dimension.log:
        spread = np.geomspace(dimension.low, dimension.high, points)
    else:
        spread = np.linspace(dimension.low, dimension.high, points)
    values = {_on_range(dimension, float(v)) for v in spread}
    if current is not None:
        values.add(int(current) if dimension.kind == "int" else float(current))
    return sorted(values)


def _on_range(dimension: Dimension, value: float) -> int | float:
    """The nearest value the range allows (on its step, whole for an int range)."""
    step = dimension.step
    if step is not None:
        k = round((value - dimension.low) / step)
        k = min(max(k, 0), int((dimension.high - dimension.low) // step))
        value = dimension.low + k * step
    if dimension.kind == "int":
        return int(min(max(round(value), dimension.low), dimension.high))
    return float(f"{value:.12g}")


# --------------------------------------------------------------------------- running fits


def _run_fits(
    executor: Executor,
    tasks: Sequence[tuple[int, Mapping[str, Any], int]],
    should_stop: Stop | None,
    on_progress: Progress | None,
) -> dict[tuple[int, int], FoldResult]:
    """Run (number, params, fold) tasks through the study's fold dispatcher, a few at a
    time so a cancel is seen quickly (a fold whose worker died runs again, as in a study).
    """
    stop = should_stop or (lambda: False)
    report = on_progress or (lambda done, total: None)
    # Inline, each submit is the fit itself: one at a time, so a cancel is seen between
    # fits. In a pool, enough queued that no worker waits.
    depth = 1 if isinstance(executor, InlineExecutor) else 2 * max(1, executor.workers)
    dispatch = FoldDispatcher(executor, depth)
    queue = list(reversed(tasks))
    results: dict[tuple[int, int], FoldResult] = {}
    total = len(tasks)
    report(0, total)
    while len(results) < total:
        if stop():
            raise CurveCancelled()
        while queue and dispatch.has_room():
            number, params, fold = queue.pop()
            dispatch.submit(number, params, fold)
        back = dispatch.collect(timeout=0.2)
        results.update(back)
        if back:
            report(len(results), total)
    return results


def run_fits_then_close(executor: Executor, tasks: Sequence[tuple[int, Mapping[str, Any], int]],
                        should_stop: Stop | None, on_progress: Progress | None,
                        ) -> dict[tuple[int, int], FoldResult]:
    """The fits on an executor made for them alone (other fits on a study's folds, as
    ``core.predictions``'s, run this way), shut down after them; fits still running when
    they did not all end (a cancel, an error) are dropped."""
    cancel = True
    try:
        results = _run_fits(executor, tasks, should_stop, on_progress)
        cancel = False
    finally:
        executor.shutdown(cancel=cancel)
    return results


def _summarize(
    x: Sequence[Any], folds_of: Sequence[Sequence[int]],
    results: Mapping[tuple[int, int], FoldResult], param: str, kind: str,
) -> Curve:
    """Fold results -> a Curve; means and (population) spreads over the folds that ran."""
    train_folds, test_folds, errors = [], [], []
    for number, folds in enumerate(folds_of):
        fold_results = [results[(number, fold)] for fold in folds]
        train_folds.append(tuple(r.train_score for r in fold_results))
        test_folds.append(tuple(r.test_score for r in fold_results))
        errors.append(next((r.error for r in fold_results if r.error), None))
    return Curve(
        x=tuple(x),
        train_mean=tuple(_mean(scores) for scores in train_folds),
        train_std=tuple(_std(scores) for scores in train_folds),
        test_mean=tuple(_mean(scores) for scores in test_folds),
        test_std=tuple(_std(scores) for scores in test_folds),
        train_folds=tuple(train_folds),
        test_folds=tuple(test_folds),
        errors=tuple(errors),
        param=param,
        kind=kind,
    )


def _mean(scores: Sequence[float | None]) -> float | None:
    kept = [s for s in scores if s is not None]
    return float(np.mean(kept)) if kept else None


def _std(scores: Sequence[float | None]) -> float | None:
    kept = [s for s in scores if s is not None]
    return float(np.std(kept)) if kept else None


# --------------------------------------------------------------------------- validation


def validation_curve(
    context: EvalContext,
    params: Mapping[str, Any],
    name: str,
    values: Sequence[Any],
    executor: Executor,
    should_stop: Stop | None = None,
    on_progress: Progress | None = None,
) -> Curve:
    """Train and validation score as ``name`` takes each of ``values``, the rest fixed.

    Every value is fitted on every fold of the context's splits (number = the value's
    index), as scikit-learn's validation_curve does. ``executor`` must be built around
    ``context``; it stays the caller's: after CurveCancelled, shut it down with
    ``cancel=True`` so fits still running are dropped.
    """
    folds = range(len(context.splits))
    tasks = [(i, {**params, name: value}, fold) for i, value in enumerate(values)
             for fold in folds]
    results = _run_fits(executor, tasks, should_stop, on_progress)
    return _summarize(values, [list(folds)] * len(values), results, name, VALIDATION)


# --------------------------------------------------------------------------- learning


def learning_context(
    context: EvalContext, fractions: Sequence[float] = DEFAULT_FRACTIONS
) -> tuple[EvalContext, tuple[float, ...]]:
    """The context whose splits are the study's folds cut to each training-set size.

    Split ``s * k + f`` trains on a share ``fractions[s]`` of fold ``f``'s training rows
    and validates on fold ``f``'s validation rows unchanged. Subsets are nested (a seeded
    order of each fold's rows, cut shorter) and, for classes, stratified with every class
    present; a size too small to hold every class is left out, as are repeated sizes.
    The full size keeps the fold's own rows in their own order, so it scores exactly as
    the study did. Returns the context and, per kept size, the mean rows trained on.
    """
    y = np.asarray(context.y)
    classify = get_model(context.model).task == "classification"
    orders = [_row_order(train, y, classify, context.seed + k)
              for k, (train, _) in enumerate(context.splits)]
    # The fewest rows each fold may train on: one of each class (which the order puts
    # first), or two rows for a regression.
    smallest = [len(np.unique(y[train])) if classify else 2 for train, _ in context.splits]
    splits: list[tuple[np.ndarray, np.ndarray]] = []
    sizes: list[float] = []
    seen: set[tuple[int, ...]] = set()
    for fraction in sorted(float(f) for f in fractions if 0 < float(f) <= 1):
        counts = tuple(int(fraction * len(train)) for train, _ in context.splits)
        if counts in seen or any(n < low for n, low in zip(counts, smallest, strict=True)):
            continue
        seen.add(counts)
        sizes.append(float(np.mean(counts)))
        splits += [(np.sort(order[:n]), test)
                   for order, n, (_, test) in zip(orders, counts, context.splits, strict=True)]
    return replace(context, splits=splits), tuple(sizes)


def _row_order(train: np.ndarray, y: np.ndarray, classify: bool, seed: int) -> np.ndarray:
    """A seeded order of the training rows whose every prefix is (nearly) stratified.

    Regression: a plain shuffle. Classes: one row of each class first, then the j-th row
    of a class with n rows at position (j + 0.5) / n, so every class keeps its share.
    """
    rng = np.random.default_rng(seed)
    shuffled = train[rng.permutation(len(train))]
    if not classify:
        return shuffled
    labels = y[shuffled]
    keys = np.empty(len(shuffled))
    for label in np.unique(labels):
        where = np.flatnonzero(labels == label)
        keys[where] = (np.arange(len(where)) + 0.5) / len(where)
        keys[where[0]] = -1.0
    return shuffled[np.argsort(keys, kind="stable")]


def learning_curve(
    context: EvalContext,
    params: Mapping[str, Any],
    executor_factory: Callable[[EvalContext], Executor],
    fractions: Sequence[float] = DEFAULT_FRACTIONS,
    should_stop: Stop | None = None,
    on_progress: Progress | None = None,
) -> Curve:
    """Train and validation score against the number of training rows.

    An executor holds one context, and this curve needs its own (the cut-down splits of
    :func:`learning_context`), so it takes a factory, e.g.
    ``lambda c: make_executor(c, jobs)``, and shuts the executor down itself (dropping
    running fits when cancelled). x is the mean number of rows trained on per size.
    """
    derived, sizes = learning_context(context, fractions)
    folds = len(context.splits)
    tasks = [(s, dict(params), s * folds + k) for s in range(len(sizes)) for k in range(folds)]
    if not tasks:  # no size holds every class: nothing to fit, no workers to start
        return _summarize((), [], {}, TRAIN_SIZE, LEARNING)
    results = run_fits_then_close(executor_factory(derived), tasks, should_stop, on_progress)
    keyed = {(s, fold % folds): r for (s, fold), r in results.items()}
    return _summarize(sizes, [list(range(folds))] * len(sizes), keyed, TRAIN_SIZE, LEARNING)


__all__ = [
    "DEFAULT_FRACTIONS", "Curve", "CurveCancelled", "context_for_spec", "dimension_for",
    "learning_context", "learning_curve", "run_fits_then_close", "validation_curve",
    "validation_values",
]
