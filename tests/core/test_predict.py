"""Predict on new data: train on 70 % of a table, predict the other 30 % from the exported
model and from the study itself, and check what the user is told when the new table does
not fit the model. The input file is never written to."""

import hashlib
import os

import numpy as np
import pandas as pd
import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.dataset import load_dataset
from hpt_gui.core.model_file import load_model, sidecar_path
from hpt_gui.core.predict import (
    ModelNeeds,
    PredictError,
    check_columns,
    check_out_path,
    default_out_path,
    model_from_file,
    predict_frame,
    write_predictions,
)

N_ROWS, TRAIN = 100, 70


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A mixed table (numbers with gaps, a text column, text classes); a study on its first
    70 rows; the best trial exported; the other 30 rows without the target as new data."""
    folder = tmp_path_factory.mktemp("predict")
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({
        "age": rng.integers(18, 80, N_ROWS).astype(float),
        "income": rng.normal(50, 10, N_ROWS).round(2),
        "city": rng.choice(["Lyon", "Paris", "Nice"], N_ROWS),
    })
    frame["bought"] = np.where(frame["age"] + rng.normal(0, 10, N_ROWS) > 50, "yes", "no")
    frame.loc[::7, "income"] = np.nan
    frame.loc[::9, "city"] = np.nan
    full = folder / "all.csv"
    frame.to_csv(full, index=False)
    frame.iloc[:TRAIN].to_csv(folder / "train.csv", index=False)
    new = folder / "new.csv"
    frame.iloc[TRAIN:].drop(columns="bought").to_csv(new, index=False)
    project, model = folder / "p.hpt", folder / "model.pkl"
    assert main(["run", "--data", str(folder / "train.csv"), "--target", "bought", "--model",
                 "LogisticRegression", "--strategy", "random", "--trials", "3", "--cv", "3",
                 "--project", str(project), "--study", "lr", "--quiet"]) == 0
    assert main(["export", "--project", str(project), "--study", "lr",
                 "--model", str(model)]) == 0
    return {"folder": folder, "full": full, "new": new, "project": project, "model": model,
            "frame": frame}


def _read(path):
    return pd.read_csv(path)


def test_round_trip_through_the_cli(trained, tmp_path, capsys):
    new, out = trained["new"], tmp_path / "pred.csv"
    before = hashlib.sha256(new.read_bytes()).hexdigest()
    assert main(["predict", "--model", str(trained["model"]), "--data", str(new),
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "is a pickle" in err and f"Predicted {N_ROWS - TRAIN} rows" in err
    written = _read(out)
    assert list(written.columns) == ["age", "income", "city", "predicted bought",
                                     "probability no", "probability yes"]
    pd.testing.assert_frame_equal(written[["age", "income", "city"]], _read(new))
    # The rows as training saw them (the training loader's own X), predicted by the model.
    pipeline = load_model(trained["model"], trusted=True).pipeline
    X = load_dataset(trained["full"], "bought").X().iloc[TRAIN:]
    assert list(written["predicted bought"]) == list(pipeline.predict(X))
    np.testing.assert_allclose(written[["probability no", "probability yes"]],
                               pipeline.predict_proba(X), rtol=1e-9)
    np.testing.assert_allclose(written[["probability no", "probability yes"]].sum(axis=1), 1)
    assert hashlib.sha256(new.read_bytes()).hexdigest() == before


def test_the_study_predicts_what_its_exported_model_predicts(trained, tmp_path, capsys):
    from_file, from_study = tmp_path / "file.csv", tmp_path / "study.csv"
    assert main(["predict", "--model", str(trained["model"]), "--data", str(trained["new"]),
                 "--out", str(from_file)]) == 0
    capsys.readouterr()
    assert main(["predict", "--project", str(trained["project"]), "--study", "lr",
                 "--data", str(trained["new"]), "--out", str(from_study)]) == 0
    assert "pickle" not in capsys.readouterr().err  # no model file, no warning
    pd.testing.assert_frame_equal(_read(from_file), _read(from_study))


def test_a_missing_column_is_named_with_its_near_miss(trained, tmp_path, capsys):
    data = tmp_path / "renamed.csv"
    _read(trained["new"]).rename(columns={"city": "City "}).to_csv(data, index=False)
    code = main(["predict", "--model", str(trained["model"]), "--data", str(data),
                 "--out", str(tmp_path / "out.csv")])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and "Traceback" not in err
    assert "lacks 1 column the model was trained on: 'city'" in err
    assert "'City ' for 'city'" in err and "capitals and spaces" in err
    assert not (tmp_path / "out.csv").exists()


def test_a_study_checks_the_new_table_before_it_refits(trained, tmp_path, capsys,
                                                       monkeypatch):
    from hpt_gui.core import predict

    data = tmp_path / "short.csv"
    _read(trained["new"]).drop(columns="income").to_csv(data, index=False)
    refits = []
    monkeypatch.setattr(predict, "model_from_study", lambda *a: refits.append(a))
    code = main(["predict", "--project", str(trained["project"]), "--study", "lr", "--data",
                 str(data), "--out", str(tmp_path / "out.csv")])
    assert code == EXIT_BAD_INPUT and "'income'" in capsys.readouterr().err
    assert refits == []


def test_extra_columns_and_the_target_are_kept_and_noted(trained):
    model = model_from_file(trained["model"], trusted=True)
    frame = trained["frame"].iloc[TRAIN:].reset_index(drop=True).assign(note="x")
    notes = check_columns(frame, model.needs)
    assert any("'note' was not used to train the model" in n for n in notes)
    assert any("target column 'bought'" in n for n in notes)
    out = predict_frame(model.pipeline, frame, model.needs)
    assert list(out.columns[:5]) == ["age", "income", "city", "bought", "note"]
    assert (out["note"] == "x").all()


def test_text_in_a_numeric_column_names_the_column_value_and_row(trained):
    needs = model_from_file(trained["model"], trusted=True).needs
    frame = _read(trained["new"]).astype({"income": object})
    frame.loc[3, "income"] = "n.a."
    with pytest.raises(PredictError, match=r"Column 'income' should hold numbers, but row 5 "
                                           r"\(counting the header as row 1\) holds 'n\.a\.'"):
        check_columns(frame, needs)


def test_numbers_written_as_text_are_read_as_training_reads_them(trained):
    model = model_from_file(trained["model"], trusted=True)
    frame = _read(trained["new"])
    as_text = frame.astype({"age": object})
    as_text["age"] = frame["age"].map(lambda v: f" {v:.1f} ")
    assert check_columns(as_text, model.needs) == []
    pd.testing.assert_series_equal(
        predict_frame(model.pipeline, as_text, model.needs)["predicted bought"],
        predict_frame(model.pipeline, frame, model.needs)["predicted bought"])


def test_an_unseen_category_is_predicted_and_noted(trained, tmp_path):
    data = tmp_path / "marseille.csv"
    frame = _read(trained["new"])
    frame.loc[:4, "city"] = "Marseille"
    frame.to_csv(data, index=False)
    model = model_from_file(trained["model"], trusted=True)
    written = write_predictions(model.pipeline, model.needs, data, tmp_path / "out.csv")
    assert written.rows == len(frame)
    assert _read(written.path)["predicted bought"].isin(["yes", "no"]).all()
    assert any("'city' has values the model never saw" in n and "'Marseille', 5 rows" in n
               for n in written.notes)


def test_a_changed_model_file_is_refused(trained, tmp_path, capsys):
    model = tmp_path / "model.pkl"
    model.write_bytes(trained["model"].read_bytes() + b"\0")
    sidecar_path(model).write_bytes(sidecar_path(trained["model"]).read_bytes())
    code = main(["predict", "--model", str(model), "--data", str(trained["new"]),
                 "--out", str(tmp_path / "out.csv")])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and "does not match the sha256" in err
    assert "Traceback" not in err and not (tmp_path / "out.csv").exists()


def test_the_input_is_never_the_output_under_any_spelling(trained, capsys, monkeypatch):
    new = trained["new"]
    before = new.read_bytes()
    monkeypatch.chdir(new.parent)
    other = os.path.join("..", new.parent.name, new.name)
    for out in (str(new), new.name, other):
        code = main(["predict", "--model", str(trained["model"]), "--data", str(new),
                     "--out", out])
        err = capsys.readouterr().err
        assert code == EXIT_BAD_INPUT and "the table you are predicting on" in err
    link = new.parent / "link.csv"
    link.symlink_to(new)
    with pytest.raises(PredictError, match="predicting on"):
        check_out_path(new, link)
    assert new.read_bytes() == before


@pytest.mark.parametrize("args, phrase", [
    ([], "--model FILE (.skops or .pkl), or --project and --study"),
    (["--model", "m.pkl", "--project", "p.hpt", "--study", "s"], "not both"),
    (["--project", "p.hpt"], "--project needs --study"),
    (["--model", "m.pkl", "--trial", "3"], "go with --project"),
])
def test_which_model_must_be_said_once(tmp_path, capsys, args, phrase):
    code = main(["predict", *args, "--data", "demo:iris", "--out", str(tmp_path / "o.csv")])
    assert code == EXIT_BAD_INPUT and phrase in capsys.readouterr().err


def test_an_input_column_named_like_the_prediction_is_not_overwritten(trained):
    model = model_from_file(trained["model"], trusted=True)
    frame = _read(trained["new"]).assign(**{"predicted bought": "mine"})
    out = predict_frame(model.pipeline, frame, model.needs)
    assert (out["predicted bought"] == "mine").all()
    assert out["predicted bought (2)"].isin(["yes", "no"]).all()


def test_regression_has_no_probabilities(tmp_path):
    from hpt_gui.core.export import fit_final_pipeline
    from hpt_gui.core.study import plan_study

    plan = plan_study(data="demo:diabetes", target="target", model="Ridge",
                      strategy="manual", manual_params={}, cv=3)
    pipeline = fit_final_pipeline(plan.spec, _FakeTrial(), plan.dataset)
    needs = ModelNeeds.from_dataset(plan.dataset)
    written = write_predictions(pipeline, needs, "demo:diabetes", tmp_path / "d.csv")
    out = _read(written.path)
    assert list(out.columns)[-2:] == ["target", "predicted target"]
    assert np.corrcoef(out["target"], out["predicted target"])[0, 1] > 0.5


class _FakeTrial:
    params: dict = {}


def test_the_default_output_is_beside_the_input_or_the_project(tmp_path):
    assert default_out_path(str(tmp_path / "new.csv")) == tmp_path / "new-predictions.csv"
    assert default_out_path("demo:iris", tmp_path / "p.hpt") == tmp_path / "iris-predictions.csv"


def test_a_sidecar_without_the_columns_is_a_sentence():
    with pytest.raises(PredictError, match="does not say which columns"):
        ModelNeeds.from_sidecar({"data": {"target": "y"}})


def test_number_labels_match_training_when_only_training_had_gaps(tmp_path):
    """A categorical column of numbers with gaps is read as floats in training ('2.0');
    new rows without gaps read as whole numbers ('2'): they are the same categories."""
    from hpt_gui.core import predict
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    rng = np.random.default_rng(3)
    n = 80
    frame = pd.DataFrame({"grade": rng.integers(1, 4, n).astype(float),
                          "size": rng.normal(0, 1, n)})
    frame["label"] = np.where(frame["grade"] >= 2, "high", "low")
    frame.loc[::10, "grade"] = np.nan
    data = tmp_path / "train.csv"
    frame.to_csv(data, index=False)
    roles = {"grade": "categorical", "size": "numeric"}
    run_study(plan_study(data=str(data), target="label", model="LogisticRegression",
                         strategy="manual", manual_params={}, cv=3, roles=roles, name="g"),
              tmp_path / "p.hpt")
    model = predict.model_from_study(tmp_path / "p.hpt", "g")
    new = pd.DataFrame({"grade": [1, 2, 3], "size": [0.0, 0.0, 0.0]})
    (tmp_path / "new.csv").write_text(new.to_csv(index=False))
    written = predict.write_predictions(model.pipeline, model.needs, tmp_path / "new.csv",
                                        tmp_path / "out.csv")
    assert not any("never saw" in note for note in written.notes)
    as_trained = pd.DataFrame({"grade": ["1.0", "2.0", "3.0"], "size": [0.0, 0.0, 0.0]})
    expected = model.pipeline.predict(as_trained)
    assert list(_read(tmp_path / "out.csv")["predicted label"]) == list(expected)
