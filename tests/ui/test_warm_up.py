"""The window loads the background work's libraries once, off the GUI thread."""

import sys
import threading

from hpt_gui.ui import warm_up as warm_up_module


def test_the_libraries_are_imported_once_on_a_daemon_thread(monkeypatch):
    monkeypatch.setattr(warm_up_module, "_STARTED", threading.Event())
    imported_on = []
    real = warm_up_module.importlib.import_module

    def watched(name):
        imported_on.append(threading.current_thread())
        return real(name)

    monkeypatch.setattr(warm_up_module.importlib, "import_module", watched)
    monkeypatch.setattr(warm_up_module, "MODULES", ("sklearn.dummy", "no_such_module_here"))
    thread = warm_up_module.warm_up()
    assert thread is not None and thread.daemon
    thread.join(60)
    assert not thread.is_alive() and "sklearn.dummy" in sys.modules
    assert imported_on and threading.main_thread() not in imported_on
    assert warm_up_module.warm_up() is None  # once per process
