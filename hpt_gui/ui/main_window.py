"""A minimal main window: says what is loaded until the full window lands.

It opens a project file and lists its studies with their trial counts and best scores;
the dataset panel, search editor, run queue and plots come with the window issue.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import __version__

EMPTY_TEXT = (
    "No project loaded.\n\n"
    "Open a project file to see its studies, or run a study from the command line:\n"
    "hpt-gui run --data demo:iris --target target --model RandomForestClassifier "
    "--project my.hpt"
)


class MainWindow(QMainWindow):
    """One label that says what is loaded, and a button to open a project."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(f"hpt-gui {__version__}")
        self.resize(900, 560)
        self.status_label = QLabel(EMPTY_TEXT)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = QPushButton("Open project…")
        open_button.clicked.connect(self._on_open_clicked)
        layout = QVBoxLayout()
        layout.addStretch(1)
        layout.addWidget(self.status_label)
        layout.addWidget(open_button, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Ready")

    def _on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open project", "", "hpt-gui projects (*.hpt);;All files (*)"
        )
        if path:
            self.open_project(path)

    def open_project(self, path: str | Path) -> None:
        """Show the project's studies, or a sentence saying why it cannot be opened."""
        from ..core.project_summary import summarize_project

        self.status_label.setText(summarize_project(path))
        self.statusBar().showMessage(f"Project: {path}")
