"""The first page a user sees: what the app is for, its steps, and three ways to begin.

The steps listed here are the window's sidebar steps (``main_window.STEPS`` is made from
``STEP_GUIDE``), and the title counts them, so the page never promises five steps when
the sidebar shows six.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

STEP_GUIDE = (
    ("Data", "load a table; check its target column and the task."),
    ("Models", "choose models and the hyperparameters to search."),
    ("Search", "choose how to search and validate; see the cost before it runs."),
    ("Run", "run the search on all cores; pause or cancel it."),
    ("Results", "read from the pictures which settings fit your data best."),
    ("Compare", "set studies side by side: is one model really better?"),
)
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten")


def steps_title(count: int = len(STEP_GUIDE)) -> str:
    """'Tune a model in six steps': the count of the steps the page lists."""
    word = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else f"{count:,}"
    return f"Tune a model in {word} step{'' if count == 1 else 's'}"


DEMOS = [
    ("iris", "Iris", "150 flowers, 4 measurements, 3 species", "classification"),
    ("wine", "Wine", "178 wines, 13 chemical measurements, 3 cultivars", "classification"),
    ("breast_cancer", "Breast cancer", "569 biopsies, 30 measurements, benign or malignant",
     "classification"),
    ("diabetes", "Diabetes", "442 patients, 10 measurements, disease progression",
     "regression"),
    ("digits", "Digits", "1,797 handwritten digits as 8×8 pixels, 10 classes",
     "classification"),
]


class StartPage(QWidget):
    """Open a file, open a project, or try a demo data set in one click."""

    demo_chosen = Signal(str)  # "demo:NAME"
    open_file_requested = Signal()
    open_project_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(steps_title())
        title.setObjectName("startTitle")
        steps = QGridLayout()
        steps.setHorizontalSpacing(10)
        steps.setVerticalSpacing(4)
        for row, (name, what) in enumerate(STEP_GUIDE):
            step = QLabel(f"{row + 1}. {name}")
            step.setObjectName(f"step_{name.lower()}")
            bold = step.font()
            bold.setBold(True)
            step.setFont(bold)  # plain text in bold: its baseline meets the description's
            steps.addWidget(step, row, 0)
            steps.addWidget(QLabel(what[0].upper() + what[1:]), row, 1)
        steps.setColumnStretch(1, 1)
        intro = QLabel("The steps are in the sidebar on the left, in this order. Everything "
                       "stays on this computer.")
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        open_file = QPushButton("Open a data file…  (Ctrl+O)")
        open_file.clicked.connect(self.open_file_requested)
        open_project = QPushButton("Open a project…")
        open_project.clicked.connect(self.open_project_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(open_file)
        buttons.addWidget(open_project)
        buttons.addStretch(1)
        drop = QLabel("…or drop a CSV, TSV, Excel or Parquet file anywhere on this window.")
        drop.setObjectName("hint")

        demos = QGroupBox("Or start with a demo data set")
        grid = QGridLayout(demos)
        for row, (key, name, description, task) in enumerate(DEMOS):
            button = QPushButton(name)
            button.setObjectName(f"demo_{key}")
            button.setMinimumWidth(140)
            button.clicked.connect(lambda _=False, k=key: self.demo_chosen.emit(f"demo:{k}"))
            grid.addWidget(button, row, 0)
            grid.addWidget(QLabel(description), row, 1)
            grid.addWidget(QLabel(task), row, 2)
        grid.setColumnStretch(1, 1)

        column = QVBoxLayout()
        column.addWidget(title)
        column.addSpacing(4)
        column.addLayout(steps)
        column.addSpacing(4)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addWidget(drop)
        column.addSpacing(16)
        column.addWidget(demos)
        column.addStretch(1)
        box = QWidget()
        box.setLayout(column)
        box.setMaximumWidth(760)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 4)
        outer.addStretch(1)
        outer.setAlignment(box, Qt.AlignmentFlag.AlignTop)
