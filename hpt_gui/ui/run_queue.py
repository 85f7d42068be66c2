"""The run queue: studies waiting, running, paused or done, run one at a time by a worker.

``RunQueue`` is the model (a QObject that owns the worker thread); ``RunQueueView`` shows
it with a progress bar and ETA per study and the buttons to reorder, pause, resume and
cancel. Pausing stops the study after saving its finished trials; resuming runs it again,
which the engine turns into a resume.

Progress arrives once or twice per trial (hundreds a second for quick models); the queue
tells its views at most every ``PROGRESS_MS``, and the view updates its rows in place, so
a fast study never floods the GUI thread.
"""

from __future__ import annotations

import atexit
import weakref
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.format import time_left
from ..core.validation import describe_validation
from .worker import StudyRequest, StudyWorker

QUEUED, RUNNING, PAUSED, CANCELLED, FINISHED, FAILED = (
    "queued", "running", "paused", "cancelled", "finished", "failed")
PROGRESS_MS = 200  # progress reaches the views at most this often
# The states of the selected entry each button acts on.
_ACTS_ON = {"pause": (QUEUED, RUNNING), "resume": (PAUSED, CANCELLED, FAILED),
            "cancel": (QUEUED, RUNNING, PAUSED)}


@dataclass
class QueuedStudy:
    """One entry of the queue and what is known of its run."""

    request: StudyRequest
    state: str = QUEUED
    done: int = 0
    total: int | None = None
    eta: float | None = None
    best: float | None = None
    message: str = ""
    # No StudyResult is kept: it holds every trial of the study, which the project file
    # and the results page already have (a finished 10,000-trial study held them twice).

    @property
    def name(self) -> str:
        return self.request.name


class RunQueue(QObject):
    """Runs queued studies in order on one worker thread."""

    changed = Signal()
    trial_finished = Signal(str, object)
    study_finished = Signal(str, object)  # name, StudyResult
    study_failed = Signal(str, str)
    _run_requested = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[QueuedStudy] = []
        self._thread = QThread()
        self._thread.setObjectName("hpt-gui study worker")
        self._worker = StudyWorker()
        self._worker.moveToThread(self._thread)
        self._run_requested.connect(self._worker.run)
        self._worker.trial_finished.connect(self._on_trial_finished)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.failed.connect(self._on_failed)
        self._worker.finished.connect(self._on_finished)
        self._thread.start()
        self._pausing: str | None = None
        self._closed = False
        self._runs = 0
        # Progress changes only numbers: told once per PROGRESS_MS, not once per trial.
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_MS)
        self._progress_timer.timeout.connect(self.changed.emit)
        app = QCoreApplication.instance()
        if app is not None:  # a thread still running at exit aborts the process
            app.aboutToQuit.connect(self.shutdown)
        atexit.register(_shutdown_at_exit, weakref.ref(self))

    # commands ---------------------------------------------------------------------------

    def is_active(self, name: str) -> bool:
        return any(e.name == name and e.state in (QUEUED, RUNNING) for e in self.entries)

    def add(self, request: StudyRequest) -> None:
        """Queue a study (a name already queued and not running is replaced)."""
        if any(e.name == request.name and e.state == RUNNING for e in self.entries):
            return  # the engine would refuse a second run of a running study anyway
        self.entries = [e for e in self.entries if e.name != request.name]
        self.entries.append(QueuedStudy(self._numbered(request)))
        self.changed.emit()
        self._start_next()

    def move(self, index: int, offset: int) -> None:
        target = index + offset
        if 0 <= index < len(self.entries) and 0 <= target < len(self.entries):
            self.entries[index], self.entries[target] = self.entries[target], self.entries[index]
            self.changed.emit()

    def pause(self, index: int) -> None:
        entry = self.entries[index]
        if entry.state == RUNNING:
            self._pausing = entry.name
            self._worker.cancel(entry.request.run_id)
        elif entry.state == QUEUED:
            entry.state = PAUSED
            self.changed.emit()

    def _numbered(self, request: StudyRequest) -> StudyRequest:
        """Each run gets its own id, so a late cancel cannot stop a later run."""
        self._runs += 1
        return replace(request, run_id=self._runs)

    def resume(self, index: int) -> None:
        entry = self.entries[index]
        if entry.state in (PAUSED, CANCELLED, FAILED):
            entry.state, entry.message = QUEUED, ""
            entry.request = self._numbered(entry.request)
            self.changed.emit()
            self._start_next()

    def cancel(self, index: int) -> None:
        entry = self.entries[index]
        if entry.state == RUNNING:
            self._pausing = None
            self._worker.cancel(entry.request.run_id)
        elif entry.state in (QUEUED, PAUSED):
            entry.state = CANCELLED
            self.changed.emit()

    def cancel_running(self) -> None:
        for index, entry in enumerate(self.entries):
            if entry.state == RUNNING:
                self.cancel(index)

    @property
    def running(self) -> QueuedStudy | None:
        return next((e for e in self.entries if e.state == RUNNING), None)

    def entry_named(self, name: str) -> QueuedStudy | None:
        """The queue's entry for a study (names are unique in the queue), if any."""
        return next((e for e in self.entries if e.name == name), None)

    def live_state(self, name: str) -> str | None:
        """'queued', 'running' or 'paused' while the queue holds the study in that state:
        newer than what the project file says (a resumed study stored as 'cancelled')."""
        entry = self.entry_named(name)
        return entry.state if entry is not None and entry.state in (
            QUEUED, RUNNING, PAUSED) else None

    def shutdown(self) -> None:
        """Stop the running study and the worker thread (on window close or exit)."""
        if self._closed:
            return
        self._closed = True
        if self.running is not None:
            self._worker.cancel(self.running.request.run_id)
        self._thread.quit()
        self._thread.wait()

    # worker events -----------------------------------------------------------------------

    def _start_next(self) -> None:
        if self._closed or self.running is not None:
            return
        entry = next((e for e in self.entries if e.state == QUEUED), None)
        if entry is None:
            return
        entry.state = RUNNING
        self.changed.emit()
        self._run_requested.emit(entry.request)

    def _entry(self, name: str) -> QueuedStudy | None:
        return next((e for e in self.entries if e.name == name and e.state == RUNNING), None)

    @Slot(str, object)
    def _on_trial_finished(self, name: str, trial: Any) -> None:
        self.trial_finished.emit(name, trial)

    @Slot(str, object)
    def _on_progressed(self, name: str, progress: Any) -> None:
        entry = self._entry(name)
        if entry is None:
            return
        entry.done, entry.total, entry.eta = progress.done, progress.total, progress.eta
        entry.best = progress.best.mean_test_score if progress.best is not None else None
        if not self._progress_timer.isActive():
            self._progress_timer.start()

    @Slot(str, str)
    def _on_failed(self, name: str, message: str) -> None:
        entry = self._entry(name)
        if entry is not None:
            entry.state, entry.message = FAILED, message
        self.study_failed.emit(name, message)
        self.changed.emit()
        self._start_next()

    @Slot(str, object)
    def _on_finished(self, name: str, result: Any) -> None:
        entry = self._entry(name)
        if entry is not None:
            entry.done = sum(t.state != "CANCELLED" for t in result.trials)
            if result.status == "cancelled":
                entry.state = PAUSED if self._pausing == name else CANCELLED
            else:
                entry.state = FINISHED
                entry.message = result.status if result.status != "finished" else ""
            self._pausing = None
        self.study_finished.emit(name, result)
        self.changed.emit()
        self._start_next()


def _shutdown_at_exit(queue_ref: weakref.ref) -> None:
    queue = queue_ref()
    if queue is not None:
        try:
            queue.shutdown()
        except RuntimeError:  # Qt already deleted the C++ objects
            pass


class RunQueueView(QWidget):
    """The queue as a list with a progress bar per study and its buttons."""

    def __init__(self, queue: RunQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self.list = QListWidget()
        self.list.setSpacing(2)
        self.empty_label = QLabel("No study queued yet. Choose data, models and settings, "
                                  "then press Run (Ctrl+R).")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in [
            ("up", "Move up", lambda i: queue.move(i, -1)),
            ("down", "Move down", lambda i: queue.move(i, 1)),
            ("pause", "Pause", queue.pause),
            ("resume", "Resume", queue.resume),
            ("cancel", "Cancel", queue.cancel),
        ]:
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=key, s=slot: self._apply(k, s))
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._shown: list[int] = []  # ids of the entries the rows show, in order
        queue.changed.connect(self.refresh)
        self.list.currentRowChanged.connect(lambda _: self._update_buttons())
        self.refresh()

    def _apply(self, key: str, slot: Any) -> None:
        row = self._target_row(key)
        if row >= 0:
            slot(row)
            self.list.setCurrentRow(min(self.list.currentRow(), self.list.count() - 1))

    def _target_row(self, key: str) -> int:
        """The row a button acts on: the selected one when it can; else Pause and Cancel
        act on the running study (the selection often sits on a finished row)."""
        row = self.list.currentRow()
        entries = self.queue.entries
        state = entries[row].state if 0 <= row < len(entries) else None
        if key in ("up", "down") or state in _ACTS_ON.get(key, ()):
            return row
        if key in ("pause", "cancel"):
            return next((i for i, e in enumerate(entries) if e.state == RUNNING), -1)
        return -1

    def refresh(self) -> None:
        """Show the entries: rows are updated in place while the entries are the same
        ones in the same order (progress), and rebuilt only when they are not."""
        entries = self.queue.entries
        if [id(e) for e in entries] == self._shown:
            for index, entry in enumerate(entries):
                item = self.list.item(index)
                widget = self.list.itemWidget(item)
                assert isinstance(widget, _EntryWidget)
                widget.show_entry(entry)
                if item.sizeHint() != widget.sizeHint():
                    item.setSizeHint(widget.sizeHint())
            self._update_buttons()
            return
        row = self.list.currentRow()
        self.list.clear()
        self._shown = [id(e) for e in entries]
        for entry in entries:
            item = QListWidgetItem()
            widget = _EntryWidget(entry)
            item.setSizeHint(widget.sizeHint())
            self.list.addItem(item)
            self.list.setItemWidget(item, widget)
        self.empty_label.setVisible(not self.queue.entries)
        self.list.setVisible(bool(self.queue.entries))
        if self.queue.entries:
            self.list.setCurrentRow(max(0, min(row, len(self.queue.entries) - 1)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        entry = self.queue.entries[row] if 0 <= row < len(self.queue.entries) else None
        self.buttons["up"].setEnabled(entry is not None and row > 0)
        self.buttons["down"].setEnabled(entry is not None and row < len(self.queue.entries) - 1)
        for key in _ACTS_ON:
            self.buttons[key].setEnabled(self._target_row(key) >= 0)


class _EntryWidget(QWidget):
    """Name, model, state, a progress bar, and the ETA or the reason it stopped."""

    def __init__(self, entry: QueuedStudy) -> None:
        super().__init__()
        self.title = QLabel()
        self.state = QLabel()
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(220)
        self.info = QLabel()
        self.info.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.state)
        bottom = QHBoxLayout()
        bottom.addWidget(self.bar)
        bottom.addWidget(self.info, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.show_entry(entry)

    def show_entry(self, entry: QueuedStudy) -> None:
        """Fill the row from the entry (again on each progress update)."""
        request = entry.request
        where = f"cluster {request.cluster}" if request.cluster else \
            f"{request.jobs} worker(s)"
        _set_text(self.title, f"<b>{request.name}</b> — {request.model}, {request.strategy} "
                              f"search, {describe_validation(request)}, {where}")
        _set_text(self.state, entry.state.capitalize())
        bar = self.bar
        if entry.state == QUEUED:
            bar.setRange(0, 1)
            bar.setValue(0)
            bar.setFormat("waiting to start")
        elif entry.total:
            bar.setRange(0, entry.total)
            bar.setValue(min(entry.done, entry.total))
            bar.setFormat(f"{entry.done:,} / {entry.total:,} trials")
        else:
            bar.setRange(0, 0 if entry.state == RUNNING else 1)
            bar.reset()  # no value, as on a new bar
            bar.setFormat(f"{entry.done:,} trials")
        details = []
        if entry.best is not None:
            details.append(f"best {entry.best:.3g}")
        if entry.state == RUNNING and entry.eta is not None:
            details.append(f"about {time_left(entry.eta)} left")
        if entry.message:
            details.append(entry.message)
        _set_text(self.info, "  ·  ".join(details))


def _set_text(label: QLabel, text: str) -> None:
    """Set a label's text only when it changed (no relayout for the same words)."""
    if label.text() != text:
        label.setText(text)
