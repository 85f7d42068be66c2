"""The run queue: studies run on the worker thread, pause/resume keeps trials, cancel,
and a study interrupted earlier is resumed with one click from the results page."""

from dataclasses import replace

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402

from hpt_gui.core.runner import run_study  # noqa: E402
from hpt_gui.core.store import ProjectStore, TrialState  # noqa: E402
from hpt_gui.core.study import plan_study  # noqa: E402
from hpt_gui.ui.main_window import MainWindow  # noqa: E402
from hpt_gui.ui.run_queue import CANCELLED, FINISHED, PAUSED, RunQueue  # noqa: E402
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
