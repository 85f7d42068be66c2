"""The tpe and evolution strategies in the spec, the project file and the command line."""

import json

import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import SpecError, StudySpec
from hpt_gui.core.store import ProjectStore

SPACE = SearchSpace.from_json({"x": {"type": "float", "low": 0, "high": 1}})


def spec(**fields):
    return StudySpec(**{"name": "s", "data": "demo:iris", "target": "target", "model": "SVC",
                        "space": SPACE, "task": "classification", "trials": 10, **fields})


def test_evolution_options_are_filled_in_and_round_trip():
    evolution = spec(strategy="evolution", options={"population": 8})
    assert evolution.options == {"population": 8, "algorithm": "auto"}
    assert StudySpec.loads(evolution.dumps()) == evolution
    assert spec(strategy="evolution").options == {"population": 16, "algorithm": "auto"}
    assert spec(strategy="tpe", options={}).options is None
    assert spec(strategy="grid").to_json()["options"] is None


def test_a_spec_stored_before_options_existed_still_loads():
    data = spec(strategy="random").to_json()
    del data["options"]
    old = StudySpec.from_json(data)
    assert old.options is None and old.differences(spec(strategy="random")) == []


def test_changed_options_are_a_different_study():
    a = spec(strategy="evolution", options={"population": 8})
    b = spec(strategy="evolution", options={"population": 8, "algorithm": "nsga2"})
    assert a.differences(b) == ["the search strategy's options"]
    assert a.differences(a.with_budget(50, None)) == []


@pytest.mark.parametrize("fields, phrase", [
    ({"strategy": "tpe", "trials": None}, "A Bayesian (TPE) search needs a budget"),
    ({"strategy": "evolution", "trials": None}, "An evolutionary search needs a budget"),
    ({"strategy": "evolution", "options": {"population": 1}},
     "population size must be a whole number from 2 to 10,000, not 1"),
    ({"strategy": "evolution", "options": {"population": True}}, "population size"),
    ({"strategy": "evolution", "options": {"algorithm": "pso"}},
     "must be auto, cmaes or nsga2, not 'pso'"),
    ({"strategy": "evolution", "options": {"generations": 3}},
     "has no option generations; its options are population and algorithm"),
    ({"strategy": "grid", "options": {"population": 8}}, "A grid search takes no options"),
    ({"strategy": "evolution", "options": [8]}, "must be a JSON object"),
])
def test_bad_settings_are_one_sentence(fields, phrase):
    with pytest.raises(SpecError, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        spec(**fields)


RUN = ["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
       "--cv", "3", "--trials", "5"]


def test_run_evolution_from_the_command_line(tmp_path, capsys):
    project = tmp_path / "p.hpt"
    code = main([*RUN, "--strategy", "evolution", "--population", "4", "--evolution", "nsga2",
                 "--project", str(project), "--study", "evo", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert json.loads(out.out)["trials"]["COMPLETE"] == 5
    assert "evolution: NSGA-II (genetic), population 4" in out.err
    with ProjectStore(project) as store:
        assert store.study("evo").spec.options == {"population": 4, "algorithm": "nsga2"}
    # resuming with the same options goes on; other options are another study
    assert main([*RUN[:-1], "7", "--strategy", "evolution", "--population", "4",
                 "--evolution", "nsga2", "--project", str(project), "--study", "evo",
                 "--quiet"]) == 0
    assert main([*RUN, "--strategy", "evolution", "--project", str(project), "--study",
                 "evo", "--quiet"]) == EXIT_BAD_INPUT
    assert "the search strategy's options" in capsys.readouterr().err


def test_run_tpe_from_the_command_line(tmp_path, capsys):
    code = main([*RUN, "--strategy", "tpe", "--project", str(tmp_path / "p.hpt"), "--json",
                 "--quiet"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["study"] == "GaussianNB-tpe"
    assert summary["trials"]["COMPLETE"] == 5


@pytest.mark.parametrize("args, phrase", [
    (["--strategy", "tpe"], "A Bayesian (TPE) search needs --trials or --time-limit."),
    (["--strategy", "evolution"], "An evolutionary search needs --trials or --time-limit."),
    (["--strategy", "tpe", "--trials", "5", "--population", "8"],
     "--population and --evolution set up an evolutionary search; add --strategy evolution."),
    (["--strategy", "evolution", "--trials", "5", "--population", "1"],
     "The population size must be a whole number from 2 to 10,000, not 1."),
])
def test_bad_strategy_options_exit_2(tmp_path, capsys, args, phrase):
    code = main(["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
                 "--project", str(tmp_path / "p.hpt"), "--quiet", *args])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and len(err.strip().splitlines()) == 1
    assert err.strip() == f"hpt-gui: {phrase}"
    assert not (tmp_path / "p.hpt").exists()
