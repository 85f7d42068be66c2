"""`hpt-gui assess`: the out-of-fold assessment of a stored trial, as JSON and text, the
predictions as a formula-safe CSV, and a sentence with exit 2 for what cannot be done."""

import json

import numpy as np
import pandas as pd
import pytest
from trial_samples import project_with_failed_trial

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core import engine
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import Categorical, SearchSpace
from hpt_gui.core.store import ProjectStore, best_trial
from hpt_gui.core.study import plan_study


def _run(folder, name, data, model, space, target=None):
    plan = plan_study(data=data, target=target, model=model, space=space, strategy="grid",
                      cv=3, name=name)
    project = folder / f"{name}.hpt"
    run_study(plan, project, jobs=1)
    with ProjectStore(project) as store:
        return project, plan.spec, store.trials(name)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """Two decision-tree trials on iris, 3 folds; (project, spec, trials)."""
    return _run(tmp_path_factory.mktemp("assess"), "trees", "demo:iris",
                "DecisionTreeClassifier", SearchSpace((Categorical("max_depth", (1, 3)),)))


def _args(study, *more):
    project, spec, _ = study
    return ["assess", "--project", str(project), "--study", spec.name, *more]


def test_json_holds_the_keys_of_the_best_trial(study, capsys):
    _, spec, trials = study
    assert main(_args(study, "--json")) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {"task", "trial", "metrics", "confusion_matrix", "per_class",
            "importance"} <= set(payload)
    assert payload["task"] == "classification"
    assert payload["trial"] == best_trial(trials).number
    assert {"accuracy", "balanced_accuracy", "f1_macro", "roc_auc_ovr",
            "log_loss"} == set(payload["metrics"])
    assert payload["confusion_matrix"]["labels"] == [0, 1, 2]
    assert np.sum(payload["confusion_matrix"]["counts"]) == 150
    assert set(payload["importance"]) == {"sepal length (cm)", "sepal width (cm)",
                                          "petal length (cm)", "petal width (cm)"}
    assert set(payload["importance"]["petal width (cm)"]) == {"mean", "std"}


def test_text_and_a_chosen_trial(study, capsys):
    _, _, trials = study
    stump = next(t for t in trials if t.params == {"max_depth": 1})
    assert main(_args(study, "--trial", str(stump.number))) == 0
    out = capsys.readouterr().out
    assert f"trial {stump.number}" in out and "Confusion matrix" in out
    assert "accuracy" in out and "petal width (cm)" in out


def test_predictions_csv_has_one_row_per_data_row(study, tmp_path, capsys):
    out = tmp_path / "oof.csv"
    assert main(_args(study, "--predictions", str(out))) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == ["row", "fold", "actual", "predicted", "probability 0",
                                   "probability 1", "probability 2"]
    assert list(table["row"]) == list(range(150)) and set(table["fold"]) == {0, 1, 2}
    project, spec, _ = study
    kept = engine.predictions(project, spec.name)
    assert list(table["predicted"]) == list(kept.predicted_values())
    np.testing.assert_allclose(table["probability 2"], kept.scores[:, 2], atol=1e-12)


def test_predictions_csv_is_formula_safe(tmp_path, capsys):
    rng = np.random.default_rng(0)
    n = 60
    frame = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n)})
    frame["y"] = np.where(frame["x"] + rng.normal(size=n) > 0, "=HYPERLINK(1)", "@SUM(2)")
    data = tmp_path / "formula.csv"
    frame.to_csv(data, index=False)
    project, spec, _ = _run(tmp_path, "formula", str(data), "LogisticRegression",
                            SearchSpace((Categorical("C", (1.0,)),)), target="y")
    out = tmp_path / "oof.csv"
    assert main(["assess", "--project", str(project), "--study", "formula",
                 "--predictions", str(out)]) == 0
    text = out.read_text()
    assert "'=HYPERLINK(1)" in text and "'@SUM(2)" in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text


def test_never_writes_over_the_project_or_the_data(study, capsys):
    project, spec, _ = study
    before = project.read_bytes()
    assert main(_args(study, "--predictions", str(project))) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "would be overwritten" in err and len(err.strip().splitlines()) == 1
    assert project.read_bytes() == before


def test_a_failed_trial_exits_2_with_a_sentence(study, tmp_path, capsys):
    _, spec, trials = study
    project = project_with_failed_trial(tmp_path, spec, trials, {"max_depth": 2})
    code = main(["assess", "--project", str(project), "--study", spec.name, "--trial", "99"])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and "did not complete" in err
    assert len(err.strip().splitlines()) == 1


def test_a_changed_data_file_exits_2_with_a_sentence(mixed_csv, tmp_path, capsys):
    data = mixed_csv("classification")
    project, spec, _ = _run(tmp_path, "mixed", str(data), "LogisticRegression",
                            SearchSpace((Categorical("C", (1.0,)),)), target="y")
    data.write_bytes(data.read_bytes().replace(b"Lyon", b"Nice", 1))
    code = main(["assess", "--project", str(project), "--study", "mixed", "--json"])
    captured = capsys.readouterr()
    assert code == EXIT_BAD_INPUT and captured.out == ""
    assert "has changed since the study ran" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_a_missing_project_or_study_exits_2(study, tmp_path, capsys):
    missing = tmp_path / "none.hpt"
    assert main(["assess", "--project", str(missing), "--study", "s"]) == EXIT_BAD_INPUT
    assert "does not exist" in capsys.readouterr().err and not missing.exists()
    project, _, _ = study
    assert main(["assess", "--project", str(project), "--study", "nope"]) == EXIT_BAD_INPUT
    assert "no study named 'nope'" in capsys.readouterr().err
