"""The trial table: columns and formatting, rows streaming in, sorting inside the model,
the state and text filters, and the details pane of the selected trial."""

import math
import random

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from hpt_gui.core.evaluate import FoldResult  # noqa: E402
from hpt_gui.core.store import (  # noqa: E402
    TrialRecord,
    TrialState,
    best_trial,
    trial_from_folds,
)
from hpt_gui.ui.trial_table import (  # noqa: E402
    COL_FIT_TIME,
    COL_GAP,
    COL_NUMBER,
    COL_STATE,
    COL_STD,
    COL_TEST,
    COL_TRAIN,
    EMPTY_TEXT,
    FIRST_PARAM_COLUMN,
    FoldTableModel,
    TrialFilterProxy,
    TrialTableModel,
    TrialTableView,
    format_duration,
    format_number,
)

DISPLAY = Qt.ItemDataRole.DisplayRole
RAW = Qt.ItemDataRole.UserRole
ASCENDING, DESCENDING = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
ERROR = "ValueError: Solver lbfgs supports only 'l2' or None penalties (in fit)"


def trial(number, params, test=(0.9, 0.92, 0.94), train=(0.97, 0.98, 0.99), fit_time=0.5,
          fail_fold=None):
    folds = []
    for k, (te, tr) in enumerate(zip(test, train, strict=True)):
        if k == fail_fold:
            folds.append(FoldResult(number, k, None, None, fit_time, 0.01, error=ERROR))
        else:
            folds.append(FoldResult(number, k, te, tr, fit_time, 0.01))
    return trial_from_folds(number, params, folds, 0.0, 1.0)


def sample_trials():
    """Ten trials of an SVM; 3 and 7 failed; the best is trial 5 (0.96)."""
    trials = []
    for n in range(10):
        base = 0.70 + 0.02 * n if n != 5 else 0.95
        params = {"C": 10.0 ** (n - 5), "kernel": "rbf" if n % 2 else "linear"}
        trials.append(trial(n, params, test=(base - 0.01, base, base + 0.01),
                            train=(base + 0.02, base + 0.03, base + 0.04),
                            fit_time=0.0123 if n < 5 else 1.5,
                            fail_fold=1 if n in (3, 7) else None))
    return trials


def model_with(trials):
    model = TrialTableModel()
    model.set_trials(trials)
    return model


def cell(model, row, column, role=DISPLAY):
    return model.data(model.index(row, column), role)


def numbers_in_order(model):
    return [model.trial_at(row).number for row in range(model.rowCount())]


def proxy_numbers(proxy):
    model = proxy.sourceModel()
    return [model.trial_at(proxy.mapToSource(proxy.index(r, 0)).row()).number
            for r in range(proxy.rowCount())]


# formatting --------------------------------------------------------------------------------


def test_numbers_keep_three_significant_digits_and_times_have_units():
    assert format_number(0.95) == "0.950"
    assert format_number(0.953612) == "0.954"
    assert format_number(-0.0012345) == "-0.00123"
    assert format_number(1.0) == "1.00"
    assert format_number(123.4) == "123"
    assert format_number(-1234.5) == "-1,230"
    assert format_number(None) == "" and format_number(math.nan) == ""
    assert format_duration(0.0123) == "12.3 ms"
    assert format_duration(1.5) == "1.50 s"
    assert format_duration(75) == "1.25 min"
    assert format_duration(7200) == "2.00 h"


# the model ---------------------------------------------------------------------------------


def test_columns_scores_and_formatting(qtbot):
    trials = sample_trials()
    model = model_with(trials)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["#", "State", "Validation score", "± std over folds", "Train score",
                       "Gap", "Fit time", "C", "kernel"]
    row = model.row_of(5)
    t5 = trials[5]
    assert cell(model, row, COL_NUMBER) == "★ 5"  # trial 5 is the best: starred as in the plots
    assert cell(model, row, COL_STATE) == "Complete"
    assert cell(model, row, COL_TEST) == "0.950"
    assert cell(model, row, COL_STD) == format_number(t5.std_test_score)
    assert cell(model, row, COL_TRAIN) == "0.980"
    assert cell(model, row, COL_GAP) == "0.0300"
    assert cell(model, row, COL_FIT_TIME) == "1.50 s"
    assert cell(model, model.row_of(0), COL_FIT_TIME) == "12.3 ms"
    assert cell(model, row, FIRST_PARAM_COLUMN) == "1" and cell(model, row, 8) == "rbf"
    # raw values for sorting and filtering; the gap is the core's train minus validation
    assert cell(model, row, COL_TEST, RAW) == t5.mean_test_score
    assert cell(model, row, COL_GAP, RAW) == pytest.approx(
        t5.mean_train_score - t5.mean_test_score)
    assert cell(model, row, FIRST_PARAM_COLUMN, RAW) == 1.0


def test_the_gap_is_training_minus_validation_with_its_sign(qtbot):
    # validation above training: the gap is negative, shown and sorted as negative
    above = trial(0, {"C": 1.0}, test=(0.90, 0.92, 0.94), train=(0.80, 0.82, 0.84))
    below = trial(1, {"C": 2.0}, test=(0.80, 0.82, 0.84), train=(0.90, 0.92, 0.94))
    model = model_with([above, below])
    assert cell(model, model.row_of(0), COL_GAP) == "-0.100"
    assert cell(model, model.row_of(0), COL_GAP, RAW) == pytest.approx(-0.1)
    assert cell(model, model.row_of(1), COL_GAP) == "0.100"
    model.sort(COL_GAP, ASCENDING)
    assert numbers_in_order(model) == [0, 1]
    tip = model.headerData(COL_GAP, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Training minus validation") and "sign" in tip
    std_tip = model.headerData(COL_STD, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert std_tip.startswith("Standard deviation (not the standard error)")


def test_a_trial_halving_stopped_after_one_fold_shows_no_spread(qtbot):
    """Its std over one fold is 0: the cell says "—" and its tooltip says why, it sorts
    with the trials that have no spread, and the details pane gives no "± 0"."""
    complete = trial(0, {"C": 1.0})
    one_fold = trial(1, {"C": 2.0}, test=(0.8,), train=(0.85,))
    stopped = TrialRecord(1, TrialState.PRUNED, one_fold.params, one_fold.folds, 0.0, 1.0,
                          attrs={"rung": 0, "folds": 1, "fits": 1})
    assert stopped.std_test_score == 0.0 and stopped.stopped_early
    model = model_with([complete, stopped])
    row = model.row_of(1)
    assert cell(model, row, COL_TEST) == "0.800"
    assert cell(model, row, COL_STD) == "—" and cell(model, row, COL_STD, RAW) is None
    assert cell(model, row, COL_STD, Qt.ItemDataRole.ToolTipRole).startswith(
        "Stopped by successive halving after 1 fold:")
    assert cell(model, model.row_of(0), COL_STD) == format_number(complete.std_test_score)
    model.sort(COL_STD, DESCENDING)
    assert numbers_in_order(model) == [0, 1]  # no spread sorts last both ways
    model.sort(COL_STD, ASCENDING)
    assert numbers_in_order(model) == [0, 1]
    view = TrialTableView()
    qtbot.addWidget(view)
    view.set_trials([complete, stopped])
    view.select_trial(1)
    summary = view.details.summary.text()
    assert "0.800 over 1 fold only (stopped by successive halving, so no spread)" in summary
    assert "±" not in summary and "std" not in summary
    view.select_trial(0)
    summary = view.details.summary.text()
    assert f"(std {format_number(complete.std_test_score)} over 3 folds)" in summary
    assert "gap (training minus validation) 0.0600" in summary


def test_failed_trials_show_no_score_a_red_state_and_the_error(qtbot):
    model = model_with(sample_trials())
    row = model.row_of(3)
    assert model.trial_at(row).state is TrialState.FAIL
    assert cell(model, row, COL_STATE) == "Failed"
    for column in (COL_TEST, COL_STD, COL_TRAIN, COL_GAP):
        assert cell(model, row, column) == ""
        assert cell(model, row, column, RAW) is None
    colour = cell(model, row, COL_STATE, Qt.ItemDataRole.ForegroundRole).color()
    assert colour.red() > colour.green() + 60  # a red, muted
    assert ERROR in cell(model, row, COL_STATE, Qt.ItemDataRole.ToolTipRole)
    assert cell(model, model.row_of(4), COL_STATE, Qt.ItemDataRole.ForegroundRole) is None


def test_the_best_complete_trial_is_bold(qtbot):
    trials = sample_trials()
    model = model_with(trials)
    assert model.best_trial() is best_trial(trials) and model.best_trial().number == 5
    font = Qt.ItemDataRole.FontRole
    assert cell(model, model.row_of(5), COL_TEST, font).bold()
    assert cell(model, model.row_of(4), COL_TEST, font) is None
    model.add_trial(trial(10, {"C": 1.0}, test=(0.99, 0.99, 0.99)))  # a new best
    assert model.best_trial().number == 10
    assert cell(model, model.row_of(10), COL_NUMBER, font).bold()
    assert cell(model, model.row_of(5), COL_NUMBER, font) is None


def test_add_trial_appends_a_row_and_a_new_hyperparameter_column(qtbot):
    model = model_with(sample_trials()[:4])
    rows, columns = [], []
    model.rowsInserted.connect(lambda parent, first, last: rows.append((first, last)))
    model.columnsInserted.connect(lambda parent, first, last: columns.append((first, last)))
    model.add_trial(trial(4, {"C": 0.5, "kernel": "rbf"}))
    assert rows == [(4, 4)] and columns == []
    model.add_trial(trial(5, {"C": 2.0, "kernel": "poly", "degree": 3}))
    assert rows[-1] == (5, 5) and columns == [(9, 9)]
    assert model.columnCount() == FIRST_PARAM_COLUMN + 3
    assert model.headerData(9, Qt.Orientation.Horizontal) == "degree"
    assert cell(model, 5, 9) == "3" and cell(model, 0, 9) == ""
    assert model.trial_at(5).number == 5 and model.row_of(5) == 5
    assert model.row_of(99) is None


def test_add_trials_inserts_a_batch_in_one_go(qtbot):
    """Trials streaming in arrive in batches: one row insertion for the batch (a view
    repaints once), a shown trial replaced, one number given twice counted once."""
    model = model_with(sample_trials()[:4])
    rows, columns = [], []
    model.rowsInserted.connect(lambda parent, first, last: rows.append((first, last)))
    model.columnsInserted.connect(lambda parent, first, last: columns.append((first, last)))
    again = trial(2, {"C": 9.0}, test=(0.5, 0.5, 0.5))
    model.add_trials([trial(4, {"C": 0.5, "kernel": "rbf"}), again,
                      trial(5, {"C": 2.0, "degree": 3}),
                      trial(6, {"C": 1.0}, test=(0.99, 0.99, 0.99)),
                      trial(5, {"C": 3.0, "degree": 4})])
    assert rows == [(4, 6)] and columns == [(FIRST_PARAM_COLUMN + 2, FIRST_PARAM_COLUMN + 2)]
    assert [model.trial_at(r).number for r in range(model.rowCount())] == [0, 1, 2, 3, 4, 6, 5]
    assert model.trial_at(model.row_of(2)) is again
    assert model.trial_at(model.row_of(5)).params == {"C": 3.0, "degree": 4}
    assert model.best_trial().number == 6
    model.add_trials([])
    assert rows == [(4, 6)]


def test_sorting_by_validation_score_puts_failed_trials_last_both_ways(qtbot):
    trials = sample_trials()
    model = model_with(trials)
    complete = sorted((t for t in trials if t.state is TrialState.COMPLETE),
                      key=lambda t: t.mean_test_score)
    model.sort(COL_TEST, ASCENDING)
    assert numbers_in_order(model)[:8] == [t.number for t in complete]
    assert set(numbers_in_order(model)[8:]) == {3, 7}
    model.sort(COL_TEST, DESCENDING)
    assert numbers_in_order(model)[:8] == [t.number for t in reversed(complete)]
    assert set(numbers_in_order(model)[8:]) == {3, 7}
    assert model.row_of(5) == 0 and model.trial_at(0).number == 5
    model.sort(COL_NUMBER, DESCENDING)
    assert numbers_in_order(model) == list(range(9, -1, -1))


def test_sorting_a_hyperparameter_puts_trials_without_it_last(qtbot):
    model = model_with([trial(0, {"C": 3.0, "kernel": "rbf"}), trial(1, {"C": 0.1}),
                        trial(2, {"C": 30.0, "kernel": "linear"}), trial(3, {"C": 1.0})])
    model.sort(FIRST_PARAM_COLUMN, ASCENDING)
    assert numbers_in_order(model) == [1, 3, 0, 2]
    model.sort(FIRST_PARAM_COLUMN + 1, DESCENDING)  # kernel: text, missing last
    assert numbers_in_order(model) == [0, 2, 1, 3]


def test_sorting_keeps_the_selection_on_its_trial(qtbot):
    view = TrialTableView()
    qtbot.addWidget(view)
    view.set_trials(sample_trials())
    view.select_trial(2)
    view.table.sortByColumn(COL_TEST, DESCENDING)  # as a header click does
    assert view.model.sort_column() == COL_TEST
    assert view.proxy.sortColumn() == -1  # the proxy never sorts by itself
    assert view.selected_trial().number == 2
    assert proxy_numbers(view.proxy)[0] == 5


# the filter --------------------------------------------------------------------------------


def test_state_filter(qtbot):
    model = model_with(sample_trials())
    proxy = TrialFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_state_filter(TrialState.FAIL)
    assert proxy_numbers(proxy) == [3, 7]
    proxy.set_state_filter("Complete")
    assert len(proxy_numbers(proxy)) == 8 and 3 not in proxy_numbers(proxy)
    proxy.set_state_filter(None)
    assert proxy.rowCount() == 10 and not proxy.is_filtering()


def test_text_filter_matches_any_cell_ignoring_case(qtbot):
    model = model_with(sample_trials())
    proxy = TrialFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text_filter("RBF")
    assert proxy_numbers(proxy) == [1, 3, 5, 7, 9]
    proxy.set_text_filter("0.950")  # a shown score
    assert proxy_numbers(proxy) == [5]
    proxy.set_text_filter("lbfgs")  # the error of a failed trial
    assert proxy_numbers(proxy) == [3, 7]
    proxy.set_state_filter(TrialState.FAIL)
    proxy.set_text_filter("linear")
    assert proxy_numbers(proxy) == []
    proxy.set_text_filter("")
    assert proxy_numbers(proxy) == [3, 7]
    model.add_trial(trial(10, {"C": 1.0, "kernel": "rbf"}, fail_fold=0))  # streams in
    assert proxy_numbers(proxy) == [3, 7, 10]


def test_filtering_a_big_table_resets_once_and_keeps_the_selection(qtbot):
    trials = [trial(n, {"kernel": "rbf" if n % 2 else "linear"}, fit_time=0.1)
              for n in range(TrialFilterProxy.RESET_ABOVE + 10)]
    view = TrialTableView()
    qtbot.addWidget(view)
    view.set_trials(trials)
    view.select_trial(11)
    resets = []
    view.proxy.modelReset.connect(lambda: resets.append(1))
    view.filter_edit.setText("rbf")
    assert resets == [1]
    assert view.proxy.rowCount() == len(trials) // 2
    assert view.selected_trial().number == 11
    assert view.count_label.text() == f"{len(trials) // 2:,} of {len(trials):,} trials"


# the view ----------------------------------------------------------------------------------


def test_empty_view_says_what_to_do(qtbot):
    view = TrialTableView()
    qtbot.addWidget(view)
    assert view.empty_label.text() == EMPTY_TEXT == "Run a study to see its trials here."
    assert view._stack.currentIndex() == 0
    assert view.selected_trial() is None
    view.add_trial(trial(0, {"C": 1.0}))
    assert view._stack.currentIndex() == 1
    assert view.count_label.text() == "1 trial"


def test_filter_row_counts_and_filters(qtbot):
    view = TrialTableView()
    qtbot.addWidget(view)
    view.set_trials(sample_trials())
    assert view.filter_edit.placeholderText() == "Filter trials…"
    assert view.count_label.text() == "10 trials"
    view.state_combo.setCurrentIndex(2)  # Failed
    assert view.count_label.text() == "2 of 10 trials"
    view.state_combo.setCurrentIndex(0)
    view.filter_edit.setText("linear")
    assert view.count_label.text() == "5 of 10 trials"
    view.add_trial(trial(10, {"C": 1.0, "kernel": "rbf"}))  # hidden, but counted
    assert view.count_label.text() == "5 of 11 trials"


def test_selecting_a_trial_shows_its_folds(qtbot):
    view = TrialTableView()
    qtbot.addWidget(view)
    view.set_trials(sample_trials())
    with qtbot.waitSignal(view.trial_selected, timeout=1000) as blocker:
        assert view.select_trial(5)
    assert blocker.args == [5]
    assert view.selected_trial().number == 5
    details = view.details
    assert details.title.text().startswith("Trial 5")
    assert "0.950" in details.summary.text()
    folds = details.fold_model
    assert folds.rowCount() == 3
    assert [folds.data(folds.index(r, 1)) for r in range(3)] == ["0.940", "0.950", "0.960"]
    assert [folds.data(folds.index(r, 2)) for r in range(3)] == ["0.970", "0.980", "0.990"]
    assert folds.data(folds.index(0, 3)) == "1.50 s"
    assert details.error_label.isHidden()
    assert "C" in details.params_label.text() and "rbf" in details.params_label.text()
    assert not view.select_trial(99)


def test_selecting_a_failed_trial_shows_its_error(qtbot):
    view = TrialTableView()
    qtbot.addWidget(view)
    view.set_trials(sample_trials())
    view.filter_edit.setText("rbf")
    view.select_trial(4)  # hidden by the filter: the filter is cleared to show it
    assert view.filter_edit.text() == "" and view.selected_trial().number == 4
    view.select_trial(7)
    details = view.details
    assert not details.error_label.isHidden()
    assert ERROR in details.error_label.text()
    assert details.error_label.wordWrap()
    assert details.error_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    folds = details.fold_model
    assert folds.data(folds.index(1, 1)) == "failed"
    assert folds.data(folds.index(1, 4)) == ERROR
    assert not details.fold_table.isColumnHidden(4)


def test_clicking_a_row_emits_the_trial_number(qtbot):
    view = TrialTableView()
    qtbot.addWidget(view)
    view.set_trials(sample_trials())
    view.table.sortByColumn(COL_TEST, DESCENDING)
    seen = []
    view.trial_selected.connect(seen.append)
    view.table.selectRow(1)
    assert seen == [9]  # the second best: 0.88
    view.set_trials(sample_trials())  # reloading keeps the selection, without a new signal
    assert view.selected_trial().number == 9 and seen == [9]


# size ----------------------------------------------------------------------------------------


def test_a_hundred_thousand_trials_sort_in_the_model(qtbot):
    rng = random.Random(0)
    trials, scores = [], []
    for n in range(100_000):
        score = rng.random()
        failed = n % 101 == 0
        if not failed:
            scores.append(score)
        fold = FoldResult(n, 0, None if failed else score, None if failed else score,
                          0.01, 0.0, "boom" if failed else None)
        trials.append(trial_from_folds(n, {"C": -score}, (fold,), 0.0, 0.0))
    model = model_with(trials)
    model.sort(COL_TEST, DESCENDING)  # one argsort, not a proxy calling data()
    assert model.trial_at(0).mean_test_score == max(scores)
    assert model.trial_at(len(scores) - 1).mean_test_score == min(scores)
    assert model.trial_at(model.rowCount() - 1).state is TrialState.FAIL
    model.sort(FIRST_PARAM_COLUMN, ASCENDING)
    assert model.trial_at(0).mean_test_score == max(scores)
    assert model.row_of(12345) == [t.number for t in
                                   (model.trial_at(r) for r in range(model.rowCount()))
                                   ].index(12345)


# what the window shows (issue 17) ------------------------------------------------------


def wide_trials():
    """Trials of a model with many hyperparameters: wider than the table."""
    names = ("n_estimators", "max_depth", "min_samples_split", "min_samples_leaf",
             "max_features", "bootstrap", "criterion", "class_weight")
    return [trial(n, {name: n + k for k, name in enumerate(names)}) for n in range(30)]


def test_the_trial_number_stays_visible_when_the_table_scrolls_right(qtbot):
    view = TrialTableView()
    qtbot.addWidget(view)
    view.resize(520, 600)
    view.show()
    view.set_trials(wide_trials())
    qtbot.waitExposed(view)
    table = view.table
    bar = table.horizontalScrollBar()
    assert bar.maximum() > 0  # the table is wider than its view
    bar.setValue(bar.maximum())
    qtbot.wait(10)
    assert table.columnViewportPosition(COL_NUMBER) < 0  # the '#' column scrolled away...
    frozen = table.frozen  # ...but its frozen copy did not
    assert frozen.isVisible()
    assert frozen.geometry().left() <= table.frameWidth()
    index = frozen.model().index(0, COL_NUMBER)
    rect = frozen.visualRect(index)
    assert rect.width() >= table.columnWidth(COL_NUMBER) - 1
    assert frozen.viewport().rect().contains(rect)
    assert index.data().split()[-1] == "0"  # '★ 0': the best trial is marked
    for column in range(1, frozen.model().columnCount()):
        assert frozen.isColumnHidden(column)


def test_the_frozen_number_column_scrolls_down_with_the_table(qtbot):
    view = TrialTableView()
    qtbot.addWidget(view)
    view.resize(520, 300)
    view.show()
    view.set_trials(wide_trials())
    qtbot.waitExposed(view)
    view.table.verticalScrollBar().setValue(view.table.verticalScrollBar().maximum())
    top_row = view.table.rowAt(0)
    assert top_row > 0
    assert view.table.frozen.rowAt(0) == top_row


def test_a_click_on_the_frozen_number_header_sorts(qtbot):
    view = TrialTableView()
    qtbot.addWidget(view)
    view.show()
    view.set_trials(sample_trials())
    view.table.frozen.horizontalHeader().sectionClicked.emit(COL_NUMBER)  # ascending -> descending
    assert proxy_numbers(view.proxy)[0] == 9


@pytest.mark.parametrize("width", [270, 311, 700])  # the pane in a 1280 x 800 window; a wide one
def test_the_fold_table_shows_its_validation_column_whole(qtbot, width):
    view = TrialTableView()
    qtbot.addWidget(view)
    view.resize(700, 662)  # shown wide first, then narrowed (as the window lays out)
    view.show()
    view.set_trials(wide_trials())
    view.select_trial(4)
    qtbot.wait(20)
    view.resize(width, 662)
    qtbot.wait(20)
    table = view.details.fold_table
    header = table.horizontalHeader()
    title = header.fontMetrics().horizontalAdvance(FoldTableModel.HEADERS[1])
    assert table.columnWidth(1) >= max(title, table.sizeHintForColumn(1))
    # the table itself is not narrower than its number columns: nothing clipped
    shown = sum(table.columnWidth(c) for c in range(4))
    assert table.viewport().width() >= shown
    assert header.sectionViewportPosition(1) + table.columnWidth(1) <= table.viewport().width()
    # and the pane shows the whole table without scrolling sideways: in a narrow pane the
    # folds go under the hyperparameters (they were beside them, cut at the pane's edge)
    pane = view.details_scroll.viewport()
    right = table.mapTo(pane, table.rect().topRight()).x()
    assert right <= pane.width(), (right, pane.width())
