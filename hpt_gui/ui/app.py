"""Start the Qt application and show the main window."""

from __future__ import annotations

import sys
from pathlib import Path

STYLE_SHEET = Path(__file__).resolve().parents[1] / "resources" / "style.qss"


def make_app():  # -> QApplication
    """The application object, styled (Fusion, light palette, the style sheet)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("hpt-gui")
    app.setOrganizationName("hpt-gui")
    app.setStyle("Fusion")
    font = app.font()
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    if STYLE_SHEET.exists():
        app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
    if not app.property("hpt_gui_quit_hook"):  # diagnostics threads end before the app does
        from .plots.jobs import stop_all_jobs

        app.aboutToQuit.connect(stop_all_jobs)
        app.setProperty("hpt_gui_quit_hook", True)
    return app


def run_app(project: str | None = None) -> int:
    """Show the window (optionally with a project) and run the event loop."""
    app = make_app()
    from .gc_guard import install_gc_guard
    from .main_window import MainWindow

    install_gc_guard(app)  # background threads never collect the window's objects

    window = MainWindow(project)
    window.show()
    return app.exec()
