"""Compare studies: the studies of a project side by side, with the conclusion on top.

The comparison itself (best and one-standard-error scores, fold scores, fit times,
verdicts, and against the best: the mean difference, the corrected t-test and the chances
of the correlated Bayesian t-test) is ``core.compare``; this page reads the project, lets
the user pick the studies and the equivalence width, and shows the table and the folds.
Each study is summed up once (the slow part); picking studies or a width only compares.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.compare import (
    ROPE,
    Comparison,
    StudySummary,
    compare_summaries,
    p_text,
    percent,
    summarize,
)
from ..core.diagnostics.verdict import metric_words, shown
from ..core.format import duration, number
from .last_folder import ask_save_path
from .plots import style

EMPTY = "Run two or more studies on the same data to compare them here."
# The study's model and search are a second line under its name, so the columns' room
# goes to the sentence that says how each study stands.
COLUMNS = ("Study", "Trials", "Best score (± std)", "1-SE score", "Fit time", "Verdict", "p",
           "Chances", "Versus the best")
_NUMBERS = tuple(COLUMNS.index(c) for c in ("Trials", "Best score (± std)", "1-SE score",
                                            "Fit time", "p"))
_VERSUS = COLUMNS.index("Versus the best")
STUDY_WIDTH = 230  # the most the study names take: a longer name wraps
_HEADER_TIPS = {
    "Best score (± std)": "The mean validation score of the study's best trial over its "
                          "folds, ± the standard deviation of its fold scores.",
    "p": "The corrected resampled t-test (Nadeau and Bengio) against the best, on the folds "
         "both scored. A p above 0.05 does not mean the two are the same: see the chances.",
    "Chances": "The correlated Bayesian t-test (Benavoli et al. 2017) against the best, on "
               "the folds both scored: the chance that the best is better by more than the "
               "equivalence width, that the two are within it (practically equivalent), and "
               "that this study is better by more than it.",
}
# How each study stands against the best (core.compare.STANDINGS, "probably" or not), in
# the plot's colours and legend.
STANDINGS = {
    "best": (style.BEST, "the best study"),
    "worse": (style.GREY, "worse than the best"),
    "equivalent": (style.BLUE, "practically equivalent to the best"),
    "unsettled": (style.ORANGE, "not settled"),
    "better": (style.GREEN, "better on the folds both scored"),
    "untested": (style.PURPLE, "not tested"),
}
_PLOTTED = {"best": "best", "worse": "worse", "probably worse": "worse",
            "equivalent": "equivalent", "probably equivalent": "equivalent",
            "unsettled": "unsettled", "better": "better", "probably better": "better",
            "untested": "untested"}  # studies on other data or by another metric: not drawn
ROPE_TIP = ("Two studies count as practically equivalent when their mean scores differ by "
            "less than this. On scores from 0 to 1 (accuracy, R², ROC AUC, F1...) it is in "
            "the score's units: 0.01 is one point. On errors (mean squared error...) it is a "
            "share of the best's error: 0.01 is 1 %.")


class CompareView(QWidget):
    """The comparison page: conclusion, study picker, table and fold plot."""

    study_opened = Signal(str)  # a study's row was double-clicked: show its results

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Path | None = None
        self._studies: list[tuple[Any, list[Any]]] = []  # (spec, trials), as read
        self._unchecked: set[str] = set()  # studies the user left out, kept over reloads
        self._summaries: dict[str, tuple[Any, StudySummary]] = {}  # name: (trials key, row)
        self.comparison: Comparison | None = None
        self.rope = QDoubleSpinBox()
        self.rope.setRange(0.0, 1.0)
        self.rope.setDecimals(3)
        self.rope.setSingleStep(0.005)
        self.rope.setValue(ROPE)
        self.rope.setKeyboardTracking(False)  # compare once the number is typed, not per key
        self.rope.setToolTip(ROPE_TIP)
        self.rope.valueChanged.connect(lambda _: self._show())
        self.rope_hint = QLabel()
        self.rope_hint.setObjectName("plotNote")
        self.export_button = QPushButton("Export table…")
        self.export_button.setToolTip("Save the table, one row per study, as a CSV file for a "
                                      "spreadsheet.")
        self.export_button.clicked.connect(lambda: self.export_table())
        self.export_note = QLabel()
        self.export_note.setObjectName("plotNote")
        self.export_note.setWordWrap(True)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.picker = QListWidget()
        self.picker.setToolTip("Tick the studies to compare.")
        self.picker.itemChanged.connect(self._on_picked)
        self.table = self._make_table()
        self.plot = style.make_plot("Validation scores of each study's best trial, fold by "
                                    "fold", "study", "", legend=False)
        self.plot.getPlotItem().setMouseEnabled(x=False, y=True)
        # the legend is a line under the plot, so it covers no fold at any size
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
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
        for column, name in enumerate(COLUMNS):
            if name in _HEADER_TIPS:
                table.horizontalHeaderItem(column).setToolTip(_HEADER_TIPS[name])
        header = table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_VERSUS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, STUDY_WIDTH)  # a long name wraps; the tooltip has it whole
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
        plot_layout.addWidget(self.legend)
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
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([350, 350])  # the sentences need the room; the folds read at 300 px
        rope_row = QHBoxLayout()
        rope_label = QLabel("Equivalent when within ±")
        rope_label.setToolTip(ROPE_TIP)
        rope_label.setBuddy(self.rope)
        rope_row.addWidget(rope_label)
        rope_row.addWidget(self.rope)
        rope_row.addWidget(self.rope_hint, 1)
        rope_row.addWidget(self.export_note, 1)
        rope_row.addWidget(self.export_button)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addLayout(rope_row)
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
            self._summaries = {}
        self.project = path

    def reload(self) -> None:
        """Read every study of the project again (quick: the trials table, and the folds of
        each study's best trial only)."""
        from ..core.engine import StoreError, study_trials

        self._studies = []
        message = ""
        if self.project is not None and self.project.exists():
            try:
                self._studies = study_trials(self.project)
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
        chosen = [(spec, self._summary(spec, trials)) for spec, trials in self._studies
                  if spec.name not in self._unchecked]
        self.comparison = compare_summaries(chosen, self.rope.value()) if chosen else None
        self.stack.setCurrentIndex(1)
        self._fill_rope_hint()
        self._fill_header(message)
        self._fill_table()
        self._draw()

    def _summary(self, spec: Any, trials: Sequence[Any]) -> StudySummary:
        """The study's row, summed up again only when its trials changed."""
        key = (repr(spec), tuple((t.number, str(t.state), len(t.folds)) for t in trials))
        cached = self._summaries.get(spec.name)
        if cached is None or cached[0] != key:
            cached = self._summaries[spec.name] = (key, summarize(spec, trials))
        return cached[1]

    def _fill_rope_hint(self) -> None:
        comparison = self.comparison
        if comparison is None or not comparison.scoring:
            self.rope_hint.setText("")
        elif comparison.rope_relative:
            self.rope_hint.setText(f"= ±{comparison.margin()}")
        else:
            self.rope_hint.setText(f"in {metric_words(comparison.scoring)} (0.01 is one point "
                                   "on a score from 0 to 1)")

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
            for column, (text, tip) in enumerate(_cells(study, self.comparison.margin())):
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
        self._fit_study_column()
        self.table.resizeRowsToContents()
        self.table.clearSelection()
        self.table.setCurrentItem(None)  # no focus frame on a cell nobody chose

    def _fit_study_column(self) -> None:
        """As wide as the longest name's longest line (at most STUDY_WIDTH): the room
        left goes to the sentences of "Versus the best", which otherwise grew very tall."""
        widest = max((QFontMetrics(item.font()).horizontalAdvance(line)
                      for row in range(self.table.rowCount())
                      if (item := self.table.item(row, 0)) is not None
                      for line in item.text().splitlines()), default=0)
        header = self.table.horizontalHeader()
        title = header.fontMetrics().horizontalAdvance(COLUMNS[0])
        self.table.horizontalHeader().resizeSection(
            0, min(STUDY_WIDTH, max(widest, title) + 16))

    def _draw(self) -> None:
        """The fold scores of each comparable study on one axis, paired folds joined."""
        item = self.plot.getPlotItem()
        item.clear()
        comparison = self.comparison
        shown_studies = [s for s in (comparison.studies if comparison else ())
                         if s.best_mean is not None and s.versus is not None
                         and s.versus.standing in _PLOTTED]
        if not shown_studies:
            self.legend.setText("")
            return
        sign = -1.0 if comparison.scoring.startswith("neg_") else 1.0
        folds = max(len(s.fold_scores) for s in shown_studies)
        offsets = np.linspace(-0.12, 0.12, folds) if folds > 1 else np.zeros(1)
        scores = np.full((len(shown_studies), folds), np.nan)
        for i, study in enumerate(shown_studies):
            values = [np.nan if v is None else sign * v for v in study.fold_scores]
            scores[i, :len(values)] = values
        self._draw_pairs(shown_studies, scores, offsets)
        for i, study in enumerate(shown_studies):
            color, _ = STANDINGS[_standing(study, comparison)]
            item.addItem(pg.ScatterPlotItem(x=i + offsets, y=scores[i], size=9, pen=None,
                                            brush=style.brush(color, 210)))
        xs = [x for i in range(len(shown_studies)) for x in (i - 0.22, i + 0.22)]
        ys = [sign * s.best_mean for s in shown_studies for _ in (0, 1)]
        item.addItem(pg.PlotCurveItem(np.array(xs), np.array(ys), connect="pairs",
                                      pen=style.pen(style.BLACK, 2.5)))
        style.category_ticks(self.plot, [_tick(s.name) for s in shown_studies])
        item.setXRange(-0.6, len(shown_studies) - 0.4, padding=0)
        finite = scores[np.isfinite(scores)]
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
            span = max(high - low, 1e-3 * max(abs(high), 1.0))
            item.setYRange(low - 0.08 * span, high + 0.08 * span, padding=0)
        better = "lower is better" if sign < 0 else "higher is better"
        axis = item.getAxis("left")
        axis.setLabel(f"<span style='font-size:{style.FONT_PT}pt'>validation "
                      f"{html.escape(metric_words(comparison.scoring))} per fold "
                      f"({better})</span>")
        self.legend.setText(_legend(shown_studies, comparison))

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

    # -- exporting ----------------------------------------------------------------------

    def export_table(self, path: str | None = None) -> Path | None:
        """The table shown as a CSV (``core.compare_csv``: formula-safe, written whole),
        never over the project or a study's data; asks where when ``path`` is None."""
        from ..core.compare_csv import write_comparison_csv
        from ..core.output_files import OutputError

        if self.comparison is None:
            self.export_note.setText("Tick the studies to compare first.")
            return None
        if path is None:
            default = (self.project.with_name(f"{self.project.stem}-comparison.csv")
                       if self.project is not None else Path("comparison.csv"))
            path, _ = ask_save_path(self, "comparison", "Export table", default,
                                    "CSV table (*.csv)")
            if not path:
                return None
        protect = [self.project, *(spec.data for spec, _ in self._studies)]
        try:
            written = write_comparison_csv(self.comparison, path, protect)
        except OutputError as exc:
            self.export_note.setText(str(exc))
            return None
        self.export_note.setText(f"Table saved to {written}.")
        return written


def _standing(study: StudySummary, comparison: Comparison) -> str:
    """The study's colour in the plot: a key of ``STANDINGS``."""
    if study.name == comparison.best:
        return "best"
    return _PLOTTED.get(study.versus.standing if study.versus else "", "untested")


def _legend(studies: Sequence[StudySummary], comparison: Comparison) -> str:
    """The colours drawn and what they mean ('(probably)' when a study of that colour is
    only probably so), then the mean's bar."""
    drawn = {_standing(s, comparison) for s in studies}
    unsure = {_standing(s, comparison) for s in studies
              if s.versus and s.versus.standing.startswith("probably ")}
    parts = [f"<span style='color:{color}; font-size:14pt'>●</span>&nbsp;"
             f"{'(probably) ' if key in unsure else ''}{html.escape(label)}"
             for key, (color, label) in STANDINGS.items() if key in drawn]
    parts.append("<b>▬</b>&nbsp;mean of the folds")
    return " &nbsp;&nbsp; ".join(parts)


def _chances(study: StudySummary, margin: str) -> tuple[str, str]:
    """The Bayesian test's three chances, one a line, and what they mean."""
    bayes = study.versus.bayes if study.versus else None
    if bayes is None:
        return "", ""
    text = (f"best better {percent(bayes.probability_a_better)}\n"
            f"equivalent {percent(bayes.probability_equivalent)}\n"
            f"this better {percent(bayes.probability_b_better)}")
    short = margin.split(" (")[0]
    tip = (f"Chance that the best is better by more than {margin}: "
           f"{percent(bayes.probability_a_better)}; that the two are within ±{short} "
           f"(practically equivalent): {percent(bayes.probability_equivalent)}; that "
           f"{study.name} is better by more than {short}: "
           f"{percent(bayes.probability_b_better)}. From the correlated Bayesian t-test on "
           f"the {bayes.pairs} folds both scored.")
    return text, tip


def _cells(study: StudySummary, margin: str) -> list[tuple[str, str]]:
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
        (best, f"{metric_words(scoring)} of trial {study.best_trial}, the best: the mean "
               "over its folds ± their standard deviation"
               if study.best_trial is not None else ""),
        (one_se, f"trial {study.one_se_trial}: the simplest within one standard error of "
                 "the best" if study.one_se_trial is not None else ""),
        (duration(study.best_fit_time) or "n/a",
         f"the best trial's mean seconds per fit; {duration(study.total_fit_time) or '0 s'} "
         "of fitting for the whole study"),
        (study.verdict or "n/a", study.evidence),
        (p_text(test.p) if test is not None and test.tested else "", ""),
        _chances(study, margin),
        (versus.sentence if versus else study.reason, ""),
    ]


def _tick(name: str, most: int = 28) -> str:
    return name if len(name) <= most else f"{name[:most - 1]}…"


__all__ = ["CompareView", "EMPTY"]
