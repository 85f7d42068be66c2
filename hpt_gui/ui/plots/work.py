"""The heavy diagnostics as plain work functions ``work(should_stop, on_progress)`` for
the panel's job runner: curves on the study's folds in a process pool, single refits in a
worker process of their own, the importance and the constant-prediction floor in a
thread (``importance_in_helper`` runs a computation in a helper process instead).

Each function captures what it needs (spec, trial parameters) when it is made, so a job
never reads the panel while it runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...core.evaluate import EvalContext
from ...core.spec import StudySpec

Work = Callable[[Callable[[], bool], Callable[[int, int], None]], Any]


def _jobs() -> int:
    from ...core.machine import available_cores

    return available_cores()


class StudyContexts:
    """The study's data and folds, loaded once per study (the first job that needs them
    loads them; later ones reuse them), with what the data checks said of that data."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[str, ...] | None = None
        self._context: EvalContext | None = None
        self.notes: tuple[str, ...] = ()

    def get(self, key: tuple[str, ...], spec: StudySpec) -> EvalContext:
        from ...core.diagnostics.curves import context_for_spec
        from ...core.export import load_study_data

        with self._lock:
            if self._key != key or self._context is None:
                dataset = load_study_data(spec)
                self._context, self._key = context_for_spec(spec, dataset), key
                self.notes = tuple(dataset.notes)
            return self._context

    def forget(self) -> None:
        with self._lock:
            self._key, self._context, self.notes = None, None, ()


def summary_work(spec: StudySpec, frame: Any, context: Callable[[], EvalContext],
                 notes: Callable[[], tuple[str, ...]] = tuple) -> Work:
    """Importance (fANOVA), the constant-prediction floor the verdict compares with, and
    what the data checks said of the study's data (for the report).

    The importance runs on this job's thread: with its trees in numpy (``fanova.py``) it
    is a fraction of a second on 1,000 trials, during which the GUI thread waits at most
    about 10 ms for the interpreter; a helper process (``importance_in_helper``) first
    had to start and import scikit-learn and Optuna, seconds before the importance
    could begin."""
    from ...core.diagnostics.baseline import baseline_score
    from ...core.diagnostics.importance import param_importance

    def work(should_stop: Callable[[], bool], progress: Callable[[int, int], None]) -> Any:
        importance = param_importance(frame, spec.space, seed=spec.seed)
        try:
            baseline = baseline_score(context())
        except Exception:  # data moved or changed: the verdict does without the floor
            baseline = None
        return importance, baseline, len(frame), notes()

    return work


_HELPER: Any = None  # the process pool of one helper, made on first use
_HELPER_LOCK = threading.Lock()


def importance_in_helper(compute: Callable[..., Any], frame: Any, space: Any,
                         seed: int) -> Any:
    """``compute(frame, space, seed=seed)`` (fANOVA) in a helper process: it is seconds of
    Python that, on a thread of the window's process, held the interpreter away from the
    GUI thread (the window paused for a third of a second while a study ran). The
    frame goes without its trial records (the arrays are all fANOVA reads). If the
    helper cannot run it (it died, or the frame cannot travel), it runs here, as before
    (an error of fANOVA's own then comes again, from here).
    """
    from dataclasses import replace
    from pickle import PicklingError

    global _HELPER
    try:
        with _HELPER_LOCK:
            if _HELPER is None:
                from ...core.pools import helper_pool

                _HELPER = helper_pool()
            helper = _HELPER
        return helper.submit(compute, replace(frame, trials=()), space,
                             seed=seed).result()
    except (RuntimeError, PicklingError, OSError):  # a broken or shut pool, among others
        shutdown_helper()
        return compute(frame, space, seed=seed)


def shutdown_helper() -> None:
    """End the helper process (the app quits, or it broke)."""
    global _HELPER
    with _HELPER_LOCK:
        helper, _HELPER = _HELPER, None
    if helper is not None:
        from ...core.pools import shutdown_pool

        shutdown_pool(helper, wait=False, kill=True)


def validation_work(spec: StudySpec, params: dict[str, Any], name: str, values: list[Any],
                    context: Callable[[], EvalContext]) -> Work:
    from ...core.diagnostics.curves import validation_curve
    from ...core.engine import make_executor

    def work(should_stop: Callable[[], bool], progress: Callable[[int, int], None]) -> Any:
        ctx = context()
        executor = make_executor(ctx, _jobs())
        try:
            return validation_curve(ctx, params, name, values, executor,
                                    should_stop=should_stop, on_progress=progress)
        finally:
            executor.shutdown(cancel=should_stop())

    return work


def learning_work(params: dict[str, Any], context: Callable[[], EvalContext]) -> Work:
    from ...core.diagnostics.curves import learning_curve
    from ...core.engine import make_executor

    def work(should_stop: Callable[[], bool], progress: Callable[[int, int], None]) -> Any:
        return learning_curve(context(), params, lambda c: make_executor(c, _jobs()),
                              should_stop=should_stop, on_progress=progress)

    return work


def inspect_work(spec: StudySpec, params: dict[str, Any]) -> Work:
    """The refit on all rows runs in a worker process: a crash cannot reach the window."""
    from ...core.diagnostics.isolated import run_isolated
    from ...core.diagnostics.refit import inspect_trial

    def work(should_stop: Callable[[], bool], progress: Callable[[int, int], None]) -> Any:
        return run_isolated(inspect_trial, spec, params, should_stop=should_stop)

    return work


def path_work(params: dict[str, Any], name: str, values: list[Any],
              context: Callable[[], EvalContext]) -> Work:
    """The coefficients along the strength (one refit per value, in a worker process)
    and the validation score along it (on the study's folds)."""
    from ...core.diagnostics.curves import validation_curve
    from ...core.diagnostics.isolated import run_isolated
    from ...core.diagnostics.regularization import regularization_path
    from ...core.engine import make_executor

    def work(should_stop: Callable[[], bool], progress: Callable[[int, int], None]) -> Any:
        ctx = context()
        path = run_isolated(regularization_path, ctx, params, name, values,
                            should_stop=should_stop)
        executor = make_executor(ctx, _jobs())
        try:
            curve = validation_curve(ctx, params, name, values, executor,
                                     should_stop=should_stop, on_progress=progress)
        finally:
            executor.shutdown(cancel=should_stop())
        return path, curve

    return work



def predictions_work(project: Path, name: str, trial: int) -> Work:
    """A trial's out-of-fold predictions: kept ones read from the project, else one fit
    per fold of the study in the worker processes (then kept there)."""
    from ...core import engine

    def work(should_stop: Callable[[], bool], progress: Callable[[int, int], None]) -> Any:
        return engine.predictions(project, name, trial, jobs=_jobs(), importance=True,
                                  should_stop=should_stop, on_progress=progress)

    return work
