"""`hpt-gui run` with the data checks: leakage and row numbers set aside and named in the
JSON summary's notes, the score without them, `--keep-column`, `--target` required for a
file, and a study of engine 1 resumed, exported and read with engine 1's rules."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold, cross_val_score
from sklearn.tree import DecisionTreeRegressor

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.export import load_study_data
from hpt_gui.core.runner import run_study
from hpt_gui.core.spec import ENGINE_VERSION, StudySpec
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import plan_study


def leaky_diabetes() -> pd.DataFrame:
    """As in test_data_checks: diabetes with a row number with gaps and the target's log."""
    from sklearn.datasets import load_diabetes

    frame = load_diabetes(as_frame=True).frame
    rng = np.random.default_rng(0)
    frame.insert(0, "row", np.sort(rng.choice(np.arange(1, 2 * len(frame)), len(frame),
                                              replace=False)))
    frame["log_target"] = np.log(frame["target"])
    return frame

PARAMS = ('{"max_depth": 4, "min_samples_split": 2, "min_samples_leaf": 1, '
          '"criterion": "squared_error"}')  # every setting, as scikit-learn's defaults
FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


@pytest.fixture(scope="module")
def leaky_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("leaky") / "diabetes_leaky.csv"
    leaky_diabetes().to_csv(path, index=False)
    return path


def _run(data, project, *extra, target="target"):
    return main(["run", "--data", str(data), *(["--target", target] if target else []),
                 "--model", "DecisionTreeRegressor", "--strategy", "manual", "--params",
                 PARAMS, "--cv", "5", "--seed", "0", "--project", str(project), *extra])


def _tree_score(frame: pd.DataFrame, columns: list[str]) -> float:
    """What scikit-learn itself scores: the same tree, folds and metric."""
    return cross_val_score(DecisionTreeRegressor(max_depth=4, random_state=0), frame[columns],
                           frame["target"], cv=KFold(5, shuffle=True, random_state=0),
                           scoring="r2").mean()


def test_leakage_and_row_numbers_are_set_aside_named_and_left_out_of_the_score(
        leaky_csv, tmp_path, capsys):
    assert _run(leaky_csv, tmp_path / "p.hpt", "--json", "--quiet") == 0
    summary = json.loads(capsys.readouterr().out)
    notes = summary["notes"]
    assert notes[0].startswith("Column 'log_target' rises and falls with the target 'target' "
                               "almost exactly (rank correlation 1.00)")
    assert "set aside as probable leakage" in notes[0]
    assert any(note.startswith("Column 'row' looks like a row identifier") for note in notes)
    frame = leaky_diabetes()
    assert summary["best_score"] == pytest.approx(_tree_score(frame, FEATURES), abs=1e-12)
    assert summary["best_score"] < 0.5  # diabetes is hard without its leak
    with ProjectStore(tmp_path / "p.hpt") as store:
        spec = store.study(summary["study"]).spec
    assert spec.engine == ENGINE_VERSION == 2
    assert spec.roles == {"log_target": "leakage"}  # the spec says what was left out
    assert load_study_data(spec).feature_names == FEATURES


def test_the_text_output_prints_the_notes_and_how_to_keep(leaky_csv, tmp_path, capsys):
    assert _run(leaky_csv, tmp_path / "p.hpt") == 0
    err = capsys.readouterr().err
    assert "  note: Column 'log_target' rises and falls" in err
    assert "add --keep-column NAME (e.g. --keep-column log_target)" in err


def test_keep_column_keeps_the_leak_and_the_score_is_near_perfect(leaky_csv, tmp_path, capsys):
    assert _run(leaky_csv, tmp_path / "p.hpt", "--keep-column", "log_target", "--json",
                "--quiet") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["best_score"] > 0.99
    assert summary["best_score"] == pytest.approx(
        _tree_score(leaky_diabetes(), [*FEATURES, "log_target"]), abs=1e-12)
    assert "it was kept as you chose" in summary["notes"][0]
    with ProjectStore(tmp_path / "p.hpt") as store:
        assert store.study(summary["study"]).spec.roles == {"log_target": "numeric"}


def test_keep_column_naming_no_column_is_one_sentence(leaky_csv, tmp_path, capsys):
    assert _run(leaky_csv, tmp_path / "p.hpt", "--keep-column", "log_targt") == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("hpt-gui: There is no column called 'log_targt' in the table, so "
                          "it cannot be kept. Did you mean 'log_target'? The columns are: "
                          "'row', 'age', 'sex'")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "p.hpt").exists()


def test_a_data_file_needs_a_target(leaky_csv, tmp_path, capsys):
    before = leaky_csv.read_bytes()
    assert _run(leaky_csv, tmp_path / "p.hpt", target=None) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err == ("hpt-gui: Name the column to predict with --target; the columns are: "
                   "'row', 'age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6', "
                   "'target' and 'log_target'.\n")
    assert not (tmp_path / "p.hpt").exists() and leaky_csv.read_bytes() == before
    # A demo set keeps its target.
    assert main(["run", "--data", "demo:diabetes", "--model", "DecisionTreeRegressor",
                 "--strategy", "manual", "--params", PARAMS, "--cv", "3", "--project",
                 str(tmp_path / "d.hpt"), "--quiet"]) == 0


def test_a_study_of_engine_1_resumes_and_exports_with_its_own_rules(leaky_csv, tmp_path,
                                                                    capsys):
    """Planned before the data checks: its data is read as it was (log_target and row are
    features), it resumes under the same command, and its export uses those columns."""
    project = tmp_path / "p.hpt"
    old = plan_study(data=leaky_csv, target="target", model="DecisionTreeRegressor",
                     name="old", strategy="manual", manual_params=json.loads(PARAMS), cv=5,
                     engine=1)
    assert old.spec.engine == 1 and old.spec.roles is None
    assert {"row", "log_target"} <= set(old.dataset.feature_names)
    run_study(old, project)
    assert _run(leaky_csv, project, "--study", "old", "--json", "--quiet") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["study"] == "old" and summary["new_trials"] == 0
    assert "planned by an earlier version of hpt-gui" in summary["notes"][-1]
    with ProjectStore(project) as store:
        spec = store.study("old").spec
    assert spec.engine == 1
    assert load_study_data(spec).feature_names == old.dataset.feature_names
    assert main(["export", "--project", str(project), "--study", "old", "--script",
                 str(tmp_path / "old.py")]) == 0
    assert "'log_target'" in (tmp_path / "old.py").read_text()
    # Under a new name the same data gets today's checks.
    assert _run(leaky_csv, project, "--study", "new", "--json", "--quiet") == 0
    assert json.loads(capsys.readouterr().out)["notes"][0].startswith("Column 'log_target'")


def test_a_spec_stored_without_an_engine_is_of_engine_1():
    spec = plan_study(data="demo:iris", target=None, model="GaussianNB").spec
    stored = spec.to_json()
    del stored["engine"]
    assert StudySpec.from_json(stored).engine == 1
    assert spec.engine == ENGINE_VERSION


def test_a_group_column_is_not_called_leakage(tmp_path, capsys):
    """Patients each with one outcome: the patient column predicts it perfectly, but as
    the group of a group k-fold it is never learned from, so no leakage note."""
    rng = np.random.default_rng(1)
    patient = np.repeat([f"P{i}" for i in range(20)], 6)
    outcome = np.repeat(rng.choice(["ill", "well"], 20), 6)
    frame = pd.DataFrame({"patient": patient, "x": rng.normal(size=120), "outcome": outcome})
    path = tmp_path / "patients.csv"
    frame.to_csv(path, index=False)
    assert main(["run", "--data", str(path), "--target", "outcome", "--model", "GaussianNB",
                 "--scheme", "group", "--group", "patient", "--cv", "4", "--project",
                 str(tmp_path / "p.hpt"), "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert not any("leakage" in note for note in summary["notes"])


def test_the_report_lists_the_data_notes(leaky_csv, tmp_path, capsys):
    project = tmp_path / "p.hpt"
    assert _run(leaky_csv, project, "--study", "s", "--quiet") == 0
    assert main(["report", "--project", str(project), "--study", "s", "--out",
                 str(tmp_path / "r.html")]) == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    section = html.split("<h2>The data</h2>", 1)[1].split("</ul>", 1)[0]
    assert "Column &#x27;log_target&#x27; rises and falls" in section  # escaped quotes
    assert "set aside as probable leakage" in section and "row identifier" in section


def test_a_suspiciously_perfect_score_is_flagged_in_the_run_summary(tmp_path, capsys):
    """A column kept on purpose that gives the class away: accuracy 1, and the summary
    (text and JSON) says it is suspiciously perfect and names leakage."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.normal(size=120), "y": rng.normal(size=120)})
    frame["label"] = np.where(frame["x"] + rng.normal(0, 1, 120) > 0, "a", "b")
    frame["code"] = np.where(frame["label"] == "a", 10, 20)  # the class, as a number
    data = tmp_path / "perfect.csv"
    frame.to_csv(data, index=False)
    args = ["run", "--data", str(data), "--target", "label", "--model",
            "DecisionTreeClassifier", "--strategy", "manual", "--params", '{"max_depth": 2}',
            "--project", str(tmp_path / "p.hpt")]
    assert main([*args, "--keep-column", "code", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["best_score"] == 1.0
    assert summary["warnings"] and summary["warnings"][0].startswith("Suspiciously perfect")
    assert "leakage" in summary["warnings"][0]
    assert main([*args, "--keep-column", "code", "--study", "again"]) == 0
    assert "Warning: Suspiciously perfect" in capsys.readouterr().out
    # without the column: an ordinary score and no warning
    assert main([*args, "--study", "honest", "--json"]) == 0
    honest = json.loads(capsys.readouterr().out)
    assert honest["best_score"] < 0.999 and honest["warnings"] == []
