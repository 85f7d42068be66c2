"""The minimal window opens offscreen and says what is loaded."""

import pytest

pytest.importorskip("pytestqt")

from hpt_gui.core.runner import run_study  # noqa: E402
from hpt_gui.core.study import plan_study  # noqa: E402
from hpt_gui.ui.main_window import EMPTY_TEXT, MainWindow  # noqa: E402


def test_empty_window_explains_what_to_do(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.status_label.text() == EMPTY_TEXT
    assert "hpt-gui run" in EMPTY_TEXT


def test_opening_a_project_lists_its_studies(qtbot, tmp_path):
    plan = plan_study(data="demo:iris", target="target", model="GaussianNB", cv=3, name="nb")
    run_study(plan, tmp_path / "p.hpt")
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_project(tmp_path / "p.hpt")
    text = window.status_label.text()
    assert "nb: GaussianNB" in text and "complete" in text and "best accuracy" in text


def test_opening_a_broken_file_says_so(qtbot, tmp_path):
    bad = tmp_path / "x.hpt"
    bad.write_text("not a database")
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_project(bad)
    assert "not an hpt-gui project file" in window.status_label.text()
