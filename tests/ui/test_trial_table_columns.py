"""The trial table shows the core's columns: each fixed column's raw value (UserRole) is
the CSV export's value for that trial, and its best trial is ``records.best_trial``'s,
whether the trials are set at once or stream in."""

import math

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from trial_samples import mixed_trials as _mixed_trials  # noqa: E402
from trial_samples import stored as _stored  # noqa: E402

from hpt_gui.core.export import trials_table  # noqa: E402
from hpt_gui.core.records import best_trial  # noqa: E402
from hpt_gui.ui.trial_table import (  # noqa: E402
    COL_FIT_TIME,
    COL_NUMBER,
    COL_STATE,
    COL_STD,
    COL_TEST,
    COL_TRAIN,
    FIRST_PARAM_COLUMN,
    TrialTableModel,
)

RAW = Qt.ItemDataRole.UserRole
CSV_COLUMN = {COL_NUMBER: "number", COL_STATE: "state", COL_TEST: "mean_test_score",
              COL_STD: "std_test_score", COL_TRAIN: "mean_train_score",
              COL_FIT_TIME: "mean_fit_time"}


def _equal(shown, written):
    if shown is None:
        return isinstance(written, float) and math.isnan(written)
    return shown == written


def _check(model, trials):
    table = trials_table(trials).set_index("number", drop=False)
    assert model.rowCount() == len(table)
    names = [model.headerData(c, Qt.Orientation.Horizontal)
             for c in range(FIRST_PARAM_COLUMN, model.columnCount())]
    assert [f"param_{n}" for n in names] == [c for c in table.columns
                                             if c.startswith("param_")]
    for row in range(model.rowCount()):
        number = model.data(model.index(row, COL_NUMBER), RAW)
        for column, name in CSV_COLUMN.items():
            shown = model.data(model.index(row, column), RAW)
            assert _equal(shown, table.loc[number, name]), (number, name, shown)
        for column, name in enumerate(names, start=FIRST_PARAM_COLUMN):
            shown = model.data(model.index(row, column), RAW)
            assert ("" if shown is None else shown) == table.loc[number, f"param_{name}"]
    assert model.best_trial() is best_trial(trials)


@pytest.mark.parametrize("where", ["made", "stored"])
def test_the_tables_columns_are_the_csvs(qapp, tmp_path, where):
    trials = _mixed_trials()
    if where == "stored":
        trials = _stored(tmp_path, trials)
    model = TrialTableModel()
    model.set_trials(trials)
    _check(model, trials)
    model.sort(COL_STD, Qt.SortOrder.DescendingOrder)  # the lazily built columns too
    model.sort(COL_FIT_TIME, Qt.SortOrder.AscendingOrder)
    _check(model, trials)


def test_streamed_trials_show_the_same_columns(qapp):
    trials = _mixed_trials()
    model = TrialTableModel()
    model.sort(COL_TRAIN, Qt.SortOrder.AscendingOrder)
    for start in range(0, len(trials), 7):
        model.add_trials(trials[start:start + 7])
        _check(model, trials[:start + 7])
