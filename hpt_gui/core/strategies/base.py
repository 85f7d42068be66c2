"""The one interface every search strategy speaks: ask for candidates, tell results.

Grid, random, manual, Bayesian (TPE) and evolutionary search (and later halving) share one
study loop; the Optuna-driven ones are in ``sampled``.
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


@dataclass(frozen=True)
class Outcome:
    """What the strategy learns about a finished trial."""

    number: int
    params: dict[str, Any]
    score: float | None  # mean validation score (greater is better); None if it failed
    state: str


class Strategy(ABC):
    """Proposes candidates; learns from outcomes."""

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

    def forget(self, number: int) -> None:
        """A candidate that was asked but never finished (cancelled) may be asked again."""
        self._asked.discard(number)
        self._lowest_free = min(self._lowest_free, number)
