"""The time a run will take, said before it starts, from this model's earlier trials."""

from hpt_gui.cli import main
from hpt_gui.core.eta import estimate_run_time, planned_fits
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import describe_cost, plan_study

SPACE = SearchSpace.from_json({"max_depth": {"type": "categorical", "choices": [1, 2, 3]}})


def _plan(name, model="DecisionTreeClassifier", **kw):
    space = SPACE if model == "DecisionTreeClassifier" else None
    return plan_study(data="demo:iris", target="target", model=model, name=name, space=space,
                      strategy="grid", cv=3, **kw)


def test_the_estimate_comes_from_earlier_trials_of_the_model(tmp_path):
    project = tmp_path / "p.hpt"
    first = _plan("a")
    assert planned_fits(first) == 9
    assert estimate_run_time(first, project, 2) is None and not project.exists()
    run_study(first, project)
    with ProjectStore(project) as store:
        trials = store.trials("a")
    per_fold = sum(f.fit_time + f.score_time for t in trials for f in t.folds) / 9

    second = _plan("b", nested=2)  # 3 searches of 3 candidates x 3 folds
    estimate = estimate_run_time(second, project, 2)
    assert estimate.fits == 27 and planned_fits(second) == 27
    assert abs(estimate.seconds - per_fold * 27 / 2) < 1e-9
    assert "from 3 earlier trials of DecisionTreeClassifier on this data" in \
        estimate.describe(2)
    assert estimate_run_time(first, project, 1).fits == 0  # resumed: nothing left
    # Another model has no measure yet.
    assert estimate_run_time(_plan("c", model="GaussianNB"), project, 2) is None


def test_the_cli_states_the_time_before_the_run(tmp_path, capsys):
    project = tmp_path / "p.hpt"
    base = ["run", "--data", "demo:iris", "--target", "target", "--model",
            "DecisionTreeClassifier", "--strategy", "random", "--trials", "6", "--cv", "3",
            "--project", str(project)]
    assert main([*base, "--study", "a"]) == 0
    err = capsys.readouterr().err
    assert "time: estimated from the first trials" in err
    assert "time: about" in err and "from the first 5 trials" in err
    assert main([*base, "--study", "b"]) == 0
    err = capsys.readouterr().err
    assert "time: about" in err and "earlier trials of DecisionTreeClassifier on this " \
        "data)" in err


def test_halving_plans_its_rungs_fits_not_every_fold():
    plan = plan_study(data="demo:iris", target="target", model="DecisionTreeClassifier",
                      name="h", space=SPACE, strategy="halving", trials=9, cv=3,
                      options={"factor": 3})
    fits = planned_fits(plan)
    assert fits < 9 * 3 and f"at most {fits} fits" in describe_cost(plan)
