"""The Qt application object, styled as the window shows it (Fusion, the light palette,
the style sheet, the icon): for the window and for anything drawing offscreen with the
window's looks (the report's pictures).

Its own module so that drawing a picture needs no import of the window (``app``, which
imports the main window, which draws the report's pictures).
"""

from __future__ import annotations

import sys
from pathlib import Path

STYLE_SHEET = Path(__file__).resolve().parents[1] / "resources" / "style.qss"
ICON = STYLE_SHEET.with_name("hpt-gui.png")  # drawn by packaging/icons/make_icons.py


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
    if ICON.exists():  # title bars and task bars show it (the packages set their own too)
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(ICON)))
    if not app.property("hpt_gui_quit_hook"):  # diagnostics threads end before the app does
        from .plots.jobs import refuse_new_jobs, stop_all_jobs
        from .plots.work import shutdown_helper

        app.aboutToQuit.connect(refuse_new_jobs)
        app.aboutToQuit.connect(stop_all_jobs)
        app.aboutToQuit.connect(shutdown_helper)
        app.setProperty("hpt_gui_quit_hook", True)
    return app
