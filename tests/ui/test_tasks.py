"""The one adapter for work off the GUI thread: answers arrive on the GUI thread, only the
latest task's answer is delivered, errors are sentences, and nothing waits on close."""

import threading
import time

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QThread  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from hpt_gui.ui.tasks import TaskRunner, TaskState  # noqa: E402


@pytest.fixture
def runner(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    yield TaskRunner(owner)
    owner.close()


def test_the_result_arrives_on_the_gui_thread(runner, qtbot):
    threads = {}

    def task(state: TaskState) -> int:
        threads["task"] = QThread.currentThread()
        return 42

    got = []

    def done(value: int) -> None:
        threads["callback"] = QThread.currentThread()
        got.append(value)

    runner.start(task, on_done=done)
    qtbot.waitUntil(lambda: got == [42], timeout=5000)
    gui = runner.thread()
    assert threads["callback"] is gui
    assert threads["task"] is not gui
    assert not runner.is_running()


def test_progress_is_reported_on_the_gui_thread(runner, qtbot):
    values = []

    def task(state: TaskState) -> str:
        for percent in (25, 50, 100):
            state.set_progress_value(percent)
        return "ok"

    results = []
    runner.start(task, on_done=results.append, on_progress=values.append)
    qtbot.waitUntil(lambda: results == ["ok"], timeout=5000)
    assert values == [25.0, 50.0, 100.0]


def test_a_cancelled_task_is_told_to_stop_and_delivers_nothing(runner, qtbot):
    started, stopped = threading.Event(), threading.Event()

    def task(state: TaskState) -> str:
        started.set()
        while not state.is_interruption_requested():
            time.sleep(0.005)
        stopped.set()
        return "too late"

    got, errors = [], []
    runner.start(task, on_done=got.append, on_error=errors.append)
    assert started.wait(5)
    runner.cancel()
    assert stopped.wait(5)
    qtbot.wait(100)
    assert got == [] and errors == [] and not runner.is_running()


def test_a_superseded_result_is_ignored(runner, qtbot):
    release, started = threading.Event(), threading.Event()

    def slow(state: TaskState) -> str:
        started.set()
        release.wait(5)
        return "old"

    got = []
    first = runner.start(slow, on_done=got.append)
    assert started.wait(5)
    runner.start(lambda state: "new", on_done=got.append)
    assert first.is_interruption_requested()
    qtbot.waitUntil(lambda: got == ["new"], timeout=5000)
    release.set()
    assert first.future.result(5) == "old"  # it ran to its end ...
    qtbot.wait(100)
    assert got == ["new"]  # ... and its answer was dropped


def test_an_error_arrives_as_a_sentence(runner, qtbot):
    def broken(state: TaskState) -> None:
        raise KeyError("age")

    errors = []
    runner.start(broken, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["It could not be done because of an unexpected problem "
                      "(KeyError: 'age')."]

    def user_error(state: TaskState) -> None:
        raise ValueError("The column 'age' holds no numbers.")

    errors.clear()
    runner.start(user_error, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["The column 'age' holds no numbers."]


def test_closing_while_a_task_runs_returns_at_once(qtbot):
    owner = QWidget()
    runner = TaskRunner(owner)
    release = threading.Event()
    started = threading.Event()

    def endless(state: TaskState) -> str:  # never looks at its state, like a long read
        started.set()
        release.wait(10)
        return "late"

    got = []
    runner.start(endless, on_done=got.append)
    assert started.wait(5)
    began = time.monotonic()
    runner.shutdown()
    owner.close()
    owner.deleteLater()
    qtbot.wait(50)
    assert time.monotonic() - began < 0.5
    release.set()  # it ends after its runner is gone: nothing is delivered, nothing breaks
    qtbot.wait(100)
    assert got == []
    assert runner.start(lambda state: "after close").is_interruption_requested() \
        if not _deleted(runner) else True


def test_wait_runs_the_event_loop_until_the_answer_came(runner, qtbot):
    got = []
    runner.start(lambda state: time.sleep(0.05) or "done", on_done=got.append)
    assert runner.wait(5)
    assert got == ["done"]


def _deleted(obj) -> bool:
    import shiboken6

    return not shiboken6.isValid(obj)


def test_a_long_job_gets_a_daemon_thread_of_its_own():
    """A curve running for minutes must not hold one of the pool's few threads."""
    from hpt_gui.ui.tasks import run_long

    release, names = threading.Event(), []

    def work() -> None:
        names.append(threading.current_thread().name)
        release.wait(5)

    thread = run_long(work, "hpt-gui-test-long")
    assert thread.daemon and thread.is_alive()
    release.set()
    thread.join(5)
    assert not thread.is_alive() and names == ["hpt-gui-test-long"]
