"""The study loop's edges: time limits, worker deaths, progress reports."""

import queue
import subprocess
import sys
import threading
from concurrent.futures import Future

import pytest
from joblib.externals.loky.process_executor import TerminatedWorkerError

from hpt_gui.core.evaluate import evaluate_fold
from hpt_gui.core.executor import WORKER_DIED, Executor
from hpt_gui.core.runner import FINISHED, TIME_UP, run_study
from hpt_gui.core.store import TrialState
from hpt_gui.core.study import describe_cost, plan_study


class BreakingPool(Executor):
    """Folds run one at a time on a background thread. When the doomed (trial, fold) runs,
    the 'pool breaks' as loky's does when a worker is killed: that fold and every fold
    queued behind it fail with TerminatedWorkerError."""

    def __init__(self, context, doomed):
        self.context, self.doomed, self.workers = context, doomed, 2
        self.tasks = queue.Queue()
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()

    def submit(self, number, params, fold):
        future = Future()
        self.tasks.put((future, number, params, fold))
        return future

    def _work(self):
        while (task := self.tasks.get()) is not None:
            future, number, params, fold = task
            if (number, fold) in self.doomed:
                broken = [future]
                while not self.tasks.empty():
                    queued = self.tasks.get()
                    if queued is None:
                        return
                    broken.append(queued[0])
                for victim in broken:
                    victim.set_exception(TerminatedWorkerError("A worker process was killed"))
            else:
                future.set_result(evaluate_fold(self.context, number, params, fold))

    def shutdown(self, *, cancel=False):
        self.tasks.put(None)
        self.thread.join()


@pytest.fixture(scope="module")
def iris_plan():
    return plan_study(data="demo:iris", target="target", model="GaussianNB", strategy="grid",
                      cv=3, name="nb")


def test_only_the_fit_that_kills_its_worker_fails(iris_plan, tmp_path):
    result = run_study(iris_plan, tmp_path / "p.hpt",
                       executor_factory=lambda plan, jobs: BreakingPool(plan.context, {(1, 0)}))
    assert result.status == FINISHED and len(result.trials) == 5
    failed = [t for t in result.trials if t.state is TrialState.FAIL]
    assert [t.number for t in failed] == [1]
    assert failed[0].error == f"fold 1: {WORKER_DIED}"


@pytest.mark.slow
def test_cancel_with_a_real_pool_returns_and_leaves_no_worker(tmp_path):
    code = (
        "import sys\n"
        "from hpt_gui.core.runner import run_study\n"
        "from hpt_gui.core.study import plan_study\n"
        "plan = plan_study(data='demo:breast_cancer', target='target', "
        "model='RandomForestClassifier', strategy='random', trials=30, cv=5, name='rf')\n"
        "seen = []\n"
        "result = run_study(plan, sys.argv[1], jobs=2, on_trial=seen.append, "
        "should_stop=lambda: len(seen) >= 1)\n"
        "print(result.status, len(result.trials))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p.hpt")],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    status, count = done.stdout.split()
    assert status == "cancelled" and 1 <= int(count) < 30


def test_time_limit_stops_asking_for_trials(tmp_path):
    plan = plan_study(data="demo:iris", target="target", model="KNeighborsClassifier",
                      strategy="random", time_limit=0.5, cv=3, name="knn")
    result = run_study(plan, tmp_path / "p.hpt")
    assert result.status == TIME_UP
    assert 1 <= len(result.trials) < 1000


def test_progress_counts_up_to_the_total(iris_plan, tmp_path):
    reports = []
    run_study(iris_plan, tmp_path / "p.hpt", on_progress=reports.append)
    assert reports[-1].done == reports[-1].total == 5
    assert reports[-1].best is not None and reports[-1].eta == 0


def test_cost_sentence(iris_plan):
    assert describe_cost(iris_plan) == "5 candidates x 3 folds = 15 fits"
