"""The trials of a study as columns of numpy arrays, built once and shared by every view.

A study may hold 100,000 trials; each view then works on arrays instead of looping over
records, so the first drawing of any plot stays well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..store import TrialRecord, TrialState


@dataclass(frozen=True, eq=False)
class TrialFrame:
    """Per-trial arrays, in the order of the trials given (usually by trial number).

    Scores are NaN where a trial has none (failed, pruned); ``params`` maps each
    hyperparameter to an object array holding None where the trial lacks it.
    """

    numbers: np.ndarray
    complete: np.ndarray
    failed: np.ndarray
    mean_test: np.ndarray
    std_test: np.ndarray
    mean_train: np.ndarray
    std_train: np.ndarray
    n_folds: np.ndarray
    fold_test: np.ndarray
    fold_train: np.ndarray
    started: np.ndarray
    finished: np.ndarray
    params: dict[str, np.ndarray]
    errors: tuple[str | None, ...] = field(repr=False)

    @classmethod
    def from_trials(cls, trials: Sequence[TrialRecord]) -> TrialFrame:
        n = len(trials)
        width = max((len(t.folds) for t in trials), default=0)
        fold_test = np.full((n, width), np.nan)
        fold_train = np.full((n, width), np.nan)
        states = np.empty(n, dtype=object)
        numbers = np.empty(n, dtype=np.int64)
        started = np.empty(n)
        finished = np.empty(n)
        names: dict[str, None] = {}
        for i, trial in enumerate(trials):
            numbers[i] = trial.number
            states[i] = trial.state
            started[i] = trial.started_at
            finished[i] = trial.finished_at
            for fold in trial.folds:
                if 0 <= fold.fold < width:
                    if fold.test_score is not None:
                        fold_test[i, fold.fold] = fold.test_score
                    if fold.train_score is not None:
                        fold_train[i, fold.fold] = fold.train_score
            for name in trial.params:
                names.setdefault(name, None)
        params = {name: np.array([t.params.get(name) for t in trials] or [], dtype=object)
                  for name in names}
        complete = states == TrialState.COMPLETE
        with np.errstate(all="ignore"), _quiet_nan_warnings():
            mean_test = np.where(complete, np.nanmean(fold_test, axis=1), np.nan) \
                if width else np.full(n, np.nan)
            std_test = np.where(complete, np.nanstd(fold_test, axis=1), np.nan) \
                if width else np.full(n, np.nan)
            mean_train = np.where(complete, np.nanmean(fold_train, axis=1), np.nan) \
                if width else np.full(n, np.nan)
            std_train = np.where(complete, np.nanstd(fold_train, axis=1), np.nan) \
                if width else np.full(n, np.nan)
        return cls(
            numbers=numbers, complete=complete.astype(bool),
            failed=(states == TrialState.FAIL).astype(bool),
            mean_test=mean_test, std_test=std_test, mean_train=mean_train,
            std_train=std_train, n_folds=np.sum(~np.isnan(fold_test), axis=1),
            fold_test=fold_test, fold_train=fold_train, started=started, finished=finished,
            params=params, errors=tuple(t.error for t in trials),
        )

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def scored(self) -> np.ndarray:
        """Rows with a validation score (complete trials)."""
        return self.complete & ~np.isnan(self.mean_test)

    @property
    def std_error(self) -> np.ndarray:
        """The standard error of each mean validation score: std / sqrt(folds)."""
        with np.errstate(all="ignore"):
            return self.std_test / np.sqrt(np.maximum(self.n_folds, 1))

    def index_of(self, number: int) -> int | None:
        hits = np.flatnonzero(self.numbers == number)
        return int(hits[0]) if len(hits) else None

    def numeric_param(self, name: str) -> np.ndarray | None:
        """The values of ``name`` as floats (NaN where missing), or None if not numbers."""
        values = self.params.get(name)
        if values is None:
            return None
        out = np.full(len(values), np.nan)
        for i, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float | np.number):
                return None
            out[i] = float(value)
        return out


class _quiet_nan_warnings:  # noqa: N801 (used as a context manager)
    """nanmean of an all-NaN row warns; an empty row is simply NaN here."""

    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc: Any) -> None:
        self._catch.__exit__(*exc)
