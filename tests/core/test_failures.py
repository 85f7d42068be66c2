"""Failed trials summarized by cause, in the core and in the run's summary."""

import json

import pytest
from sklearn.base import BaseEstimator, RegressorMixin

from hpt_gui.cli import main
from hpt_gui.core.failures import FailureCause, describe_failures, failure_causes
from hpt_gui.core.store import TrialRecord, TrialState


def _trial(number, state, error=None):
    return TrialRecord(number, state, {}, (), 0.0, 1.0, error=error)


def test_causes_group_messages_that_differ_only_in_numbers():
    trials = [
        _trial(0, TrialState.FAIL, "fold 1: ValueError: n_neighbors = 50 > n_samples = 30"),
        _trial(1, TrialState.COMPLETE),
        _trial(2, TrialState.FAIL, "MemoryError: out of memory"),
        _trial(3, TrialState.FAIL, "fold 2: ValueError: n_neighbors = 40 > n_samples = 30"),
        _trial(4, TrialState.FAIL, None),
        _trial(5, TrialState.PRUNED),
    ]
    assert failure_causes(trials) == [
        FailureCause("fold 1: ValueError: n_neighbors = 50 > n_samples = 30", 2, 0),
        FailureCause("MemoryError: out of memory", 1, 2),
        FailureCause("no reason was recorded", 1, 4),
    ]
    assert describe_failures(failure_causes(trials), most=1) == [
        "2 trials (e.g. trial 0): fold 1: ValueError: n_neighbors = 50 > n_samples = 30",
        "2 more trials for 2 other reasons",
    ]


def test_the_run_summary_lists_the_causes(tmp_path, capsys):
    space = tmp_path / "space.json"
    space.write_text('{"n_neighbors": {"type": "categorical", "choices": [3, 500]}}')
    args = ["run", "--data", "demo:iris", "--target", "target", "--model",
            "KNeighborsClassifier", "--space", str(space), "--strategy", "grid", "--cv", "3",
            "--project", str(tmp_path / "p.hpt")]
    assert main([*args, "--json", "--quiet"]) == 0
    (cause,) = json.loads(capsys.readouterr().out)["failures"]
    assert cause["trials"] == 1 and cause["example_trial"] == 1
    assert "n_neighbors" in cause["cause"]
    assert main(args) == 0  # resumed: nothing to run, the summary says it again
    out = capsys.readouterr().out
    assert "Failed trials, by cause:\n  1 trial (e.g. trial 1): " in out


def test_a_search_where_nothing_works_stops_with_one_sentence(tmp_path, capsys):
    """Every trial fails (no n_neighbors fits 150 rows): the run stops after
    ALL_FAILED_STOP trials instead of its whole budget, keeps them, and says why."""
    import sqlite3

    from hpt_gui.core.runner import ALL_FAILED_STOP

    space = tmp_path / "space.json"
    space.write_text('{"n_neighbors": {"type": "int", "low": 400, "high": 900}}')
    args = ["run", "--data", "demo:iris", "--target", "target", "--model",
            "KNeighborsClassifier", "--space", str(space), "--strategy", "random",
            "--trials", "60", "--cv", "2", "--project", str(tmp_path / "p.hpt"), "--quiet"]
    assert main(args) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"hpt-gui: The study stopped: its first {ALL_FAILED_STOP} trials "
                          f"all failed ({ALL_FAILED_STOP} trials (e.g. trial 0): ")
    assert "n_neighbors" in err and len(err.splitlines()) == 1
    with sqlite3.connect(tmp_path / "p.hpt") as db:
        stored = db.execute("SELECT COUNT(*), MIN(state), MAX(state) FROM trials").fetchone()
        status = db.execute("SELECT status FROM studies").fetchone()[0]
    assert stored[0] >= ALL_FAILED_STOP and stored[1:] == ("FAIL", "FAIL")
    assert status == "interrupted"  # resumable once the cause is fixed



class _Failing(RegressorMixin, BaseEstimator):
    """A stand-in model: fits by raising MemoryError, or predicts what makes the score NaN
    or infinite (as a regressor that predicts inf does)."""

    def __init__(self, how="nan"):
        self.how = how

    def fit(self, X, y):
        if self.how == "memory":
            raise MemoryError("Unable to allocate 74.5 GiB for an array")
        self.fitted_ = True
        return self

    def predict(self, X):
        import numpy as np

        return np.full(len(X), np.inf if self.how == "inf" else np.nan)


@pytest.mark.parametrize("how, phrase", [
    ("memory", "MemoryError: Unable to allocate 74.5 GiB"),
    ("inf", "infinity"),
    ("nan", "NaN"),
])
def test_out_of_memory_and_non_finite_scores_fail_the_fold_with_the_reason(
        how, phrase, monkeypatch):
    from sklearn.pipeline import Pipeline

    import hpt_gui.core.evaluate as evaluate
    from hpt_gui.core.study import plan_study

    plan = plan_study(data="demo:diabetes", target="target", model="Ridge",
                      strategy="manual", manual_params={}, cv=2, scoring="r2")
    monkeypatch.setattr(evaluate, "build_pipeline",
                        lambda *args, **kwargs: Pipeline([("model", _Failing(how))]))
    result = evaluate.evaluate_fold(plan.context, 0, {}, 0)
    assert result.failed and result.test_score is None
    assert phrase in result.error


def test_an_impossible_combination_fails_its_trial_and_the_search_goes_on(tmp_path, capsys):
    """lbfgs cannot fit an l1 penalty: that one grid point fails with scikit-learn's
    reason; the other three complete and the summary names the cause."""
    space = tmp_path / "space.json"
    space.write_text(json.dumps({
        "penalty": {"type": "categorical", "choices": ["l1", "l2"]},
        "solver": {"type": "categorical", "choices": ["lbfgs", "liblinear"]}}))
    args = ["run", "--data", "demo:breast_cancer", "--target", "target", "--model",
            "LogisticRegression", "--space", str(space), "--cv", "3", "--project",
            str(tmp_path / "p.hpt"), "--json", "--quiet"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["trials"]["COMPLETE"] == 3 and summary["trials"]["FAIL"] == 1
    (cause,) = summary["failures"]
    assert "lbfgs" in cause["cause"] and "l1" in cause["cause"]
