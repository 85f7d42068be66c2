"""`hpt-gui diagnose`: the verdict of a stored study, as JSON and as text; read-only."""

import hashlib
import json
import shutil

import pytest
from trial_samples import project_with_failed_trial

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.diagnostics.summary import diagnose
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import Categorical, IntRange, SearchSpace
from hpt_gui.core.store import ProjectStore, best_trial
from hpt_gui.core.study import plan_study

KEYS = {"verdict", "train_score", "validation_score", "gap", "evidence", "advice", "moves",
        "best_trial", "one_se_trial", "curves", "notes", "importance", "trial"}


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """A 10-trial grid of decision trees on iris, 3 folds; (project, spec, trials)."""
    folder = tmp_path_factory.mktemp("diagnose")
    space = SearchSpace((IntRange("max_depth", 1, 5),
                         Categorical("criterion", ("gini", "entropy"))))
    plan = plan_study(data="demo:iris", target=None, model="DecisionTreeClassifier",
                      space=space, strategy="grid", cv=3, name="trees")
    project = folder / "p.hpt"
    run_study(plan, project, jobs=1)
    with ProjectStore(project) as store:
        trials = store.trials("trees")
    return project, plan.spec, trials


def _json(capsys, *args):
    code = main(["diagnose", *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out, parse_constant=lambda text: pytest.fail(f"{text} in the JSON"))


def _args(study, *more):
    project, spec, _ = study
    return ["--project", str(project), "--study", spec.name, *more]


def _stump(trials):
    return next(t for t in trials if t.params == {"max_depth": 1, "criterion": "gini"})


def test_json_diagnoses_the_best_trial(study, capsys):
    _, spec, trials = study
    payload = _json(capsys, *_args(study))
    assert KEYS <= set(payload)
    best = best_trial(trials)
    assert payload["best_trial"] == best.number == payload["trial"]
    assert payload["train_score"] == pytest.approx(best.mean_train_score, abs=1e-12)
    assert payload["validation_score"] == pytest.approx(best.mean_test_score, abs=1e-12)
    assert payload["verdict"] == diagnose(spec, trials).verdict.verdict
    assert set(payload["curves"]) == {"by_param", "learning", "validation"}
    assert payload["curves"]["learning"] is None and payload["curves"]["validation"] is None
    assert set(payload["importance"]["importance"]) <= {"max_depth", "criterion"}
    assert payload["notes"] == []  # demo data loads: the baseline is there, no note
    assert payload["details"]["baseline_score"] == pytest.approx(1 / 3, abs=0.02)


def test_json_of_a_chosen_trial_is_that_trials(study, capsys):
    _, spec, trials = study
    stump = _stump(trials)
    payload = _json(capsys, *_args(study, "--trial", str(stump.number)))
    assert payload["trial"] == stump.number
    assert payload["verdict"] == diagnose(spec, trials, stump.number).verdict.verdict \
        == "underfitting"
    assert payload["train_score"] == pytest.approx(stump.mean_train_score, abs=1e-12)
    assert payload["validation_score"] == pytest.approx(stump.mean_test_score, abs=1e-12)
    assert payload["best_trial"] == best_trial(trials).number


def test_learning_curve_ends_at_the_trials_own_score(study, capsys):
    _, _, trials = study
    stump = _stump(trials)
    payload = _json(capsys, *_args(study, "--trial", str(stump.number), "--learning-curve",
                                   "--jobs", "1"))
    learning = payload["curves"]["learning"]
    assert learning["kind"] == "learning" and len(learning["x"]) >= 3
    assert learning["x"] == sorted(learning["x"])
    assert learning["test_mean"][-1] == pytest.approx(stump.mean_test_score, abs=1e-9)
    assert learning["train_mean"][-1] == pytest.approx(stump.mean_train_score, abs=1e-9)
    assert "learning curve is" in payload["evidence"]  # the verdict read its slope


def test_validation_curve_passes_through_the_trial(study, capsys):
    _, _, trials = study
    stump = _stump(trials)
    payload = _json(capsys, *_args(study, "--trial", str(stump.number), "--validation-curve",
                                   "max_depth", "--jobs", "1"))
    curve = payload["curves"]["validation"]
    assert curve["param"] == "max_depth" and curve["x"] == [1, 2, 3, 4, 5]
    for depth, score in zip(curve["x"], curve["test_mean"], strict=True):
        same = next(t for t in trials if t.params == {"max_depth": depth, "criterion": "gini"})
        assert score == pytest.approx(same.mean_test_score, abs=1e-9)


def test_text_output_names_the_verdict_and_the_choice(study, capsys):
    _, spec, trials = study
    assert main(["diagnose", *_args(study)]) == 0
    out = capsys.readouterr().out
    d = diagnose(spec, trials)
    assert d.verdict.evidence in out and d.verdict.advice in out
    assert f"Best trial {d.choice.best}:" in out and f"One-SE trial {d.choice.one_se}:" in out
    assert d.choice.explanation in out
    assert "Importance" in out


def test_conditional_importance_is_reported_apart(study, capsys, monkeypatch):
    from hpt_gui.core.diagnostics import importance as module

    fake = module.Importance(("max_depth", "criterion"), (0.75, 0.25),
                             (("gamma", 0.4, "kernel is rbf or poly"),), 10)
    monkeypatch.setattr(module, "param_importance", lambda *args, **kwargs: fake)
    assert main(["diagnose", *_args(study)]) == 0
    out = capsys.readouterr().out
    assert "Importance (share of the score's variance): max_depth 75 %, criterion 25 %." in out
    assert ("Importance within the trials where it applies (not part of the shares above): "
            "gamma 40 % (when kernel is rbf or poly).") in out
    payload = _json(capsys, *_args(study))
    assert payload["importance"]["importance"] == {"max_depth": 0.75, "criterion": 0.25}
    assert payload["importance"]["within"] == [
        {"name": "gamma", "share": 0.4, "where": "kernel is rbf or poly"}]


@pytest.mark.parametrize("args, phrase", [
    (["--study", "nope"], "no study named 'nope'"),
    (["--trial", "99"], "no trial number 99"),
    (["--validation-curve", "depth"], "max_depth"),
])
def test_bad_input_is_one_sentence_and_exit_2(study, capsys, args, phrase):
    project, spec, _ = study
    base = ["diagnose", "--project", str(project)]
    if "--study" not in args:
        base += ["--study", spec.name]
    assert main(base + args) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert phrase in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_project_is_refused_and_not_created(tmp_path, capsys):
    missing = tmp_path / "none.hpt"
    assert main(["diagnose", "--project", str(missing), "--study", "s"]) == EXIT_BAD_INPUT
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()


def test_a_failed_trial_is_refused(study, tmp_path, capsys):
    _, spec, trials = study
    project = project_with_failed_trial(tmp_path, spec, trials, {"max_depth": 2})
    code = main(["diagnose", "--project", str(project), "--study", spec.name, "--trial", "99"])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and "did not complete" in err
    assert len(err.strip().splitlines()) == 1


def test_diagnose_never_writes_the_project(study, capsys):
    project, spec, trials = study
    before = hashlib.sha256(project.read_bytes()).hexdigest()
    _json(capsys, *_args(study, "--learning-curve", "--jobs", "1"))
    assert main(["diagnose", *_args(study)]) == 0
    capsys.readouterr()
    assert hashlib.sha256(project.read_bytes()).hexdigest() == before
    with ProjectStore(project) as store:
        assert [s.name for s in store.studies()] == [spec.name]
        assert len(store.trials(spec.name)) == len(trials)


def test_moved_data_gives_a_note_but_curves_need_it(tmp_path, capsys):
    from sklearn.datasets import load_iris

    data = tmp_path / "iris.csv"
    load_iris(as_frame=True).frame.to_csv(data, index=False)
    plan = plan_study(data=data, target="target", model="DecisionTreeClassifier",
                      space=SearchSpace((IntRange("max_depth", 1, 3),)), strategy="grid",
                      cv=3, name="moved")
    project = tmp_path / "p.hpt"
    run_study(plan, project, jobs=1)
    shutil.move(data, tmp_path / "elsewhere.csv")
    args = ["diagnose", "--project", str(project), "--study", "moved"]
    payload = _json(capsys, *args[1:])
    assert len(payload["notes"]) == 1 and "could not be loaded" in payload["notes"][0]
    assert payload["details"]["baseline_score"] is None
    assert main([*args, "--learning-curve"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "could not be loaded" in err and len(err.strip().splitlines()) == 1
