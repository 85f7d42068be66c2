"""Underfitting, overfitting or balanced: the verdict for one trial, with its evidence.

The rules, with the thresholds below (scores as scikit-learn gives them: higher is
better; for error metrics such as ``neg_mean_squared_error`` the gap is measured
relative to the validation error, since their scale is the target's):

- **gap** = mean training score - mean validation score. A gap above
  ``GAP_OVERFIT`` (0.05 on metrics up to 1 such as accuracy or R²; 15 % of the error
  for error metrics) is **overfitting** (high variance): the model learned the training
  rows better than it generalizes.
- **shortfall** = the best validation score of the whole study - this trial's *training*
  score. Above ``SHORTFALL_UNDERFIT`` (same scales), the model cannot even fit its
  training rows as well as another configuration predicts unseen ones: **underfitting**
  (high bias). A validation score within ``BASELINE_MARGIN`` of a constant prediction
  (the most frequent class, the mean) is underfitting too.
- Otherwise **balanced**.
- Where a learning curve was computed, its end tells whether more rows would help: a
  straight line fitted to the validation scores at the three largest training sizes
  rises by more than ``LEARNING_GAIN`` across them: the curve is still rising.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..catalog import get_model
from ..format import difference, number
from ..space import SearchSpace

GAP_OVERFIT = 0.05
SHORTFALL_UNDERFIT = 0.05
BASELINE_MARGIN = 0.02
LEARNING_GAIN = 0.01
RELATIVE_GAP_OVERFIT = 0.15  # error metrics: share of the validation error
RELATIVE_SHORTFALL = 0.15
RELATIVE_GAIN = 0.02

UNDERFITTING, OVERFITTING, BALANCED = "underfitting", "overfitting", "balanced"
UNKNOWN = "unknown"  # no training score to compare with


def is_error_metric(scoring: str) -> bool:
    """Scores on the target's own scale (negated errors), so gaps are judged relatively."""
    return scoring.startswith("neg_") and scoring != "neg_brier_score"


def metric_words(scoring: str) -> str:
    """'balanced accuracy', 'mean squared error' (the sign is dropped for errors)."""
    words = scoring.removeprefix("neg_").replace("_", " ")
    return {"r2": "R²", "roc auc": "ROC AUC", "f1": "F1"}.get(words, words)


def shown(scoring: str, value: float | None) -> str:
    """A score as the user thinks of it: errors positive, three significant digits."""
    if value is None or math.isnan(value):
        return "n/a"
    return number(-value if scoring.startswith("neg_") else value)


def _scale(scoring: str, validation: float) -> float:
    return max(abs(validation), 1e-12) if is_error_metric(scoring) else 1.0


def classify(train: float, validation: float, best_validation: float, scoring: str,
             baseline: float | None = None) -> str:
    """The label alone, for one point (a trial, or a point of a curve)."""
    if math.isnan(train) or math.isnan(validation):
        return ""
    scale = _scale(scoring, validation)
    relative = is_error_metric(scoring)
    gap = (train - validation) / scale
    shortfall = (max(best_validation, validation) - train) / scale
    if gap > (RELATIVE_GAP_OVERFIT if relative else GAP_OVERFIT):
        return OVERFITTING
    if shortfall > (RELATIVE_SHORTFALL if relative else SHORTFALL_UNDERFIT):
        return UNDERFITTING
    if baseline is not None and (validation - baseline) / scale < BASELINE_MARGIN:
        return UNDERFITTING
    return BALANCED


@dataclass(frozen=True)
class Verdict:
    """The verdict for one trial, the numbers behind it and a next step."""

    trial: int
    verdict: str
    train_score: float
    validation_score: float
    gap: float
    best_validation_score: float
    baseline_score: float | None
    learning_gain: float | None
    evidence: str
    advice: str
    scoring: str

    @property
    def sentence(self) -> str:
        return f"{self.evidence} {self.advice}"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "thresholds": thresholds()}


def thresholds() -> dict[str, float]:
    return {
        "gap_overfit": GAP_OVERFIT, "shortfall_underfit": SHORTFALL_UNDERFIT,
        "baseline_margin": BASELINE_MARGIN, "learning_gain": LEARNING_GAIN,
        "relative_gap_overfit": RELATIVE_GAP_OVERFIT,
        "relative_shortfall_underfit": RELATIVE_SHORTFALL, "relative_learning_gain": RELATIVE_GAIN,
    }


def judge(
    *, trial: int, train: float, validation: float, best_validation: float, scoring: str,
    model: str, params: dict[str, Any] | None = None, space: SearchSpace | None = None,
    baseline: float | None = None, learning_sizes: Sequence[float] | None = None,
    learning_validation: Sequence[float | None] | None = None, explored: bool = True,
) -> Verdict:
    """The verdict, its evidence in numbers and the next step in words.

    ``explored`` is False when the study tried nothing more flexible than this trial: a
    balanced verdict then says it cannot rule out underfitting.
    """
    if math.isnan(train) or math.isnan(validation):
        return Verdict(trial, UNKNOWN, train, validation, math.nan, best_validation, baseline,
                       None, "This trial has no training score, so over- and underfitting "
                       "cannot be told apart.", "Run the study again to record training "
                       "scores.", scoring)
    label = classify(train, validation, best_validation, scoring, baseline)
    gain = _learning_gain(learning_validation)
    words = metric_words(scoring)
    gap = difference(train, validation)
    gap_text = number(abs(gap)) if not is_error_metric(scoring) else (
        f"{number(100 * abs(gap) / _scale(scoring, validation))} %")
    evidence = (f"Training {words} {shown(scoring, train)}, validation "
                f"{shown(scoring, validation)}, gap {gap_text}")
    if label == UNDERFITTING:
        if baseline is not None and (validation - baseline) / _scale(scoring, validation) \
                < BASELINE_MARGIN:
            evidence += (f"; a constant prediction scores {shown(scoring, baseline)}, about "
                         "as well")
        else:
            evidence += (f"; the study's best validation {words} is "
                         f"{shown(scoring, best_validation)}, more than this trial reaches "
                         "even on its training rows")
    evidence += f": {_label_words(label)}."
    if gain is not None and learning_sizes:
        rising = gain > (RELATIVE_GAIN * _scale(scoring, validation) if is_error_metric(scoring)
                         else LEARNING_GAIN)
        first = learning_sizes[-3] if len(learning_sizes) >= 3 else learning_sizes[0]
        error = scoring.startswith("neg_")
        what = f"validation {words}" if error else "validation score"
        moved = ("fell" if error else "rose") if gain > 0 else (
            "did not fall" if error else "did not rise")
        change = f"{moved} by about {number(gain)}" if gain > 0 else moved
        evidence += (f" The learning curve is {'still rising' if rising else 'flat'}: from "
                     f"{int(first):,} to {int(learning_sizes[-1]):,} training rows the "
                     f"{what} {change}.")
    else:
        rising = None
    advice = _advice(label, model, params or {}, space, rising)
    if label == BALANCED and not explored:
        evidence += (" But the study tried nothing more flexible than this trial, so it cannot "
                     "tell whether a more flexible model would do better.")
        steps = _moves(model, params or {}, space, simpler=False)
        advice = (f"Widen the search towards {' or '.join(steps)}, or compute a validation "
                  "curve, to find out." if steps else "Try a more flexible model to find out.")
    return Verdict(trial, label, train, validation, gap, best_validation, baseline, gain,
                   evidence, advice, scoring)


def _label_words(label: str) -> str:
    return {UNDERFITTING: "underfitting (high bias)", OVERFITTING: "overfitting (high variance)",
            BALANCED: "balanced"}.get(label, label)


def _learning_gain(validation: Sequence[float | None] | None) -> float | None:
    """The rise of a line fitted to the last three validation scores, across them."""
    if not validation:
        return None
    values = [v for v in validation if v is not None and not math.isnan(v)][-3:]
    if len(values) < 2:
        return None
    import numpy as np

    slope = float(np.polyfit(np.arange(len(values)), values, 1)[0])
    return slope * (len(values) - 1)


def _advice(label: str, model: str, params: dict[str, Any], space: SearchSpace | None,
            rising: bool | None) -> str:
    if label == BALANCED:
        text = "The model fits about as well as the study allows; keep it."
        if rising:
            text += " More rows would likely still raise the score."
        return text
    steps = _moves(model, params, space, simpler=label == OVERFITTING)
    if label == OVERFITTING:
        text = (f"Try {' or '.join(steps)}." if steps
                else "Try a simpler model or stronger regularization.")
        if rising:
            text += " More training rows would also help: the learning curve is still rising."
        elif rising is False:
            text += " More rows alone will not help much: the learning curve is flat."
        return text
    text = (f"Try {' or '.join(steps)}." if steps
            else "Try a more flexible model.")
    if rising is False:
        text += " More rows will not help: the learning curve is flat; the model needs " \
                "more flexibility or better inputs."
    return text


def _moves(model: str, params: dict[str, Any], space: SearchSpace | None,
           simpler: bool, most: int = 2) -> list[str]:
    """'larger min_samples_leaf', 'smaller max_depth', "kernel='linear'" ..."""
    moves: list[str] = []
    for hp in get_model(model).hyperparameters:
        direction = hp.simpler
        if direction is None or (space is not None and hp.name not in space.names):
            continue
        dimension = space[hp.name] if space is not None else hp.dimension
        if dimension.when is not None and not dimension.when.holds(params):
            continue  # gamma does nothing with a linear kernel: never advise it there
        if len(moves) >= most:
            break
        if isinstance(direction, tuple):
            target = direction[0] if simpler else direction[-1]
            if params.get(hp.name) not in (None, target):
                moves.append(f"{hp.name}={target!r}")
            continue
        up = (direction == "higher") == simpler
        value = params.get(hp.name)
        move = f"{'larger' if up else 'smaller'} {hp.name}"
        if space is not None and value is not None and hp.name in space.names:
            dim = space[hp.name]
            edge = getattr(dim, "high" if up else "low", None)
            if edge is not None and isinstance(value, int | float) and value == edge:
                move += f" (widen its range beyond {edge:g})"
        moves.append(move)
    return moves
