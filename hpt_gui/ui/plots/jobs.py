"""Heavy diagnostics (validation and learning curves, a refit for the inspector, the
importance) off the GUI thread.

The work is a plain core function with ``should_stop`` and ``on_progress`` callbacks,
run through the window's one adapter for such work (:mod:`hpt_gui.ui.tasks`), on a daemon
thread of its own since a curve may run for minutes; fits run in worker processes, so a
crashing model cannot take the window down. Results come back as queued signals, and only
if they still belong to the study on screen: every change of study starts a new
*generation*, and a job's result from an older one is dropped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from ..tasks import TaskState, run_long

Work = Callable[[Callable[[], bool], Callable[[int, int], None]], Any]

THREAD_NAME = "hpt-gui-diagnostics"
_RELEASE_RETRY_MS = 20  # the helper thread returned its answer but has not ended yet


class BackgroundJob(QObject):
    """Runs ``work(should_stop, on_progress)`` once on a helper thread.

    Its signals are emitted on the GUI thread: the helper thread only emits the private
    ``_arrived``, which Qt queues over. The job stays referenced (in ``_RUNNING``) until
    its thread has ended and is released from the GUI thread, so the QObject is never
    destroyed off its thread.
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    _arrived = Signal(str, object)  # kind ("progress", "done", "failed"), payload

    def __init__(self, work: Work) -> None:
        super().__init__()  # no parent: a closing panel must not delete a running job
        self._work = work
        self._state = TaskState()  # only its stop flag: answers travel through _arrived
        self._thread: threading.Thread | None = None
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        if _QUITTING.is_set():  # its worker processes would outlive the app
            return
        _RUNNING.add(self)
        self._thread = run_long(self._run, THREAD_NAME)

    def cancel(self) -> None:
        self._state.request_interruption()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, ms: int) -> bool:
        """Wait up to ``ms`` milliseconds for the thread to end; True if it has."""
        if self._thread is None:
            return True
        self._thread.join(max(0, ms) / 1000)
        return not self._thread.is_alive()

    def _run(self) -> None:
        """On the helper thread: run the work, send its answer, touch nothing else."""
        state = self._state
        try:
            result = self._work(state.is_interruption_requested,
                                lambda done, total: self._send("progress", (done, total)))
        except Exception as exc:  # shown to the user as a sentence, never a traceback
            kind, payload = "failed", _sentence(exc)
        else:
            if state.is_interruption_requested():
                kind, payload = "failed", "Cancelled."
            else:
                kind, payload = "done", result
        self._send(kind, payload)

    def _send(self, kind: str, payload: object) -> None:
        """Queue an answer to the GUI thread; once the app has gone (the interpreter is
        ending while this daemon thread still ran) there is no one to tell."""
        try:
            self._arrived.emit(kind, payload)
        except RuntimeError:  # "Signal source has been deleted"
            pass

    @Slot(str, object)
    def _deliver(self, kind: str, payload: object) -> None:
        """On the GUI thread: pass the answer on, then let the job go once it ended."""
        if kind == "progress":
            self.progressed.emit(*payload)
            return
        try:
            if kind == "done":
                self.finished.emit(payload)
            else:
                self.failed.emit(payload)
        finally:
            # Not from inside this slot: dropping the last reference there would delete
            # the object while Qt delivers it an event.
            job = self
            QTimer.singleShot(0, lambda: _release(job))


def _release(job: BackgroundJob) -> None:
    """On the GUI thread: forget an ended job (its last reference goes here, not on the
    helper thread); if the thread has not quite ended yet, look again shortly."""
    if job.is_running():
        QTimer.singleShot(_RELEASE_RETRY_MS, lambda: _release(job))
        return
    _RUNNING.discard(job)


_RUNNING: set[BackgroundJob] = set()
_QUITTING = threading.Event()


def refuse_new_jobs() -> None:
    """The app is quitting: a job asked for now (a refresh still queued when the window
    closed) is not started; its worker processes would outlive the app (with a QThread,
    one started after ``stop_all_jobs`` aborted the process)."""
    _QUITTING.set()


def stop_all_jobs(seconds: float = 30.0) -> None:
    """Cancel every diagnostics job and wait, within ``seconds``, for their threads to end
    (the app is quitting: their worker processes are shut down cleanly)."""
    deadline = time.monotonic() + seconds
    jobs = list(_RUNNING)
    for job in jobs:
        job.cancel()
    for job in jobs:
        job.wait(int(1000 * max(0.0, deadline - time.monotonic())))


class JobRunner(QObject):
    """The diagnostics jobs of one panel: one of each kind at a time, results only for the
    current generation, all cancelled when the study changes or the window closes."""

    busy_changed = Signal(str, bool)  # kind, running

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self._jobs: dict[str, BackgroundJob] = {}

    def running(self, kind: str) -> bool:
        return kind in self._jobs

    def idle(self) -> bool:
        return not self._jobs

    def new_generation(self) -> None:
        """The study changed: what is running now no longer matters."""
        self.generation += 1
        for job in self._jobs.values():
            job.cancel()

    def start(self, kind: str, work: Work, done: Callable[[Any], None],
              failed: Callable[[str], None] | None = None,
              progress: Callable[[int, int], None] | None = None,
              cleanup: Callable[[], None] | None = None) -> bool:
        """Start ``work`` unless a job of this kind runs; False if it was not started.
        ``cleanup`` runs when it ends whatever happened (hide its progress bar)."""
        if kind in self._jobs:
            return False
        generation = self.generation
        job = BackgroundJob(work)
        self._jobs[kind] = job
        if progress is not None:
            job.progressed.connect(
                lambda done_, total: generation == self.generation and progress(done_, total))

        def end(result: Any, ok: bool) -> None:
            if not shiboken6.isValid(self):  # the panel was closed while the job ran
                return
            self._jobs.pop(kind, None)
            if cleanup is not None:
                cleanup()
            self.busy_changed.emit(kind, False)
            if generation != self.generation:
                return  # another study is on screen now
            if ok:
                done(result)
            elif failed is not None:
                failed(result)

        job.finished.connect(lambda result: end(result, True))
        job.failed.connect(lambda message: end(message, False))
        job.start()
        self.busy_changed.emit(kind, True)
        return True

    def shutdown(self, seconds: float = 30.0) -> None:
        """Cancel everything and wait for the threads, all within ``seconds``."""
        deadline = time.monotonic() + seconds
        jobs = list(self._jobs.values())
        for job in jobs:
            job.cancel()
        for job in jobs:
            job.wait(int(1000 * max(0.0, deadline - time.monotonic())))


def _sentence(exc: Exception) -> str:
    from ...core.diagnostics.curves import CurveCancelled

    if isinstance(exc, CurveCancelled):
        return "Cancelled."
    text = str(exc).strip()
    return text if text else type(exc).__name__
