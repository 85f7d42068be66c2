"""A model file that runs no code when loaded (issue 16): ``.skops`` files are exported
with the same sha256 sidecar as pickles, load without the user's trust, predict as the
pickle does, and are refused, unbuilt, when they hold a type no hpt-gui pipeline holds or
when a byte changed."""

import hashlib
import json
import os
import warnings

import numpy as np
import pandas as pd
import pytest
import skops.io

from hpt_gui.cli import main
from hpt_gui.core.catalog import MODELS
from hpt_gui.core.export import ExportError, write_model
from hpt_gui.core.model_file import (
    LOAD_WARNINGS,
    ModelFileError,
    load_model,
    model_format,
    save_model,
    sidecar_path,
)
from hpt_gui.core.pipeline import build_pipeline
from hpt_gui.core.predict import model_from_file
from hpt_gui.core.store import ProjectStore

FOREIGN = ("This model file holds types hpt-gui's models never contain ({}); it was not "
           "made by hpt-gui or was changed. Not loaded.")


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """A finished study on a mixed table (gaps, a text column, text classes), its best trial
    exported twice from the command line: as a pickle and as a .skops file."""
    folder = tmp_path_factory.mktemp("skops")
    rng = np.random.default_rng(3)
    n = 90
    frame = pd.DataFrame({"age": rng.integers(18, 80, n).astype(float),
                          "income": rng.normal(50, 10, n).round(2),
                          "city": rng.choice(["Lyon", "Paris", "Nice"], n)})
    frame["bought"] = np.where(frame["age"] + rng.normal(0, 10, n) > 50, "yes", "no")
    frame.loc[::7, "income"] = np.nan
    frame.loc[::9, "city"] = np.nan
    frame.iloc[:60].to_csv(folder / "train.csv", index=False)
    frame.iloc[60:].drop(columns="bought").to_csv(folder / "new.csv", index=False)
    project = folder / "p.hpt"
    assert main(["run", "--data", str(folder / "train.csv"), "--target", "bought", "--model",
                 "RandomForestClassifier", "--strategy", "random", "--trials", "2", "--cv",
                 "2", "--seed", "4", "--project", str(project), "--study", "forest",
                 "--quiet"]) == 0
    for name in ("forest.pkl", "forest.skops"):
        assert main(["export", "--project", str(project), "--study", "forest",
                     "--model", str(folder / name)]) == 0
    return folder


@pytest.fixture
def nothing_loaded(monkeypatch):
    """Any attempt to build a model from a .skops file (or unpickle one) fails the test."""
    import pickle

    def refused(*args, **kwargs):
        raise AssertionError("a model was loaded before the checks passed")

    for module, name in ((skops.io, "load"), (skops.io, "loads"), (pickle, "loads")):
        monkeypatch.setattr(module, name, refused)


def _with_sidecar(path, payload):
    """``payload`` written to ``path`` with a sidecar whose sha256 matches it: the checksum
    passes, so only what the file holds can refuse it."""
    path.write_bytes(payload)
    sidecar_path(path).write_text(json.dumps({
        "format": "hpt-gui model sidecar 1",
        "model_sha256": hashlib.sha256(payload).hexdigest()}))
    return path


def test_the_suffix_names_the_format_and_each_format_its_sidecar(tmp_path):
    assert model_format("m.skops") == model_format("M.SKOPS") == "skops"
    for name in ("m.pkl", "m.pickle", "m.joblib", "m", "m.model"):
        assert model_format(name) == "pickle"
    assert sidecar_path(tmp_path / "m.skops") == tmp_path / "m.skops.json"
    assert sidecar_path(tmp_path / "m.pkl") == tmp_path / "m.json"


def test_a_skops_export_predicts_as_the_pickle_without_trust(study):
    skops_meta = json.loads((study / "forest.skops.json").read_text())
    assert skops_meta["model_format"] == "skops"
    assert skops_meta["model_file"] == "forest.skops"
    assert skops_meta["warning"] == LOAD_WARNINGS["skops"] != LOAD_WARNINGS["pickle"]
    assert "runs no code" in skops_meta["warning"]
    assert skops_meta["model_sha256"] == hashlib.sha256(
        (study / "forest.skops").read_bytes()).hexdigest()
    safe = model_from_file(study / "forest.skops")  # no trust asked
    pickled = model_from_file(study / "forest.pkl", trusted=True)
    assert safe.needs == pickled.needs and safe.notes == []
    new = pd.read_csv(study / "new.csv")
    from hpt_gui.core.predict import predict_frame

    pd.testing.assert_frame_equal(predict_frame(safe.pipeline, new, safe.needs),
                                  predict_frame(pickled.pipeline, new, pickled.needs))


def test_a_pickle_still_needs_trust(study):
    with pytest.raises(ModelFileError, match="a pickle can run code"):
        load_model(study / "forest.pkl", trusted=False)
    meta = json.loads(sidecar_path(study / "forest.pkl").read_text())
    assert meta["model_format"] == "pickle" and meta["warning"] == LOAD_WARNINGS["pickle"]


def test_the_command_line_exports_and_predicts_with_a_skops_file(study, tmp_path, capsys):
    out = tmp_path / "pred.csv"
    capsys.readouterr()
    assert main(["predict", "--model", str(study / "forest.skops"), "--data",
                 str(study / "new.csv"), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "pickle" not in err and "Predicted 30 rows" in err
    assert pd.read_csv(out)["predicted bought"].isin(["yes", "no"]).all()
    assert main(["predict", "--model", str(study / "forest.pkl"), "--data",
                 str(study / "new.csv"), "--out", str(tmp_path / "p2.csv")]) == 0
    assert "is a pickle, which can run code" in capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.read_csv(out), pd.read_csv(tmp_path / "p2.csv"))


def test_the_help_says_the_suffix_names_the_format(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert ".skops is the safe format" in help_text
    assert ".pkl, .pickle or any other suffix a pickle" in help_text


def nothing_loaded_either(*args, **kwargs):
    raise AssertionError("the file was read as a model before its sha256 was checked")


def test_a_changed_byte_is_refused_by_the_sha256(study, tmp_path, nothing_loaded,
                                                   monkeypatch):
    monkeypatch.setattr(skops.io, "get_untrusted_types", nothing_loaded_either)
    model = tmp_path / "forest.skops"
    data = bytearray((study / "forest.skops").read_bytes())
    data[len(data) // 2] ^= 0x01
    model.write_bytes(bytes(data))
    sidecar_path(model).write_bytes((study / "forest.skops.json").read_bytes())
    with pytest.raises(ModelFileError, match="does not match the sha256 in its sidecar"):
        load_model(model)


class Planted:
    """A class outside every hpt-gui pipeline, which leaves a mark if it is ever built."""

    mark = None

    def __setstate__(self, state):
        with open(Planted.mark, "w") as handle:
            handle.write("ran")
        self.__dict__.update(state)


def test_a_foreign_function_is_refused_and_nothing_runs(tmp_path, nothing_loaded):
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.tree import DecisionTreeClassifier

    pipeline = Pipeline([("step", FunctionTransformer(func=os.system)),
                         ("model", DecisionTreeClassifier())])
    model = _with_sidecar(tmp_path / "evil.skops", skops.io.dumps(pipeline))
    with pytest.raises(ModelFileError) as caught:
        load_model(model)
    assert str(caught.value) == FOREIGN.format(f"{os.system.__module__}.system")


def test_a_foreign_class_is_refused_unbuilt(tmp_path):
    Planted.mark = str(tmp_path / "ran.txt")
    payload = skops.io.dumps({"model": Planted()})
    model = _with_sidecar(tmp_path / "planted.skops", payload)
    with pytest.raises(ModelFileError) as caught:
        load_model(model)
    assert str(caught.value) == FOREIGN.format(f"{__name__}.Planted")
    assert not (tmp_path / "ran.txt").exists()


def test_a_file_that_is_no_skops_file_is_a_sentence(tmp_path):
    model = _with_sidecar(tmp_path / "m.skops", b"not a zip file")
    with pytest.raises(ModelFileError, match="is not a .skops model file that can be read"):
        load_model(model)


def _tiny(task):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40),
                      "c": rng.choice(["x", "y", "z"], 40).astype(object)})
    X.loc[::7, "a"] = np.nan
    X.loc[::9, "c"] = np.nan
    y = np.where(X["b"] > 0, "yes", "no") if task == "classification" else \
        X["b"].to_numpy() * 2 + rng.normal(size=40)
    return X, y


# The settings that change what a fitted model holds (optimizers, search trees, distances).
_VARIANTS = {"MLPClassifier": [{"solver": "adam"}, {"solver": "sgd"}],
             "MLPRegressor": [{"solver": "adam"}, {"solver": "sgd"}],
             "KNeighborsClassifier": [{"p": 1}, {"p": 2},
                                      {"algorithm": "ball_tree", "metric": "chebyshev"}],
             "KNeighborsRegressor": [{"p": 1}, {"p": 3}]}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_catalog_model_round_trips_through_the_allow_list(name, tmp_path):
    info = MODELS[name]
    X, y = _tiny(info.task)
    for params in _VARIANTS.get(name, [{}]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a tiny MLP does not converge
            pipeline = build_pipeline(info, params, 0, ["a", "b"], ["c"]).fit(X, y)
        model = tmp_path / f"{name}.skops"
        save_model(pipeline, model, {})
        loaded = load_model(model).pipeline
        np.testing.assert_array_equal(loaded.predict(X), pipeline.predict(X))


def test_a_model_skops_cannot_write_is_an_export_sentence(tmp_path):
    """A histogram boosting model keeping a scorer for early stopping cannot be written by
    skops; the old pair of files is left as it was, with no temporary file beside it."""
    from hpt_gui.core.output_files import OutputError

    X, y = _tiny("classification")
    info = MODELS["HistGradientBoostingClassifier"]
    good = build_pipeline(info, {}, 0, ["a", "b"], ["c"]).fit(X, y)
    model = tmp_path / "m.skops"
    save_model(good, model, {})
    before = model.read_bytes(), sidecar_path(model).read_bytes()
    scorer = build_pipeline(info, {"early_stopping": True, "scoring": "accuracy"}, 0,
                            ["a", "b"], ["c"]).fit(X, y)
    with pytest.raises(OutputError, match=r"cannot be saved as a safe \.skops file.*\.pkl"):
        save_model(scorer, model, {})
    assert (model.read_bytes(), sidecar_path(model).read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.skops", "m.skops.json"]


def test_a_crash_between_the_two_renames_is_caught_by_the_sha256(tmp_path, monkeypatch):
    """The model is renamed first, then its sidecar: a failed second rename leaves a new
    model beside the old sidecar, which the checksum refuses rather than mismatching."""
    X, y = _tiny("regression")
    info = MODELS["Ridge"]
    model = tmp_path / "m.skops"
    save_model(build_pipeline(info, {"alpha": 1.0}, 0, ["a", "b"], ["c"]).fit(X, y), model, {})
    real_replace = os.replace

    def replace(source, target):
        if str(target).endswith(".json"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    from hpt_gui.core.output_files import OutputError

    with pytest.raises(OutputError, match="No space left"):
        save_model(build_pipeline(info, {"alpha": 50.0}, 0, ["a", "b"], ["c"]).fit(X, y),
                   model, {})
    monkeypatch.undo()
    with pytest.raises(ModelFileError, match="does not match the sha256"):
        load_model(model)


def test_write_model_turns_a_write_failure_into_an_export_error(tmp_path, monkeypatch):
    from hpt_gui.core import model_file
    from hpt_gui.core.output_files import OutputError
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    plan = plan_study(data="demo:iris", target="target", model="GaussianNB",
                      strategy="grid", cv=2, name="nb")
    run_study(plan, tmp_path / "p.hpt")
    with ProjectStore(tmp_path / "p.hpt") as store:
        trials = store.trials("nb")

    def full_disk(*args):
        raise OutputError("'m.skops' could not be written (No space left on device).")

    monkeypatch.setattr(model_file, "save_model", full_disk)
    monkeypatch.setattr("hpt_gui.core.export.save_model", full_disk)
    with pytest.raises(ExportError, match="No space left"):
        write_model(plan.spec, trials, tmp_path / "m.skops")
