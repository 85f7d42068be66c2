"""The plot views draw the stored trials' own numbers, mark the same trials everywhere,
link selection both ways with the table, and export pictures."""

import numpy as np
import pytest

from hpt_gui.core.diagnostics.frame import TrialFrame
from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.space import Categorical, IntRange, SearchSpace
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import TrialRecord, TrialState
from hpt_gui.ui.plots import all_views
from hpt_gui.ui.plots.base import export_plot, study_data
from hpt_gui.ui.plots.panel import DiagnosticsPanel
from hpt_gui.ui.trial_table import TrialTableView

SPACE = SearchSpace((IntRange("max_depth", 1, 10), IntRange("min_samples_leaf", 1, 30),
                     Categorical("criterion", ("gini", "entropy"))))
SPEC = StudySpec(name="trees", data="demo:iris", target="target",
                 model="DecisionTreeClassifier", space=SPACE, task="classification")


def _trials(n=30, seed=0):
    rng = np.random.default_rng(seed)
    trials = []
    for number in range(n):
        depth, leaf = int(rng.integers(1, 11)), int(rng.integers(1, 31))
        base = 0.6 + 0.03 * min(depth, 7) - 0.002 * leaf
        tests = base + rng.normal(0, 0.01, 5)
        trains = np.minimum(1, base + 0.02 * depth + rng.normal(0, 0.005, 5))
        folds = tuple(FoldResult(number, k, float(te), float(tr), 0.01, 0.001)
                      for k, (te, tr) in enumerate(zip(tests, trains, strict=True)))
        trials.append(TrialRecord(number, TrialState.COMPLETE,
                                  {"max_depth": depth, "min_samples_leaf": leaf,
                                   "criterion": ["gini", "entropy"][number % 2]},
                                  folds, float(number), number + 0.5))
    trials.append(TrialRecord(n, TrialState.FAIL, {"max_depth": 2, "min_samples_leaf": 1,
                                                   "criterion": "gini"},
                              (FoldResult(n, 0, None, None, 0.0, 0.0, error="boom"),),
                              float(n), n + 0.1, error="boom"))
    return trials


@pytest.fixture
def data():
    return study_data(SPEC, _trials())


def _view(qtbot, name, data):
    view = all_views()[name]()
    qtbot.addWidget(view)
    view.set_data(data)
    return view


def _by_number(trials):
    return {t.number: t for t in trials}


def test_fold_view_shows_the_top_trials_folds(qtbot, data):
    view = _view(qtbot, "Fold scores", data)
    trials = _by_number(_trials())
    complete = [t for t in trials.values() if t.state is TrialState.COMPLETE]
    top = sorted(complete, key=lambda t: (-t.mean_test_score, t.number))[:10]
    numbers = [b.number for b in view.boxes]
    assert numbers[:10] == [t.number for t in top]
    for box in view.boxes:
        assert box.folds == pytest.approx(trials[box.number].test_scores)
    # the best trial is starred beside its box, at its mean
    best = view._marks["best"].getData()
    assert best[0].tolist() == [pytest.approx(0.45)]
    assert best[1][0] == pytest.approx(view.boxes[0].mean)


def test_history_and_scatter_series_are_the_stored_scores(qtbot, data):
    trials = _by_number(_trials())
    history = _view(qtbot, "History", data)
    assert list(history.series.numbers) == list(range(30))
    assert list(history.series.scores) == pytest.approx(
        [trials[n].mean_test_score for n in range(30)])
    scatter = _view(qtbot, "Score vs setting", data)
    scatter.param.setCurrentIndex(scatter.param.findData("min_samples_leaf"))
    s = scatter.series
    for x, n, y in zip(s.x, s.numbers, s.scores, strict=True):
        assert x == trials[n].params["min_samples_leaf"]
        assert y == pytest.approx(trials[n].mean_test_score)


def test_fit_curve_points_are_the_best_trial_per_value(qtbot, data):
    trials = _by_number(_trials())
    view = _view(qtbot, "Under/overfit", data)
    view.param.setCurrentIndex(view.param.findData("max_depth"))
    curve = view.curve
    for x, n, tr, te in zip(curve.x, curve.numbers, curve.train_mean, curve.test_mean,
                            strict=True):
        same = [t for t in trials.values() if t.state is TrialState.COMPLETE
                and t.params["max_depth"] == x]
        best = max(same, key=lambda t: (t.mean_test_score, -t.number))
        assert n == best.number
        assert te == pytest.approx(best.mean_test_score)
        assert tr == pytest.approx(best.mean_train_score)
    assert len(view.regions) == len(curve.x)


def test_by_value_groups_hold_every_trial_once(qtbot, data):
    trials = _by_number(_trials())
    view = _view(qtbot, "By value", data)
    view.param.setCurrentIndex(view.param.findData("criterion"))
    assert [g.label for g in view.groups] == ["entropy", "gini"]
    for group in view.groups:
        for n, score in zip(group.numbers, group.scores, strict=True):
            assert trials[n].params["criterion"] == group.label
            assert score == pytest.approx(trials[n].mean_test_score)
    assert sorted(n for g in view.groups for n in g.numbers) == list(range(30))


def test_parallel_lines_are_the_trials_scaled_values(qtbot, data):
    trials = _by_number(_trials())
    view = _view(qtbot, "Parallel", data)
    axes = view.series
    depth = axes.names.index("max_depth")
    depths = [trials[n].params["max_depth"] for n in axes.numbers]
    low, high = min(depths), max(depths)
    assert axes.lines[:, depth] == pytest.approx([(d - low) / (high - low) for d in depths])
    assert list(axes.scores) == pytest.approx([trials[n].mean_test_score for n in axes.numbers])


def test_histogram_parallel_and_importance(qtbot, data):
    hist = _view(qtbot, "All scores", data)
    assert sum(hist.histogram.counts) == 30
    parallel = _view(qtbot, "Parallel", data)
    assert parallel.series.lines.shape == (30, 3)
    importance = _view(qtbot, "Importance", data)
    from hpt_gui.core.diagnostics.importance import param_importance

    imp = param_importance(TrialFrame.from_trials(_trials()), SPACE)
    importance.set_importance(imp)
    assert imp.names[0] == "max_depth"  # the score was built from the depth


def test_every_view_marks_the_best_and_the_selected_trial(qtbot, data):
    best = data.choice.best
    for name in all_views():
        view = _view(qtbot, name, data)
        if not view.marks or name in ("Learning curve",):
            continue
        if view.points_of(best):
            assert len(view._marks["best"].getData()[0]) >= 1, name
        view.set_selected(best)
        assert len(view._marks["selected"].getData()[0]) == len(view.points_of(best)), name


def test_hover_tip_names_the_trial(data):
    tip = data.tip(3)
    assert tip.startswith("trial 3")
    assert "max_depth" in tip and "validation accuracy" in tip
    assert "(std " in tip and " over the folds)" in tip and "±" not in tip  # says which spread


def test_hover_tip_of_a_trial_halving_stopped_gives_no_spread():
    stopped = TrialRecord(40, TrialState.PRUNED, {"max_depth": 1, "min_samples_leaf": 5,
                                                  "criterion": "gini"},
                          (FoldResult(40, 0, 0.6, 0.62, 0.01, 0.001),), 40.0, 40.5,
                          attrs={"rung": 0, "folds": 1, "fits": 1})
    data = study_data(SPEC, [*_trials(), stopped])
    assert np.isnan(data.frame.std_test[-1]) and np.isnan(data.frame.std_train[-1])
    tip = data.tip(40)
    assert "validation accuracy: 0.600 (stopped early by successive halving" in tip
    assert "std" not in tip


def test_a_trial_chosen_before_the_deferred_draw_is_never_called_missing(qtbot):
    """The results page defers the plots' first draw so its table shows first; a trial
    chosen meanwhile waited for that draw, and was worded 'Run a study' until it came."""
    trials = _trials()
    panel = DiagnosticsPanel()
    qtbot.addWidget(panel)
    panel.set_study(SPEC, trials, defer=True)
    panel.select(7)
    assert "Run a study" not in panel.verdict.text()
    assert panel.diagnosis().trial == 7  # asked before the draw: the trials are read now
    qtbot.waitUntil(lambda: "Trial 7" in panel.verdict.text(), timeout=5_000)


def test_selection_is_linked_both_ways(qtbot):
    trials = _trials()
    table = TrialTableView()
    panel = DiagnosticsPanel()
    qtbot.addWidget(table)
    qtbot.addWidget(panel)
    table.trial_selected.connect(panel.select)
    panel.trial_clicked.connect(table.select_trial)
    table.set_trials(trials)
    panel.set_study(SPEC, trials)
    panel.tabs.setCurrentWidget(panel.views["History"])  # views draw when shown
    # table -> plots
    table.select_trial(7)
    assert panel.selected == 7
    history = panel.views["History"]
    x, y = history._marks["selected"].getData()
    assert list(x) == [7.0] and y[0] == pytest.approx(trials[7].mean_test_score)
    assert "Trial 7" in panel.verdict.text()
    # plot -> table
    class Point:
        def data(self):
            return 12
    history._on_points_clicked(None, [Point()])
    assert table.selected_trial().number == 12
    folds = panel.views["Fold scores"]
    panel.tabs.setCurrentWidget(folds)  # a hidden view catches up when shown
    assert folds.selected == 12
    assert 12 in [b.number for b in folds.boxes]
    assert len(folds._marks["selected"].getData()[0]) == 1


def test_live_trials_redraw_the_views(qtbot):
    trials = _trials()
    panel = DiagnosticsPanel()
    qtbot.addWidget(panel)
    panel.set_study(SPEC, trials[:5])
    panel.tabs.setCurrentWidget(panel.views["History"])
    for trial in trials[5:]:
        panel.add_trial(trial)
    qtbot.waitUntil(lambda: panel.data is not None and len(panel.data.frame) == len(trials),
                    timeout=3000)
    assert len(panel.views["History"].series.numbers) == 30


def test_pictures_export_as_png_and_svg(qtbot, data, tmp_path):
    view = _view(qtbot, "History", data)
    view.resize(600, 400)
    png = export_plot(view.plot, tmp_path / "history.png")
    svg = export_plot(view.plot, tmp_path / "history.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text()
    assert "<svg" in text and "trial number" in text


def test_report_pictures_render_offscreen(qtbot, data):
    from hpt_gui.core.diagnostics.summary import diagnose
    from hpt_gui.ui.plots.render import render_study_pictures

    trials = _trials()
    pictures = render_study_pictures(SPEC, trials, diagnose(SPEC, trials))
    titles = [t for t, _ in pictures]
    assert "Fold scores of the top trials" in titles
    assert any(t.startswith("Underfitting and overfitting: max_depth") for t in titles)
    assert all(png[:4] == b"\x89PNG" for _, png in pictures)


@pytest.mark.slow
def test_panel_computes_curves_in_the_workers_and_saves_a_report(qtbot, tmp_path):
    """A real study: the learning curve, a validation curve and the inspector run off the
    GUI thread; their numbers agree with the stored trial; the report embeds the plots."""
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.store import ProjectStore
    from hpt_gui.core.study import plan_study

    space = SearchSpace((IntRange("max_depth", 1, 4),))
    plan = plan_study(data="demo:iris", target=None, model="DecisionTreeClassifier",
                      space=space, strategy="grid", cv=3, name="iris")
    run_study(plan, tmp_path / "p.hpt", jobs=1)
    with ProjectStore(tmp_path / "p.hpt") as store:
        trials = store.trials("iris")
    panel = DiagnosticsPanel()
    qtbot.addWidget(panel)
    panel.set_study(plan.spec, trials)
    qtbot.waitUntil(lambda: panel.importance_view.importance is not None, timeout=60000)
    assert panel.baseline == pytest.approx(1 / 3, abs=0.03)  # iris: three equal classes
    best = panel.current_trial()
    record = next(t for t in trials if t.number == best)
    panel.compute_learning_curve()
    qtbot.waitUntil(lambda: best in panel.learning_view.computed, timeout=60000)
    curve = panel.learning_view.computed[best]
    assert curve.test_mean[-1] == pytest.approx(record.mean_test_score, abs=1e-9)
    assert "learning curve" in panel.verdict.text()
    panel.compute_validation_curve("max_depth")
    qtbot.waitUntil(lambda: (best, "max_depth") in panel.fit_view.computed, timeout=60000)
    computed = panel.fit_view.computed[(best, "max_depth")]
    for value, score in zip(computed.x, computed.test_mean, strict=True):
        stored = next(t for t in trials if t.params["max_depth"] == value)
        assert score == pytest.approx(stored.mean_test_score, abs=1e-9)
    panel.inspect_trial()
    qtbot.waitUntil(lambda: best in panel.inspector.facts, timeout=60000)
    panel.tabs.setCurrentWidget(panel.inspector)
    assert "Depth" in panel.inspector.facts_label.text() or "depth" in \
        panel.inspector.facts_label.text()
    panel.shutdown()


def test_the_table_marks_the_best_and_the_one_se_choice(qtbot):
    from hpt_gui.core.diagnostics.choice import choose

    trials = _trials()
    table = TrialTableView()
    qtbot.addWidget(table)
    table.set_trials(trials)
    choice = choose(TrialFrame.from_trials(trials), SPEC.model)
    table.model.set_one_se(choice.one_se)
    texts = [table.model.index(r, 0).data() for r in range(table.model.rowCount())]
    assert f"★ {choice.best}" in texts[0:len(texts)] or any(
        t.startswith("★") and t.endswith(str(choice.best)) for t in texts)
    assert any("◆" in t and t.endswith(str(choice.one_se)) for t in texts)
    assert sum("◆" in t for t in texts) == 1


def test_a_job_of_the_previous_study_is_dropped(qtbot):
    """Two projects often hold a study of the same name: a curve computed for one must
    never land in the other."""
    import threading
    from pathlib import Path

    from hpt_gui.ui.plots.jobs import JobRunner

    runner = JobRunner()
    release, results = threading.Event(), []

    def work(should_stop, progress):
        release.wait(5)
        return "old study's curve"

    assert runner.start("learning", work, results.append)
    assert not runner.start("learning", work, results.append)  # one of a kind at a time
    runner.new_generation()
    release.set()
    qtbot.waitUntil(runner.idle, timeout=5000)
    assert results == []
    assert runner.start("learning", lambda s, p: "new", results.append)
    qtbot.waitUntil(lambda: results == ["new"], timeout=5000)

    panel = DiagnosticsPanel()
    qtbot.addWidget(panel)
    trials = _trials()
    panel.set_study(SPEC, trials, project=Path("/a.hpt"))
    panel.learning_view.computed[0] = "a curve of project a"
    panel.set_study(SPEC, trials, project=Path("/a.hpt"))  # same study: kept
    assert panel.learning_view.computed
    panel.set_study(SPEC, trials, project=Path("/b.hpt"))  # same name, other project
    assert not panel.learning_view.computed and panel.jobs.generation == 2


def test_error_metrics_are_drawn_as_positive_errors(qtbot):
    from dataclasses import replace

    trials = []
    for number in range(6):
        folds = tuple(FoldResult(number, k, -10.0 - number - k, -8.0 - number, 0.01, 0.0)
                      for k in range(3))
        trials.append(TrialRecord(number, TrialState.COMPLETE,
                                  {"max_depth": number + 1, "min_samples_leaf": 1,
                                   "criterion": "gini"}, folds, float(number), number + 0.5))
    spec = replace(SPEC, scoring="neg_mean_squared_error", task="regression",
                   model="DecisionTreeRegressor")
    data = study_data(spec, trials)
    history = _view(qtbot, "History", data)
    x, y = history._marks["best"].getData()
    assert list(y) == [11.0]  # trial 0: mean error 11, the lowest
    assert "lower is better" in history.plot.getPlotItem().getAxis("left").labelText
    assert "validation mean squared error: 11.0" in data.tip(0)


def test_a_moved_project_file_gives_sentences_not_tracebacks(qtbot, tmp_path):
    """Folds are read when first needed; if the project file went away meanwhile, the
    views, the details pane and the exports say so."""
    import shutil

    from hpt_gui.core.runner import run_study
    from hpt_gui.core.store import ProjectStore
    from hpt_gui.core.study import plan_study

    space = SearchSpace((IntRange("max_depth", 1, 3),))
    plan = plan_study(data="demo:iris", target=None, model="DecisionTreeClassifier",
                      space=space, strategy="grid", cv=3, name="iris")
    run_study(plan, tmp_path / "p.hpt", jobs=1)
    with ProjectStore(tmp_path / "p.hpt") as store:
        trials = store.trials("iris")
    shutil.move(tmp_path / "p.hpt", tmp_path / "elsewhere.hpt")
    panel = DiagnosticsPanel()
    qtbot.addWidget(panel)
    panel.set_study(plan.spec, trials, project=tmp_path / "p.hpt")
    assert "Trial" in panel.verdict.text()  # the verdict needs no fold
    folds = panel.views["Fold scores"]
    assert "could not be read again" in folds.note.text()
    table = TrialTableView()
    qtbot.addWidget(table)
    table.set_trials(trials)
    table.select_trial(trials[0].number)
    assert "could not be read again" in table.details.error_label.text()
    panel.shutdown()


def test_none_is_a_value_of_a_setting_not_a_missing_one(qtbot):
    """max_depth=None (no limit) is a category of its own in every view."""
    trials = []
    for number, depth in enumerate([None, 1, 2, None, 1, 2]):
        folds = tuple(FoldResult(number, k, 0.7 + 0.1 * (depth or 3) / 3, 0.9, 0.01, 0.0)
                      for k in range(3))
        trials.append(TrialRecord(number, TrialState.COMPLETE,
                                  {"max_depth": depth, "min_samples_leaf": 1 + number,
                                   "criterion": "gini"}, folds, float(number), number + 0.5))
    data = study_data(SPEC, trials)
    view = _view(qtbot, "By value", data)
    view.param.setCurrentIndex(view.param.findData("max_depth"))
    assert sorted(g.label for g in view.groups) == ["1", "2", "None"]
    assert sum(len(g.numbers) for g in view.groups) == 6
    axes = _view(qtbot, "Parallel", data).series
    assert not np.isnan(axes.lines[:, axes.names.index("max_depth")]).any()
    assert data.choice.best in (0, 3)  # no limit scores best here


def test_closing_the_panel_while_a_job_runs_does_not_abort(qtbot):
    import threading

    from hpt_gui.ui.plots.jobs import stop_all_jobs

    release = threading.Event()
    panel = DiagnosticsPanel()
    panel.jobs.start("learning", lambda stop, progress: release.wait(5), lambda r: None)
    panel.deleteLater()
    qtbot.wait(50)  # the panel is gone; its job's thread still runs
    release.set()
    stop_all_jobs(5)
    qtbot.wait(50)


def test_importance_follows_the_study_on_screen(qtbot):
    """Switching study while the previous study's importance is worked out: the shown
    study still gets its own."""
    from pathlib import Path

    panel = DiagnosticsPanel()
    qtbot.addWidget(panel)
    panel.set_study(SPEC, _trials(seed=1), project=Path("/a.hpt"))
    panel.set_study(SPEC, _trials(n=25, seed=2), project=Path("/b.hpt"))
    qtbot.waitUntil(lambda: panel.importance_view.importance is not None
                    and panel.jobs.idle(), timeout=60000)
    assert panel.importance_view.importance.trials_used == 25  # study b's, not a's 30
    panel.shutdown()


def _where(frame, space, seed=0):
    """A stand-in for fANOVA: which process ran it, and did the trials travel?"""
    import os

    return os.getpid(), len(frame.trials), len(frame.numbers)


def test_the_importance_runs_in_a_helper_process_and_here_if_it_cannot(monkeypatch):
    """fANOVA on a thread of the window's process held the interpreter away from the GUI
    thread: it runs in a helper process, with the frame's arrays but not its records."""
    import os

    from hpt_gui.core.diagnostics.frame import TrialFrame
    from hpt_gui.core.store import TrialRecord, TrialState
    from hpt_gui.ui.plots import work

    frame = TrialFrame.from_trials(
        [TrialRecord(n, TrialState.COMPLETE, {"a": n}, (), 0.0, 1.0) for n in range(3)])
    try:
        pid, records, rows = work.importance_in_helper(_where, frame, None, 0)
        assert pid != os.getpid() and (records, rows) == (0, 3)

        class Broken:
            def submit(self, *args, **kwargs):
                raise RuntimeError("cannot schedule new futures after shutdown")

            def shutdown(self, **kwargs):
                pass

        monkeypatch.setattr(work, "_HELPER", Broken())
        assert work.importance_in_helper(_where, frame, None, 0) == (os.getpid(), 3, 3)
        assert work._HELPER is None  # a fresh helper next time
    finally:
        work.shutdown_helper()


# -- plots hide nothing (issue 17) ---------------------------------------------------

# The plot area beside the trial table in a 1280 x 800 window (measured on the window).
SMALL_VIEW = (729, 506)


def _shown_view(qtbot, name, data, size=SMALL_VIEW):
    view = all_views()[name]()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.wait(10)  # laid out before the data comes, as in the window
    view.set_data(data)
    view.set_selected(data.choice.one_se)
    qtbot.wait(10)
    return view


def _legend_items(view):
    import pyqtgraph as pg

    return [item for item in view.plot.scene().items()
            if isinstance(item, pg.LegendItem) and item.isVisible()]


def test_no_legend_covers_a_point(qtbot, data):
    """Each view's legend is a row under the plot (or, if one is in the plot, no trial's
    point lies under it): the 1-SE diamond and fold dots were hidden under legends."""
    for name in all_views():
        view = _shown_view(qtbot, name, data)
        box = view.plot.getPlotItem().getViewBox()
        for legend in _legend_items(view):
            rect = legend.sceneBoundingRect()
            for _, xs, ys in view._where:
                for x, y in zip(xs, ys, strict=True):
                    if np.isfinite(x) and np.isfinite(y):
                        assert not rect.contains(box.mapViewToScene(pg_point(x, y))), name
        if view.marks and name != "Learning curve":
            row = view.legend_row
            assert row.isVisible() and "best trial" in row.text(), name
            assert not row.geometry().intersects(view.plot.geometry()), name


def pg_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(float(x), float(y))


def test_fold_marks_sit_at_the_mean_of_the_folds(qtbot, data):
    view = _shown_view(qtbot, "Fold scores", data)
    for key, number in (("best", data.choice.best), ("selected", data.choice.one_se)):
        box = next(b for b in view.boxes if b.number == number)
        ys = view._marks[key].getData()[1]
        assert len(ys) == 1 and ys[0] == pytest.approx(np.mean(box.folds)), key
        assert box.mean == pytest.approx(np.mean(box.folds))


def test_whole_number_settings_are_binned_on_whole_numbers(qtbot, data):
    import re

    trials = _by_number(_trials())
    view = _view(qtbot, "By value", data)
    view.param.setCurrentIndex(view.param.findData("min_samples_leaf"))  # 30 values: binned
    assert 1 < len(view.groups) <= 8
    previous_high = 0
    for group in view.groups:
        assert re.fullmatch(r"\d+(–\d+)?", group.label), group.label
        assert float(group.low).is_integer() and float(group.high).is_integer()
        assert group.low > previous_high  # no value falls in two bins
        previous_high = group.high
        assert group.label == (f"{group.low}" if group.low == group.high
                               else f"{group.low}–{group.high}")
        for n in group.numbers:
            assert group.low <= trials[n].params["min_samples_leaf"] <= group.high


def test_axis_titles_are_shown_whole_at_1280_by_800(qtbot, data):
    from dataclasses import replace

    long_metric = study_data(replace(SPEC, scoring="balanced_accuracy"), _trials())
    for name in all_views():
        view = _shown_view(qtbot, name, data)
        view.set_data(long_metric)  # another study: new titles on axes of the same size
        qtbot.wait(10)
        item = view.plot.getPlotItem()
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            text = axis.label.toPlainText()
            if not text or not axis.label.isVisible():
                continue
            # the whole title lies along its axis (it was drawn from the axis' middle
            # up, off the widget: "mean validation balanced accurac")
            label, along = axis.label.sceneBoundingRect(), axis.sceneBoundingRect()
            if side == "left":
                inside = label.top() >= along.top() - 1 and label.bottom() <= along.bottom() + 1
            else:
                inside = label.left() >= along.left() - 1 and label.right() <= along.right() + 1
            assert inside, (name, side, text, label, along)
            # and the axis is wide (tall) enough for every line of it
            across = axis.width() if side == "left" else axis.height()
            assert axis.label.boundingRect().height() * 0.8 <= across, (name, side, text)


def test_the_fit_view_names_its_shaded_regions_under_the_plot(qtbot, data):
    import pyqtgraph as pg

    view = _shown_view(qtbot, "Under/overfit", data)
    view.param.setCurrentIndex(view.param.findData("max_depth"))
    qtbot.wait(10)
    assert {"underfitting", "overfitting"} & set(view.regions)
    for words in ("underfitting", "overfitting"):
        assert (words in view.regions) == (f"shaded: {words}" in view.legend_row.text())
    # no words drawn in the plot, where they hid the curve's first point
    texts = [i for i in view.plot.getPlotItem().items if isinstance(i, pg.TextItem)]
    assert texts == []


def test_a_saved_picture_holds_the_legend_row(qtbot, data, tmp_path):
    view = _shown_view(qtbot, "History", data)
    png, svg = view.export(tmp_path / "history.png"), view.export(tmp_path / "history.svg")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert image.height() >= 2 * (view.plot.height() + view.legend_row.height()) - 2
    assert "best trial" in svg.read_text()  # the legend row's words


# -- the model inspector never draws an empty plot (issue 17) -------------------------

def _inspector_for(qtbot, model, inspect=True):
    from hpt_gui.core.diagnostics.refit import inspect_trial

    spec = StudySpec(name="m", data="demo:iris", target="target", model=model, space=SPACE,
                     task="classification")
    view = _shown_view(qtbot, "Model inspector", study_data(spec, _trials()))
    trial = view.trial()
    if inspect:
        params = {"n_estimators": 20} if "Forest" in model else {}
        view.add_facts(trial, *inspect_trial(spec, params))
        view.set_data(view.data)
    return view


def _bar_widths(view):
    import pyqtgraph as pg

    bars = [i for i in view.plot.getPlotItem().items if isinstance(i, pg.BarGraphItem)]
    return [w for bar in bars for w in bar.opts["width"]]


def test_an_inspected_forest_shows_its_feature_importances(qtbot):
    view = _inspector_for(qtbot, "RandomForestClassifier")
    assert view.plot.isVisible() and not view.nothing_label.isVisible()
    widths = _bar_widths(view)
    assert len(widths) == 4 and max(widths) > 0  # iris: four input columns
    texts = [i.textItem.toPlainText() for i in view.plot.getPlotItem().items
             if hasattr(i, "textItem")]
    assert any(t.startswith("petal") for t in texts)  # the columns' own names


def test_a_forest_not_yet_inspected_says_why_instead_of_an_empty_plot(qtbot):
    view = _inspector_for(qtbot, "RandomForestClassifier", inspect=False)
    assert not view.plot.isVisible() and view.nothing_label.isVisible()
    assert "A random forest model has no regularization path" in view.nothing_label.text()
    assert "Inspect trial" in view.nothing_label.text()


def test_a_model_with_neither_path_nor_importances_says_so(qtbot):
    view = _inspector_for(qtbot, "KNeighborsClassifier")
    assert not view.plot.isVisible() and view.nothing_label.isVisible()
    assert "no feature importances either" in view.nothing_label.text()


def test_coefficient_colours_are_not_the_score_colours():
    """The inspector's two plots share one legend row: a coefficient drawn in the training
    or validation colour would read as that score."""
    from hpt_gui.ui.plots import inspector, style

    assert style.TRAIN not in inspector._PALETTE
    assert style.VALIDATION not in inspector._PALETTE
    assert len(set(inspector._PALETTE)) == len(inspector._PALETTE)


def test_the_histogram_counts_trials_in_whole_numbers(qtbot, data):
    """'2.5 trials' on the count axis (pyqtgraph's ticks halve the count's steps)."""
    view = _shown_view(qtbot, "All scores", data)
    axis = view.plot.getPlotItem().getAxis("left")
    low, high = view.plot.getPlotItem().getViewBox().viewRange()[1]
    values = [v for _, level in axis.tickValues(low, high, axis.height()) for v in level]
    assert values and all(float(v).is_integer() for v in values), values


def test_a_diagnostics_job_runs_on_a_helper_thread_of_ui_tasks_not_a_qthread(qtbot):
    """Issue 18: one adapter for work off the GUI thread. A job runs on a daemon thread
    started by ``ui.tasks.run_long`` (a QThread would show here as a 'Dummy' thread), and
    its answer arrives on the GUI thread."""
    import threading

    from PySide6.QtCore import QThread

    from hpt_gui.ui.plots.jobs import THREAD_NAME, JobRunner

    runner = JobRunner()
    seen, results, progress = {}, [], []

    def work(should_stop, on_progress):
        seen["thread"] = threading.current_thread()
        on_progress(1, 2)
        return "curve"

    def done(result):
        seen["callback"] = QThread.currentThread()
        results.append(result)

    assert runner.start("learning", work, done, progress=lambda *p: progress.append(p))
    assert not runner.findChildren(QThread)
    assert all(job.findChildren(QThread) == [] for job in runner._jobs.values())
    qtbot.waitUntil(lambda: results == ["curve"] and runner.idle(), timeout=5000)
    thread = seen["thread"]
    assert thread.name == THREAD_NAME and thread.daemon
    assert not isinstance(thread, threading._DummyThread)
    assert seen["callback"] is runner.thread() and progress == [(1, 2)]


def test_stop_all_jobs_cancels_and_waits_for_a_running_job_within_its_bound(qtbot):
    """On quit every job is told to stop and waited for, so its worker processes are shut
    down cleanly; a job that does not stop holds the quit no longer than the bound."""
    import threading
    import time

    from hpt_gui.ui.plots import jobs as jobs_module
    from hpt_gui.ui.plots.jobs import JobRunner, stop_all_jobs

    runner = JobRunner()
    ended, messages = threading.Event(), []

    def polite(should_stop, progress):
        while not should_stop():
            time.sleep(0.01)
        time.sleep(0.3)  # shutting its worker processes down
        ended.set()

    assert runner.start("learning", polite, lambda r: None, messages.append)
    qtbot.wait(50)
    stop_all_jobs(5)
    assert ended.is_set()  # waited for it
    qtbot.waitUntil(lambda: messages == ["Cancelled."] and runner.idle(), timeout=5000)

    release = threading.Event()
    assert runner.start("validation", lambda s, p: release.wait(5), lambda r: None)
    began = time.monotonic()
    stop_all_jobs(0.2)
    assert time.monotonic() - began < 2  # bounded
    release.set()
    qtbot.waitUntil(runner.idle, timeout=5000)
    qtbot.waitUntil(lambda: not jobs_module._RUNNING, timeout=5000)  # released


def test_a_compute_button_pressed_before_the_deferred_draw_still_computes(qtbot):
    """A study shown with a deferred draw has no arrays until the draw; a curve asked for
    meanwhile found no trial and silently did nothing."""
    trials = _trials()
    panel = DiagnosticsPanel()
    qtbot.addWidget(panel)
    panel.set_study(SPEC, trials, defer=True)
    started = []
    panel._start = lambda kind, *args: started.append(kind)
    panel.compute_learning_curve()
    assert "learning" in started
