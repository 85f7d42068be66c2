"""Heavy diagnostics (validation and learning curves, a refit for the inspector, the
importance) off the GUI thread.

The work is a plain core function with ``should_stop`` and ``on_progress`` callbacks,
run on a QThread; fits run in worker processes, so a crashing model cannot take the
window down. Results come back as queued signals, and only if they still belong to the
study on screen: every change of study starts a new *generation*, and a job's result
from an older one is dropped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal

Work = Callable[[Callable[[], bool], Callable[[int, int], None]], Any]


class BackgroundJob(QObject):
    """Runs ``work(should_stop, on_progress)`` once on its own thread."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Work) -> None:
        super().__init__()  # no parent: a closing panel must not delete a running thread
        self._work = work
        self._stop = threading.Event()
        self._thread = QThread(self)
        self._thread.setObjectName("hpt-gui-diagnostics")
        self._runner = _Runner(self)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        # Kept alive (in _RUNNING) and deleted only once its thread has ended: deleting a
        # running QThread aborts the process.
        _RUNNING.add(self)
        self._thread.finished.connect(self._release)

    def start(self) -> None:
        if _QUITTING.is_set():  # its thread would outlive the app, and abort the process
            return
        self._thread.start()

    def _release(self) -> None:
        _RUNNING.discard(self)
        self.deleteLater()

    def cancel(self) -> None:
        self._stop.set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int) -> bool:
        return self._thread.wait(max(0, ms))


_RUNNING: set[BackgroundJob] = set()
_QUITTING = threading.Event()


def refuse_new_jobs() -> None:
    """The app is quitting: a job asked for now (a refresh still queued when the window
    closed) is not started. One started after ``stop_all_jobs`` aborted the process
    ("QThread: Destroyed while thread is still running")."""
    _QUITTING.set()


def stop_all_jobs(seconds: float = 30.0) -> None:
    """Cancel every diagnostics job and wait for their threads (the app is quitting)."""
    deadline = time.monotonic() + seconds
    jobs = list(_RUNNING)
    for job in jobs:
        job.cancel()
    for job in jobs:
        job.wait(int(1000 * max(0.0, deadline - time.monotonic())))


class _Runner(QObject):
    def __init__(self, job: BackgroundJob) -> None:
        super().__init__()
        self._job = job

    def run(self) -> None:
        job = self._job
        try:
            result = job._work(job._stop.is_set, lambda done, total: job.progressed.emit(
                done, total))
        except Exception as exc:  # shown to the user as a sentence, never a traceback
            job.failed.emit(_sentence(exc))
        else:
            if job._stop.is_set():
                job.failed.emit("Cancelled.")
            else:
                job.finished.emit(result)
        finally:
            job._thread.quit()


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
            job.wait(int(1000 * (deadline - time.monotonic())))


def _sentence(exc: Exception) -> str:
    from ...core.diagnostics.curves import CurveCancelled

    if isinstance(exc, CurveCancelled):
        return "Cancelled."
    text = str(exc).strip()
    return text if text else type(exc).__name__
