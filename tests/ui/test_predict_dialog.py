"""The 'Predict on new data' dialog: a study's trial predicts a new table, a model file
needs 'I trust this file' first, and a table without the model's columns is a red
sentence, not a traceback."""

import re

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from hpt_gui.cli import main  # noqa: E402
from hpt_gui.ui.predict_dialog import TRUST_WARNING, PredictDialog  # noqa: E402


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """A project with one quick study on 60 rows, its model exported, and 20 new rows."""
    folder = tmp_path_factory.mktemp("predict-dialog")
    rng = np.random.default_rng(1)
    n = 80
    frame = pd.DataFrame({"age": rng.integers(18, 80, n).astype(float),
                          "city": rng.choice(["Lyon", "Paris", "Nice"], n)})
    frame["bought"] = np.where(frame["age"] + rng.normal(0, 10, n) > 50, "yes", "no")
    frame.iloc[:60].to_csv(folder / "train.csv", index=False)
    frame.iloc[60:].drop(columns="bought").to_csv(folder / "new.csv", index=False)
    project = folder / "p.hpt"
    assert main(["run", "--data", str(folder / "train.csv"), "--target", "bought", "--model",
                 "GaussianNB", "--strategy", "grid", "--cv", "3", "--project", str(project),
                 "--study", "nb", "--quiet"]) == 0
    assert main(["export", "--project", str(project), "--study", "nb",
                 "--model", str(folder / "nb.pkl")]) == 0
    return folder


def _dialog(qtbot, study):
    dialog = PredictDialog(study / "p.hpt", ["nb"], "nb")
    qtbot.addWidget(dialog)
    return dialog


def _settle(qtbot, dialog):
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)


def test_a_study_trial_writes_predictions_for_every_row(qtbot, study, tmp_path):
    dialog = _dialog(qtbot, study)
    assert re.search(r"Predicts with trial \d+ \(the best, accuracy 0\.\d+\)",
                     dialog.trial_label.text())
    dialog.choose_data(str(study / "new.csv"))
    assert dialog.out_path.text() == str(study / "new-predictions.csv")
    _settle(qtbot, dialog)
    assert "All 2 columns the model needs are there: 20 rows" in dialog.check_label.text()
    out = tmp_path / "out.csv"
    dialog.out_path.setText(str(out))
    assert dialog.write_button.isEnabled()
    with qtbot.waitSignal(dialog.predictions_written, timeout=20_000) as signal:
        dialog.write_button.click()
    _settle(qtbot, dialog)
    assert signal.args == [str(out)]
    written = pd.read_csv(out)
    assert len(written) == 20 and written["predicted bought"].isin(["yes", "no"]).all()
    pd.testing.assert_frame_equal(written[["age", "city"]], pd.read_csv(study / "new.csv"))
    assert f"Wrote 20 rows with predictions to {out}" in dialog.status.text()


def test_a_model_file_needs_the_trust_box_ticked(qtbot, study, tmp_path):
    dialog = _dialog(qtbot, study)
    dialog.choose_model_file(str(study / "nb.pkl"))
    assert dialog.use_file.isChecked() and dialog.warning_label.text() == TRUST_WARNING
    assert re.search(r"Study 'nb', trial \d+: GaussianNB; validation accuracy",
                     dialog.sidecar_label.text())
    dialog.choose_data(str(study / "new.csv"))
    dialog.out_path.setText(str(tmp_path / "out.csv"))
    _settle(qtbot, dialog)
    assert dialog._columns_ok is True
    assert not dialog.write_button.isEnabled()
    dialog.trust.setChecked(True)
    assert dialog.write_button.isEnabled()
    dialog.write_button.click()
    _settle(qtbot, dialog)
    assert len(pd.read_csv(tmp_path / "out.csv")) == 20


def test_missing_columns_are_a_red_sentence(qtbot, study, tmp_path):
    data = tmp_path / "no-city.csv"
    pd.read_csv(study / "new.csv").drop(columns="city").to_csv(data, index=False)
    dialog = _dialog(qtbot, study)
    dialog.choose_data(str(data))
    _settle(qtbot, dialog)
    text = dialog.check_label.text()
    assert "color:#a31515" in text and "lacks 1 column the model was trained on: 'city'" in text
    assert not dialog.write_button.isEnabled()


def test_the_output_may_not_be_the_input(qtbot, study):
    dialog = _dialog(qtbot, study)
    before = (study / "new.csv").read_bytes()
    dialog.choose_data(str(study / "new.csv"))
    dialog.out_path.setText(str(study / "new.csv"))
    _settle(qtbot, dialog)
    dialog.write_button.click()
    _settle(qtbot, dialog)
    assert "the table you are predicting on" in dialog.status.text()
    assert (study / "new.csv").read_bytes() == before


def test_a_demo_model_offers_its_demo_rows(qtbot, tmp_path):
    project = tmp_path / "demo.hpt"
    assert main(["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
                 "--strategy", "grid", "--cv", "3", "--project", str(project), "--study", "g",
                 "--quiet"]) == 0
    dialog = PredictDialog(project, ["g"])
    qtbot.addWidget(dialog)
    assert not dialog.demo_button.isHidden()
    dialog.demo_button.click()
    assert dialog.data_path.text() == "demo:iris"
    assert dialog.out_path.text() == str(tmp_path / "iris-predictions.csv")
    _settle(qtbot, dialog)
    dialog.write_button.click()
    _settle(qtbot, dialog)
    written = pd.read_csv(tmp_path / "iris-predictions.csv")
    assert len(written) == 150
    assert [c for c in written.columns if c.startswith("probability")] == [
        "probability 0", "probability 1", "probability 2"]


def test_a_skops_file_needs_no_trust(qtbot, study, tmp_path):
    """A .skops file runs no code when loaded: no warning, no trust box, and it predicts
    what the pickle of the same trial predicts."""
    assert main(["export", "--project", str(study / "p.hpt"), "--study", "nb",
                 "--model", str(study / "nb.skops")]) == 0
    dialog = _dialog(qtbot, study)
    dialog.choose_model_file(str(study / "nb.skops"))
    assert dialog.warning_label.isHidden() and dialog.trust.isHidden()
    assert re.search(r"Study 'nb', trial \d+: GaussianNB", dialog.sidecar_label.text())
    dialog.choose_data(str(study / "new.csv"))
    dialog.out_path.setText(str(tmp_path / "safe.csv"))
    _settle(qtbot, dialog)
    assert dialog.write_button.isEnabled() and not dialog.trust.isChecked()
    dialog.write_button.click()
    _settle(qtbot, dialog)
    assert "Wrote 20 rows" in dialog.status.text()
    dialog.choose_model_file(str(study / "nb.pkl"))  # back to a pickle: the box is back
    assert not dialog.warning_label.isHidden() and not dialog.trust.isHidden()
    dialog.out_path.setText(str(tmp_path / "pickled.csv"))
    _settle(qtbot, dialog)
    assert not dialog.write_button.isEnabled()
    dialog.trust.setChecked(True)
    dialog.write_button.click()
    _settle(qtbot, dialog)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "safe.csv"),
                                  pd.read_csv(tmp_path / "pickled.csv"))


def test_a_typed_model_path_is_used(qtbot, study):
    """The model field ignored typing (read-only): a path typed or pasted is used."""
    dialog = _dialog(qtbot, study)
    dialog.use_file.setChecked(True)
    dialog.model_path.setFocus()
    dialog.model_path.clear()
    qtbot.keyClicks(dialog.model_path, str(study / "nb.pkl"))
    qtbot.keyClick(dialog.model_path, Qt.Key.Key_Return)
    assert re.search(r"Study 'nb', trial \d+: GaussianNB", dialog.sidecar_label.text())
    assert dialog.warning_label.isVisibleTo(dialog)  # a pickle: the user's word is asked
    dialog.trust.setChecked(True)
    qtbot.keyClick(dialog.model_path, Qt.Key.Key_Return)  # unchanged: the trust stays
    assert dialog.trust.isChecked()



@pytest.mark.parametrize("width", [None, 460])  # as it opens (720 wide), and made narrower
def test_the_pickle_warning_wraps_and_is_shown_whole(qtbot, study, width):
    """The pickle warning wraps, and its box is tall enough for every line: the dialog
    grows rather than clip it."""
    dialog = _dialog(qtbot, study)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.choose_model_file(str(study / "nb.pkl"))
    if width is not None:
        dialog.resize(width, dialog.height())
    qtbot.wait(20)
    for label in (dialog.warning_label, dialog.sidecar_label):
        assert label.isVisible() and label.wordWrap()
        assert label.heightForWidth(label.width()) <= label.height()  # every line fits
        bottom = label.mapTo(dialog, label.rect().bottomLeft()).y()
        assert bottom <= dialog.height()
    warning = dialog.warning_label
    assert warning.sizeHint().width() <= warning.width() or \
        warning.heightForWidth(warning.width()) > 1.5 * warning.fontMetrics().height()
    assert dialog.trust.geometry().top() >= warning.geometry().bottom()  # nothing overlaps


def test_a_newer_check_supersedes_an_older_one(qtbot, study):
    """The check runs off the GUI thread (ui/tasks); a slow older check finishing last
    never overwrites what the newer one found."""
    import threading

    dialog = _dialog(qtbot, study)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30_000)
    release = threading.Event()
    shown = []
    dialog._checked = lambda outcome, ok: shown.append(outcome)

    def slow():
        release.wait(10)
        return "older"

    dialog._start("check", slow)
    dialog._start("check", lambda: "newer")
    qtbot.waitUntil(lambda: shown == ["newer"], timeout=10_000)
    release.set()
    qtbot.wait(200)
    assert shown == ["newer"] and not dialog.busy()
