"""The same study on a Dask cluster: a LocalCluster on loopback gives the local pool's scores.

Needs the ``cluster`` extra (``dask[distributed]``, also in the ``test`` extra).
"""

import json
import logging
import subprocess
import sys
import time

import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.executor import LocalProcessExecutor, WorkerDied, is_worker_death
from hpt_gui.core.executor_dask import ClusterError, DaskExecutor
from hpt_gui.core.runner import CANCELLED, FINISHED, run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.store import TrialState
from hpt_gui.core.study import plan_study

distributed = pytest.importorskip("distributed", reason="needs the cluster extra")

SPACE = {"max_depth": {"type": "categorical", "choices": [1, 3]},
         "min_samples_leaf": {"type": "categorical", "choices": [1, 10]}}


@pytest.fixture(scope="module")
def cluster():
    # Worker processes, as on a real cluster (the data and the task travel pickled).
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=logging.ERROR,
    ) as local:
        yield local.scheduler_address


def grid_plan(name="dt"):
    return plan_study(data="demo:iris", target="target", model="DecisionTreeClassifier",
                      name=name, space=SearchSpace.from_json(SPACE), strategy="grid", cv=3)


def fold_scores(trials):
    return {(t.number, f.fold): (f.test_score, f.train_score)
            for t in trials for f in t.folds}


def test_a_grid_on_the_cluster_scores_as_the_local_pool(cluster, tmp_path):
    plan = grid_plan()
    local = run_study(plan, tmp_path / "local.hpt", jobs=2, executor_factory=lambda plan, jobs:
                      LocalProcessExecutor(plan.context, jobs))
    remote = run_study(plan, tmp_path / "cluster.hpt",
                       executor_factory=lambda plan, jobs: DaskExecutor(plan.context, cluster))
    assert local.status == remote.status == FINISHED
    assert len(remote.trials) == 4
    assert all(t.state is TrialState.COMPLETE for t in remote.trials)
    assert [t.params for t in remote.trials] == [t.params for t in local.trials]
    ours, theirs = fold_scores(remote.trials), fold_scores(local.trials)
    assert len(ours) == 12 and ours.keys() == theirs.keys()
    for key, (test, train) in ours.items():
        assert test == pytest.approx(theirs[key][0], abs=1e-12)
        assert train == pytest.approx(theirs[key][1], abs=1e-12)


def test_the_executor_uses_every_worker_thread_and_ships_the_data_once(cluster, monkeypatch):
    scattered = []
    scatter = DaskExecutor._scatter
    monkeypatch.setattr(DaskExecutor, "_scatter",
                        lambda self: scattered.append(1) or scatter(self))
    plan = grid_plan()
    with DaskExecutor(plan.context, cluster) as executor:
        assert executor.workers == 2
        futures = [executor.submit(0, {"max_depth": 1, "min_samples_leaf": 1}, fold)
                   for fold in range(3)]
        results = [future.result(timeout=30) for future in futures]
        holders = executor._client.who_has(executor._data)[executor._data.key]
    # shipped from here once, not per task; the workers then share it among themselves
    # (Dask's memory manager may drop the second copy a moment after the broadcast, so
    # how many hold it at the end depends on timing, not on this code)
    assert len(scattered) == 1 and 1 <= len(holders) <= 2
    assert [r.fold for r in results] == [0, 1, 2] and all(r.error is None for r in results)


def test_a_cancel_on_the_cluster_keeps_the_finished_trials(cluster, tmp_path):
    seen = []
    result = run_study(grid_plan(), tmp_path / "p.hpt", on_trial=seen.append,
                       should_stop=lambda: len(seen) >= 1,
                       executor_factory=lambda plan, jobs: DaskExecutor(plan.context, cluster))
    # the finished trials are kept; those in flight are stored as cancelled (how many
    # were in flight depends on how fast the workers are: a busy machine had all four)
    finished = [t for t in result.trials if t.state is TrialState.COMPLETE]
    assert result.status == CANCELLED and 1 <= len(finished) < 4
    assert all(t.state in (TrialState.COMPLETE, TrialState.CANCELLED) for t in result.trials)
    with distributed.Client(cluster, set_as_default=False) as client:  # nothing is left:
        deadline = time.monotonic() + 10  # no queued fits, no copies of the data
        while any(client.has_what().values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(client.has_what().values())


def test_run_cluster_from_the_command_line_resumes_a_local_study(cluster, tmp_path, capsys):
    project, space = tmp_path / "p.hpt", tmp_path / "space.json"
    space.write_text(json.dumps(SPACE))
    seen = []
    first = run_study(grid_plan(), project, jobs=1, on_trial=seen.append,
                      should_stop=lambda: len(seen) >= 2)
    assert 2 <= len(first.trials) < 4
    code = main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "DecisionTreeClassifier", "--space", str(space), "--strategy", "grid",
                 "--cv", "3", "--project", str(project), "--study", "dt", "--json", "--quiet",
                 "--cluster", cluster])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert summary["trials"]["COMPLETE"] == 4
    assert summary["new_trials"] == 4 - len(first.trials)
    whole = run_study(grid_plan(), tmp_path / "local.hpt")
    assert summary["best_score"] == pytest.approx(whole.best.mean_test_score, abs=1e-12)


def test_jobs_and_cluster_do_not_go_together(tmp_path, capsys):
    code = main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "GaussianNB", "--project", str(tmp_path / "p.hpt"), "--jobs", "2",
                 "--cluster", "tcp://127.0.0.1:1"])
    assert code == EXIT_BAD_INPUT
    assert "--jobs" in capsys.readouterr().err
    assert not (tmp_path / "p.hpt").exists()


def test_an_unreachable_scheduler_is_one_sentence(tmp_path):
    started = time.monotonic()
    with pytest.raises(ClusterError) as caught:
        DaskExecutor(grid_plan().context, "tcp://127.0.0.1:1", timeout=1)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert message.startswith("Could not reach the Dask scheduler at tcp://127.0.0.1:1: ")
    assert "`dask scheduler`" in message and "`dask worker tcp://127.0.0.1:1`" in message
    assert "\n" not in message


def test_without_dask_the_sentence_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(ClusterError, match=r"pip install 'hpt-gui\[cluster\]'"):
        DaskExecutor(grid_plan().context, "tcp://127.0.0.1:1")
    # The installed (frozen) app leaves Dask out: its sentence says where a cluster works.
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(ClusterError, match="this installed build of hpt-gui does not include"):
        DaskExecutor(grid_plan().context, "tcp://127.0.0.1:1")


def test_dask_worker_deaths_are_triaged_like_a_broken_pool():
    from distributed import KilledWorker
    from distributed.comm.core import CommClosedError

    assert is_worker_death(KilledWorker("task", None, 3))
    assert is_worker_death(CommClosedError("closed"))
    assert is_worker_death(WorkerDied("gone"))
    assert not is_worker_death(ValueError("a model's own error"))


def test_the_core_imports_without_dask():
    code = ("import sys; import hpt_gui.core.executor_dask, hpt_gui.core.runner; "
            "assert 'distributed' not in sys.modules and 'dask' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
