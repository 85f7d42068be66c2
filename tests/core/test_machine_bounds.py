"""Bounded resources, said up front (issue 16): no more worker processes than cores or
fits, and no study holding more candidates than the machine can."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core import machine
from hpt_gui.core.executor import InlineExecutor
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.study import plan_study

TREE = SearchSpace.from_json({"max_depth": {"type": "int", "low": 1, "high": 5}})


@pytest.fixture
def cores(monkeypatch):
    """``cores(n)``: the machine has n cores, as far as hpt-gui can tell."""
    return lambda n: monkeypatch.setattr(machine, "available_cores", lambda: n)


def test_workers_are_lowered_to_the_cores_and_the_fits_with_a_sentence(cores):
    cores(2)
    plan = machine.plan_workers(1000)
    assert plan.workers == 2
    assert "1,000 worker processes were asked for" in plan.note and "2 cores" in plan.note
    assert machine.plan_workers(2) == machine.WorkerPlan(2, None)
    cores(8)
    few = machine.plan_workers(6, fits=3)
    assert few.workers == 3 and "only 3 fits to run" in few.note


@pytest.mark.parametrize(("strategy", "trials", "expected"), [
    ("manual", None, 2),  # one candidate x 2 folds: 2 fits
    ("random", 5, 3),  # 10 fits: the 3 cores
])
def test_a_study_starts_no_more_workers_than_cores_or_fits(cores, tmp_path, strategy, trials,
                                                           expected):
    cores(3)
    plan = plan_study(data="demo:iris", target=None, model="DecisionTreeClassifier",
                      space=TREE, strategy=strategy, trials=trials, cv=2,
                      manual_params={"max_depth": 2} if strategy == "manual" else None)
    started = []

    def executor(plan, jobs):  # what the window's run queue and the CLI would start
        started.append(jobs)
        return InlineExecutor(plan.context)

    run_study(plan, tmp_path / "p.hpt", jobs=1000, executor_factory=executor)
    assert started == [expected]


def test_run_says_when_it_lowers_jobs_on_stderr_and_in_json(cores, tmp_path, capsys):
    cores(1)
    code = main(["run", "--data", "demo:iris", "--model", "DecisionTreeClassifier",
                 "--strategy", "random", "--trials", "2", "--cv", "2", "--jobs", "3",
                 "--project", str(tmp_path / "p.hpt"), "--json", "--quiet"])
    captured = capsys.readouterr()
    assert code == 0
    note = ("3 worker processes were asked for, but this machine has 1 core, and more "
            "processes than cores only wait for each other while each holds a copy of the "
            "data; running 1 worker process.")
    assert f"hpt-gui: note: {note}" in captured.err
    assert note in json.loads(captured.out)["notes"]


def _alive(pid):
    """True while the process exists and is not a zombie (dead, not reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


STUDY_WITH_HELD_FITS = """
import sys, time
sys.path.insert(0, {tests!r})
import gil_held_fits
from hpt_gui.core import executor
from hpt_gui.core.study import plan_study

executor._initialize_worker = gil_held_fits.initialize  # the pool starts its workers so
plan = plan_study(data="demo:iris", target=None, model="DecisionTreeClassifier",
                  strategy="random", trials=2, cv=2)
pool = executor.LocalProcessExecutor(plan.context, 2)
futures = [pool.submit(number, {{}}, 0) for number in range(2)]
time.sleep(600)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the kernel's death signal is Linux's")
def test_workers_die_with_a_killed_study_even_inside_a_fit_holding_the_interpreter(tmp_path):
    """kill -9 of the study's process while both workers are in a fit that never lets a
    Python thread run (native code holding the GIL): the workers are gone within seconds."""
    marks = tmp_path / "marks"
    marks.mkdir()
    code = STUDY_WITH_HELD_FITS.format(tests=str(Path(__file__).parent))
    study = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL,
                             env={**os.environ, "HPT_GUI_TEST_MARKS": str(marks)})
    try:
        deadline = time.monotonic() + 180
        while len(list(marks.iterdir())) < 2:
            assert study.poll() is None, "the study ended before its workers started"
            assert time.monotonic() < deadline, "the workers never started their fits"
            time.sleep(0.1)
        workers = {int(mark.name) for mark in marks.iterdir()}
        assert all(_alive(pid) for pid in workers)
    finally:
        study.kill()
        study.wait(timeout=60)
    deadline = time.monotonic() + 20  # generous: a busy machine
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    lingering = {pid for pid in workers if _alive(pid)}
    for pid in lingering:  # leave nothing behind, whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert not lingering, f"workers outlived the killed study: {lingering}"


@pytest.mark.skipif(sys.platform == "win32", reason="process ids of parents are POSIX's")
def test_a_worker_whose_study_died_while_it_started_exits_at_once():
    """Its parent's id is handed in: read in the worker, it would be init's already."""
    code = ("import os; from hpt_gui.core.executor import _initialize_worker; "
            "_initialize_worker(None, 1, None, os.getppid() + 1000000); print('lingers')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")


def test_halving_holds_its_first_rung_without_listing_it():
    """A million starting candidates (the most there may be) cost nothing until they run:
    the strategy lists none of them, and asking the next ones sorts nothing."""
    import tracemalloc

    from hpt_gui.core.strategies.halving import HalvingStrategy

    limit = machine.candidate_limit()
    tracemalloc.start()
    try:
        strategy = HalvingStrategy(TREE, 0, candidates=limit, folds=5)
        asked = strategy.ask(8)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [c.number for c in asked] == list(range(8))
    assert peak < 1_000_000, f"{peak:,} bytes for {limit:,} candidates not yet run"
    with pytest.raises(machine.TooManyCandidates, match=f"at most {limit:,} candidates"):
        HalvingStrategy(TREE, 0, candidates=limit + 1, folds=5)


def _run_within_2_gb(*arguments, project):
    """``hpt-gui run`` in a process that may not map more than 2 GB (a study that grows
    with its budget fails there instead of taking the machine down)."""
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    one_thread = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                         "MKL_NUM_THREADS", "MALLOC_ARENA_MAX")}
    return subprocess.run(
        [sys.executable, "-m", "hpt_gui", "run", "--data", "demo:iris", "--model",
         "DecisionTreeClassifier", "--cv", "2", "--project", str(project), "--quiet",
         *arguments], capture_output=True, text=True, timeout=300, check=False,
        preexec_fn=limited, env={**os.environ, **one_thread})


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_a_huge_halving_start_is_refused_up_front_with_the_limit(tmp_path):
    done = _run_within_2_gb("--strategy", "halving", "--trials", "10000000",
                            project=tmp_path / "p.hpt")
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    limit = machine.candidate_limit()
    assert (f"Successive halving can start from at most {limit:,} candidates on this "
            "machine") in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "p.hpt").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_a_huge_grid_is_refused_before_it_is_listed(tmp_path):
    space = tmp_path / "space.json"
    space.write_text(json.dumps({
        name: {"type": "int", "low": 2, "high": 1000, "grid_points": 100}
        for name in ("max_depth", "min_samples_split", "min_samples_leaf", "max_leaf_nodes")}))
    # 100 ** 4: a hundred million combinations
    done = _run_within_2_gb("--strategy", "grid", "--space", str(space),
                            project=tmp_path / "p.hpt")
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert "too many to search" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
@pytest.mark.parametrize("strategy", ["random", "tpe", "evolution"])
def test_a_ten_million_trial_budget_costs_only_the_trials_that_ran(tmp_path, strategy):
    """Candidates are drawn when a worker is free for them: the budget is a number, not
    an allocation, so a time limit ends the run long before memory could matter."""
    done = _run_within_2_gb("--strategy", strategy, "--trials", "10000000",
                            "--time-limit", "1", "--json", project=tmp_path / "p.hpt")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "time limit reached" and summary["new_trials"] >= 1
