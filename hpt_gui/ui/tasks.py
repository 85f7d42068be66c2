"""The one way the window leaves its GUI thread for a piece of work.

In the style of Orange's ``TaskState`` / ``ConcurrentWidgetMixin``: a task is a plain
function given a :class:`TaskState` (it may report progress and should look at
``is_interruption_requested()`` between steps); it runs on a small pool of helper
threads; its result, or its error as a sentence, comes back on the GUI thread through a
queued signal. A :class:`TaskRunner` runs one *kind* of task: starting a new one cancels
the old one and drops its result, so the screen never shows an answer to an older
question.

The helper threads are daemons: a task still running when the window closes (reading a
big file) neither blocks the close nor keeps the process alive. Nothing here ever waits
without a bound on the GUI thread. A long job (a learning curve running fits for minutes)
gets a daemon thread of its own through :func:`run_long`, so it never holds one of the
pool's few threads.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer, Signal, Slot

POOL_THREADS = 4  # a cancelled task that cannot stop early still holds one until it ends


class TaskCancelled(Exception):
    """Raised by :meth:`TaskState.check` when the task's answer is no longer wanted."""


class TaskState:
    """What a running task sees: where to report progress and whether to stop."""

    def __init__(self, relay: _Relay | None = None, token: int = 0) -> None:
        self._stop = threading.Event()
        self._relay = relay
        self._token = token
        self.future: Future[Any] = Future()

    def is_interruption_requested(self) -> bool:
        """True once the task was cancelled or superseded: stop soon, the result is dropped."""
        return self._stop.is_set()

    def request_interruption(self) -> None:
        self._stop.set()

    def check(self) -> None:
        """Raise :class:`TaskCancelled` when interrupted (a short way to stop between steps)."""
        if self._stop.is_set():
            raise TaskCancelled

    def set_progress_value(self, value: float) -> None:
        """Progress in percent (0 to 100), shown on the GUI thread if the task is current."""
        self._send("progress", float(value))

    def set_status(self, text: str) -> None:
        """A short sentence saying what the task is doing now."""
        self._send("status", str(text))

    def _send(self, kind: str, payload: object) -> None:
        if self._relay is None or self._stop.is_set():
            return
        try:
            self._relay.arrived.emit(self._token, kind, payload)
        except RuntimeError:  # the runner was deleted with its window meanwhile
            pass


class _Relay(QObject):
    """Lives on the GUI thread; helper threads emit into it, Qt queues the call over."""

    arrived = Signal(int, str, object)


def default_sentence(exc: BaseException) -> str:
    """An error as the sentence the user reads (never a traceback)."""
    text = str(exc).strip()
    if isinstance(exc, ValueError) and text:  # the core's user errors are ValueErrors
        return text
    return f"It could not be done because of an unexpected problem ({type(exc).__name__}: " \
           f"{text or 'no details'})."


class TaskRunner(QObject):
    """Runs one kind of task at a time off the GUI thread; the latest start wins.

    ``start(fn, on_done=..., on_error=..., on_progress=...)`` runs ``fn(state)`` on the
    pool; the callbacks run on the GUI thread, and only for the task started last and
    not cancelled. ``sentence`` turns an exception into what ``on_error`` receives.
    """

    finished = Signal()  # the current task ended (after its callback), however it ended

    def __init__(self, parent: QObject | None = None,
                 sentence: Callable[[BaseException], str] = default_sentence) -> None:
        super().__init__(parent)
        self._sentence = sentence
        self._relay = _Relay(self)
        self._relay.arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)
        self._token = 0
        self._state: TaskState | None = None
        self._callbacks: dict[str, Callable[[Any], None] | None] = {}
        self._closed = False

    def start(self, fn: Callable[[TaskState], Any], *,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None,
              on_progress: Callable[[float], None] | None = None) -> TaskState:
        """Cancel the task running now (its result is dropped) and start ``fn(state)``."""
        self.cancel()
        self._token += 1
        state = TaskState(self._relay, self._token)
        if self._closed:
            state.request_interruption()
            return state
        self._state = state
        self._callbacks = {"done": on_done, "error": on_error, "progress": on_progress}
        _pool().submit(lambda: _run(fn, state, self._sentence))
        return state

    def cancel(self) -> None:
        """Ask the current task to stop, and drop whatever it would deliver."""
        if self._state is not None:
            self._state.request_interruption()
            self._state = None
            self._callbacks = {}

    def shutdown(self) -> None:
        """Cancel and refuse new tasks (the window closes); returns at once."""
        self._closed = True
        self.cancel()

    def is_running(self) -> bool:
        """True while the task started last has not delivered its answer."""
        return self._state is not None

    def wait(self, timeout: float = 30.0) -> bool:
        """Run the event loop until the current task delivered (for scripts and tests);
        True if it did within ``timeout`` seconds. The GUI thread stays responsive."""
        deadline = time.monotonic() + timeout
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        try:
            while self.is_running() and time.monotonic() < deadline:
                QTimer.singleShot(max(1, int(1000 * (deadline - time.monotonic()))), loop.quit)
                loop.exec()
        finally:
            self.finished.disconnect(loop.quit)
        QCoreApplication.sendPostedEvents()
        return not self.is_running()

    @Slot(int, str, object)
    def _on_arrived(self, token: int, kind: str, payload: object) -> None:
        if token != self._token or self._state is None:
            return  # superseded or cancelled: its answer is no longer wanted
        if kind in ("progress", "status"):
            callback = self._callbacks.get("progress") if kind == "progress" else None
            if callback is not None:
                callback(payload)
            return
        callback = self._callbacks.get(kind)
        self._state = None
        self._callbacks = {}
        try:
            if callback is not None:
                callback(payload)
        finally:
            self.finished.emit()


def _run(fn: Callable[[TaskState], Any], state: TaskState,
         sentence: Callable[[BaseException], str]) -> None:
    """On a helper thread: run the task and send its answer (unless it was cancelled)."""
    if state.is_interruption_requested():
        state.future.cancel()
        return
    try:
        result = fn(state)
    except TaskCancelled:
        state.future.cancel()
        return
    except Exception as exc:  # the user reads a sentence, never a traceback
        state.future.set_exception(exc)
        kind, payload = "error", _safe_sentence(sentence, exc)
    else:
        state.future.set_result(result)
        kind, payload = "done", result
    if state.is_interruption_requested() or state._relay is None:
        return
    try:
        state._relay.arrived.emit(state._token, kind, payload)
    except RuntimeError:  # the runner was deleted with its window meanwhile
        pass


def run_long(work: Callable[[], None], name: str = "hpt-gui-long-task") -> threading.Thread:
    """Run ``work()`` on a daemon thread of its own and return that thread (started).

    For jobs that may run for minutes; the caller keeps the thread to ``join`` it with a
    bound (on quit) and sends its answers to the GUI thread itself (a queued signal).
    ``work`` must catch its own errors: what escapes is printed by :mod:`threading`.
    """
    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    return thread


def _safe_sentence(sentence: Callable[[BaseException], str], exc: BaseException) -> str:
    try:
        return sentence(exc)
    except Exception:
        return default_sentence(exc)


class _DaemonPool:
    """A few daemon threads taking work from a queue, started as they are needed.

    Not ``concurrent.futures.ThreadPoolExecutor``: its threads are joined when Python
    exits, so quitting during a long read would wait for the read to end.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._work: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._waiting = 0  # threads ready for work
        self._lock = threading.Lock()

    def submit(self, work: Callable[[], None]) -> None:
        self._work.put(work)
        with self._lock:
            if self._waiting < self._work.qsize() and len(self._threads) < self._size:
                thread = threading.Thread(target=self._serve, daemon=True,
                                          name=f"hpt-gui-task-{len(self._threads) + 1}")
                self._threads.append(thread)
                thread.start()

    def _serve(self) -> None:
        while True:
            with self._lock:
                self._waiting += 1
            work = self._work.get()
            with self._lock:
                self._waiting -= 1
            try:
                work()
            except Exception:  # _run catches the task's errors; this is a last guard
                pass


_POOL: _DaemonPool | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> _DaemonPool:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = _DaemonPool(POOL_THREADS)
        return _POOL
