"""Cross-validation score distributions: fold boxes of the top trials, a histogram of all
trials, and the scores for each value of one hyperparameter."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QSpinBox, QWidget

from ...core.diagnostics.scores import (
    FoldBox,
    box_summary,
    score_histogram,
    scores_by_value,
    top_fold_boxes,
)
from . import style
from .base import ParamView, StudyView


def draw_boxes(view: StudyView, positions: list[float], boxes: list[Any],
               color: str = style.VALIDATION, width: float = 0.6) -> None:
    """Boxes (quartiles), whiskers and the median, drawn as three batched items."""
    if not boxes:
        return
    x = np.asarray(positions, dtype=float)
    q1 = np.array([b.q1 for b in boxes])
    q3 = np.array([b.q3 for b in boxes])
    view.plot.addItem(pg.BarGraphItem(x=x, y0=q1, height=np.maximum(q3 - q1, 1e-12),
                                      width=width, brush=style.brush(color, 60),
                                      pen=style.pen(color, 1.5)))
    segments_x, segments_y = [], []
    for xi, b in zip(x, boxes, strict=True):
        segments_x += [xi, xi, xi, xi, xi - width / 2, xi + width / 2]
        segments_y += [b.low, b.q1, b.q3, b.high, b.median, b.median]
    view.plot.addItem(pg.PlotCurveItem(np.array(segments_x), np.array(segments_y),
                                       connect="pairs", pen=style.pen(color, 1.5)))


def oriented(box: FoldBox, sign: float) -> FoldBox:
    """The box as plotted: for an error metric (sign -1) the values are negated back to
    positive errors, so its quartiles and whiskers swap ends."""
    if sign > 0:
        return box
    return FoldBox(box.number, tuple(-v for v in box.folds), -box.mean, -box.q3, -box.median,
                   -box.q1, -box.high, -box.low)


BOX_WIDTH = 0.5
MARK_OFFSET = 0.45  # right of the box's edge, left of the next box


class FoldsView(StudyView):
    title = "Fold scores of the top trials"
    explanation = ("Each box holds one trial's validation scores on the folds (dots); the black "
                   "bar is their mean, and the marks beside a box sit at its mean. Boxes "
                   "that overlap mean the trials are not really different.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.top = QSpinBox()
        self.top.setRange(2, 50)
        self.top.setValue(10)
        self.top.valueChanged.connect(lambda _: self.set_data(self.data))
        self.controls.addWidget(QLabel("Trials shown:"))
        self.controls.addWidget(self.top)
        self.controls.addStretch(1)

    def draw(self) -> None:
        data = self.data
        include = [n for n in (data.choice.one_se, self.selected) if n is not None]
        self.boxes = [oriented(box, data.sign) for box in
                      top_fold_boxes(data.frame, self.top.value(), include=include)]
        positions = list(range(len(self.boxes)))
        draw_boxes(self, positions, self.boxes, width=BOX_WIDTH)
        xs, ys, numbers = [], [], []
        for x, box in zip(positions, self.boxes, strict=True):
            jitter = np.linspace(-0.15, 0.15, len(box.folds)) if len(box.folds) > 1 else [0.0]
            xs += list(x + np.asarray(jitter))
            ys += list(box.folds)
            numbers += [box.number] * len(box.folds)
        self.clickable(numbers, xs, ys, color=style.VALIDATION, size=6,
                       name=f"validation {data.metric} per fold")
        self._draw_means(positions)
        # the marks: at each trial's mean, just beside its box (on it they hid fold dots)
        self.remember([b.number for b in self.boxes], np.asarray(positions) + MARK_OFFSET,
                      [b.mean for b in self.boxes])
        style.category_ticks(self.plot, [f"#{b.number}" for b in self.boxes])
        self.set_axis_labels("trial (best first)", f"validation {data.metric} ({data.better})")

    def _draw_means(self, positions: list[float]) -> None:
        xs, ys = [], []
        for x, box in zip(positions, self.boxes, strict=True):
            xs += [x - BOX_WIDTH / 2, x + BOX_WIDTH / 2]
            ys += [box.mean, box.mean]
        self.plot.addItem(pg.PlotDataItem(np.asarray(xs), np.asarray(ys), connect="pairs",
                                          pen=style.pen(style.BLACK, 2.5),
                                          name="mean of the folds"))

    def points_of(self, number_: int) -> list[tuple[float, float]]:
        points = super().points_of(number_)
        return points[-1:]  # the mark sits at the mean, not on every fold

    def set_selected(self, number_: int | None) -> None:
        shown = {b.number for b in getattr(self, "boxes", [])}
        super().set_selected(number_)
        if self.data is not None and number_ is not None and number_ not in shown \
                and self.data.frame.index_of(number_) is not None:
            self.set_data(self.data)  # add the selected trial's box beside the top ones


class HistogramView(StudyView):
    title = "Scores of all trials"
    explanation = ("How the mean validation scores of all completed trials are spread; the "
                   "best and the one-standard-error choice are marked on top.")

    def draw(self) -> None:
        data = self.data
        self.histogram = score_histogram(data.frame)
        if not self.histogram.counts:
            return
        edges = np.asarray(self.histogram.edges) * data.sign
        counts = np.asarray(self.histogram.counts)
        if data.sign < 0:  # errors: the bins run the other way
            edges, counts = edges[::-1], counts[::-1]
        self.plot.addItem(pg.BarGraphItem(x0=edges[:-1], x1=edges[1:], height=counts,
                                          brush=style.brush(style.VALIDATION, 120),
                                          pen=style.pen("#ffffff", 1)))
        frame = data.frame
        rows = np.flatnonzero(frame.scored)
        values = data.y(frame.mean_test[rows])
        which = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(counts) - 1)
        self.remember(frame.numbers[rows], values, counts[which] + 0.5)
        # counts are whole: ticks on whole numbers, never "2.5 trials"
        step = max(1, math.ceil(int(counts.max()) / 8))
        self.plot.getPlotItem().getAxis("left").setTickSpacing(step, step)
        self.set_axis_labels(f"mean validation {data.metric} ({data.better})",
                             "number of trials")


class ByValueView(ParamView):
    title = "Scores by hyperparameter value"
    explanation = ("Every trial's mean validation score, grouped by the value (or range) of "
                   "the chosen hyperparameter: where the boxes sit high, that value works.")

    def draw(self) -> None:
        data = self.data
        name = self.param.currentData()
        if not name:
            return
        self.groups = scores_by_value(data.frame, name, data.spec.space)
        boxes = [box_summary(-1, data.y(g.scores)) for g in self.groups]
        positions = list(range(len(self.groups)))
        draw_boxes(self, positions, boxes)
        rng = np.random.default_rng(0)
        xs = [np.zeros(0)] + [x + rng.uniform(-0.2, 0.2, len(group.scores))
              for x, group in zip(positions, self.groups, strict=True)]
        ys = [np.zeros(0)] + [data.y(group.scores) for group in self.groups]
        numbers = [np.zeros(0, np.int64)] + [np.asarray(group.numbers, dtype=np.int64)
                                             for group in self.groups]
        self.clickable(np.concatenate(numbers), np.concatenate(xs), np.concatenate(ys),
                       size=5, name="one trial")
        style.category_ticks(self.plot, [g.label for g in self.groups])
        self.set_axis_labels(data.label(name), f"mean validation {data.metric} ({data.better})")
