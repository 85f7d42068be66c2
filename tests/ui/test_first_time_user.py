"""Issue 8's acceptance, driven by clicks as a first-time user would: demo data, two
models tuned, which is better and how surely, the guide's page on overfitting
and its link to the user's own curve, and predictions for new rows written to a CSV."""

import csv

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


def test_demo_to_comparison_guide_and_predictions_with_the_mouse(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(tmp_path / "first.hpt", settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    demo = next(b for b in window.start_page.findChildren(QPushButton) if b.text() == "Iris")
    qtbot.mouseClick(demo, Qt.MouseButton.LeftButton)
    assert window.dataset_panel.dataset is not None

    _click_row(qtbot, window.steps, 1)  # 2. Models
    models = window.space_editor.model_list
    names = [models.item(i).data(Qt.ItemDataRole.UserRole) or models.item(i).text()
             for i in range(models.count())]
    for wanted in ("DecisionTreeClassifier", "LogisticRegression"):
        row = next(i for i, name in enumerate(names) if wanted in str(name))
        models.scrollToItem(models.item(row))
        _click_row(qtbot, models, row, x=12)  # the tick box
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
