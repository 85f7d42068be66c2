"""What a study is made of, apart from where it is kept: trial and study records, their
states, the one rule for the best trial, and the per-trial columns every reader shares.

``core/store.py`` writes and reads these; the trial table, the plots and diagnostics (via
``TrialFrame``) and the CSV export (``export.trials_table``) all read a study's trials
through ``trial_column``, so a column means the same, to the last digit, wherever it is
shown. Plain Python and numpy: no SQLite, no Qt, no pandas.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np

from .evaluate import FoldResult
from .spec import StudySpec


class TrialState(StrEnum):
    """The state of a trial; only finished states are ever stored."""

    RUNNING = "RUNNING"
    COMPLETE = "COMPLETE"
    FAIL = "FAIL"
    PRUNED = "PRUNED"
    # Running when its study was cancelled: stored with the folds that had finished so
    # the user sees what was cut short; a resumed run drops it and runs that number again.
    CANCELLED = "CANCELLED"

    def is_finished(self) -> bool:
        return self is not TrialState.RUNNING


@dataclass(frozen=True)
class TrialRecord:
    """One finished trial with its per-fold results."""

    number: int
    state: TrialState
    params: dict[str, Any]
    folds: tuple[FoldResult, ...]
    started_at: float
    finished_at: float
    error: str | None = None
    # What the strategy recorded beyond the folds, e.g. {"rung": 1, "rows": 120}.
    attrs: dict[str, Any] | None = None

    @property
    def test_scores(self) -> list[float]:
        return [f.test_score for f in self.folds if f.test_score is not None]

    @property
    def train_scores(self) -> list[float]:
        return [f.train_score for f in self.folds if f.train_score is not None]

    @property
    def mean_test_score(self) -> float | None:
        return mean(self.test_scores) if self.state in SCORED else None

    @property
    def std_test_score(self) -> float | None:
        return pstdev(self.test_scores) if self.state in SCORED else None

    @property
    def mean_train_score(self) -> float | None:
        return mean(self.train_scores) if self.state in SCORED else None

    @property
    def std_train_score(self) -> float | None:
        return pstdev(self.train_scores) if self.state in SCORED else None

    @property
    def mean_fit_time(self) -> float | None:
        """Mean fit time over all folds (failed ones too); None without folds."""
        return mean([f.fit_time for f in self.folds])

    @property
    def stopped_early(self) -> bool:
        """Whether successive halving stopped this trial before it ran every fold (pruned
        on folds; a trial pruned on rows ran every fold, on fewer training rows). Its mean is
        over the folds it ran, and their spread (0 over one fold) is no spread over the
        full evaluation's folds: views and exports show no standard deviation and no rank
        for it. Read from the state and ``attrs`` only, so the folds are not loaded."""
        return self.state is TrialState.PRUNED and "rows" not in (self.attrs or {})


# States whose folds give a (possibly partial) mean: a pruned trial keeps its folds' mean.
SCORED = frozenset({TrialState.COMPLETE, TrialState.PRUNED})


def mean(values: Sequence[float]) -> float | None:
    """numpy's mean, as GridSearchCV's cv_results_ uses, so the last digit agrees."""
    return float(np.mean(values)) if values else None


def pstdev(values: Sequence[float]) -> float | None:
    """numpy's (population) standard deviation, as cv_results_ has it."""
    return float(np.std(values)) if values else None


def trial_from_folds(
    number: int, params: dict[str, Any], folds: Sequence[FoldResult],
    started_at: float, finished_at: float,
) -> TrialRecord:
    """A trial fails when any of its folds failed; the first error says why."""
    folds = tuple(sorted(folds, key=lambda f: f.fold))
    errors = [f"fold {f.fold + 1}: {f.error}" for f in folds if f.error]
    state = TrialState.FAIL if errors else TrialState.COMPLETE
    return TrialRecord(number, state, dict(params), folds, started_at, finished_at,
                       errors[0] if errors else None)


@dataclass(frozen=True)
class StudyRow:
    """A study as listed in a project."""

    id: int
    name: str
    spec: StudySpec
    status: str
    created_at: float
    updated_at: float


# the best trial ------------------------------------------------------------------------


def can_be_best(trial: TrialRecord) -> bool:
    """A complete trial with a validation score: a pruned trial's partial mean, a failed
    trial, or a complete one without any score never counts."""
    if trial.state is not TrialState.COMPLETE:
        return False
    score = trial.mean_test_score
    return score is not None and not math.isnan(score)


def beats(trial: TrialRecord, best: TrialRecord | None) -> bool:
    """Whether ``trial`` is a better best trial than ``best`` (None: no best yet): the
    higher mean validation score, the lower number on ties."""
    if not can_be_best(trial):
        return False
    if best is None:
        return True
    score, top = trial.mean_test_score, best.mean_test_score
    assert score is not None and top is not None  # both can be best
    return score > top or (score == top and trial.number < best.number)


def best_trial(trials: Iterable[TrialRecord]) -> TrialRecord | None:
    """The complete trial with the highest mean validation score (lowest number on ties);
    a pruned trial's partial mean never counts (``beats``)."""
    best = None
    for trial in trials:
        if beats(trial, best):
            best = trial
    return best


def best_row(complete: np.ndarray, scores: np.ndarray, numbers: np.ndarray) -> int | None:
    """``best_trial`` over columns (``TrialColumns``' own): the row of the complete trial
    with the highest score (NaN: none), the lowest number on ties; None without one."""
    ok = complete & ~np.isnan(scores)
    if not ok.any():
        return None
    candidates = np.flatnonzero(ok & (scores == scores[ok].max()))
    return int(candidates[np.argmin(numbers[candidates])])


def count_states(trials: Iterable[TrialRecord]) -> dict[str, int]:
    """How many trials are in each finished state (every state present, 0 or more)."""
    counts = {state.value: 0 for state in TrialState if state.is_finished()}
    for trial in trials:
        counts[trial.state.value] += 1
    return counts


# the per-trial columns -----------------------------------------------------------------


def _spread(name: str) -> Callable[[TrialRecord], float | None]:
    """A standard deviation over the folds, None for a trial stopped before every fold:
    a spread over one or two folds (0 over one) is not its spread over a full
    evaluation's folds."""
    get = attrgetter(name)

    def spread(trial: TrialRecord) -> float | None:
        return None if trial.stopped_early else get(trial)

    return spread


_SPREADS = frozenset({"std_test_score", "std_train_score"})

# Each per-trial column (as cv_results_ names it where it has one) and its value for one
# trial (None: missing). Read from the records' stored values: no fold is loaded.
COLUMNS: dict[str, Callable[[TrialRecord], Any]] = {
    "number": attrgetter("number"),
    "state": attrgetter("state"),
    "mean_test_score": attrgetter("mean_test_score"),
    "std_test_score": _spread("std_test_score"),
    "mean_train_score": attrgetter("mean_train_score"),
    "std_train_score": _spread("std_train_score"),
    "mean_fit_time": attrgetter("mean_fit_time"),
    "started_at": attrgetter("started_at"),
    "finished_at": attrgetter("finished_at"),
}


def trial_value(trial: TrialRecord, name: str) -> Any:
    """One trial's value in a column of ``COLUMNS`` (None: missing)."""
    return COLUMNS[name](trial)


def trial_column(trials: Sequence[TrialRecord], name: str) -> np.ndarray:
    """A column of ``COLUMNS`` for these trials: ``number`` as integers, ``state`` as
    TrialStates (objects), any other as floats with NaN where a trial has none."""
    if name in _SPREADS:  # COLUMNS' rule, with stopped_early asked of pruned trials only
        column, pruned = _floats(map(attrgetter(name), trials)), TrialState.PRUNED
        states = list(map(attrgetter("state"), trials))
        if pruned in states:  # looked for in C: most studies have no pruned trial
            column[[i for i, (t, state) in enumerate(zip(trials, states, strict=True))
                    if state is pruned and t.stopped_early]] = np.nan
        return column
    values = map(COLUMNS[name], trials)
    if name == "number":
        return np.fromiter(values, np.int64, len(trials))
    if name == "state":
        column = np.empty(len(trials), dtype=object)
        column[:] = list(values)
        return column
    return _floats(values)


def param_names(trials: Iterable[TrialRecord]) -> list[str]:
    """Every hyperparameter the trials have, in the order they first appear."""
    names: dict[str, None] = {}
    for trial in trials:
        names.update(dict.fromkeys(trial.params))
    return list(names)


def param_column(trials: Sequence[TrialRecord], name: str) -> tuple[np.ndarray, np.ndarray]:
    """A hyperparameter's values (objects; None where a trial lacks it) and which trials
    have it at all (a condition can leave it out; None is a value: "no depth limit")."""
    n = len(trials)
    values = np.empty(n, dtype=object)
    values[:] = [t.params.get(name) for t in trials]
    return values, np.fromiter((name in t.params for t in trials), bool, n)


def fold_columns(trials: Sequence[TrialRecord]) -> dict[str, np.ndarray]:
    """The columns read from every trial's folds (so all folds are loaded): each fold's
    validation and training score (``split{k}_test_score``, ``split{k}_train_score``, NaN
    where a trial has no such fold or score) and the fit and score times' mean and
    standard deviation over a trial's folds (NaN without folds; the mean fit time is
    ``COLUMNS``', from the stored mean)."""
    n = len(trials)
    count = max((len(t.folds) for t in trials), default=0)
    test = np.full((count, n), np.nan)
    train = np.full((count, n), np.nan)
    times = {name: np.full(n, np.nan) for name in
             ("std_fit_time", "mean_score_time", "std_score_time")}
    for i, trial in enumerate(trials):
        folds = trial.folds
        for fold in folds:
            if 0 <= fold.fold < count:
                if fold.test_score is not None:
                    test[fold.fold, i] = fold.test_score
                if fold.train_score is not None:
                    train[fold.fold, i] = fold.train_score
        if folds:
            fit = [f.fit_time for f in folds]
            score = [f.score_time for f in folds]
            times["std_fit_time"][i] = np.std(fit)
            times["mean_score_time"][i] = np.mean(score)
            times["std_score_time"][i] = np.std(score)
    columns = dict(times)
    columns.update({f"split{k}_test_score": test[k] for k in range(count)})
    columns.update({f"split{k}_train_score": train[k] for k in range(count)})
    return columns


def _floats(values: Iterable[float | None]) -> np.ndarray:
    """Floats, None becoming NaN (numpy converts it, in C)."""
    return np.array(list(values), dtype=np.float64)


# the frame -----------------------------------------------------------------------------

# A TrialFrame's array fields read straight from a column of COLUMNS.
_FRAME_COLUMNS = {"numbers": "number", "mean_test": "mean_test_score",
                  "std_test": "std_test_score", "mean_train": "mean_train_score",
                  "std_train": "std_train_score", "started": "started_at",
                  "finished": "finished_at"}


@dataclass(frozen=True, eq=False)
class TrialFrame:
    """Per-trial arrays, in the order of the trials given (usually by trial number).

    Scores are NaN where a trial has none (failed), spreads also where successive halving
    stopped the trial before it ran every fold (``stopped_early``); ``params`` maps each
    hyperparameter to an object array of the values tried, and ``has`` says which trials
    have it at all (a condition can leave it out; None is a value: "no depth limit"). The folds
    themselves are read only for the rows that need them (``fold_scores``), so building
    the frame of 100,000 stored trials does not touch their 500,000 folds. Every column is
    ``trial_column``'s, as the trial table and the CSV export read them.
    """

    numbers: np.ndarray
    complete: np.ndarray
    failed: np.ndarray
    mean_test: np.ndarray
    std_test: np.ndarray
    mean_train: np.ndarray
    std_train: np.ndarray
    started: np.ndarray
    finished: np.ndarray
    params: dict[str, np.ndarray]
    has: dict[str, np.ndarray]
    trials: tuple[TrialRecord, ...] = field(repr=False)
    _numeric: dict[str, np.ndarray | None] = field(default_factory=dict, repr=False)

    @classmethod
    def from_trials(cls, trials: Sequence[TrialRecord]) -> TrialFrame:
        trials = tuple(trials)
        states = trial_column(trials, "state")
        params, has = _param_columns(trials)
        return cls(
            **{key: trial_column(trials, name) for key, name in _FRAME_COLUMNS.items()},
            complete=states == TrialState.COMPLETE, failed=states == TrialState.FAIL,
            params=params, has=has, trials=trials,
        )

    def extended(self, more: Sequence[TrialRecord]) -> TrialFrame:
        """This frame with ``more`` trials appended: only the new ones are read, so a
        running study's views stay cheap to refresh however many trials it has."""
        if not more:
            return self
        add = TrialFrame.from_trials(more)
        params, has = {}, {}
        for name in {**self.params, **add.params}:
            params[name] = np.concatenate([self.params.get(name, _nones(len(self))),
                                           add.params.get(name, _nones(len(add)))])
            has[name] = np.concatenate([self.has.get(name, np.zeros(len(self), bool)),
                                        add.has.get(name, np.zeros(len(add), bool))])
        joined = {key: np.concatenate([getattr(self, key), getattr(add, key)])
                  for key in (*_FRAME_COLUMNS, "complete", "failed")}
        return TrialFrame(**joined, params=params, has=has, trials=self.trials + add.trials)

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def scored(self) -> np.ndarray:
        """Rows with a validation score (complete trials)."""
        return self.complete & ~np.isnan(self.mean_test)

    def best_row(self) -> int | None:
        """The best trial's row (``best_trial``'s rule), or None."""
        return best_row(self.complete, self.mean_test, self.numbers)

    def fold_scores(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """One trial's validation and training scores per fold (NaN where missing)."""
        folds = sorted(self.trials[row].folds, key=lambda f: f.fold)
        return (_floats(f.test_score for f in folds), _floats(f.train_score for f in folds))

    def index_of(self, number: int) -> int | None:
        hits = np.flatnonzero(self.numbers == number)
        return int(hits[0]) if len(hits) else None

    def numeric_param(self, name: str) -> np.ndarray | None:
        """The values of ``name`` as floats (NaN where missing), or None if not numbers."""
        if name not in self._numeric:
            values = self.params.get(name)
            self._numeric[name] = None if values is None else _as_numbers(values,
                                                                          self.has[name])
        return self._numeric[name]


def _param_columns(trials: tuple[TrialRecord, ...]
                   ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """``param_column`` of every name in ``param_names``; read by name, in C, when every
    trial has the same settings (a search space without conditions): a third of the
    time at 100,000 trials."""
    dicts = list(map(attrgetter("params"), trials))
    first = dicts[0] if dicts else {}
    columns: dict[str, list[Any]] | None = None
    if first and set(map(len, dicts)) == {len(first)}:
        try:  # every trial has each of the first's settings, and no other
            columns = {name: list(map(itemgetter(name), dicts)) for name in first}
        except KeyError:
            columns = None
    if columns is None:
        params, has = {}, {}
        for name in param_names(trials):
            params[name], has[name] = param_column(trials, name)
        return params, has
    params = {}
    for name, column in columns.items():
        params[name] = np.empty(len(dicts), dtype=object)
        params[name][:] = column
    return params, {name: np.ones(len(dicts), dtype=bool) for name in columns}


def _as_numbers(values: np.ndarray, has: np.ndarray) -> np.ndarray | None:
    """The values as floats (NaN where a trial lacks the setting), or None when any value
    is not a number (a None among numbers, "no limit", makes the setting categorical)."""
    kinds = set(map(type, values[has]))
    if not kinds or any(k is bool or not issubclass(k, int | float | np.number)
                        for k in kinds):
        return None
    out = np.full(len(values), np.nan)
    out[has] = values[has].astype(float)
    return out


def _nones(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


__all__ = [
    "COLUMNS", "SCORED", "StudyRow", "TrialFrame", "TrialRecord", "TrialState", "beats",
    "best_row", "best_trial", "can_be_best", "count_states", "fold_columns", "mean",
    "param_column", "param_names", "pstdev", "trial_column", "trial_from_folds",
    "trial_value",
]
