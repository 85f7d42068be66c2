"""The series behind the score views, computed from stored trials.

Every series carries the trial numbers of its points, so a click on a point can select
that trial in the table and in every other view.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..records import TrialFrame
from ..space import SearchSpace

MAX_GROUPS = 12  # distinct values shown one by one; more are binned
TOP_TRIALS = 10


@dataclass(frozen=True)
class FoldBox:
    """One trial's validation scores per fold, summarised as a box."""

    number: int
    folds: tuple[float, ...]
    mean: float
    q1: float
    median: float
    q3: float
    low: float  # whiskers: the most extreme fold within 1.5 IQR of the box
    high: float


def box_summary(number: int, scores: Sequence[float]) -> FoldBox:
    """Quartiles and whiskers of a set of scores (one trial's folds, or a group's means)."""
    values = np.asarray(scores, dtype=float)
    q1, median, q3 = (float(v) for v in np.percentile(values, [25, 50, 75]))
    reach = 1.5 * (q3 - q1)
    inside = values[(values >= q1 - reach) & (values <= q3 + reach)]
    return FoldBox(number, tuple(values.tolist()), float(values.mean()), q1, median,
                   q3, float(inside.min()), float(inside.max()))


def top_fold_boxes(frame: TrialFrame, top: int = TOP_TRIALS,
                   include: Sequence[int] = ()) -> list[FoldBox]:
    """The ``top`` best trials' fold scores (plus any trial in ``include``), best first."""
    rows = ranked_rows(frame)[:top]
    extra = [i for n in include if (i := frame.index_of(n)) is not None
             and frame.scored[i] and i not in rows]
    rows = list(rows) + extra
    rows.sort(key=lambda i: (-frame.mean_test[i], frame.numbers[i]))
    boxes = []
    for i in rows:
        test, _ = frame.fold_scores(i)
        folds = test[~np.isnan(test)]
        boxes.append(box_summary(int(frame.numbers[i]), folds))
    return boxes


def ranked_rows(frame: TrialFrame) -> np.ndarray:
    """Scored rows, best mean validation score first (ties: lower trial number)."""
    scored = np.flatnonzero(frame.scored)
    return scored[np.lexsort((frame.numbers[scored], -frame.mean_test[scored]))]


@dataclass(frozen=True)
class Histogram:
    counts: tuple[int, ...]
    edges: tuple[float, ...]


def score_histogram(frame: TrialFrame, bins: int = 30) -> Histogram:
    """How the mean validation scores of all complete trials are spread."""
    scores = frame.mean_test[frame.scored]
    if not len(scores):
        return Histogram((), ())
    low, high = float(scores.min()), float(scores.max())
    if low == high:
        low, high = low - 0.5 * abs(low or 1) * 1e-3, high + 0.5 * abs(high or 1) * 1e-3
    counts, edges = np.histogram(scores, bins=min(bins, max(1, len(scores))), range=(low, high))
    return Histogram(tuple(int(c) for c in counts), tuple(float(e) for e in edges))


@dataclass(frozen=True)
class ValueGroup:
    """The trials sharing one value (or bin) of a hyperparameter."""

    label: str
    low: Any  # the value itself, or the bin's lower edge
    high: Any
    scores: tuple[float, ...]
    numbers: tuple[int, ...]


def scores_by_value(frame: TrialFrame, name: str, space: SearchSpace | None = None,
                    bins: int = 8) -> list[ValueGroup]:
    """Mean validation scores grouped by the value of ``name`` (binned when numeric and
    many-valued; log-spaced bins on a log dimension)."""
    return [ValueGroup(label, low, high, tuple(frame.mean_test[rows].tolist()),
                       tuple(frame.numbers[rows].tolist()))
            for label, low, high, rows in value_groups(frame, name, space, bins)]


def value_groups(frame: TrialFrame, name: str, space: SearchSpace | None = None, bins: int = 8
                 ) -> list[tuple[str, Any, Any, np.ndarray]]:
    """(label, low, high, rows) per value or bin of ``name``, over scored trials."""
    values = frame.params.get(name)
    if values is None:
        return []
    present = np.flatnonzero(frame.scored & frame.has[name])
    if not len(present):
        return []
    numeric = frame.numeric_param(name)
    if numeric is not None:  # group on the numbers: one label per distinct value, not per row
        x = numeric[present]
        distinct = np.unique(x)
        if len(distinct) <= MAX_GROUPS:
            groups = []
            for value in distinct:
                rows = present[x == value]
                groups.append((_label(values[rows[0]]), values[rows[0]], values[rows[0]], rows))
            return groups
    else:  # categories: grouped by their text in numpy, labelled once per category
        _, first, inverse = np.unique(values[present].astype(str), return_index=True,
                                      return_inverse=True)
        groups = [(values[present[f]], present[inverse == k]) for k, f in enumerate(first)]
        groups.sort(key=lambda group: _sort_key(group[0]))
        return [(_label(v), v, v, rows) for v, rows in groups]
    x = numeric[present]
    log = _is_log(space, name) and x.min() > 0
    if np.all(x == np.round(x)):  # whole numbers: whole-number bins ("2–5", not "2–5.62")
        return _whole_number_groups(present, x, bins, log)
    edges = (np.geomspace(x.min(), x.max(), bins + 1) if log
             else np.linspace(x.min(), x.max(), bins + 1))
    which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
    return [(f"{_short(edges[b])}–{_short(edges[b + 1])}", float(edges[b]),
             float(edges[b + 1]), present[which == b])
            for b in range(bins) if np.any(which == b)]


def _whole_number_groups(present: np.ndarray, x: np.ndarray, bins: int, log: bool
                        ) -> list[tuple[str, Any, Any, np.ndarray]]:
    """Bins of whole numbers, each from its first to its last value ("2–5", or "30" alone):
    equal widths, or log-spaced widths on a log dimension."""
    low, high = int(x.min()), int(x.max())
    if log:
        edges = np.unique(np.round(np.geomspace(low, high + 1, bins + 1)).astype(int))
    else:
        width = -(-(high - low + 1) // bins)  # ceiling: at most ``bins`` bins
        edges = np.arange(low, high + width + 1, width)
    edges[0], edges[-1] = low, max(edges[-1], high + 1)
    which = np.searchsorted(edges, x, side="right") - 1
    groups = []
    for b in range(len(edges) - 1):
        rows = present[which == b]
        if len(rows):
            first, last = int(edges[b]), min(int(edges[b + 1]) - 1, high)
            label = _short(first) if first == last else f"{_short(first)}–{_short(last)}"
            groups.append((label, first, last, rows))
    return groups


@dataclass(frozen=True)
class ParamCurve:
    """Train and validation score against one hyperparameter, from the trials.

    Each point is the best trial at that value (or in that bin): the others held at
    their best, as a profile. Bands are one fold standard deviation.
    """

    param: str
    x: tuple[Any, ...]
    numeric: bool
    numbers: tuple[int, ...]
    train_mean: tuple[float, ...]
    train_std: tuple[float, ...]
    test_mean: tuple[float, ...]
    test_std: tuple[float, ...]
    log: bool = False

    def to_json(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in self.__dict__.items()}


def train_validation_by_param(frame: TrialFrame, name: str, space: SearchSpace | None = None,
                              bins: int = 12) -> ParamCurve:
    """The best trial per value of ``name``: its train and validation means and spreads."""
    numeric = frame.numeric_param(name) is not None
    picks = []
    for _, _, _, rows in value_groups(frame, name, space, bins):
        picks.append(int(rows[np.lexsort((frame.numbers[rows], -frame.mean_test[rows]))[0]]))
    values = frame.params.get(name)
    x = tuple(values[i] for i in picks) if values is not None else ()
    if numeric:
        order = sorted(range(len(picks)), key=lambda k: float(x[k]))
        picks, x = [picks[k] for k in order], tuple(x[k] for k in order)
    return ParamCurve(
        param=name, x=x, numeric=numeric,
        numbers=tuple(int(frame.numbers[i]) for i in picks),
        train_mean=tuple(float(frame.mean_train[i]) for i in picks),
        train_std=tuple(float(frame.std_train[i]) for i in picks),
        test_mean=tuple(float(frame.mean_test[i]) for i in picks),
        test_std=tuple(float(frame.std_test[i]) for i in picks),
        log=_is_log(space, name),
    )


@dataclass(frozen=True)
class History:
    """Every scored trial in the order it finished, and the best so far."""

    numbers: np.ndarray
    seconds: np.ndarray  # since the first trial started
    scores: np.ndarray
    best_so_far: np.ndarray


def history(frame: TrialFrame) -> History:
    rows = np.flatnonzero(frame.scored)
    rows = rows[np.lexsort((frame.numbers[rows], frame.finished[rows]))]
    start = float(np.min(frame.started)) if len(frame) else 0.0
    scores = frame.mean_test[rows]
    return History(frame.numbers[rows], frame.finished[rows] - start, scores,
                   np.maximum.accumulate(scores) if len(scores) else scores)


@dataclass(frozen=True)
class ParamScatter:
    """Validation score against one hyperparameter, one point per trial."""

    param: str
    x: np.ndarray  # numbers, or category positions
    categories: tuple[str, ...]  # empty when x holds the values themselves
    scores: np.ndarray
    numbers: np.ndarray
    log: bool


def param_scatter(frame: TrialFrame, name: str, space: SearchSpace | None = None
                  ) -> ParamScatter:
    rows = np.flatnonzero(frame.scored)
    values = frame.params[name] if name in frame.params else _nones(len(frame))
    rows = rows[frame.has[name][rows]] if name in frame.has else rows[:0]
    numeric = frame.numeric_param(name)
    if numeric is not None:
        x, categories = numeric[rows], ()
    else:
        _, first, inverse = np.unique(values[rows].astype(str), return_index=True,
                                      return_inverse=True)
        order = sorted(range(len(first)), key=lambda k: _sort_key(values[rows[first[k]]]))
        categories = tuple(_label(values[rows[first[k]]]) for k in order)
        position = np.empty(len(order))
        position[order] = np.arange(len(order))
        x = position[inverse] if len(rows) else np.zeros(0)
    return ParamScatter(name, x, categories, frame.mean_test[rows], frame.numbers[rows],
                        _is_log(space, name) and numeric is not None)


@dataclass(frozen=True)
class ParallelAxes:
    """Each trial as a line across one axis per hyperparameter, scaled to 0..1."""

    names: tuple[str, ...]
    ticks: tuple[tuple[tuple[float, str], ...], ...]  # per axis: (position, label)
    lines: np.ndarray  # rows x axes, NaN where a trial lacks the setting
    scores: np.ndarray
    numbers: np.ndarray


def parallel_axes(frame: TrialFrame, names: Sequence[str], space: SearchSpace | None = None,
                  limit: int = 2000) -> ParallelAxes:
    """The best ``limit`` trials (all, when fewer): enough to see the pattern, quick to draw."""
    rows = ranked_rows(frame)[:limit]
    columns, ticks = [], []
    for name in names:
        values = frame.params[name][rows] if name in frame.params else _nones(len(rows))
        has = frame.has[name][rows] if name in frame.has else np.zeros(len(rows), bool)
        numeric = frame.numeric_param(name)
        if numeric is not None:
            x = numeric[rows]
            log = _is_log(space, name) and np.nanmin(x) > 0 if np.isfinite(x).any() else False
            t = np.log10(x) if log else x
            low, high = (np.nanmin(t), np.nanmax(t)) if np.isfinite(t).any() else (0.0, 1.0)
            span = (high - low) or 1.0
            columns.append((t - low) / span)
            # label with the values tried, not 10**log10(value), which prints 19 as 19.0
            raw_low, raw_high = ((float(np.nanmin(x)), float(np.nanmax(x)))
                                 if np.isfinite(x).any() else (0.0, 1.0))
            ticks.append(((0.0, _short(raw_low)), (1.0, _short(raw_high))))
        else:
            labels = sorted(_distinct(list(values[has])), key=_sort_key)
            spots = np.linspace(0, 1, len(labels)) if len(labels) > 1 else np.array([0.5])
            where = {_label(v): float(spots[k]) for k, v in enumerate(labels)}
            columns.append(np.array([where.get(_label(v), np.nan) if present else np.nan
                                     for v, present in zip(values, has, strict=True)],
                                    dtype=float))
            ticks.append(tuple((where[_label(v)], _label(v)) for v in labels))
    lines = np.column_stack(columns) if columns else np.zeros((len(rows), 0))
    return ParallelAxes(tuple(names), tuple(ticks), lines, frame.mean_test[rows],
                        frame.numbers[rows])


# ---------------------------------------------------------------------------------------


def _is_log(space: SearchSpace | None, name: str) -> bool:
    if space is None or name not in space.names:
        return False
    return bool(getattr(space[name], "log", False))


def _nones(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def _distinct(values: Sequence[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for value in values:
        seen.setdefault(_label(value), value)
    return list(seen.values())


def _label(value: Any) -> str:
    if isinstance(value, float) and not isinstance(value, bool):
        return _short(value)
    return str(value)


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float):
        return (0, float(value))
    return (2, str(value))


def _short(value: float) -> str:
    from ..format import number

    if isinstance(value, int | np.integer) or (isinstance(value, float) and value.is_integer()
                                               and abs(value) < 1e6):
        return f"{int(value):,}"
    return number(value) if math.isfinite(value) else str(value)
