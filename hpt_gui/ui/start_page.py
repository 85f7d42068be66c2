"""The first page a user sees: what the app is for, and three ways to begin."""

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
        title = QLabel("Tune a model in five steps")
        title.setObjectName("startTitle")
        intro = QLabel(
            "Load a table, choose models and the hyperparameters to search, run the search "
            "on all cores, and read from the pictures which settings fit your data best. "
            "Everything stays on this computer."
        )
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
