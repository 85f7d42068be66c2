"""Out-of-fold predictions of one trial of a stored study: where the model goes wrong.

The trial's pipeline is fitted again on each of the study's own splits (same rows, same
folds, same params, same seed: ``study.build_context``), through the same worker pool and
fold dispatcher as the diagnostics' curves, and each fitted fold predicts its validation
rows, as ``sklearn.model_selection.cross_val_predict`` does. The same fits also measure
the permutation importance of every input column on the fold's validation rows, so the
assessment (``assess``) needs no other fit.

The result, ``Predictions``, is a frozen value kept in the project (``to_json`` /
``from_json``; the store keeps it compressed per study and trial), so opening a study
later does not refit.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from .export import ExportError
from .records import TrialRecord, TrialState, best_trial
from .spec import StudySpec

if TYPE_CHECKING:
    from .dataset import Dataset
    from .evaluate import EvalContext
    from .executor import Executor

PROBABILITY, DECISION = "probability", "decision"
IMPORTANCE_REPEATS = 5  # permutations of each column per fold
FORMAT = 1  # the stored form's version (``to_json``)


class PredictionsError(ExportError):
    """Out-of-fold predictions that cannot be made, phrased for the user (an
    ``ExportError``, so the front ends' user errors already include it)."""


@dataclass(frozen=True, eq=False)
class Predictions:
    """One trial's out-of-fold predictions, one entry per data row.

    Rows are the rows of the study's table in the file's order, 0-based, after the app's
    own row handling: rows without a target value are left out when the data is read
    (``dataset.load_dataset``), as the study left them out. Every array has one entry per
    such row.

    - ``fold``: the split (0-based, the study's split number) in which the row was first
      validated; for repeated k-fold that is its fold in the first repeat. -1: the row is
      never in a validation fold (a held-out test set or outer fold, the first block of a
      time-series split) and has no prediction.
    - ``count``: how many predictions were averaged for the row (the repeats of repeated
      k-fold; 1 for k-fold; 0 without a prediction).
    - ``actual`` / ``predicted``: regression, the values (``predicted`` NaN without a
      prediction); classification, indices into ``classes`` (``predicted`` -1 without a
      prediction). ``actual_values()`` / ``predicted_values()`` give the labels.
    - ``scores``: classification only, rows x ``score_columns()``: the class probabilities
      (``score_kind`` 'probability') or decision scores ('decision') where the model has
      them, NaN in rows without a prediction; None when it has neither.
    - ``importance``: permutation importance samples, one row per input column (its
      original name, in ``importance_columns``), one column per (split, permutation): the
      drop of the study's metric when the column is shuffled in the split's validation
      rows. None when not measured.
    """

    study: str
    trial: int
    task: str
    scoring: str
    fold: np.ndarray
    count: np.ndarray
    actual: np.ndarray
    predicted: np.ndarray
    classes: tuple[Any, ...] = ()
    scores: np.ndarray | None = None
    score_kind: str | None = None
    importance_columns: tuple[str, ...] = ()
    importance: np.ndarray | None = None
    note: str = ""
    data_fingerprint: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("fold", "count", "actual", "predicted", "scores", "importance"):
            value = getattr(self, name)
            if value is not None:
                value = np.array(value, copy=True)
                value.setflags(write=False)  # frozen all the way down
                object.__setattr__(self, name, value)
        # as stored (tuples as lists...), so a value read back equals the one computed
        object.__setattr__(self, "params", _plain(self.params))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Predictions):
            return NotImplemented
        return all(_same(getattr(self, name), getattr(other, name))
                   for name in self.__dataclass_fields__)

    __hash__ = None  # type: ignore[assignment]

    @property
    def rows(self) -> int:
        return len(self.fold)

    @property
    def classify(self) -> bool:
        return self.task == "classification"

    @property
    def has_prediction(self) -> np.ndarray:
        """True for the rows that have a prediction."""
        return self.count > 0

    def labels(self, index: np.ndarray) -> np.ndarray:
        """Class labels of class indices (all valid), in the labels' own type."""
        return np.asarray(self.classes)[np.asarray(index)]

    def actual_values(self) -> np.ndarray:
        """Per row, the true value: the class label, or the number."""
        return self.labels(self.actual) if self.classify else self.actual

    def predicted_values(self) -> np.ndarray:
        """Per row, the prediction: a class label (None without one, so an object array),
        or the number (NaN without one)."""
        if not self.classify:
            return self.predicted
        labels = np.empty(len(self.classes) + 1, dtype=object)
        labels[:-1] = list(self.classes)
        labels[-1] = None  # index -1
        return labels[self.predicted]

    def score_columns(self) -> tuple[Any, ...]:
        """The class each column of ``scores`` belongs to: every class, except for a
        binary decision function, whose one column is the score of the second class (as
        scikit-learn gives it)."""
        if self.scores is None:
            return ()
        if self.scores.shape[1] == 1:
            return (self.classes[1],)
        return self.classes

    # ---------------------------------------------------------------- stored form

    def to_json(self) -> dict[str, Any]:
        """The stored form: JSON with the arrays as base64 of their little-endian bytes
        (exact, compact, no pickles)."""
        from .jsonable import jsonable

        return {
            "format": FORMAT, "study": self.study, "trial": self.trial, "task": self.task,
            "scoring": self.scoring, "classes": jsonable(list(self.classes)),
            "fold": _encode(self.fold, "<i4"), "count": _encode(self.count, "<i4"),
            "actual": _encode(self.actual, "<i4" if self.classify else "<f8"),
            "predicted": _encode(self.predicted, "<i4" if self.classify else "<f8"),
            "scores": None if self.scores is None else _encode(self.scores, "<f8"),
            "score_kind": self.score_kind,
            "importance_columns": list(self.importance_columns),
            "importance": None if self.importance is None else _encode(self.importance, "<f8"),
            "note": self.note, "data_fingerprint": self.data_fingerprint,
            "params": jsonable(self.params),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Predictions:
        """The value ``to_json`` stored (ValueError when it cannot be read)."""
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown predictions format {data.get('format')!r}")
        return cls(
            study=data["study"], trial=int(data["trial"]), task=data["task"],
            scoring=data["scoring"], fold=_decode(data["fold"]), count=_decode(data["count"]),
            actual=_decode(data["actual"]), predicted=_decode(data["predicted"]),
            classes=tuple(data["classes"]),
            scores=None if data["scores"] is None else _decode(data["scores"]),
            score_kind=data["score_kind"],
            importance_columns=tuple(data["importance_columns"]),
            importance=None if data["importance"] is None else _decode(data["importance"]),
            note=data["note"], data_fingerprint=data["data_fingerprint"],
            params=data["params"],
        )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if a is None or b is None:
            return False
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    return bool(a == b)


def _encode(array: np.ndarray, dtype: str) -> dict[str, Any]:
    values = np.ascontiguousarray(array, dtype=dtype)
    return {"dtype": dtype, "shape": list(values.shape),
            "data": base64.b64encode(values.tobytes()).decode("ascii")}


def _decode(data: Mapping[str, Any]) -> np.ndarray:
    values = np.frombuffer(base64.b64decode(data["data"]), dtype=data["dtype"])
    kind = np.float64 if np.dtype(data["dtype"]).kind == "f" else np.int64
    return values.reshape(data["shape"]).astype(kind)


# ------------------------------------------------------------------ choosing, checking


def choose_trial(trials: Sequence[TrialRecord], number: int | None) -> TrialRecord:
    """The asked-for trial, or the best one; a sentence when it has no model to predict
    with."""
    if number is None:
        best = best_trial(trials)
        if best is None:
            raise PredictionsError("No trial of this study completed, so there is no model "
                                   "to make out-of-fold predictions with.")
        return best
    trial = next((t for t in trials if t.number == number), None)
    if trial is None:
        raise PredictionsError(f"The study has no trial number {number}.")
    if trial.state is not TrialState.COMPLETE:
        why = (f"was stopped early by successive halving after {len(trial.folds)} fold(s)"
               if trial.state is TrialState.PRUNED else f"did not complete ({trial.error})")
        raise PredictionsError(f"Trial {number} {why}, so it has no out-of-fold predictions; "
                               "choose a completed trial.")
    return trial


def load_data(spec: StudySpec) -> Dataset:
    """The study's data as it ran; a sentence when the file is gone or changed."""
    from .dataset import load_dataset

    dataset = load_dataset(spec.data, spec.target, roles=spec.roles, task=spec.task,
                           rules=spec.engine)
    check_data(spec, dataset)
    return dataset


def check_data(spec: StudySpec, dataset: Dataset) -> None:
    """Refuse data other than the data the study ran on (its fingerprint)."""
    if spec.data_fingerprint and dataset.fingerprint != spec.data_fingerprint:
        raise PredictionsError(
            f"The data file '{spec.data}' has changed since the study ran, so out-of-fold "
            "predictions fitted on it now would not match the study's scores; restore the "
            "original file or run the study again.")


def is_current(stored: Predictions, spec: StudySpec, trial: TrialRecord) -> bool:
    """Whether stored predictions are of this trial as it ran on the study's data."""
    return (stored.trial == trial.number and stored.data_fingerprint == spec.data_fingerprint
            and stored.params == _plain(trial.params) and stored.task == spec.task)


def _plain(params: Mapping[str, Any]) -> dict[str, Any]:
    from .jsonable import jsonable

    plain = jsonable(dict(params))
    assert isinstance(plain, dict)
    return plain


# ------------------------------------------------------------------ in the worker


def fold_outputs(pipeline: Any, X_test: Any, y_test: Any, context: EvalContext, fold: int,
                 *, importance_repeats: int = IMPORTANCE_REPEATS) -> dict[str, Any]:
    """What one fitted fold hands back (``EvalContext.after_fit``): its predictions on
    the validation rows, the class probabilities or decision scores when the model has
    them, its classes, and the permutation importance of each input column."""
    out: dict[str, Any] = {"predicted": np.asarray(pipeline.predict(X_test)),
                           "classes": None, "scores": None, "kind": None, "importance": None}
    if hasattr(pipeline, "classes_"):
        out["classes"] = np.asarray(pipeline.classes_)
        for method, kind in (("predict_proba", PROBABILITY), ("decision_function", DECISION)):
            if hasattr(pipeline, method):
                out["scores"] = np.asarray(getattr(pipeline, method)(X_test), dtype=float)
                out["kind"] = kind
                break
    if importance_repeats > 0:
        from sklearn.inspection import permutation_importance

        found = permutation_importance(pipeline, X_test, y_test, scoring=context.scoring,
                                       n_repeats=importance_repeats,
                                       random_state=context.seed + fold, n_jobs=1)
        out["importance"] = np.asarray(found.importances, dtype=float)
    return out


# ------------------------------------------------------------------ computing


def compute_predictions(
    spec: StudySpec,
    trial: TrialRecord,
    dataset: Dataset | None = None,
    *,
    jobs: int = 1,
    executor_factory: Callable[[EvalContext], Executor] | None = None,
    importance_repeats: int = IMPORTANCE_REPEATS,
    should_stop: Callable[[], bool] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Predictions:
    """Fit ``trial`` on each of the study's splits in the worker pool and gather its
    out-of-fold predictions (one fit per split). ``executor_factory`` (default: the app's
    ``make_executor`` with ``jobs``) gets the context with the study's rows and folds;
    the executor is shut down here. A cancel (``should_stop``) raises
    ``diagnostics.curves.CurveCancelled``. ``importance_repeats`` 0 skips importance."""
    from .diagnostics.curves import run_fits_then_close
    from .executor import make_executor
    from .study import build_context

    if trial.state is not TrialState.COMPLETE:
        choose_trial([trial], trial.number)  # the sentence
    if dataset is None:
        dataset = load_data(spec)
    else:
        check_data(spec, dataset)
    context, rows = build_context(spec, dataset)
    context = replace(context, return_train_score=False,
                      after_fit=partial(fold_outputs, importance_repeats=importance_repeats))
    factory = executor_factory or (lambda c: make_executor(c, jobs))
    tasks = [(trial.number, dict(trial.params), split) for split in range(len(context.splits))]
    results = run_fits_then_close(factory(context), tasks, should_stop, on_progress)
    outputs = []
    for split in range(len(tasks)):
        result = results[(trial.number, split)]
        if result.failed or result.output is None:
            raise PredictionsError(
                f"Trial {trial.number} failed when fitted again on split {split + 1} "
                f"({result.error}), so it has no out-of-fold predictions.")
        outputs.append(result.output)
    searched = rows.searched(dataset.n_rows)
    return gather(spec, trial, dataset.y(), [searched[test] for _, test in context.splits],
                  outputs, list(context.X.columns))


def gather(spec: StudySpec, trial: TrialRecord, y: Any, tests: Sequence[np.ndarray],
           outputs: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> Predictions:
    """The per-row predictions from each split's output (``fold_outputs``); ``tests`` are
    each split's validation rows as positions in the whole table (``y``'s rows)."""
    y = np.asarray(y)
    n = len(y)
    fold = np.full(n, -1, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    for split, test in enumerate(tests):
        fold[test[fold[test] < 0]] = split
        count[test] += 1
    classify = spec.task == "classification"
    importance = _importance(outputs)
    common = dict(study=spec.name, trial=trial.number, task=spec.task, scoring=spec.scoring,
                  fold=fold, count=count, importance_columns=tuple(columns),
                  importance=importance, note=_note(spec, count, classify, outputs),
                  data_fingerprint=spec.data_fingerprint or "", params=dict(trial.params))
    if not classify:
        total = np.zeros(n)
        for test, out in zip(tests, outputs, strict=True):
            total[test] += np.asarray(out["predicted"], dtype=float)
        predicted = np.full(n, np.nan)
        seen = count > 0
        predicted[seen] = total[seen] / count[seen]
        once = count == 1  # the fold's own number, not a sum divided by one
        for test, out in zip(tests, outputs, strict=True):
            mine = once[test]
            predicted[test[mine]] = np.asarray(out["predicted"], dtype=float)[mine]
        return Predictions(actual=y.astype(float), predicted=predicted, **common)
    return _classes(y, tests, outputs, count, common)


def _classes(y: np.ndarray, tests: Sequence[np.ndarray], outputs: Sequence[Mapping[str, Any]],
             count: np.ndarray, common: dict[str, Any]) -> Predictions:
    n = len(y)
    classes = np.unique(y)
    actual = np.searchsorted(classes, y)
    votes = np.zeros((n, len(classes)), dtype=np.int64)
    single = np.full(n, -1, dtype=np.int64)
    kind = outputs[0]["kind"] if all(o["kind"] == outputs[0]["kind"] for o in outputs) else None
    binary_decision = kind == DECISION and all(np.ndim(o["scores"]) == 1 for o in outputs)
    width = 1 if binary_decision else len(classes)
    sums = np.zeros((n, width)) if kind is not None else None
    for test, out in zip(tests, outputs, strict=True):
        index = np.searchsorted(classes, np.asarray(out["predicted"]))
        votes[test, index] += 1
        single[test] = index
        if sums is not None:
            sums[test] += _aligned(out, classes, width)
    predicted = np.full(n, -1, dtype=np.int64)
    seen = count > 0
    many = count > 1
    predicted[count == 1] = single[count == 1]
    scores = None
    if sums is not None:
        scores = np.full((n, width), np.nan)
        scores[seen] = sums[seen] / count[seen, None]
    if kind == PROBABILITY:
        predicted[many] = np.argmax(scores[many], axis=1)
    else:
        predicted[many] = np.argmax(votes[many], axis=1)  # ties: the first class
    return Predictions(actual=actual, predicted=predicted,
                       classes=tuple(c.item() if hasattr(c, "item") else c for c in classes),
                       scores=scores, score_kind=kind, **common)


def _aligned(out: Mapping[str, Any], classes: np.ndarray, width: int) -> np.ndarray:
    """A split's scores in the columns of every class (a class the split's training rows
    lacked: probability 0, decision score the lowest float, as cross_val_predict does)."""
    scores = np.asarray(out["scores"], dtype=float)
    if width == 1:
        return scores.reshape(-1, 1)
    mine = np.asarray(out["classes"])
    if len(mine) == len(classes):
        return scores
    fill = 0.0 if out["kind"] == PROBABILITY else np.finfo(float).min
    full = np.full((len(scores), len(classes)), fill)
    full[:, np.searchsorted(classes, mine)] = scores
    return full


def _importance(outputs: Sequence[Mapping[str, Any]]) -> np.ndarray | None:
    parts = [o["importance"] for o in outputs]
    if any(part is None for part in parts):
        return None
    return np.concatenate(parts, axis=1)


def _note(spec: StudySpec, count: np.ndarray, classify: bool,
          outputs: Sequence[Mapping[str, Any]]) -> str:
    """What the predictions are, in words: how many were averaged, which rows have none."""
    notes = []
    most = int(count.max()) if len(count) else 0
    if most > 1:
        repeats = (f"each of the {most} repeats" if spec.validation
                   and spec.validation.get("scheme") == "repeated"
                   else f"up to {most} splits")
        what = "the mean of its predictions"
        if classify:
            proba = outputs and outputs[0]["kind"] == PROBABILITY
            what = ("the class with the highest mean probability (probabilities averaged)"
                    if proba else "the class predicted most often (ties: the first class "
                    "in order; scores averaged)")
        notes.append(f"Rows validated more than once (in {repeats}) get {what}.")
    missing = int((count == 0).sum())
    if missing:
        notes.append(f"{missing:,} row(s) are never in a validation fold (a held-out test "
                     "set, an outer fold or the first block of a time-series split) and have "
                     "no prediction (fold -1).")
    return " ".join(notes)


__all__ = [
    "DECISION", "PROBABILITY", "Predictions", "PredictionsError", "check_data",
    "choose_trial", "compute_predictions", "fold_outputs", "gather", "is_current",
    "load_data",
]
