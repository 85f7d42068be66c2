"""Small pictures of the data for the data step: a sparkline per column, the target's balance.

Drawn with QPainter from the counts :mod:`hpt_gui.core.column_summary` computed, so a table
of any length costs the same few rectangles per column and nothing is counted here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ..core.column_summary import ClassBalance, Distribution

DISTRIBUTION_ROLE = Qt.ItemDataRole.UserRole + 1  # an item's core Distribution
BAR_COLOUR = QColor("#0072B2")  # Okabe-Ito blue
OTHER_COLOUR = QColor("#A0A0A0")  # "other" values, counted together
_WARN_STYLE = ("QLabel { background: #fff4e0; color: #5c3a00; border: 1px solid #e8b04a;"
               " border-radius: 4px; padding: 6px 8px; }")
_PLAIN_STYLE = "QLabel { color: #333333; padding: 2px 0px; }"

_Index = QModelIndex | QPersistentModelIndex


def distribution_tooltip(distribution: Distribution, name: str) -> str:
    """The picture in words: the bars' values and counts, or the histogram's range."""
    if distribution.kind == "histogram":
        low, high = distribution.edges[0], distribution.edges[-1]
        text = (f"Values of '{name}' from {low:.3g} to {high:.3g}, "
                f"in {len(distribution.counts)} equal bins")
    else:
        parts = [f"{label}: {count:,}" for label, count in
                 zip(distribution.labels, distribution.counts, strict=True)]
        if distribution.other:
            parts.append(f"other values: {distribution.other:,}")
        text = f"Most common values of '{name}':\n" + "\n".join(parts)
    if distribution.sampled:
        text += f"\n(drawn from a random sample of {distribution.sampled:,} rows)"
    return text


def _bars(distribution: Distribution) -> list[tuple[int, QColor]]:
    bars = [(count, BAR_COLOUR) for count in distribution.counts]
    if distribution.kind == "bars" and distribution.other:
        bars.append((distribution.other, OTHER_COLOUR))
    return bars


def paint_distribution(painter: QPainter, rect: QRectF, distribution: Distribution) -> None:
    """Bars scaled to the tallest, bottom-aligned in ``rect``; a histogram's bars touch."""
    bars = _bars(distribution)
    tallest = max((count for count, _ in bars), default=0)
    if not bars or tallest == 0:
        return
    gap = 0.0 if distribution.kind == "histogram" else 2.0
    width = (rect.width() - gap * (len(bars) - 1)) / len(bars)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)
    for position, (count, colour) in enumerate(bars):
        height = max(1.0, rect.height() * count / tallest) if count else 0.0
        left = rect.left() + position * (width + gap)
        painter.fillRect(QRectF(left, rect.bottom() - height, max(1.0, width), height), colour)
    painter.restore()


class DistributionDelegate(QStyledItemDelegate):
    """Draws the Distribution stored in an item (``DISTRIBUTION_ROLE``) as a sparkline."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        style = option.widget.style() if option.widget is not None else None
        if style is not None:  # the cell's background (alternating rows, selection)
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                option.widget)
        distribution = index.data(DISTRIBUTION_ROLE)
        if distribution is None:
            return
        rect = QRectF(option.rect).adjusted(6, 4, -6, -4)
        paint_distribution(painter, rect, distribution)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(110, option.fontMetrics.height() + 8)


class _BalanceBars(QWidget):
    """One row per class: its name, a bar as long as its share, its count and share."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int, float, QColor]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: list[tuple[str, int, float, QColor]]) -> None:
        self._rows = rows
        self.setFixedHeight(self._row_height() * len(rows) + 2)
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def paintEvent(self, event: object) -> None:
        if not self._rows:
            return
        from ..core.column_summary import percent_text

        painter = QPainter(self)
        metrics = self.fontMetrics()
        label_width = min(max(metrics.horizontalAdvance(label) for label, *_ in self._rows) + 10,
                          self.width() // 3)
        value_texts = [f"{count:,} ({percent_text(share)})" for _, count, share, _ in self._rows]
        value_width = max(metrics.horizontalAdvance(text) for text in value_texts) + 10
        bar_room = max(20, self.width() - label_width - value_width)
        largest = max(share for _, _, share, _ in self._rows) or 1.0
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        row_height = self._row_height()
        for position, ((label, _, share, colour), value) in enumerate(
                zip(self._rows, value_texts, strict=True)):
            top = position * row_height
            painter.setPen(text_colour)
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 10)
            painter.drawText(QRectF(0, top, label_width - 10, row_height),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            length = max(1.0, bar_room * share / largest) if share else 0.0
            painter.fillRect(QRectF(label_width, top + 3, length, row_height - 6), colour)
            painter.drawText(QRectF(label_width + length + 6, top, value_width, row_height),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, value)
        painter.end()


class _Histogram(QWidget):
    """A number target's histogram, with its lowest and highest value under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._distribution: Distribution | None = None
        self.setFixedHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_distribution(self, distribution: Distribution | None) -> None:
        self._distribution = distribution
        self.setToolTip("" if distribution is None else distribution_tooltip(distribution, ""))
        self.update()

    def paintEvent(self, event: object) -> None:
        distribution = self._distribution
        if distribution is None:
            return
        painter = QPainter(self)
        text_height = self.fontMetrics().height() + 4
        area = QRectF(4, 4, self.width() - 8, self.height() - text_height - 8)
        paint_distribution(painter, area, distribution)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        below = QRectF(4, area.bottom() + 2, area.width(), text_height)
        if distribution.kind == "histogram":
            low, high = f"{distribution.edges[0]:.3g}", f"{distribution.edges[-1]:.3g}"
        else:
            low, high = distribution.labels[0], distribution.labels[-1]
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, low)
        painter.drawText(below, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, high)
        painter.end()


class TargetView(QWidget):
    """The target at a glance: the class balance (bars with counts and shares, and a
    sentence when it is uneven) or, for a number target, its distribution."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars = _BalanceBars()
        self.histogram = _Histogram()
        self.histogram.hide()
        self.sentence_label = QLabel()
        self.sentence_label.setWordWrap(True)
        self.sentence_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._balance: ClassBalance | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.bars)
        layout.addWidget(self.histogram)
        layout.addWidget(self.sentence_label)
        layout.addStretch(1)

    @property
    def balance(self) -> ClassBalance | None:
        """The class balance shown (None for a number target or nothing)."""
        return self._balance

    @property
    def sentence(self) -> str:
        """The sentence under the bars."""
        return self.sentence_label.text()

    def show_classes(self, balance: ClassBalance) -> None:
        """Bars per class, most common first, and the balance sentence (a warning when
        uneven)."""
        self._balance = balance
        rows = [(label, count, share, BAR_COLOUR) for label, count, share in
                zip(balance.labels, balance.counts, balance.shares, strict=True)]
        if balance.other:
            hidden = balance.n_classes - len(balance.labels)
            rows.append((f"{hidden:,} other classes", balance.other,
                         balance.other / balance.n_rows, OTHER_COLOUR))
        self.bars.set_rows(rows)
        self.histogram.hide()
        self.histogram.set_distribution(None)
        self._set_sentence(balance.sentence, warn=balance.imbalanced)

    def show_numbers(self, distribution: Distribution, sentence: str) -> None:
        """A number target: its histogram, lowest to highest value, and a sentence."""
        self._balance = None
        self.bars.set_rows([])
        self.histogram.set_distribution(distribution)
        self.histogram.show()
        self._set_sentence(sentence, warn=False)

    def clear(self) -> None:
        """Nothing shown (the table cannot be used yet)."""
        self._balance = None
        self.bars.set_rows([])
        self.histogram.set_distribution(None)
        self.histogram.hide()
        self._set_sentence("", warn=False)

    def _set_sentence(self, text: str, warn: bool) -> None:
        self.sentence_label.setText(text)
        self.sentence_label.setStyleSheet(_WARN_STYLE if warn else _PLAIN_STYLE)
        self.sentence_label.setVisible(bool(text))
