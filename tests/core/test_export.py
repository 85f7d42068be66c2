"""Exports: cv_results_-style CSV, a model pickle with its sidecar, a script that re-scores."""

import hashlib
import json
import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from hpt_gui.core.export import (
    ExportError,
    trials_table,
    write_model,
    write_script,
    write_trials_csv,
)
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import plan_study


@pytest.fixture(scope="module")
def mixed_study(tmp_path_factory):
    """A finished study on a semicolon CSV with decimal commas, gaps and a text column."""
    folder = tmp_path_factory.mktemp("mixed")
    rng = np.random.default_rng(4)
    n = 90
    frame = pd.DataFrame({
        "customer_id": np.arange(1000, 1000 + n),
        "tenure": rng.integers(1, 60, n).astype(float),
        "spend": rng.normal(70, 20, n).round(2),
        "plan": rng.choice(["basic", "plus", "pro"], n),
    })
    frame["churn"] = np.where(frame["tenure"] + rng.normal(0, 15, n) < 25, "yes", "no")
    frame.loc[::6, "spend"] = np.nan
    frame.loc[::9, "plan"] = np.nan
    path = folder / "churn.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    original = path.read_bytes()
    space = SearchSpace.from_json({
        "C": {"type": "float", "low": 0.01, "high": 10, "log": True, "grid_points": 3},
        "penalty": {"type": "categorical", "choices": ["l2", "l1"]},
    })
    plan = plan_study(data=path, target="churn", model="LogisticRegression", space=space,
                      strategy="grid", cv=4, scoring="balanced_accuracy", seed=3, name="lr")
    project = folder / "p.hpt"
    run_study(plan, project)
    with ProjectStore(project) as store:
        spec, trials = store.study("lr").spec, store.trials("lr")
    return {"folder": folder, "data": path, "original": original, "spec": spec,
            "trials": trials}


def test_csv_has_cv_results_columns(mixed_study, tmp_path):
    out = write_trials_csv(mixed_study["trials"], tmp_path / "t.csv")
    table = pd.read_csv(out)
    expected = {"number", "state", "param_C", "param_penalty", "mean_test_score",
                "std_test_score", "rank_test_score", "mean_train_score", "mean_fit_time",
                "std_fit_time", "mean_score_time", "params"}
    expected |= {f"split{k}_{kind}_score" for k in range(4) for kind in ("test", "train")}
    assert expected <= set(table.columns)
    assert len(table) == 6
    best = table.loc[table["rank_test_score"] == 1, "mean_test_score"].max()
    assert best == pytest.approx(table["mean_test_score"].max())
    first = mixed_study["trials"][0]
    assert table.loc[0, "split2_test_score"] == pytest.approx(first.folds[2].test_score, abs=0)


def test_failed_trials_rank_last():
    from hpt_gui.core.evaluate import FoldResult
    from hpt_gui.core.store import trial_from_folds

    ok = trial_from_folds(0, {"a": 1}, [FoldResult(0, 0, 0.5, 0.6, 0.1, 0.1)], 0, 1)
    bad = trial_from_folds(1, {"a": 2}, [FoldResult(1, 0, None, None, 0.1, 0.0, error="x")], 0, 1)
    table = trials_table([bad, ok])
    assert list(table["rank_test_score"]) == [2, 1]
    assert table.loc[0, "state"] == "FAIL" and "x" in table.loc[0, "error"]


def test_model_pickle_and_sidecar(mixed_study, tmp_path):
    model_path = tmp_path / "model.pkl"
    sidecar = write_model(mixed_study["spec"], mixed_study["trials"], model_path)
    meta = json.loads(sidecar.read_text())
    assert sidecar.name == "model.json"
    assert meta["model_sha256"] == hashlib.sha256(model_path.read_bytes()).hexdigest()
    assert meta["data"]["sha256"] == hashlib.sha256(mixed_study["original"]).hexdigest()
    assert {"scikit-learn", "numpy", "pandas", "python"} <= set(meta["versions"])
    best = max((t for t in mixed_study["trials"]), key=lambda t: t.mean_test_score)
    assert meta["params"] == best.params
    pipeline = pickle.loads(model_path.read_bytes())
    frame = pd.read_csv(mixed_study["data"], sep=";", decimal=",")
    predictions = pipeline.predict(frame.drop(columns=["churn", "customer_id"]))
    assert set(predictions) <= {"yes", "no"}
    assert mixed_study["data"].read_bytes() == mixed_study["original"]


def test_exported_script_reproduces_the_stored_mean_score(mixed_study, tmp_path):
    script = write_script(mixed_study["spec"], mixed_study["trials"], tmp_path / "rebuild.py")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("mean validation"))
    reproduced = float(line.rsplit(":", 1)[1])
    best = max((t for t in mixed_study["trials"]), key=lambda t: t.mean_test_score)
    assert reproduced == pytest.approx(best.mean_test_score, abs=1e-9)


def test_export_refuses_when_the_data_changed(mixed_study, tmp_path):
    changed = tmp_path / "churn.csv"
    changed.write_bytes(mixed_study["original"] + b"\n")
    spec = mixed_study["spec"]
    from dataclasses import replace

    moved = replace(spec, data=str(changed))
    moved_trials = mixed_study["trials"]
    changed.write_bytes(mixed_study["original"].replace(b"yes", b"no", 1))
    with pytest.raises(ExportError, match="has changed since the study ran"):
        write_model(moved, moved_trials, tmp_path / "m.pkl")


def test_export_asks_for_a_completed_trial(mixed_study, tmp_path):
    with pytest.raises(ExportError, match="no trial number 99"):
        write_model(mixed_study["spec"], mixed_study["trials"], tmp_path / "m.pkl",
                    trial_number=99)


def test_script_reproduces_an_mlp_regressor_with_a_scaled_target(tmp_path):
    plan = plan_study(data="demo:diabetes", target="target", model="MLPRegressor",
                      strategy="manual", manual_params={"hidden_layers": 1,
                                                        "units_per_layer": 16,
                                                        "solver": "sgd",
                                                        "learning_rate": "adaptive",
                                                        "max_iter": 50},
                      cv=3, seed=1, name="mlp")
    run_study(plan, tmp_path / "p.hpt")
    with ProjectStore(tmp_path / "p.hpt") as store:
        spec, trials = store.study("mlp").spec, store.trials("mlp")
    assert trials[0].mean_test_score > 0.2  # a scaled target lets sgd learn something
    script = write_script(spec, trials, tmp_path / "mlp.py")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("mean validation"))
    assert float(line.rsplit(":", 1)[1]) == pytest.approx(trials[0].mean_test_score, abs=1e-9)


def test_exported_text_cannot_run_as_a_spreadsheet_formula(tmp_path):
    """Text from a data file (a category, an error message) that Excel would run as a
    formula is neutralized; numbers, also negative ones written as text, are not."""
    import csv

    from hpt_gui.core.evaluate import FoldResult
    from hpt_gui.core.export import neutralize_formula, write_trials_csv
    from hpt_gui.core.store import TrialRecord, TrialState

    assert neutralize_formula("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [neutralize_formula(v) for v in ("+1+cmd|' /C calc'!A0", "@SUM(A1)", "-x")] == [
        "'+1+cmd|' /C calc'!A0", "'@SUM(A1)", "'-x"]
    assert [neutralize_formula(v) for v in ("-3", "-1.5e3", "gini", 4, None)] == [
        "-3", "-1.5e3", "gini", 4, None]
    trials = [TrialRecord(0, TrialState.COMPLETE, {"criterion": "=1+1", "depth": -2},
                          (FoldResult(0, 0, 0.5, 0.6, 0.1, 0.0),), 0.0, 1.0),
              TrialRecord(1, TrialState.FAIL, {"criterion": "gini", "depth": 3},
                          (FoldResult(1, 0, None, None, 0.1, 0.0, error="@bad"),), 0.0, 1.0,
                          error="@bad")]
    path = write_trials_csv(trials, tmp_path / "t.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["param_criterion"] == "'=1+1" and rows[0]["param_depth"] == "-2"
    assert rows[1]["param_criterion"] == "gini" and rows[1]["error"] == "'@bad"
