"""Issue 6, item 5: a per-trial time limit stops a fit that exceeds it, in Python code
(an exception at the limit, the worker lives on) or stuck in native code (its worker is
killed a little after the limit); the trial fails with the reason and the search goes on."""

import numpy as np
import pandas as pd
import pytest

from hpt_gui.core.evaluate import evaluate_fold
from hpt_gui.core.executor import LocalProcessExecutor, make_executor
from hpt_gui.core.fit_deadline import FitTimeLimit, fit_deadline
from hpt_gui.core.runner import FINISHED, run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import SpecError
from hpt_gui.core.store import TrialState
from hpt_gui.core.study import plan_study


def test_the_deadline_raises_in_python_code_and_never_after_the_block():
    with pytest.raises(FitTimeLimit), fit_deadline(0.05):
        while True:
            pass
    with fit_deadline(0.05):
        pass
    total = 0
    for i in range(2_000_000):  # well past the limit of the block that ended
        total += i
    assert total


def test_a_fit_in_python_code_fails_at_the_limit():
    plan = plan_study(data="demo:breast_cancer", target="target",
                      model="GradientBoostingClassifier", strategy="manual",
                      manual_params={"n_estimators": 5000}, cv=3, name="gb",
                      trial_time_limit=0.2)
    fold = evaluate_fold(plan.context, 0, {"n_estimators": 5000}, 0)
    assert fold.failed
    assert fold.error.startswith("stopped after 0.2 s, the per-trial time limit")


def test_a_limit_needs_a_worker_process_even_for_one_job():
    plan = plan_study(data="demo:iris", target="target", model="GaussianNB", cv=3,
                      trial_time_limit=5)
    executor = make_executor(plan.context, 1)
    try:
        assert isinstance(executor, LocalProcessExecutor)
    finally:
        executor.shutdown()
    with pytest.raises(SpecError, match="time limit per trial"):
        plan_study(data="demo:iris", target="target", model="GaussianNB",
                   trial_time_limit=0)


def test_a_fit_stuck_in_native_code_has_its_worker_killed(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4000, 20))
    y = np.where(X[:, 0] + rng.normal(scale=2, size=4000) > 0, "a", "b")
    data = tmp_path / "d.csv"
    pd.DataFrame(X, columns=[f"x{i}" for i in range(20)]).assign(y=y).to_csv(data, index=False)
    # libsvm's solver is one long call into C: C=1e5 takes minutes, C=0.01 a moment
    space = SearchSpace.from_json({"C": {"type": "categorical", "choices": [100000.0, 0.01]},
                                   "gamma": {"type": "categorical", "choices": [0.001]}})
    plan = plan_study(data=str(data), target="y", model="SVC", space=space, strategy="grid",
                      cv=2, name="svc", trial_time_limit=1.5)
    pools: list[LocalProcessExecutor] = []

    def executor(plan, jobs):
        pools.append(LocalProcessExecutor(plan.context, jobs))
        return pools[-1]

    result = run_study(plan, tmp_path / "p.hpt", jobs=2, executor_factory=executor)
    assert result.status == FINISHED
    by_c = {t.params["C"]: t for t in result.trials}
    slow, quick = by_c[100000.0], by_c[0.01]
    assert slow.state is TrialState.FAIL
    assert "stopped after 1.5 s, the per-trial time limit" in slow.error
    assert pools[0].was_stopped((slow.number, 0)) or pools[0].was_stopped((slow.number, 1))
    assert quick.state is TrialState.COMPLETE  # it died with the pool and ran again
