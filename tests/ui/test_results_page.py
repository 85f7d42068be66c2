"""The Results page reads the project off the GUI thread (ui/tasks), and the window keeps
handling events meanwhile; a reload asked for meanwhile supersedes the older one."""

import threading
import time

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QTimer  # noqa: E402

from hpt_gui.core import engine  # noqa: E402
from hpt_gui.core.runner import run_study  # noqa: E402
from hpt_gui.core.study import plan_study  # noqa: E402
from hpt_gui.ui.results_page import ResultsPage  # noqa: E402


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.hpt"
    run_study(plan_study(data="demo:iris", target="target", model="DecisionTreeClassifier",
                         strategy="random", trials=3, cv=3, name="tree"), path)
    return path


def test_the_project_is_read_off_the_gui_thread_and_the_window_keeps_going(
        qtbot, project, monkeypatch):
    read_on, ticks = [], []
    real = engine.read_project

    def slow_read(path):
        read_on.append(threading.current_thread())
        time.sleep(0.3)  # a big project
        return real(path)

    monkeypatch.setattr(engine, "read_project", slow_read)
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    page = ResultsPage()
    qtbot.addWidget(page)
    page.set_project(project)
    timer.stop()
    assert read_on and read_on[0] is not threading.main_thread()
    assert len(ticks) >= 5  # the GUI thread handled its timer while the file was read
    assert page.studies() == ["tree"] and page.table.model.rowCount() == 3


def test_a_damaged_project_is_a_sentence_on_the_page(qtbot, tmp_path):
    bad = tmp_path / "bad.hpt"
    bad.write_bytes(b"not a project at all" * 100)
    page = ResultsPage()
    qtbot.addWidget(page)
    page.set_project(bad)
    assert page.studies() == [] and page.message.text()
    assert "Traceback" not in page.message.text()
