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
