"""One look for every plot: white background, dark text, Okabe-Ito colours (colour-blind
safe), train always orange and validation always blue, the best trial and the
one-standard-error choice marked the same way in every view."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

# Okabe & Ito (2008), "Color Universal Design".
ORANGE, SKY, GREEN, YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"
BLUE, VERMILLION, PURPLE, BLACK, GREY = "#0072B2", "#D55E00", "#CC79A7", "#000000", "#9A9A9A"

TRAIN = ORANGE
VALIDATION = BLUE
BEST = VERMILLION
ONE_SE = GREEN
SELECTED = BLACK
POINTS = GREY
UNDERFIT_SHADE = (230, 159, 0, 40)  # orange tint: high bias
OVERFIT_SHADE = (204, 121, 167, 45)  # purple tint: high variance
UNDERFIT_SWATCH, OVERFIT_SWATCH = "#f0cf80", "#e2b0cb"  # the tints, stronger, for the legend

BEST_SYMBOL, ONE_SE_SYMBOL = "star", "d"
FONT_PT = 10

_configured = False


def configure() -> None:
    """pyqtgraph's global options, once: white, dark, no antialiasing (large scatters)."""
    global _configured
    if _configured:
        return
    pg.setConfigOptions(background="w", foreground="#202020", antialias=False,
                        leftButtonPan=True)
    _configured = True


def pen(color: str, width: float = 2, dashed: bool = False) -> Any:
    from PySide6.QtCore import Qt

    p = pg.mkPen(QColor(color), width=width)
    if dashed:
        p.setStyle(Qt.PenStyle.DashLine)
    return p


def brush(color: str | tuple[int, ...], alpha: int | None = None) -> Any:
    if isinstance(color, tuple):
        return pg.mkBrush(*color)
    c = QColor(color)
    if alpha is not None:
        c.setAlpha(alpha)
    return pg.mkBrush(c)


def make_plot(title: str, x_label: str, y_label: str, legend: bool = False) -> pg.PlotWidget:
    """A plot with readable axis titles that are shown whole. Its legend goes under it
    (``legend.LegendRow``): one in a corner covered points; ``legend=True`` still puts
    one there."""
    from .axes import TitledAxis

    configure()
    widget = pg.PlotWidget(axisItems={"left": TitledAxis("left"),
                                      "bottom": TitledAxis("bottom")})
    item = widget.getPlotItem()
    item.setTitle(f"<span style='font-size:11pt'>{title}</span>")
    font = QFont()
    font.setPointSize(FONT_PT)
    for side, label in (("bottom", x_label), ("left", y_label)):
        axis = item.getAxis(side)
        axis.setLabel(f"<span style='font-size:{FONT_PT}pt'>{label}</span>")
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # "accuracy (x0.001)" confuses more than it helps
        axis.setTextPen(pg.mkPen("#202020"))
    item.showGrid(x=True, y=True, alpha=0.15)
    if legend:
        item.addLegend(offset=(-10, -10), labelTextSize=f"{FONT_PT}pt",
                       brush=pg.mkBrush(255, 255, 255, 220), pen=pg.mkPen("#c0c0c0"))
    widget.setMinimumSize(280, 200)
    return widget


def category_ticks(widget: pg.PlotWidget, labels: list[str], axis: str = "bottom") -> None:
    widget.getPlotItem().getAxis(axis).setTicks([[(i, text) for i, text in enumerate(labels)]])


def decade_ticks(widget: pg.PlotWidget, log_x: Any, axis: str = "bottom") -> None:
    """Ticks at powers of ten for data already drawn as log10(x): labels show x itself."""
    import math

    import numpy as np

    values = np.asarray(log_x, dtype=float)
    values = values[np.isfinite(values)]
    if not len(values):
        return
    low, high = math.floor(values.min()), math.ceil(values.max())
    major = [(float(k), f"{10.0 ** k:g}") for k in range(low, high + 1)]
    widget.getPlotItem().getAxis(axis).setTicks([major, []])
