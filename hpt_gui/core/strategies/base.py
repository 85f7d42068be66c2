"""The one interface every search strategy speaks: ask for candidates, tell results.

Grid, random, manual, Bayesian (TPE), evolutionary search and successive halving share one
study loop; the Optuna-driven ones are in ``sampled``.

A *stepped* strategy (successive halving) evaluates a trial in steps: each candidate it
asks names the splits to run now, the study loop ``report``s the trial's score once those
are back, and ``report`` answers with the trials whose fate that settles (pruned,
complete or failed), which the loop then stores and ``tell``s as usual. The same trial
number is asked again for its next step. Every other strategy asks each number once and
its candidates run on every fold.
Trial numbers are handed out by the strategy; on resume, the runner first tells the
strategy every stored trial, so it never proposes a number twice (and a resumed grid or
random search proposes exactly what an uninterrupted one would have).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Candidate:
    """A configuration to evaluate, with the trial number it will be stored under."""

    number: int
    params: dict[str, Any]
    # Stepped strategies only: which of the executor's splits to run in this step (split
    # t is the study's fold t % folds; splits past the folds are subsamples of them).
    # None: every fold, the trial's whole evaluation.
    splits: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Settled:
    """A trial whose fate a stepped strategy has decided; the study loop stores it."""

    number: int
    state: str  # COMPLETE, PRUNED or FAIL
    attrs: dict[str, Any] | None = None  # stored with the trial, told back on resume


@dataclass(frozen=True)
class Outcome:
    """What the strategy learns about a finished trial."""

    number: int
    params: dict[str, Any]
    score: float | None  # mean validation score (greater is better); None if it failed
    state: str
    attrs: dict[str, Any] | None = None  # what the strategy stored with the trial


class Strategy(ABC):
    """Proposes candidates; learns from outcomes.

    What a strategy can do beyond ask and tell is declared here, with the defaults of a
    plain one-shot search, so the study loop reads it without probing for attributes.
    """

    # True: candidates run in steps, and the loop reports each step (``report``).
    stepped = False
    # Splits beyond the study's folds that candidates may name (``Candidate.splits``):
    # the executor gets them too. Successive halving on rows: the folds' subsamples.
    extra_splits: tuple[Any, ...] = ()

    def __init__(self) -> None:
        self._told: dict[int, Outcome] = {}
        self._asked: set[int] = set()
        self._lowest_free = 0  # every number below it is told or asked

    @property
    def size(self) -> int | None:
        """How many candidates exist in all (None when unlimited)."""
        return None

    @abstractmethod
    def _propose(self, number: int) -> dict[str, Any] | None:
        """The configuration for a trial number, or None when there are no more."""

    @property
    def planned_work(self) -> float | None:
        """The work the whole search plans, in full-data fits, when the strategy plans it
        itself (a stepped strategy, whose trials settle in bursts); None otherwise."""
        return None

    def work_of(self, split: int) -> float:
        """One fit on ``split`` in full-data fits (a subsample counts its share of rows)."""
        return 1.0

    def ask(self, n: int = 1) -> list[Candidate]:
        """Up to ``n`` new candidates; fewer (or none) when the strategy is exhausted."""
        found: list[Candidate] = []
        while self._lowest_free in self._told or self._lowest_free in self._asked:
            self._lowest_free += 1
        number = self._lowest_free
        while len(found) < n:
            if self.size is not None and number >= self.size:
                break
            if number not in self._told and number not in self._asked:
                params = self._propose(number)
                if params is None:
                    break
                self._asked.add(number)
                found.append(Candidate(number, params))
            number += 1
        return found

    def tell(self, outcome: Outcome) -> None:
        self._asked.discard(outcome.number)
        self._told[outcome.number] = outcome

    def report(self, number: int, score: float | None) -> list[Settled]:
        """A step of a stepped strategy's trial is back with this mean validation score
        over the folds it has so far (None: a fold failed); returns the trials now settled.
        A strategy that is not stepped settles each trial when all its folds are back."""
        return [Settled(number, "COMPLETE" if score is not None else "FAIL")]

    def forget(self, number: int) -> None:
        """A candidate that was asked but never finished (cancelled) may be asked again."""
        self._asked.discard(number)
        self._lowest_free = min(self._lowest_free, number)


def stored_work(trial: Any) -> tuple[float, float]:
    """(fits, work) of a stored trial: the fits it ran and their work in full-data fits, as
    a stepped strategy records them in ``attrs`` (a trial without them ran each of its
    folds fully)."""
    attrs = trial.attrs or {}
    fits = float(attrs.get("fits", len(trial.folds)))
    return fits, float(attrs.get("work", fits))
