"""Successive halving: every candidate starts on a small resource, only the best go on.

The candidates are drawn as a random search draws them (seeded, conditions respected), or
are the grid's points when no number of trials is given. They run in synchronous *rungs*:
at rung i each remaining candidate gets resource r_i; when the whole rung is back, the
best 1/``factor`` (by mean validation score) go on to rung i + 1 and the rest are stored
as PRUNED, with the folds they ran and their partial mean. The last rung gives the
survivors the full resource, so their scores are ordinary evaluations. A trial whose fold
fails is out at once (FAIL). Decisions are taken only at the end of a rung, in a fixed
order (score, then number), so the result does not depend on how many workers ran it.

Two resources (option ``resource``):

- ``folds``: a candidate runs fold by fold; rung i has run its first r_i folds (r_last is
  every fold) and candidates are compared on the mean over those folds;
- ``rows``: scikit-learn's HalvingRandomSearchCV idea. Rung i trains on a seeded
  subsample of r_i training rows of every fold (stratified for classes; validated on the
  whole validation part, so scores compare across rungs); the last rung uses every row.

Rung sizes follow scikit-learn's "exhaust" rule: as many rungs as both the candidates
(log_factor n + 1) and the resource (log_factor(max / min) + 1) allow, the last on the
full resource and each earlier one ``factor`` times smaller. Stored trials carry their
rung in ``attrs`` (``{"rung": 1, "folds": 2, "fits": 2}``), so a resumed study replays
them: a rung whose decision was stored is not run again; the survivors of an undecided
rung, which were never stored, run again (their results are the same for a seed).

The first rung is never listed (a range of numbers, asked from a cursor), so memory grows
with the candidates that ran; since all of them are held until the rung is decided, the
starting count is capped by what the machine can hold (``machine.check_halving_start``).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..machine import check_halving_start
from ..space import SearchSpace
from ..spec import DEFAULT_FACTOR, StudySpec
from .base import Candidate, Outcome, Settled, Strategy, stored_work
from .halving_words import describe_saving  # noqa: F401 - imported from here before

COMPLETE, PRUNED, FAIL = "COMPLETE", "PRUNED", "FAIL"


@dataclass(frozen=True)
class Rung:
    """One rung of the schedule: how many candidates run it, on how much resource."""

    index: int
    candidates: int
    resource: int  # folds run so far, or training rows per fold


def halving_schedule(candidates: int, max_resource: int, factor: float = DEFAULT_FACTOR,
                     min_resource: int = 1) -> list[Rung]:
    """The rungs for ``candidates`` starting candidates (see the module's docstring)."""
    candidates = max(1, candidates)
    min_resource = max(1, min(min_resource, max_resource))
    required = 1 + int(math.floor(math.log(candidates, factor) + 1e-9))
    possible = 1 + int(math.floor(math.log(max_resource / min_resource, factor) + 1e-9))
    count = max(1, min(required, possible))
    resources = [max(min_resource, int(max_resource / factor ** (count - 1 - i)))
                 for i in range(count - 1)] + [max_resource]
    kept: list[int] = []
    for resource in resources:  # rounding may repeat a size: one rung per size
        if not kept or resource > kept[-1]:
            kept.append(resource)
    rungs, n = [], candidates
    for i, resource in enumerate(kept):
        rungs.append(Rung(i, n, resource))
        n = max(1, math.ceil(n / factor))
    return rungs


def default_min_rows(task: str, classes: int, max_rows: int) -> int:
    """The smallest training set worth comparing on: 20 rows per class (at least 50)."""
    wanted = max(20 * classes, 50) if task == "classification" else 50
    return max(1, min(max_rows, wanted))


def planned_fits(rungs: list[Rung], folds: int, resource: str) -> int:
    """The fits the schedule takes when no candidate fails."""
    if resource == "rows":
        return sum(rung.candidates for rung in rungs) * folds
    done, total = 0, 0
    for rung in rungs:
        total += rung.candidates * (rung.resource - done)
        done = rung.resource
    return total


def planned_work(rungs: list[Rung], folds: int, resource: str) -> float:
    """The schedule's fits in full-data fits: on rows, a fit on a third of the rows
    counts a third (fitting time grows at least as fast as the rows in most models)."""
    if resource != "rows":
        return float(planned_fits(rungs, folds, resource))
    return sum(r.candidates * r.resource for r in rungs) * folds / rungs[-1].resource


def fold_count(spec: StudySpec) -> int:
    """How many splits each candidate's full evaluation has (repeated k-fold: cv x repeats)."""
    validation = spec.validation or {}
    return spec.cv * validation.get("repeats", 1) if validation.get("scheme") == \
        "repeated" else spec.cv


def halving_saving(spec: StudySpec, trials: Any) -> dict[str, Any] | None:
    """Fits the stored trials of a halving study took against those every starting
    candidate on every fold would need: {"resource", "fits_done", "fits_full",
    "work_done", "share"}. ``work_done`` counts the fits in full-data fits (on rows, a
    fit on a third of the rows counts a third; on folds it equals ``fits_done``) and
    ``share`` is work_done / fits_full."""
    if spec.strategy != "halving":
        return None
    candidates = spec.trials if spec.trials is not None else len(spec.space.grid())
    full = candidates * fold_count(spec)
    done = work = 0.0
    for trial in trials:
        fits, trial_work = stored_work(trial)
        done += fits
        work += trial_work
    return {"resource": (spec.options or {}).get("resource", "folds"),
            "fits_done": int(done), "fits_full": full, "work_done": round(work, 2),
            "share": round(work / full, 4) if full else None}


class HalvingStrategy(Strategy):
    """Successive halving on folds or rows, in synchronous rungs (a stepped strategy)."""

    stepped = True

    def __init__(self, space: SearchSpace, seed: int, *, candidates: int | None, folds: int,
                 factor: float = DEFAULT_FACTOR, resource: str = "folds",
                 min_resource: int | None = None, splits: Any = None, y: Any = None,
                 task: str = "classification") -> None:
        super().__init__()
        self._space, self._seed = space, seed
        self._grid = space.grid() if candidates is None else None
        self._candidates = len(self._grid) if self._grid is not None else candidates
        check_halving_start(self._candidates)  # its first rung is held in memory in full
        self.folds, self.factor, self.resource = folds, factor, resource
        self.extra_splits: tuple[Any, ...] = ()
        if resource == "rows":
            if splits is None:
                raise ValueError("halving on rows needs the study's splits")
            sizes = [len(train) for train, _ in splits]
            max_rows = max(sizes)
            classes = len(_classes(y)) if task == "classification" and y is not None else 0
            # At least a row of every class, or a stratified subsample cannot be drawn.
            least = max(min_resource or default_min_rows(task, classes, max_rows), classes)
            self.rungs = halving_schedule(self._candidates, max_rows, factor, least)
            self.extra_splits = tuple(
                (_subsample(train, max(1, round(len(train) * rung.resource / max_rows)),
                            np.random.default_rng([seed, rung.index, k]),
                            None if y is None or task != "classification" else y),
                 test)
                for rung in self.rungs[:-1] for k, (train, test) in enumerate(splits))
        else:
            self.rungs = halving_schedule(self._candidates, folds, factor, min_resource or 1)
        self._params: dict[int, dict[str, Any]] = {}
        self._settled: dict[int, tuple[str, int | None]] = {}  # number -> (state, rung)
        self._decided = -1  # every rung up to this one was decided (by a stored trial)
        self._rung = 0
        # The first rung is every number below the count: a range, never listed, so memory
        # grows with the candidates that ran, not with how many may start.
        self._members: range | set[int] = range(self._candidates)
        self._queue: Sequence[int] = self._members  # the members in the order asked
        self._cursor = 0  # members before it in the queue were asked (or are settled)
        self._returned: list[int] = []  # a heap: members asked, then forgotten (cancelled)
        self._open = self._candidates  # members neither settled nor scored at this rung
        self._scores: dict[int, float] = {}  # this rung's reported scores
        self._ran_here: set[int] = set()  # reported in this process: holds its earlier folds

    @property
    def size(self) -> int:
        return self._candidates

    @property
    def planned_fits(self) -> int:
        return planned_fits(self.rungs, self.folds, self.resource)

    @property
    def planned_work(self) -> float:
        return planned_work(self.rungs, self.folds, self.resource)

    def work_of(self, split: int) -> float:
        """One fit on this split in full-data fits (a subsample's share of the rows)."""
        if split < self.folds:
            return 1.0
        return self.rungs[split // self.folds - 1].resource / self.rungs[-1].resource

    def _propose(self, number: int) -> dict[str, Any] | None:
        if number >= self._candidates:
            return None
        if number not in self._params:
            if self._grid is not None:
                self._params[number] = dict(self._grid[number])
            else:  # the very draws of a random search with the same seed
                self._params[number] = self._space.sample(
                    np.random.default_rng([self._seed, number]))
        return dict(self._params[number])

    # ---------------------------------------------------------------- the ask/tell protocol

    def ask(self, n: int = 1) -> list[Candidate]:
        """The lowest-numbered members of the rung still waiting, found from a cursor (and
        the cancelled ones handed back), so a first rung of a million costs no sort."""
        self._advance()
        found = []
        while len(found) < n:
            number = self._next_waiting()
            if number is None:
                break
            self._asked.add(number)
            found.append(Candidate(number, self._propose(number),
                                   self._splits(self._rung, number in self._ran_here)))
        return found

    def report(self, number: int, score: float | None) -> list[Settled]:
        self._asked.discard(number)
        if number in self._settled or number not in self._members:
            return []
        self._ran_here.add(number)
        self._close(number)
        if score is None or not math.isfinite(score):
            return [self._settle(number, FAIL, self._rung)]
        if self._rung == len(self.rungs) - 1:
            return [self._settle(number, COMPLETE, self._rung)]
        self._scores[number] = float(score)
        return self._advance()

    def tell(self, outcome: Outcome) -> None:
        super().tell(outcome)
        if outcome.number not in self._settled:  # replayed (or settled by a caller)
            self._close(outcome.number)
            rung = (outcome.attrs or {}).get("rung")
            self._note_settled(outcome.number, outcome.state,
                               rung if isinstance(rung, int) else None)

    # ------------------------------------------------------------------------ internals

    def _splits(self, rung: int, continued: bool = True) -> tuple[int, ...]:
        """The executor's splits a trial runs at this rung (see Candidate.splits). On
        folds, a trial that went on from an earlier run, whose first folds were never
        stored, runs them again here (``continued`` False)."""
        if self.resource == "rows":
            if rung == len(self.rungs) - 1:
                return tuple(range(self.folds))
            return tuple(self.folds * (1 + rung) + k for k in range(self.folds))
        start = self.rungs[rung - 1].resource if rung and continued else 0
        return tuple(range(start, self.rungs[rung].resource))

    def _attrs(self, rung: int) -> dict[str, Any]:
        resource = self.rungs[rung].resource
        if self.resource == "rows":
            rows = sum(r.resource for r in self.rungs[:rung + 1])
            return {"rung": rung, "rows": resource, "fits": (rung + 1) * self.folds,
                    "work": round(rows * self.folds / self.rungs[-1].resource, 4)}
        return {"rung": rung, "folds": resource, "fits": resource}

    def _settle(self, number: int, state: str, rung: int) -> Settled:
        self._note_settled(number, state, rung)
        return Settled(number, state, self._attrs(rung))

    def _note_settled(self, number: int, state: str, rung: int | None) -> None:
        self._settled[number] = (state, rung)
        if rung is not None:  # one pruned at a rung, or one that went past it, decided it
            self._decided = max(self._decided, rung if state == PRUNED else rung - 1)

    def _decided_before(self, rung: int) -> bool:
        """A stored trial shows that this rung's decision was taken (and stored) already:
        one pruned at it, or one that went past it."""
        return self._decided >= rung

    def _close(self, number: int) -> None:
        """``number`` is about to be settled or scored: one fewer open member (if it was)."""
        if number in self._members and number not in self._settled \
                and number not in self._scores:
            self._open -= 1

    def _next_waiting(self) -> int | None:
        """The lowest member neither settled, scored nor running, or None."""
        while self._returned:
            number = heapq.heappop(self._returned)
            if self._waiting(number):
                return number
        while self._cursor < len(self._queue):
            number = self._queue[self._cursor]
            self._cursor += 1
            if self._waiting(number):
                return number
        return None

    def _waiting(self, number: int) -> bool:
        return (number not in self._settled and number not in self._scores
                and number not in self._asked)

    def _went_past(self, number: int, rung: int) -> bool:
        """Whether a member of a rung decided in an earlier run went on to the next: it
        was not stored then (it was still running), or it was stored at a later rung."""
        if number not in self._settled:
            return True
        stored = self._settled[number][1]
        return stored is not None and stored > rung

    def _advance(self) -> list[Settled]:
        """Close every rung whose results are all in (or whose decision is stored),
        pruning all but the best; returns the trials pruned."""
        pruned: list[Settled] = []
        last = len(self.rungs) - 1
        while self._rung < last:
            rung = self._rung
            if self._decided_before(rung):
                keep = {c for c in self._members if self._went_past(c, rung)}
            else:
                if self._open:
                    return pruned
                ranked = sorted((c for c in self._scores if c not in self._settled),
                                key=lambda c: (-self._scores[c], c))
                cut = self.rungs[rung + 1].candidates
                keep = set(ranked[:cut])
                pruned += [self._settle(c, PRUNED, rung) for c in ranked[cut:]]
            self._members, self._scores, self._rung = keep, {}, rung + 1
            self._queue, self._cursor, self._returned = sorted(keep), 0, []
            self._open = sum(1 for c in keep if c not in self._settled)
            self._asked.clear()
        return pruned

    def forget(self, number: int) -> None:
        if number in self._asked:  # asked again, in its turn
            self._asked.discard(number)
            heapq.heappush(self._returned, number)


def _classes(y: Any) -> list[Any]:
    try:
        return list(np.unique(np.asarray(y)))
    except TypeError:  # mixed label types: count them as text
        return sorted({str(v) for v in y})


def _subsample(train: np.ndarray, size: int, rng: np.random.Generator,
               y: Any = None) -> np.ndarray:
    """``size`` of the training rows, drawn without replacement; with labels, every class
    keeps its share (and at least one row), as a stratified split would."""
    train = np.asarray(train)
    if size >= len(train):
        return train
    if y is not None:
        try:
            labels = np.asarray([str(v) for v in np.asarray(y, dtype=object)[train]])
            classes, inverse = np.unique(labels, return_inverse=True)
        except (TypeError, ValueError, IndexError):
            classes = None
        if classes is not None and len(classes) <= size:
            counts = np.bincount(inverse, minlength=len(classes))
            quota = counts * size / len(train)
            take = np.maximum(np.floor(quota).astype(int), 1)
            order = np.argsort(-(quota - np.floor(quota)), kind="stable")
            for i in order:
                if take.sum() >= size:
                    break
                if take[i] < counts[i]:
                    take[i] += 1
            chosen = [rng.choice(train[inverse == c], min(int(take[c]), int(counts[c])),
                                 replace=False) for c in range(len(classes))]
            return np.sort(np.concatenate(chosen))
    return np.sort(rng.choice(train, size, replace=False))
