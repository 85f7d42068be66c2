"""The Results page reads the project off the GUI thread (ui/tasks), and the window keeps
handling events meanwhile; a reload asked for meanwhile supersedes the older one."""

import dataclasses
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


def test_the_plots_arrays_are_built_with_the_reading_off_the_gui_thread(
        qtbot, project, monkeypatch):
    """At 100,000 trials the plots' arrays took 200 ms on the GUI thread; they are built
    with the project's reading, and used only for the very trials they were built from."""
    from hpt_gui.ui.plots import base

    built_on = []
    real = base.study_data

    def watched(spec, trials, previous=None):
        built_on.append(threading.current_thread())
        return real(spec, trials, previous)

    monkeypatch.setattr(base, "study_data", watched)
    page = ResultsPage()
    qtbot.addWidget(page)
    page.show()  # the plots exist: their arrays are built with the reading
    page.set_project(project)
    panel = page.diagnostics
    qtbot.waitUntil(lambda: panel.data is not None, timeout=10_000)
    assert built_on and all(t is not threading.main_thread() for t in built_on)
    assert panel.data is page._built["tree"] and len(panel.data.frame) == 3
    # a trial that streams in makes the prebuilt arrays stale: the panel grows its own
    row, trials = engine.read_study(project, "tree")
    extra = dataclasses.replace(trials[-1], number=99)
    page.add_trial("tree", extra)
    assert "tree" not in page._built
    page._on_study_chosen()
    qtbot.waitUntil(lambda: panel.data is not None and len(panel.data.frame) == 4,
                    timeout=10_000)


def test_the_report_shows_how_the_trial_errs_from_the_panel_or_the_project(
        qtbot, project, tmp_path, monkeypatch):
    """The report takes the predictions the "How it errs" view holds, else the kept ones,
    and never fits for them: without either it says how to get them."""
    page = ResultsPage()
    qtbot.addWidget(page)
    page.show()
    page.set_project(project)
    panel = page.diagnostics
    qtbot.waitUntil(lambda: panel.data is not None, timeout=10_000)
    trial = panel.current_trial()
    out = tmp_path / "r.html"

    def report() -> str:
        assert page.save_report(str(out)) == out, page.message.text()
        return out.read_text(encoding="utf-8")

    assert "are not kept in the project" in report() and "oof-metrics" not in report()
    kept = engine.predictions(project, "tree", trial)  # fitted and kept
    text = report()
    assert 'class="confusion"' in text and f"How trial {trial} errs: Confusion matrix" in text
    monkeypatch.setattr(engine, "stored_predictions", lambda *a: None)  # none kept
    assert "oof-metrics" not in report()
    panel.errors_view.computed[trial] = kept  # the view's, as its panel computed them
    assert 'class="confusion"' in report()
