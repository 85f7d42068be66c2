"""Issue 6, item 5: a per-trial time limit stops a fit that exceeds it, in Python code
(an exception at the limit, the worker lives on) or stuck in native code (its worker is
killed a little after the limit); the trial fails with the reason and the search goes on."""

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


@pytest.mark.slow
def test_a_fit_stuck_in_native_code_has_its_worker_killed(tmp_path):
    """Trial 0's fits never return to Python (``stuck_fits``): a little after the limit
    their workers are killed, trial 0 fails with the reason (its folds not yet started
    are not run), and the other trials, whose folds died with the pool, run again."""
    import stuck_fits
    from joblib.externals.loky import ProcessPoolExecutor

    space = SearchSpace.from_json(
        {"var_smoothing": {"type": "categorical", "choices": [1e-9, 1e-8, 1e-7]}})
    plan = plan_study(data="demo:iris", target="target", model="GaussianNB", space=space,
                      strategy="grid", cv=3, name="nb", trial_time_limit=1.0)
    pools: list[LocalProcessExecutor] = []

    def executor(plan, jobs):
        pool = LocalProcessExecutor(plan.context, jobs)
        pool._pool.shutdown(wait=True)  # the same pool, its workers stuck on trial 0
        pool._factory = lambda: ProcessPoolExecutor(
            max_workers=jobs, initializer=stuck_fits.initialize,
            initargs=(plan.context, 1, pool._board, 0))
        pool._pool = pool._factory()
        pools.append(pool)
        return pool

    result = run_study(plan, tmp_path / "p.hpt", jobs=2, executor_factory=executor)
    assert result.status == FINISHED
    stuck, *others = sorted(result.trials, key=lambda t: t.number)
    assert stuck.number == 0 and stuck.state is TrialState.FAIL
    assert stuck.error.endswith("stopped after 1 s, the per-trial time limit: raise the "
                                "limit, or narrow the search space to leave out such slow "
                                "settings")
    assert any(pools[0].was_stopped((0, fold)) for fold in range(3))
    assert all(f.error.startswith(("stopped after 1 s", "not run: another fold"))
               for f in stuck.folds)
    assert [t.state for t in others] == [TrialState.COMPLETE] * 2


def _pool_of(initializer, *initargs):
    """An executor factory for run_study whose workers start with ``initializer``."""
    from joblib.externals.loky import ProcessPoolExecutor

    def executor(plan, jobs):
        pool = LocalProcessExecutor(plan.context, jobs)
        pool._pool.shutdown(wait=True)
        pool._factory = lambda: ProcessPoolExecutor(
            max_workers=jobs, initializer=initializer,
            initargs=(plan.context, 1, pool._board, *initargs))
        pool._pool = pool._factory()
        return pool

    return executor


@pytest.mark.slow
def test_the_limit_counts_from_the_fit_not_from_a_slow_worker_start(tmp_path):
    """Issue 16, item 8: workers that take twice the limit to start and to build their
    first pipeline (a fresh worker on a busy machine) still finish every quick fit: the
    limit is the fit's own time, noted once the worker is ready."""
    import stuck_fits

    space = SearchSpace.from_json(
        {"var_smoothing": {"type": "categorical", "choices": [1e-9, 1e-8]}})
    plan = plan_study(data="demo:iris", target="target", model="GaussianNB", space=space,
                      strategy="grid", cv=2, name="nb", trial_time_limit=1.0)
    result = run_study(plan, tmp_path / "p.hpt", jobs=2,
                       executor_factory=_pool_of(stuck_fits.initialize_slowly, 3.0))
    assert result.status == FINISHED
    assert [t.state for t in result.trials] == [TrialState.COMPLETE] * 2, \
        [t.error for t in result.trials]


def test_a_suspect_stopped_for_its_time_leaves_the_triage_free():
    """A fold running alone (it died twice) that is then stopped for overrunning the
    limit is settled: the study asks for new candidates again."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from hpt_gui.core.executor import InlineExecutor
    from hpt_gui.core.runner import DeathTriage, fold_result

    class Stopped(InlineExecutor):
        time_limit = 2.0

        def __init__(self):
            pass

        def was_stopped(self, key):
            return key == (4, 1)

    triage = DeathTriage()
    for _ in range(2):
        triage.on_death((4, 1))
    assert triage.run_alone_now(idle=True) == (4, 1) and triage.busy
    died: Future = Future()
    died.set_exception(BrokenProcessPool("killed"))
    result = fold_result(died, (4, 1), triage, lambda key: None, Stopped())
    assert result.error.startswith("stopped after 2 s, the per-trial time limit")
    assert not triage.busy
