"""StudyRequest: one set of rules for the window and the command line, the request that
resumes a stored study, and one cost for the window's preview and `hpt-gui run`."""

from dataclasses import fields

import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.request import FLAGS, PLAIN, StudyRequest
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import plan_cost, plan_study


def _in_plain_words(sentence: str) -> str:
    """The command line's sentence with the window's names for the settings."""
    for field in fields(FLAGS):
        sentence = sentence.replace(getattr(FLAGS, field.name), getattr(PLAIN, field.name))
    return sentence


# A bad choice as the request holds it, as `hpt-gui run` flags, and as the settings panel
# sets it (None: the panel's widgets cannot make it), with a phrase of its sentence.
BAD_CHOICES = [
    pytest.param({"strategy": "tpe"}, ["--strategy", "tpe"], {"strategy": "tpe"},
                 "A Bayesian (TPE) search needs", id="no budget"),
    pytest.param({"strategy": "evolution", "options": {"population": 4}},
                 ["--strategy", "evolution", "--population", "4"], {"strategy": "evolution"},
                 "An evolutionary search needs", id="no budget for evolution"),
    pytest.param({"nested": 3, "test_size": 0.2}, ["--nested", "3", "--test-size", "0.2"],
                 None, "takes no", id="nested with a test set"),
    pytest.param({"validation": {"scheme": "group"}}, ["--scheme", "group"],
                 {"scheme": "group"}, "A group k-fold needs", id="group without its column"),
    pytest.param({"jobs": 2, "cluster": "tcp://127.0.0.1:1"},
                 ["--jobs", "2", "--cluster", "tcp://127.0.0.1:1"], None,
                 "do not go together", id="workers and a cluster"),
    pytest.param({"cluster": "nonsense"}, ["--cluster", "nonsense"], {"cluster": "nonsense"},
                 "tcp://HOST:PORT", id="not a scheduler address"),
]


@pytest.mark.parametrize("choices, flags, panel, phrase", BAD_CHOICES)
def test_the_command_line_exits_2_with_the_requests_sentence(tmp_path, capsys, choices,
                                                             flags, panel, phrase):
    request = StudyRequest(data="demo:iris", target="target", model="GaussianNB", **choices)
    [sentence, *_] = request.problems(FLAGS)
    assert phrase in sentence
    code = main(["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
                 "--project", str(tmp_path / "p.hpt"), "--quiet", *flags])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT
    assert err.strip() == f"hpt-gui: {sentence}"
    assert not (tmp_path / "p.hpt").exists()
    # the same rule, in the window's words
    assert request.problems()[0] == _in_plain_words(sentence)


@pytest.mark.parametrize("choices, flags, panel, phrase",
                         [case for case in BAD_CHOICES if case.values[2] is not None])
def test_the_settings_panel_shows_the_same_sentence(qtbot_or_skip, tmp_path, capsys, choices,
                                                    flags, panel, phrase):
    from hpt_gui.ui.settings_panel import SettingsPanel

    widget = SettingsPanel()
    qtbot_or_skip.addWidget(widget)
    assert not widget.problem.isVisibleTo(widget)  # the defaults can run
    widget.trials.setValue(0)
    if "strategy" in panel:
        widget.strategy.setCurrentIndex(widget.strategy.findData(panel["strategy"]))
    if "scheme" in panel:
        widget.scheme.setCurrentIndex(widget.scheme.findData(panel["scheme"]))
    if "cluster" in panel:
        widget.run_on.setCurrentIndex(widget.run_on.findData("cluster"))
        widget.cluster.setText(panel["cluster"])
    widget.show_cost({"GaussianNB": 1})
    shown = widget.settings().problems()
    assert shown == StudyRequest(**choices).problems()
    assert widget.problem.isVisibleTo(widget) and widget.problem.text() == shown[0]
    # and it is the sentence the command line says, with the window's names
    main(["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
          "--project", str(tmp_path / "p.hpt"), "--quiet", *flags])
    said = capsys.readouterr().err.strip().removeprefix("hpt-gui: ")
    assert shown[0] == _in_plain_words(said)


@pytest.fixture
def qtbot_or_skip(request):
    pytest.importorskip("pytestqt")
    return request.getfixturevalue("qtbot")


def test_a_request_that_can_run_has_no_problems():
    assert StudyRequest(strategy="random", trials=5).problems() == []
    assert StudyRequest(strategy="tpe", time_limit=60, cluster="10.0.0.5:8786").problems() \
        == []
    assert StudyRequest(validation={"scheme": "group", "group": "site"}, nested=3,
                        jobs=2).problems() == []


SPACE = SearchSpace.from_json({"max_depth": {"type": "categorical", "choices": [1, 2, 3]},
                               "min_samples_leaf": {"type": "int", "low": 1, "high": 20}})


@pytest.mark.parametrize("choices", [
    {"model": "GaussianNB", "strategy": "grid", "cv": 3},
    {"model": "DecisionTreeClassifier", "space": SPACE, "strategy": "evolution", "trials": 8,
     "options": {"population": 4, "algorithm": "nsga2"},
     "validation": {"scheme": "repeated", "repeats": 2}, "cv": 3, "test_size": 0.2,
     "seed": 7, "scoring": "balanced_accuracy", "trial_time_limit": 30.0},
    {"model": "DecisionTreeClassifier", "space": SPACE, "strategy": "manual",
     "manual_params": {"max_depth": 2, "min_samples_leaf": 5}, "nested": 3, "cv": 3},
    {"model": "DecisionTreeClassifier", "space": SPACE, "strategy": "halving", "trials": 9,
     "options": {"factor": 2, "resource": "rows", "min_resource": 30}},
])
def test_from_spec_round_trips(choices):
    request = StudyRequest(name="s", data="demo:iris", target="target", **choices)
    spec = plan_study(request).spec
    again = StudyRequest.from_spec(spec)
    assert plan_study(again).spec == spec
    assert StudyRequest.from_spec(plan_study(again).spec) == again


def test_from_spec_of_a_stored_run_resumes_it(tmp_path):
    from hpt_gui.core.runner import run_study

    project = tmp_path / "p.hpt"
    plan = plan_study(data="demo:iris", target="target", model="GaussianNB", cv=3, name="nb",
                      strategy="random", trials=2, seed=3)
    run_study(plan, project)
    with ProjectStore(project) as store:
        stored = store.study("nb").spec
    request = StudyRequest.from_spec(stored, project=project, jobs=2)
    assert (request.project, request.workers, request.cluster) == (project, 2, None)
    assert plan_study(request).spec.differences(stored) == []
    assert request.engine == stored.engine and request.problems() == []


def test_plan_study_takes_the_request_or_its_fields():
    by_request = plan_study(StudyRequest(data="demo:iris", target="target",
                                         model="GaussianNB", cv=3, seed=2))
    by_keywords = plan_study(data="demo:iris", target="target", model="GaussianNB", cv=3,
                             seed=2)
    assert by_request.spec == by_keywords.spec
    with pytest.raises(TypeError):
        plan_study(data="demo:iris", target="target", model="GaussianNB", folds=3)


@pytest.mark.parametrize("choices", [
    {"strategy": "grid", "cv": 3},
    {"strategy": "grid", "cv": 3, "trials": 4, "validation": {"scheme": "repeated",
                                                               "repeats": 2}},
    {"strategy": "random", "trials": 7, "nested": 2, "cv": 3},
    {"strategy": "halving", "cv": 5, "options": {"factor": 3}},
    {"strategy": "manual", "manual_params": {"max_depth": 2, "min_samples_leaf": 1}},
])
def test_the_windows_cost_is_the_runs_cost(choices):
    """The window counts a request from its grid's size before planning; the command line
    counts the plan; both say the same fits and the same work."""
    request = StudyRequest(data="demo:iris", target="target", model="DecisionTreeClassifier",
                           space=SPACE, **choices)
    before = request.cost(len(SPACE.grid()))
    after = plan_cost(plan_study(request))
    assert before == after
