"""The trials of a study as columns of numpy arrays, built once and shared by every view.

A study may hold 100,000 trials; each view then works on arrays instead of looping over
records, so the first drawing of any plot stays well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import numpy as np

from ..store import TrialRecord, TrialState


@dataclass(frozen=True, eq=False)
class TrialFrame:
    """Per-trial arrays, in the order of the trials given (usually by trial number).

    Scores are NaN where a trial has none (failed), spreads also where successive halving
    stopped the trial before it ran every fold (``stopped_early``); ``params`` maps each
    hyperparameter to an object array of the values tried, and ``has`` says which trials
    have it at all (a condition can leave it out; None is a value: "no depth limit"). The folds
    themselves are read only for the rows that need them (``fold_scores``), so building
    the frame of 100,000 stored trials does not touch their 500,000 folds.
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
        n = len(trials)
        states = list(map(attrgetter("state"), trials))
        names: dict[str, None] = {}
        for trial in trials:
            names.update(dict.fromkeys(trial.params))
        params, has = {}, {}
        for name in names:
            column = np.empty(n, dtype=object)
            column[:] = [t.params.get(name) for t in trials]
            params[name] = column
            has[name] = np.fromiter((name in t.params for t in trials), bool, n)
        stopped = np.fromiter((t.stopped_early for t in trials), bool, n)
        return cls(
            numbers=np.fromiter((t.number for t in trials), np.int64, n),
            complete=np.fromiter((s is TrialState.COMPLETE for s in states), bool, n),
            failed=np.fromiter((s is TrialState.FAIL for s in states), bool, n),
            mean_test=_floats(map(attrgetter("mean_test_score"), trials)),
            std_test=_no_spread(_floats(map(attrgetter("std_test_score"), trials)), stopped),
            mean_train=_floats(map(attrgetter("mean_train_score"), trials)),
            std_train=_no_spread(_floats(map(attrgetter("std_train_score"), trials)), stopped),
            started=_floats(map(attrgetter("started_at"), trials)),
            finished=_floats(map(attrgetter("finished_at"), trials)),
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
                  for key in ("numbers", "complete", "failed", "mean_test", "std_test",
                              "mean_train", "std_train", "started", "finished")}
        return TrialFrame(**joined, params=params, has=has, trials=self.trials + add.trials)

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def scored(self) -> np.ndarray:
        """Rows with a validation score (complete trials)."""
        return self.complete & ~np.isnan(self.mean_test)

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


def _as_numbers(values: np.ndarray, has: np.ndarray) -> np.ndarray | None:
    """The values as floats (NaN where a trial lacks the setting), or None when any value
    is not a number (a None among numbers, "no limit", makes the setting categorical)."""
    kinds = {type(v) for v in values[has]}
    if not kinds or any(k is bool or not issubclass(k, int | float | np.number)
                        for k in kinds):
        return None
    out = np.full(len(values), np.nan)
    out[has] = values[has].astype(float)
    return out


def _nones(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def _no_spread(spreads: np.ndarray, stopped: np.ndarray) -> np.ndarray:
    """NaN for the trials stopped before every fold: a spread over one or two folds (0
    over one) is not their spread over the folds of a full evaluation."""
    spreads[stopped] = np.nan
    return spreads


def _floats(values: Any) -> np.ndarray:
    """None becomes NaN (the None test runs in numpy, not in a Python loop)."""
    column = np.array(list(values), dtype=object)
    column[np.equal(column, None)] = np.nan
    return column.astype(float)
