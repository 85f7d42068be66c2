"""Successive halving in the window: its settings show only for halving and reach the
study; the cost is the fits halving plans; the results summary states the saving."""

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402

from hpt_gui.ui.main_window import MainWindow  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(tmp_path / "p.hpt", settings=settings)
    qtbot.addWidget(window)
    return window


def test_halving_settings_show_only_for_halving_and_reach_the_request(window, tmp_path,
                                                                      monkeypatch):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=90), "city": rng.choice(["a", "b"], 90)})
    frame["y"] = np.where(frame["x"] > 0, "yes", "no")
    frame.to_csv(tmp_path / "d.csv", index=False)
    assert window.load_data(str(tmp_path / "d.csv"))
    window.space_editor.select_models(["DecisionTreeClassifier"])
    panel = window.settings_panel
    halving_rows = (panel.factor, panel.resource, panel.min_resource)
    assert "Successive halving" in panel.strategy.itemText(panel.strategy.findData("halving"))
    assert not any(w.isVisibleTo(panel) for w in halving_rows)
    panel.strategy.setCurrentIndex(panel.strategy.findData("halving"))
    assert all(w.isVisibleTo(panel) for w in halving_rows)
    panel.cv.setValue(5)
    panel.trials.setValue(27)
    # 27 candidates on 1 fold, the best 9 on the other 4: 63 fits, not 27 x 5 = 135
    assert "halved by 3 on folds = <b>at most 63 fits</b> (a full evaluation takes 135)" \
        in panel.cost.text()
    panel.factor.setValue(2)
    panel.resource.setCurrentIndex(panel.resource.findData("rows"))
    panel.min_resource.setValue(30)
    assert panel.settings().options == {"factor": 2, "resource": "rows", "min_resource": 30}
    queued = []
    monkeypatch.setattr(window.queue, "add", queued.append)
    window.run_studies()
    [request] = queued
    assert request.strategy == "halving" and request.options["resource"] == "rows"
    panel.strategy.setCurrentIndex(panel.strategy.findData("grid"))
    assert not any(w.isVisibleTo(panel) for w in halving_rows)
    assert panel.settings().options is None


def test_results_summary_states_the_saving(qtbot, tmp_path):
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    plan = plan_study(data="demo:iris", target="target", model="DecisionTreeClassifier",
                      strategy="halving", trials=9, cv=5, name="h")
    run_study(plan, tmp_path / "p.hpt")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(tmp_path / "p.hpt", settings=settings)
    qtbot.addWidget(window)
    text = window.results.summary.text()
    assert "pruned" in text and "halving used 21 of 45 fits (47%)" in text
