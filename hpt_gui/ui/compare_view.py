"""Compare studies: the studies of a project side by side, with the conclusion on top.

The comparison itself (best and one-standard-error scores, fold scores, fit times,
verdicts, the corrected paired t-test against the best) is ``core.compare``; this page
reads the project, lets the user pick the studies, and shows the table and the folds.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.compare import Comparison, StudySummary, compare_studies, p_text
from ..core.diagnostics.verdict import metric_words, shown
from ..core.format import duration, number
from .plots import style

EMPTY = "Run two or more studies on the same data to compare them here."
# The study's model and search are a second line under its name, so the columns' room
# goes to the sentence that says how each study stands.
COLUMNS = ("Study", "Trials", "Best score ± std", "1-SE score", "Fit time", "Verdict", "p",
           "Versus the best")
_NUMBERS = tuple(COLUMNS.index(c) for c in ("Trials", "Best score ± std", "1-SE score",
                                            "Fit time", "p"))
_VERSUS = COLUMNS.index("Versus the best")
# How each study stands against the best, in the plot's colours and legend.
STANDINGS = {
    "best": (style.BEST, "the best study"),
    "close": (style.BLUE, "not distinguishable from the best"),
    "worse": (style.GREY, "significantly worse than the best"),
    "untested": (style.PURPLE, "not tested against the best"),
}


class CompareView(QWidget):
    """The comparison page: conclusion, study picker, table and fold plot."""

    study_opened = Signal(str)  # a study's row was double-clicked: show its results

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Path | None = None
        self._studies: list[tuple[Any, list[Any]]] = []  # (spec, trials), as read
        self._unchecked: set[str] = set()  # studies the user left out, kept over reloads
        self.comparison: Comparison | None = None
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.picker = QListWidget()
        self.picker.setToolTip("Tick the studies to compare.")
        self.picker.itemChanged.connect(self._on_picked)
        self.table = self._make_table()
        self.plot = style.make_plot("Validation scores of each study's best trial, fold by "
                                    "fold", "study", "")
        self.plot.getPlotItem().setMouseEnabled(x=False, y=True)
        self.note = QLabel("Each dot is one fold's validation score of the study's best trial; "
                           "a grey line joins the same fold across studies that share their "
                           "folds, and the black bar is the mean. Double-click a row to open "
                           "that study.")
        self.note.setWordWrap(True)
        self.note.setObjectName("plotNote")
        self.empty = QLabel(EMPTY)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("font-size: 13pt; color: #505050;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._make_body())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self._show()

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_VERSUS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 230)  # a long name wraps; the tooltip has it whole
        table.itemDoubleClicked.connect(self._on_double_clicked)
        # the sentences wrap: rows grow or shrink with the width of their column
        header.sectionResized.connect(lambda *_: table.resizeRowsToContents())
        return table

    def _make_body(self) -> QWidget:
        body = QWidget()
        picker_box = QWidget()
        picker_layout = QVBoxLayout(picker_box)
        picker_layout.setContentsMargins(0, 0, 0, 0)
        picker_layout.addWidget(QLabel("Studies compared:"))
        picker_layout.addWidget(self.picker, 1)
        plot_box = QWidget()
        plot_layout = QVBoxLayout(plot_box)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        plot_layout.addWidget(self.plot, 1)
        plot_layout.addWidget(self.note)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(picker_box)
        lower.addWidget(plot_box)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 4)
        lower.setSizes([220, 900])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([280, 420])
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(split, 1)
        return body

    # -- reading ------------------------------------------------------------------------

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        """The stretched sentence column changes width without a signal: rows follow."""
        super().resizeEvent(event)
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def set_project(self, path: Path | None) -> None:
        """Show the studies of this project (None: none)."""
        self._use_project(path)
        self.reload()

    def _use_project(self, path: Path | None) -> None:
        if path != self.project:  # the studies left out were another project's
            self._unchecked = set()
        self.project = path

    def reload(self) -> None:
        """Read every study of the project again (quick: the trials table, and the folds of
        each study's best trial only)."""
        from ..core.store import ProjectStore, StoreError

        self._studies = []
        message = ""
        if self.project is not None and self.project.exists():
            try:
                with ProjectStore(self.project) as store:
                    self._studies = [(row.spec, store.trials(row.name))
                                     for row in store.studies()]
            except StoreError as exc:
                message = str(exc)
        self._fill_picker()
        self._show(message)

    def set_studies(self, studies: Sequence[tuple[Any, Sequence[Any]]],
                    project: Path | None = None) -> None:
        """Compare these (spec, trials) pairs, already read (the window's results page holds
        them), of ``project``."""
        self._use_project(project)
        self._studies = [(spec, list(trials)) for spec, trials in studies]
        self._fill_picker()
        self._show()

    def _fill_picker(self) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for spec, _ in self._studies:
            item = QListWidgetItem(spec.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if spec.name in self._unchecked
                               else Qt.CheckState.Checked)
            item.setToolTip(f"{spec.model}, {spec.strategy}, {metric_words(spec.scoring)}")
            self.picker.addItem(item)
        self.picker.blockSignals(False)

    def _on_picked(self, item: QListWidgetItem) -> None:
        if item.checkState() == Qt.CheckState.Checked:
            self._unchecked.discard(item.text())
        else:
            self._unchecked.add(item.text())
        self._show()

    # -- showing ------------------------------------------------------------------------

    def _show(self, message: str = "") -> None:
        """Compare the ticked studies and fill the header, table and plot."""
        scored = [spec for spec, trials in self._studies
                  if any(t.mean_test_score is not None and t.state == "COMPLETE"
                         for t in trials)]
        if not scored:
            self.comparison = None
            self.empty.setText(f"{message}\n\n{EMPTY}" if message else EMPTY)
            self.stack.setCurrentIndex(0)
            return
        chosen = [(spec, trials) for spec, trials in self._studies
                  if spec.name not in self._unchecked]
        self.comparison = compare_studies(chosen) if chosen else None
        self.stack.setCurrentIndex(1)
        self._fill_header(message)
        self._fill_table()
        self._draw()

    def _fill_header(self, message: str) -> None:
        comparison = self.comparison
        if comparison is None:
            text = "Tick two or more studies below to compare them."
        else:
            text = comparison.conclusion
            if sum(s.best_mean is not None for s in comparison.studies) == 1:
                text += " Run another study on the same data to compare it with this one."
        parts = [f"<span style='font-size:12pt'>{html.escape(text)}</span>"]
        if message:
            parts.append(f"<br><span style='color:#b00020'>{html.escape(message)}</span>")
        self.header.setText("".join(parts))

    def _fill_table(self) -> None:
        studies = self.comparison.studies if self.comparison is not None else ()
        self.table.setRowCount(len(studies))
        for row, study in enumerate(studies):
            for column, (text, tip) in enumerate(_cells(study)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, study.name)
                if tip:
                    item.setToolTip(tip)
                if column in _NUMBERS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if study.name == self.comparison.best:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.table.clearSelection()
        self.table.setCurrentItem(None)  # no focus frame on a cell nobody chose

    def _draw(self) -> None:
        """The fold scores of each comparable study on one axis, paired folds joined."""
        item = self.plot.getPlotItem()
        item.clear()
        if item.legend is not None:
            item.legend.clear()
        comparison = self.comparison
        shown_studies = [s for s in (comparison.studies if comparison else ())
                         if s.best_mean is not None and s.scoring == comparison.scoring]
        if not shown_studies:
            item.legend.setVisible(False)
            return
        sign = -1.0 if comparison.scoring.startswith("neg_") else 1.0
        folds = max(len(s.fold_scores) for s in shown_studies)
        offsets = np.linspace(-0.12, 0.12, folds) if folds > 1 else np.zeros(1)
        scores = np.full((len(shown_studies), folds), np.nan)
        for i, study in enumerate(shown_studies):
            values = [np.nan if v is None else sign * v for v in study.fold_scores]
            scores[i, :len(values)] = values
        self._draw_pairs(shown_studies, scores, offsets)
        seen: set[str] = set()
        for i, study in enumerate(shown_studies):
            standing = _standing(study, comparison)
            color, label = STANDINGS[standing]
            dots = pg.ScatterPlotItem(x=i + offsets, y=scores[i], size=9, pen=None,
                                      brush=style.brush(color, 210),
                                      name=None if standing in seen else label)
            seen.add(standing)
            item.addItem(dots)
        xs = [x for i in range(len(shown_studies)) for x in (i - 0.22, i + 0.22)]
        ys = [sign * s.best_mean for s in shown_studies for _ in (0, 1)]
        item.addItem(pg.PlotCurveItem(np.array(xs), np.array(ys), connect="pairs",
                                      pen=style.pen(style.BLACK, 2.5),
                                      name="mean of the folds"))
        style.category_ticks(self.plot, [_tick(s.name) for s in shown_studies])
        item.setXRange(-0.6, len(shown_studies) - 0.4, padding=0)
        finite = scores[np.isfinite(scores)]
        if finite.size:  # room at the bottom for the legend, so it covers no fold
            low, high = float(finite.min()), float(finite.max())
            span = max(high - low, 1e-3 * max(abs(high), 1.0))
            item.setYRange(low - 0.5 * span, high + 0.08 * span, padding=0)
        better = "lower is better" if sign < 0 else "higher is better"
        axis = item.getAxis("left")
        axis.setLabel(f"<span style='font-size:{style.FONT_PT}pt'>validation "
                      f"{html.escape(metric_words(comparison.scoring))} per fold "
                      f"({better})</span>")
        item.legend.setVisible(True)

    def _draw_pairs(self, studies: list[StudySummary], scores: np.ndarray,
                    offsets: np.ndarray) -> None:
        """Thin grey lines through the same fold of the studies that share the best's
        folds (the pairs the t-test compares); other studies stay unjoined."""
        paired = [i for i, s in enumerate(studies)
                  if s.name == self.comparison.best or (s.versus and s.versus.test)]
        if len(paired) < 2:
            return
        xs, ys = [], []
        for fold, offset in enumerate(offsets):
            xs += [*(i + offset for i in paired), np.nan]
            ys += [*(scores[i, fold] for i in paired), np.nan]
        self.plot.getPlotItem().addItem(pg.PlotCurveItem(
            np.array(xs), np.array(ys), connect="finite",
            pen=style.pen("#b8b8b8", 1)))

    def _on_double_clicked(self, item: QTableWidgetItem) -> None:
        self.study_opened.emit(str(item.data(Qt.ItemDataRole.UserRole)))


def _standing(study: StudySummary, comparison: Comparison) -> str:
    if study.name == comparison.best:
        return "best"
    versus = study.versus
    if versus is None or versus.test is None or not versus.test.tested:
        return "untested"
    return "worse" if versus.significant else "close"


def _cells(study: StudySummary) -> list[tuple[str, str]]:
    """(text, tooltip) per column of a study's row."""
    scoring = study.scoring
    versus = study.versus
    test = versus.test if versus else None
    if study.best_mean is None:
        best = one_se = "n/a"
    else:
        best = f"{shown(scoring, study.best_mean)} ± {number(study.best_std)}"
        one_se = shown(scoring, study.one_se_mean)
    return [
        (f"{study.name}\n{study.model}, {study.strategy}",
         f"{study.name}: {study.model}, {study.strategy} search, {study.validation}"),
        (f"{study.trials:,}", "completed trials"),
        (best, f"{metric_words(scoring)} of trial {study.best_trial}, the best, over its "
               "folds" if study.best_trial is not None else ""),
        (one_se, f"trial {study.one_se_trial}: the simplest within one standard error of "
                 "the best" if study.one_se_trial is not None else ""),
        (duration(study.best_fit_time) or "n/a",
         f"the best trial's mean seconds per fit; {duration(study.total_fit_time) or '0 s'} "
         "of fitting for the whole study"),
        (study.verdict or "n/a", study.evidence),
        (p_text(test.p) if test is not None and test.tested else "", ""),
        (versus.sentence if versus else study.reason, ""),
    ]


def _tick(name: str, most: int = 28) -> str:
    return name if len(name) <= most else f"{name[:most - 1]}…"


__all__ = ["CompareView", "EMPTY"]
