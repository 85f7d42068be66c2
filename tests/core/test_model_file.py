"""Loading an exported model: only trusted, only with its sidecar, only when the sha256
matches; nothing is unpickled before every check has passed."""

import json
import pickle

import joblib
import numpy as np
import pytest

from hpt_gui.core import model_file
from hpt_gui.core.export import write_model
from hpt_gui.core.model_file import (
    ModelFileError,
    load_model,
    read_sidecar,
    sidecar_path,
    version_warnings,
)
from hpt_gui.core.runner import run_study
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import plan_study


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A tiny finished study's model, exported as the window and CLI export it."""
    folder = tmp_path_factory.mktemp("model")
    plan = plan_study(data="demo:iris", target="target", model="GaussianNB",
                      strategy="grid", cv=3, name="nb")
    run_study(plan, folder / "p.hpt")
    with ProjectStore(folder / "p.hpt") as store:
        trials = store.trials("nb")
    model = folder / "model.pkl"
    write_model(plan.spec, trials, model)
    return {"model": model, "plan": plan, "bytes": model.read_bytes(),
            "sidecar": sidecar_path(model).read_text()}


@pytest.fixture
def model(exported, tmp_path):
    """A fresh copy of the exported model and its sidecar, free to spoil."""
    path = tmp_path / "model.pkl"
    path.write_bytes(exported["bytes"])
    sidecar_path(path).write_text(exported["sidecar"])
    return path


@pytest.fixture
def no_unpickling(monkeypatch):
    """Any attempt to unpickle fails the test."""
    def refused(*args, **kwargs):
        raise AssertionError("unpickled before the checks passed")

    monkeypatch.setattr(pickle, "loads", refused)
    monkeypatch.setattr(pickle, "load", refused)
    monkeypatch.setattr(joblib, "load", refused)


def test_sidecar_naming_is_one_rule_for_export_and_load(tmp_path):
    assert sidecar_path(tmp_path / "model.pkl") == tmp_path / "model.json"
    assert sidecar_path(tmp_path / "m.joblib") == tmp_path / "m.json"
    assert sidecar_path(tmp_path / "model") == tmp_path / "model.json"
    assert sidecar_path(tmp_path / "x.json") == tmp_path / "x.json.sidecar.json"


def test_an_exported_model_loads_and_predicts(exported, model):
    loaded = load_model(model, trusted=True)
    pipeline, sidecar, warnings = loaded
    assert sidecar["study"] == "nb" and sidecar == read_sidecar(model)
    assert warnings == []
    X = exported["plan"].dataset.X()
    assert np.asarray(pipeline.predict(X)).shape == (150,)


def test_untrusted_is_refused_before_anything_is_read(model, no_unpickling):
    with pytest.raises(ModelFileError, match="pickle can run code.*load only files you trust"):
        load_model(model, trusted=False)


def test_a_changed_byte_is_refused_and_never_unpickled(model, no_unpickling):
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x01
    model.write_bytes(bytes(data))
    with pytest.raises(ModelFileError) as caught:
        load_model(model, trusted=True)
    message = str(caught.value)
    assert "does not match the sha256 in its sidecar 'model.json'" in message
    assert "changed since it was exported, or it is not the file that was exported" in message
    assert "export the model again" in message


def test_another_file_under_the_name_is_refused(model, no_unpickling):
    model.write_bytes(pickle.dumps("something else"))  # pickle.dumps is not patched away
    with pytest.raises(ModelFileError, match="not the file that was exported"):
        load_model(model, trusted=True)


def test_a_missing_sidecar_is_refused(model, no_unpickling):
    sidecar_path(model).unlink()
    with pytest.raises(ModelFileError, match="has no sidecar 'model.json' beside it"):
        load_model(model, trusted=True)


@pytest.mark.parametrize("text, phrase", [
    ("{not json", "cannot be read"),
    ("[1, 2]", "not an hpt-gui model sidecar"),
    (json.dumps({"format": "other", "model_sha256": "0" * 64}), "not an hpt-gui model sidecar"),
    (json.dumps({"format": "hpt-gui model sidecar 1"}), "not an hpt-gui model sidecar"),
    (json.dumps({"format": "hpt-gui model sidecar 9", "model_sha256": "0" * 64}),
     "newer hpt-gui"),
])
def test_a_sidecar_that_is_not_ours_is_refused(model, no_unpickling, text, phrase):
    sidecar_path(model).write_text(text)
    with pytest.raises(ModelFileError, match=phrase):
        load_model(model, trusted=True)


def test_a_checked_pickle_that_cannot_predict_is_refused(model):
    payload = pickle.dumps({"not": "a model"})
    model.write_bytes(payload)
    meta = json.loads(sidecar_path(model).read_text())
    import hashlib

    meta["model_sha256"] = hashlib.sha256(payload).hexdigest()
    sidecar_path(model).write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match="holds a dict, not a fitted model"):
        load_model(model, trusted=True)


def test_other_library_versions_are_warnings_not_refusals(model):
    meta = json.loads(sidecar_path(model).read_text())
    meta["versions"]["scikit-learn"] = "0.0.1"
    sidecar_path(model).write_text(json.dumps(meta))
    pipeline, _, warnings = load_model(model, trusted=True)
    assert hasattr(pipeline, "predict")
    assert len(warnings) == 1 and "saved with scikit-learn 0.0.1 and this is" in warnings[0]
    assert "does not say which library versions" in version_warnings({})[0]


def test_the_refusal_is_a_user_sentence_on_the_command_line_and_in_the_window():
    from hpt_gui.cli import _user_errors

    assert model_file.ModelFileError in _user_errors()
    assert issubclass(ModelFileError, ValueError)
