"""Which hyperparameter matters: Optuna's fANOVA importance over the stored trials.

fANOVA (Hutter, Hoos and Leyton-Brown, 2014) fits a random forest from the settings to
the validation score and splits the score's variance among the settings. The trials are
handed to an in-memory Optuna study; nothing is stored.

The settings every trial has share the score's variance among themselves (their shares
sum to 1). A setting that applies only under a condition (``gamma`` for some kernels) is
judged on the trials where it applies, together with the shared settings; its share is
of that subset's variance, so it is reported apart and never added to the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..jsonable import Json, jsonable
from ..records import TrialFrame
from ..space import Condition, Dimension, SearchSpace

MAX_TRIALS = 1000  # fANOVA on more adds time, not insight; a seeded sample is taken
# Smaller forests than Optuna's default (64 trees, depth 64): a few seconds at most on
# 1,000 trials, and the ranking is the same on the studies we tried.
N_TREES, MAX_DEPTH = 32, 16


@dataclass(frozen=True)
class Importance:
    """How much of the validation score's variance each hyperparameter explains.

    ``names`` and ``values``: the settings every trial has, largest share first; the
    shares (0..1) sum to 1. ``within``: (name, share, where) for each setting that
    applies only in some trials, largest first: its share of the score's variance
    within those trials (0..1, not comparable with ``values``), and where it applies
    as text, e.g. "kernel is rbf or poly".
    """

    names: tuple[str, ...]
    values: tuple[float, ...]
    within: tuple[tuple[str, float, str], ...]
    trials_used: int
    method: str = "fANOVA (Optuna)"
    note: str = ""

    def to_json(self) -> dict[str, Json]:
        return {"method": self.method, "trials_used": self.trials_used, "note": self.note,
                "importance": jsonable(dict(zip(self.names, self.values, strict=True))),
                "within": [{"name": name, "share": jsonable(share), "where": where}
                           for name, share, where in self.within]}


def param_importance(frame: TrialFrame, space: SearchSpace, seed: int = 0) -> Importance:
    """fANOVA importances, largest first; empty with a note when there is too little."""
    rows = np.flatnonzero(frame.scored)
    searched = [d.name for d in space if _varies(frame, d.name, rows)]
    if len(rows) < 3 or not searched:
        return Importance((), (), (), len(rows), note=(
            "Importance needs at least 3 scored trials that vary a setting."))
    if len(rows) > MAX_TRIALS:
        rows = np.sort(np.random.default_rng(seed).choice(rows, MAX_TRIALS, replace=False))
    if np.ptp(frame.mean_test[rows]) == 0:
        return Importance((), (), (), len(rows), note=(
            "Every scored trial has the same validation score, so no setting mattered more "
            "than another."))
    always = [n for n in searched if frame.has[n][rows].all()]
    sometimes = [n for n in searched if n not in always]
    shared = _fanova(frame, space, rows, always, seed) if always else {}
    total = sum(shared.values())
    if total > 0:  # fANOVA's shares sum to 1 already, unless one came out undefined
        shared = {name: value / total for name, value in shared.items()}
    within: list[tuple[str, float, str]] = []
    for name in sometimes:
        subset = rows[frame.has[name][rows]]
        if len(subset) >= 3 and _varies(frame, name, subset):
            share = _fanova(frame, space, subset, [*always, name], seed).get(name, 0.0)
            within.append((name, share, condition_text(space[name].when)))
    ordered = sorted(shared.items(), key=lambda item: -item[1])
    return Importance(tuple(n for n, _ in ordered), tuple(v for _, v in ordered),
                      tuple(sorted(within, key=lambda item: -item[1])), len(rows))


def condition_text(when: Condition | None) -> str:
    """When a conditional setting applies, in words: "kernel is rbf or poly"."""
    if when is None:  # absent from some trials without a condition (the space changed)
        return "it was set"
    return when.describe()


def _varies(frame: TrialFrame, name: str, rows: np.ndarray) -> bool:
    values = frame.params.get(name)
    if values is None:
        return False
    present = values[rows[frame.has[name][rows]]]
    if not len(present):
        return False
    first = repr(present[0])  # stops at the first other value: quick on 100,000 trials
    return any(repr(value) != first for value in present)


def _fanova(frame: TrialFrame, space: SearchSpace, rows: np.ndarray, names: list[str],
            seed: int) -> dict[str, float]:
    import optuna
    from optuna.importance import get_param_importances

    from . import fanova

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    distributions = {name: _distribution(space[name], frame, rows, name) for name in names}
    trials = [optuna.trial.create_trial(
        params={n: jsonable(frame.params[n][i]) for n in names},
        distributions=distributions, value=float(frame.mean_test[i])) for i in rows]
    try:
        try:  # the trials as they are: a study copies each one in (half a second)
            importances = get_param_importances(
                _CompleteTrials(trials), evaluator=fanova.fast_evaluator(
                    N_TREES, MAX_DEPTH, seed), params=names, normalize=True)
        except AttributeError:  # Optuna asks more of a study now: give it a real one
            study = optuna.create_study(direction="maximize")
            study.add_trials(trials)
            importances = get_param_importances(
                study, evaluator=fanova.fast_evaluator(N_TREES, MAX_DEPTH, seed),
                params=names, normalize=True)
    except RuntimeError:  # "zero total variance": the scores do not vary in this subset
        return dict.fromkeys(names, 0.0)
    return {name: float(value) if math.isfinite(value) else 0.0
            for name, value in importances.items()}


class _CompleteTrials:
    """What Optuna's importance reads of a study (its complete trials, one objective),
    without a study's copy of every trial."""

    def __init__(self, trials: list[Any]) -> None:
        self._trials = trials

    def get_trials(self, deepcopy: bool = True, states: Any = None) -> list[Any]:
        return [t for t in self._trials if states is None or t.state in states]

    def _is_multi_objective(self) -> bool:
        return False


def _distribution(dimension: Dimension, frame: TrialFrame, rows: np.ndarray, name: str) -> Any:
    """The dimension as an Optuna distribution, widened to the values actually tried."""
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    values = [jsonable(frame.params[name][i]) for i in rows if frame.has[name][i]]
    if dimension.kind == "categorical":
        choices = list(dict.fromkeys([*dimension.choices, *values]))
        return CategoricalDistribution(choices)
    low, high = min([dimension.low, *values]), max([dimension.high, *values])
    log = bool(dimension.log) and low > 0
    if dimension.kind == "int":
        return IntDistribution(int(low), int(high), log=log)
    return FloatDistribution(float(low), float(high), log=log)

