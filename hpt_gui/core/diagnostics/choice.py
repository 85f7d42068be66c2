"""Which trial to take: the best, and the one-standard-error choice beside it.

The one-standard-error rule (Breiman et al., *Classification and Regression Trees*, 1984;
Hastie, Tibshirani and Friedman, *The Elements of Statistical Learning*, 7.10): among
the configurations whose mean validation score is within one standard error of the
best's, take the simplest. The standard error is the best trial's, as ``noise.py``
defines it: its folds' standard deviation over the square root of their number, corrected
for overlapping training sets on repeated k-fold and shuffle-split (Nadeau and Bengio).

"Simplest" comes from the catalog, per model: each hyperparameter says which way is
simpler (``Hyperparameter.simpler``: larger ``min_samples_leaf``, smaller ``max_depth``,
smaller ``C``, ``kernel='linear'`` ...), and the model lists its main capacity setting
first (``max_depth`` for a tree, ``C`` for a support vector machine, ``n_neighbors`` for
k-nearest neighbours). Candidates are compared on the first setting, a tie goes to the
next, then to the higher score and the lower trial number: the rule scikit-learn's
"balance model complexity and cross-validated score" example applies to one setting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..catalog import get_model
from ..records import TrialFrame
from .noise import Noise


@dataclass(frozen=True)
class Choice:
    """The best trial, the one-standard-error choice, and whether the lead is real."""

    best: int | None
    one_se: int | None
    threshold: float | None  # best mean minus one standard error
    standard_error: float | None
    runner_up: int | None
    within_noise: bool
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return {
            "best_trial": self.best, "one_se_trial": self.one_se,
            "one_se_threshold": self.threshold, "standard_error": self.standard_error,
            "runner_up_trial": self.runner_up, "runner_up_within_noise": self.within_noise,
            "explanation": self.explanation,
        }


def choose(frame: TrialFrame, model: str, scoring: str = "", folds: int | Noise = 5) -> Choice:
    """Best and one-standard-error trial numbers of a study's trials (``folds``: the
    study's ``noise_for(spec)``, or a plain number of k-fold folds)."""
    scored = np.flatnonzero(frame.scored)
    if not len(scored):
        return Choice(None, None, None, None, None, False, "No trial has a score yet.")
    order = scored[np.lexsort((frame.numbers[scored], -frame.mean_test[scored]))]
    best = int(order[0])
    noise = folds if isinstance(folds, Noise) else Noise(folds)
    se = noise.standard_error(float(frame.std_test[best]))
    se = 0.0 if math.isnan(se) else se
    threshold = float(frame.mean_test[best]) - se
    candidates = scored[frame.mean_test[scored] >= threshold - 1e-12]
    one_se = _simplest(frame, candidates, model)
    runner_up = int(order[1]) if len(order) > 1 else None
    within = runner_up is not None and frame.mean_test[runner_up] >= threshold - 1e-12 \
        and se > 0
    return Choice(
        best=int(frame.numbers[best]),
        one_se=int(frame.numbers[one_se]),
        threshold=threshold,
        standard_error=se,
        runner_up=int(frame.numbers[runner_up]) if runner_up is not None else None,
        within_noise=bool(within),
        explanation=_explain(frame, best, one_se, runner_up, within, se, scoring, noise),
    )


def simplicity_keys(frame: TrialFrame, rows: np.ndarray, model: str) -> list[np.ndarray]:
    """Per hyperparameter with a simpler direction, in the catalog's order (its main
    capacity setting first), a key per row: smaller is simpler; a row without the
    setting (a condition left it out) sorts after those with it."""
    keys = []
    for hp in get_model(model).hyperparameters:
        values = frame.params.get(hp.name)
        if values is None or hp.simpler is None:
            continue
        key = simplicity_of(values[rows], hp.simpler)
        if key is not None:
            keys.append(key)
    return keys


def simplicity_of(values: np.ndarray, simpler: Any) -> np.ndarray | None:
    """A float per value, smaller = simpler; None ("no limit") counts as the most
    complex; None as a whole when the values are not numbers for a numeric direction."""
    if isinstance(simpler, tuple):
        position = {repr(choice): float(i) for i, choice in enumerate(simpler)}
        return np.array([position.get(repr(v), np.inf) for v in values], dtype=float)
    kinds = {type(v) for v in values} - {type(None)}
    if any(k is bool or not issubclass(k, int | float | np.number) for k in kinds):
        return None
    column = values.copy()
    none = np.equal(column, None)
    column[none] = 0.0
    keys = (1.0 if simpler == "lower" else -1.0) * column.astype(float)
    keys[none] = np.inf
    return keys


def _simplest(frame: TrialFrame, candidates: np.ndarray, model: str) -> int:
    """Simplest on the first setting; ties go to the next one, then to the higher score,
    then to the lower trial number."""
    keys = simplicity_keys(frame, candidates, model)
    order = np.lexsort((frame.numbers[candidates], -frame.mean_test[candidates],
                        *reversed(keys)))
    return int(candidates[order[0]])


def _explain(frame: TrialFrame, best: int, one_se: int, runner_up: int | None,
             within: bool, se: float, scoring: str, noise: Noise) -> str:
    from ..format import number
    from ..score_words import shown

    def score(row: int) -> str:
        return shown(scoring, float(frame.mean_test[row]))

    parts = [f"Best: trial {frame.numbers[best]} ({score(best)} "
             f"± {number(se)}, one {noise.words()})."]
    if one_se != best:
        parts.append(
            f"Trial {frame.numbers[one_se]} is simpler and scores "
            f"{score(one_se)}, within one standard error: prefer it when "
            "a simpler model matters (it usually generalizes as well or better)."
        )
    else:
        parts.append("No simpler configuration comes within one standard error of it.")
    if runner_up is not None and within:
        parts.append(
            f"The runner-up, trial {frame.numbers[runner_up]} "
            f"({score(runner_up)}), is within noise of the best: their "
            "difference is smaller than one standard error, so either is as good."
        )
    return " ".join(parts)
