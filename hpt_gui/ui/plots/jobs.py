"""Heavy diagnostics (validation and learning curves, a refit for the inspector) off the
GUI thread: the work is a plain core function with ``should_stop`` and ``on_progress``
callbacks, run on a QThread; its fits run in worker processes, so a crashing model cannot
take the window down. Results come back as queued signals."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

Work = Callable[[Callable[[], bool], Callable[[int, int], None]], Any]


class BackgroundJob(QObject):
    """Runs ``work(should_stop, on_progress)`` once on its own thread."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._stop = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("hpt-gui-diagnostics")
        self._runner = _Runner(self)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._stop.set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30000) -> bool:
        return self._thread.wait(ms)


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


def _sentence(exc: Exception) -> str:
    from ...core.diagnostics.curves import CurveCancelled

    if isinstance(exc, CurveCancelled):
        return "Cancelled."
    text = str(exc).strip()
    return text if text else type(exc).__name__
