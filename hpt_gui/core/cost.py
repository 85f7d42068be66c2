"""What a search costs: its candidates, fits and their work, and the time they take.

One computation for both front ends, so the window's preview and `hpt-gui run` never say
different times: ``request_cost`` counts a request before it is planned (the window, from
its grid counts), ``study.plan_cost`` counts a planned study exactly with the same rules
(the command line), and ``run_seconds`` turns the work into seconds from a measured time per fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .spec import UNBOUNDED_STRATEGIES


class Choices(Protocol):
    """The choices a cost depends on (a StudyRequest has them)."""

    strategy: str
    trials: int | None
    cv: int
    validation: dict[str, Any] | None
    nested: int | None
    outer: int | None
    options: dict[str, Any] | None
    task: str | None


@dataclass(frozen=True)
class Cost:
    """The fits of a run, over all its searches (nested CV: each outer fold, then all)."""

    candidates: int | None  # per search; None when only a time limit bounds it
    splits: int  # fits of one candidate's full evaluation
    searches: int
    fits: int | None  # fits in all (halving: at most); None when only time bounds it
    work: float | None  # the fits in full-data fits (halving on rows: a third counts a third)

    @property
    def full_fits(self) -> int | None:
        """The fits every candidate on every split would take (what halving saves on)."""
        if self.candidates is None:
            return None
        return self.candidates * self.splits * self.searches


def splits_of(cv: int, validation: dict[str, Any] | None) -> int:
    """How many fits one candidate's full evaluation takes (repeated k-fold: cv x repeats)."""
    validation = validation or {}
    if validation.get("scheme") == "repeated":
        return cv * int(validation.get("repeats", 1))
    return cv


def searches_of(nested: int | None, outer: int | None = None) -> int:
    """Nested CV runs the search once per outer fold, then once on all the rows."""
    return nested + 1 if nested and outer is None else 1


def request_candidates(request: Choices, grid: int | None) -> int | None:
    """The candidates a request's search tries, given its grid's size (None: too large to
    count, or only a time limit bounds it)."""
    if request.strategy == "manual":
        return 1
    if request.strategy in UNBOUNDED_STRATEGIES or (request.strategy == "halving"
                                                    and request.trials):
        return request.trials  # halving with trials draws them at random
    if grid is None:
        return request.trials
    return min(grid, request.trials) if request.trials else grid


def request_cost(request: Choices, grid: int | None, rows: int | None = None) -> Cost:
    """The cost of a request before it is planned: ``grid`` is its space's grid size (None
    when too large to count), ``rows`` the data's rows (halving on rows sizes its rungs on
    the training rows a fold leaves)."""
    splits = splits_of(request.cv, request.validation)
    searches = searches_of(request.nested, request.outer)
    candidates = request_candidates(request, grid)
    if candidates is None:
        return Cost(None, splits, searches, None, None)
    if request.strategy != "halving":
        fits = candidates * splits * searches
        return Cost(candidates, splits, searches, fits, float(fits))
    from .strategies.halving import (
        default_min_rows,
        halving_schedule,
        planned_fits,
        planned_work,
    )

    options = request.options or {}
    factor, resource = options.get("factor", 3), options.get("resource", "folds")
    least = options.get("min_resource")
    if resource == "rows":
        most = max(1, round((rows or 1000) * (1 - 1 / max(2, request.cv))))
        least = least or default_min_rows(request.task or "classification", 2, most)
        rungs = halving_schedule(candidates, most, factor, least)
    else:
        rungs = halving_schedule(candidates, splits, factor, least or 1)
    return Cost(candidates, splits, searches,
                planned_fits(rungs, splits, resource) * searches,
                planned_work(rungs, splits, resource) * searches)


def run_seconds(work: float, seconds_per_fit: float, workers: int) -> float:
    """The seconds ``work`` full-data fits take on ``workers`` parallel workers."""
    return seconds_per_fit * work / max(1, workers)


__all__ = ["Choices", "Cost", "request_candidates", "request_cost", "run_seconds",
           "searches_of", "splits_of"]
