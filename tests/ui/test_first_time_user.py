"""Issue 8's acceptance, driven by clicks as a first-time user would: demo data, two
models tuned, which is better and how surely, the guide's page on overfitting
and its link to the user's own curve, and predictions for new rows written to a CSV."""

import csv
import json

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtWidgets import QPushButton  # noqa: E402

from hpt_gui.ui.main_window import MainWindow  # noqa: E402


def _click_row(qtbot, widget, row: int, x: int | None = None) -> None:
    rect = widget.visualItemRect(widget.item(row))
    point = rect.center() if x is None else rect.center().__class__(rect.left() + x,
                                                                    rect.center().y())
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=point)


def _tick_models(qtbot, window, *wanted: str) -> None:
    """Step 2, Models: tick each wanted model's box with the mouse."""
    _click_row(qtbot, window.steps, 1)  # 2. Models
    models = window.space_editor.model_list
    names = [models.item(i).data(Qt.ItemDataRole.UserRole) or models.item(i).text()
             for i in range(models.count())]
    for model in wanted:
        row = next(i for i, name in enumerate(names) if model in str(name))
        models.scrollToItem(models.item(row))
        _click_row(qtbot, models, row, x=12)  # the tick box


def _window_on_iris(qtbot, tmp_path):
    """A shown window on a new project, the Iris demo picked on the start page."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(tmp_path / "first.hpt", settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    demo = next(b for b in window.start_page.findChildren(QPushButton) if b.text() == "Iris")
    qtbot.mouseClick(demo, Qt.MouseButton.LeftButton)  # read off the GUI thread
    qtbot.waitUntil(lambda: not window.dataset_panel.is_busy(), timeout=30_000)
    assert window.dataset_panel.dataset is not None
    return window


@pytest.mark.slow
def test_demo_to_comparison_guide_and_predictions_with_the_mouse(qtbot, tmp_path):
    window = _window_on_iris(qtbot, tmp_path)

    _tick_models(qtbot, window, "DecisionTreeClassifier", "LogisticRegression")
    assert sorted(window.space_editor.selected_models()) == ["DecisionTreeClassifier",
                                                             "LogisticRegression"]
    _click_row(qtbot, window.steps, 2)  # 3. Search: a short random search
    panel = window.settings_panel
    panel.strategy.setCurrentIndex(panel.strategy.findData("random"))
    panel.trials.setValue(4)
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.queue.entries) == 2 and all(
        e.state in ("finished", "failed") for e in window.queue.entries), timeout=120_000)
    assert {e.state for e in window.queue.entries} == {"finished"}

    # which is better, and how surely
    qtbot.mouseClick(window.results.compare_button, Qt.MouseButton.LeftButton)
    compare = window.compare_page.widget
    assert window.pages.currentWidget() is window.compare_page
    assert compare.header.text().count("Best: ") == 1
    assert any(words in compare.header.text() for words in (
        "almost certainly worse", "probably worse", "practically equivalent",
        "does not settle it"))
    assert "distinguishable" not in compare.header.text()

    # the guide's page on overfitting, and its link to the user's own curve
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    next(a for a in help_menu.actions() if a.text().startswith("&Guide")).trigger()
    guide = window._guide
    bias = next(i for i in range(guide.sections_list.count())
                if "overfitting" in guide.sections_list.item(i).text())
    _click_row(qtbot, guide.sections_list, bias)
    assert "Overfitting" in guide.browser.toPlainText()
    assert "view:results/Under/overfit" in guide.browser.toHtml()
    guide.browser.anchorClicked.emit(QUrl("view:results/Under/overfit"))
    diagnostics = window.results.diagnostics
    assert window.pages.currentWidget() is window.results
    assert diagnostics.tabs.currentWidget() is diagnostics.fit_view

    # predictions for new rows, to a CSV
    qtbot.mouseClick(window.results.predict_button, Qt.MouseButton.LeftButton)
    dialog = window._predict_dialog
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.ready, timeout=60_000)
    qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.open_button.isHidden(), timeout=60_000)
    with open(dialog.out_path.text(), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 150 and "predicted target" in rows[0]
    dialog.close()
    guide.close()
    window.close()


def _random_search(qtbot, window, trials: int) -> None:
    """Step 3, Search: a random search of so many trials over 3 folds, then Run."""
    _click_row(qtbot, window.steps, 2)  # 3. Search
    panel = window.settings_panel
    panel.strategy.setCurrentIndex(panel.strategy.findData("random"))
    panel.trials.setValue(trials)
    panel.cv.setValue(3)
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)


def _exported_trial(window, path) -> int:
    """The trial number 'Export > Chosen trial as a model file' writes beside the model."""
    window.results.export("model", str(path))
    return json.loads(path.with_suffix(".json").read_text())["trial"]


@pytest.mark.slow
def test_a_second_data_file_a_pause_a_resume_and_a_study_switch(qtbot, tmp_path):
    """Issue 17: two data files in one project, a study paused and resumed, and a switch
    between studies: the header, the chosen trial and the export agree all along."""
    window = _window_on_iris(qtbot, tmp_path)
    page = window.results
    _tick_models(qtbot, window, "DecisionTreeClassifier")
    _random_search(qtbot, window, trials=4)
    qtbot.waitUntil(lambda: window.queue.entries and window.queue.entries[0].state
                    in ("finished", "failed"), timeout=120_000)
    iris = window.queue.entries[0].name
    assert iris == "DecisionTreeClassifier random"  # one data file: the plain name

    # a second data file: small, so its many trials take seconds
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"tenure": rng.integers(1, 60, 60), "calls": rng.normal(3, 1, 60)})
    frame["left"] = np.where(frame["tenure"] + rng.normal(0, 10, 60) < 20, "yes", "no")
    churn = tmp_path / "churn.csv"
    frame.to_csv(churn, index=False)
    assert window.load_data(str(churn))
    if window.space_editor.selected_models() != ["DecisionTreeClassifier"]:
        _tick_models(qtbot, window, "DecisionTreeClassifier")
    _random_search(qtbot, window, trials=150)  # 450 fits: not a long search
    assert len(window.queue.entries) == 2
    second = window.queue.entries[1].name
    assert second == "DecisionTreeClassifier random · churn"

    # a pause: the header says paused, not cancelled
    qtbot.waitUntil(lambda: page.study_combo.currentText() == second
                    and page.table.model.rowCount() >= 2, timeout=120_000)
    with qtbot.waitSignal(window.queue.study_finished, timeout=120_000):
        qtbot.mouseClick(window.queue_view.buttons["pause"], Qt.MouseButton.LeftButton)
    assert window.queue.entries[1].state == "paused"
    assert page.study_combo.currentText() == second
    assert page.summary.text().rsplit(" · ", 1)[1] == "paused"  # the state, last

    # a resume: running, then finished
    window.queue_view.list.setCurrentRow(1)
    qtbot.mouseClick(window.queue_view.buttons["resume"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.queue.running is not None, timeout=30_000)
    assert page.summary.text().endswith("· running")
    qtbot.waitUntil(lambda: window.queue.entries[1].state in ("finished", "failed"),
                    timeout=300_000)
    assert window.queue.entries[1].state == "finished"
    assert page.study_combo.currentText() == second
    assert page.summary.text().endswith("· finished")
    churn_best = page.table.model.best_trial().number

    # a switch: the other study's best trial is chosen, labelled and exported
    other = next(t.number for t in page.table.model.trials() if t.number != churn_best)
    page.table.select_trial(other)
    page.study_combo.setCurrentIndex(page.study_combo.findText(iris))
    iris_best = page.table.model.best_trial().number
    assert page.table.selected_trial().number == iris_best
    assert page.table.details.title.text().startswith(f"Trial {iris_best} ")
    assert page.summary.text().endswith("· finished")
    assert _exported_trial(window, tmp_path / "iris.pkl") == iris_best
    page.study_combo.setCurrentIndex(page.study_combo.findText(second))
    assert page.table.selected_trial().number == churn_best
    assert page.table.details.title.text().startswith(f"Trial {churn_best} ")
    assert _exported_trial(window, tmp_path / "churn.pkl") == churn_best
    window.close()
