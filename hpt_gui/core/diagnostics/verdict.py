"""Underfitting, overfitting, a good fit, or not enough evidence: the verdict on one trial.

The verdict is read from the study's own evidence (``capacity.py`` reads it), never from
the training/validation gap alone. Scores are scikit-learn's (higher is better; an error
metric such as ``neg_mean_squared_error`` is a negated error). The rules, in order:

1. **Underfitting** when the validation *and* the training score sit within
   ``BASELINE_MARGIN`` (0.02 on metrics up to 1 such as accuracy or R²; 2 % of the error
   for error metrics) of what a constant prediction (the most frequent class, the mean)
   scores on the same folds: the model has learned next to nothing.
2. With a single validation split there is no measure of noise: **not enough evidence**.
3. Along each hyperparameter that moves capacity (the catalog says which way), the trials
   near the judged one in every other setting (``capacity.py``) are read: when the best of
   them with *more* capacity scores better by more than the noise (the larger of the two
   standard errors over folds, ``noise.py``): **underfitting**; with *less* capacity:
   **overfitting**. Only settings whose size is their capacity (depth, C, alpha ...) name
   the word; a better *choice* (kernel, penalty, weights) is a move to try, since a
   choice's flexibility depends on the other settings. When the settings pull opposite
   ways, or only a choice scored better: **not enough evidence**, with the moves. When
   both sides of one setting score better, that setting is not what holds the trial back.
4. A trial the study's best beats by more than the noise, which no nearby setting
   explains (the better trials differ from it in several settings at once): **not enough
   evidence**, and "prefer" the best.
5. A value at the end of a searched range whose score still rises toward it (the nearest
   value inward scores lower by more than the noise, on the best trial at each value),
   where the model accepts values beyond: **not enough evidence**, and the advice is to
   widen the range that way.
6. When the study scored no other value of any capacity setting: **not enough
   evidence**; the advice names the setting to search or the validation curve to compute.
7. Otherwise a **good fit**: within noise of the study's best, and no capacity the study
   tried scores better. A gap above ``HIGH_VARIANCE_GAP`` (0.05; 15 % of the error for
   error metrics) is then said as high variance, with what the learning curve says about
   more rows, never as "try a smaller model". A good fit whose validation score is within
   ``BASELINE_MARGIN`` of a constant prediction's is **not enough evidence** (the columns
   may say little about the target). "(high bias)" and "(high variance)" follow the
   words only where the gap agrees.

The learning curve, when computed, is "still rising" when a straight line fitted to the
validation scores at its three largest training sizes rises by more than
``LEARNING_GAIN`` (0.01; 2 % of the error for error metrics) across them.

Advice never names a direction in which the study's own trials scored lower: every move
points toward scores the study saw, or beyond the edge of a range.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..format import difference, number
from ..score_words import is_error_metric, metric_words, shown  # also imported from here
from .capacity import CURVE, HELD, Point, Reading
from .labels import (  # also imported from here
    GOOD_FIT,
    LABELS,
    NOT_ENOUGH_EVIDENCE,
    OVERFITTING,
    UNDERFITTING,
    UNKNOWN,
)

HIGH_VARIANCE_GAP = 0.05
RELATIVE_HIGH_VARIANCE_GAP = 0.15  # error metrics: share of the validation error
BASELINE_MARGIN = 0.02
RELATIVE_BASELINE_MARGIN = 0.02
LEARNING_GAIN = 0.01
RELATIVE_GAIN = 0.02
SUSPICIOUSLY_PERFECT = 0.999  # a validation score this high on a 0-1 metric
MOST_MOVES = 3

def signed(value: float) -> str:
    """'+0.190', '−0.012', '0': a difference with its sign."""
    if value == 0:
        return "0"
    text = number(abs(value))
    return f"+{text}" if value > 0 else f"−{text}"


def _scale(scoring: str, validation: float) -> float:
    return max(abs(validation), 1e-12) if is_error_metric(scoring) else 1.0


def is_suspiciously_perfect(scoring: str, validation: float) -> bool:
    """A validation score of 0.999 or more on a metric whose best is 1 (accuracy, R²,
    ROC AUC, F1 ...): real data rarely allows it, leakage often does."""
    return not scoring.startswith("neg_") and math.isfinite(validation) \
        and SUSPICIOUSLY_PERFECT <= validation <= 1.0 + 1e-12


@dataclass(frozen=True)
class Move:
    """One change the evidence supports: which setting, which way, and why."""

    hyperparameter: str
    direction: str  # "increase" | "decrease" (a choice: along simplest -> most flexible)
    why: str
    toward: Any = None  # the value where the study scored better, if any
    widen: bool = False  # beyond the edge of the searched range

    def to_json(self) -> dict[str, Any]:
        return {"hyperparameter": self.hyperparameter, "direction": self.direction,
                "why": self.why}

    def phrase(self) -> str:
        """'smaller max_depth (around 4)', "kernel='rbf'", 'larger alpha (beyond 100)'."""
        if self.widen:
            return (f"{'larger' if self.direction == 'increase' else 'smaller'} "
                    f"{self.hyperparameter} (widen its range beyond {_value(self.toward)})")
        if isinstance(self.toward, str) or isinstance(self.toward, bool) \
                or self.toward is None:
            return f"{self.hyperparameter}={self.toward!r}"
        size = "larger" if self.direction == "increase" else "smaller"
        return f"{size} {self.hyperparameter} (around {_value(self.toward)})"


@dataclass(frozen=True)
class Verdict:
    """The verdict for one trial, the numbers behind it and the next steps."""

    trial: int
    verdict: str
    train_score: float
    validation_score: float
    gap: float  # training minus validation (signed)
    best_validation_score: float
    baseline_score: float | None
    learning_gain: float | None
    evidence: str
    advice: str
    scoring: str
    moves: tuple[Move, ...] = field(default=())
    standard_error: float | None = None

    @property
    def sentence(self) -> str:
        return f"{self.evidence} {self.advice}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["moves"] = [move.to_json() for move in self.moves]
        return {**data, "thresholds": thresholds()}


def thresholds() -> dict[str, float]:
    return {
        "high_variance_gap": HIGH_VARIANCE_GAP,
        "relative_high_variance_gap": RELATIVE_HIGH_VARIANCE_GAP,
        "baseline_margin": BASELINE_MARGIN, "relative_baseline_margin": RELATIVE_BASELINE_MARGIN,
        "learning_gain": LEARNING_GAIN, "relative_learning_gain": RELATIVE_GAIN,
        "suspiciously_perfect": SUSPICIOUSLY_PERFECT,
    }


def judge(
    *, trial: int, train: float, validation: float, best_validation: float, scoring: str,
    readings: Sequence[Reading] = (), standard_error: float = math.nan,
    noise_words: str = "standard error", baseline: float | None = None,
    learning_sizes: Sequence[float] | None = None,
    learning_validation: Sequence[float | None] | None = None,
    best_trial: int | None = None, main_setting: str | None = None, searched: bool = True,
) -> Verdict:
    """The verdict, its evidence in numbers and the next steps in words.

    ``readings``: what the study shows along each capacity setting (``read_capacity``);
    ``main_setting``: the setting whose validation curve to suggest when there is no
    evidence either way (``searched``: whether the study searched it).
    """
    base = dict(trial=trial, train_score=train, validation_score=validation,
                best_validation_score=best_validation, baseline_score=baseline,
                scoring=scoring)
    if math.isnan(train) or math.isnan(validation):
        return Verdict(**base, verdict=UNKNOWN, gap=math.nan, learning_gain=None,
                       evidence="This trial has no training score, so over- and "
                       "underfitting cannot be told apart.",
                       advice="Run the study again to record training scores.")
    words = metric_words(scoring)
    scale = _scale(scoring, validation)
    gap = difference(train, validation)
    se_text = (f" (± {number(standard_error)} {noise_words})"
               if math.isfinite(standard_error) else "")
    gap_words = ("validation error minus training error" if scoring.startswith("neg_")
                 else "training minus validation")
    gap_text = signed(gap) if abs(gap) / scale >= 5e-4 else "about 0"
    evidence = [f"Training {words} {shown(scoring, train)}, validation "
                f"{shown(scoring, validation)}{se_text}; gap {gap_text} ({gap_words})."]
    gain = _learning_gain(learning_validation)
    rising = None
    if gain is not None and learning_sizes:
        limit = RELATIVE_GAIN * scale if is_error_metric(scoring) else LEARNING_GAIN
        rising = gain > limit
        evidence.append(_learning_words(scoring, gain, rising, learning_sizes))
    margin = (RELATIVE_BASELINE_MARGIN if is_error_metric(scoring) else BASELINE_MARGIN)
    near_floor = baseline is not None and (validation - baseline) / scale < margin
    train_near_floor = baseline is not None and (train - baseline) / scale < margin
    directional = sorted(((r.gain(side), r, side) for r in readings
                          for side in ("more", "less") if getattr(r, side) is not None),
                         key=lambda item: (not item[1].ordered, -item[0]))
    moves = tuple(_capacity_move(r, side, scoring) for _, r, side in directional)[:MOST_MOVES]
    ordered_sides = {side for _, r, side in directional if r.ordered}
    beaten = (best_trial is not None and best_trial != trial
              and best_validation - validation > _zero(standard_error))
    prefer = (f"Trial {best_trial} scores {shown(scoring, best_validation)}, better by more "
              "than the noise" if beaten else "")
    high_variance = gap / scale > (RELATIVE_HIGH_VARIANCE_GAP if is_error_metric(scoring)
                                   else HIGH_VARIANCE_GAP)

    def done(label: str, advice: str, more_evidence: Sequence[str] = (),
             chosen: Sequence[Move] = ()) -> Verdict:
        words = _label_words(label, high_variance)
        text = " ".join([*evidence, *more_evidence, f"Verdict: {words}."])
        return Verdict(**base, verdict=label, gap=gap, learning_gain=gain, evidence=text,
                       advice=advice, moves=tuple(chosen), standard_error=_or_none(
                           standard_error))

    if near_floor and train_near_floor:
        more = tuple(m for m, (_, r, side) in zip(moves, directional, strict=False)
                     if side == "more" and r.ordered)
        otherwise = (f"Prefer trial {best_trial}, or try a more flexible model." if beaten
                     else "Try a more flexible model or columns that say more about the "
                     "target.")
        return done(UNDERFITTING, _try(more, otherwise) + _rows_advice(UNDERFITTING, rising),
                    [f"A constant prediction scores {shown(scoring, baseline)}, about as well, "
                     "on the training rows too: the model has learned next to nothing.",
                     *([f"{prefer}."] if beaten else [])], more)
    if not math.isfinite(standard_error):
        return done(NOT_ENOUGH_EVIDENCE, "Validate on several folds (k-fold "
                    "cross-validation) so differences can be weighed against noise.",
                    ["With a single validation split there is no measure of noise, so no "
                     "difference between settings can be called real."])
    if len(ordered_sides) == 1:
        label = UNDERFITTING if ordered_sides == {"more"} else OVERFITTING
        return done(label, _try(moves, "") + _rows_advice(label, rising),
                    [m.why for m in moves], moves)
    if directional:  # settings pulling both ways, or only choices (kernel, penalty ...)
        why = ("Its settings pull opposite ways: some scored better more flexible, others "
               "simpler, so neither underfitting nor overfitting says it." if ordered_sides
               else "Only a different choice scored better, and a choice's flexibility "
               "depends on the other settings, so neither underfitting nor overfitting says "
               "it.")
        return done(NOT_ENOUGH_EVIDENCE, _try(moves, ""), [*(m.why for m in moves), why],
                    moves)
    if beaten:
        return done(NOT_ENOUGH_EVIDENCE, f"Prefer trial {best_trial}.",
                    [f"{prefer}, but no capacity setting near this trial's explains the "
                     "difference (the better trials differ from it in several settings at "
                     "once)."])
    edges = [r for r in readings if r.edge]
    if edges:
        widen = tuple(_edge_move(r, scoring) for r in edges)[:MOST_MOVES]
        return done(NOT_ENOUGH_EVIDENCE,
                    " ".join(f"Widen the range of {m.hyperparameter} toward "
                             f"{'larger' if m.direction == 'increase' else 'smaller'} values "
                             f"(beyond {_value(m.toward)}) and run again: the best may lie "
                             "outside it." for m in widen),
                    [m.why for m in widen], widen)
    if not any(r.explored for r in readings):
        return done(NOT_ENOUGH_EVIDENCE, _explore_advice(main_setting, searched),
                    [_unexplored_words(readings)])
    names = ", ".join(r.name for r in readings if r.explored)
    found = [f"No other value of {names} that the study tried scored better by more than "
             "the noise: the trial sits at the best capacity the study found."]
    if near_floor:
        return done(NOT_ENOUGH_EVIDENCE, "Check that the columns carry information about "
                    "the target, or try another kind of model.",
                    [*found, f"But a constant prediction scores {shown(scoring, baseline)}, "
                     "about as well: the columns may say little about the target."])
    keep = "Keep it."
    if high_variance:
        simpler = any(r.tried("less") for r in readings if r.ordered)
        found.append("The gap says high variance (the model fits its training rows far "
                     "better than new ones), but "
                     + ("the simpler values tried scored no better, so a smaller model is "
                        "not the cure." if simpler else "the study tried nothing simpler, "
                        "so it cannot say whether a smaller model would help."))
        if rising:
            keep += " More rows would likely raise the score: the learning curve still rises."
        elif rising is False:
            keep += " More rows alone will not help much: the learning curve is flat."
        else:
            keep += " The learning curve says whether more rows would help: compute it."
    elif rising:
        keep += " More rows would likely still raise the score."
    return done(GOOD_FIT, keep, found)


def _unexplored_words(readings: Sequence[Reading]) -> str:
    if not readings:
        return ("The study varied no setting that moves this model's capacity, so it cannot "
                "tell underfitting from overfitting.")
    names = ", ".join(r.name for r in readings)
    failed = " (the trials with other values failed)" if any(
        r.failed_elsewhere for r in readings) else ""
    return (f"The study scored no other value of {names}{failed}, so it cannot tell "
            "underfitting from overfitting.")


def _explore_advice(main_setting: str | None, searched: bool) -> str:
    if main_setting is None:
        return "Compare it with a more flexible model."
    if not searched:  # the window draws validation curves of searched settings only
        return (f"Search a range of {main_setting} (the setting that moves this model's "
                "capacity most) to find out.")
    return (f"Compute a validation curve of {main_setting} (the Under/overfit view, or "
            f"hpt-gui diagnose --validation-curve {main_setting}), or widen its range.")


def verdict_phrase(label: str) -> str:
    """The verdict as the end of a sentence about a trial: 'is a good fit'."""
    return {UNDERFITTING: "underfitting (high bias)",
            OVERFITTING: "overfitting (high variance)", GOOD_FIT: "a good fit",
            NOT_ENOUGH_EVIDENCE: "not enough evidence to judge",
            UNKNOWN: "cannot be judged"}.get(label, label)


def _label_words(label: str, high_variance: bool = False) -> str:
    """The verdict's words; "(high bias)" and "(high variance)" only where the gap agrees
    (a forest that needs more features still fits its training rows perfectly)."""
    if label == UNDERFITTING:
        return "underfitting" if high_variance else "underfitting (high bias)"
    if label == OVERFITTING:
        return "overfitting (high variance)" if high_variance else "overfitting"
    return {GOOD_FIT: "a good fit", NOT_ENOUGH_EVIDENCE: "not enough evidence"}.get(label,
                                                                                  label)


def _try(moves: Sequence[Move], otherwise: str) -> str:
    return f"Try {' or '.join(m.phrase() for m in moves)}." if moves else otherwise


def _rows_advice(label: str, rising: bool | None) -> str:
    if label == OVERFITTING and rising:
        return " More training rows would also help: the learning curve is still rising."
    if label == OVERFITTING and rising is False:
        return " More rows alone will not help much: the learning curve is flat."
    if label == UNDERFITTING and rising is False:
        return (" More rows will not help: the learning curve is flat; the model needs more "
                "flexibility or better inputs.")
    return ""


def _source_words(reading: Reading) -> str:
    if reading.source == CURVE:
        return "on the validation curve (only this setting varied)"
    if reading.source == HELD:
        return "with the other settings as in this trial"
    return "with the other settings close to this trial's"


def _capacity_move(reading: Reading, side: str, scoring: str) -> Move:
    point: Point = getattr(reading, side)
    size = ("more flexible" if side == "more" else "less flexible") if reading.ordered else ""
    where = ", ".join(part for part in (
        f"trial {point.trial}" if point.trial is not None else "", size) if part)
    why = (f"{reading.name}={_value(point.value)}{f' ({where})' if where else ''} scores "
           f"{shown(scoring, point.score)} {_source_words(reading)}, better than this trial's "
           f"{shown(scoring, reading.score)} at {reading.name}={_value(reading.value)} by "
           f"{number(point.score - reading.score)}, more than the noise "
           f"({number(max(_zero(point.standard_error), _zero(reading.standard_error)))}).")
    return Move(reading.name, reading.direction(side), why, point.value)


def _edge_move(reading: Reading, scoring: str) -> Move:
    inward = reading.inward
    up = reading.direction(reading.edge) == "increase"
    end = "largest" if up else "smallest"
    still = ("the error still fell toward it" if scoring.startswith("neg_")
             else "the score still rose toward it")
    why = (f"{reading.name}={_value(reading.value)} is at the edge of the range searched (its "
           f"{end} value, {_value(reading.range_end)}), and {still}: "
           f"{shown(scoring, inward.score)} at {_value(inward.value)}, "
           f"{shown(scoring, reading.score)} here.")
    return Move(reading.name, reading.direction(reading.edge), why, reading.range_end,
                widen=True)


def _learning_words(scoring: str, gain: float, rising: bool, sizes: Sequence[float]) -> str:
    first = sizes[-3] if len(sizes) >= 3 else sizes[0]
    error = scoring.startswith("neg_")
    what = f"validation {metric_words(scoring)}" if error else "validation score"
    moved = ("fell" if error else "rose") if gain > 0 else (
        "did not fall" if error else "did not rise")
    change = f"{moved} by about {number(gain)}" if gain > 0 else moved
    return (f"The learning curve is {'still rising' if rising else 'flat'}: from "
            f"{int(first):,} to {int(sizes[-1]):,} training rows the {what} {change}.")


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


def _value(value: Any) -> str:
    if isinstance(value, float) and not isinstance(value, bool):
        return number(value) if not value.is_integer() or abs(value) >= 1e6 else f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


def _zero(value: float) -> float:
    return value if value is not None and math.isfinite(value) else 0.0


def _or_none(value: float) -> float | None:
    return value if value is not None and math.isfinite(value) else None


__all__ = [
    "GOOD_FIT", "LABELS", "Move", "NOT_ENOUGH_EVIDENCE", "OVERFITTING", "UNDERFITTING",
    "UNKNOWN", "Verdict", "is_error_metric", "is_suspiciously_perfect", "judge",
    "metric_words", "shown", "signed", "thresholds", "verdict_phrase",
]
