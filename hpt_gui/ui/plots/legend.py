"""The legend as a row of text under the plot, where it covers no point.

A legend inside the plot hid the one-standard-error diamond, the best trial's point and
fold dots at 1280 x 800; the Compare page's plot already had its legend under it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

# pyqtgraph's symbols as the characters that look like them
GLYPHS = {"o": "●", "star": "★", "d": "◆", "t": "▲", "s": "■", "x": "✕", "+": "+"}
OUTLINE_ONLY = {"x", "+"}  # symbols drawn with the pen alone


def legend_entries(plots: Iterable[pg.PlotWidget]) -> list[tuple[str, str, str]]:
    """(glyph, colour, name) of each named item drawn, in drawing order; a mark (best,
    selected…) only while it marks a point. The same name is listed once."""
    entries: dict[str, tuple[str, str, str]] = {}
    for plot in plots:
        for item in plot.getPlotItem().items:
            name = item.name() if hasattr(item, "name") else None
            if not name or name in entries:
                continue
            entry = _entry(item, name)
            if entry is not None:
                entries[name] = entry
    return list(entries.values())


def _entry(item: object, name: str) -> tuple[str, str, str] | None:
    if isinstance(item, pg.ScatterPlotItem):
        if not len(item.getData()[0]):
            return None
        symbol = item.opts.get("symbol", "o")
        brush = pg.mkBrush(item.opts.get("brush"))
        if symbol in OUTLINE_ONLY or brush.style() == Qt.BrushStyle.NoBrush:
            colour = pg.mkPen(item.opts.get("pen")).color()
            glyph = "○" if symbol == "o" else GLYPHS.get(symbol, "●")
        else:
            colour, glyph = brush.color(), GLYPHS.get(symbol, "●")
        return glyph, colour.name(), name
    if isinstance(item, pg.PlotDataItem):
        pen = pg.mkPen(item.opts.get("pen"))
        dashed = pen.style() == Qt.PenStyle.DashLine
        return ("╍╍" if dashed else "▬"), pen.color().name(), name
    return None


def legend_html(entries: Iterable[tuple[str, str, str]]) -> str:
    return " &nbsp;&nbsp; ".join(
        f"<span style='color:{colour}; font-size:13pt'>{glyph}</span>&nbsp;"
        f"{html.escape(name)}" for glyph, colour, name in entries)


class LegendRow(QLabel):
    """What the plot's colours and symbols mean, on lines under the plot."""

    def __init__(self) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setObjectName("plotLegend")
        # white like the plot above it, so a saved picture reads as one figure
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("white"))
        self.setPalette(palette)
        self.setContentsMargins(8, 2, 8, 4)

    def show_for(self, plots: Iterable[pg.PlotWidget],
                 extra: Iterable[tuple[str, str, str]] = ()) -> None:
        """The named items of ``plots``, then ``extra`` (glyph, colour, words) entries."""
        entries = legend_entries(plots) + list(extra)
        self.setText(legend_html(entries))
        self.setVisible(bool(entries))
