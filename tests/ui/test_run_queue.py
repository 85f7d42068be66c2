"""The run queue: studies run on the worker thread, pause/resume keeps trials, cancel,
and a study interrupted earlier is resumed with one click from the results page."""

import gc
import weakref
from dataclasses import replace

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402

from hpt_gui.core.runner import Progress, run_study  # noqa: E402
from hpt_gui.core.store import ProjectStore, TrialState  # noqa: E402
from hpt_gui.core.study import plan_study  # noqa: E402
from hpt_gui.ui.main_window import MainWindow  # noqa: E402
from hpt_gui.ui.run_queue import (  # noqa: E402
    CANCELLED,
    FINISHED,
    PAUSED,
    RUNNING,
    QueuedStudy,
    RunQueue,
    RunQueueView,
)
from hpt_gui.ui.worker import StudyRequest  # noqa: E402


def _request(tmp_path, name="knn", trials=30, model="KNeighborsClassifier"):
    return StudyRequest(name=name, data="demo:iris", target="target", model=model,
                        project=tmp_path / "p.hpt", strategy="random", trials=trials, cv=3)


@pytest.fixture
def queue(qtbot):
    queue = RunQueue()
    yield queue
    queue.shutdown()


def test_a_queued_study_runs_on_the_worker_and_streams_trials(qtbot, tmp_path, queue):
    seen = []
    queue.trial_finished.connect(lambda name, trial: seen.append((name, trial.number)))
    with qtbot.waitSignal(queue.study_finished, timeout=120_000):
        queue.add(_request(tmp_path, trials=4))
    assert queue.entries[0].state == FINISHED
    assert sorted(n for _, n in seen) == [0, 1, 2, 3]


def test_a_finished_study_leaves_its_trials_to_the_project_file(qtbot, tmp_path, queue):
    """The queue keeps a finished study's state, not its result: the result holds every
    trial, which the project file (and the results page) already have."""
    results = []
    queue.study_finished.connect(lambda name, result: results.append(weakref.ref(result)))
    with qtbot.waitSignal(queue.study_finished, timeout=120_000):
        queue.add(_request(tmp_path, trials=3))
    assert queue.entries[0].state == FINISHED and queue.entries[0].done == 3
    gc.collect()
    assert results[0]() is None


def test_pause_then_resume_keeps_trials_and_finishes_the_budget(qtbot, tmp_path, queue):
    queue.add(_request(tmp_path, trials=30))
    qtbot.waitUntil(lambda: queue.entries[0].done >= 2, timeout=120_000)
    with qtbot.waitSignal(queue.study_finished, timeout=120_000):
        queue.pause(0)
    assert queue.entries[0].state == PAUSED
    with ProjectStore(tmp_path / "p.hpt") as store:
        kept = len(store.trials("knn"))
    assert 2 <= kept < 30
    with qtbot.waitSignal(queue.study_finished, timeout=120_000):
        queue.resume(0)
    assert queue.entries[0].state == FINISHED
    with ProjectStore(tmp_path / "p.hpt") as store:
        assert [t.number for t in store.trials("knn")] == list(range(30))


def test_cancel_a_waiting_study_and_reorder(qtbot, tmp_path, queue):
    queue.add(_request(tmp_path, name="a", trials=200, model="RandomForestClassifier"))
    queue.add(_request(tmp_path, name="b", trials=2))
    queue.add(_request(tmp_path, name="c", trials=2))
    queue.move(2, -1)
    assert [e.name for e in queue.entries] == ["a", "c", "b"]
    queue.cancel(2)
    assert queue.entries[2].state == CANCELLED
    with qtbot.waitSignal(queue.study_finished, timeout=120_000):
        queue.cancel(0)
    qtbot.waitUntil(lambda: queue.entries[1].state == FINISHED, timeout=120_000)
    assert queue.entries[0].state == CANCELLED and queue.entries[2].state == CANCELLED


def test_an_interrupted_study_resumes_with_one_click(qtbot, tmp_path):
    plan = plan_study(data="demo:iris", target="target", model="GaussianNB",
                      strategy="random", trials=6, cv=3, name="nb")
    seen = []
    run_study(plan, tmp_path / "p.hpt", on_trial=seen.append,
              should_stop=lambda: len(seen) >= 2)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(tmp_path / "p.hpt", settings=settings)
    qtbot.addWidget(window)
    window.open_project(tmp_path / "p.hpt")
    results = window.results
    assert results.studies() == ["nb"] and not results.resume_button.isHidden()
    with qtbot.waitSignal(window.queue.study_finished, timeout=120_000):
        results.resume_button.click()
    qtbot.waitUntil(lambda: results.table.model.rowCount() == 6, timeout=30_000)
    window.close()


def test_cancel_marks_the_running_trials_and_keeps_the_finished(qtbot, tmp_path, queue):
    seen = []
    queue.trial_finished.connect(lambda name, trial: seen.append(trial))
    request = _request(tmp_path, name="rf", trials=40, model="RandomForestClassifier")
    queue.add(replace(request, jobs=2))
    qtbot.waitUntil(lambda: queue.entries[0].done >= 1, timeout=120_000)
    with qtbot.waitSignal(queue.study_finished, timeout=120_000):
        queue.cancel(0)
    entry = queue.entries[0]
    assert entry.state == CANCELLED
    cancelled = [t for t in seen if t.state is TrialState.CANCELLED]
    assert cancelled, "the trials running at the cancel are shown as cancelled"
    with ProjectStore(tmp_path / "p.hpt") as store:
        stored = store.trials("rf")
    assert {t.number for t in stored if t.state is TrialState.CANCELLED} == {
        t.number for t in cancelled}
    assert entry.done == len(stored) - len(cancelled) >= 1


def _running(queue, tmp_path, name="quick"):
    """An entry shown as running, fed progress as the worker would send it."""
    entry = QueuedStudy(_request(tmp_path, name=name, trials=10_000), state=RUNNING)
    queue.entries.append(entry)
    queue.changed.emit()
    return entry


def _progress(done):
    return Progress(done=done, total=10_000, running=2, elapsed=1.0, eta=60.0, best=None)


def test_a_burst_of_progress_reaches_the_views_once(qtbot, tmp_path, queue):
    """Quick trials send progress hundreds of times a second: the views hear of it once
    per burst, with the latest numbers, not once per trial."""
    entry = _running(queue, tmp_path)
    told = []
    queue.changed.connect(lambda: told.append(entry.done))
    for done in range(1, 201):
        queue._worker.progressed.emit("quick", _progress(done))
    assert entry.done == 200 and told == []  # the numbers are current, the views wait
    with qtbot.waitSignal(queue.changed, timeout=10_000):
        pass
    qtbot.wait(50)
    assert told == [200]


def test_the_queue_view_updates_its_rows_in_place(qtbot, tmp_path, queue):
    """Progress updates the shown row (no new widgets per update); a new entry rebuilds."""
    view = RunQueueView(queue)
    qtbot.addWidget(view)
    entry = _running(queue, tmp_path)
    row = view.list.itemWidget(view.list.item(0))
    entry.done, entry.total, entry.eta = 1234, 10_000, 60.0
    queue.changed.emit()
    assert view.list.itemWidget(view.list.item(0)) is row
    assert row.bar.value() == 1234 and row.bar.format() == "1,234 / 10,000 trials"
    assert "left" in row.info.text()
    queue.entries.append(QueuedStudy(_request(tmp_path, name="next")))
    queue.changed.emit()
    assert view.list.count() == 2
    assert view.list.itemWidget(view.list.item(1)).bar.format() == "waiting to start"


def test_pause_and_cancel_act_on_the_running_study_whatever_row_is_selected(qtbot, tmp_path,
                                                                           queue):
    """Issue 17.5: the selection sits on a finished row; Pause and Cancel still work."""
    view = RunQueueView(queue)
    qtbot.addWidget(view)
    with qtbot.waitSignal(queue.study_finished, timeout=120_000):
        queue.add(_request(tmp_path, name="done", trials=2))
    queue.add(_request(tmp_path, name="long", trials=300))
    qtbot.waitUntil(lambda: queue.entries[1].state == RUNNING and queue.entries[1].done >= 1,
                    timeout=120_000)
    view.list.setCurrentRow(0)  # the finished study
    assert view.buttons["pause"].isEnabled() and view.buttons["cancel"].isEnabled()
    with qtbot.waitSignal(queue.study_finished, timeout=120_000):
        view.buttons["pause"].click()
    assert [e.state for e in queue.entries] == [FINISHED, PAUSED]
    queue.resume(1)
    qtbot.waitUntil(lambda: queue.entries[1].state == RUNNING, timeout=30_000)
    view.list.setCurrentRow(0)
    with qtbot.waitSignal(queue.study_finished, timeout=120_000):
        view.buttons["cancel"].click()
    assert [e.state for e in queue.entries] == [FINISHED, CANCELLED]
