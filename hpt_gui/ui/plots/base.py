"""What every view shares: the study it shows, the marked trials, linked selection, export.

A view draws from a :class:`StudyData` (the spec, the trials as arrays, the best and
one-standard-error choice), remembers where each trial's points are, and so can mark the
best, the 1-SE choice and the selected trial the same way everywhere. Clicking a point
emits ``trial_clicked``; the results page then selects that trial in the table and in
every other view.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.catalog import get_model
from ...core.diagnostics.choice import Choice
from ...core.diagnostics.noise import noise_for
from ...core.diagnostics.verdict import metric_words, shown
from ...core.engine import StoreError
from ...core.format import number
from ...core.records import TrialFrame, TrialRecord
from ...core.spec import StudySpec
from . import style
from .legend import LegendRow
from .scatter import ManyPoints


@dataclass(frozen=True, eq=False)
class StudyData:
    """One study as the views need it; built once per study (and per batch of new trials)."""

    spec: StudySpec
    frame: TrialFrame
    choice: Choice

    @property
    def metric(self) -> str:
        return metric_words(self.spec.scoring)

    @property
    def sign(self) -> float:
        """-1 for error metrics: scikit-learn negates them (higher is better), but an
        analyst reads a mean squared error as the positive number it is."""
        return -1.0 if self.spec.scoring.startswith("neg_") else 1.0

    def y(self, scores: Any) -> np.ndarray:
        """Scores as plotted: errors positive."""
        return self.sign * np.array(scores, dtype=float)  # None becomes NaN (in C)

    @property
    def better(self) -> str:
        return "lower is better" if self.sign < 0 else "higher is better"

    def params(self, row: int) -> dict[str, Any]:
        return self.frame.trials[row].params

    def label(self, name: str) -> str:
        """'max_depth — Maximum tree depth': the scikit-learn name and the plain label."""
        try:
            return f"{name} — {get_model(self.spec.model).hyperparameter(name).label}"
        except (KeyError, ValueError):
            return name

    def searched(self) -> list[str]:
        return [n for n in self.spec.space.names if n in self.frame.params]

    def tip(self, number_: int) -> str:
        """The hover text of a trial: its number, scores and settings."""
        i = self.frame.index_of(number_)
        if i is None:
            return f"trial {number_}"
        marks = []
        if number_ == self.choice.best:
            marks.append("best")
        if number_ == self.choice.one_se:
            marks.append("one-standard-error choice")
        mean = shown(self.spec.scoring, self.frame.mean_test[i])
        validation = f"validation {self.metric}: {mean}"
        if self.frame.trials[i].stopped_early:
            validation += " (stopped early by successive halving: a partial mean, no spread)"
        elif np.isfinite(self.frame.std_test[i]):
            validation += f" (std {number(self.frame.std_test[i])} over the folds)"
        lines = [f"trial {number_}" + (f" ({', '.join(marks)})" if marks else ""), validation,
                 f"training {self.metric}: {shown(self.spec.scoring, self.frame.mean_train[i])}"]
        lines += [f"{k} = {_short(v)}" for k, v in self.params(i).items()]
        return "\n".join(lines)


def study_data(spec: StudySpec, trials: Sequence[TrialRecord],
               previous: StudyData | None = None) -> StudyData:
    """The views' data; with ``previous``, that data grown by ``trials`` (new ones only)."""
    from ...core.diagnostics.choice import choose

    frame = previous.frame.extended(trials) if previous is not None else \
        TrialFrame.from_trials(trials)
    return StudyData(spec, frame, choose(frame, spec.model, spec.scoring, noise_for(spec)))


def _short(value: Any) -> str:
    if isinstance(value, float):
        return number(value)
    return str(value)


class StudyView(QWidget):
    """A titled plot with its controls, an explanation line and an export button."""

    trial_clicked = Signal(int)
    title = ""
    explanation = ""
    marks = True  # draw the best, 1-SE and selected marks (not on a bar chart of settings)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: StudyData | None = None
        self.selected: int | None = None
        self._where: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        # what the legend row says beyond the named items (glyph, colour, words)
        self.legend_extra: list[tuple[str, str, str]] = []
        self.plot = style.make_plot(self.title, "", "")
        self.legend_row = LegendRow()
        # the plot and its legend, exported together
        self.figure = QWidget()
        figure_layout = QVBoxLayout(self.figure)
        figure_layout.setContentsMargins(0, 0, 0, 0)
        figure_layout.addWidget(self.plot, 1)
        figure_layout.addWidget(self.legend_row)
        self.controls = QHBoxLayout()
        self.export_button = QPushButton("Save picture…")
        self.export_button.setToolTip("Save this plot as PNG or SVG.")
        self.export_button.clicked.connect(lambda: self.export())
        self.note = QLabel(self.explanation)
        self.note.setWordWrap(True)
        self.note.setObjectName("plotNote")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.controls)
        layout.addWidget(self.figure, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)
        self._marks = self._marker_items()

    # -- what subclasses provide ------------------------------------------------------

    def draw(self) -> None:
        """Draw self.data from scratch; call ``remember`` for each trial's point."""

    # -- shared behaviour -------------------------------------------------------------

    def set_data(self, data: StudyData | None) -> None:
        self.data = data
        self._where = []
        self.legend_extra = []
        self.plot.getPlotItem().clear()
        for side in ("bottom", "left"):
            self.plot.getPlotItem().getAxis(side).setTicks(None)
        self.note.setText(self.explanation)
        if data is not None and len(data.frame):
            try:
                self.draw()
            except StoreError as exc:  # the project file went away since it was opened
                self.note.setText(str(exc))
        self._marks = self._marker_items()
        self._update_marks()

    def remember(self, numbers: Any, xs: Any, ys: Any) -> None:
        """Where trials' points are drawn (arrays kept as they are: 100,000 points cost
        nothing until a trial is looked up)."""
        self._where.append((np.asarray(numbers), np.asarray(xs, dtype=float),
                            np.asarray(ys, dtype=float)))

    def points_of(self, number_: int) -> list[tuple[float, float]]:
        points = []
        for numbers, xs, ys in self._where:
            hits = np.flatnonzero(numbers == number_)
            points += [(float(xs[i]), float(ys[i])) for i in hits
                       if np.isfinite(xs[i]) and np.isfinite(ys[i])]
        return points

    def set_selected(self, number_: int | None) -> None:
        self.selected = number_
        self._update_marks()

    def _marker_items(self) -> dict[str, pg.ScatterPlotItem]:
        if not self.marks:
            return {}
        item = self.plot.getPlotItem()
        marks = {
            "best": pg.ScatterPlotItem(symbol=style.BEST_SYMBOL, size=18,
                                       brush=style.brush(style.BEST), pen=style.pen("#ffffff", 1),
                                       name="best trial"),
            "one_se": pg.ScatterPlotItem(symbol=style.ONE_SE_SYMBOL, size=15,
                                         brush=style.brush(style.ONE_SE),
                                         pen=style.pen("#ffffff", 1),
                                         name="one-standard-error choice"),
            "selected": pg.ScatterPlotItem(symbol="o", size=22, brush=pg.mkBrush(None),
                                           pen=style.pen(style.SELECTED, 2),
                                           name="selected trial"),
        }
        for mark in marks.values():
            mark.setZValue(20)
            item.addItem(mark)
        return marks

    def _update_marks(self) -> None:
        choice = self.data.choice if self.data is not None else None
        wanted = {"best": choice.best if choice else None,
                  "one_se": choice.one_se if choice else None,
                  "selected": self.selected}
        for key, number_ in wanted.items():
            points = self.points_of(number_) if number_ is not None else []
            mark = self._marks.get(key)
            if mark is None:
                continue
            mark.setData([p[0] for p in points], [p[1] for p in points])
        self.legend_row.show_for(self.legend_plots(), self.legend_extra)

    def legend_plots(self) -> list[pg.PlotWidget]:
        """The plots whose named items the legend row explains."""
        return [self.plot]

    def clickable(self, numbers: Any, xs: Any, ys: Any, color: str = style.POINTS,
                  size: float = 7, name: str | None = None) -> pg.ScatterPlotItem:
        """A scatter of trials: hover shows the trial, a click selects it."""
        numbers = np.asarray(numbers)
        scatter = ManyPoints(
            x=np.asarray(xs, dtype=float), y=np.asarray(ys, dtype=float), data=numbers,
            size=size, pen=None, brush=style.brush(color, 170),
            hoverable=True,  # finding the point under the mouse: ~12 ms at 100,000 points
            tip=self._tip, name=name,
        )
        scatter.sigClicked.connect(self._on_points_clicked)
        self.plot.addItem(scatter)
        self.remember(numbers, xs, ys)
        return scatter

    def _tip(self, x: float, y: float, data: Any) -> str:
        return self.data.tip(int(data)) if self.data is not None else ""

    def _on_points_clicked(self, item: Any, points: Any, *args: Any) -> None:
        if len(points):
            self.trial_clicked.emit(int(points[0].data()))

    def set_axis_labels(self, x: str, y: str) -> None:
        item = self.plot.getPlotItem()
        item.getAxis("bottom").setLabel(f"<span style='font-size:{style.FONT_PT}pt'>"
                                        f"{html.escape(x)}</span>")
        item.getAxis("left").setLabel(f"<span style='font-size:{style.FONT_PT}pt'>"
                                      f"{html.escape(y)}</span>")

    def export(self, path: str | Path | None = None) -> Path | None:
        """Save the plot as PNG or SVG (by the file's suffix)."""
        if path is None:
            from ..last_folder import ask_save_path

            path, _ = ask_save_path(self, "picture", "Save picture",
                                    f"{self.title or 'plot'}.png",
                                    "PNG image (*.png);;SVG drawing (*.svg)")
            if not path:
                return None
        return export_plot(self.figure, path, self.title)


class ParamView(StudyView):
    """A view of one hyperparameter at a time, chosen in a box above the plot."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.param = QComboBox()
        self.param.currentIndexChanged.connect(lambda _: self._redraw())
        self.controls.addWidget(QLabel("Hyperparameter:"))
        self.controls.addWidget(self.param, 1)

    def set_data(self, data: StudyData | None) -> None:
        """Fill the box with the study's searched settings, keeping the current one."""
        current = self.param.currentData()
        self.param.blockSignals(True)
        self.param.clear()
        if data is not None:
            for name in data.searched():
                self.param.addItem(data.label(name), name)
            index = self.param.findData(current)
            self.param.setCurrentIndex(index if index >= 0 else 0)
        self.param.blockSignals(False)
        super().set_data(data)

    def _redraw(self) -> None:
        if self.data is not None:
            StudyView.set_data(self, self.data)


def export_plot(widget: QWidget, path: str | Path, title: str = "") -> Path:
    """The plot (with its legend row, when given its figure) as PNG at twice the
    on-screen size (crisp in documents), or as SVG, by the file's suffix."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        _write_svg(widget, path, title)
    else:
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        _write_png(widget, path)
    return path


def _write_png(widget: QWidget, path: Path, scale: float = 2.0) -> None:
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(int(widget.width() * scale), int(widget.height() * scale),
                   QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        _render(widget, painter)
    finally:
        painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"Could not write the picture to '{path}'.")


def _write_svg(widget: QWidget, path: Path, title: str) -> None:
    """Qt's own SVG writer (pyqtgraph's SVG exporter trips over Qt 6's path syntax)."""
    from PySide6.QtCore import QRect, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    generator = QSvgGenerator()
    generator.setFileName(str(path))
    size = widget.size()
    generator.setSize(QSize(size.width(), size.height()))
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    painter = QPainter(generator)
    try:
        _render(widget, painter)
    finally:
        painter.end()


def _render(widget: QWidget, painter: Any) -> None:
    """The widget and its children as shown (QWidget's render, also for a plot widget,
    whose own render draws only its scene)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QRegion

    flags = QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren
    QWidget.render(widget, painter, QPoint(0, 0), QRegion(), flags)
