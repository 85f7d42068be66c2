"""Parameters versus hyperparameters: what the user set beside what the model learned,
and for linear models the regularization path (coefficients and validation score
against the regularization strength; coefficients set to exactly zero are drawn on the
zero line so the L1 model's dropped inputs are visible). A tree model has no path: its
feature importances are drawn instead; a model with neither gets a sentence saying why,
never an empty plot."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QWidget,
)

from ...core.diagnostics.verdict import shown
from ...core.format import number
from . import style
from .base import StudyView

# The coefficients' colours, never the training and validation colours: the two plots
# share one legend row, where an orange coefficient read as the training score.
_PALETTE = [style.GREEN, style.VERMILLION, style.PURPLE, style.SKY, "#8C6D1F", style.BLACK,
            "#6E6E6E", "#A08C00"]


class InspectorView(StudyView):
    marks = False
    title = "Model inspector"
    explanation = ("Left: what you set (hyperparameters) and what the model learned from the "
                   "data (its parameters), for the selected trial refit on all rows.")
    inspect_requested = Signal()
    path_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inspect_button = QPushButton("Inspect the selected trial")
        self.inspect_button.setToolTip("Refit the trial on all rows (off the window's thread) "
                                       "and list what it learned.")
        self.inspect_button.clicked.connect(self.inspect_requested.emit)
        self.path_button = QPushButton("Compute regularization path")
        self.path_button.clicked.connect(self.path_requested.emit)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setMaximumWidth(160)
        self.controls.addWidget(self.inspect_button)
        self.controls.addWidget(self.path_button)
        self.controls.addWidget(self.progress)
        self.controls.addStretch(1)
        self.facts_label = QLabel("Select a trial and press “Inspect the selected trial”.")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextFormat(pg.QtCore.Qt.TextFormat.RichText)
        self.facts_label.setAlignment(pg.QtCore.Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.facts_label)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # beside the facts: the coefficients along the strength, and under them the
        # validation score along it (the same x axis)
        self.score_plot = style.make_plot("", "", "")
        self.score_plot.setXLink(self.plot)
        plots = QSplitter(pg.QtCore.Qt.Orientation.Vertical)
        split = QSplitter(pg.QtCore.Qt.Orientation.Horizontal)
        split.setObjectName("inspector_splitter")
        self.figure.layout().replaceWidget(self.plot, split)
        plots.addWidget(self.plot)
        plots.addWidget(self.score_plot)
        self.nothing_label = QLabel()  # in place of an empty plot
        self.nothing_label.setObjectName("hint")
        self.nothing_label.setWordWrap(True)
        self.nothing_label.setAlignment(pg.QtCore.Qt.AlignmentFlag.AlignCenter)
        self.nothing_label.setMargin(24)
        plots.addWidget(self.nothing_label)
        plots.setSizes([360, 200])
        split.addWidget(scroll)
        split.addWidget(plots)
        split.setSizes([420, 520])
        self.figure.layout().setStretchFactor(split, 1)
        # trial -> (what was set, what was learned, FeatureImportances or None)
        self.facts: dict[int, tuple[list[Any], list[Any], Any]] = {}
        self.paths: dict[int, tuple[Any, Any]] = {}  # trial -> (RegularizationPath, Curve)

    def trial(self) -> int | None:
        if self.data is None:
            return None
        return self.selected if self.selected is not None else self.data.choice.best

    def set_selected(self, number_: int | None) -> None:
        super().set_selected(number_)
        if self.data is not None:
            self.set_data(self.data)

    def legend_plots(self) -> list[pg.PlotWidget]:
        return [self.plot, self.score_plot]

    def add_facts(self, trial: int, hyper: list[Any], facts: list[Any],
                  importances: Any = None) -> None:
        self.facts[trial] = (hyper, facts, importances)

    def add_path(self, trial: int, path: Any, validation: Any) -> None:
        self.paths[trial] = (path, validation)

    def draw(self) -> None:
        from ...core.diagnostics.regularization import is_linear

        trial = self.trial()
        linear = is_linear(self.data.spec.model)
        self.path_button.setVisible(linear is not None)
        self.path_button.setText(f"Regularization path of trial {trial} ({linear})"
                                 if linear else "")
        self.inspect_button.setText(f"Inspect trial {trial}")
        self.facts_label.setText(self._facts_html(trial))
        self.score_plot.getPlotItem().clear()
        if not linear:
            self._draw_without_path(trial)
            return
        path, validation = self.paths.get(trial, (None, None))
        if path is None:
            self.nothing_label.setText(
                f"Press “{self.path_button.text()}” to draw how each of the model's weights "
                "changes with the regularization strength, and the validation score with it.")
            self._show_plot(None)
            return
        self._show_plot("Regularization path")
        self.score_plot.setVisible(True)
        self._draw_path(path, validation)

    def _facts_html(self, trial: int | None) -> str:
        if trial not in self.facts:
            return (f"<p>Trial {trial}: press “Inspect trial {trial}” to refit it on all rows "
                    "and see what it learned.</p>")
        hyper, facts, _ = self.facts[trial]
        rows_set = "".join(
            f"<tr><td>{html.escape(label)}</td><td><code>{html.escape(name)}</code></td>"
            f"<td><b>{html.escape(_text(value))}</b></td></tr>" for label, name, value in hyper)
        rows_learned = "".join(
            f"<tr><td>{html.escape(f.label)}</td><td><b>{html.escape(f.value)}</b></td>"
            f"<td style='color:#555'>{html.escape(f.explanation)}</td></tr>" for f in facts)
        return (
            f"<p><b>Trial {trial}: what you set (hyperparameters)</b></p>"
            f"<table cellpadding='2'>{rows_set}</table>"
            "<p><b>What the model learned from the data (parameters)</b></p>"
            f"<table cellpadding='2'>{rows_learned}</table>"
        )

    def _show_plot(self, title: str | None) -> None:
        """The plot under this title, or (None) the sentence in its place."""
        self.plot.setVisible(title is not None)
        self.nothing_label.setVisible(title is None)
        self.score_plot.setVisible(False)
        self.export_button.setEnabled(title is not None)  # no picture to save
        if title is not None:
            self.plot.getPlotItem().setTitle(f"<span style='font-size:11pt'>{title}</span>")

    def _draw_without_path(self, trial: int | None) -> None:
        """A tree model's feature importances, or a sentence saying why nothing is drawn."""
        from ...core.diagnostics.model_picture import no_picture_reason

        importances = self.facts.get(trial, (None, None, None))[2]
        if not importances:
            self.nothing_label.setText(no_picture_reason(self.data.spec.model, trial))
            self._show_plot(None)
            return
        self._show_plot("Feature importances")
        draw_importances(self.plot, importances)
        self.set_axis_labels("share of the model's splitting gain", "")
        shown_count = len(importances.names)
        self.note.setText(
            "How much each input column helps the fitted model's splits (impurity-based: "
            "columns with many distinct values can look more important than they are)."
            + (f" The {shown_count} largest of {importances.total_columns} columns."
               if shown_count < importances.total_columns else ""))

    def _draw_path(self, path: Any, validation: Any) -> None:
        values = np.asarray(path.values, dtype=float)
        x = np.log10(values)
        coefs = np.asarray([[np.nan if c is None else c for c in row]
                            for row in path.coefficients], dtype=float)
        if coefs.size:
            strongest = np.argsort(-np.nanmax(np.abs(coefs), axis=0))[:len(_PALETTE)]
            for k, j in enumerate(strongest):
                self.plot.addItem(pg.PlotDataItem(
                    x, coefs[:, j], pen=style.pen(_PALETTE[k], 2), symbol="o", symbolSize=5,
                    symbolBrush=style.brush(_PALETTE[k]), symbolPen=None,
                    name=path.feature_names[j]))
            zeros = np.argwhere(coefs == 0)
            if len(zeros):
                self.plot.addItem(pg.ScatterPlotItem(
                    x[zeros[:, 0]], np.zeros(len(zeros)), symbol="x", size=9,
                    pen=style.pen(style.BLACK, 1.5), name="coefficient exactly zero"))
        style.decade_ticks(self.plot, x)
        label = path.param + (" (larger = stronger regularization)" if path.param == "alpha"
                              else " (smaller = stronger regularization)")
        ylabel = "coefficient" if path.signed else "coefficient size (over the classes)"
        self.set_axis_labels(f"{label}, log scale", ylabel)
        self.note.setText(path_summary(path, validation, self.data.metric,
                                       self.data.spec.scoring))
        if validation is not None:
            from .curves import draw_band

            vx = np.log10(np.asarray(validation.x, dtype=float))
            draw_band(self.score_plot, vx, self.data.y(validation.train_mean),
                      validation.train_std, style.TRAIN, f"training {self.data.metric}")
            draw_band(self.score_plot, vx, self.data.y(validation.test_mean),
                      validation.test_std, style.VALIDATION, f"validation {self.data.metric}")
            style.decade_ticks(self.score_plot, vx)
            self.score_plot.getPlotItem().getAxis("left").setLabel(self.data.metric)


def draw_importances(plot: pg.PlotWidget, importances: Any) -> None:
    """Horizontal bars, the largest on top, each with its column name and share."""
    values = list(reversed(importances.values))
    names = list(reversed(importances.names))
    y = np.arange(len(values), dtype=float) - 0.1
    plot.addItem(pg.BarGraphItem(x0=np.zeros(len(values)), y=y, height=0.45,
                                 width=np.asarray(values), brush=style.brush(style.BLUE, 200),
                                 pen=None))
    top = max(max(values, default=0.0), 1e-9)
    for i, (name, value) in enumerate(zip(names, values, strict=True)):
        text = pg.TextItem(f"{name}   {value:.3f}", color="#202020", anchor=(0, 1.0))
        text.setPos(0.01 * top, i + 0.3)
        plot.addItem(text)
    item = plot.getPlotItem()
    item.getAxis("left").setTicks([[]])
    item.setXRange(0, top * 1.05, padding=0.02)
    item.setYRange(-0.5, len(values) - 0.1, padding=0)


def path_summary(path: Any, validation: Any, metric: str, scoring: str) -> str:
    """Where the validation score peaks along the path, and how many inputs are dropped."""
    parts = []
    scored = [(s, v) for v, s in zip(validation.x, validation.test_mean, strict=True)
              if s is not None] if validation is not None else []
    if scored:
        score, value = max(scored, key=lambda item: item[0])
        parts.append(f"Validation {metric} is best ({shown(scoring, score)}) at {path.param} = "
                     f"{number(value)}.")
    zeros = [(v, z) for v, z in zip(path.values, path.zero_counts, strict=True)
             if z is not None]
    total = len(path.feature_names)
    if zeros and any(z for _, z in zeros):
        parts.append("Inputs dropped (coefficient exactly zero, marked ×): " + ", ".join(
            f"{z} of {total} at {number(v)}" for v, z in zeros if z) + ".")
    elif zeros:
        parts.append(f"No input is dropped at any strength (all {total} coefficients "
                     "non-zero): this penalty shrinks weights without removing inputs.")
    return " ".join(parts)


def _text(value: Any) -> str:
    return number(value) if isinstance(value, float) else str(value)
