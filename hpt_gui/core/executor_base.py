"""What every executor is: the ``Executor`` interface and the ways a fit can fail without
the model raising (its worker died, the whole executor was lost).

Its own module so that the implementations (``executor`` for inline and the local
process pool, ``executor_dask`` for a cluster) and the fold dispatcher all import it, and
none of them imports another: no import cycle between the two executors.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from collections.abc import Mapping
from concurrent.futures import Future
from typing import Any

WORKER_DIED = (
    "The worker process running this fit stopped unexpectedly, also when the fit ran on its "
    "own (it may need more memory than the machine has)."
)


class WorkerDied(RuntimeError):
    """A task failed because the process (or remote worker) running it died."""


class ExecutorLost(RuntimeError):
    """The executor can run nothing any more (a cluster's scheduler went away): the study
    stops, keeping its finished trials, instead of recording every fold as failed."""


class Executor(ABC):
    """Runs (trial, fold) tasks and hands back futures of FoldResult."""

    workers: int = 1
    time_limit: float | None = None  # seconds one fit may take, when a trial has a limit

    @abstractmethod
    def submit(self, number: int, params: Mapping[str, Any], fold: int) -> Future:
        """Start one fold of one trial."""

    @abstractmethod
    def shutdown(self, *, cancel: bool = False) -> None:
        """Stop the workers; with ``cancel``, drop what has not started."""

    def stop_overdue(self) -> None:
        """Kill the workers whose fit ignored the per-trial time limit (stuck in native
        code); called by the fold dispatcher while it waits. Only a process pool can."""
        return None

    def was_stopped(self, key: tuple[int, int]) -> bool:
        """True when this (trial, fold)'s worker was killed by ``stop_overdue``."""
        return False

    def lost_with_a_stopped_fit(self, future: Future) -> bool:
        """True when ``future`` died with a pool that ``stop_overdue`` broke: an innocent,
        run again without counting it as its death."""
        return False

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(cancel=exc[0] is not None)


def is_dask_worker_death(exc: BaseException) -> bool:
    """True for Dask's ways of saying a task's worker died: KilledWorker (the task was on
    too many workers that died) or a closed connection to the worker."""
    if "distributed" not in sys.modules:  # never import Dask just to look
        return False
    from distributed import KilledWorker
    from distributed.comm.core import CommClosedError

    return isinstance(exc, KilledWorker | CommClosedError)


def is_worker_death(exc: BaseException) -> bool:
    """True when a task failed because its process died, not because the model raised:
    a broken local pool, WorkerDied, or Dask's KilledWorker / CommClosedError."""
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(exc, BrokenProcessPool | WorkerDied) or is_dask_worker_death(exc)


__all__ = ["WORKER_DIED", "Executor", "ExecutorLost", "WorkerDied", "is_dask_worker_death",
           "is_worker_death"]
