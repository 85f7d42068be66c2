"""Start the Qt application and show the main window."""

from __future__ import annotations

import sys


def run_app(project: str | None = None) -> int:
    """Show the window (optionally with a project) and run the event loop."""
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("hpt-gui")
    app.setOrganizationName("hpt-gui")
    window = MainWindow()
    if project:
        window.open_project(project)
    window.show()
    return app.exec()
