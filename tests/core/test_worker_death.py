"""Issue 6, item 4: a worker process killed from outside (kill -9, the kernel's
out-of-memory killer) costs only a retry of the folds it took down; the pool is rebuilt
and the study goes on to its budget with every trial complete."""

import os
import signal
import sys
import time

import pytest

from hpt_gui.core.executor import LocalProcessExecutor
from hpt_gui.core.runner import FINISHED, run_study
from hpt_gui.core.store import ProjectStore, TrialState
from hpt_gui.core.study import plan_study

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kills with SIGKILL")


@pytest.mark.slow
def test_a_killed_worker_costs_a_retry_not_a_trial(tmp_path, process_alive):
    plan = plan_study(data="demo:breast_cancer", target="target", model="KNeighborsClassifier",
                      strategy="random", trials=24, cv=3, seed=2, name="knn")
    pools: list[LocalProcessExecutor] = []
    kills: list[tuple[int, float]] = []  # (pid, when)
    after_kill: list[int] = []  # trials stored after the kill
    workers: set[int] = set()  # every worker process seen

    def executor(plan, jobs):
        pools.append(LocalProcessExecutor(plan.context, jobs))
        return pools[-1]

    def on_trial(trial):
        workers.update(pools[-1]._pool._processes)
        if kills:
            after_kill.append(trial.number)
        elif trial.number >= 3:  # a few trials in, with folds in flight on both workers
            pid = next(iter(pools[0]._pool._processes))
            os.kill(pid, signal.SIGKILL)
            kills.append((pid, time.monotonic()))

    result = run_study(plan, tmp_path / "p.hpt", jobs=2, executor_factory=executor,
                       on_trial=on_trial)
    assert kills, "no worker was killed"
    assert result.status == FINISHED
    assert sorted(t.number for t in result.trials) == list(range(24))
    # the folds the dead worker took down ran again: no trial failed
    assert all(t.state is TrialState.COMPLETE for t in result.trials), [
        (t.number, t.error) for t in result.trials if t.error]
    assert after_kill, "the study did not go on after the kill"
    with ProjectStore(tmp_path / "p.hpt") as store:
        assert len(store.trials("knn")) == 24
    # the old pool's other worker went with it; the rebuilt pool ended with the study
    assert len(workers) > 2, "the pool was not rebuilt"
    assert not [pid for pid in workers if process_alive(pid)]



@pytest.mark.skipif(sys.platform != "linux", reason="reads the niceness from /proc")
def test_fit_workers_yield_to_the_window():
    plan = plan_study(data="demo:iris", target="target", model="GaussianNB", cv=3, name="nb")
    pool = LocalProcessExecutor(plan.context, 2)
    try:
        assert pool.submit(0, {}, 0).result(timeout=120).test_score is not None

        def niceness(pid):
            with open(f"/proc/{pid}/stat") as stat:
                return int(stat.read().split(")")[-1].split()[16])

        deadline = time.monotonic() + 60  # a worker may still be starting
        lowered = min(19, os.nice(0) + 5)  # 19: the lowest priority there is
        while any(niceness(pid) < lowered for pid in pool._pool._processes):
            assert time.monotonic() < deadline, "a fit worker runs at the window's priority"
            time.sleep(0.1)
    finally:
        pool.shutdown()
