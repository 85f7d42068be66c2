"""StudyWorker: a QObject on its own QThread that plans and runs one study at a time.

The core reports through plain callbacks; this adapter turns them into Qt signals, which
reach the GUI thread as queued calls carrying immutable records. The GUI thread never
plans, fits or scores anything.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from ..core.request import StudyRequest  # the window's requests are the core's (re-exported)


class StudyWorker(QObject):
    """Runs requests on the thread it was moved to; cancel() is safe from any thread."""

    started = Signal(str)  # study name
    trial_finished = Signal(str, object)  # study name, TrialRecord
    progressed = Signal(str, object)  # study name, Progress
    failed = Signal(str, str)  # study name, a sentence for the user
    finished = Signal(str, object)  # study name, StudyResult

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._stopping: set[int] = set()

    def cancel(self, run_id: int) -> None:
        """Ask that run to stop, even if it has not begun on the worker thread yet;
        its finished trials stay saved."""
        with self._lock:
            self._stopping.add(run_id)

    def _should_stop(self, run_id: int) -> bool:
        with self._lock:
            return run_id in self._stopping

    @Slot(object)
    def run(self, request: StudyRequest) -> None:
        """Plan and run one study; every outcome ends in finished or failed."""
        from ..core import engine

        name = request.name
        self.started.emit(name)
        try:
            # Always in worker processes, even for one job: a fit that crashes in native
            # code cannot take the window down, and a cancel ends it at once. A nested
            # run's trials are shown under the search they belong to ('NAME [outer 2/5]');
            # progress counts all the searches, on the queue's entry for NAME.
            result = engine.run(
                request, processes=True,
                on_trial=lambda study, trial: self.trial_finished.emit(study, trial),
                on_progress=lambda progress: self.progressed.emit(name, progress),
                should_stop=lambda: self._should_stop(request.run_id),
            )
        except Exception as exc:  # every failure becomes a sentence in the window
            self._forget(request.run_id)
            self.failed.emit(name, user_message(exc))
            return
        self._predict_best(request, result)
        self._forget(request.run_id)
        self.finished.emit(name, result)

    def _predict_best(self, request: StudyRequest, result: Any) -> None:
        """The best trial's out-of-fold predictions, kept in the project for the results'
        How it errs view: one more fit per fold, on this computer's workers (not after a
        nested run, whose trials belong to its outer searches, nor on a Dask cluster, nor
        once the user cancelled). Their failure is no failure of the study: the view
        offers to compute them again and then says what went wrong."""
        from ..core import engine

        if request.nested or request.cluster is not None or self._should_stop(request.run_id) \
                or getattr(result, "best", None) is None:  # (no trial completed)
            return
        try:
            engine.predictions(result.project, request.name, None, jobs=request.workers,
                               should_stop=lambda: self._should_stop(request.run_id))
        except Exception:  # noqa: S110 (said by the view when asked again)
            pass

    def _forget(self, run_id: int) -> None:
        with self._lock:
            self._stopping.discard(run_id)


def user_message(exc: BaseException) -> str:
    """The sentence to show: the user's own mistakes verbatim, anything else briefly."""
    from ..core.engine import is_sentence

    if is_sentence(exc):
        return str(exc)
    return (f"The study stopped on an unexpected error ({type(exc).__name__}: {exc}). "
            "Finished trials are saved; try running it again.")


__all__ = ["StudyRequest", "StudyWorker", "user_message"]
