"""A table view whose first column stays put when the others scroll sideways.

A study with many hyperparameters is wider than the window; scrolled right, a row
must still say which trial it is. Qt has no frozen column, so (as in Qt's "Frozen
Column" example) a second view showing only the first column lies over the table's
left edge, sharing its model, selection and vertical scrolling.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView, QWidget


class FrozenColumnTableView(QTableView):
    """A QTableView with column 0 frozen at its left edge (``frozen`` is the overlay)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen = QTableView(self)
        self.frozen.setObjectName("frozenColumn")
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.verticalHeader().setVisible(False)
        self.frozen.setFrameShape(QFrame.Shape.NoFrame)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollMode(self.verticalScrollMode())
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.horizontalHeader().setHighlightSections(False)
        self.frozen.horizontalHeader().setSortIndicatorShown(True)
        # a thin line tells the frozen column from the columns sliding under it
        self.frozen.setStyleSheet("QTableView#frozenColumn { border: none; "
                                  "border-right: 1px solid #c4c7cc; }")
        self.viewport().stackUnder(self.frozen)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.horizontalHeader().sectionResized.connect(self._on_section_resized)
        self.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        self.frozen.horizontalHeader().sectionClicked.connect(self._on_frozen_header_clicked)

    # keep the overlay in step ---------------------------------------------------------

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            model.columnsInserted.connect(self._hide_other_columns)
            model.modelReset.connect(self._hide_other_columns)
            model.layoutChanged.connect(self._hide_other_columns)
        self._hide_other_columns()

    def setSelectionBehavior(self, behavior: QAbstractItemView.SelectionBehavior) -> None:  # noqa: N802
        super().setSelectionBehavior(behavior)
        self.frozen.setSelectionBehavior(behavior)

    def setAlternatingRowColors(self, enable: bool) -> None:  # noqa: N802
        super().setAlternatingRowColors(enable)
        self.frozen.setAlternatingRowColors(enable)

    def setShowGrid(self, show: bool) -> None:  # noqa: N802
        super().setShowGrid(show)
        self.frozen.setShowGrid(show)

    def setWordWrap(self, on: bool) -> None:  # noqa: N802
        super().setWordWrap(on)
        self.frozen.setWordWrap(on)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_frozen()

    def updateGeometries(self) -> None:  # noqa: N802
        super().updateGeometries()
        self._place_frozen()

    def scrollTo(self, index: QModelIndex | Any,  # noqa: N802
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
                 ) -> None:
        # Only scroll sideways for a cell right of the frozen column: column 0 is shown.
        if index.isValid() and index.column() == 0:
            value = self.horizontalScrollBar().value()
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(value)
        else:
            super().scrollTo(index, hint)

    def _hide_other_columns(self, *args: Any) -> None:
        model = self.model()
        for column in range(1, 0 if model is None else model.columnCount()):
            self.frozen.setColumnHidden(column, True)
        self._place_frozen()

    def _on_section_resized(self, column: int, old: int, new: int) -> None:
        if column == 0:
            self.frozen.setColumnWidth(0, new)
            self._place_frozen()

    def _on_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        self.frozen.horizontalHeader().setSortIndicator(column, order)

    def _on_frozen_header_clicked(self, column: int) -> None:
        """Sort as a click on the table's own '#' header would."""
        header = self.horizontalHeader()
        if not self.isSortingEnabled():
            return
        ascending = Qt.SortOrder.AscendingOrder
        order = (Qt.SortOrder.DescendingOrder
                 if header.sortIndicatorSection() == 0 and header.sortIndicatorOrder() == ascending
                 else ascending)
        header.setSortIndicator(0, order)

    def _place_frozen(self) -> None:
        """Over the table's first column, header included, down to the scroll bar."""
        self.frozen.setColumnWidth(0, self.columnWidth(0))
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.frozen.verticalHeader().setDefaultSectionSize(
            self.verticalHeader().defaultSectionSize())
        frame = self.frameWidth()
        left = self.verticalHeader().width() if self.verticalHeader().isVisible() else 0
        self.frozen.setGeometry(frame + left, frame, self.columnWidth(0) + 1,
                                self.viewport().height() + self.horizontalHeader().height())
        self.frozen.setVisible(self.model() is not None and self.model().columnCount() > 0
                               and not self.isColumnHidden(0))


__all__ = ["FrozenColumnTableView"]
