"""The window's worker runs a study on a Dask cluster when the request names one."""

import logging

import pytest

pytest.importorskip("pytestqt")
distributed = pytest.importorskip("distributed", reason="needs the cluster extra")

from hpt_gui.core.space import SearchSpace  # noqa: E402
from hpt_gui.ui.worker import StudyRequest, StudyWorker  # noqa: E402

SPACE = {"max_depth": {"type": "categorical", "choices": [1, 3]},
         "min_samples_leaf": {"type": "categorical", "choices": [1, 10]}}


def _run(request):
    worker, outcome = StudyWorker(), {}
    worker.failed.connect(lambda name, message: outcome.update(failed=message))
    worker.finished.connect(lambda name, result: outcome.update(finished=result))
    worker.run(request)  # here, synchronously: the signals are delivered directly
    return outcome


def _request(tmp_path, cluster):
    return StudyRequest(name="dt", data="demo:iris", target="target",
                        model="DecisionTreeClassifier", project=tmp_path / "p.hpt",
                        space=SearchSpace.from_json(SPACE), strategy="grid", cv=3,
                        cluster=cluster)


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # an in-process scheduler's socket
def test_the_worker_runs_the_study_on_the_cluster(qtbot, tmp_path):
    # Threads, not processes: this checks the routing; tests/core/test_cluster.py checks
    # the scores with worker processes.
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        outcome = _run(_request(tmp_path, cluster.scheduler_address))
    assert "failed" not in outcome, outcome.get("failed")
    assert len(outcome["finished"].trials) == 4


def test_a_bad_cluster_address_is_a_sentence(qtbot, tmp_path):
    outcome = _run(_request(tmp_path, "nonsense"))
    assert outcome["failed"].startswith("'nonsense' is not a Dask scheduler address")


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_the_window_runs_a_study_on_the_cluster(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from hpt_gui.ui.main_window import MainWindow

    window = MainWindow(tmp_path / "p.hpt", settings=QSettings(
        str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.load_data("demo:iris")
    space = tmp_path / "space.json"
    space.write_text('{"max_depth": {"type": "categorical", "choices": [1, 3]}}')
    window.space_editor.select_models(["DecisionTreeClassifier"])
    window.space_editor.load_space("DecisionTreeClassifier", space)
    panel = window.settings_panel
    panel.strategy.setCurrentIndex(panel.strategy.findData("grid"))
    panel.cv.setValue(3)
    form = panel._computer_form
    assert form.isRowVisible(panel.jobs) and not form.isRowVisible(panel.cluster)
    panel.run_on.setCurrentIndex(panel.run_on.findData("cluster"))
    assert not form.isRowVisible(panel.jobs) and form.isRowVisible(panel.cluster)

    panel.cluster.setText("my-server")  # not an address: nothing is queued
    window.run_studies()
    assert window.queue.entries == []
    assert "tcp://HOST:PORT" in window.statusBar().currentMessage()

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp", host="127.0.0.1", dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        panel.cluster.setText(address.removeprefix("tcp://"))  # tcp:// may be left out
        assert "on the Dask cluster's workers" in panel.cost.text()
        window.run_studies()
        entry = window.queue.entries[-1]
        assert entry.request.cluster == address
        qtbot.waitUntil(lambda: entry.state in ("finished", "failed"), timeout=60_000)
    assert entry.state == "finished", entry.message
    window.results.reload()
    trials = window.results._studies["DecisionTreeClassifier grid"][1]
    assert sorted(t.params["max_depth"] for t in trials) == [1, 3]
    assert all(len(t.folds) == 3 for t in trials)
