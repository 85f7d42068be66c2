"""Start the Qt application and show the main window."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from .application import make_app  # also imported from here (the tests, the benchmarks)

# Seconds a busy thread may hold the interpreter before another thread gets it back.
SWITCH_INTERVAL = 0.001


def prepare_window_process(app) -> None:  # app: QApplication
    """What the window's process needs beyond Qt, for the window and its stand-ins (the
    screenshots, the benchmarks):

    - garbage collection on the GUI thread only (``gc_guard``);
    - a short interpreter switch interval. Each call into Qt lets go of the interpreter
      lock, and getting it back from a busy thread (the study loop, a diagnostics job)
      takes up to a whole interval: at Python's 5 ms, a redraw of a few dozen Qt calls
      froze the window for 0.2-0.3 s while a study ran (``bench/under_load.py``).
    """
    from .gc_guard import install_gc_guard

    install_gc_guard(app)
    sys.setswitchinterval(SWITCH_INTERVAL)


def run_app(path: str | None = None) -> int:
    """Show the window (optionally with a project or a data file) and run the event loop."""
    app = make_app()
    from .main_window import MainWindow
    from .terminate import quit_on_terminate

    prepare_window_process(app)

    window = MainWindow()
    quit_on_terminate(app, window)
    if path is not None:
        window.open_file(path)
    probe = os.environ.get(STARTUP_PROBE)
    if probe:
        install_startup_probe(app, window, probe)
    window.show()
    from PySide6.QtCore import QTimer

    from .warm_up import AFTER_SHOWN_MS, warm_up

    QTimer.singleShot(AFTER_SHOWN_MS, warm_up)  # while the analyst looks at the window
    return app.exec()


# ``HPT_GUI_STARTUP_PROBE=<file>``: once the window is shown and painted, write the time
# (``time.time()``) and the top-level modules loaded so far to <file> as JSON, and quit.
# ``bench/startup.py`` measures the time to the first window with it.
STARTUP_PROBE = "HPT_GUI_STARTUP_PROBE"


def install_startup_probe(app, window, path: str) -> None:  # app: QApplication
    """Write ``{"shown_at": ..., "modules": [...]}`` to ``path`` after the window's first
    paint, then quit the app (its window closes as on Quit)."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    def report() -> None:
        shown_at = time.time()
        modules = sorted({name.split(".")[0] for name in list(sys.modules)})
        Path(path).write_text(json.dumps({"shown_at": shown_at, "modules": modules}),
                              encoding="utf-8")
        app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) \
                    and watched.window() is window:
                app.removeEventFilter(self)
                QTimer.singleShot(0, report)  # after this paint of the whole window
            return False

    window._startup_probe = FirstPaint(window)  # lives as long as the window
    app.installEventFilter(window._startup_probe)
