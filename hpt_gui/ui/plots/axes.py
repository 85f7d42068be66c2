"""Axes whose titles are always shown whole."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption

MIN_TITLE_WIDTH = 60  # px: narrower than this, a title would wrap word by word


class TitledAxis(pg.AxisItem):
    """An axis that places its title along itself whenever the title or the axis changes,
    and wraps a title longer than the axis onto more lines (the axis grows to hold them).

    pyqtgraph places the title only when the axis is resized, so a new, longer title on
    an axis of the same size was drawn from the axis' middle off the widget
    ("higher is bette"); and a title longer than the axis was cut at both ends.
    """

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        self._fitting = False
        super().__init__(orientation, **kwargs)
        option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        self.label.document().setDefaultTextOption(option)

    def length(self) -> float:
        """The room along the axis for its title."""
        size = self.size()
        return size.height() if self.orientation in ("left", "right") else size.width()

    def _updateLabel(self) -> None:  # noqa: N802 (pyqtgraph's name)
        super()._updateLabel()
        self._fit_title()

    def resizeEvent(self, ev: Any = None) -> None:  # noqa: N802 (Qt's name)
        self._fit_title()

    def _fit_title(self) -> None:
        if self.label is None:  # the axis is closing
            return
        if not self._fitting:
            self._fitting = True
            try:
                lines_before = self.label.boundingRect().height()
                self.label.setTextWidth(-1)
                length = self.length()
                if self.label.boundingRect().width() > length > 0:
                    self.label.setTextWidth(max(length, MIN_TITLE_WIDTH))
                if self.label.boundingRect().height() != lines_before:
                    self._adjustSize()  # room across the axis for every line
            finally:
                self._fitting = False
        super().resizeEvent()  # place the title in the middle of the axis
