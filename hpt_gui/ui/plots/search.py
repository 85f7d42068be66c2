"""How the search went: optimization history, score against each hyperparameter,
parallel coordinates and hyperparameter importance."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from ...core.diagnostics.scores import history, parallel_axes, param_scatter
from . import style
from .base import ParamView, StudyView


class HistoryView(StudyView):
    title = "Optimization history"
    explanation = ("Every completed trial's validation score (dots) and the best so far "
                   "(line), by trial number or by time since the search started.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axis_choice = QComboBox()
        self.axis_choice.addItem("by trial number", "number")
        self.axis_choice.addItem("by time", "time")
        self.axis_choice.currentIndexChanged.connect(lambda _: self.set_data(self.data))
        self.controls.addWidget(QLabel("Show:"))
        self.controls.addWidget(self.axis_choice)
        self.controls.addStretch(1)

    def draw(self) -> None:
        data = self.data
        h = history(data.frame)
        self.series = h
        by_time = self.axis_choice.currentData() == "time"
        x = h.seconds if by_time else h.numbers.astype(float)
        order = np.argsort(x, kind="stable")
        self.clickable(h.numbers, x, data.y(h.scores), color=style.VALIDATION, size=5,
                       name=f"validation {data.metric}")
        best = data.y(np.maximum.accumulate(h.scores[order]) if len(order) else h.scores)
        step_x, step_y = steps(x[order], best)
        self.plot.addItem(pg.PlotDataItem(step_x, step_y, pen=style.pen(style.BEST, 2),
                                          name="best so far"))
        self.set_axis_labels("seconds since the start" if by_time else "trial number",
                             f"mean validation {data.metric} ({data.better})")


def steps(x: np.ndarray, best: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The best-so-far staircase through (x, best), with a corner only where the best
    changes: the same line as one corner per trial (a flat run is one segment), drawn
    from a few dozen points instead of 200,000."""
    if len(x) > 2:
        changed = np.flatnonzero(best[1:] != best[:-1]) + 1
        keep = np.concatenate(([0], changed[changed < len(x) - 1], [len(x) - 1]))
        x, best = x[keep], best[keep]
    return np.repeat(x, 2)[1:], np.repeat(best, 2)[:-1]


class ParamScatterView(ParamView):
    title = "Score against a hyperparameter"
    explanation = "One dot per trial: its mean validation score at the value it tried."

    def draw(self) -> None:
        data = self.data
        name = self.param.currentData()
        if not name:
            return
        s = param_scatter(data.frame, name, data.spec.space)
        self.series = s
        x = np.log10(s.x) if s.log and len(s.x) and np.nanmin(s.x) > 0 else s.x
        if s.categories:
            x = x + np.random.default_rng(0).uniform(-0.15, 0.15, len(x))
        self.clickable(s.numbers, x, data.y(s.scores), color=style.VALIDATION, size=6,
                       name=f"validation {data.metric}")
        if s.categories:
            style.category_ticks(self.plot, list(s.categories))
        elif s.log:
            style.decade_ticks(self.plot, x)
        self.set_axis_labels(data.label(name) + (" (log scale)" if s.log else ""),
                             f"mean validation {data.metric} ({data.better})")


class ParallelView(StudyView):
    title = "Parallel coordinates"
    explanation = ("Each line is a trial crossing one axis per hyperparameter (scaled from "
                   "its lowest to its highest value tried); darker blue lines score higher. "
                   "The best 2,000 trials are shown.")

    def draw(self) -> None:
        data = self.data
        names = data.searched()
        axes = parallel_axes(data.frame, names, data.spec.space)
        self.series = axes
        if not len(axes.numbers) or not names:
            return
        k = len(names)
        scores = axes.scores
        low, high = float(np.nanmin(scores)), float(np.nanmax(scores))
        levels = np.zeros(len(scores)) if high == low else (scores - low) / (high - low)
        shades = 5
        bucket = np.minimum((levels * shades).astype(int), shades - 1)
        xs = np.arange(k, dtype=float)
        for b in range(shades):  # one batched line item per shade: quick for many trials
            rows = np.flatnonzero(bucket == b)
            if not len(rows):
                continue
            y = axes.lines[rows]
            x = np.tile(xs, (len(rows), 1))
            connect = np.ones_like(y, dtype=bool)
            connect[:, -1] = False
            ok = np.isfinite(y)
            connect &= ok & np.roll(ok, -1, axis=1)
            color = _over_white(style.BLUE if b == shades - 1 else style.SKY,
                                (40 + 50 * b) / 255)
            lines = pg.PlotCurveItem(x.ravel(), np.nan_to_num(y).ravel(),
                                     connect=connect.ravel(), pen=pg.mkPen(color, width=1))
            # Opaque shades drawn as separate segments: Qt strokes a path of 2,000
            # translucent polylines at about twice the cost (the first draw at 100,000
            # trials took 310 ms, now 170).
            lines.setSegmentedLineMode("on")
            self.plot.addItem(lines)
        for i in range(k):
            self.plot.addItem(pg.InfiniteLine(pos=i, angle=90, pen=style.pen("#505050", 1)))
            for pos, text in axes.ticks[i]:
                self.plot.addItem(_axis_label(text, i, pos))
        for number_, color in ((self.data.choice.one_se, style.ONE_SE),
                               (self.data.choice.best, style.BEST)):
            hits = np.flatnonzero(axes.numbers == number_)
            if len(hits):
                y = axes.lines[hits[0]]
                ok = np.isfinite(y)
                line = pg.PlotDataItem(xs[ok], y[ok], pen=style.pen(color, 3))
                line.setZValue(_ABOVE_LABELS)  # a value label never hides the chosen trials
                self.plot.addItem(line)
        self.plot.getPlotItem().setXRange(-0.25, k - 1 + 0.6, padding=0)
        self.plot.getPlotItem().setYRange(-0.14, 1.14, padding=0)
        # the marks sit at each trial's value on every axis
        for j in range(k):
            self.remember(axes.numbers, np.full(len(axes.numbers), float(j)), axes.lines[:, j])
        style.category_ticks(self.plot, names)
        self.plot.getPlotItem().getAxis("left").setTicks([[(0.0, "lowest"), (1.0, "highest")]])
        self.set_axis_labels("hyperparameter", "value tried (scaled)")


_ABOVE_LABELS = 20.0


def _over_white(color: str, alpha: float) -> QColor:
    """``color`` at ``alpha`` as it looks on the plot's white background, opaque."""
    shade = QColor(color)
    return QColor.fromRgbF(*(1 - (1 - part) * alpha
                             for part in (shade.redF(), shade.greenF(), shade.blueF())))


def _axis_label(text: str, axis: int, pos: float) -> pg.TextItem:
    """The lowest and highest values sit beyond the axis ends, where no line runs; a
    category in between sits beside its point on a light card, under the chosen trials."""
    if pos <= 0.0:
        label = pg.TextItem(text, color="#202020", anchor=(0.5, 0))
        label.setPos(axis, -0.02)
    elif pos >= 1.0:
        label = pg.TextItem(text, color="#202020", anchor=(0.5, 1))
        label.setPos(axis, 1.02)
    else:
        label = pg.TextItem(text, color="#202020", anchor=(0, 0.5),
                            fill=pg.mkBrush(255, 255, 255, 200))
        label.setPos(axis + 0.03, pos)
    label.setZValue(_ABOVE_LABELS - 5)
    return label


class ImportanceView(StudyView):
    marks = False
    title = "Hyperparameter importance"
    explanation = ("How much of the variation in validation score each hyperparameter "
                   "explains (fANOVA, from Optuna); the blue shares add up to 1. A setting "
                   "that applies only to some trials (grey) is judged within those trials "
                   "alone, so its share is not comparable with the others.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.importance: Any = None

    def set_importance(self, importance: Any) -> None:
        self.importance = importance
        self.set_data(self.data)

    def draw(self) -> None:
        imp = self.importance
        if imp is None:
            self.note.setText("Working out the importance…")
            return
        if not imp.names and not imp.within:
            self.note.setText(imp.note)
            return
        self.note.setText(self.explanation)
        # top to bottom: the shared settings, then the conditional ones
        bars = [(self.data.label(n), v, style.BLUE) for n, v in zip(imp.names, imp.values,
                                                                      strict=True)]
        bars += [(f"{self.data.label(n)} (where {where})", v, style.GREY)
                 for n, v, where in imp.within]
        bars.reverse()
        y = np.arange(len(bars), dtype=float) - 0.1
        for colour in (style.BLUE, style.GREY):
            rows = [i for i, bar in enumerate(bars) if bar[2] == colour]
            if rows:
                self.plot.addItem(pg.BarGraphItem(
                    x0=np.zeros(len(rows)), y=y[rows], height=0.45,
                    width=np.asarray([bars[i][1] for i in rows]),
                    brush=style.brush(colour, 200), pen=None))
        for i, (label, value, _) in enumerate(bars):
            text = pg.TextItem(f"{label}   {value:.2f}", color="#202020", anchor=(0, 1.0))
            text.setPos(0.01, i + 0.3)
            self.plot.addItem(text)
        self.plot.getPlotItem().getAxis("left").setTicks([[]])
        self.plot.getPlotItem().setXRange(0, 1.0, padding=0.02)
        self.plot.getPlotItem().setYRange(-0.5, len(bars) - 0.1, padding=0)
        self.set_axis_labels("share of the score's variance", "")
