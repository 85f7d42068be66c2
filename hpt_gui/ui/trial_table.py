"""The trial table: one row per trial, sortable and filterable, with a details pane.

The model and its filter live in :mod:`.trial_table_model`, the details pane in
:mod:`.trial_details`; this module holds the widget that puts them together and
re-exports their names, so ``from hpt_gui.ui.trial_table import ...`` keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.format import duration as format_duration
from ..core.format import number as format_number
from ..core.records import TrialRecord, TrialState
from .frozen_column import FrozenColumnTableView
from .trial_details import NO_SELECTION_TEXT, FoldTableModel, TrialDetails
from .trial_table_model import (
    COL_FIT_TIME,
    COL_GAP,
    COL_NUMBER,
    COL_STATE,
    COL_STD,
    COL_TEST,
    COL_TRAIN,
    FIRST_PARAM_COLUMN,
    NO_SPREAD,
    TrialFilterProxy,
    TrialTableModel,
    format_value,
)

EMPTY_TEXT = "Run a study to see its trials here."
EMPTY_HINT = "Trials appear as they finish; click one to see its score on each fold."


# the widget ------------------------------------------------------------------------------


class TrialTableView(QWidget):
    """Filter row, trial table and a details pane for the selected trial."""

    trial_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TrialTableModel(self)
        self.proxy = TrialFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._selected_number: int | None = None

        # empty state
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("font-size: 13pt; color: #333;")
        hint = QLabel(EMPTY_HINT)
        hint.setObjectName("hint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(hint)
        empty_layout.addStretch(1)

        # filter row
        self.state_combo = QComboBox()
        self._combo_states: list[TrialState | None] = [None, TrialState.COMPLETE,
                                                       TrialState.FAIL]
        self.state_combo.addItems(["All", "Complete", "Failed"])
        self.state_combo.setToolTip("Show all trials, only the complete ones or only the "
                                    "failed ones.")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter trials…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Show trials with this text in any column or in their "
                                    "error (Ctrl+F)")
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        state_label = QLabel("Show")
        state_label.setBuddy(self.state_combo)
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(state_label)
        filters.addWidget(self.state_combo)
        filters.addSpacing(8)
        filters.addWidget(self.filter_edit, 1)
        filters.addSpacing(12)
        filters.addWidget(self.count_label)

        # table
        self.table = FrozenColumnTableView()  # the trial number stays when scrolled right
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSortIndicator(COL_NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        # details
        self.details = TrialDetails()
        self.details_scroll = details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        details_scroll.setWidget(self.details)
        self.details.follow_room_of(details_scroll.viewport())

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("trial_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(details_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(6)
        content_layout.addLayout(filters)
        content_layout.addWidget(self.splitter, 1)

        self._stack = QStackedWidget()
        self._stack.addWidget(empty)
        self._stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._stack)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._on_find_activated)

        self.state_combo.currentIndexChanged.connect(self._on_state_changed)
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.proxy.modelReset.connect(self._on_proxy_reset)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged, self.model.rowsInserted):
            signal.connect(self._update_count)
        self.model.columnsInserted.connect(self._on_columns_inserted)
        self.model.dataChanged.connect(self._on_model_data_changed)
        self._update_count()

    # public API -----------------------------------------------------------------------

    def set_trials(self, trials: Sequence[TrialRecord]) -> None:
        """Show these trials; the selected trial stays selected if it is among them."""
        self.model.set_trials(trials)  # the proxy resets: _on_proxy_reset reselects
        self._stack.setCurrentIndex(1 if trials else 0)
        self._fit_columns()
        self._scroll_to_selection()

    def add_trial(self, record: TrialRecord) -> None:
        """Append a finished trial (it streams in during a run)."""
        self.add_trials([record])

    def add_trials(self, records: Sequence[TrialRecord]) -> None:
        """Append finished trials in one go (one repaint of the table for the batch)."""
        if not records:
            return
        self.model.add_trials(records)
        self._stack.setCurrentIndex(1)
        if self.model.rowCount() <= 20:  # widths settle on the first few rows
            self._fit_columns()

    def select_trial(self, number: int) -> bool:
        """Select and show a trial (clearing the filters if they hide it).

        Emits ``trial_selected`` when the selection changes; False if there is no such
        trial.
        """
        row = self.model.row_of(number)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self._select_index(index)
        self._scroll_to_selection()
        return True

    def selected_trial(self) -> TrialRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.trial_at(self.proxy.mapToSource(rows[0]).row())

    def clear_filters(self) -> None:
        self.state_combo.setCurrentIndex(0)
        self.filter_edit.clear()

    def set_metric_label(self, label: str | None) -> None:
        """The metric's plain name, for header tooltips and the details pane."""
        self.model.set_metric_label(label)
        self.details.metric_label = label
        self._show_details(self.selected_trial())

    # slots ----------------------------------------------------------------------------

    def _on_find_activated(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _on_state_changed(self, index: int) -> None:
        self.proxy.set_state_filter(self._combo_states[index])

    def _on_filter_text_changed(self, text: str) -> None:
        self.proxy.set_text_filter(text)

    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        trial = self.selected_trial()
        self._show_details(trial)
        number = None if trial is None else trial.number
        if number != self._selected_number:
            self._selected_number = number
            if number is not None:
                self.trial_selected.emit(number)

    def _on_proxy_reset(self) -> None:
        """After a reset (new trials, or a filter change on a big table) the same trial
        stays selected if it is still shown."""
        number = self._selected_number
        row = None if number is None else self.model.row_of(number)
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self._select_index(index)
                return
        self._selected_number = None
        self._show_details(None)

    def _on_columns_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        for column in range(first, last + 1):
            self._fit_column(column)

    def _on_model_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex,
                               roles: list[int] | None = None) -> None:
        trial = self.selected_trial()
        if trial is not None and top_left.row() <= self.model.row_of(trial.number) \
                <= bottom_right.row():
            self._show_details(trial)

    def _update_count(self, *args: Any) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        noun = "trial" if total == 1 else "trials"
        self.count_label.setText(f"{total:,} {noun}" if shown == total
                                 else f"{shown:,} of {total:,} {noun}")

    # helpers --------------------------------------------------------------------------

    def _select_index(self, index: QModelIndex) -> None:
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    def _scroll_to_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.table.scrollTo(rows[0])

    def _show_details(self, trial: TrialRecord | None) -> None:
        self.details.show_trial(trial, best=trial is not None
                                and trial is self.model.best_trial())

    def _fit_columns(self) -> None:
        for column in range(self.model.columnCount()):
            self._fit_column(column)

    def _fit_column(self, column: int) -> None:
        """Wide enough for the header (and its sort arrow) and the first rows' text."""
        header = self.table.horizontalHeader()
        title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
        width = header.fontMetrics().horizontalAdvance(title) + 34
        metrics = QFontMetrics(self.model.bold_font())
        for row in range(min(self.model.rowCount(), 200)):
            text = self.model.data(self.model.index(row, column))
            width = max(width, metrics.horizontalAdvance(text or "") + 22)
        header.resizeSection(column, min(width, 260))


__all__ = [
    "COL_FIT_TIME", "COL_GAP", "COL_NUMBER", "COL_STATE", "COL_STD", "COL_TEST", "COL_TRAIN",
    "EMPTY_HINT", "EMPTY_TEXT", "FIRST_PARAM_COLUMN", "NO_SELECTION_TEXT", "NO_SPREAD",
    "FoldTableModel", "TrialDetails", "TrialFilterProxy", "TrialTableModel", "TrialTableView",
    "format_duration", "format_number", "format_value",
]
