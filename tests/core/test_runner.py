"""The study loop's edges: time limits, worker deaths, progress reports."""

from concurrent.futures import Future

import pytest
from joblib.externals.loky.process_executor import TerminatedWorkerError

from hpt_gui.core.evaluate import evaluate_fold
from hpt_gui.core.executor import WORKER_DIED, Executor
from hpt_gui.core.runner import FINISHED, TIME_UP, run_study
from hpt_gui.core.store import TrialState
from hpt_gui.core.study import describe_cost, plan_study


class DyingExecutor(Executor):
    """Runs folds inline, but the first ``deaths`` submissions of one (trial, fold) 'lose
    their worker', as a process killed by the out-of-memory killer would."""

    def __init__(self, context, doomed, deaths):
        self.context, self.doomed, self.deaths = context, doomed, deaths
        self.workers = 1

    def submit(self, number, params, fold):
        future = Future()
        if (number, fold) == self.doomed and self.deaths > 0:
            self.deaths -= 1
            future.set_exception(TerminatedWorkerError("A worker process was killed"))
        else:
            future.set_result(evaluate_fold(self.context, number, params, fold))
        return future

    def shutdown(self, *, cancel=False):
        pass


@pytest.fixture(scope="module")
def iris_plan():
    return plan_study(data="demo:iris", target="target", model="GaussianNB", strategy="grid",
                      cv=3, name="nb")


def test_a_worker_death_is_retried_once(iris_plan, tmp_path):
    result = run_study(iris_plan, tmp_path / "p.hpt",
                       executor_factory=lambda plan, jobs: DyingExecutor(plan.context, (1, 1), 1))
    assert all(t.state is TrialState.COMPLETE for t in result.trials)


def test_a_fold_that_kills_its_worker_twice_fails_its_trial_with_a_sentence(iris_plan, tmp_path):
    result = run_study(iris_plan, tmp_path / "p.hpt",
                       executor_factory=lambda plan, jobs: DyingExecutor(plan.context, (3, 2), 2))
    failed = [t for t in result.trials if t.state is TrialState.FAIL]
    assert [t.number for t in failed] == [3] and WORKER_DIED in failed[0].error
    assert result.status == FINISHED and len(result.trials) == 5


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
