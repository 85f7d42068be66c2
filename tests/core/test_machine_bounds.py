"""Bounded resources, said up front (issue 16): no more worker processes than cores or
fits, and no study holding more candidates than the machine can."""

import json

import pytest

from hpt_gui.cli import main
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
