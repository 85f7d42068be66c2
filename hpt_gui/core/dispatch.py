"""The fold dispatcher: hands (trial, split) fits to an executor and hands back their
results, whatever happened to the workers on the way.

It owns what a caller of an executor would otherwise repeat (the study loop and the
diagnostics' curves both use it): keeping the submitted fits, a fold whose worker died
run again (and, if it keeps dying, alone: ``DeathTriage``), workers killed when their fit
overruns the per-trial time limit in native code (``Executor.stop_overdue``), and, once a
fold of a trial ran out of time, its other folds skipped rather than run. The caller only
decides what to submit next and what a result means.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

from .evaluate import FoldResult
from .executor_base import WORKER_DIED, Executor, ExecutorLost, is_worker_death
from .fit_deadline import time_limit_message

Key = tuple[int, int]  # (trial number, split)

SKIPPED = "not run: another fold of this trial went past the time limit"


class DeathTriage:
    """Decides what a worker's death means for each fold it took down.

    When one fit kills its worker (out of memory, a crash in native code), the pool breaks
    and every queued fold fails with it, guilty or not. A fold that dies once is simply
    run again; one that dies twice waits until nothing else runs and is tried alone; a
    fold that dies alone is the culprit, and only its trial fails.
    """

    RETRY, WAIT, GUILTY = "retry", "wait", "guilty"

    def __init__(self) -> None:
        self._deaths: dict[Key, int] = {}
        self._waiting: deque[Key] = deque()
        self._alone: Key | None = None

    @property
    def busy(self) -> bool:
        """True while suspects wait or run alone: no new candidates start meanwhile."""
        return bool(self._waiting) or self._alone is not None

    def on_death(self, key: Key) -> str:
        if key == self._alone:
            self._alone = None
            return self.GUILTY
        self._deaths[key] = self._deaths.get(key, 0) + 1
        if self._deaths[key] == 1:
            return self.RETRY
        self._waiting.append(key)
        return self.WAIT

    def on_result(self, key: Key) -> None:
        if key == self._alone:
            self._alone = None

    def run_alone_now(self, idle: bool) -> Key | None:
        """The next suspect to run, once the pool is idle and no suspect is running."""
        if idle and self._alone is None and self._waiting:
            self._alone = self._waiting.popleft()
            return self._alone
        return None


def fold_result(
    future: Future, key: Key, triage: DeathTriage,
    resubmit: Callable[[Key], None], executor: Executor | None = None,
) -> FoldResult | None:
    """A (trial, fold)'s result, or None when it is to run again after its worker died.
    A worker the executor killed for overrunning the per-trial time limit fails only its
    fold."""
    number, fold = key
    try:
        result = future.result()
    except ExecutorLost:  # nothing can run any more: stop, rather than fail every fold
        raise
    except Exception as exc:
        if not is_worker_death(exc):
            return FoldResult(number, fold, None, None, 0.0, 0.0,
                              error=f"{type(exc).__name__}: {exc}")
        if executor is not None and executor.was_stopped(key):
            triage.on_result(key)  # settled: a suspect running alone no longer is
            limit = executor.time_limit or 0.0
            return FoldResult(number, fold, None, None, limit, 0.0,
                              error=time_limit_message(limit))
        if executor is not None and executor.lost_with_a_stopped_fit(future):
            resubmit(key)  # it died with the overdue fit: an innocent, not a suspect
            return None
        verdict = triage.on_death(key)
        if verdict == DeathTriage.RETRY:
            resubmit(key)
        if verdict != DeathTriage.GUILTY:
            return None
        return FoldResult(number, fold, None, None, 0.0, 0.0, error=WORKER_DIED)
    triage.on_result(key)
    return result


class _OutOfTime:
    """The trials that went past the per-trial time limit: the rest of their folds are
    not run (their queued folds are cancelled), since the trial has failed already."""

    def __init__(self, limit: float | None) -> None:
        self.error = time_limit_message(limit) if limit is not None else None
        self.trials: set[int] = set()

    def hit(self, result: FoldResult) -> bool:
        """Note ``result``'s trial if this fold went past the limit; True the first time."""
        if self.error is None or result.error != self.error or result.number in self.trials:
            return False
        self.trials.add(result.number)
        return True


class FoldDispatcher:
    """Runs (trial, split) fits on ``executor``, at most ``depth`` at a time.

    ``skip_after`` is the per-trial time limit whose overrun fails a whole trial: once one
    of its folds runs out of time, its other folds are not run but come back failed at
    once (None: every fold runs). The executor stays the caller's to shut down.
    """

    def __init__(self, executor: Executor, depth: int, *,
                 skip_after: float | None = None) -> None:
        self.executor = executor
        self.depth = max(1, depth)
        self._pending: dict[Future, Key] = {}
        self._params: dict[Key, dict[str, Any]] = {}  # until the fold's result is handed back
        self._triage = DeathTriage()
        self._out_of_time = _OutOfTime(skip_after)

    @property
    def running(self) -> int:
        """Fits submitted whose results are not back yet."""
        return len(self._pending)

    @property
    def idle(self) -> bool:
        """Nothing running and no suspect waiting to run alone: nothing will come back."""
        return not self._pending and not self._triage.busy

    def has_room(self) -> bool:
        """Whether to submit more now: fewer than ``depth`` running, and no suspect
        waiting to run alone (meanwhile nothing new starts)."""
        return not self._triage.busy and len(self._pending) < self.depth

    def submit(self, number: int, params: Mapping[str, Any], split: int) -> None:
        """Start one fit (inline executors run it here and now)."""
        key = (number, split)
        self._params[key] = dict(params)
        self._start(key)

    def collect(self, timeout: float) -> list[tuple[Key, FoldResult]]:
        """The results that came back within ``timeout`` seconds, each with its key (a
        fold that died and runs again is not among them). ExecutorLost passes through."""
        suspect = self._triage.run_alone_now(idle=not self._pending)
        if suspect is not None:
            self._start(suspect)
        if not self._pending:
            return []
        finished, _ = wait(list(self._pending), timeout=timeout,
                           return_when=FIRST_COMPLETED)
        self.executor.stop_overdue()  # only a process pool under a time limit does anything
        results = []
        for future in finished:
            key = self._pending.pop(future)
            result = fold_result(future, key, self._triage, self._start, self.executor)
            if result is None:
                continue
            del self._params[key]
            if self._out_of_time.hit(result):  # the trial's other folds need not run
                self._skip_rest(key[0])
            results.append((key, result))
        return results

    def _start(self, key: Key) -> None:
        number, split = key
        if number in self._out_of_time.trials:  # its trial has failed already: not run
            future: Future = Future()
            future.set_result(FoldResult(number, split, None, None, 0.0, 0.0, error=SKIPPED))
        else:
            future = self.executor.submit(number, self._params[key], split)
        self._pending[future] = key

    def _skip_rest(self, number: int) -> None:
        for future, key in list(self._pending.items()):
            if key[0] == number and future.cancel():
                del self._pending[future]
                self._start(key)


__all__ = ["DeathTriage", "FoldDispatcher", "fold_result"]
