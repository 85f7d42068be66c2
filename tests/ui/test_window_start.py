"""How the window starts: fitted to a small screen the first time, as left afterwards,
and with the file the user opened it with (``hpt-gui data.csv``)."""

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QRect, QSettings  # noqa: E402

from hpt_gui.ui import window_fit  # noqa: E402
from hpt_gui.ui.main_window import MainWindow  # noqa: E402
from hpt_gui.ui.trial_table import COL_STD  # noqa: E402

LAPTOP = QRect(0, 0, 1280, 800)  # a 1280x800 screen's available area (no task bar)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def laptop_screen(monkeypatch):
    monkeypatch.setattr(window_fit, "available_geometry", lambda window: QRect(LAPTOP))


def _window(qtbot, tmp_path, settings):
    window = MainWindow(tmp_path / "p.hpt", settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_first_window_fits_a_small_screen(qtbot, tmp_path, settings, laptop_screen):
    """1400x900 hid the Run button and the status bar below a 1280x800 screen's edge."""
    window = _window(qtbot, tmp_path, settings)
    frame = window.frameGeometry()
    assert LAPTOP.contains(frame), frame
    assert frame.width() <= 0.9 * LAPTOP.width() and frame.height() <= 0.9 * LAPTOP.height()
    assert abs(frame.center().x() - LAPTOP.center().x()) <= 30
    assert abs(frame.center().y() - LAPTOP.center().y()) <= 30
    run_button = window.run_button.mapTo(window, window.run_button.rect().bottomRight())
    assert window.rect().contains(run_button)


def test_a_large_screen_gets_the_usual_size(qtbot, tmp_path, settings, monkeypatch):
    monkeypatch.setattr(window_fit, "available_geometry", lambda window: QRect(0, 0, 2560, 1400))
    window = _window(qtbot, tmp_path, settings)
    assert window.frameGeometry().width() <= 1400 and window.width() >= 1300


def test_the_size_and_place_left_are_restored(qtbot, tmp_path, settings, laptop_screen):
    window = _window(qtbot, tmp_path, settings)
    fitted = window.size()  # to the 1280x800 screen
    window.setGeometry(0, 30, 960, 660)  # the offscreen screen is 800x800: kept inside it
    window.close()
    again = _window(qtbot, tmp_path, settings)
    assert again.height() == 660 and abs(again.y() - 30) <= 4  # (the frame, offscreen)
    # As wide as the offscreen screen and the window's minimum width let it be, not fitted
    # again to the 1280x800 screen.
    assert again.width() < fitted.width()


def test_first_window_rect_is_centred_and_capped():
    rect = window_fit.first_window_rect(QRect(100, 0, 1000, 600))
    assert (rect.width(), rect.height()) == (900, 540)
    assert rect.center() == QRect(100, 0, 1000, 600).center()


def test_the_window_opened_with_a_data_file_shows_it_loaded(qtbot, tmp_path, settings):
    data = tmp_path / "churn.csv"
    data.write_text("tenure,plan,churned\n" + "".join(
        f"{i},{'ab'[i % 2]},{'yes' if i % 3 else 'no'}\n" for i in range(40)), encoding="utf-8")
    window = MainWindow(tmp_path / "Churn study.hpt", settings=settings)
    qtbot.addWidget(window)
    window.open_file(str(data))  # read off the GUI thread
    qtbot.waitUntil(lambda: not window.dataset_panel.is_busy(), timeout=30_000)
    assert window.dataset_panel.dataset is not None
    assert window.pages.currentWidget() is window.dataset_panel
    assert window.windowTitle() == "churn.csv — Churn study.hpt — hpt-gui"


def test_the_window_opened_with_a_project_of_any_name_opens_it(qtbot, tmp_path, settings):
    from hpt_gui.core.store import ProjectStore

    ProjectStore(tmp_path / "shared copy").close()
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.open_file(str(tmp_path / "shared copy"))
    assert window.project == tmp_path / "shared copy"
    assert window.dataset_panel.dataset is None
    assert window.windowTitle() == "shared copy — hpt-gui"


def test_a_missing_file_is_a_sentence_in_the_window(qtbot, tmp_path, settings):
    window = MainWindow(tmp_path / "p.hpt", settings=settings)
    qtbot.addWidget(window)
    window.open_file(str(tmp_path / "gone.csv"))
    qtbot.waitUntil(lambda: not window.dataset_panel.is_busy(), timeout=30_000)
    assert "was not found" in window.dataset_panel.message
    assert window.pages.currentWidget() is window.dataset_panel


def test_closing_the_window_leaves_no_wal_beside_the_project(qtbot, tmp_path, settings):
    """A read of the project (the folds' loader) leaves '-wal'/'-shm' files that only a
    writing connection, the last one, can fold in and remove: the window does it when it
    closes."""
    import sqlite3

    from hpt_gui.core.store import ProjectStore

    project = tmp_path / "p.hpt"
    ProjectStore(project).close()
    window = MainWindow(project, settings=settings)
    qtbot.addWidget(window)
    reader = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
    reader.close()  # a reader cannot remove them
    assert (tmp_path / "p.hpt-wal").exists() or (tmp_path / "p.hpt-shm").exists()
    window.close()
    assert not (tmp_path / "p.hpt-wal").exists()
    assert not (tmp_path / "p.hpt-shm").exists()


def test_the_data_step_shows_whole_column_names_in_the_first_window(qtbot, tmp_path,
                                                                    settings, laptop_screen):
    """In the window fitted to a 1280x800 screen, the columns table (the names, roles,
    types and pictures) fits without scrolling sideways: names were cut to 'malic...'."""
    from sklearn.datasets import load_wine

    data = tmp_path / "wine.csv"
    load_wine(as_frame=True).frame.to_csv(data, index=False)
    window = _window(qtbot, tmp_path, settings)
    window.open_file(str(data))
    table = window.dataset_panel.columns_table
    qtbot.waitUntil(lambda: table.rowCount() == 14, timeout=30_000)
    qtbot.wait(50)
    assert table.horizontalScrollBar().maximum() == 0
    names = table.horizontalHeader().sectionSize(0)
    widest = max(table.fontMetrics().horizontalAdvance(table.item(row, 0).text())
                 for row in range(table.rowCount()) if table.item(row, 0) is not None)
    assert widest + 8 <= names, (widest, names)


def test_the_search_steps_choices_read_whole_in_the_first_window(qtbot, tmp_path, settings,
                                                                laptop_screen):
    """Each strategy and validation scheme, once chosen, reads whole in its box in the
    window fitted to a 1280x800 screen ('... learns from finished trials where to look'
    lost its end)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    window = _window(qtbot, tmp_path, settings)
    window.open_file("demo:iris")
    qtbot.waitUntil(lambda: window.dataset_panel.dataset is not None, timeout=30_000)
    window.show_step(2)
    panel = window.settings_panel
    for combo, strategy in ((panel.strategy, None), (panel.scheme, None),
                            (panel.algorithm, "evolution"), (panel.resource, "halving")):
        if strategy:  # these boxes show with their strategy
            panel.strategy.setCurrentIndex(panel.strategy.findData(strategy))
        for index in range(combo.count()):
            combo.setCurrentIndex(index)
            qtbot.wait(10)
            option = QStyleOptionComboBox()
            combo.initStyleOption(option)
            room = combo.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox, option,
                QStyle.SubControl.SC_ComboBoxEditField, combo).width()
            text = combo.itemText(index)
            assert combo.fontMetrics().horizontalAdvance(text) <= room, (text, room)


def test_a_wide_screen_shows_the_trial_tables_spread_column(qtbot, tmp_path, settings,
                                                            monkeypatch):
    """On a 1920x1080 screen the plots' size hint left the trial table too narrow for its
    '± std over folds' column: the table gets at least its share of the page."""
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    monkeypatch.setattr(window_fit, "available_geometry", lambda window: QRect(0, 0, 1920, 1080))
    project = tmp_path / "p.hpt"
    run_study(plan_study(data="demo:iris", target="target", model="DecisionTreeClassifier",
                         strategy="random", trials=4, cv=3, name="tree"), project)
    window = MainWindow(project, settings=settings)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.open_project(project)
    window.results.diagnostics  # noqa: B018 (made on first use, as when a study is shown)
    table = window.results.table.table
    spread = COL_STD
    qtbot.waitUntil(lambda: table.columnViewportPosition(spread) + table.columnWidth(spread)
                    <= table.viewport().width(), timeout=5_000)


def test_the_windows_time_preview_is_the_runs_estimate(qtbot, tmp_path, settings):
    """The window measured a fold's time as the mean fit time of any data while `run`
    measured fit and score time on the same data first: the two said different times."""
    from hpt_gui.core.eta import estimate_run_time
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    project = tmp_path / "p.hpt"
    common = dict(target="target", model="DecisionTreeClassifier", strategy="grid", cv=3)
    run_study(plan_study(data="demo:iris", name="iris", **common), project)
    run_study(plan_study(data="demo:wine", name="wine", **common), project)
    window = MainWindow(project, settings=settings)
    qtbot.addWidget(window)
    window.open_project(project)
    window.load_data("demo:iris")
    window.space_editor.select_models(["DecisionTreeClassifier"])
    seconds = window.results.seconds_per_fit(["DecisionTreeClassifier"], "demo:iris")
    plan = plan_study(data="demo:iris", name="next", **common)
    estimate = estimate_run_time(plan, project, 1)
    assert seconds["DecisionTreeClassifier"] * estimate.fits == pytest.approx(estimate.seconds)
