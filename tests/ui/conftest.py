"""UI tests run as the app does: garbage collected on the GUI thread only (a background
job collecting plot items off their thread crashes Qt; see hpt_gui/ui/gc_guard.py)."""

import pytest

from hpt_gui.ui.gc_guard import install_gc_guard


@pytest.fixture(scope="session", autouse=True)
def _styled_as_the_app(qapp):
    """Every UI test sees the window as the app shows it (Fusion, its style sheet, a
    10 pt font): which test first called ``make_app`` decided the font for the rest, so
    a layout test passed alone and failed in the whole suite."""
    from hpt_gui.ui.application import make_app

    make_app()


@pytest.fixture(scope="session", autouse=True)
def _gc_on_the_gui_thread(qapp, _styled_as_the_app):
    guard = install_gc_guard(qapp)
    yield guard
    guard.release()


@pytest.fixture(autouse=True)
def _folders_remembered_in_a_temporary_file(tmp_path, monkeypatch):
    """Save dialogs remember their folder in the app's settings: here, a file of the test's
    own (never the user's settings, nor another test's folder)."""
    from PySide6.QtCore import QSettings

    from hpt_gui.ui import last_folder

    settings = QSettings(str(tmp_path / "folders.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(last_folder, "_settings", lambda: settings)
