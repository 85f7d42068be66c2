"""UI tests run as the app does: garbage collected on the GUI thread only (a background
job collecting plot items off their thread crashes Qt; see hpt_gui/ui/gc_guard.py)."""

import pytest

from hpt_gui.ui.gc_guard import install_gc_guard


@pytest.fixture(scope="session", autouse=True)
def _gc_on_the_gui_thread(qapp):
    guard = install_gc_guard(qapp)
    yield guard
    guard.release()
