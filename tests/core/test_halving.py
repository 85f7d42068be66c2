"""Successive halving: its schedule, that it prunes the weak, counts its saving honestly,
resumes to the very trials an uninterrupted run gives, and on rows ends with ordinary
evaluations. Small data (iris, a 90-row CSV) and trees, so each test takes seconds."""

import json
import math
import sqlite3

import numpy as np
import pandas as pd
import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.evaluate import FoldResult, evaluate_fold
from hpt_gui.core.executor import Executor, InlineExecutor
from hpt_gui.core.export import ExportError, choose_trial, trials_table
from hpt_gui.core.runner import FINISHED, run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import SpecError, StudySpec
from hpt_gui.core.store import ProjectStore, TrialRecord, TrialState, best_trial
from hpt_gui.core.strategies import Outcome, make_strategy
from hpt_gui.core.strategies.halving import (
    HalvingStrategy,
    halving_saving,
    halving_schedule,
    planned_fits,
)
from hpt_gui.core.study import describe_cost, plan_study

# Half the configurations are clearly bad: a stump cannot separate iris's three classes.
SPACE = SearchSpace.from_json({
    "max_depth": {"type": "categorical", "choices": [1, 4]},
    "min_samples_leaf": {"type": "int", "low": 1, "high": 6},
})


def plan(trials=16, resource="folds", factor=2, cv=5, seed=0, **options):
    return plan_study(data="demo:iris", target="target", model="DecisionTreeClassifier",
                      space=SPACE, strategy="halving", trials=trials, cv=cv, seed=seed,
                      name="h", options={"factor": factor, "resource": resource, **options})


class Counting(Executor):
    """Runs inline and counts the tasks; raises KeyboardInterrupt (a kill) at ``kill_at``."""

    def __init__(self, context, kill_at=None):
        self._inner, self.tasks, self.kill_at = InlineExecutor(context), [], kill_at

    def submit(self, number, params, fold):
        if self.kill_at is not None and len(self.tasks) >= self.kill_at:
            raise KeyboardInterrupt
        self.tasks.append((number, fold))
        return self._inner.submit(number, params, fold)

    def shutdown(self, *, cancel=False):
        pass


def run(p, project, kill_at=None):
    executors = []

    def factory(step, jobs):
        executors.append(Counting(step.context, kill_at))
        return executors[-1]

    result = run_study(p, project, executor_factory=factory)
    return result, executors[0]


def test_schedule_follows_the_exhaust_rule():
    assert [(r.candidates, r.resource) for r in halving_schedule(27, 5, 3)] == [(27, 1), (9, 5)]
    assert [(r.candidates, r.resource) for r in halving_schedule(30, 10, 3)] == [
        (30, 1), (10, 3), (4, 10)]
    assert [(r.candidates, r.resource) for r in halving_schedule(16, 5, 2)] == [
        (16, 1), (8, 2), (4, 5)]
    rows = halving_schedule(81, 900, 3, 50)  # log3(900/50) + 1 = 3 rungs, the last on all
    assert [(r.candidates, r.resource) for r in rows] == [(81, 100), (27, 300), (9, 900)]
    assert len(halving_schedule(1, 5, 3)) == 1 and len(halving_schedule(40, 5, 3, 5)) == 1
    assert planned_fits(halving_schedule(16, 5, 2), 5, "folds") == 16 + 8 + 4 * 3
    assert planned_fits(rows, 5, "rows") == (81 + 27 + 9) * 5


def test_pruning_against_the_others_prunes_the_weak(tmp_path):
    result, executor = run(plan(), tmp_path / "p.hpt")
    assert result.status == FINISHED and len(result.trials) == 16
    states = {t.number: t.state for t in result.trials}
    complete = [t for t in result.trials if t.state is TrialState.COMPLETE]
    stumps = [t for t in result.trials if t.params["max_depth"] == 1]
    assert 0 < len(stumps) < 16 and len(complete) == 4
    assert all(t.params["max_depth"] == 4 for t in complete)
    assert all(states[t.number] is TrialState.PRUNED for t in stumps)
    for trial in result.trials:  # a pruned trial keeps the folds it ran, and their mean
        rung = trial.attrs["rung"]
        assert len(trial.folds) == [1, 2, 5][rung] == trial.attrs["folds"]
        assert trial.mean_test_score == pytest.approx(np.mean(trial.test_scores))
    # the best is a complete trial, and so is what an export takes
    assert result.best.state is TrialState.COMPLETE
    assert choose_trial(result.trials, None).number == result.best.number
    with pytest.raises(ExportError, match="stopped early by successive halving"):
        choose_trial(result.trials, stumps[0].number)


def test_the_saving_is_counted_right(tmp_path):
    p = plan()
    result, executor = run(p, tmp_path / "p.hpt")
    assert len(executor.tasks) == 16 + 8 + 4 * 3 == sum(len(t.folds) for t in result.trials)
    saving = halving_saving(p.spec, result.trials)
    assert saving == {"resource": "folds", "fits_done": 36, "fits_full": 80,
                      "work_done": 36.0, "share": 0.45}
    assert "at most 36 fits, of the 80 a full evaluation takes" in describe_cost(p)


def _same(a, b):
    assert [(t.number, t.state, t.params, t.mean_test_score, t.attrs) for t in a] == [
        (t.number, t.state, t.params, t.mean_test_score, t.attrs) for t in b]


@pytest.mark.parametrize("resource, kill_at", [("folds", 5), ("folds", 14), ("folds", 20),
                                               ("rows", 40)])
def test_resume_after_a_kill_gives_the_same_trials(tmp_path, resource, kill_at):
    # folds: rungs of 1, 2 and 5 folds (12 + 6 + 9 fits); rows: 33 then 100 rows (36 + 12)
    p = plan(resource=resource, trials=12, **(
        {"factor": 2, "cv": 5} if resource == "folds" else
        {"factor": 3, "cv": 3, "min_resource": 12}))
    assert len(make_strategy(p.spec, p.context).rungs) == (3 if resource == "folds" else 2)
    whole, executor = run(p, tmp_path / "whole.hpt")
    assert len(executor.tasks) > kill_at
    with pytest.raises(KeyboardInterrupt):
        run(p, tmp_path / "killed.hpt", kill_at=kill_at)
    with ProjectStore(tmp_path / "killed.hpt") as store:
        before = store.trials("h")
        assert store.study("h").status == "interrupted"
    resumed, again = run(p, tmp_path / "killed.hpt")
    _same(resumed.trials, whole.trials)
    # within the planned budget: stored trials are not run again, only the lost ones
    assert len(again.tasks) <= len(executor.tasks)
    assert not {n for n, _ in again.tasks} & {t.number for t in before}


def test_a_rung_decision_is_stored_at_once(tmp_path):
    """The trials a rung prunes are written in one transaction: a kill after it leaves
    all of them, and the resumed run does not run that rung again."""
    p = plan()
    whole, executor = run(p, tmp_path / "whole.hpt")
    with pytest.raises(KeyboardInterrupt):
        run(p, tmp_path / "killed.hpt", kill_at=17)  # rung 0 (16 fits) decided, then a kill
    with ProjectStore(tmp_path / "killed.hpt") as store:
        assert [t.state for t in store.trials("h")] == [TrialState.PRUNED] * 8
    resumed, again = run(p, tmp_path / "killed.hpt")
    # rungs 1 and 2 only; the survivors' fold 1, lost with the kill, is run again
    assert len(again.tasks) == 8 * 2 + 4 * 3
    _same(resumed.trials, whole.trials)


def test_the_rows_resource_ends_with_ordinary_evaluations(tmp_path):
    p = plan(resource="rows", factor=2, trials=8, min_resource=30)
    strategy = make_strategy(p.spec, p.context)
    assert [r.resource for r in strategy.rungs] == [30, 60, 120]
    for train, _ in strategy.extra_splits:  # stratified: every class in every subsample
        assert len(set(np.asarray(p.context.y)[train])) == 3
    result, executor = run(p, tmp_path / "p.hpt")
    complete = [t for t in result.trials if t.state is TrialState.COMPLETE]
    assert len(complete) == 2 and len(result.trials) == 8
    for trial in complete:
        assert trial.attrs == {"rung": 2, "rows": 120, "fits": 15, "work": 8.75}
        for fold in trial.folds:
            ordinary = evaluate_fold(p.context, trial.number, trial.params, fold.fold)
            assert fold.test_score == ordinary.test_score
            assert fold.train_score == ordinary.train_score
    pruned = [t for t in result.trials if t.state is TrialState.PRUNED]
    assert {t.attrs["rows"] for t in pruned} <= {30, 60} and all(
        len(t.folds) == 5 for t in pruned)
    assert len(executor.tasks) == (8 + 4 + 2) * 5
    saving = halving_saving(p.spec, result.trials)
    assert saving["fits_done"] == 70 and saving["fits_full"] == 40
    assert saving["work_done"] == pytest.approx((8 * 30 + 4 * 60 + 2 * 120) * 5 / 120)


def test_failed_trials_are_out_at_once():
    strategy = HalvingStrategy(SPACE, 0, candidates=8, folds=4, factor=2)
    steps = strategy.ask(8)
    settled = [s for c in steps for s in strategy.report(
        c.number, None if c.number % 2 else float(c.number))]
    assert {s.number for s in settled} == {1, 3, 5, 7}
    assert {s.state for s in settled} == {"FAIL"}
    # rungs of 8, 4 and 2 candidates: the 4 that did not fail all go on, on 1 more fold
    steps = strategy.ask(8)
    assert [(c.number, c.splits) for c in steps] == [(0, (1,)), (2, (1,)), (4, (1,)),
                                                     (6, (1,))]
    settled = [s for c in steps for s in strategy.report(c.number, float(c.number))]
    assert sorted((s.number, s.state, s.attrs["rung"]) for s in settled) == [
        (0, "PRUNED", 1), (2, "PRUNED", 1)]
    assert [(c.number, c.splits) for c in strategy.ask(8)] == [(4, (2, 3)), (6, (2, 3))]


def test_pruned_trials_never_count_as_best_and_have_no_rank_nor_spread():
    def record(number, state, scores, attrs=None):
        folds = tuple(FoldResult(number, k, s, s, 0.1, 0.0) for k, s in enumerate(scores))
        return TrialRecord(number, state, {"x": number}, folds, 0.0, 1.0, attrs=attrs)

    trials = [record(0, TrialState.PRUNED, [1.0], {"rung": 0, "folds": 1, "fits": 1}),
              record(1, TrialState.COMPLETE, [0.8, 0.9]),
              record(2, TrialState.COMPLETE, [0.7, 0.7]), record(3, TrialState.FAIL, []),
              # pruned on rows: every fold ran (on fewer rows), so its spread is one
              record(4, TrialState.PRUNED, [0.6, 0.8], {"rung": 0, "rows": 50, "fits": 2})]
    assert trials[0].mean_test_score == 1.0 and best_trial(trials).number == 1
    assert [t.stopped_early for t in trials] == [True, False, False, False, False]
    table = trials_table(trials)
    # complete trials 1..n, the failed one after them (as cv_results_ ranks a NaN score),
    # pruned ones unranked: their scores are partial
    assert table["rank_test_score"].tolist() == [pd.NA, 1, 2, 3, pd.NA]
    assert math.isnan(table.loc[0, "std_test_score"])  # not 0.0 over its one fold
    assert math.isnan(table.loc[0, "std_train_score"])
    assert table.loc[4, "std_test_score"] == pytest.approx(0.1)
    assert table.loc[1, "std_test_score"] == pytest.approx(0.05)


def test_cli_export_of_a_halving_study_ranks_only_the_complete_trials(tmp_path, capsys):
    """``run`` then ``export --csv``: the trials halving stopped after one or two of the
    five folds have empty std and rank; the complete ones are ranked 1..n among
    themselves as scipy's rankdata(-mean, method="min") ranks them."""
    import csv

    from scipy.stats import rankdata

    space, project, out = tmp_path / "space.json", tmp_path / "p.hpt", tmp_path / "t.csv"
    space.write_text(json.dumps({
        "max_depth": {"type": "categorical", "choices": [1, 4]},
        "min_samples_leaf": {"type": "int", "low": 1, "high": 6}}))
    assert main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "DecisionTreeClassifier", "--space", str(space), "--strategy", "halving",
                 "--trials", "16", "--cv", "5", "--factor", "2", "--seed", "0",
                 "--project", str(project), "--study", "h", "--quiet"]) == 0
    assert main(["export", "--project", str(project), "--study", "h", "--csv", str(out)]) == 0
    capsys.readouterr()
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    stopped = [r for r in rows if r["state"] == "PRUNED"]
    complete = [r for r in rows if r["state"] == "COMPLETE"]
    assert len(stopped) == 12 and len(complete) == 4
    assert {r["split1_test_score"] == "" for r in stopped} == {True, False}  # 1 and 2 folds
    for row in stopped:
        assert row["mean_test_score"] != ""
        assert row["std_test_score"] == row["std_train_score"] == row["rank_test_score"] == ""
    means = np.array([float(r["mean_test_score"]) for r in complete])
    ranks = [int(r["rank_test_score"]) for r in complete]
    assert ranks == rankdata(-means, method="min").tolist() and min(ranks) == 1
    assert all(float(r["std_test_score"]) >= 0 for r in complete)


def test_an_old_project_file_gets_the_attrs_column(tmp_path):
    path = tmp_path / "old.hpt"
    with ProjectStore(path):
        pass
    with sqlite3.connect(path) as db:  # as a file written before the column existed
        db.execute("ALTER TABLE trials DROP COLUMN attrs_json")
    p = plan(trials=4)
    with ProjectStore(path) as store:
        study = store.open_study(p.spec)
        store.save_trial(study, TrialRecord(0, TrialState.PRUNED, {"max_depth": 1}, (
            FoldResult(0, 0, 0.5, 0.6, 0.1, 0.0),), 0.0, 1.0, attrs={"rung": 0, "folds": 1}))
        store.save_trial(study, TrialRecord(1, TrialState.COMPLETE, {"max_depth": 4}, (), 0.0,
                                            1.0))
        first, second = store.trials("h")
    assert first.attrs == {"rung": 0, "folds": 1} and second.attrs is None
    assert first.mean_test_score == 0.5


@pytest.mark.parametrize("options, phrase", [
    ({"factor": 1}, "halving factor must be a number above 1"),
    ({"factor": "3"}, "halving factor"),
    ({"resource": "time"}, "resource must be folds"),
    ({"min_resource": 0}, "minimum resource must be a whole number of folds"),
    ({"min_resource": 2.5, "resource": "rows"}, "whole number of training rows"),
    ({"rungs": 3}, "has no option rungs; its options are factor, resource and min_resource"),
])
def test_bad_halving_options_are_one_sentence(options, phrase):
    with pytest.raises(SpecError, match=phrase):
        StudySpec(name="s", data="demo:iris", target="target", model="SVC", space=SPACE,
                  task="classification", strategy="halving", options=options)


def test_a_grid_sized_space_gives_the_grid_as_candidates():
    spec = StudySpec(name="s", data="demo:iris", target="target", model="SVC", space=SPACE,
                     task="classification", strategy="halving")
    strategy = make_strategy(spec)
    assert strategy.size == len(SPACE.grid()) == 12
    assert [c.params for c in strategy.ask(12)] == SPACE.grid()
    assert spec.options == {"factor": 3, "resource": "folds", "min_resource": None}


def test_resumed_strategy_skips_decided_rungs():
    """Replayed outcomes carry their rung: a pruned one shows its rung was decided."""
    first = HalvingStrategy(SPACE, 0, candidates=9, folds=3, factor=3)
    settled = []
    for step in first.ask(9):
        settled += first.report(step.number, step.number / 10)
    assert {s.number for s in settled} == set(range(6))  # the best 3 go on
    resumed = HalvingStrategy(SPACE, 0, candidates=9, folds=3, factor=3)
    for s in settled:
        resumed.tell(Outcome(s.number, {}, 0.0, s.state, s.attrs))
    again = resumed.ask(9)  # rung 1 on all 3 folds: their fold 0 was lost with the run
    assert [(c.number, c.splits) for c in again] == [(6, (0, 1, 2)), (7, (0, 1, 2)),
                                                     (8, (0, 1, 2))]


# --------------------------------------------------------------- the command line, 2 jobs


@pytest.mark.parametrize("task, model, resource", [
    ("classification", "DecisionTreeClassifier", "folds"),
    ("regression", "DecisionTreeRegressor", "rows"),
])
def test_cli_halving_on_a_csv_with_two_jobs(tmp_path, capsys, mixed_csv, task, model,
                                            resource):
    project = tmp_path / "p.hpt"
    args = ["run", "--data", str(mixed_csv(task, 90)), "--target", "y", "--model", model,
            "--strategy", "halving", "--trials", "9", "--cv", "3", "--factor", "3",
            "--halving-resource", resource, "--min-resource", "20" if resource == "rows"
            else "1", "--jobs", "2", "--project", str(project), "--study", "h", "--json"]
    assert main(args) == 0
    out = capsys.readouterr()
    summary = json.loads(out.out)
    assert summary["trials"]["COMPLETE"] >= 1 and summary["trials"]["FAIL"] == 0
    assert summary["trials"]["PRUNED"] == 9 - summary["trials"]["COMPLETE"] > 0
    halving = summary["halving"]
    assert halving["fits_full"] == 27 and halving["share"] < 1
    assert "halved by 3" in out.err
    assert main(args) == 0  # run again: resumes, nothing left to do
    assert json.loads(capsys.readouterr().out)["new_trials"] == 0


def test_cli_refuses_bad_halving_values(tmp_path, capsys):
    base = ["run", "--data", "demo:iris", "--target", "target", "--model",
            "DecisionTreeClassifier", "--project", str(tmp_path / "p.hpt")]
    def refused(*args):
        try:
            code = main([*base, *args])
        except SystemExit as exc:  # argparse's own checks exit at once
            code = exc.code
        assert code == EXIT_BAD_INPUT
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.count("\n") == 1
        return err

    assert "must be above 1" in refused("--strategy", "halving", "--factor", "0.5")
    assert "add --strategy halving" in refused("--min-resource", "2")
    assert "invalid choice" in refused("--strategy", "halving", "--halving-resource", "cols")
    assert "'x' is not a number" in refused("--strategy", "halving", "--factor", "x")


def test_human_summary_states_the_saving(tmp_path, capsys):
    assert main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "DecisionTreeClassifier", "--strategy", "halving", "--trials", "9",
                 "--cv", "5", "--project", str(tmp_path / "p.hpt")]) == 0
    out = capsys.readouterr().out
    assert "Halving used 21 of 45 fits (47%)." in out
    assert math.isclose(21 / 45, 0.4667, abs_tol=1e-3)


def test_an_old_read_only_project_file_is_read_as_it_is(tmp_path, monkeypatch):
    """Viewing never writes: a file from before the attrs column and the results table,
    which cannot be written, opens with its trials (no attributes, no results)."""
    import hpt_gui.core.store as store_module

    path = tmp_path / "old.hpt"
    p = plan(trials=4)
    with ProjectStore(path) as store:
        study = store.open_study(p.spec)
        store.save_trial(study, TrialRecord(0, TrialState.COMPLETE, {"max_depth": 1}, (
            FoldResult(0, 0, 0.5, 0.6, 0.1, 0.0),), 0.0, 1.0))
    with sqlite3.connect(path) as db:  # as a file written before both existed
        db.execute("ALTER TABLE trials DROP COLUMN attrs_json")
        db.execute("DROP TABLE results")
    connect = sqlite3.connect

    def read_only(*args, **kwargs):  # root ignores file modes; SQLite's own switch
        db = connect(*args, **kwargs)
        db.execute("PRAGMA query_only=1")
        return db

    monkeypatch.setattr(store_module.sqlite3, "connect", read_only)
    with ProjectStore(path) as store:
        (trial,) = store.trials("h")
        assert trial.mean_test_score == 0.5 and trial.attrs is None
        assert store.results("h") is None
    monkeypatch.undo()
    with sqlite3.connect(path) as db:  # nothing was written
        assert "results" not in {r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}


def test_halving_refuses_another_number_of_starting_candidates(tmp_path):
    run(plan(trials=8), tmp_path / "p.hpt")
    with pytest.raises(Exception, match="number of starting candidates"):
        run(plan(trials=12), tmp_path / "p.hpt")


def test_rows_start_with_at_least_a_row_of_every_class():
    p = plan(trials=243, resource="rows", factor=3, min_resource=1)  # 1 row at first
    strategy = make_strategy(p.spec, p.context)
    assert strategy.rungs[0].resource >= 3  # iris has three classes
    for train, _ in strategy.extra_splits:
        assert len(set(p.dataset.y()[train])) == 3
