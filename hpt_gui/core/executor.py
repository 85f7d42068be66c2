"""Where (trial, fold) tasks run: inline, in joblib's loky process pool, or on a Dask
cluster (``executor_dask.DaskExecutor``, with the ``cluster`` extra). The interface they
share is in ``executor_base``; the pools are made in ``pools``.

The data set travels to each worker once, through the pool's initializer, and stays
there as a module global; a task then carries only (number, params, fold). Each worker
also keeps its folds' fitted preprocessing (``prepcache``), so trials that change only
the estimator's hyperparameters do not refit it. Native
thread pools (OpenMP, BLAS) in each worker are limited to cores // workers, as joblib
does for GridSearchCV, so two busy workers do not fight over the cores.

The pool also runs inside a PyInstaller build: see ``hpt_gui/frozen.py`` for how the
frozen entry point answers loky's helper command lines.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
import weakref
from collections.abc import Mapping
from concurrent.futures import Future
from typing import Any

from .evaluate import EvalContext, FoldResult, evaluate_fold
from .executor_base import (  # noqa: F401 - the names other modules import from here
    WORKER_DIED,
    Executor,
    ExecutorLost,
    WorkerDied,
    is_worker_death,
)
from .fit_deadline import hard_stop_after
from .interrupts import uninterrupted
from .lifeline import die_with_parent
from .machine import available_cores, plan_workers
from .pools import (
    lower_priority,
    pool_pids,
    prepare_helper_process,  # noqa: F401 - imported from here by the window
    process_pool,
    shutdown_pool,
)
from .prepcache import PreprocessCache, process_cache

_THREAD_VARIABLES = (
    "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS",
)


class InlineExecutor(Executor):
    """Runs each task at once in the calling thread: one job, no processes."""

    def __init__(self, context: EvalContext) -> None:
        self._context = context
        self.cache = PreprocessCache()  # lives (and is freed) with this executor

    def submit(self, number: int, params: Mapping[str, Any], fold: int) -> Future:
        future: Future = Future()
        future.set_running_or_notify_cancel()
        future.set_result(evaluate_fold(self._context, number, dict(params), fold,
                                        self.cache))
        return future

    def shutdown(self, *, cancel: bool = False) -> None:
        pass


_WORKER_CONTEXT: EvalContext | None = None
_WORKER_LIMITS: Any = None
_WORKER_BOARD: str | None = None  # where this worker says which fit it runs since when


def _initialize_worker(context: EvalContext, threads: int, board: str | None = None,
                       parent: int | None = None) -> None:
    global _WORKER_CONTEXT, _WORKER_LIMITS, _WORKER_BOARD
    # first: a worker whose study was killed while it started goes at once
    die_with_parent(parent if parent is not None else os.getppid())
    _WORKER_CONTEXT = context
    _WORKER_BOARD = board
    lower_priority()
    try:
        from threadpoolctl import threadpool_limits

        _WORKER_LIMITS = threadpool_limits(limits=threads)
    except Exception:  # thread limits are an optimisation, never a reason to fail
        _WORKER_LIMITS = None


def _run_in_worker(number: int, params: dict[str, Any], fold: int) -> FoldResult:
    if _WORKER_CONTEXT is None:
        raise RuntimeError("worker was started without its data")
    if _WORKER_BOARD is None:
        return evaluate_fold(_WORKER_CONTEXT, number, params, fold, process_cache())
    # The note is rewritten, never removed: on Windows a file the study loop is reading
    # cannot be removed, and that error would replace the fold's result.
    note = os.path.join(_WORKER_BOARD, str(os.getpid()))
    try:  # the fit's start is noted once its code is imported: the limit is the fit's
        return evaluate_fold(_WORKER_CONTEXT, number, params, fold, process_cache(),
                             on_fit_start=lambda: _write_note(
                                 note, f"{number} {fold} {time.monotonic()}"))
    finally:
        _write_note(note, "")  # idle


def _write_note(path: str, text: str) -> None:
    try:
        with open(path, "w") as note:
            note.write(text)
    except OSError:  # the board is gone (the study ended) or busy: no limit this once
        pass


def _overdue_fits(board: str, limit: float) -> list[tuple[int, int, int]]:
    """(pid, number, fold) of the fits on the board running past ``limit`` seconds."""
    now, found = time.monotonic(), []  # system-wide: comparable across processes
    for name in os.listdir(board):
        try:
            with open(os.path.join(board, name)) as note:
                number, fold, started = note.read().split()
            if now - float(started) > limit:
                found.append((int(name), int(number), int(fold)))
        except (OSError, ValueError):  # the fit just ended, or its note is half written
            continue
    return found


class LocalProcessExecutor(Executor):
    """A loky process pool of ``workers`` processes that each hold the data once."""

    def __init__(self, context: EvalContext, workers: int) -> None:
        workers = self.workers = plan_workers(workers).workers  # never more than cores
        threads = max(1, available_cores() // workers)
        # With a per-trial time limit, each worker notes the fit it runs on a board (a
        # folder of one small file per worker), so a fit stuck past the limit in native
        # code can have its worker killed (``stop_overdue``).
        self.time_limit = context.fit_time_limit
        self._board = None if self.time_limit is None else tempfile.mkdtemp(prefix="hpt-gui-")
        self._stopped: set[tuple[int, int]] = set()
        self._generation = 0  # how many pools came before this one
        self._broken_by_stop: set[int] = set()  # generations stop_overdue broke
        self._generation_of: weakref.WeakKeyDictionary[Future, int] = \
            weakref.WeakKeyDictionary()
        self._factory = lambda: process_pool(
            workers, initializer=_initialize_worker,
            initargs=(context, threads, self._board, os.getpid()),
            env={name: str(threads) for name in _THREAD_VARIABLES},
        )
        self._pool = self._factory()
        self._closed = False

    def stop_overdue(self) -> None:
        if self._board is None or self.time_limit is None:
            return
        # Only this pool's workers: a note left by a worker that died otherwise must not
        # get a later process with the same number killed.
        ours = pool_pids(self._pool)
        for pid, number, fold in _overdue_fits(self._board, hard_stop_after(self.time_limit)):
            if pid in ours:
                try:
                    os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
                    self._stopped.add((number, fold))
                    self._broken_by_stop.add(self._generation)
                except OSError:  # it ended meanwhile
                    pass
            try:
                os.remove(os.path.join(self._board, str(pid)))
            except OSError:
                pass

    def was_stopped(self, key: tuple[int, int]) -> bool:
        return key in self._stopped

    def lost_with_a_stopped_fit(self, future: Future) -> bool:
        return self._generation_of.get(future) in self._broken_by_stop

    def submit(self, number: int, params: Mapping[str, Any], fold: int) -> Future:
        with uninterrupted():  # a submit may start the workers: never half of them
            try:
                future = self._pool.submit(_run_in_worker, number, dict(params), fold)
            except RuntimeError:  # the pool broke (a worker died): start a fresh one
                shutdown_pool(self._pool, wait=False, kill=True)
                self._pool = self._factory()
                self._generation += 1
                future = self._pool.submit(_run_in_worker, number, dict(params), fold)
        if self._board is not None:
            self._generation_of[future] = self._generation
        return future

    def shutdown(self, *, cancel: bool = False) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            shutdown_pool(self._pool, wait=True, kill=cancel)
        finally:
            if self._board is not None:
                shutil.rmtree(self._board, ignore_errors=True)


def make_executor(context: EvalContext, workers: int, cluster: str | None = None) -> Executor:
    """On the Dask cluster at ``cluster`` when given; else inline for one job and a
    process pool otherwise."""
    if cluster:
        from .executor_dask import DaskExecutor  # one way: Dask's module never imports this

        return DaskExecutor(context, cluster)
    workers = plan_workers(workers).workers
    if workers <= 1 and context.fit_time_limit is None:
        # (a time limit per trial needs a worker process, to stop a fit stuck in native code)
        return InlineExecutor(context)
    return LocalProcessExecutor(context, workers)
