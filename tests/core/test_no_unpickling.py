"""Opening a project file never unpickles anything (issue 6, files from elsewhere): a
project from someone else holds JSON and numbers, and reading it runs no code of theirs."""

import pickle

from hpt_gui.cli import main
from hpt_gui.core.store import ProjectStore


def test_reading_a_whole_project_never_unpickles(tmp_path, monkeypatch, capsys):
    project = tmp_path / "p.hpt"
    assert main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "DecisionTreeClassifier", "--strategy", "random", "--trials", "3", "--cv",
                 "2", "--test-size", "0.2", "--project", str(project), "--quiet"]) == 0

    def refuse(*args, **kwargs):
        raise AssertionError("a project file was unpickled")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    import joblib

    monkeypatch.setattr(joblib, "load", refuse)
    with ProjectStore(project) as store:
        for row in store.studies():
            trials = store.trials(row.name)
            assert all(len(t.folds) == 2 for t in trials)  # the folds are read too
            store.results(row.name)
    capsys.readouterr()
    assert main(["export", "--project", str(project), "--study",
                 "DecisionTreeClassifier-random", "--csv", str(tmp_path / "t.csv")]) == 0
    assert main(["diagnose", "--project", str(project), "--study",
                 "DecisionTreeClassifier-random", "--json"]) == 0


def test_the_store_module_has_no_unpickling_code():
    import inspect

    import hpt_gui.core.store as store

    source = inspect.getsource(store)
    for call in ("pickle.load", "joblib.load", "cloudpickle", "marshal.load", "eval(",
                 "exec("):
        assert call not in source, call


def test_importance_of_trials_that_all_score_the_same_is_a_note():
    """Found by the test above: fANOVA raises on scores without variance; the diagnosis
    (CLI, report, window) says so in a sentence instead of stopping."""
    from hpt_gui.core.diagnostics.frame import TrialFrame
    from hpt_gui.core.diagnostics.importance import param_importance
    from hpt_gui.core.evaluate import FoldResult
    from hpt_gui.core.space import SearchSpace
    from hpt_gui.core.store import TrialRecord, TrialState

    space = SearchSpace.from_json({"max_depth": {"type": "int", "low": 1, "high": 9}})
    trials = [TrialRecord(n, TrialState.COMPLETE, {"max_depth": n + 1},
                          (FoldResult(n, 0, 0.9, 0.95, 0.1, 0.0),), 0.0, 1.0)
              for n in range(6)]
    importance = param_importance(TrialFrame.from_trials(trials), space)
    assert importance.names == () and "same validation score" in importance.note
