"""Issue 6, item 5: cancel ends every worker process at once and marks the trials it cut
short as cancelled, keeping the finished ones; resuming runs those numbers again."""

import sys
import time

import pytest

from hpt_gui.core.executor import LocalProcessExecutor
from hpt_gui.core.runner import CANCELLED, FINISHED, run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.store import ProjectStore, TrialState
from hpt_gui.core.study import plan_study

SPACE = {"n_estimators": {"type": "int", "low": 20, "high": 40},
         "max_depth": {"type": "int", "low": 2, "high": 8}}


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="checks processes with signal 0")
def test_cancel_kills_the_workers_and_marks_running_trials(tmp_path, process_alive):
    plan = plan_study(data="demo:breast_cancer", target="target",
                      model="RandomForestClassifier", space=SearchSpace.from_json(SPACE),
                      strategy="random", trials=8, cv=3, seed=1, name="rf")
    project = tmp_path / "p.hpt"
    pools: list[LocalProcessExecutor] = []
    finished: list[int] = []
    asked: list[float] = []  # when the stop was first asked for

    def executor(plan, jobs):
        pools.append(LocalProcessExecutor(plan.context, jobs))
        return pools[-1]

    def should_stop():
        if finished and not asked:
            asked.append(time.monotonic())
        return bool(asked)

    def on_trial(trial):
        if trial.state is not TrialState.CANCELLED:
            finished.append(trial.number)
        workers.update(pools[-1]._pool._processes)

    workers: set[int] = set()
    result = run_study(plan, project, jobs=2, executor_factory=executor, on_trial=on_trial,
                       should_stop=should_stop)
    assert result.status == CANCELLED
    time.sleep(max(0.0, asked[0] + 2.0 - time.monotonic()))
    assert len(workers) == 2
    assert not [pid for pid in workers if process_alive(pid)], "a worker outlived the cancel by 2 s"

    cancelled = [t for t in result.trials if t.state is TrialState.CANCELLED]
    kept = [t for t in result.trials if t.state is not TrialState.CANCELLED]
    assert cancelled, "the trials running at the cancel are marked"
    assert sorted(t.number for t in kept) == sorted(finished)
    assert all(t.state is TrialState.COMPLETE for t in kept)
    assert all("cancelled before it finished" in t.error and len(t.folds) < 3
               and t.mean_test_score is None for t in cancelled)
    with ProjectStore(project) as store:
        assert store.study("rf").status == "cancelled"
        before = {t.number: t.mean_test_score for t in kept}

    resumed = run_study(plan, project, jobs=2)
    assert resumed.status == FINISHED
    assert sorted(t.number for t in resumed.trials) == list(range(8))
    assert all(t.state is TrialState.COMPLETE for t in resumed.trials)
    assert all(t.mean_test_score == before[t.number] for t in resumed.trials
               if t.number in before)
    assert resumed.new_trials == 8 - len(kept)

