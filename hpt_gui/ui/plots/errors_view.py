"""How the chosen trial errs, from its out-of-fold predictions: a confusion matrix, ROC,
precision-recall and calibration curves and the decision threshold for a classifier;
predicted against actual, the residuals and their histogram for a regressor.

The predictions are fitted on the study's own folds in the worker processes on request
(one fit per fold) and kept in the project, so the view draws from what the panel hands
it (``add_predictions``); the series come from ``core/diagnostics/errors.py``.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QProgressBar, QPushButton, QWidget

from ...core.diagnostics import errors
from . import style
from .base import StudyView

CLASSIFICATION_KINDS = {"confusion": "Confusion matrix", "roc": "ROC curves",
                        "pr": "Precision-recall curves", "calibration": "Calibration",
                        "threshold": "Decision threshold",
                        "inputs": "What the inputs do"}
REGRESSION_KINDS = {"actual": "Predicted against actual", "residuals": "Residuals",
                    "histogram": "Residuals' histogram", "inputs": "What the inputs do"}
INPUTS_SHOWN = 15
CLASS_COLOURS = (style.BLUE, style.ORANGE, style.GREEN, style.PURPLE, style.VERMILLION,
                 style.SKY, style.YELLOW, style.BLACK)
ROWS_LISTED = 20


class ErrorsView(StudyView):
    marks = False
    title = "How it errs"
    explanation = ("Where the selected trial goes wrong, from its out-of-fold predictions: "
                   "each row predicted by the model fitted without it, on the study's own "
                   "folds.")
    compute_requested = Signal()
    kept_wanted = Signal(int)  # a trial whose kept predictions (if any) should be read

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.setToolTip("Which picture of the errors to show.")
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind.currentIndexChanged.connect(lambda _: self._redraw())
        self.compute = QPushButton("Compute predictions")
        self.compute.setToolTip("Fit the selected trial once per fold of the study (in the "
                                "worker processes) and keep its predictions in the project.")
        self.compute.clicked.connect(self.compute_requested.emit)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setMaximumWidth(160)
        self.cost_fp = QLineEdit("1")
        self.cost_fn = QLineEdit("1")
        for box, words in ((self.cost_fp, "false positive"), (self.cost_fn, "false negative")):
            box.setMaximumWidth(60)
            box.setToolTip(f"What one {words} costs you (any unit, zero or more).")
            box.editingFinished.connect(self._redraw)
        self.cost_label = QLabel("cost of a false positive / negative:")
        self.controls.addWidget(QLabel("Show:"))
        self.controls.addWidget(self.kind)
        self.controls.addWidget(self.cost_label)
        self.controls.addWidget(self.cost_fp)
        self.controls.addWidget(self.cost_fn)
        self.controls.addStretch(1)
        self.controls.addWidget(self.compute)
        self.controls.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout().insertWidget(2, self.status)
        self.computed: dict[int, Any] = {}  # trial -> core.predictions.Predictions
        self.asked: set[int] = set()  # trials whose kept predictions were looked for
        self._task = ""
        self._cells: errors.Confusion | None = None
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self._show_cost_boxes(False)

    # -- what the panel tells it --------------------------------------------------------

    def add_predictions(self, predictions: Any) -> None:
        self.computed[predictions.trial] = predictions
        self._redraw()

    def trial(self) -> int | None:
        if self.data is None:
            return None
        return self.selected if self.selected is not None else self.data.choice.best

    def set_selected(self, number_: int | None) -> None:
        changed = number_ != self.selected
        super().set_selected(number_)
        if changed and self.data is not None:
            self._redraw()

    def _redraw(self) -> None:
        if self.data is not None:
            self.set_data(self.data)

    # -- drawing -------------------------------------------------------------------------

    def draw(self) -> None:
        data = self.data
        self._set_kinds(data.spec.task)
        trial = self.trial()
        self.compute.setText(f"Compute predictions of trial {trial}")
        self._cells = None
        self.plot.getPlotItem().enableAutoRange()  # the confusion matrix fixed its own
        predictions = self.computed.get(trial)
        kind = self.kind.currentData()
        self._show_cost_boxes(kind == "threshold")
        if predictions is None:
            self.status.setText(f"Trial {trial}: its predictions are not computed yet "
                                "(one fit per fold, in the worker processes).")
            if trial is not None and trial not in self.asked:
                self.asked.add(trial)  # once per trial: kept ones come without a fit
                self.kept_wanted.emit(trial)
            return
        self.status.setText(html.escape(predictions.note))
        try:
            if kind == "inputs":
                self._draw_inputs(predictions)
            elif predictions.task == "regression":
                self._draw_regression(predictions, kind)
            else:
                self._draw_classification(predictions, kind)
        except errors.ErrorViewError as exc:
            self.status.setText(html.escape(str(exc)))

    def _set_kinds(self, task: str) -> None:
        if task == self._task:
            return
        self._task = task
        kinds = REGRESSION_KINDS if task == "regression" else CLASSIFICATION_KINDS
        self.kind.blockSignals(True)
        self.kind.clear()
        for key, words in kinds.items():
            self.kind.addItem(words, key)
        self.kind.blockSignals(False)

    def _show_cost_boxes(self, shown: bool) -> None:
        for widget in (self.cost_label, self.cost_fp, self.cost_fn):
            widget.setVisible(shown)

    def _draw_classification(self, p: Any, kind: str) -> None:
        labels = list(range(len(p.classes)))
        names = [str(c) for c in p.classes]
        kept = p.fold >= 0
        actual, predicted = np.asarray(p.actual)[kept], np.asarray(p.predicted)[kept]
        scores = None if p.scores is None else np.asarray(p.scores)[kept]
        if kind == "confusion":
            self._draw_confusion(errors.confusion(actual, predicted, labels), names)
            self.status.setText(self.status.text() + " Each true class's shares add up to "
                                "100 %. Click a cell to list its rows."
                                + _per_class_table(errors.per_class(actual, predicted,
                                                                    labels), names))
            return
        if kind in ("roc", "pr"):
            curves = (errors.roc_curves if kind == "roc" else errors.pr_curves)(
                actual, scores, labels)
            area = "AUC" if kind == "roc" else "average precision"
            for i, curve in enumerate(curves):
                colour = CLASS_COLOURS[i % len(CLASS_COLOURS)]
                self.plot.addItem(pg.PlotDataItem(
                    curve.x, curve.y, pen=style.pen(colour, 2),
                    name=f"{names[curve.label]} ({area} {curve.area:.3f})"))
            self._unit_square()
            if kind == "roc":
                self.plot.addItem(pg.PlotDataItem([0, 1], [0, 1], pen=style.pen(
                    style.GREY, 1, dashed=True), name="chance"))
                self.set_axis_labels("false-positive rate", "true-positive rate")
            else:
                self.set_axis_labels("recall", "precision")
            if len(labels) > 2:
                self.status.setText(self.status.text() + " Each class against the rest.")
            return
        if kind == "calibration":
            if p.score_kind == "decision":
                raise errors.ErrorViewError(
                    "This model gives decision scores, not probabilities, so its "
                    "calibration cannot be drawn; its ROC curve reads the scores.")
            c = errors.calibration(actual, scores, labels)
            for i, (label, predicted_p, observed) in enumerate(c.curves):
                colour = CLASS_COLOURS[i % len(CLASS_COLOURS)]
                self.plot.addItem(pg.PlotDataItem(predicted_p, observed, pen=style.pen(colour, 2),
                                                  symbol="o", symbolSize=6,
                                                  symbolBrush=style.brush(colour),
                                                  name=names[label]))
            self.plot.addItem(pg.PlotDataItem([0, 1], [0, 1], pen=style.pen(
                style.GREY, 1, dashed=True), name="perfectly calibrated"))
            self.set_axis_labels("mean predicted probability", "observed share")
            self._unit_square()
            self.status.setText(self.status.text() +
                                f" Brier score {c.brier:.4f} (0 is perfect; lower is better).")
            return
        if kind == "threshold":
            self._draw_threshold(actual, scores, labels, names, p.score_kind)

    def _unit_square(self) -> None:
        """Rates, shares and probabilities: from 0 to 1 on both axes."""
        item = self.plot.getPlotItem()
        item.setXRange(0, 1, padding=0.02)
        item.setYRange(0, 1, padding=0.03)

    def _draw_confusion(self, c: errors.Confusion, names: list[str]) -> None:
        k = len(names)
        image = pg.ImageItem(c.shares.T[:, ::-1])  # x = predicted, y = true (top first)
        image.setLookupTable(pg.ColorMap([0.0, 1.0], [(255, 255, 255), (0, 114, 178)])
                             .getLookupTable(nPts=256))
        image.setLevels([0, 1])
        image.setRect(-0.5, -0.5, k, k)
        self.plot.addItem(image)
        for true in range(k):
            for guessed in range(k):
                share = c.shares[true, guessed]
                text = pg.TextItem(f"{c.counts[true, guessed]:,}\n{share:.0%}",
                                   color="#ffffff" if share > 0.55 else "#202020",
                                   anchor=(0.5, 0.5))
                text.setPos(guessed, k - 1 - true)
                self.plot.addItem(text)
        item = self.plot.getPlotItem()
        item.getAxis("bottom").setTicks([list(enumerate(names))])
        item.getAxis("left").setTicks([[(k - 1 - i, name) for i, name in enumerate(names)]])
        item.setXRange(-0.5, k - 0.5, padding=0.02)
        item.setYRange(-0.5, k - 0.5, padding=0.02)
        self.set_axis_labels("predicted class", "true class")
        self._cells = c

    def _draw_threshold(self, actual: Any, scores: Any, labels: list[int], names: list[str],
                        score_kind: str | None) -> None:
        default = 0.5 if score_kind == "probability" else 0.0
        t = errors.threshold_costs(actual, scores, labels, self.cost_fp.text(),
                                   self.cost_fn.text(), default=default)
        finite = np.isfinite(t.thresholds)
        x = t.thresholds[finite]
        self.plot.addItem(pg.PlotDataItem(x, t.precision[finite], pen=style.pen(style.BLUE, 2),
                                          name="precision"))
        self.plot.addItem(pg.PlotDataItem(x, t.recall[finite], pen=style.pen(style.ORANGE, 2),
                                          name="recall"))
        top = float(np.max(t.cost)) or 1.0
        self.plot.addItem(pg.PlotDataItem(x, t.cost[finite] / top, pen=style.pen(
            style.VERMILLION, 2, dashed=True), name="cost per row (scaled to its highest)"))
        self.plot.addItem(pg.InfiniteLine(pos=t.best, angle=90, pen=style.pen(style.GREEN, 2)))
        self.plot.addItem(pg.InfiniteLine(pos=default, angle=90,
                                          pen=style.pen(style.GREY, 1, dashed=True)))
        if score_kind == "probability":
            self._unit_square()
        self.legend_extra = [("│", style.GREEN, "cheapest threshold"),
                             ("┆", style.GREY, "the model's own rule")]
        self.set_axis_labels(f"threshold on the score of '{names[t.positive]}'",
                             "precision, recall, cost")
        self.status.setText(self.status.text() + html.escape(
            f" Calling '{names[t.positive]}' from a score of {t.best:.3g} costs "
            f"{t.best_cost:.4g} per row on average, against {t.default_cost:.4g} at the "
            f"model's own rule ({default:g}); a false positive costs {t.cost_fp:g}, a false "
            f"negative {t.cost_fn:g}."))

    def _draw_regression(self, p: Any, kind: str) -> None:
        rows = np.arange(p.rows)
        r = errors.residuals(p.actual, p.predicted, rows)
        if kind == "actual":
            self.plot.addItem(pg.ScatterPlotItem(r.actual, r.predicted, size=5, pen=None,
                                                 brush=style.brush(style.BLUE, 120),
                                                 name="a data row"))
            low = float(min(r.actual.min(), r.predicted.min()))
            high = float(max(r.actual.max(), r.predicted.max()))
            self.plot.addItem(pg.PlotDataItem([low, high], [low, high], pen=style.pen(
                style.GREY, 1, dashed=True), name="predicted = actual"))
            self.set_axis_labels("actual value", "predicted value")
        elif kind == "residuals":
            self.plot.addItem(pg.ScatterPlotItem(r.predicted, r.residuals, size=5, pen=None,
                                                 brush=style.brush(style.BLUE, 120),
                                                 name="a data row"))
            self.plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=style.pen(style.GREY, 1,
                                                                             dashed=True)))
            self.set_axis_labels("predicted value", "residual (actual − predicted)")
        else:
            counts, edges = np.histogram(r.residuals, bins="auto")
            self.plot.addItem(pg.BarGraphItem(x0=edges[:-1], x1=edges[1:], height=counts,
                                              brush=style.brush(style.BLUE, 150),
                                              pen=style.pen("#ffffff", 1)))
            self.set_axis_labels("residual (actual − predicted)", "rows")
        worst = ", ".join(f"row {row} ({p.actual[row]:.4g} predicted {p.predicted[row]:.4g})"
                          for row in r.largest[:8])
        self.status.setText(self.status.text() + html.escape(
            f" RMSE {r.rmse:.4g}, MAE {r.mae:.4g} over {len(r.rows):,} rows. Largest "
            f"errors (rows 0-based in the file's order): {worst}."))

    def _draw_inputs(self, p: Any) -> None:
        """Permutation importance: how much the validation score falls when one input
        column's values are shuffled among the rows, per original column."""
        if p.importance is None or not len(p.importance_columns):
            raise errors.ErrorViewError(
                "How much each input matters was not measured with these predictions: "
                "press Compute predictions again.")
        samples = np.asarray(p.importance, dtype=float)
        means, spreads = samples.mean(axis=1), samples.std(axis=1)
        order = np.argsort(-means, kind="stable")[:INPUTS_SHOWN]
        places = np.arange(len(order))[::-1].astype(float)  # the largest on top
        self.plot.addItem(pg.BarGraphItem(x0=np.zeros(len(order)), width=means[order],
                                          y=places, height=0.6,
                                          brush=style.brush(style.BLUE, 170), pen=None))
        self.plot.addItem(pg.ErrorBarItem(x=means[order], y=places, left=spreads[order],
                                          right=spreads[order], beam=0.2,
                                          pen=style.pen(style.BLACK, 1)))
        names = [str(p.importance_columns[i]) for i in order]
        self.plot.getPlotItem().getAxis("left").setTicks([list(zip(places, names,
                                                                   strict=True))])
        change = "rise in" if self.data.sign < 0 else "fall in"
        self.set_axis_labels(f"{change} validation {self.data.metric} when the column is "
                             "shuffled", "")
        hidden = len(means) - len(order)
        self.status.setText(self.status.text() + html.escape(
            f" Each bar: the {change.split()[0]} of the score when that column's values are "
            "shuffled among the validation rows (mean over folds and shuffles, with one "
            "standard deviation); near zero, the model hardly uses it."
            + (f" The {hidden} least used columns are not shown." if hidden > 0 else "")))

    # -- a click on a cell lists its rows -------------------------------------------------

    def _on_scene_clicked(self, event: Any) -> None:
        c = self._cells
        p = self.computed.get(self.trial()) if self.data is not None else None
        if c is None or p is None:
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        k = len(c.labels)
        guessed, true = int(round(point.x())), k - 1 - int(round(point.y()))
        if not (0 <= guessed < k and 0 <= true < k):
            return
        self.list_cell(true, guessed)

    def list_cell(self, true: int, guessed: int) -> np.ndarray:
        """Say which data rows are in a cell of the confusion matrix; returns them."""
        p = self.computed[self.trial()]
        rows = np.flatnonzero((np.asarray(p.fold) >= 0) & (np.asarray(p.actual) == true)
                              & (np.asarray(p.predicted) == guessed))
        names = [str(c) for c in p.classes]
        shown = ", ".join(str(r) for r in rows[:ROWS_LISTED])
        more = f" and {len(rows) - ROWS_LISTED:,} more" if len(rows) > ROWS_LISTED else ""
        self.status.setText(html.escape(
            f"True '{names[true]}', predicted '{names[guessed]}': {len(rows):,} rows"
            + (f" (0-based, in the file's order): {shown}{more}." if len(rows) else ".")))
        return rows


def _per_class_table(scores: tuple[errors.ClassScores, ...], names: list[str]) -> str:
    cells = "".join(
        f"<tr><td>{html.escape(names[s.label])}</td><td align=right>{s.precision:.3f}</td>"
        f"<td align=right>{s.recall:.3f}</td><td align=right>{s.f1:.3f}</td>"
        f"<td align=right>{s.support:,}</td></tr>" for s in scores)
    return ("<table cellspacing=6><tr><th align=left>class</th><th>precision</th>"
            f"<th>recall</th><th>F1</th><th>rows</th></tr>{cells}</table>")
