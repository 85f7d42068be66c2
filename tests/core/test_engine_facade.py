"""core/engine.py, the one service both front ends call: a run through it is run_study's,
a resume finishes the stored study, its user errors are the command line's sentences, and
export, compare and predict go through it. (tests/core/test_engine.py is the study loop's.)"""

import json

import pandas as pd
import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core import engine
from hpt_gui.core.request import StudyRequest
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.study import plan_study

GRID = {"max_depth": {"type": "categorical", "choices": [1, 3]},
        "min_samples_leaf": {"type": "categorical", "choices": [1, 10]}}


def _request(project, name="dt", **choices):
    choices = {"space": SearchSpace.from_json(GRID), **choices}
    return StudyRequest(name=name, data="demo:iris", target="target",
                        model="DecisionTreeClassifier", project=project, strategy="grid",
                        cv=3, **choices)


def _scores(trials):
    return [(t.number, t.params, t.test_scores) for t in trials]


@pytest.fixture(scope="module")
def tiny_study(tmp_path_factory):
    """A finished four-trial grid study, run through the engine."""
    project = tmp_path_factory.mktemp("engine") / "p.hpt"
    result = engine.run(_request(project))
    return project, result


def test_a_run_through_the_engine_is_run_studys(tiny_study, tmp_path):
    from hpt_gui.core.runner import run_study

    project, result = tiny_study
    direct = run_study(plan_study(_request(tmp_path / "direct.hpt")), tmp_path / "direct.hpt")
    assert result.status == direct.status == "finished"
    assert _scores(result.trials) == _scores(direct.trials)
    assert result.best.number == direct.best.number


def test_the_engine_tells_each_trial_with_its_study_and_progress(tmp_path):
    trials, progress = [], []
    result = engine.run(_request(tmp_path / "p.hpt"), processes=True,
                        on_trial=lambda study, trial: trials.append((study, trial.number)),
                        on_progress=progress.append)
    assert sorted(trials) == [("dt", n) for n in range(4)]
    assert progress[-1].done == 4 and len(result.trials) == 4


def test_a_stopped_run_is_resumed_to_its_end(tmp_path):
    project = tmp_path / "p.hpt"
    first = engine.run(_request(project), should_stop=lambda: True)
    assert first.status == engine.CANCELLED
    assert engine.study(project, "dt").status != "finished"
    resumed = engine.resume(project, "dt")
    assert resumed.status == "finished" and len(resumed.trials) == 4
    request = engine.resume_request(project, "dt", jobs=2)
    assert request.jobs == 2 and request.space == SearchSpace.from_json(GRID)


def test_jobs_lowered_to_the_fits_are_said(tmp_path):
    launch = engine.prepare(_request(tmp_path / "p.hpt", jobs=64))
    assert launch.jobs < 64 and launch.where == f"{launch.jobs} job(s)"
    assert launch.notes and "64 worker processes were asked for" in launch.notes[0]


def test_a_user_error_is_the_same_sentence_in_the_cli_and_the_engine(tmp_path, capsys):
    space = tmp_path / "space.json"
    space.write_text(json.dumps({"no_such_param": {"type": "categorical", "choices": [1]}}))
    with pytest.raises(engine.USER_ERRORS) as caught:
        engine.run(_request(tmp_path / "p.hpt", space=SearchSpace.load(space)))
    assert engine.is_sentence(caught.value)
    code = main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "DecisionTreeClassifier", "--space", str(space), "--strategy", "grid",
                 "--cv", "3", "--project", str(tmp_path / "p.hpt"), "--study", "dt"])
    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err.strip() == f"hpt-gui: {caught.value}"


def test_an_unexpected_error_is_no_sentence():
    assert not engine.is_sentence(RuntimeError("boom"))
    assert engine.StoreError in engine.USER_ERRORS


def test_reading_a_project_through_the_engine(tiny_study):
    project, result = tiny_study
    view = engine.read_project(project)
    assert list(view.studies) == ["dt"] and view.elsewhere == {}
    row, trials = engine.read_study(project, "dt")
    assert _scores(trials) == _scores(result.trials) == _scores(view.studies["dt"][1])
    assert [row.name for row in engine.studies(project)] == ["dt"]
    assert engine.results(project, "dt") is None
    assert engine.running_elsewhere(project) == []
    assert engine.is_project_file(project)
    with pytest.raises(engine.StoreError):
        engine.study(project, "nope")


def test_export_compare_and_predict_through_the_engine(tiny_study, tmp_path):
    project, result = tiny_study
    row, trials = engine.read_study(project, "dt")
    table = pd.read_csv(engine.export_csv(trials, tmp_path / "t.csv"))
    assert list(table["number"]) == [0, 1, 2, 3]
    sidecar = engine.export_model(row.spec, trials, tmp_path / "m.skops")
    assert sidecar.exists() and (tmp_path / "m.skops").exists()
    script = engine.export_script(row.spec, trials, tmp_path / "s.py")
    assert "DecisionTreeClassifier" in script.read_text()

    comparison = engine.compare(engine.study_trials(project))
    assert [s.name for s in comparison.studies] == ["dt"]

    rows = tmp_path / "rows.csv"
    from sklearn.datasets import load_iris

    load_iris(as_frame=True).data.head(5).to_csv(rows, index=False)
    model = engine.model_from_study(project, "dt")
    path, _, count = engine.predict(model, rows, tmp_path / "pred.csv")
    assert count == 5 and len(pd.read_csv(path)) == 5
    loaded = engine.model_from_file(tmp_path / "m.skops")
    _, _, again = engine.predict(loaded, rows, tmp_path / "pred2.csv")
    assert again == 5
    assert pd.read_csv(tmp_path / "pred.csv").equals(pd.read_csv(tmp_path / "pred2.csv"))


def test_diagnose_through_the_engine(tiny_study):
    project, result = tiny_study
    row, trials = engine.read_study(project, "dt")
    assert engine.diagnose(row.spec, trials, with_curves=False).trial == result.best.number
