"""Issue 18: every executor keeps the same contract under the fold dispatcher. The same
tests run on the inline executor, the local process pool and a Dask cluster (a
LocalCluster of worker processes on loopback; skipped without the ``cluster`` extra):

- the same folds give the same scores as fitting them here, bit for bit;
- a fit that fails comes back as that fold's failure, and the others are unharmed;
- a worker killed while folds are in flight costs a retry, not a fold;
- a cancelling shutdown returns promptly, with every future it handed out settled.
"""

import logging
import os
import signal
import sys
import time

import pytest

from hpt_gui.core.dispatch import DeathTriage, FoldDispatcher
from hpt_gui.core.evaluate import evaluate_fold
from hpt_gui.core.executor import InlineExecutor, LocalProcessExecutor
from hpt_gui.core.pools import pool_pids
from hpt_gui.core.study import plan_study

KINDS = ["inline", "pool", "dask"]
PARAMS = [{"max_depth": 1}, {"max_depth": 3}, {"max_depth": None}]


@pytest.fixture(scope="module")
def context():
    return plan_study(data="demo:iris", target="target",
                      model="DecisionTreeClassifier", strategy="grid", cv=3,
                      name="dt").context


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="needs the cluster extra")
    import dask

    # No retries of Dask's own: a task whose worker dies fails at once (KilledWorker),
    # so that death reaches the dispatcher's triage as it would from a local pool.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR) as local:
        yield local


@pytest.fixture(params=KINDS)
def executor(request, context):
    kind = request.param
    if kind == "inline":
        made = InlineExecutor(context)
    elif kind == "pool":
        made = LocalProcessExecutor(context, 2)
    else:
        from hpt_gui.core.executor_dask import DaskExecutor

        made = DaskExecutor(context, request.getfixturevalue("cluster").scheduler_address)
    made.kind = kind
    yield made
    made.shutdown(cancel=True)


def run_all(executor, tasks, timeout=180.0):
    """Every task through a dispatcher: {(number, fold): FoldResult}."""
    dispatch = FoldDispatcher(executor, depth=len(tasks))
    for number, params, fold in tasks:
        dispatch.submit(number, params, fold)
    results, deadline = {}, time.monotonic() + timeout
    while not dispatch.idle:
        assert time.monotonic() < deadline, "the folds did not come back"
        results.update(dispatch.collect(timeout=0.2))
    return results


def tasks_for(params_list, folds=3):
    return [(n, params, fold) for n, params in enumerate(params_list) for fold in range(folds)]


def test_the_same_folds_score_as_fitting_them_here(executor, context):
    tasks = tasks_for(PARAMS)
    results = run_all(executor, tasks)
    assert sorted(results) == [(n, f) for n, _, f in tasks]
    for number, params, fold in tasks:
        here = evaluate_fold(context, number, params, fold)
        there = results[(number, fold)]
        assert there.error is None
        assert (there.number, there.fold) == (number, fold)
        assert there.test_score == pytest.approx(here.test_score, abs=1e-12)
        assert there.train_score == pytest.approx(here.train_score, abs=1e-12)


def test_a_failing_fit_is_that_folds_failure(executor):
    results = run_all(executor, tasks_for([{"max_depth": 2}, {"max_depth": -1}]))
    assert all(results[(0, fold)].error is None for fold in range(3))
    failed = [results[(1, fold)] for fold in range(3)]
    assert all(r.error and "max_depth" in r.error and r.test_score is None for r in failed)


@pytest.mark.skipif(sys.platform == "win32", reason="kills with SIGKILL")
def test_a_killed_worker_costs_a_retry_not_a_fold(executor, context, monkeypatch):
    if executor.kind == "inline":
        pytest.skip("inline, the fits run in this process: there is no worker to lose")
    deaths = []
    on_death = DeathTriage.on_death
    monkeypatch.setattr(DeathTriage, "on_death",
                        lambda self, key: deaths.append(key) or on_death(self, key))
    params = [{"max_depth": d, "min_samples_leaf": leaf}
              for d in (2, 4, 6) for leaf in (1, 5)]
    tasks = tasks_for(params)
    dispatch = FoldDispatcher(executor, depth=len(tasks))
    for number, p, fold in tasks:
        dispatch.submit(number, p, fold)
    os.kill(next(iter(_worker_pids(executor))), signal.SIGKILL)  # folds still in flight
    results, deadline = {}, time.monotonic() + 180
    while not dispatch.idle:
        assert time.monotonic() < deadline, "the folds did not come back"
        results.update(dispatch.collect(timeout=0.2))
    assert sorted(results) == [(n, f) for n, _, f in tasks]
    assert all(r.error is None for r in results.values()), \
        [r.error for r in results.values() if r.error]
    for number, p, fold in tasks:
        here = evaluate_fold(context, number, p, fold)
        assert results[(number, fold)].test_score == pytest.approx(here.test_score, abs=1e-12)
    if executor.kind == "pool":  # the broken pool fails every fold in flight: triaged
        assert deaths, "no fold was seen to die with its worker"


def _worker_pids(executor, timeout=60.0):
    """The worker processes' ids, once at least one has started."""
    deadline = time.monotonic() + timeout
    while True:
        if executor.kind == "pool":
            pids = pool_pids(executor._pool)
        else:
            pids = set(executor._client.run(os.getpid).values())
        if pids:
            return pids
        assert time.monotonic() < deadline, "no worker started"
        time.sleep(0.05)


def test_a_cancelling_shutdown_returns_promptly_and_settles_every_future(executor):
    futures = [executor.submit(n, {"max_depth": None, "min_samples_leaf": 1 + n}, fold)
               for n in range(8) for fold in range(3)]
    started = time.monotonic()
    executor.shutdown(cancel=True)
    assert time.monotonic() - started < 30
    deadline = time.monotonic() + 10  # a pool's manager thread settles them as it stops
    while not all(future.done() for future in futures):
        assert time.monotonic() < deadline, "a future was left pending after the shutdown"
        time.sleep(0.05)
    executor.shutdown(cancel=True)  # twice is harmless
