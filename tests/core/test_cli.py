"""The command line: JSON summary, exports, and one sentence with exit code 2 on bad input."""

import argparse
import json
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main


@pytest.fixture(scope="module")
def iris_csv(tmp_path_factory):
    from sklearn.datasets import load_iris

    path = tmp_path_factory.mktemp("cli") / "iris.csv"
    frame = load_iris(as_frame=True).frame
    frame["target"] = frame["target"].map({0: "setosa", 1: "versicolor", 2: "virginica"})
    frame.to_csv(path, index=False)
    return path


def test_models_json_lists_the_catalog(capsys):
    assert main(["models", "--json"]) == 0
    models = json.loads(capsys.readouterr().out)
    names = {m["name"] for m in models}
    assert {"LogisticRegression", "MLPRegressor", "GaussianNB",
            "HistGradientBoostingRegressor"} <= names
    assert len(models) >= 21


def test_run_json_summary_then_export(iris_csv, tmp_path, capsys):
    project = tmp_path / "p.hpt"
    code = main(["run", "--data", str(iris_csv), "--target", "target", "--model",
                 "KNeighborsClassifier", "--strategy", "random", "--trials", "3", "--cv", "3",
                 "--project", str(project), "--study", "knn", "--json", "--quiet"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"study", "best_params", "best_score", "best_trial", "trials", "project"} <= set(summary)
    assert summary["trials"]["COMPLETE"] == 3
    assert main(["export", "--project", str(project), "--study", "knn",
                 "--csv", str(tmp_path / "t.csv")]) == 0
    table = pd.read_csv(tmp_path / "t.csv")
    assert list(table["number"]) == [0, 1, 2]
    best = table.loc[table["number"] == summary["best_trial"], "mean_test_score"].item()
    assert best == pytest.approx(summary["best_score"])


def test_run_summary_says_which_spread_and_over_how_many_folds(iris_csv, tmp_path, capsys):
    """'± 0.02' could be a standard deviation or a standard error: the summary says which."""
    base = ["run", "--data", str(iris_csv), "--target", "target", "--model",
            "DecisionTreeClassifier", "--strategy", "manual", "--params", '{"max_depth": 2}']
    assert main([*base, "--cv", "4", "--project", str(tmp_path / "p.hpt"), "--json",
                 "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["best_folds"] == 4
    assert main([*base, "--cv", "4", "--project", str(tmp_path / "p.hpt")]) == 0
    out = capsys.readouterr().out
    assert f"(std {summary['best_std']:.2g} over 4 folds; trial 0)" in out and "±" not in out
    # a single holdout split has no spread, and the summary does not pretend it has one
    assert main([*base, "--scheme", "shuffle", "--cv", "1", "--holdout", "0.25",
                 "--project", str(tmp_path / "q.hpt")]) == 0
    assert "(one fold only, so no spread; trial 0)" in capsys.readouterr().out


def test_manual_trial_uses_the_given_params(iris_csv, tmp_path, capsys):
    code = main(["run", "--data", str(iris_csv), "--target", "target", "--model",
                 "DecisionTreeClassifier", "--strategy", "manual", "--params",
                 '{"max_depth": 2}', "--cv", "3", "--project", str(tmp_path / "p.hpt"),
                 "--json", "--quiet"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["best_params"]["max_depth"] == 2
    assert sum(summary["trials"].values()) == 1


@pytest.mark.parametrize(
    "args, phrase",
    [
        (["--model", "RandomForestRegressor"], "is a regressor"),
        (["--model", "RandomForestClasifier"], "RandomForestClassifier"),
        (["--model", "SVC", "--target", "colour"], "colour"),
        (["--model", "SVC", "--scoring", "r2"], "is for regression"),
        (["--model", "SVC", "--scoring", "acuracy"], "Did you mean"),
        (["--model", "SVC", "--cv", "1"], "at least 2 folds"),
        (["--model", "SVC", "--trials", "zero"], "not a whole number"),
        (["--model", "SVC", "--strategy", "random"], "needs --trials or --time-limit"),
        (["--model", "SVC", "--params", '{"C": 1}'], "--strategy manual"),
        (["--model", "SVC", "--scheme", "time", "--holdout", "0.2"], "takes no --holdout"),
        (["--model", "SVC", "--repeats", "2"], "add --scheme repeated"),
        (["--model", "SVC", "--scheme", "shuffle", "--group", "x"],
         "--group is an option of --scheme group; add --scheme group instead of shuffle"),
        (["--model", "SVC", "--scheme", "group"], "needs --group COLUMN"),
        (["--model", "SVC", "--nested", "3", "--test-size", "0.2"], "takes no --test-size"),
        (["--model", "SVC", "--test-size", "1"], "must be below 1"),
        (["--model", "SVC", "--scheme", "group", "--group", "sepal_width"],
         "no column 'sepal_width' to group"),
        (["--model", "SVC", "--strategy", "manual", "--params", '{"C": 1}', "--scheme",
          "group", "--group", "sepal width (cm)", "--nested", "30"],
         "group k-fold into 30 outer folds needs at least 30 groups, but the group column has "
         "23"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(iris_csv, tmp_path, capsys, args, phrase):
    base = ["run", "--data", str(iris_csv), "--target", "target",
            "--project", str(tmp_path / "p.hpt"), "--quiet"]
    with_defaults = base + args
    try:
        code = main(with_defaults)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT
    assert phrase in err
    assert "Traceback" not in err


def test_missing_data_file_and_bad_space_file(tmp_path, capsys):
    assert main(["run", "--data", str(tmp_path / "nope.csv"), "--target", "y", "--model", "SVC",
                 "--project", str(tmp_path / "p.hpt")]) == EXIT_BAD_INPUT
    assert "was not found" in capsys.readouterr().err
    space = tmp_path / "space.json"
    space.write_text('{"C": {"type": "float", "low": 10, "high": 1}}')
    assert main(["run", "--data", "demo:iris", "--model", "SVC", "--space", str(space),
                 "--project", str(tmp_path / "p.hpt")]) == EXIT_BAD_INPUT
    assert "swap them" in capsys.readouterr().err


def test_space_naming_an_unknown_hyperparameter(tmp_path, capsys):
    space = tmp_path / "space.json"
    space.write_text('{"depth": {"type": "int", "low": 1, "high": 3}}')
    assert main(["run", "--data", "demo:iris", "--model", "DecisionTreeClassifier", "--space",
                 str(space), "--project", str(tmp_path / "p.hpt")]) == EXIT_BAD_INPUT
    assert "depth" in capsys.readouterr().err


def test_a_data_file_is_not_a_project(iris_csv, capsys):
    before = iris_csv.read_bytes()
    assert main(["run", "--data", "demo:iris", "--model", "SVC", "--project",
                 str(iris_csv), "--quiet"]) == EXIT_BAD_INPUT
    assert "not an hpt-gui project file" in capsys.readouterr().err
    assert iris_csv.read_bytes() == before


def test_export_of_an_unknown_study(tmp_path, capsys):
    project = tmp_path / "p.hpt"
    main(["run", "--data", "demo:iris", "--model", "GaussianNB", "--project", str(project),
          "--study", "nb", "--quiet", "--cv", "3"])
    capsys.readouterr()
    assert main(["export", "--project", str(project), "--study", "other", "--csv",
                 str(tmp_path / "t.csv")]) == EXIT_BAD_INPUT
    assert "no study named 'other'" in capsys.readouterr().err


def test_console_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "hpt_gui", "run", "--data", "demo:iris",
                           "--model", "Nope", "--project", "x.hpt"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr.startswith("hpt-gui: Unknown model 'Nope'")
    assert "Traceback" not in done.stderr


def test_export_never_overwrites_the_data_or_the_project(iris_csv, tmp_path, capsys):
    project = tmp_path / "p.hpt"
    main(["run", "--data", str(iris_csv), "--target", "target", "--model", "GaussianNB",
          "--project", str(project), "--study", "nb", "--quiet", "--cv", "3"])
    data_before, project_before = iris_csv.read_bytes(), project.read_bytes()
    capsys.readouterr()
    for flag, target in [("--csv", iris_csv), ("--csv", project), ("--model", project),
                         ("--script", str(project) + "-wal"), ("--csv", tmp_path)]:
        code = main(["export", "--project", str(project), "--study", "nb", flag, str(target)])
        err = capsys.readouterr().err
        assert code == EXIT_BAD_INPUT, (flag, target, err)
        assert "overwritten" in err or "is a folder" in err
    assert iris_csv.read_bytes() == data_before
    assert project.read_bytes() == project_before
    if sys.platform == "linux":  # /proc exists but takes no new files
        code = main(["export", "--project", str(project), "--study", "nb", "--csv",
                     "/proc/hpt-gui-test.csv"])
        assert code == EXIT_BAD_INPUT and "could not be written" in capsys.readouterr().err


@pytest.mark.parametrize("seed", ["-1", "99999999999"])
def test_seed_out_of_range(tmp_path, capsys, seed):
    code = main(["run", "--data", "demo:iris", "--model", "GaussianNB", "--seed", seed,
                 "--project", str(tmp_path / "p.hpt")])
    assert code == EXIT_BAD_INPUT
    assert "seed must be a whole number from 0" in capsys.readouterr().err


def test_argparse_errors_are_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "--data", "demo:iris"])
    err = capsys.readouterr().err
    assert info.value.code == EXIT_BAD_INPUT
    assert err.count("\n") == 1 and "required" in err and "--help" in err


def test_a_choice_the_model_does_not_accept_is_refused_before_running(tmp_path, capsys):
    space = tmp_path / "space.json"
    space.write_text('{"criterion": {"type": "categorical", "choices": ["gini", "ginni"]}}')
    assert main(["run", "--data", "demo:iris", "--model", "DecisionTreeClassifier", "--space",
                 str(space), "--project", str(tmp_path / "p.hpt")]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "criterion='ginni' is not accepted by DecisionTreeClassifier" in err
    assert not (tmp_path / "p.hpt").exists()


def test_test_set_and_nested_cv_in_the_json_summary(iris_csv, tmp_path, capsys):
    base = ["run", "--data", str(iris_csv), "--target", "target", "--model",
            "DecisionTreeClassifier", "--strategy", "grid", "--space", str(tmp_path / "s.json"),
            "--cv", "3", "--project", str(tmp_path / "p.hpt"), "--json", "--quiet"]
    (tmp_path / "s.json").write_text('{"max_depth": {"type": "categorical", "choices": [1, 3]}}')
    assert main([*base, "--study", "t", "--test-size", "0.2", "--scheme", "repeated",
                 "--repeats", "2"]) == 0
    held_out = json.loads(capsys.readouterr().out)
    assert held_out["test_trial"] == held_out["best_trial"]
    assert 0 < held_out["test_score"] <= 1 and held_out["nested_mean"] is None
    assert main([*base, "--study", "n", "--nested", "2"]) == 0
    nested = json.loads(capsys.readouterr().out)
    assert nested["study"] == "n" and len(nested["nested_scores"]) == 2
    assert nested["nested_mean"] == pytest.approx(sum(nested["nested_scores"]) / 2)
    assert nested["nested_std"] >= 0 and nested["test_score"] is None
    from hpt_gui.core.store import ProjectStore

    with ProjectStore(tmp_path / "p.hpt") as store:
        assert [row.name for row in store.studies()] == [
            "t", "n [outer 1/2]", "n [outer 2/2]", "n"]
        assert store.study("t").spec.validation == {"scheme": "repeated", "repeats": 2}


def test_a_study_another_process_is_running_is_refused_but_can_be_read(tmp_path, capsys):
    """A second hpt-gui may look at (export) a study another live one is running, but
    running it too is one sentence, and nothing is written."""
    import socket
    import sqlite3

    project = tmp_path / "p.hpt"
    run = ["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
           "--strategy", "grid", "--cv", "3", "--study", "nb", "--project", str(project)]
    assert main(run) == 0
    other = subprocess.Popen(  # a live hpt-gui running it holds its lock
        [sys.executable, "-c", "import sys, time; from hpt_gui.core.run_lock import RunLock; "
         "lock = RunLock.acquire(sys.argv[1], 'nb'); print(bool(lock), flush=True); "
         "time.sleep(60)", str(project)], stdout=subprocess.PIPE, text=True)
    assert other.stdout.readline().strip() == "True"
    try:
        with sqlite3.connect(project) as db:  # as that process records it when it starts
            db.execute("UPDATE studies SET status='running', owner_pid=?, owner_host=?",
                       (other.pid, socket.gethostname()))
        db.close()
        capsys.readouterr()
        assert main(run) == EXIT_BAD_INPUT
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.count("hpt-gui:") == 1
        assert err.splitlines()[-1] == (
            f"hpt-gui: The study 'nb' is being run right now by another hpt-gui (process "
            f"{other.pid} on {socket.gethostname()}); wait for it to finish or stop it, then "
            "run it again.")
        csv = tmp_path / "trials.csv"
        assert main(["export", "--project", str(project), "--study", "nb",
                     "--csv", str(csv)]) == 0
        assert len(pd.read_csv(csv)) == 5
    finally:
        other.kill()
        other.wait()
    with sqlite3.connect(project) as db:
        assert db.execute("SELECT owner_pid FROM studies").fetchone() == (other.pid,)
    db.close()


def test_an_interrupted_export_says_the_files_are_as_they_were(iris_csv, tmp_path, capsys,
                                                                monkeypatch):
    """Not the run's 'finished trials are saved': an export has no trials to save."""
    from hpt_gui.core import export

    project = tmp_path / "p.hpt"
    main(["run", "--data", str(iris_csv), "--target", "target", "--model", "GaussianNB",
          "--project", str(project), "--study", "nb", "--quiet", "--cv", "3"])
    capsys.readouterr()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "write_trials_csv", interrupted)
    code = main(["export", "--project", str(project), "--study", "nb",
                 "--csv", str(tmp_path / "t.csv")])
    err = capsys.readouterr().err
    assert code != 0
    assert "as they were" in err and "trials" not in err


def test_no_wal_or_shm_files_are_left_beside_the_project(iris_csv, tmp_path, capsys):
    """A command-line run or export leaves the project as one file, not three: the '-wal'
    and '-shm' files looked like clutter (or damage) to users copying their project."""
    project = tmp_path / "p.hpt"
    leftovers = [tmp_path / "p.hpt-wal", tmp_path / "p.hpt-shm"]
    assert main(["run", "--data", str(iris_csv), "--target", "target", "--model",
                 "DecisionTreeClassifier", "--strategy", "random", "--trials", "3", "--cv", "3",
                 "--project", str(project), "--study", "tree", "--quiet"]) == 0
    assert not [path.name for path in leftovers if path.exists()]
    assert main(["export", "--project", str(project), "--study", "tree",
                 "--csv", str(tmp_path / "t.csv")]) == 0
    assert not [path.name for path in leftovers if path.exists()]


def test_a_lone_file_name_opens_the_window_with_it(iris_csv, tmp_path):
    """``hpt-gui data.csv`` (as file managers start it) was refused as an unknown command."""
    from hpt_gui.__main__ import file_to_open

    assert file_to_open([str(iris_csv)]) == str(iris_csv)
    assert file_to_open([str(tmp_path / "gone.csv")]) == str(tmp_path / "gone.csv")  # said
    assert file_to_open(["p.hpt"]) == "p.hpt"                     # in the window, not here
    for argv in ([], ["run"], ["models"], ["--help"], ["rn"], [str(iris_csv), "--x"]):
        assert file_to_open(argv) is None, argv


def test_the_window_launcher_knows_every_command():
    from hpt_gui.__main__ import COMMANDS
    from hpt_gui.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == COMMANDS


def test_a_project_is_known_by_its_content_not_its_name(iris_csv, tmp_path):
    from hpt_gui.core.store import ProjectStore, is_project_file

    project = tmp_path / "study.data"  # any name
    ProjectStore(project).close()
    other = tmp_path / "other.hpt"
    sqlite3.connect(other).execute("CREATE TABLE meta (key TEXT, value TEXT)").connection.close()
    (tmp_path / "empty.hpt").write_bytes(b"")
    assert is_project_file(project)
    assert not [path for path in (iris_csv, other, tmp_path / "empty.hpt", tmp_path / "no.hpt",
                                  tmp_path) if is_project_file(path)]
    assert not (tmp_path / "study.data-wal").exists()
