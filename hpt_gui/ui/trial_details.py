"""The details pane under the trial table: the selected trial's scores, hyperparameters,
folds and any error.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.engine import StoreError
from ..core.format import duration as format_duration
from ..core.format import number as format_number
from ..core.records import TrialRecord
from .trial_table_model import (
    _FAILED_COLOUR,
    _MUTED_COLOUR,
    _NUMERIC_ALIGN,
    _STATE_TEXT,
    _TEXT_ALIGN,
    _exact_value,
    _gap,
)

NO_SELECTION_TEXT = "Select a trial to see its hyperparameters and its score on each fold."


class TrialDetails(QWidget):
    """The selected trial: scores, hyperparameters, the folds and any error."""

    def __init__(self) -> None:
        super().__init__()
        self.metric_label: str | None = None
        self._viewport: QWidget | None = None
        self.placeholder = QLabel(NO_SELECTION_TEXT)
        self.placeholder.setObjectName("hint")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 11pt; font-weight: 600;")
        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("trialError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(
            "QLabel#trialError { background: #fbeceb; border: 1px solid #eac4c1; "
            "border-radius: 4px; padding: 6px 8px; color: #7d221e; }")
        self.error_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                       QSizePolicy.Policy.Minimum)

        params_title = QLabel("Hyperparameters")
        params_title.setStyleSheet("font-weight: 600;")
        self.params_label = QLabel()
        self.params_label.setTextFormat(Qt.TextFormat.RichText)
        self.params_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.params_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.params_label.setWordWrap(True)
        params = QVBoxLayout()
        params.setSpacing(4)
        params.addWidget(params_title)
        params.addWidget(self.params_label)
        params.addStretch(1)

        folds_title = QLabel("Folds")
        folds_title.setStyleSheet("font-weight: 600;")
        self.fold_model = FoldTableModel(self)
        self.fold_table = QTableView()
        self.fold_table.setModel(self.fold_model)
        self.fold_table.verticalHeader().setVisible(False)
        self.fold_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.fold_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fold_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.fold_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fold_table.setShowGrid(False)
        self.fold_table.setAlternatingRowColors(True)
        self.fold_table.setWordWrap(False)
        fold_header = self.fold_table.horizontalHeader()
        fold_header.setStretchLastSection(False)
        fold_header.setHighlightSections(False)
        fold_header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.fold_table.setSizeAdjustPolicy(
            QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.fold_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        folds = QVBoxLayout()
        folds.setSpacing(4)
        folds.addWidget(folds_title)
        fold_row = QHBoxLayout()  # the spacer takes what a narrow table leaves
        fold_row.addWidget(self.fold_table, 1)
        fold_row.addStretch(0)
        folds.addLayout(fold_row)
        folds.addStretch(1)

        # Side by side when the pane is wide enough for both, else the folds go under the
        # hyperparameters (``resizeEvent``): never a fold table clipped to fit.
        self.columns = columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        columns.setSpacing(24)
        columns.addLayout(params, 2)
        columns.addLayout(folds, 3)

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(2, 6, 2, 2)
        content_layout.setSpacing(6)
        content_layout.addWidget(self.title)
        content_layout.addWidget(self.summary)
        content_layout.addWidget(self.error_label)
        content_layout.addLayout(columns, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.content)
        self.show_trial(None)

    def show_trial(self, trial: TrialRecord | None, best: bool = False) -> None:
        self.placeholder.setVisible(trial is None)
        self.content.setVisible(trial is not None)
        if trial is None:
            self.fold_model.set_trial(None)
            return
        state = _STATE_TEXT[trial.state].lower()
        self.title.setText(f"Trial {trial.number} — {state}" + (" (best)" if best else ""))
        self.summary.setText(self._summary(trial))
        self.summary.setVisible(trial.mean_test_score is not None or not trial.error)
        self.error_label.setVisible(bool(trial.error))
        self.error_label.setText(f"Why it failed: {trial.error}" if trial.error else "")
        self.params_label.setText(_params_html(trial.params))
        try:
            self._fill_folds(trial)
        except StoreError as exc:  # the project file went away since it was opened
            self.fold_model.set_trial(None)
            self.error_label.setVisible(True)
            self.error_label.setText(str(exc))

    def _summary(self, trial: TrialRecord) -> str:
        metric = f" ({self.metric_label})" if self.metric_label else ""
        fit = format_duration(trial.mean_fit_time)
        count: int | None
        try:
            count = len(trial.folds)
            folds = f"{count} fold{'' if count == 1 else 's'}"
        except StoreError:
            count, folds = None, "its folds"
        if trial.mean_test_score is None:
            return f"No score: the trial did not complete. {folds}, mean fit time {fit}."
        score = f"Validation score{metric} {format_number(trial.mean_test_score)}"
        if trial.stopped_early:
            score += f" over {folds} only (stopped by successive halving, so no spread)"
        elif trial.std_test_score is not None and count != 1:  # no spread over one fold
            score += f" (std {format_number(trial.std_test_score)} over {folds})"
        parts = [score]
        if trial.mean_train_score is not None:
            parts.append(f"train {format_number(trial.mean_train_score)}")
            gap = _gap(trial.mean_train_score, trial.mean_test_score)
            parts.append(f"gap (training minus validation) {format_number(gap)}")
        parts.append(f"mean fit time {fit} over {folds}")
        return " · ".join(parts)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange_columns()

    def follow_room_of(self, viewport: QWidget) -> None:
        """Arrange by the room ``viewport`` (the scroll area's) shows: side by side, this
        widget is at least as wide as both, so its own width would keep them side by side
        in a pane too narrow to show them."""
        self._viewport = viewport
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self._arrange_columns()
        return False

    def _arrange_columns(self) -> None:
        """Hyperparameters beside the folds if both fit at full width, else above them."""
        margins = self.content.layout().contentsMargins()
        shown = self._viewport.width() if self._viewport is not None else self.width()
        room = shown - margins.left() - margins.right() - 8
        wanted = (self.params_label.sizeHint().width() + self.columns.spacing()
                  + self.fold_table.minimumWidth())
        self.columns.setDirection(QBoxLayout.Direction.LeftToRight if wanted <= room
                                  else QBoxLayout.Direction.TopToBottom)

    def _fill_folds(self, trial: TrialRecord) -> None:
        self.fold_model.set_trial(trial)
        notes = self.fold_model.has_notes()
        table = self.fold_table
        table.setColumnHidden(4, not notes)
        for column in range(4):  # each number column as wide as its header and values
            table.resizeColumnToContents(column)
        width = sum(table.columnWidth(c) for c in range(4)) + 2 * table.frameWidth() + 2
        table.setMinimumWidth(width)
        # every fold shown: the details pane scrolls rather than squeezing the table
        rows = table.verticalHeader().length() if self.fold_model.rowCount() else 0
        table.setMinimumHeight(table.horizontalHeader().height() + rows
                               + 2 * table.frameWidth() + 2)
        # Without notes the table is only as wide as its four number columns.
        table.setMaximumWidth(16777215 if notes else width)
        self._arrange_columns()


class FoldTableModel(QAbstractTableModel):
    """The selected trial's folds: validation and train score, fit time, any note."""

    HEADERS = ("Fold", "Validation", "Train", "Fit time", "Note")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._folds: tuple[Any, ...] = ()

    def set_trial(self, trial: TrialRecord | None) -> None:
        self.beginResetModel()
        self._folds = () if trial is None else trial.folds
        self.endResetModel()

    def has_notes(self) -> bool:
        return any(f.error or f.warning for f in self._folds)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._folds)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        fold = self._folds[index.row()]
        column = index.column()
        note = fold.error or fold.warning or ""
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(fold.fold + 1)
            if column == 1:
                return "failed" if fold.error else format_number(fold.test_score)
            if column == 2:
                return "" if fold.error else format_number(fold.train_score)
            if column == 3:
                return format_duration(fold.fit_time)
            return note
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_TEXT_ALIGN if column == 4 else _NUMERIC_ALIGN)
        if role == Qt.ItemDataRole.ForegroundRole:
            if fold.error and column in (1, 4):
                return QBrush(_FAILED_COLOUR)
            if column == 4:
                return QBrush(_MUTED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and note:
            return note
        return None


def _params_html(params: Mapping[str, Any]) -> str:
    if not params:
        return "<span style='color:#5f6368'>No hyperparameters: the model's defaults.</span>"
    rows = "".join(
        f"<tr><td style='color:#5f6368; padding-right:12px'>{html.escape(name)}</td>"
        f"<td>{html.escape(_exact_value(value))}</td></tr>"
        for name, value in params.items()
    )
    return f"<table cellspacing='0' cellpadding='2'>{rows}</table>"


__all__ = ["NO_SELECTION_TEXT", "FoldTableModel", "TrialDetails"]
