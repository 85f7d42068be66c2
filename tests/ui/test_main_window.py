"""The whole path through the window: data -> model and space -> grid study -> table ->
CSV export -> reopen the project and see the same trials."""

import os

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402

from hpt_gui.ui.main_window import MainWindow, unique_name  # noqa: E402


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def shop_csv(tmp_path):
    rng = np.random.default_rng(0)
    n = 90
    frame = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "income": rng.normal(50, 10, n),
        "city": rng.choice(["Lyon", "Paris", "Nice"], n),
    })
    frame.loc[::7, "income"] = np.nan
    frame["bought"] = np.where(frame["age"] + rng.normal(0, 10, n) > 50, "yes", "no")
    path = tmp_path / "shop.csv"
    frame.to_csv(path, index=False)
    return path


def _window(qtbot, project, settings):
    window = MainWindow(project, settings=settings)
    qtbot.addWidget(window)
    return window


def test_start_page_first(qtbot, tmp_path, settings):
    window = _window(qtbot, tmp_path / "p.hpt", settings)
    assert window.pages.currentWidget() is window.start_page
    assert not window.run_button.isEnabled()
    assert "load a data set" in window.next_hint.text()


def test_start_page_counts_the_steps_it_lists_and_the_sidebar_shows(qtbot, tmp_path, settings):
    from PySide6.QtWidgets import QLabel

    from hpt_gui.ui.start_page import steps_title

    window = _window(qtbot, tmp_path / "p.hpt", settings)
    page = window.start_page
    texts = [label.text() for label in page.findChildren(QLabel)]
    listed = [t.split(". ", 1)[1] for t in texts if t[:1].isdigit() and ". " in t[:4]]
    sidebar = [window.steps.item(i).text() for i in range(window.steps.count())]
    assert len(listed) == len(sidebar) == 6
    assert all(shown.endswith(name) for shown, name in zip(sidebar, listed, strict=True))
    assert "Tune a model in six steps" in texts
    assert steps_title(1) == "Tune a model in one step" and steps_title(12).endswith("12 steps")


def test_data_to_results_and_back(qtbot, tmp_path, settings, shop_csv):
    project = tmp_path / "p.hpt"
    window = _window(qtbot, project, settings)
    window.show()
    assert window.load_data(str(shop_csv))
    assert window.dataset_panel.dataset.target == "bought"
    assert window.pages.currentWidget() is window.dataset_panel

    space = tmp_path / "space.json"
    space.write_text('{"max_depth": {"type": "categorical", "choices": [2, 4]}, '
                     '"min_samples_leaf": {"type": "categorical", "choices": [1, 5]}}')
    window.space_editor.select_models(["DecisionTreeClassifier"])
    window.space_editor.load_space("DecisionTreeClassifier", space)
    panel = window.settings_panel
    panel.strategy.setCurrentIndex(panel.strategy.findData("grid"))
    panel.cv.setValue(3)
    panel.jobs.setValue(1)
    assert "4 candidates × 3 folds = <b>12 fits</b>" in panel.cost.text()
    assert window.run_button.isEnabled()

    window.run_studies()
    qtbot.waitUntil(lambda: window.queue.entries and window.queue.entries[0].state == "finished",
                    timeout=120_000)
    assert window.results.studies() == ["DecisionTreeClassifier grid"]
    assert window.results.table.model.rowCount() == 4

    out = window.results.export("csv", str(tmp_path / "trials.csv"))
    table = pd.read_csv(out)
    assert len(table) == 4 and {"param_max_depth", "mean_test_score"} <= set(table.columns)
    window.results.table.select_trial(2)
    panel = window.results.diagnostics
    assert panel.selected == 2  # linked to the table; the plots draw once the loop is free
    qtbot.waitUntil(lambda: "Trial 2:" in panel.verdict.text(), timeout=10_000)
    qtbot.waitUntil(lambda: panel.jobs.idle() and panel.baseline is not None, timeout=60_000)
    report = window.results.save_report(str(tmp_path / "report.html"))
    assert "data:image/png;base64," in report.read_text()
    # the data checks' notes, as `hpt-gui report` writes them (income has gaps)
    assert panel.data_notes and "income&#x27; (14 %) has missing values" in report.read_text()
    model = window.results.export("model", str(tmp_path / "tree.pkl"))
    assert model.exists() and (tmp_path / "tree.json").exists()
    assert '"trial": 2' in (tmp_path / "tree.json").read_text()
    script = window.results.export("script", str(tmp_path / "tree.py"))
    assert "DecisionTreeClassifier" in script.read_text()
    assert window.results.export("csv", str(shop_csv)) is None  # never over the data
    assert "overwritten" in window.results.message.text()
    link = tmp_path / "link.out"  # nor over a hard link to the project
    os.link(project, link)
    before = project.read_bytes()
    for kind in ("csv", "script", "model"):
        assert window.results.export(kind, str(link)) is None
        assert "overwritten" in window.results.message.text()
    assert window.results.save_report(str(link)) is None
    assert "overwritten" in window.results.message.text()
    assert project.read_bytes() == before

    window.close()
    again = _window(qtbot, project, settings)
    again.open_project(project)
    assert again.results.studies() == ["DecisionTreeClassifier grid"]
    assert again.results.table.model.rowCount() == 4
    assert again.pages.currentWidget() is again.results


@pytest.mark.parametrize("typed, picked, written", [
    ("tree.skops", "Safe model file (*.skops)", "tree.skops"),
    ("tree", "Safe model file (*.skops)", "tree.skops"),  # the filter's suffix is added
    ("tree v1.2", "Pickle (*.pkl)", "tree v1.2.pkl"),
    ("tree.pkl", "Safe model file (*.skops)", "tree.pkl"),  # a suffix typed wins
])
def test_the_model_save_dialog_offers_the_safe_format_first(qtbot, tmp_path, monkeypatch,
                                                            typed, picked, written):
    from PySide6.QtWidgets import QFileDialog

    from hpt_gui.cli import main
    from hpt_gui.core.model_file import model_format, sidecar_path
    from hpt_gui.ui.main_window import ResultsPage

    project = tmp_path / "p.hpt"
    assert main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "GaussianNB", "--strategy", "grid", "--cv", "2", "--project", str(project),
                 "--study", "nb", "--quiet"]) == 0
    page = ResultsPage()
    qtbot.addWidget(page)
    page.set_project(project)
    asked = []

    def save_dialog(parent, caption, start, filters=""):
        asked.append((start, filters))
        return str(tmp_path / typed), picked

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    assert page.export("model") == tmp_path / written
    assert asked == [("nb.skops", "Safe model file (*.skops);;Pickle (*.pkl)")]
    assert sidecar_path(tmp_path / written).exists()
    assert model_format(written) == ("pickle" if written.endswith(".pkl") else "skops")


def test_recent_projects_are_remembered(qtbot, tmp_path, settings):
    from hpt_gui.core.store import ProjectStore

    ProjectStore(tmp_path / "b.hpt").close()
    window = _window(qtbot, tmp_path / "a.hpt", settings)
    window.open_project(tmp_path / "b.hpt")
    assert window._recent()[:2] == [str(tmp_path / "b.hpt"), str(tmp_path / "a.hpt")]


def test_unique_study_names():
    assert unique_name("SVC grid", set()) == "SVC grid"
    assert unique_name("SVC grid", {"SVC grid", "SVC grid 2"}) == "SVC grid 3"


def test_splitter_positions_are_remembered(qtbot, tmp_path, settings):
    window = _window(qtbot, tmp_path / "p.hpt", settings)
    splitter = window.results.table.splitter
    assert splitter.objectName()
    splitter.setSizes([100, 400])
    window.close()
    again = _window(qtbot, tmp_path / "p.hpt", settings)
    sizes = again.results.table.splitter.sizes()
    assert sizes[0] < sizes[1]


def test_a_path_that_is_no_project_is_refused_and_the_old_one_kept(qtbot, tmp_path, settings,
                                                                  shop_csv, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    window = _window(qtbot, tmp_path / "p.hpt", settings)
    for bad in (shop_csv, tmp_path, tmp_path / "gone.hpt"):
        window.open_project(bad)
    assert window.project == tmp_path / "p.hpt"
    assert len(warnings) == 3
    assert "not an hpt-gui project file" in warnings[0] and "does not exist" in warnings[2]
    assert str(shop_csv) not in window._recent()


def test_trials_read_from_the_file_are_not_added_twice(qtbot, tmp_path, settings):
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    plan = plan_study(data="demo:iris", target="target", model="GaussianNB", cv=3, name="nb")
    result = run_study(plan, tmp_path / "p.hpt")
    window = _window(qtbot, tmp_path / "p.hpt", settings)
    for trial in result.trials:  # late signals for trials the page already read
        window.results.add_trial("nb", trial)
    assert len(window.results._studies["nb"][1]) == len(result.trials)


def test_streamed_trials_are_appended_once_each(qtbot, tmp_path, settings):
    """Trials streaming in are appended (each number once) to the study, its table and
    its plots; after a reload the page knows again which numbers it holds."""
    from dataclasses import replace

    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    plan = plan_study(data="demo:iris", target="target", model="GaussianNB", cv=3, name="nb")
    result = run_study(plan, tmp_path / "p.hpt")
    window = _window(qtbot, tmp_path / "p.hpt", settings)
    page = window.results
    stored = len(result.trials)
    new = [replace(result.trials[0], number=1000 + i) for i in range(3)]
    inserted = []
    page.table.model.rowsInserted.connect(lambda _, first, last: inserted.append((first, last)))
    for trial in [*new, *new, result.trials[-1]]:
        page.add_trial("nb", trial)
    assert [t.number for t in page._studies["nb"][1][stored:]] == [1000, 1001, 1002]
    assert len(page.diagnostics.trials) == stored + 3
    # The table gets them as one batch, soon (one repaint, not one per trial).
    qtbot.waitUntil(lambda: page.table.model.rowCount() == stored + 3, timeout=10_000)
    assert inserted == [(stored, stored + 2)]
    page.add_trial("nb", replace(result.trials[0], number=2000))
    page.reload()  # the file has only the stored trials; what was waiting is dropped
    page.add_trial("nb", result.trials[0])
    page.add_trial("nb", new[0])
    assert [t.number for t in page._studies["nb"][1]] == [
        *(t.number for t in result.trials), 1000]
    page.diagnostics.trial_clicked.emit(1000)  # a plot shows it: the table catches up
    assert page.table.model.rowCount() == stored + 1
    assert page.table.selected_trial().number == 1000


def test_tpe_and_evolution_settings_reach_the_study(qtbot, tmp_path, settings, shop_csv,
                                                    monkeypatch):
    """The strategy combo offers TPE and evolution; population and algorithm show only for
    evolution and travel with the request into the plan, and with a resumed study."""
    from hpt_gui.core import runner
    from hpt_gui.core.store import ProjectStore
    from hpt_gui.ui.worker import StudyWorker

    project = tmp_path / "p.hpt"
    window = _window(qtbot, project, settings)
    assert window.load_data(str(shop_csv))
    window.space_editor.select_models(["DecisionTreeClassifier"])
    panel = window.settings_panel
    assert panel.strategy.findData("tpe") >= 0
    assert "Bayesian (TPE)" in panel.strategy.itemText(panel.strategy.findData("tpe"))
    assert "Evolutionary" in panel.strategy.itemText(panel.strategy.findData("evolution"))

    panel.strategy.setCurrentIndex(panel.strategy.findData("tpe"))
    assert not panel.population.isVisibleTo(panel) and not panel.algorithm.isVisibleTo(panel)
    assert panel.settings().options is None
    panel.trials.setValue(0)  # (the tree's large space suggested 50 random trials)
    queued = []
    monkeypatch.setattr(window.queue, "add", queued.append)
    window.run_studies()  # no budget: refused with a sentence
    assert not queued
    assert "A Bayesian (TPE) search needs a number of trials" in window.statusBar().currentMessage()

    panel.strategy.setCurrentIndex(panel.strategy.findData("evolution"))
    assert panel.population.isVisibleTo(panel) and panel.algorithm.isVisibleTo(panel)
    panel.population.setValue(4)
    panel.algorithm.setCurrentIndex(panel.algorithm.findData("nsga2"))
    panel.cv.setValue(3)
    panel.trials.setValue(12)
    assert "12 candidates × 3 folds = <b>36 fits</b>" in panel.cost.text()
    assert "3 generations of 4 trials." in panel.cost.text()
    panel.trials.setValue(6)
    assert "too few to evolve" in panel.cost.text()

    window.run_studies()
    [request] = queued
    assert request.strategy == "evolution"
    assert request.options == {"population": 4, "algorithm": "nsga2"}

    planned = []
    monkeypatch.setattr(runner, "run_study", lambda plan, *a, **k: planned.append(plan))
    StudyWorker().run(request)
    [plan] = planned
    assert plan.spec.options == {"population": 4, "algorithm": "nsga2"}
    assert plan.spec.trials == 6

    with ProjectStore(project) as store:  # a stored evolution study is resumed as it was
        store.open_study(plan.spec)
        store.set_status(plan.spec.name, "finished")
    panel.strategy.setCurrentIndex(panel.strategy.findData("grid"))
    window.resume_study(plan.spec.name)
    assert queued[-1].options == {"population": 4, "algorithm": "nsga2"}
    assert queued[-1].strategy == "evolution"



def test_nested_cv_from_the_settings_panel(qtbot, tmp_path, settings, shop_csv, monkeypatch):
    """Validation chosen in the window: the cost says what each choice adds; a nested run
    stores each outer search as a study, and the results view reports the estimate."""
    from hpt_gui.core import executor

    # The fits run inline (three process pools would take most of this test's time; the
    # test above runs the window's pool).
    monkeypatch.setattr(executor, "LocalProcessExecutor",
                        lambda context, jobs: executor.InlineExecutor(context))
    window = _window(qtbot, tmp_path / "p.hpt", settings)
    assert window.load_data(str(shop_csv))
    space = tmp_path / "space.json"
    space.write_text('{"max_depth": {"type": "categorical", "choices": [2, 4]}}')
    window.space_editor.select_models(["DecisionTreeClassifier"])
    window.space_editor.load_space("DecisionTreeClassifier", space)
    panel = window.settings_panel
    panel.strategy.setCurrentIndex(panel.strategy.findData("grid"))
    panel.cv.setValue(3)
    panel.jobs.setValue(1)
    panel.scheme.setCurrentIndex(panel.scheme.findData("group"))
    assert panel.group_column.findData("city") >= 0 and panel.group_column.findData("bought") < 0
    assert panel.settings().validation == {"scheme": "group",
                                           "group": panel.group_column.currentData()}
    panel.scheme.setCurrentIndex(panel.scheme.findData("repeated"))
    panel.repeats.setValue(2)
    assert "2 candidates × 6 splits (2 × 3 folds) = <b>12 fits</b>" in panel.cost.text()
    panel.scheme.setCurrentIndex(panel.scheme.findData("kfold"))
    panel.test_size.setValue(25)
    assert "= <b>6 fits</b> + 1 refit per model scored once on the 25 % test set" in \
        panel.cost.text()
    assert panel.settings().test_size == 0.25

    panel.nested.setValue(2)
    assert not panel.test_size.isEnabled() and panel.settings().test_size is None
    assert "× 3 searches (2 outer folds and the final one) = <b>18 fits</b>" in \
        panel.cost.text()
    window.run_studies()
    qtbot.waitUntil(lambda: window.queue.entries[-1].state == "finished", timeout=120_000)
    name = "DecisionTreeClassifier grid"
    assert window.results.studies() == [f"{name} [outer 1/2]", f"{name} [outer 2/2]", name]
    assert window.results.study_combo.currentText() == name
    assert "nested CV estimate" in window.results.summary.text()
    window.results.study_combo.setCurrentText(f"{name} [outer 2/2]")
    assert "outer fold 2/2 accuracy" in window.results.summary.text()
    window.close()


def test_results_view_reports_the_test_score(qtbot, tmp_path, settings, shop_csv):
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    project = tmp_path / "p.hpt"
    result = run_study(plan_study(data=shop_csv, target="bought",
                                  model="DecisionTreeClassifier", strategy="manual",
                                  manual_params={"max_depth": 3}, cv=3, test_size=0.2,
                                  name="held out"), project)
    window = _window(qtbot, project, settings)
    window.open_project(project)
    summary = window.results.summary.text()
    assert "3-fold CV, 20 % test set" in summary
    assert f"test set accuracy {result.test_score:.3f}" in summary and "trial 0" in summary
    window.close()


def test_the_results_summary_says_why_trials_failed(qtbot, tmp_path, settings):
    from hpt_gui.cli import main

    space = tmp_path / "space.json"
    space.write_text('{"n_neighbors": {"type": "categorical", "choices": [3, 500]}}')
    project = tmp_path / "p.hpt"
    assert main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "KNeighborsClassifier", "--space", str(space), "--strategy", "grid", "--cv",
                 "3", "--project", str(project), "--study", "knn", "--quiet"]) == 0
    window = _window(qtbot, project, settings)
    window.show_step(4)
    summary = window.results.summary.text()
    assert "1 complete, 1 fail" in summary
    assert "failed: 1 trial (e.g. trial 1): " in summary and "n_neighbors" in summary


def test_a_project_another_hpt_gui_is_running_says_so(qtbot, tmp_path, settings):
    """A second instance may look at a running project but not run its running studies:
    it says so when the project opens."""
    import socket
    import sqlite3
    import subprocess
    import sys

    from hpt_gui.cli import main
    from hpt_gui.core.store import ProjectStore

    project = tmp_path / "p.hpt"
    assert main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "DecisionTreeClassifier", "--strategy", "random", "--trials", "2", "--cv",
                 "2", "--project", str(project), "--study", "dt", "--quiet"]) == 0
    other = subprocess.Popen(  # a live hpt-gui running it holds its lock
        [sys.executable, "-c", "import sys, time; from hpt_gui.core.run_lock import RunLock; "
         "lock = RunLock.acquire(sys.argv[1], 'dt'); print(bool(lock), flush=True); "
         "time.sleep(60)", str(project)], stdout=subprocess.PIPE, text=True)
    assert other.stdout.readline().strip() == "True"
    try:
        with sqlite3.connect(project) as db:  # as the other process's run leaves it
            db.execute("UPDATE studies SET status='running', owner_pid=?, owner_host=?, "
                       "updated_at=strftime('%s','now')", (other.pid, socket.gethostname()))
        with ProjectStore(project) as store:
            assert store.running_elsewhere() == [("dt", other.pid, socket.gethostname())]
        window = _window(qtbot, project, settings)
        message = window.statusBar().currentMessage()
        assert f"'dt' is being run right now by another hpt-gui (process {other.pid}" in message
        assert window.results.studies() == ["dt"]  # and it can be looked at
        window.show_step(4)
        assert f"by another hpt-gui (process {other.pid}" in window.results.summary.text()
        assert not window.results.resume_button.isVisibleTo(window.results)
    finally:
        other.kill()
        other.wait()
    with ProjectStore(project) as store:
        assert store.running_elsewhere() == []  # a dead owner runs nothing


def test_a_study_run_on_another_computer_can_be_taken_over(qtbot, tmp_path, settings,
                                                          monkeypatch):
    """Refused because another computer may still run it, the study is offered to be taken
    over; taking it over (the core's take_over) runs it here."""
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from hpt_gui.cli import main
    from hpt_gui.core import executor, store

    monkeypatch.setattr(executor, "LocalProcessExecutor",
                        lambda context, jobs: executor.InlineExecutor(context))
    project = tmp_path / "p.hpt"
    assert main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "DecisionTreeClassifier", "--strategy", "random", "--trials", "2", "--cv",
                 "2", "--project", str(project), "--study", "dt", "--quiet"]) == 0
    with sqlite3.connect(project) as db:  # as a run on a computer that went away left it
        db.execute("UPDATE studies SET status='running', owner_pid=4242, "
                   "owner_host='another-computer', updated_at=strftime('%s','now')")
    db.close()
    offers, taken = [], []
    take_over = store.ProjectStore.take_over
    monkeypatch.setattr(store.ProjectStore, "take_over",
                        lambda self, name: taken.append(name) or take_over(self, name))

    def click_take_over(box):
        offers.append(box.text())
        next(b for b in box.buttons() if b.text() == "Take over").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_take_over)
    window = _window(qtbot, project, settings)
    window.resume_study("dt")
    qtbot.waitUntil(lambda: bool(offers), timeout=60_000)
    assert "another computer (another-computer, process 4242)" in offers[0]
    qtbot.waitUntil(lambda: window.queue.entries[-1].state == "finished", timeout=60_000)
    assert taken == ["dt"]
    with store.ProjectStore(project) as opened:
        assert opened.study("dt").status == "finished"

    # a study simply failing (no other computer involved) offers nothing
    window._offer_take_over("dt", "some other failure")
    assert len(offers) == 1


def test_the_time_per_trial_reaches_the_study_and_its_resume(qtbot, tmp_path, settings,
                                                             shop_csv, monkeypatch):
    from hpt_gui.core import runner
    from hpt_gui.core.store import ProjectStore
    from hpt_gui.ui.worker import StudyWorker

    window = _window(qtbot, tmp_path / "p.hpt", settings)
    assert window.load_data(str(shop_csv))
    window.space_editor.select_models(["DecisionTreeClassifier"])
    panel = window.settings_panel
    assert panel.trial_time_limit.text() == "no limit"
    panel.trial_time_limit.setValue(30)
    queued = []
    monkeypatch.setattr(window.queue, "add", queued.append)
    window.run_studies()
    [request] = queued
    assert request.trial_time_limit == 30
    planned = []
    monkeypatch.setattr(runner, "run_study", lambda plan, *a, **k: planned.append(plan))
    StudyWorker().run(request)
    [plan] = planned
    assert plan.spec.trial_time_limit == plan.context.fit_time_limit == 30
    with ProjectStore(tmp_path / "p.hpt") as store:
        store.open_study(plan.spec)
        store.set_status(plan.spec.name, "interrupted")
    panel.trial_time_limit.setValue(0)
    window.resume_study(plan.spec.name)
    assert queued[-1].trial_time_limit == 30


@pytest.mark.slow
def test_a_cancelled_trial_run_again_replaces_its_row(qtbot, tmp_path, settings):
    """A cancel leaves 'Cancelled' rows; when the resumed run streams the same numbers
    back, they replace those rows (not added twice), in the table and the plots."""
    from dataclasses import replace

    from hpt_gui.core.runner import run_study
    from hpt_gui.core.store import TrialState
    from hpt_gui.core.study import plan_study

    plan = plan_study(data="demo:iris", target="target", model="DecisionTreeClassifier",
                      strategy="random", trials=12, cv=3, name="dt")
    seen = []
    run_study(plan, tmp_path / "p.hpt", jobs=2, on_trial=seen.append,
              should_stop=lambda: len(seen) >= 2)
    window = _window(qtbot, tmp_path / "p.hpt", settings)
    window.show_step(4)
    model = window.results.table.model
    cancelled = [t for t in model.trials() if t.state is TrialState.CANCELLED]
    assert cancelled and model.rowCount() == len(seen)
    rerun = replace(next(t for t in seen if t.state is TrialState.COMPLETE),
                    number=cancelled[0].number)
    window.results.add_trial("dt", rerun)
    window.results.flush_trials()
    assert model.rowCount() == len(seen)
    assert model.trial_at(model.row_of(rerun.number)).state is TrialState.COMPLETE
    qtbot.waitUntil(lambda: window.results.diagnostics.data is not None and len(
        window.results.diagnostics.data.frame) == len(seen), timeout=10_000)
    shown = {t.number: t for t in window.results.diagnostics.trials}
    assert shown[rerun.number].state is TrialState.COMPLETE


def test_a_study_of_engine_1_is_resumed_with_its_own_rules(qtbot, tmp_path, settings,
                                                           shop_csv, monkeypatch):
    """A study planned before the data checks is continued as it ran, not refused."""
    from hpt_gui.core import runner
    from hpt_gui.core.store import ProjectStore
    from hpt_gui.core.study import plan_study
    from hpt_gui.ui.worker import StudyWorker

    project = tmp_path / "p.hpt"
    old = plan_study(data=shop_csv, target="bought", model="GaussianNB", name="old", engine=1)
    with ProjectStore(project) as store:
        store.open_study(old.spec)
        store.set_status("old", "interrupted")
    window = _window(qtbot, project, settings)
    queued = []
    monkeypatch.setattr(window.queue, "add", queued.append)
    window.resume_study("old")
    [request] = queued
    assert request.engine == 1
    planned = []
    monkeypatch.setattr(runner, "run_study", lambda plan, *a, **k: planned.append(plan))
    StudyWorker().run(request)
    [plan] = planned
    assert plan.spec.engine == 1 and plan.spec.differences(old.spec) == []


def _click(label_start, seen):
    """A QMessageBox.exec that records the question and clicks the button so labelled."""
    def exec_(box):
        seen.append(box.text())
        next(b for b in box.buttons() if b.text().startswith(label_start)).click()
        return 0
    return exec_


def test_a_switched_study_selects_its_best_trial_for_the_label_and_the_export(
        qtbot, tmp_path, settings):
    """Issue 17.1: the trial chosen in one study never stays chosen in the next one."""
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    project = tmp_path / "p.hpt"
    for name, seed in (("a", 0), ("b", 1)):
        run_study(plan_study(data="demo:iris", target="target", model="DecisionTreeClassifier",
                             strategy="random", trials=12, cv=3, seed=seed, name=name), project)
    window = _window(qtbot, project, settings)
    window.open_project(project)
    page = window.results
    page.study_combo.setCurrentIndex(page.study_combo.findText("b"))
    best_b = page.table.model.best_trial().number
    page.study_combo.setCurrentIndex(page.study_combo.findText("a"))
    assert page.table.selected_trial().number == page.table.model.best_trial().number
    other = next(n for n in range(12) if n != best_b)
    page.table.select_trial(other)
    page.study_combo.setCurrentIndex(page.study_combo.findText("b"))
    assert page.table.selected_trial().number == best_b
    assert page.table.details.title.text().startswith(f"Trial {best_b} ")
    page.export("model", str(tmp_path / "b.pkl"))
    assert f'"trial": {best_b}' in (tmp_path / "b.json").read_text()


def test_the_header_follows_the_run_trial_by_trial_and_pause_resume(qtbot, tmp_path,
                                                                     settings):
    """Issue 17.2: counts and best in the header are the table's; the state is the
    queue's (running, paused, running again), and a pause stays on the queue."""
    import re

    from hpt_gui.core.store import TrialState
    from hpt_gui.ui.worker import StudyRequest

    window = _window(qtbot, tmp_path / "p.hpt", settings)
    page = window.results
    window.queue.add(StudyRequest(name="knn", data="demo:iris", target="target",
                                  model="KNeighborsClassifier", project=window.project,
                                  strategy="random", trials=300, cv=3))
    window.show_step(3)
    qtbot.waitUntil(lambda: page.table.model.rowCount() >= 4, timeout=120_000)
    assert window.queue.running is not None
    page.flush_trials()
    model = page.table.model
    complete = sum(t.state is TrialState.COMPLETE for t in model.trials())
    assert re.search(rf"\b{complete:,} complete\b", page.summary.text())
    assert f"(trial {model.best_trial().number})" in page.summary.text()
    assert page.summary.text().endswith("· running")

    with qtbot.waitSignal(window.queue.study_finished, timeout=120_000):
        window.queue_view.buttons["pause"].click()
    assert window.queue.entries[0].state == "paused"
    assert page.summary.text().endswith("· paused")
    assert window.pages.currentWidget() is window.queue_view  # not sent to the results
    window.queue.resume(0)
    qtbot.waitUntil(lambda: window.queue.running is not None, timeout=30_000)
    assert page.summary.text().endswith("· running")
    with qtbot.waitSignal(window.queue.study_finished, timeout=120_000):
        window.queue.cancel_running()
    assert page.summary.text().endswith("· cancelled")


def _tiny_grid(window, tmp_path, shop_csv):
    assert window.load_data(str(shop_csv))
    space = tmp_path / "space.json"
    space.write_text('{"max_depth": {"type": "categorical", "choices": [2, 4]}}')
    window.space_editor.select_models(["DecisionTreeClassifier"])
    window.space_editor.load_space("DecisionTreeClassifier", space)
    window.settings_panel.cv.setValue(3)
    window.settings_panel.jobs.setValue(1)


@pytest.mark.slow
def test_queueing_the_same_study_again_asks(qtbot, tmp_path, settings, shop_csv,
                                            monkeypatch):
    """Issue 17.3: same settings and seed as a finished study: open it, or run it with
    another seed; never a silent 'DecisionTreeClassifier grid 2' repeating the same trials."""
    from PySide6.QtWidgets import QMessageBox

    window = _window(qtbot, tmp_path / "p.hpt", settings)
    _tiny_grid(window, tmp_path, shop_csv)
    window.run_studies()
    qtbot.waitUntil(lambda: window.queue.entries[0].state == "finished", timeout=120_000)
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", _click("Open it", asked))
    window.show_step(2)
    window.run_studies()
    assert len(asked) == 1 and "same settings and seed" in asked[0]
    assert len(window.queue.entries) == 1
    assert window.pages.currentWidget() is window.results
    monkeypatch.setattr(QMessageBox, "exec", _click("Run it again with another seed", asked))
    window.run_studies()
    assert len(asked) == 2 and len(window.queue.entries) == 2
    assert window.queue.entries[1].request.seed != window.queue.entries[0].request.seed
    qtbot.waitUntil(lambda: window.queue.entries[1].state == "finished", timeout=120_000)
    monkeypatch.setattr(QMessageBox, "exec", _click("Cancel", asked))
    window.run_studies()
    assert len(asked) == 3 and len(window.queue.entries) == 2


@pytest.mark.slow
def test_a_study_on_a_second_data_file_names_that_file(qtbot, tmp_path, settings, shop_csv):
    """Issue 17: with two data files in one project, the new study's name says its data;
    with one, names stay as they were."""
    window = _window(qtbot, tmp_path / "p.hpt", settings)
    _tiny_grid(window, tmp_path, shop_csv)
    window.run_studies()
    qtbot.waitUntil(lambda: window.queue.entries[0].state == "finished", timeout=120_000)
    assert window.queue.entries[0].name == "DecisionTreeClassifier grid"
    churn = tmp_path / "churn.csv"
    frame = pd.read_csv(shop_csv)
    frame["age"] = frame["age"][::-1].to_numpy()  # other contents, same columns
    frame.to_csv(churn, index=False)
    _tiny_grid(window, tmp_path, churn)
    window.run_studies()
    assert len(window.queue.entries) == 2
    assert window.queue.entries[1].name == "DecisionTreeClassifier grid · churn"
    qtbot.waitUntil(lambda: window.queue.entries[1].state == "finished", timeout=120_000)
    assert window.results.studies() == ["DecisionTreeClassifier grid",
                                        "DecisionTreeClassifier grid · churn"]


def test_quit_during_a_run_asks(qtbot, tmp_path, settings, monkeypatch):
    """Issue 17.5: Ctrl+Q while a study runs asks; 'Keep running' keeps it running."""
    from PySide6.QtWidgets import QMessageBox

    from hpt_gui.ui.worker import StudyRequest

    window = _window(qtbot, tmp_path / "p.hpt", settings)
    window.show()
    quit_action = next(a for a in window.findChildren(type(window.run_action))
                       if a.text() == "&Quit")
    window.queue.add(StudyRequest(name="knn", data="demo:iris", target="target",
                                  model="KNeighborsClassifier", project=window.project,
                                  strategy="random", trials=300, cv=3))
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", _click("Keep running", asked))
    quit_action.trigger()
    assert asked and "A study is running. Quit anyway?" in asked[0]
    assert window.isVisible() and window.queue.running is not None
    monkeypatch.setattr(QMessageBox, "exec", _click("Quit", asked))
    quit_action.trigger()
    assert len(asked) == 2 and not window.isVisible()


def test_the_default_search_follows_the_command_line_and_a_big_grid_asks(
        qtbot, tmp_path, settings, shop_csv, monkeypatch):
    """Issue 17.7: a forest's large space defaults to 50 random trials (as `hpt-gui run`);
    a grid above 500 fits asks and offers those 50 random trials instead."""
    from PySide6.QtWidgets import QMessageBox

    from hpt_gui.core.default_search import DEFAULT_RANDOM_TRIALS

    window = _window(qtbot, tmp_path / "p.hpt", settings)
    assert window.load_data(str(shop_csv))
    panel = window.settings_panel
    window.space_editor.select_models(["RandomForestClassifier"])
    # the forest's grid may exceed 500 candidates: counted off the GUI thread, then suggested
    qtbot.waitUntil(lambda: panel.settings().strategy == "random", timeout=10_000)
    assert panel.settings().trials == 50
    space = tmp_path / "space.json"
    space.write_text('{"max_depth": {"type": "categorical", "choices": [2, 4]}}')
    window.space_editor.load_space("RandomForestClassifier", space)
    window.space_editor.space_changed.emit()  # as an edit of the space tells the window
    assert panel.settings().strategy == "grid" and panel.settings().trials is None

    from hpt_gui.core.catalog import get_model

    big = get_model("RandomForestClassifier").default_space  # hundreds of candidates
    monkeypatch.setattr(window.space_editor, "space_for", lambda model: big)
    queued, asked = [], []
    monkeypatch.setattr(window.queue, "add", queued.append)
    panel.strategy.setCurrentIndex(panel.strategy.findData("random"))
    panel.strategy.setCurrentIndex(panel.strategy.findData("grid"))  # the user insists
    panel.trials.setValue(0)  # on the whole grid
    assert panel.settings().strategy == "grid" and panel.settings().trials is None
    assert panel.planned_fits > 500
    monkeypatch.setattr(QMessageBox, "exec", _click("Cancel", asked))
    window.run_studies()
    assert len(asked) == 1 and not queued
    monkeypatch.setattr(QMessageBox, "exec", _click(
        f"Run {DEFAULT_RANDOM_TRIALS} random trials instead", asked))
    window.run_studies()
    assert len(asked) == 2
    assert [(r.strategy, r.trials) for r in queued] == [("random", DEFAULT_RANDOM_TRIALS)]
    monkeypatch.setattr(QMessageBox, "exec", _click("Run the whole grid", asked))
    window.run_studies()
    assert (queued[-1].strategy, queued[-1].trials) == ("grid", None)
