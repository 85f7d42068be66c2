"""Underfit/overfit curves (train and validation against one hyperparameter) and the
learning curve (against the number of training rows), with one-standard-deviation bands.

The curve from the trials is drawn at once; a true validation curve (one setting varied,
the others held at the chosen trial's) and the learning curve are computed on request
in worker processes and drawn dashed on top.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from ...core.catalog import get_model
from ...core.diagnostics.capacity import curve_regions
from ...core.diagnostics.noise import noise_for
from ...core.diagnostics.scores import train_validation_by_param
from ...core.diagnostics.verdict import OVERFITTING, UNDERFITTING
from . import style
from .base import ParamView, StudyView


def draw_band(plot: pg.PlotWidget, x: Any, mean: Any, std: Any, color: str, name: str,
              dashed: bool = False) -> None:
    """A mean line with a shaded band of one standard deviation either side."""
    x = np.asarray(x, dtype=float)
    mean = np.asarray([np.nan if v is None else v for v in mean], dtype=float)
    std = np.asarray([0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else v
                      for v in std], dtype=float)
    ok = np.isfinite(x) & np.isfinite(mean)
    if not ok.any():
        return
    x, mean, std = x[ok], mean[ok], std[ok]
    upper = pg.PlotDataItem(x, mean + std, pen=pg.mkPen(None))
    lower = pg.PlotDataItem(x, mean - std, pen=pg.mkPen(None))
    plot.addItem(upper)
    plot.addItem(lower)
    plot.addItem(pg.FillBetweenItem(upper, lower, brush=style.brush(color, 45)))
    plot.addItem(pg.PlotDataItem(x, mean, pen=style.pen(color, 2.5, dashed=dashed),
                                      symbol="o" if not dashed else "t", symbolSize=6,
                                      symbolBrush=style.brush(color), symbolPen=None, name=name))


class FitCurveView(ParamView):
    title = "Underfitting and overfitting"
    explanation = ("Training (orange) and validation (blue) score against one "
                   "hyperparameter: each point is the best trial at that value; bands are one "
                   "standard deviation over the folds. Shaded: underfitting where more "
                   "capacity scored better beyond noise, overfitting where less did; the gap "
                   "alone decides nothing.")
    curve_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compute = QPushButton("Compute validation curve")
        self.compute.setToolTip("Vary only this hyperparameter around the selected trial "
                                "(the others held fixed), in the worker processes.")
        self.compute.clicked.connect(lambda: self.curve_requested.emit(self.param.currentData()))
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setMaximumWidth(160)
        self.controls.addWidget(self.compute)
        self.controls.addWidget(self.progress)
        self.computed: dict[tuple[int, str], Any] = {}  # (trial, param) -> Curve
        self.baseline: float | None = None

    def set_selected(self, number_: int | None) -> None:
        changed = number_ != self.selected
        super().set_selected(number_)
        if changed and self.data is not None and any(k[0] == number_ for k in self.computed):
            self._redraw()

    def add_curve(self, trial: int, curve: Any) -> None:
        self.computed[(trial, curve.param)] = curve
        index = self.param.findData(curve.param)
        if index >= 0 and index != self.param.currentIndex():
            self.param.blockSignals(True)
            self.param.setCurrentIndex(index)
            self.param.blockSignals(False)

    def _x(self, values: Any, categories: list[str] | None, log: bool) -> np.ndarray:
        if categories is not None:
            return np.array([categories.index(str(v)) if str(v) in categories else np.nan
                             for v in values], dtype=float)
        x = np.asarray(values, dtype=float)
        return np.log10(x) if log else x

    def draw(self) -> None:
        data = self.data
        name = self.param.currentData()
        if not name:
            return
        curve = train_validation_by_param(data.frame, name, data.spec.space)
        self.curve = curve
        log = curve.log and curve.numeric and all(float(v) > 0 for v in curve.x)
        trial = self.selected if self.selected is not None else data.choice.best
        computed = self.computed.get((trial, name))
        categories = None
        if not curve.numeric:  # the trials' values, then any only the computed curve has
            categories = [str(v) for v in curve.x]
            extra = [str(v) for v in computed.x] if computed is not None else []
            categories += [c for c in dict.fromkeys(extra) if c not in categories]
        x = self._x(curve.x, categories, log)
        self._shade_regions(x, curve)
        draw_band(self.plot, x, data.y(curve.train_mean), curve.train_std, style.TRAIN,
                  f"training {data.metric}")
        draw_band(self.plot, x, data.y(curve.test_mean), curve.test_std, style.VALIDATION,
                  f"validation {data.metric}")
        self.clickable(curve.numbers, x, data.y(curve.test_mean), color=style.VALIDATION,
                       size=9)
        self.remember(curve.numbers, x, data.y(curve.train_mean))
        if computed is not None:
            cx = self._x(computed.x, categories, log)
            draw_band(self.plot, cx, data.y(computed.train_mean), computed.train_std, style.TRAIN,
                      f"training, trial {trial} varied", dashed=True)
            draw_band(self.plot, cx, data.y(computed.test_mean), computed.test_std,
                      style.VALIDATION,
                      f"validation, trial {trial} varied", dashed=True)
        if categories is not None:
            style.category_ticks(self.plot, categories)
        elif log:
            style.decade_ticks(self.plot, x)
        self.set_axis_labels(data.label(name) + (" (log scale)" if log else ""),
                             f"{data.metric} ({data.better})")

    def _shade_regions(self, x: np.ndarray, curve: Any) -> None:
        data = self.data
        if len(x) < 1:
            return
        noise = noise_for(data.spec)
        known = {hp.name: hp for hp in get_model(data.spec.model).hyperparameters}
        self.regions = list(curve_regions(known.get(curve.param), curve.x, curve.test_mean,
                                          [noise.standard_error(s) for s in curve.test_std]))
        order = np.argsort(x)
        xs = x[order]
        mids = (xs[1:] + xs[:-1]) / 2 if len(xs) > 1 else np.array([])
        half = (xs[-1] - xs[0]) / max(len(xs) - 1, 1) / 2 if len(xs) > 1 else 0.5
        edges = np.concatenate([[xs[0] - half], mids, [xs[-1] + half]])
        labelled: set[str] = set()
        for k, i in enumerate(order):
            label = self.regions[i]
            if label not in (UNDERFITTING, OVERFITTING):
                continue
            shade = style.UNDERFIT_SHADE if label == UNDERFITTING else style.OVERFIT_SHADE
            region = pg.LinearRegionItem((edges[k], edges[k + 1]), movable=False,
                                         brush=pg.mkBrush(*shade), pen=pg.mkPen(None))
            region.setZValue(-10)
            self.plot.addItem(region)
            if label not in labelled:  # said in the legend row: words in the plot hid points
                labelled.add(label)
                self.legend_extra.append(
                    ("■", style.UNDERFIT_SWATCH, "shaded: underfitting (high bias)")
                    if label == UNDERFITTING else
                    ("■", style.OVERFIT_SWATCH, "shaded: overfitting (high variance)"))


class LearningCurveView(StudyView):
    marks = False
    title = "Learning curve"
    explanation = ("Training and validation score of the selected trial as it gets more "
                   "training rows; bands are one standard deviation over the folds. "
                   "Validation still rising: more data would help. Both flat and low: the "
                   "model needs more flexibility, not more rows.")
    curve_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compute = QPushButton("Compute learning curve")
        self.compute.setToolTip("Refit the selected trial on growing parts of each fold's "
                                "training rows, in the worker processes.")
        self.compute.clicked.connect(self.curve_requested.emit)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setMaximumWidth(160)
        self.status = QLabel("")
        self.controls.addWidget(self.compute)
        self.controls.addWidget(self.progress)
        self.controls.addWidget(self.status, 1)
        self.computed: dict[int, Any] = {}

    def add_curve(self, trial: int, curve: Any) -> None:
        self.computed[trial] = curve

    def set_selected(self, number_: int | None) -> None:
        super().set_selected(number_)
        if self.data is not None:
            self.set_data(self.data)

    def draw(self) -> None:
        data = self.data
        trial = self.selected if self.selected is not None else data.choice.best
        curve = self.computed.get(trial)
        self.compute.setText(f"Compute learning curve of trial {trial}")
        if curve is None:
            self.status.setText("Not computed yet for this trial.")
            self.set_axis_labels("training rows", data.metric)
            return
        self.status.setText(f"Trial {trial}.")
        draw_band(self.plot, curve.x, data.y(curve.train_mean), curve.train_std, style.TRAIN,
                  f"training {data.metric}")
        draw_band(self.plot, curve.x, data.y(curve.test_mean), curve.test_std, style.VALIDATION,
                  f"validation {data.metric}")
        self.set_axis_labels("training rows", f"{data.metric} ({data.better})")
