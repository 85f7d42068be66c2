"""What a study's own trials say about one trial's capacity, hyperparameter by hyperparameter.

A model underfits when more capacity (a deeper tree, a smaller penalty) would score better
on unseen rows, and overfits when less would; the gap between training and validation
alone cannot tell (a random forest's training score is always high). So for each
hyperparameter that moves capacity (the catalog says which way), this module reads the
validation scores on either side of the judged trial's value, from

- **a computed validation curve** (only that setting varied, the others held at the
  trial's), when there is one: the best evidence;
- else **the trials whose other settings are the trial's, or near them**: the same choice
  for a categorical setting, and within ``NEIGHBOURHOOD`` (15 %) of its range's width,
  on the range's own scale (log for a log range), for a number. A grid gives trials that
  differ in this setting alone; a random or Bayesian search, trials close by. A trial far
  away in the other settings says nothing about this one: it differs in everything.

A value within ``MIN_STEP`` (a twentieth of the range) of the trial's is the same value.
A side "scores better" when its best point beats the trial by more than the noise: the
larger of the two points' standard errors (``noise.py``). When both sides score better,
the setting is not what holds the trial back, and neither way is read.

The **edge** of a searched range is read on the best trial at each value (the profile the
under/overfit view draws): a trial at the end of the range whose score still rises toward
it (the nearest value inward scores lower by more than the noise) may sit short of the
best, if the model accepts values beyond.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from ..catalog import Hyperparameter, check_values, get_model
from ..records import TrialFrame
from ..space import SearchSpace
from .choice import simplicity_of
from .labels import GOOD_FIT, OVERFITTING, UNDERFITTING
from .noise import Noise
from .scores import value_groups

HELD, NEAR, CURVE = "held", "near", "curve"
NEIGHBOURHOOD = 0.15  # other numeric settings within this share of their range: "near"
MIN_STEP = 0.05  # values closer than this share of the range are "the same value"
EDGE_SHARE = 0.1  # "at the edge": within this share of the range's width of its end


@dataclass(frozen=True)
class Point:
    """One value of the setting and the validation score seen there."""

    value: Any
    capacity: float  # larger = more flexible (the catalog's order)
    score: float
    standard_error: float
    trial: int | None  # None for a point of a computed curve


@dataclass(frozen=True)
class Reading:
    """What the study shows along one capacity setting around the judged trial.

    ``points``: the best value near the trial (its other settings held or close) on each
    side, the evidence for a direction; ``more`` / ``less``: the one with more / less
    capacity, when it scores better than the trial beyond noise (never both: then
    ``both_better``). ``explored``: another value of the setting was scored anywhere in the
    study; ``failed_elsewhere``: other values were tried but every such trial failed.
    ``profile``: the best trial at each other value, for the edge: "more" or "less" when
    the trial's value is the end of the searched range on that side, the model accepts
    values beyond it, and the score still rises toward it (``inward`` is the nearest
    value inside).
    """

    hyperparameter: Hyperparameter
    value: Any
    score: float
    standard_error: float
    source: str
    points: tuple[Point, ...]
    explored: bool = False
    failed_elsewhere: bool = False
    profile: tuple[Point, ...] = ()
    more: Point | None = None
    less: Point | None = None
    both_better: bool = False
    edge: str | None = None
    inward: Point | None = None
    range_end: Any = None

    @property
    def name(self) -> str:
        return self.hyperparameter.name

    @property
    def ordered(self) -> bool:
        """A number whose size is its capacity (depth, C, alpha), as opposed to a choice
        whose order is the catalog's rule of thumb (a poly kernel with a tiny gamma is
        simpler than a linear one): only an ordered setting names under- or overfitting."""
        return self.hyperparameter.simpler in ("lower", "higher")

    def gain(self, side: str) -> float:
        point = self.more if side == "more" else self.less
        return -math.inf if point is None else point.score - self.score

    def direction(self, side: str) -> str:
        """'increase' or 'decrease': the way the *value* moves for more / less capacity
        (for a choice, along the catalog's order from simplest to most flexible)."""
        simpler = self.hyperparameter.simpler
        more_is_up = simpler == "lower" or isinstance(simpler, tuple)
        return "increase" if (side == "more") == more_is_up else "decrease"

    def tried(self, side: str) -> bool:
        """Did the study score a value on that side (anywhere)?"""
        key = self._key()
        return any((p.capacity > key) if side == "more" else (p.capacity < key)
                   for p in (*self.profile, *self.points))

    def _key(self) -> float:
        keys = simplicity_of(_objects([self.value]), self.hyperparameter.simpler)
        return float(keys[0]) if keys is not None else math.nan


def beyond_noise(better: Point, score: float, standard_error: float) -> bool:
    """Does ``better`` beat ``score`` by more than the larger standard error of the two?"""
    noise = max(_finite(better.standard_error), _finite(standard_error))
    return better.score - score > noise


def read_capacity(frame: TrialFrame, row: int, model: str, space: SearchSpace | None,
                  noise: Noise, curves: Mapping[str, Any] | None = None) -> tuple[Reading, ...]:
    """One reading per capacity setting the judged trial (row ``row``) uses (and per
    computed curve of a setting it leaves at the model's default)."""
    params = frame.trials[row].params
    positions = {name: _coordinate(frame, name, space) for name in frame.params}
    readings = []
    for hp in get_model(model).hyperparameters:
        curve = (curves or {}).get(hp.name)
        if hp.simpler is None or (hp.name not in params and curve is None):
            continue
        dimension = space[hp.name] if space is not None and hp.name in space.names else None
        if dimension is not None and dimension.when is not None \
                and not dimension.when.holds(params):
            continue
        if curve is not None:
            value = params[hp.name] if hp.name in params else default_value(model, hp.name)
            reading = _from_curve(hp, value, curve, frame, row, noise)
        else:
            reading = _from_trials(hp, frame, row, space, noise, positions)
        if reading is not None:
            readings.append(_with_edge(reading, model, dimension))
    return tuple(readings)


def default_value(model: str, name: str) -> Any:
    """The value a setting takes when the study does not set it: the catalog's fixed value,
    else the estimator's own default (None for a virtual setting such as hidden_layers)."""
    info = get_model(model)
    if name in info.fixed:
        return info.fixed[name]
    try:
        parameter = inspect.signature(info.estimator_class()).parameters.get(name)
    except (TypeError, ValueError, ImportError):
        return None
    return None if parameter is None or parameter.default is inspect.Parameter.empty \
        else parameter.default


def _from_trials(hp: Hyperparameter, frame: TrialFrame, row: int, space: SearchSpace | None,
                 noise: Noise, positions: Mapping[str, np.ndarray | None]) -> Reading | None:
    values = frame.params.get(hp.name)
    if values is None:
        return None
    rows = np.flatnonzero(frame.scored & frame.has[hp.name])
    keys = simplicity_of(values[rows], hp.simpler)
    mine = simplicity_of(values[[row]], hp.simpler)
    if keys is None or mine is None:
        return None
    key = float(mine[0])
    position = positions.get(hp.name)
    other = (keys != key if position is None
             else np.abs(position[rows] - position[row]) >= MIN_STEP - 1e-12)
    near, held = _near_rows(frame, row, hp.name, rows, positions)
    chosen = rows[near & other]

    def point(r: int) -> Point:
        return Point(values[r], float(keys[np.searchsorted(rows, r)]),
                     float(frame.mean_test[r]), noise.standard_error(float(frame.std_test[r])),
                     int(frame.numbers[r]))

    chosen_keys = keys[near & other]
    sides = [chosen[chosen_keys > key], chosen[chosen_keys < key]]

    source = HELD if len(chosen) and held[near & other].all() else NEAR
    profile = []
    for *_, group in value_groups(frame, hp.name, space, 12):
        group = group[np.isin(group, rows[other])]
        if len(group):
            profile.append(point(_best(frame, group)))
    tried = np.flatnonzero(~frame.scored & frame.has[hp.name])
    failed = bool(len(tried)) and not other.any() and any(
        not _same(values[r], values[row]) for r in tried)
    reading = Reading(hp, values[row], float(frame.mean_test[row]),
                      noise.standard_error(float(frame.std_test[row])), source,
                      tuple(point(_best(frame, side)) for side in sides if len(side)),
                      explored=bool(other.any()),
                      failed_elsewhere=failed, profile=tuple(profile))
    return _sides(reading, key)


def _from_curve(hp: Hyperparameter, value: Any, curve: Any, frame: TrialFrame, row: int,
                noise: Noise) -> Reading | None:
    """The computed validation curve through the trial (others held at its values)."""
    keys = simplicity_of(_objects(curve.x), hp.simpler)
    mine = simplicity_of(_objects([value]), hp.simpler)
    if keys is None or mine is None:
        return None
    key = float(mine[0])
    score = float(frame.mean_test[row])
    se = noise.standard_error(float(frame.std_test[row]))
    points = []
    for v, k, mean, std in zip(curve.x, keys, curve.test_mean, curve.test_std, strict=True):
        if mean is None or not math.isfinite(mean):
            continue
        if k == key:  # the curve's own point at the trial's value: the trial, refitted
            score, se = float(mean), noise.standard_error(_finite(std, math.nan))
            continue
        points.append(Point(v, float(k), float(mean),
                            noise.standard_error(_finite(std, math.nan)), None))
    reading = Reading(hp, value, score, se, CURVE, tuple(points), explored=bool(points),
                      profile=tuple(points))
    return _sides(reading, key)


def _sides(reading: Reading, key: float) -> Reading:
    def best(side: Sequence[Point]) -> Point | None:
        top = max(side, key=lambda p: p.score, default=None)
        ok = top is not None and beyond_noise(top, reading.score, reading.standard_error)
        return top if ok else None

    more = best([p for p in reading.points if p.capacity > key])
    less = best([p for p in reading.points if p.capacity < key])
    if more is not None and less is not None:
        return replace(reading, both_better=True)
    return replace(reading, more=more, less=less)


def _with_edge(reading: Reading, model: str, dimension: Any) -> Reading:
    """Mark a value at the end of a numeric range (or of a list of numbers), still
    improving toward it on the profile."""
    if dimension is None or not reading.profile or reading.more is not None \
            or reading.less is not None or reading.both_better or reading.value is None \
            or isinstance(reading.value, bool):
        return reading
    try:
        value = float(reading.value)
    except (TypeError, ValueError):
        return reading
    numbers = _numeric_choices(dimension)
    if dimension.kind == "categorical" and numbers is None:
        return reading
    key = reading._key()
    mine = Point(reading.value, key, reading.score, reading.standard_error, None)
    for side in ("more", "less"):
        inside = [p for p in reading.profile
                  if (p.capacity < key if side == "more" else p.capacity > key)]
        beyond = [p for p in reading.profile
                  if (p.capacity > key if side == "more" else p.capacity < key)]
        if beyond or not inside:
            continue
        up = reading.direction(side) == "increase"
        if numbers is not None:  # a list of numbers: its largest or smallest
            end, kind = (max(numbers) if up else min(numbers)), (
                "int" if all(isinstance(n, int) for n in numbers) else "float")
            if value != end:
                continue
        else:
            end, kind = (dimension.high if up else dimension.low), dimension.kind
            if not _near_end(value, dimension, up):
                continue
        nearest = min(inside, key=lambda p: abs(p.capacity - key))
        rising = beyond_noise(mine, nearest.score, nearest.standard_error)
        if rising and _can_go_beyond(model, reading.name, end, up, kind):
            return replace(reading, edge=side, inward=nearest, range_end=end)
    return reading


def _numeric_choices(dimension: Any) -> list[float] | None:
    """A categorical's choices when all are numbers (None, "no limit", aside)."""
    if dimension.kind != "categorical":
        return None
    numbers = [c for c in dimension.choices if c is not None]
    if not numbers or any(isinstance(c, bool) or not isinstance(c, int | float)
                          for c in numbers):
        return None
    return numbers


def _near_end(value: float, dimension: Any, up: bool) -> bool:
    low, high = float(dimension.low), float(dimension.high)
    if dimension.log and low > 0 and value > 0:
        low, high, value = math.log(low), math.log(high), math.log(value)
    width = high - low
    if width <= 0:
        return False
    return (high - value if up else value - low) <= EDGE_SHARE * width + 1e-12


# What scikit-learn accepts at the ends of the catalog's numeric capacity settings, so a
# range's edge can be judged without importing the estimator (the window judges on its
# own thread): the largest value, where there is one, and the smallest.
_HIGHEST = {"max_features": 1.0, "subsample": 1.0, "l1_ratio": 1.0}
_LOWEST = {"max_depth": 1, "min_samples_leaf": 1, "min_samples_split": 2,
           "max_leaf_nodes": 2, "n_neighbors": 1, "degree": 1, "hidden_layers": 1,
           "units_per_layer": 1, "max_iter": 1, "max_features": 0.0, "subsample": 0.0,
           "l1_ratio": 0.0, "C": 0.0, "gamma": 0.0, "alpha": 0.0, "epsilon": 0.0,
           "var_smoothing": 0.0, "l2_regularization": 0.0, "learning_rate": 0.0}


@cache
def _can_go_beyond(model: str, name: str, end: float, up: bool, kind: str) -> bool:
    """Does the model accept a value past ``end``? (max_features stops at 1.0, a depth
    at 1: no range can be widened there.) Settings the tables above do not know are put
    to scikit-learn's own parameter rules."""
    if kind == "int":
        beyond: float = int(end) + max(1, abs(int(end)) // 2) if up else int(end) - 1
    else:
        beyond = end * 2 if up and end > 0 else (end / 2 if end > 0 else end - 1)
    if up and name in _HIGHEST:  # 0.8 can still be widened to 1.0
        return end < _HIGHEST[name]
    if not up and name in _LOWEST:
        lowest = _LOWEST[name]
        return beyond >= lowest if kind == "int" else beyond > lowest
    if up and name in _LOWEST:
        return True
    try:
        check_values(get_model(model), {name: [beyond]})
    except Exception:  # CatalogError, or anything the estimator raises
        return False
    return True


def _near_rows(frame: TrialFrame, row: int, name: str, rows: np.ndarray,
               positions: Mapping[str, np.ndarray | None]) -> tuple[np.ndarray, np.ndarray]:
    """Over ``rows``: which have every other setting near the trial's (the same choice;
    a number within ``NEIGHBOURHOOD`` of its range), and which have them exactly equal."""
    near = np.ones(len(rows), dtype=bool)
    held = np.ones(len(rows), dtype=bool)
    for other, values in frame.params.items():
        if other == name:
            continue
        has = frame.has[other]
        if not has[row]:
            near &= ~has[rows]
            continue
        same = has[rows] & _equal_to(values[rows], values[row])
        held &= same
        position = positions.get(other)
        if position is None:
            near &= same
        else:
            near &= has[rows] & (np.abs(position[rows] - position[row])
                                 <= NEIGHBOURHOOD + 1e-12)
    return near, held & near


def _coordinate(frame: TrialFrame, name: str, space: SearchSpace | None) -> np.ndarray | None:
    """Each trial's value of a numeric range, 0 at its low end and 1 at its high end (on a
    log scale for a log range; NaN where a trial lacks it); None for a choice."""
    if space is None or name not in space.names:
        return None
    dimension = space[name]
    numbers = frame.numeric_param(name)
    if dimension.kind == "categorical" or numbers is None:
        return None
    low, high = float(dimension.low), float(dimension.high)
    if dimension.log and low > 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            numbers, low, high = np.log(numbers), math.log(low), math.log(high)
    return (numbers - low) / (high - low) if high > low else np.zeros(len(numbers))


def _objects(values: Sequence[Any]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def _same(a: Any, b: Any) -> bool:
    return bool(_equal_to(_objects([a]), b)[0])


def _equal_to(values: np.ndarray, value: Any) -> np.ndarray:
    """Which of ``values`` (an object array) equal ``value``: in numpy for numbers, text and
    None; one by one for a True/False value (True must not equal 1)."""
    if isinstance(value, bool | np.bool_):
        return np.fromiter((isinstance(v, bool | np.bool_) and v == value for v in values),
                           bool, len(values))
    try:
        same = values == value
    except Exception:
        same = None
    if not isinstance(same, np.ndarray) or same.shape != values.shape:
        return np.fromiter((v == value for v in values), bool, len(values))
    return same.astype(bool)


def _best(frame: TrialFrame, rows: np.ndarray) -> int:
    return int(rows[np.lexsort((frame.numbers[rows], -frame.mean_test[rows]))[0]])


def _finite(value: Any, default: float = 0.0) -> float:
    if value is None:
        return default
    value = float(value)
    return value if math.isfinite(value) else default


def curve_regions(hp: Hyperparameter | None, x: Sequence[Any], test_mean: Sequence[float],
                  standard_errors: Sequence[float]) -> tuple[str, ...]:
    """Per point of a curve along ``hp``, the verdict's rule applied to the curve alone:
    "underfitting" where a more flexible point scores better by more than the noise (the
    larger of the two standard errors), "overfitting" where a simpler one does, "good fit"
    where none does; empty where both sides do (a dip: this setting is not the cause) or
    when the setting does not move capacity."""
    if hp is None or hp.simpler is None or not len(x):
        return tuple("" for _ in x)
    keys = simplicity_of(_objects(x), hp.simpler)
    means = [math.nan if m is None else float(m) for m in test_mean]
    if keys is None or not any(math.isfinite(m) for m in means):
        return tuple("" for _ in x)
    points = [Point(x[k], float(keys[k]), means[k], _finite(standard_errors[k]), None)
              for k in range(len(x)) if math.isfinite(means[k])]
    labels = []
    for k in range(len(x)):
        if not math.isfinite(means[k]):
            labels.append("")
            continue
        mine = (float(keys[k]), means[k], _finite(standard_errors[k]))
        more = any(p.capacity > mine[0] and beyond_noise(p, mine[1], mine[2]) for p in points)
        less = any(p.capacity < mine[0] and beyond_noise(p, mine[1], mine[2]) for p in points)
        labels.append("" if more and less else UNDERFITTING if more else
                      OVERFITTING if less else GOOD_FIT)
    return tuple(labels)


__all__ = ["CURVE", "HELD", "NEAR", "Point", "Reading", "beyond_noise", "curve_regions",
           "default_value", "read_capacity"]
